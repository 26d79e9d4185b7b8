//! Orders on both variants: listing, placing, the confirmation policy,
//! modifying, cancelling, previews.

mod common;

use std::time::Duration;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::orders::{
    ConfirmationPolicy, OrderRequest, OrderState, OrderType, PlaceOutcome, Price, Quantity, Side,
    TimeInForce,
};
use ibkr_client::{BearerToken, Client, Config, Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn order() -> OrderRequest {
    OrderRequest::limit(265598, Side::Buy, Quantity::from(10), price("150.25"))
        .client_order_id("c1")
        .tif(TimeInForce::Gtc)
}

fn price(s: &str) -> Price {
    s.parse().unwrap()
}

fn dec(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

fn question(id: &str, code: &str) -> serde_json::Value {
    json!([{"id": id, "message": [format!("question {code}")], "isSuppressed": false, "messageIds": [code]}])
}

#[test]
fn order_request_serializes_with_ibkr_names() {
    let v = serde_json::to_value(order()).unwrap();
    assert_eq!(
        v,
        json!({"conid": 265598, "side": "BUY", "orderType": "LMT", "quantity": 10, "price": 150.25,
               "tif": "GTC", "cOID": "c1"})
    );
    assert_eq!(OrderType::from("STP"), OrderType::Stop);
    assert_eq!(OrderType::from("REL").as_str(), "REL");
}

#[tokio::test]
async fn place_submitted() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"))
                    .json_body(json!({"orders": [serde_json::to_value(order()).unwrap()]}));
                then.status(200)
                    .json_body(json!([{"order_id": "1234", "order_status": "Submitted", "encrypt_message": "1"}]));
            })
            .await;
        let r = client(&server, variant)
            .orders()
            .place("U1", &[order()])
            .await
            .unwrap();
        m.assert_async().await;
        match r {
            PlaceOutcome::Submitted(acks) => {
                assert_eq!(acks[0].order_id.as_deref(), Some("1234"), "{variant}");
                assert_eq!(acks[0].order_status, Some(OrderState::Submitted));
            }
            other => panic!("{variant}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn manual_policy_returns_the_question() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200).json_body(question("r1", "o163"));
            })
            .await;
        let reply = server
            .mock_async(|when, then| {
                when.path_prefix(path(variant, "/iserver/reply"));
                then.status(500);
            })
            .await;
        let r = client(&server, variant)
            .orders()
            .place_with_policy("U1", &[order()], &ConfirmationPolicy::Manual)
            .await
            .unwrap();
        assert_eq!(
            r,
            PlaceOutcome::NeedsConfirmation {
                reply_id: "r1".into(),
                messages: vec!["question o163".into()],
                message_ids: vec!["o163".into()],
                client_order_ids: vec!["c1".into()],
            },
            "{variant}"
        );
        reply.assert_calls_async(0).await;
    }
}

#[tokio::test]
async fn allowed_question_is_confirmed() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200).json_body(question("r1", "o163"));
            })
            .await;
        let reply = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/reply/r1"))
                    .json_body(json!({"confirmed": true}));
                then.status(200)
                    .json_body(json!([{"order_id": "99", "order_status": "PreSubmitted"}]));
            })
            .await;
        let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into()]);
        let r = client(&server, variant)
            .orders()
            .place_with_policy("U1", &[order()], &policy)
            .await
            .unwrap();
        reply.assert_calls_async(1).await;
        match r {
            PlaceOutcome::Submitted(acks) => {
                assert_eq!(acks[0].order_id.as_deref(), Some("99"), "{variant}")
            }
            other => panic!("{variant}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn question_outside_the_policy_is_returned_unanswered() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200).json_body(question("r1", "o354"));
            })
            .await;
        let reply = server
            .mock_async(|when, then| {
                when.path_prefix(path(variant, "/iserver/reply"));
                then.status(200).json_body(json!([{"order_id": "99"}]));
            })
            .await;
        let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into()]);
        let r = client(&server, variant)
            .orders()
            .place_with_policy("U1", &[order()], &policy)
            .await
            .unwrap();
        reply.assert_calls_async(0).await;
        assert!(
            matches!(r, PlaceOutcome::NeedsConfirmation { ref reply_id, .. } if reply_id == "r1"),
            "{variant}"
        );
    }
}

