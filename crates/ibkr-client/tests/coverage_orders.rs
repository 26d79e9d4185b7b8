//! The order writes added for coverage: the Gateway's single order and
//! its preview, an advisor's group order, and the answer to a server
//! prompt (Web API). Each is validated before sending, sent exactly once,
//! reads acknowledgements, questions and refusals, and makes any other
//! answer `Ambiguous` (with the `cOID`).

mod common;
mod coverage_support;

use common::path;
use coverage_support::{answered, client, ibkr_errors, unsupported};
use httpmock::MockServer;
use ibkr_client::areas::advisor::AllocationMethod;
use ibkr_client::areas::orders::{OrderRequest, OrderState, PlaceOutcome, Price, Quantity, Side};
use ibkr_client::areas::orders_more::PromptAnswer;
use ibkr_client::{Client, Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn order() -> OrderRequest {
    OrderRequest::limit(
        265598,
        Side::Buy,
        Quantity::from(10),
        "150.25".parse::<Price>().unwrap(),
    )
    .client_order_id("c1")
}

fn order_json() -> serde_json::Value {
    serde_json::to_value(order()).unwrap()
}

/// The Gateway's two order placements, by name.
async fn place(c: Client, which: &str, order: OrderRequest) -> ibkr_client::Result<PlaceOutcome> {
    match which {
        "single" => c.orders().place_single("U1", &order).await,
        _ => c.advisor().place_group_order("Group_1", &order, None).await,
    }
}

const PLACEMENTS: [(&str, &str, &str); 2] = [
    (
        "single",
        "Orders::place_single",
        "/iserver/account/U1/order",
    ),
    (
        "group",
        "Advisor::place_group_order",
        "/iserver/account/orders/Group_1",
    ),
];

#[tokio::test]
async fn placements_on_the_gateway() {
    let gw = Variant::Gateway;
    for (which, _, route) in PLACEMENTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST").path(path(gw, route)).json_body(order_json());
                then.status(200).json_body(json!([{"order_id": "1234", "order_status": "Submitted", "local_order_id": "c1"}]));
            })
            .await;
        match place(client(&server, gw), which, order()).await.unwrap() {
            PlaceOutcome::Submitted(acks) => {
                assert_eq!(acks[0].order_id.as_deref(), Some("1234"), "{which}");
                assert_eq!(acks[0].order_status, Some(OrderState::Submitted));
            }
            other => panic!("{which}: {other:?}"),
        }
        m.assert_async().await;
        // A question carries the order's cOID; reply answers it.
        let question = json!([{"id": "r1", "message": ["Are you sure?"], "messageIds": ["o163"]}]);
        let asked = answered(gw, 200, &question.to_string(), |c| place(c, which, order()))
            .await
            .unwrap();
        match asked {
            PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages,
                message_ids,
                client_order_ids,
            } => {
                assert_eq!(reply_id, "r1");
                assert_eq!(messages, ["Are you sure?"]);
                assert_eq!(message_ids, ["o163"]);
                assert_eq!(client_order_ids, ["c1"], "{which}");
            }
            other => panic!("{which}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_group_order_may_name_its_method_and_gets_a_coid() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(gw, "/iserver/account/orders/Tech%20Group"))
                .json_body_includes(
                    r#"{"allocationMethod": "S", "conid": 265598, "orderType": "LMT"}"#,
                )
                .body_includes("\"cOID\":\"rs-");
            then.status(200)
                .json_body(json!([{"orderId": 77, "orderStatus": "PreSubmitted"}]));
        })
        .await;
    let mut without_coid = order();
    without_coid.client_order_id = None;
    let outcome = client(&server, gw)
        .advisor()
        .place_group_order("Tech Group", &without_coid, Some(AllocationMethod::Shares))
        .await
        .unwrap();
    m.assert_async().await;
    assert!(
        matches!(outcome, PlaceOutcome::Submitted(ref acks) if acks[0].order_id.as_deref() == Some("77")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn refusals_and_unknown_outcomes() {
    let gw = Variant::Gateway;
    for (which, name, _) in PLACEMENTS {
        ibkr_errors(name, gw, |c| place(c, which, order())).await;
        let reject = r#"[{"text": "Order rejected: price too far", "messageId": "o10151"}]"#;
        let refused = answered(gw, 200, reject, |c| place(c, which, order())).await;
        assert!(
            matches!(&refused, Err(Error::OrderRejected { message, .. }) if message.contains("price too far")),
            "{which}: {refused:?}"
        );
        for body in ["", "[]", "<html>oops</html>", r#"[{"unexpected": 1}]"#] {
            let unknown = answered(gw, 200, body, |c| place(c, which, order())).await;
            assert!(
                matches!(&unknown, Err(Error::Ambiguous { operation, client_order_ids, .. })
                    if *operation == name && client_order_ids == &["c1".to_string()]),
                "{which} {body:?}: {unknown:?}"
            );
        }
        // A 503 after sending: unknown, never sent again.
        let server = MockServer::start_async().await;
        let busy = server
            .mock_async(|_, then| {
                then.status(503).body("busy");
            })
            .await;
        let err = place(client(&server, gw), which, order())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Ambiguous { ref client_order_ids, .. } if client_order_ids == &["c1".to_string()]),
            "{err:?}"
        );
        assert_eq!(busy.calls_async().await, 1, "{which}: sent exactly once");
    }
}

