//! Orders on both variants: listing, placing, the confirmation policy,
//! modifying, cancelling, previews.

mod common;

use std::time::Duration;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::orders::{
    ConfirmationPolicy, OrderRequest, OrderType, PlaceOutcome, Side, TimeInForce,
};
use ibkr_client::{BearerToken, Client, Config, Error, Variant};
use serde_json::json;

fn order() -> OrderRequest {
    OrderRequest::limit(265598, Side::Buy, 10.0, 150.0)
        .client_order_id("c1")
        .tif(TimeInForce::Gtc)
}

fn question(id: &str, code: &str) -> serde_json::Value {
    json!([{"id": id, "message": [format!("question {code}")], "isSuppressed": false, "messageIds": [code]}])
}

#[test]
fn order_request_serializes_with_ibkr_names() {
    let v = serde_json::to_value(order()).unwrap();
    assert_eq!(
        v,
        json!({"conid": 265598, "side": "BUY", "orderType": "LMT", "quantity": 10.0, "price": 150.0,
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
                assert_eq!(acks[0].order_status.as_deref(), Some("Submitted"));
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
            Err(Error::Ambiguous { operation, .. }) => assert_eq!(operation, "place_order"),
            other => panic!("{variant}: expected Ambiguous, got {other:?}"),
        }
        slow.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn invalid_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let c = common::gateway(&server);
    assert!(matches!(
        c.orders().place("../x", &[order()]).await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        c.orders().place("U1", &[]).await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        c.orders().reply("a/b", true).await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        c.orders().cancel("U1", "1?x").await,
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn modify_and_cancel() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let modify = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/U1/order/1234"))
                    .json_body_includes(r#"{"price": 151.0, "orderType": "LMT"}"#);
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
        new_terms.price = Some(151.0);
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
        assert_eq!(r.conid, Some(265598));
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
        assert_eq!(
            r.amount.unwrap().commission.as_deref(),
            Some("1.00 USD"),
            "{variant}"
        );
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
        assert_eq!(r.orders[0].conid, Some(265598));
        assert_eq!(r.orders[0].price, Some(150.0));

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
        assert_eq!(r.order_status.as_deref(), Some("Filled"), "{variant}");
        if variant == Variant::Web {
            // Not in the Gateway's spec, so its typed decode drops it.
            assert_eq!(r.average_price, Some(150.01));
        }
        assert_eq!(r.filled_quantity, Some(10.0));
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
        assert_eq!(r[0].price, Some(150.01), "{variant}");
        assert_eq!(r[0].conid, Some(265598));
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