#[tokio::test]
async fn chain_of_two_questions() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200).json_body(question("r1", "o163"));
            })
            .await;
        let first = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/reply/r1"))
                    .json_body(json!({"confirmed": true}));
                then.status(200).json_body(question("r2", "o354"));
            })
            .await;
        let second = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/reply/r2"))
                    .json_body(json!({"confirmed": true}));
                then.status(200)
                    .json_body(json!([{"order_id": "77", "order_status": "Submitted"}]));
            })
            .await;
        // ConfirmAll answers both.
        let r = client(&server, variant)
            .orders()
            .place_with_policy("U1", &[order()], &ConfirmationPolicy::ConfirmAll)
            .await
            .unwrap();
        first.assert_calls_async(1).await;
        second.assert_calls_async(1).await;
        assert!(
            matches!(r, PlaceOutcome::Submitted(ref a) if a[0].order_id.as_deref() == Some("77")),
            "{variant}"
        );

        // A policy allowing only the first stops at the second.
        let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into()]);
        let r = client(&server, variant)
            .orders()
            .place_with_policy("U1", &[order()], &policy)
            .await
            .unwrap();
        first.assert_calls_async(2).await;
        second.assert_calls_async(1).await;
        assert!(
            matches!(r, PlaceOutcome::NeedsConfirmation { ref reply_id, .. } if reply_id == "r2"),
            "{variant}"
        );
    }
}

#[tokio::test]
async fn reply_can_decline() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/reply/r1"))
                    .json_body(json!({"confirmed": false}));
                then.status(200)
                    .json_body(json!({"error": "order cancelled by user"}));
            })
            .await;
        match client(&server, variant).orders().reply("r1", false).await {
            Err(Error::OrderRejected { message, .. }) => {
                assert_eq!(message, "order cancelled by user")
            }
            other => panic!("{variant}: {other:?}"),
        }
        m.assert_async().await;
    }
}

#[tokio::test]
async fn rejected_order_and_no_retry_on_timeout() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200)
                    .json_body(json!({"error": "Order price exceeds the limit"}));
            })
            .await;
        assert!(matches!(
            client(&server, variant)
                .orders()
                .place("U1", &[order()])
                .await,
            Err(Error::OrderRejected { .. })
        ));

        let server = MockServer::start_async().await;
        let slow = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders"));
                then.status(200)
                    .delay(Duration::from_millis(500))
                    .json_body(json!([{"order_id": "1"}]));
            })
            .await;
        let config = match variant {
            Variant::Web => Config::web(BearerToken::new("t")).base_url(server.base_url()),
            Variant::Gateway => Config::gateway().base_url(server.url("/v1/api")),
        };
        let c = Client::new(config.timeout(Duration::from_millis(100))).unwrap();
        match c.orders().place("U1", &[order()]).await {
            Err(Error::Ambiguous { operation, .. }) => assert_eq!(operation, "Orders::place"),
            other => panic!("{variant}: expected Ambiguous, got {other:?}"),
        }
        slow.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn invalid_ids_are_refused_before_sending() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.path_prefix("/");
                then.status(200).json_body(json!([{"order_id": "1"}]));
            })
            .await;
        let c = client(&server, variant);
        let o = c.orders();
        let results = [
            o.place("../x", &[order()]).await.map(drop),
            o.place("U1", &[]).await.map(drop),
            o.place("U 1", &[order()]).await.map(drop),
            o.reply("a/b", true).await.map(drop),
            o.reply("..", true).await.map(drop),
            o.cancel("U1", "1?x").await.map(drop),
            o.cancel("", "1").await.map(drop),
            o.modify("U1", "1%2F", &order()).await.map(drop),
            o.what_if("U1#", &[order()]).await.map(drop),
            o.order_status("1/2").await.map(drop),
        ];
        for (i, result) in results.into_iter().enumerate() {
            assert!(
                matches!(result, Err(Error::InvalidArgument(_))),
                "{variant} #{i}: {result:?}"
            );
        }
        any.assert_calls_async(0).await;
    }
}