#[tokio::test]
async fn invalid_orders_are_not_sent() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).json_body(json!([{"order_id": "1"}]));
        })
        .await;
    let c = client(&server, gw);
    let mut no_price = order();
    no_price.price = None;
    let mut child = order();
    child.parent_id = Some("parent".into());
    for (why, bad) in [("no limit price", no_price), ("a bracket child", child)] {
        for (which, _, _) in PLACEMENTS {
            let r = place(c.clone(), which, bad.clone()).await;
            assert!(
                matches!(r, Err(Error::InvalidArgument(_))),
                "{which}, {why}: {r:?}"
            );
        }
        let r = c.orders().what_if_single("U1", &bad).await;
        assert!(
            matches!(r, Err(Error::InvalidArgument(_))),
            "what-if, {why}: {r:?}"
        );
    }
    for account in ["", "..", "U1/../x", "U 1"] {
        let r = c.orders().place_single(account, &order()).await;
        assert!(
            matches!(r, Err(Error::InvalidArgument(_))),
            "{account:?}: {r:?}"
        );
    }
    let r = c.advisor().place_group_order(" ", &order(), None).await;
    assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn single_what_if_on_the_gateway() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let mut expected = order_json();
    expected.as_object_mut().unwrap().remove("cOID");
    let m = server
        .mock_async(|when, then| {
            when.method("POST").path(path(gw, "/iserver/account/U1/order/whatif")).json_body(expected);
            then.status(200).json_body(json!({
                "amount": {"amount": "1,502.50 USD", "commission": "1 USD", "total": "1,503.50 USD"},
                "equity": {"current": "100,000", "change": "-1", "after": "99,999"},
                "initial": {"current": "0", "change": "300", "after": "300"},
                "maintenance": {"current": "0", "change": "300", "after": "300"},
                "warn": "", "error": null
            }));
        })
        .await;
    let w = client(&server, gw)
        .orders()
        .what_if_single("U1", &order())
        .await
        .unwrap();
    m.assert_async().await;
    let amount = w.amount.unwrap();
    assert_eq!(amount.total, Some("1503.50".parse::<Decimal>().unwrap()));
    assert_eq!(amount.currency.as_deref(), Some("USD"));
    assert_eq!(w.initial.unwrap().after, Some(Decimal::from(300)));
    ibkr_errors("Orders::what_if_single", gw, |c| async move {
        c.orders().what_if_single("U1", &order()).await
    })
    .await;
}

#[tokio::test]
async fn answering_a_prompt_on_the_web_api() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/notification"))
                .json_body(json!({"orderId": 987654321, "reqId": "12345", "text": "Yes"}));
            then.status(200).json_body(json!("Request was submitted"));
        })
        .await;
    let answer = PromptAnswer::new(987654321, "12345", "Yes");
    let status = client(&server, web)
        .orders()
        .answer_prompt(&answer)
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(status, "Request was submitted");
    ibkr_errors("Orders::answer_prompt", web, |c| async move {
        c.orders()
            .answer_prompt(&PromptAnswer::new(1, "2", "Yes"))
            .await
    })
    .await;
    for body in ["", "{}", "[1]", r#""""#, "plain text"] {
        let unknown = answered(web, 200, body, |c| async move {
            c.orders()
                .answer_prompt(&PromptAnswer::new(1, "2", "Yes"))
                .await
        })
        .await;
        assert!(
            matches!(unknown, Err(Error::Ambiguous { .. })),
            "{body:?}: {unknown:?}"
        );
    }
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).json_body(json!("ok"));
        })
        .await;
    let c = client(&server, web);
    for bad in [
        PromptAnswer::new(0, "2", "Yes"),
        PromptAnswer::new(1, " ", "Yes"),
        PromptAnswer::new(1, "2", ""),
    ] {
        assert!(
            matches!(
                c.orders().answer_prompt(&bad).await,
                Err(Error::InvalidArgument(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn each_is_unsupported_on_the_other_variant() {
    let web = Variant::Web;
    unsupported("Orders::place_single", web, |c| async move {
        c.orders().place_single("U1", &order()).await
    })
    .await;
    unsupported("Orders::what_if_single", web, |c| async move {
        c.orders().what_if_single("U1", &order()).await
    })
    .await;
    unsupported("Advisor::place_group_order", web, |c| async move {
        c.advisor().place_group_order("G", &order(), None).await
    })
    .await;
    unsupported("Orders::answer_prompt", Variant::Gateway, |c| async move {
        c.orders()
            .answer_prompt(&PromptAnswer::new(1, "2", "Yes"))
            .await
    })
    .await;
}
