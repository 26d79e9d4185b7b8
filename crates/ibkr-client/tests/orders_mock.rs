//! Orders through the public API against the embedded mock, on both
//! variants: a bracket placed, questioned twice and confirmed by policy;
//! ambiguous orders reconciled to `Placed` and to `NotPlaced`; waiting for
//! a fill; and the mock refusing what IBKR refuses (bodies, duplicate
//! `cOID`s, missing credentials). A property test checks that invalid
//! orders never reach the server.
#![cfg(feature = "testing")]

use std::time::Duration;

use ibkr_client::areas::orders::{
    Bracket, ConfirmationPolicy, OrderRequest, OrderState, PlaceOutcome, Price, Quantity,
    Reconciliation, Side, StopLimit, Trail,
};
use ibkr_client::pacing::{Limit, PacingTable, Rate};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{BearerToken, Client, Config, Error};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

const VARIANTS: [MockVariant; 2] = [MockVariant::Gateway, MockVariant::Web];
const ACCOUNT: &str = "DU1234567";
const AAPL: i64 = 265598;
const PLACE: &str = "/iserver/account/DU1234567/orders";

fn price(s: &str) -> Price {
    s.parse().unwrap()
}

/// The documented pacing, but live orders and trades 1 per 200 ms (IBKR:
/// 5 s) so that the tests stay short; the pacer still spaces them.
fn quick_pacing(variant: MockVariant) -> PacingTable {
    let v = match variant {
        MockVariant::Gateway => ibkr_client::Variant::Gateway,
        MockVariant::Web => ibkr_client::Variant::Web,
    };
    let fast = Limit::Rate(Rate::one_per(Duration::from_millis(200)));
    PacingTable::for_variant(v)
        .with_rule("/iserver/account/orders", fast)
        .with_rule("/iserver/account/trades", fast)
}

fn config(mock: &MockIbkr) -> Config {
    match mock.variant() {
        MockVariant::Web => Config::web(BearerToken::new("mock-token")).base_url(mock.base_url()),
        MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
    }
    .pacing(quick_pacing(mock.variant()))
}

/// A mock with a brokerage session, that checks credentials on the order
/// routes, and a client that has made its first call (the auth status:
/// the Gateway's cookie comes with it).
async fn started(variant: MockVariant) -> (MockIbkr, Client) {
    let mock = MockIbkr::start(variant).await.unwrap();
    mock.authenticate();
    mock.require_credentials(true);
    let client = Client::new(config(&mock)).unwrap();
    assert!(client.session().auth_status().await.unwrap().authenticated);
    (mock, client)
}

fn bracket() -> Vec<OrderRequest> {
    let entry = OrderRequest::limit(AAPL, Side::Buy, Quantity::from(10), price("189.50"));
    Bracket::new(entry)
        .take_profit(price("195.00"))
        .stop_loss(price("185.00"))
        .orders()
        .unwrap()
}

#[tokio::test]
async fn a_bracket_is_questioned_twice_and_confirmed_by_policy() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        let orders = bracket();
        let parent = orders[0].client_order_id.clone().unwrap();

        // A policy that allows only the first question stops at the second.
        let only_first = ConfirmationPolicy::ConfirmIds(vec!["o163".into()]);
        match client
            .orders()
            .place_with_policy(ACCOUNT, &orders, &only_first)
            .await
            .unwrap()
        {
            PlaceOutcome::NeedsConfirmation {
                message_ids,
                client_order_ids,
                ..
            } => {
                assert_eq!(message_ids, ["o354"], "{variant:?}");
                assert_eq!(
                    client_order_ids,
                    std::slice::from_ref(&parent),
                    "{variant:?}"
                );
            }
            other => panic!("{variant:?}: {other:?}"),
        }
        assert!(mock.placed_client_order_ids().is_empty(), "{variant:?}");

        // Both allowed: placed, the children linked to the parent.
        let orders = bracket();
        let parent = orders[0].client_order_id.clone().unwrap();
        let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into(), "o354".into()]);
        let acks = match client
            .orders()
            .place_with_policy(ACCOUNT, &orders, &policy)
            .await
            .unwrap()
        {
            PlaceOutcome::Submitted(acks) => acks,
            other => panic!("{variant:?}: {other:?}"),
        };
        assert_eq!(acks.len(), 3, "{variant:?}");
        assert_eq!(acks[0].order_status, Some(OrderState::Submitted));
        assert_eq!(acks[1].order_status, Some(OrderState::PreSubmitted));
        assert_eq!(mock.count("POST", PLACE), 2);
        let replies = mock
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/iserver/reply/"))
            .count();
        assert_eq!(replies, 3, "{variant:?}: one reply, then two");
        // What went out: IBKR's bracket shape.
        let sent = mock
            .requests()
            .into_iter()
            .rfind(|r| r.path == PLACE)
            .unwrap()
            .json()
            .unwrap();
        let sent = sent["orders"].as_array().unwrap();
        assert_eq!(sent[0]["cOID"], json!(parent));
        assert_eq!(sent[0]["price"], json!(189.5));
        for child in &sent[1..] {
            assert_eq!(child["parentId"], json!(parent));
            assert!(child.get("cOID").is_none());
            assert_eq!(child["side"], "SELL");
            assert_eq!(child["quantity"], json!(10));
        }
        assert_eq!(sent[1]["orderType"], "LMT");
        assert_eq!(sent[2]["orderType"], "STP");
        assert_eq!(sent[2]["price"], json!(185));
        // The live orders show all three, the parent by its cOID.
        let live = client.orders().live_orders(&[]).await.unwrap();
        assert_eq!(live.orders.len(), 3, "{variant:?}");
        assert_eq!(live.orders[0].order_ref.as_deref(), Some(parent.as_str()));
        assert_eq!(live.orders[0].price, Some(Decimal::new(1895, 1)));
        assert_eq!(live.orders[0].side, Some(Side::Buy));
    }
}