#[tokio::test]
async fn modify_and_cancel() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let modify = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/order/1234"))
                    .json_body_includes(r#"{"price": 151.5, "orderType": "LMT"}"#);
                then.status(200).json_body(question("r9", "o163"));
            })
            .await;
        let reply = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/reply/r9"))
                    .json_body(json!({"confirmed": true}));
                then.status(200)
                    .json_body(json!([{"order_id": "1234", "order_status": "Submitted"}]));
            })
            .await;
        let mut new_terms = order();
        new_terms.price = Some(price("151.5"));
        let r = client(&server, variant)
            .orders()
            .modify_with_policy("U1", "1234", &new_terms, &ConfirmationPolicy::ConfirmAll)
            .await
            .unwrap();
        modify.assert_async().await;
        reply.assert_async().await;
        assert!(matches!(r, PlaceOutcome::Submitted(_)), "{variant}");

        let cancel = server
            .mock_async(|when, then| {
                when.method("DELETE").path(path(variant, "/iserver/account/U1/order/1234"));
                then.status(200).json_body(json!({"msg": "Request was submitted", "order_id": 1234, "conid": "265598", "account": "U1"}));
            })
            .await;
        let r = client(&server, variant)
            .orders()
            .cancel("U1", "1234")
            .await
            .unwrap();
        cancel.assert_async().await;
        assert_eq!(r.order_id.as_deref(), Some("1234"), "{variant}");
        assert_eq!(r.conid, Some(Conid(265598)));
    }
}

#[tokio::test]
async fn what_if_preview() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/orders/whatif"))
                    .json_body_includes(r#"{"orders": [{"conid": 265598}]}"#);
                then.status(200).json_body(json!({
                    "amount": {"amount": "1,500.00 USD", "commission": "1.00 USD", "total": "1,501.00 USD"},
                    "equity": {"current": "10,000", "change": "-1", "after": "9,999"},
                    "initial": {"current": "0", "change": "375", "after": "375"},
                    "maintenance": {"current": "0", "change": "375", "after": "375"},
                    "warn": "", "error": null
                }));
            })
            .await;
        let r = client(&server, variant)
            .orders()
            .what_if("U1", &[order()])
            .await
            .unwrap();
        m.assert_async().await;
        let amount = r.amount.unwrap();
        assert_eq!(amount.commission, dec("1.00"), "{variant}");
        assert_eq!(amount.amount, dec("1500"), "{variant}");
        assert_eq!(amount.currency.as_deref(), Some("USD"), "{variant}");
        assert_eq!(r.warn, None);
    }
}

