//! IBKR's own 2xx response examples (from the upstream specs) for every
//! operation of `client.orders()` and `client.pnl()`, served as they are
//! and read through the public API on each variant that serves the
//! operation.

mod common;

use std::collections::BTreeMap;

use common::examples::{self, Example};
use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::orders::{OrderRequest, OrderState, OrderType, PlaceOutcome, Side};
use ibkr_client::{Client, Error, Variant};
use ibkr_ops::{Operation, Route};
use serde_json::Value;

/// The argument the tests give each path placeholder.
fn arg(name: &str) -> &'static str {
    match name {
        "accountId" => "U1234567",
        "orderId" => "1370093239",
        "replyId" => "99097238-9824-4830-84ef-46979aa22593",
        other => panic!("no test argument for {{{other}}}"),
    }
}

/// The route's template with its arguments filled in.
fn concrete(route: &Route) -> String {
    let mut out = route.path.to_string();
    for name in route.params() {
        out = out.replace(&format!("{{{name}}}"), arg(name));
    }
    out
}

fn variant_str(variant: Variant) -> &'static str {
    match variant {
        Variant::Web => "web",
        Variant::Gateway => "gateway",
    }
}

fn order() -> OrderRequest {
    OrderRequest::limit(265598, Side::Buy, 10.into(), "197.76".parse().unwrap())
}

/// The example's `error` text, when it is IBKR's error shape.
fn error_text(example: &Example) -> Option<String> {
    let v: Value = serde_json::from_str(&example.body).ok()?;
    v.get("error")?.as_str().map(String::from)
}

/// What an example of an order write documents, by its name in the spec.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Submitted,
    Question,
    Rejected,
}

fn expectation(example: &Example) -> Option<Expect> {
    let label = example.origin.rsplit(' ').next().unwrap_or_default();
    if label.contains("Reject") || label.contains("Error") || label.contains("NotFound") {
        Some(Expect::Rejected)
    } else if label.contains("ReplyMessage") {
        Some(Expect::Question)
    } else if label.contains("Success") {
        Some(Expect::Submitted)
    } else {
        None
    }
}

/// Checks the answer of place, modify or reply to `example`.
fn check_order_answer(example: &Example, operation: &str, result: Result<PlaceOutcome, Error>) {
    let origin = &example.origin;
    match (expectation(example), result) {
        (Some(Expect::Submitted) | None, Ok(PlaceOutcome::Submitted(acks))) => {
            assert!(!acks.is_empty(), "{origin}");
            assert!(
                acks.iter().all(|a| a.order_id.is_some()),
                "{origin}: {acks:?}"
            );
        }
        (
            Some(Expect::Question) | None,
            Ok(PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages,
                message_ids,
                ..
            }),
        ) => {
            assert!(!reply_id.is_empty(), "{origin}");
            assert!(!messages.is_empty(), "{origin}");
            assert!(!message_ids.is_empty(), "{origin}");
        }
        (
            Some(Expect::Rejected) | None,
            Err(Error::OrderRejected {
                operation: op,
                message,
            }),
        ) => {
            assert_eq!(op, operation, "{origin}");
            assert!(!message.is_empty(), "{origin}");
            if let Some(text) = error_text(example) {
                assert_eq!(message, text, "{origin}");
            }
        }
        (expect, other) => panic!("{origin}: expected {expect:?}, got {other:?}"),
    }
}