/// The reply that places the order times out: `Ambiguous`, with the
/// order's `cOID`; the order did reach IBKR, and `reconcile` finds it.
#[tokio::test]
async fn an_order_ambiguous_on_timeout_is_reconciled_to_placed() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        mock.require_credentials(true);
        let client = Client::new(config(&mock).timeout(Duration::from_millis(300))).unwrap();
        client.session().auth_status().await.unwrap();
        let order = OrderRequest::limit(AAPL, Side::Buy, Quantity::from(5), price("189.00"));
        let coid = order.client_order_id.clone().unwrap();
        let reply_path = || {
            mock.requests()
                .into_iter()
                .find(|r| r.path.starts_with("/iserver/reply/"))
                .map(|r| r.path)
        };
        let outcome = client.orders().place(ACCOUNT, &[order]).await.unwrap();
        let PlaceOutcome::NeedsConfirmation { reply_id, .. } = &outcome else {
            panic!("{variant:?}: {outcome:?}")
        };
        mock.delay_next(
            "POST",
            &format!("/iserver/reply/{reply_id}"),
            Duration::from_secs(2),
        );
        let result = client
            .orders()
            .confirm_with_policy(outcome, &ConfirmationPolicy::ConfirmAll)
            .await;
        match result {
            Err(Error::Ambiguous {
                operation,
                client_order_ids,
                ..
            }) => {
                assert_eq!(operation, "Orders::reply", "{variant:?}");
                assert_eq!(client_order_ids, std::slice::from_ref(&coid), "{variant:?}");
            }
            other => panic!("{variant:?}: expected Ambiguous, got {other:?}"),
        }
        assert!(reply_path().is_some());
        match client.orders().reconcile(&coid).await.unwrap() {
            Reconciliation::Placed(placed) => {
                assert_eq!(placed.client_order_id, coid);
                let live = placed.live.expect("in the live orders");
                assert_eq!(live.order_ref.as_deref(), Some(coid.as_str()));
                assert_eq!(live.status, Some(OrderState::Submitted));
                assert!(placed.order_id.is_some());
            }
            other => panic!("{variant:?}: {other:?}"),
        }
        // Sending it again with the same cOID cannot duplicate it.
        mock.set_order_questions(&[]);
        let again = OrderRequest::limit(AAPL, Side::Buy, Quantity::from(5), price("189.00"))
            .client_order_id(coid.clone());
        match client.orders().place(ACCOUNT, &[again]).await {
            Err(Error::OrderRejected { message, .. }) => {
                assert!(message.contains("already registered"), "{message}")
            }
            other => panic!("{variant:?}: {other:?}"),
        }
        assert_eq!(mock.placed_client_order_ids(), [coid]);
    }
}