#[tokio::test]
async fn live_orders_status_and_trades() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/account/orders")).query_param("filters", "Submitted");
                then.status(200).json_body(json!({"orders": [{
                    "acct": "U1", "orderId": 1234, "conid": "265598", "ticker": "AAPL", "side": "BUY",
                    "orderType": "Limit", "status": "Submitted", "price": "150", "totalSize": 10.0,
                    "filledQuantity": "0", "remainingQuantity": 10, "order_ref": "c1"
                }], "snapshot": true}));
            })
            .await;
        let r = client(&server, variant)
            .orders()
            .live_orders(&["Submitted"])
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.snapshot, Some(true), "{variant}");
        assert_eq!(r.orders[0].order_id.as_deref(), Some("1234"));
        assert_eq!(r.orders[0].conid, Some(Conid(265598)));
        assert_eq!(r.orders[0].price, dec("150"));

        let s2 = MockServer::start_async().await;
        let all = s2
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/orders"));
                then.status(200)
                    .json_body(json!({"orders": [], "snapshot": false}));
            })
            .await;
        let r = client(&s2, variant)
            .orders()
            .live_orders(&[])
            .await
            .unwrap();
        all.assert_async().await;
        assert!(r.orders.is_empty());

        let s3 = MockServer::start_async().await;
        s3.mock_async(|when, then| {
            when.method("GET").path(path(variant, "/iserver/account/order/status/1234"));
            then.status(200).json_body(json!({
                "order_id": 1234, "order_status": "Filled", "conid": 265598, "symbol": "AAPL", "side": "B",
                "size": "10.0", "cum_fill": "10.0", "total_size": "10.0", "average_price": "150.01",
                "order_not_editable": true, "cannot_cancel_order": true, "account": "U1"
            }));
        })
        .await;
        let r = client(&s3, variant)
            .orders()
            .order_status("1234")
            .await
            .unwrap();
        assert_eq!(r.order_status, Some(OrderState::Filled), "{variant}");
        assert_eq!(r.average_price, dec("150.01"), "{variant}");
        assert_eq!(r.filled_quantity, dec("10"));
        assert_eq!(r.side, Some(Side::Buy));
        assert_eq!(r.cannot_cancel, Some(true));

        let s4 = MockServer::start_async().await;
        s4.mock_async(|when, then| {
            when.method("GET").path(path(variant, "/iserver/account/trades"));
            then.status(200).json_body(json!([{
                "execution_id": "0000e0d5.1", "symbol": "AAPL", "side": "B", "size": "10", "price": "150.01",
                "commission": "1.0", "trade_time_r": 1700000000000i64, "conid": "265598", "account": "U1"
            }]));
        })
        .await;
        let r = client(&s4, variant).orders().trades().await.unwrap();
        assert_eq!(r[0].price, dec("150.01"), "{variant}");
        assert_eq!(r[0].commission, dec("1.0"), "{variant}");
        assert_eq!(r[0].conid, Some(Conid(265598)));
    }
}

#[tokio::test]
async fn suppress_questions_on_web() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/api/iserver/questions/suppress")
                .json_body(json!({"messageIds": ["o163", "o354"]}));
            then.status(200).json_body(json!({"status": "submitted"}));
        })
        .await;
    let r = common::web(&server)
        .orders()
        .suppress_questions(&["o163", "o354"])
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(r.status.as_deref(), Some("submitted"));
    let reset = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/api/iserver/questions/suppress/reset");
            then.status(200).json_body(json!({"status": "submitted"}));
        })
        .await;
    common::web(&server)
        .orders()
        .reset_suppressed_questions()
        .await
        .unwrap();
    reset.assert_async().await;
}

/// A mock server answering one route of a variant with a canned answer.
struct Canned {
    server: MockServer,
    mock: usize,
    variant: Variant,
}

impl Canned {
    async fn start(
        variant: Variant,
        method: &str,
        route: &str,
        status: u16,
        body: impl std::fmt::Display,
    ) -> Canned {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(method).path(path(variant, route));
                then.status(status)
                    .header("content-type", "application/json")
                    .body(body.to_string());
            })
            .await
            .id();
        Canned {
            server,
            mock,
            variant,
        }
    }

    fn client(&self) -> Client {
        client(&self.server, self.variant)
    }

    /// How many requests reached the route.
    async fn calls(&self) -> usize {
        httpmock::Mock::new(self.mock, &self.server)
            .calls_async()
            .await
    }
}