/// Calls the facade method of `op` through `c` (whose server serves
/// `example`) and checks the answer.
async fn check(c: &Client, op: &Operation, example: &Example) {
    let origin = &example.origin;
    let doc: Value = serde_json::from_str(&example.body).expect("an example is JSON");
    let orders = c.orders();
    match op.name {
        "Orders::live_orders" => {
            let r = orders.live_orders(&[]).await.unwrap();
            let documented = doc["orders"].as_array().expect("orders");
            assert_eq!(r.orders.len(), documented.len(), "{origin}");
            for (o, d) in r.orders.iter().zip(documented) {
                assert!(o.order_id.is_some(), "{origin}");
                // Both order type fields, each its own.
                assert_eq!(
                    o.order_type,
                    d["orderType"].as_str().map(OrderType::from),
                    "{origin}"
                );
                assert_eq!(
                    o.orig_order_type,
                    d["origOrderType"].as_str().map(OrderType::from),
                    "{origin}"
                );
                // Typed: a documented order type is one the facade knows.
                if let Some(OrderType::Other(t)) = &o.orig_order_type {
                    panic!("{origin}: unknown origOrderType {t}");
                }
            }
        }
        "Orders::order_status" => {
            let r = orders.order_status(arg("orderId")).await.unwrap();
            assert!(r.order_id.is_some(), "{origin}");
            assert_eq!(
                r.order_status,
                doc["order_status"].as_str().map(OrderState::from),
                "{origin}"
            );
            assert!(
                !matches!(r.order_status, Some(OrderState::Other(_))),
                "{origin}: {:?}",
                r.order_status
            );
            assert_eq!(r.conid.map(|c| c.get()), doc["conid"].as_i64(), "{origin}");
        }
        "Orders::trades" => {
            let r = orders.trades().await.unwrap();
            let documented = doc.as_array().expect("a list");
            assert_eq!(r.len(), documented.len(), "{origin}");
            for (t, d) in r.iter().zip(documented) {
                assert_eq!(
                    t.execution_id.as_deref(),
                    d["execution_id"].as_str(),
                    "{origin}"
                );
                assert!(t.price.is_some(), "{origin}");
            }
        }
        "Orders::place" => check_order_answer(
            example,
            op.name,
            orders.place(arg("accountId"), &[order()]).await,
        ),
        "Orders::modify" => check_order_answer(
            example,
            op.name,
            orders
                .modify(arg("accountId"), arg("orderId"), &order())
                .await,
        ),
        "Orders::reply" => {
            check_order_answer(example, op.name, orders.reply(arg("replyId"), true).await)
        }
        "Orders::what_if" => {
            let r = orders.what_if(arg("accountId"), &[order()]).await.unwrap();
            let amount = r.amount.expect("amount");
            assert!(amount.commission.is_some(), "{origin}");
            assert!(r.initial.is_some() && r.maintenance.is_some(), "{origin}");
        }
        "Orders::cancel" => {
            let r = orders.cancel(arg("accountId"), arg("orderId")).await;
            match (error_text(example), r) {
                (None, Ok(ack)) => {
                    assert!(ack.msg.is_some(), "{origin}");
                    assert!(ack.order_id.is_some(), "{origin}");
                }
                (Some(text), Err(Error::OrderRejected { operation, message })) => {
                    assert_eq!(operation, op.name, "{origin}");
                    assert_eq!(message, text, "{origin}");
                }
                (_, other) => panic!("{origin}: {other:?}"),
            }
        }
        "Orders::suppress_questions" => {
            let r = orders.suppress_questions(&["o354"]).await.unwrap();
            assert!(r.status.is_some(), "{origin}");
        }
        "Orders::reset_suppressed_questions" => {
            let r = orders.reset_suppressed_questions().await.unwrap();
            assert!(r.status.is_some(), "{origin}");
        }
        "Pnl::partitioned" => {
            let rows = c.pnl().partitioned().await.unwrap();
            let keys = doc["upnl"].as_object().map_or(0, |m| m.len());
            assert_eq!(rows.len(), keys, "{origin}");
            for row in &rows {
                assert!(row.key.starts_with(row.account_id.as_str()), "{origin}");
                assert!(row.net_liquidation.is_some(), "{origin}");
            }
        }
        other => panic!("{other}: add it to this test"),
    }
}

#[tokio::test]
async fn upstream_examples_decode() {
    if examples::shared_dir().is_none() {
        examples::skip_message("examples_orders");
        return;
    }
    let operations = ibkr_ops::areas::orders::ALL
        .iter()
        .chain(ibkr_ops::areas::pnl::ALL);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for op in operations {
        for variant in VARIANTS {
            let Some(route) = op.route(variant_str(variant)) else {
                continue;
            };
            let examples = examples::for_route(variant_str(variant), &route);
            let served = path(variant, &concrete(&route));
            for example in &examples {
                let server = MockServer::start_async().await;
                let m = server
                    .mock_async(|when, then| {
                        when.method(route.method.as_str()).path(&served);
                        then.status(example.status)
                            .header("content-type", "application/json")
                            .body(&example.body);
                    })
                    .await;
                check(&client(&server, variant), op, example).await;
                m.assert_calls_async(1).await;
            }
            counts.insert(
                format!(
                    "{} ({variant_str})",
                    op.name,
                    variant_str = variant_str(variant)
                ),
                examples.len(),
            );
            total += examples.len();
        }
    }
    for (op, n) in &counts {
        eprintln!("examples_orders: {op}: {n} upstream examples checked");
    }
    eprintln!("examples_orders: {total} upstream examples checked");
    assert!(
        total > 0,
        "the upstream specs have examples for these routes"
    );
}