/// The placement is lost before IBKR acts (a 504 from a proxy):
/// `Ambiguous`; neither the live orders nor the trades know the `cOID`,
/// so `reconcile` says `NotPlaced`, and sending it again places it once.
#[tokio::test]
async fn an_ambiguous_order_that_never_arrived_is_reconciled_to_not_placed() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        mock.set_order_questions(&[]);
        mock.inject("POST", PLACE, 504, json!({"error": "gateway timeout"}));
        let order = OrderRequest::market(AAPL, Side::Sell, Quantity::from(3));
        let coid = order.client_order_id.clone().unwrap();
        match client
            .orders()
            .place(ACCOUNT, std::slice::from_ref(&order))
            .await
        {
            Err(Error::Ambiguous {
                client_order_ids, ..
            }) => assert_eq!(client_order_ids, std::slice::from_ref(&coid), "{variant:?}"),
            other => panic!("{variant:?}: expected Ambiguous, got {other:?}"),
        }
        assert_eq!(
            client.orders().reconcile(&coid).await.unwrap(),
            Reconciliation::NotPlaced,
            "{variant:?}"
        );
        assert_eq!(mock.count("GET", "/iserver/account/orders"), 1);
        assert_eq!(mock.count("GET", "/iserver/account/trades"), 1);
        // Safe to send again, with the same cOID.
        let outcome = client.orders().place(ACCOUNT, &[order]).await.unwrap();
        assert!(matches!(outcome, PlaceOutcome::Submitted(_)), "{variant:?}");
        assert_eq!(mock.placed_client_order_ids(), std::slice::from_ref(&coid));
        // A second reconciliation waits for the pacer's slot, then finds it.
        assert!(matches!(
            client.orders().reconcile(&coid).await.unwrap(),
            Reconciliation::Placed(_)
        ));
    }
}

/// An order that filled and left the live orders is found among the trades.
#[tokio::test]
async fn a_filled_order_is_found_among_the_trades() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        mock.set_order_questions(&[]);
        let order = OrderRequest::market(AAPL, Side::Buy, Quantity::from(2));
        let coid = order.client_order_id.clone().unwrap();
        let PlaceOutcome::Submitted(acks) = client.orders().place(ACCOUNT, &[order]).await.unwrap()
        else {
            panic!()
        };
        assert!(mock.fill(acks[0].order_id.as_deref().unwrap()));
        // The live orders list no longer has it (as after a new session).
        mock.inject(
            "GET",
            "/iserver/account/orders",
            200,
            json!({"orders": [], "snapshot": true}),
        );
        match client.orders().reconcile(&coid).await.unwrap() {
            Reconciliation::Placed(placed) => {
                assert!(placed.live.is_none());
                assert_eq!(placed.trades.len(), 1, "{variant:?}");
                assert_eq!(placed.trades[0].size, Some(Decimal::from(2)));
                assert_eq!(placed.trades[0].price, Some(Decimal::new(1895, 1)));
                assert_eq!(placed.trades[0].side, Some(Side::Buy));
            }
            other => panic!("{variant:?}: {other:?}"),
        }
        // An incomplete live orders list and no trade: unknown, not "not placed".
        for _ in 0..3 {
            mock.inject(
                "GET",
                "/iserver/account/orders",
                200,
                json!({"orders": [], "snapshot": false}),
            );
        }
        assert!(matches!(
            client.orders().reconcile("rs-never-sent").await.unwrap(),
            Reconciliation::Unknown(_)
        ));
    }
}

#[tokio::test]
async fn wait_for_terminal_returns_the_fill() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        mock.set_order_questions(&[]);
        let order = OrderRequest::limit(AAPL, Side::Buy, Quantity::from(7), price("189.25"));
        let PlaceOutcome::Submitted(acks) = client.orders().place(ACCOUNT, &[order]).await.unwrap()
        else {
            panic!()
        };
        let order_id = acks[0].order_id.clone().unwrap();
        // Not filled yet: the wait times out.
        match client
            .orders()
            .wait_for_terminal(&order_id, Duration::from_millis(700))
            .await
        {
            Err(Error::Timeout { operation, .. }) => {
                assert_eq!(operation, "Orders::wait_for_terminal")
            }
            other => panic!("{variant:?}: {other:?}"),
        }
        // Filled while waiting.
        let mock = std::sync::Arc::new(mock);
        let filler = {
            let mock = mock.clone();
            let id = order_id.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(600)).await;
                assert!(mock.fill(&id));
            })
        };
        let polls_before = mock.count("GET", &format!("/iserver/account/order/status/{order_id}"));
        let status = client
            .orders()
            .wait_for_terminal(&order_id, Duration::from_secs(10))
            .await
            .unwrap();
        filler.await.unwrap();
        assert_eq!(status.order_status, Some(OrderState::Filled), "{variant:?}");
        assert_eq!(status.filled_quantity, Some(Decimal::from(7)));
        assert_eq!(status.average_price, Some(Decimal::new(18925, 2)));
        assert_eq!(status.side, Some(Side::Buy));
        let polls =
            mock.count("GET", &format!("/iserver/account/order/status/{order_id}")) - polls_before;
        assert!((2..=5).contains(&polls), "{variant:?}: {polls} polls");
    }
}