/// IBKR's live orders list as the Web API and the Gateway send it: each
/// order carries both `orderType` and `origOrderType`.
#[tokio::test]
async fn live_orders_with_both_order_type_fields() {
    for variant in VARIANTS {
        let body = json!({"orders": [
            {"acct": "U1234567", "conidex": "265598", "conid": 265598, "account": "U1234567",
             "orderId": 1370093240, "cashCcy": "USD", "sizeAndFills": "0/10",
             "orderDesc": "Buy 10 Limit 150.00, GTC", "description1": "AAPL", "ticker": "AAPL",
             "secType": "STK", "listingExchange": "NASDAQ.NMS", "remainingQuantity": 10.0,
             "filledQuantity": 0.0, "totalSize": 10.0, "companyName": "APPLE INC",
             "status": "Submitted", "order_ccp_status": "Submitted", "origOrderType": "LIMIT",
             "supportsTaxOpt": "1", "lastExecutionTime": "240425160326", "orderType": "Limit",
             "bgColor": "#FFFFFF", "fgColor": "#000000", "order_ref": "c1", "isEventTrading": "0",
             "price": "150.00", "timeInForce": "GTC", "lastExecutionTime_r": 1714061006000i64,
             "side": "BUY"},
            {"acct": "U1234567", "conid": 8314, "orderId": 1370093241, "ticker": "IBM",
             "status": "PreSubmitted", "origOrderType": "STOP", "orderType": "Stop",
             "side": "SELL", "totalSize": "5", "timeInForce": "DAY"}
        ], "snapshot": true});
        let canned = Canned::start(variant, "GET", "/iserver/account/orders", 200, body).await;
        let r = canned.client().orders().live_orders(&[]).await.unwrap();
        assert_eq!(canned.calls().await, 1, "{variant}");
        assert_eq!(r.orders.len(), 2, "{variant}");
        assert_eq!(r.orders[0].order_type, Some(OrderType::Limit));
        assert_eq!(r.orders[0].orig_order_type, Some(OrderType::Limit));
        assert_eq!(r.orders[0].order_id.as_deref(), Some("1370093240"));
        assert_eq!(r.orders[0].price, dec("150.00"));
        assert_eq!(r.orders[0].order_ref.as_deref(), Some("c1"));
        assert_eq!(r.orders[0].account.as_deref(), Some("U1234567"));
        assert_eq!(r.orders[0].status, Some(OrderState::Submitted));
        assert_eq!(r.orders[0].side, Some(Side::Buy));
        assert_eq!(r.orders[1].order_type, Some(OrderType::Stop));
        assert_eq!(r.orders[1].orig_order_type, Some(OrderType::Stop));
        assert_eq!(r.orders[1].total_size, dec("5"));
        assert_eq!(r.orders[1].status, Some(OrderState::PreSubmitted));
    }
}

/// One order write of the facade, for the tests below.
struct Write {
    name: &'static str,
    method: &'static str,
    path: &'static str,
}

const WRITES: [Write; 4] = [
    Write {
        name: "Orders::place",
        method: "POST",
        path: "/iserver/account/U1/orders",
    },
    Write {
        name: "Orders::modify",
        method: "POST",
        path: "/iserver/account/U1/order/1234",
    },
    Write {
        name: "Orders::reply",
        method: "POST",
        path: "/iserver/reply/r1",
    },
    Write {
        name: "Orders::cancel",
        method: "DELETE",
        path: "/iserver/account/U1/order/1234",
    },
];

/// Sends `write` through the public API; its error, if any.
async fn send(c: &Client, write: &Write) -> Result<(), Error> {
    let orders = c.orders();
    match write.name {
        "Orders::place" => orders.place("U1", &[order()]).await.map(drop),
        "Orders::modify" => orders.modify("U1", "1234", &order()).await.map(drop),
        "Orders::reply" => orders.reply("r1", true).await.map(drop),
        "Orders::cancel" => orders.cancel("U1", "1234").await.map(drop),
        other => unreachable!("{other}"),
    }
}