/// The mock refuses the order bodies IBKR refuses, over plain HTTP with
/// the variant's credentials.
#[tokio::test]
async fn the_mock_refuses_what_ibkr_refuses() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        mock.set_order_questions(&[]);
        let http = client.http_client();
        let url = format!("{}/v1/api{PLACE}", mock.host_url());
        // The facade's request path keeps the Gateway's session cookie, not
        // its HTTP client: take it from an answer, as a browser would.
        let status = http
            .post(format!("{}/v1/api/iserver/auth/status", mock.host_url()))
            .send()
            .await
            .unwrap();
        let cookie = status
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let post = |body: serde_json::Value| {
            let mut req = http.post(&url).json(&body);
            if variant == MockVariant::Web {
                req = req.bearer_auth("mock-token");
            } else {
                req = req.header("cookie", cookie.clone().expect("the session cookie"));
            }
            async move {
                let resp = req.send().await.unwrap();
                let status = resp.status().as_u16();
                (status, resp.json::<serde_json::Value>().await.unwrap())
            }
        };
        let good = json!({"conid": AAPL, "side": "BUY", "orderType": "LMT", "price": 189.5, "quantity": 1, "tif": "DAY"});
        let with = |k: &str, v: serde_json::Value| {
            let mut o = good.clone();
            o[k] = v;
            json!({"orders": [o]})
        };
        let without = |k: &str| {
            let mut o = good.clone();
            o.as_object_mut().unwrap().remove(k);
            json!({"orders": [o]})
        };
        let refused = [
            ("a bare list", json!([good.clone()])),
            ("one order object", good.clone()),
            ("no orders", json!({"orders": []})),
            ("no conid", without("conid")),
            ("no side", without("side")),
            ("no orderType", without("orderType")),
            ("no quantity", without("quantity")),
            ("no tif", without("tif")),
            ("a limit without a price", without("price")),
            (
                "an unknown orderType",
                with("orderType", json!("LIMIT_ON_FULL_MOON")),
            ),
            ("a side HOLD", with("side", json!("HOLD"))),
            ("a zero quantity", with("quantity", json!(0))),
            ("a price as text", with("price", json!("189.5"))),
            (
                "a stop limit without auxPrice",
                with("orderType", json!("STOP_LIMIT")),
            ),
            (
                "a trailing stop without trailing terms",
                with("orderType", json!("TRAIL")),
            ),
            ("an orphan child", with("parentId", json!("nobody"))),
        ];
        for (what, body) in refused {
            let (status, answer) = post(body).await;
            assert_eq!(status, 400, "{variant:?} {what}: {answer}");
        }
        assert!(mock.placed_client_order_ids().is_empty());
        let (status, answer) = post(with("cOID", json!("dup-1"))).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer[0]["local_order_id"], "dup-1");
        // A cOID once taken is refused, as IBKR does.
        let (status, answer) = post(with("cOID", json!("dup-1"))).await;
        assert_eq!(status, 200);
        assert_eq!(
            answer["error"],
            "Local order ID=dup-1 is already registered."
        );
        assert_eq!(mock.placed_client_order_ids(), ["dup-1"]);
    }
}

/// With credentials required, an order route answers 401 to a request
/// without them: the Web API's bearer token, the Gateway's cookie.
#[tokio::test]
async fn order_routes_check_credentials() {
    for variant in VARIANTS {
        let (mock, client) = started(variant).await;
        // The facade's requests carry them.
        client.orders().live_orders(&[]).await.unwrap();
        // A bare HTTP client does not.
        let bare = reqwest::Client::new();
        let base = format!("{}/v1/api", mock.host_url());
        for (method, path) in [
            (reqwest::Method::GET, "/iserver/account/orders".to_string()),
            (reqwest::Method::GET, "/iserver/account/trades".to_string()),
            (reqwest::Method::POST, PLACE.to_string()),
            (reqwest::Method::POST, "/iserver/reply/x".to_string()),
            (
                reqwest::Method::DELETE,
                format!("/iserver/account/{ACCOUNT}/order/1"),
            ),
        ] {
            let resp = bare
                .request(method.clone(), format!("{base}{path}"))
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status().as_u16(), 401, "{variant:?} {method} {path}");
        }
        // Other routes do not ask.
        let resp = bare
            .get(format!("{base}/iserver/accounts"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{variant:?}");
        if variant == MockVariant::Web {
            let resp = bare
                .get(format!("{base}/iserver/account/orders"))
                .header("authorization", "Bearer ")
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status().as_u16(), 401, "an empty token");
        }
        // After a new login, the Gateway's old cookie is refused until renewed.
        if variant == MockVariant::Gateway {
            mock.login();
            let stale = client.orders().live_orders(&[]).await;
            assert!(
                matches!(stale, Err(Error::NotAuthenticated(_))),
                "{stale:?}"
            );
            client.orders().live_orders(&[]).await.unwrap();
        }
    }
}

/// An order that fails validation, from any builder.
fn invalid_order() -> impl Strategy<Value = (OrderRequest, &'static str)> {
    let q = (-1000i64..=0).prop_map(Quantity::from);
    let p = (1i64..1_000_000).prop_map(|m| Price::new(Decimal::new(m, 2)));
    prop_oneof![
        (q.clone(), p.clone())
            .prop_map(|(q, p)| (OrderRequest::limit(AAPL, Side::Buy, q, p), "quantity")),
        (1i64..100).prop_map(|n| {
            let mut o = OrderRequest::limit(
                AAPL,
                Side::Sell,
                Quantity::from(n),
                Price::new(Decimal::ONE),
            );
            o.price = None;
            (o, "limit without a price")
        }),
        (1i64..100, p.clone()).prop_map(|(n, p)| {
            let mut o = OrderRequest::stop_limit(
                AAPL,
                Side::Sell,
                Quantity::from(n),
                StopLimit { stop: p, limit: p },
            );
            o.aux_price = None;
            (o, "stop limit without a stop")
        }),
        (1i64..100, 101i64..10_000).prop_map(|(n, pct)| {
            (
                OrderRequest::trailing_stop(
                    AAPL,
                    Side::Sell,
                    Quantity::from(n),
                    Trail::Percent(Decimal::from(pct)),
                ),
                "trail over 100%",
            )
        }),
        (1i64..100, p.clone()).prop_map(|(n, p)| {
            (
                OrderRequest::market(AAPL, Side::Buy, Quantity::from(n)).limit_price(p),
                "market with a price",
            )
        }),
        (1i64..100, 17u32..=28).prop_map(|(n, scale)| {
            let precise = Price::new(Decimal::new(1_234_567_890_123_456_789, scale));
            (
                OrderRequest::limit(AAPL, Side::Buy, Quantity::from(n), precise),
                "more digits than a JSON number",
            )
        }),
        (1i64..100).prop_map(|n| {
            (
                OrderRequest::market(AAPL, Side::Other("HOLD".into()), Quantity::from(n)),
                "side HOLD",
            )
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Invalid orders are refused with `InvalidArgument`, and nothing at
    /// all reaches the server (the mock's request log stays empty), on
    /// both variants, through place, what-if and modify.
    #[test]
    fn invalid_orders_never_send_a_request((order, what) in invalid_order()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            for variant in VARIANTS {
                let mock = MockIbkr::start(variant).await.unwrap();
                mock.authenticate();
                let client = Client::new(config(&mock)).unwrap();
                let orders = client.orders();
                let results = [
                    orders.place(ACCOUNT, std::slice::from_ref(&order)).await.map(drop),
                    orders.place_with_policy(ACCOUNT, std::slice::from_ref(&order), &ConfirmationPolicy::ConfirmAll).await.map(drop),
                    orders.what_if(ACCOUNT, std::slice::from_ref(&order)).await.map(drop),
                    orders.modify(ACCOUNT, "1000001", &order).await.map(drop),
                ];
                for r in results {
                    prop_assert!(matches!(r, Err(Error::InvalidArgument(_))), "{:?} {}: {:?}", variant, what, r);
                }
                prop_assert!(mock.requests().is_empty(), "{:?} {}: {:?}", variant, what, mock.requests());
            }
            Ok(())
        })?;
    }
}

/// An empty bracket, a bracket's stop on the wrong side and an empty
/// request are refused too, unsent.
#[tokio::test]
async fn empty_brackets_and_requests_are_refused_unsent() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = Client::new(config(&mock)).unwrap();
        let entry = OrderRequest::limit(AAPL, Side::Buy, Quantity::from(1), price("100"));
        assert!(matches!(
            Bracket::new(entry.clone()).orders(),
            Err(Error::InvalidArgument(_))
        ));
        let wrong = Bracket::new(entry)
            .take_profit(price("110"))
            .stop_loss(price("101"));
        assert!(matches!(
            wrong.stop_loss(price("120")).orders(),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            client.orders().place(ACCOUNT, &[]).await,
            Err(Error::InvalidArgument(_))
        ));
        assert!(mock.requests().is_empty());
    }
}