/// Place, modify, reply and cancel, on both variants: an empty or
/// unreadable 200 leaves the outcome unknown (`Ambiguous`), IBKR's
/// `{"error": …}` is a definite `OrderRejected`; each request reaches the
/// server exactly once.
#[tokio::test]
async fn order_writes_classify_their_answers_and_are_sent_once() {
    let answers: [(&str, &str, bool); 7] = [
        ("an empty 200", "", true),
        ("a blank 200", "  \n", true),
        ("an undecodable 200", "<html>upstream</html>", true),
        ("a truncated 200", r#"[{"order_id": "12"#, true),
        ("an empty list", "[]", true),
        ("an element of unknown shape", "[{}]", true),
        (
            "an error answer",
            r#"{"error": "Order not confirmed "}"#,
            false,
        ),
    ];
    for variant in VARIANTS {
        for write in &WRITES {
            for (what, body, ambiguous) in answers {
                let canned = Canned::start(variant, write.method, write.path, 200, body).await;
                let result = send(&canned.client(), write).await;
                let label = format!("{variant} {} after {what}", write.name);
                match (&result, ambiguous) {
                    (Err(Error::Ambiguous { operation, .. }), true) => {
                        assert_eq!(*operation, write.name, "{label}")
                    }
                    (Err(Error::OrderRejected { operation, message }), false) => {
                        assert_eq!(*operation, write.name, "{label}");
                        assert_eq!(message, "Order not confirmed ", "{label}");
                    }
                    _ => panic!("{label}: unexpected {result:?}"),
                }
                assert_eq!(canned.calls().await, 1, "{label}");
            }
        }
    }
}

/// IBKR's advanced order reject (a prompt instead of an order id) is a
/// definite refusal.
#[tokio::test]
async fn advanced_order_rejects_are_rejections() {
    let reject = json!({
        "orderId": 123456789, "reqId": "22170", "dismissable": [],
        "text": "Use the Price Management Algo?",
        "options": ["Use on this order", "Always use", "Do not use"],
        "type": "M", "messageId": "p12", "prompt": true
    });
    for variant in VARIANTS {
        for write in WRITES.iter().filter(|w| w.method == "POST") {
            let canned = Canned::start(variant, write.method, write.path, 200, &reject).await;
            match send(&canned.client(), write).await {
                Err(Error::OrderRejected { operation, message }) => {
                    assert_eq!(operation, write.name);
                    assert_eq!(message, "Use the Price Management Algo?");
                }
                other => panic!("{variant} {}: {other:?}", write.name),
            }
            assert_eq!(canned.calls().await, 1, "{variant} {}", write.name);
        }
    }
}

#[tokio::test]
async fn cancel_keeps_the_message_and_refusals_are_rejections() {
    let route = "/iserver/account/U1/order/1234";
    for variant in VARIANTS {
        let ack = json!([{"msg": "Request was submitted", "order_id": "1234",
            "order_status": "PreSubmitted", "encrypt_message": "1"}]);
        let canned = Canned::start(variant, "DELETE", route, 200, ack).await;
        let ack = canned.client().orders().cancel("U1", "1234").await.unwrap();
        assert_eq!(
            ack.msg.as_deref(),
            Some("Request was submitted"),
            "{variant}"
        );
        assert_eq!(ack.order_id.as_deref(), Some("1234"));

        let refusal = json!({"error": "OrderID 1234 doesn't exist"});
        let canned = Canned::start(variant, "DELETE", route, 200, refusal).await;
        match canned.client().orders().cancel("U1", "1234").await {
            Err(Error::OrderRejected { operation, message }) => {
                assert_eq!(operation, "Orders::cancel");
                assert_eq!(message, "OrderID 1234 doesn't exist");
            }
            other => panic!("{variant}: {other:?}"),
        }
        assert_eq!(canned.calls().await, 1, "{variant}");
    }
}

/// A what-if is a write, not an order: an error answer is IBKR's error, a
/// 503 is not retried.
#[tokio::test]
async fn what_if_errors() {
    let route = "/iserver/account/U1/orders/whatif";
    for variant in VARIANTS {
        let error = json!({"error": "Invalid account"});
        let canned = Canned::start(variant, "POST", route, 200, error).await;
        match canned.client().orders().what_if("U1", &[order()]).await {
            Err(Error::Api {
                operation, message, ..
            }) => {
                assert_eq!(operation, "Orders::what_if");
                assert_eq!(message, "Invalid account");
            }
            other => panic!("{variant}: {other:?}"),
        }
        let canned = Canned::start(variant, "POST", route, 503, "busy").await;
        let result = canned.client().orders().what_if("U1", &[order()]).await;
        assert!(
            matches!(result, Err(Error::Http { status: 503, .. })),
            "{variant}: {result:?}"
        );
        assert_eq!(canned.calls().await, 1, "{variant}");
    }
}

#[tokio::test]
async fn read_errors_name_the_operation() {
    for variant in VARIANTS {
        let error = json!({"error": "order 9 not found"});
        let status = Canned::start(
            variant,
            "GET",
            "/iserver/account/order/status/9",
            200,
            error,
        );
        match status.await.client().orders().order_status("9").await {
            Err(Error::Api { operation, .. }) => assert_eq!(operation, "Orders::order_status"),
            other => panic!("{variant}: {other:?}"),
        }
        let trades = Canned::start(variant, "GET", "/iserver/account/trades", 200, "<html>");
        match trades.await.client().orders().trades().await {
            Err(Error::Decode { operation, .. }) => assert_eq!(operation, "Orders::trades"),
            other => panic!("{variant}: {other:?}"),
        }
        let live = Canned::start(variant, "GET", "/iserver/account/orders", 500, "internal").await;
        match live.client().orders().live_orders(&[]).await {
            Err(Error::Http {
                operation,
                status: 500,
                ..
            }) => assert_eq!(operation, "Orders::live_orders"),
            other => panic!("{variant}: {other:?}"),
        }
        assert!(matches!(
            live.client().orders().live_orders(&["Submitted&x=1"]).await,
            Err(Error::InvalidArgument(_))
        ));
    }
}

#[tokio::test]
async fn question_suppression_is_web_only() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/api/iserver/questions");
            then.status(200).json_body(json!({"status": "submitted"}));
        })
        .await;
    let c = common::gateway(&server);
    for result in [
        c.orders().suppress_questions(&["o163"]).await,
        c.orders().reset_suppressed_questions().await,
    ] {
        match result {
            Err(Error::Unsupported { operation, variant }) => {
                assert!(operation.starts_with("Orders::"), "{operation}");
                assert_eq!(variant, Variant::Gateway);
            }
            other => panic!("{other:?}"),
        }
    }
    any.assert_calls_async(0).await;

    // An error answer on the Web API.
    let error = json!({"error": "bad message id"});
    let canned = Canned::start(
        Variant::Web,
        "POST",
        "/iserver/questions/suppress",
        400,
        error,
    );
    assert!(matches!(
        canned
            .await
            .client()
            .orders()
            .suppress_questions(&["zz"])
            .await,
        Err(Error::Http { status: 400, .. })
    ));
}

/// The README's bracket example is the orders module's doctest (which
/// compiles with the crate's doctests): the two stay the same.
#[test]
fn readme_bracket_example_is_the_module_doctest() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/../../README.md")).unwrap();
    let section = &readme[readme.find("## Orders").expect("an Orders section")..];
    let start = section.find("```rust,no_run\n").unwrap() + "```rust,no_run\n".len();
    let in_readme = &section[start..start + section[start..].find("```").unwrap()];
    let module = std::fs::read_to_string(format!("{root}/src/areas/orders.rs")).unwrap();
    let doc: String = module
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let section = &doc[doc.find("# A bracket, end to end").unwrap()..];
    let start = section.find("```no_run\n").unwrap() + "```no_run\n".len();
    let in_docs = &section[start..start + section[start..].find("```").unwrap()];
    assert_eq!(
        in_readme, in_docs,
        "README's example differs from src/areas/orders.rs's doctest"
    );
}
