//! IBKR's answers to order writes: acknowledgements, questions and
//! refusals, read and classified (see "How order answers are read" in the
//! module docs).

pub use ibkr_model::areas::orders::answer::*;

use ibkr_ops::Class;
use serde::Deserialize;

use crate::decode;
use crate::error::{Error, Result};
use crate::lenient;

#[cfg(doc)]
use super::Orders;

/// IBKR's `{"error": …}` answer to an order write is a refusal.
fn refused(error: Error) -> Error {
    match error {
        Error::Api {
            operation, message, ..
        } => Error::OrderRejected { operation, message },
        other => other,
    }
}

/// Reads IBKR's answer to place, modify or reply (see the module docs).
pub(super) fn read_order_answer(operation: &'static str, body: &[u8]) -> Result<PlaceOutcome> {
    let unclear = |why: &str| decode::failure(operation, Class::Order, why.to_string(), body);
    let items: Vec<AnswerItem> = decode::list(operation, Class::Order, body).map_err(refused)?;
    let kinds = items
        .iter()
        .map(AnswerItem::kind)
        .collect::<Option<Vec<Kind>>>()
        .ok_or_else(|| {
            unclear("an answer element that is not an acknowledgement, a question or a rejection")
        })?;
    let Some(&kind) = kinds.first() else {
        return Err(unclear("an empty answer"));
    };
    if kinds.iter().any(|k| *k != kind) {
        return Err(unclear(
            "an answer mixing acknowledgements, questions and rejections",
        ));
    }
    match kind {
        Kind::Refusal => {
            let reasons: Vec<String> = items.iter().filter_map(AnswerItem::reason).collect();
            Err(Error::OrderRejected {
                operation,
                message: if reasons.is_empty() {
                    String::from_utf8_lossy(body).into_owned()
                } else {
                    reasons.join("; ")
                },
            })
        }
        Kind::Question => {
            let question = items.into_iter().next().expect("a first element");
            let Some(reply_id) = question.id else {
                return Err(unclear("a question without a reply id"));
            };
            Ok(PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages: question.message.unwrap_or_default(),
                message_ids: question.message_ids,
                client_order_ids: Vec::new(),
            })
        }
        Kind::Ack => {
            let acks: Vec<OrderAck> = items.into_iter().map(AnswerItem::into_ack).collect();
            if acks.iter().any(|a| a.order_id.is_none()) {
                return Err(unclear("an acknowledgement without an order id"));
            }
            Ok(PlaceOutcome::Submitted(acks))
        }
    }
}

/// IBKR's answer to a cancel: an acknowledgement, or an error.
#[derive(Deserialize)]
struct CancelAnswer {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    error: Option<String>,
    #[serde(flatten)]
    ack: CancelAck,
}

/// Reads IBKR's answer to a cancel: `{"error": …}` is a refusal; an answer
/// with neither a message nor an order id, or with an error beside them,
/// leaves the outcome unknown.
pub(super) fn read_cancel_answer(operation: &'static str, body: &[u8]) -> Result<CancelAck> {
    let answer: CancelAnswer = decode::object(operation, Class::Order, body).map_err(refused)?;
    let acknowledged = answer.ack.msg.is_some() || answer.ack.order_id.is_some();
    match answer.error {
        Some(message) if !acknowledged => Err(Error::OrderRejected { operation, message }),
        Some(_) => Err(decode::failure(
            operation,
            Class::Order,
            "an error beside an acknowledgement".into(),
            body,
        )),
        None if !acknowledged => Err(decode::failure(
            operation,
            Class::Order,
            "an answer with neither a message nor an order id".into(),
            body,
        )),
        None => Ok(answer.ack),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::areas::orders::OrderState;

    fn read(body: &str) -> Result<PlaceOutcome> {
        read_order_answer("Orders::place", body.as_bytes())
    }

    fn ambiguous(body: &str) {
        match read(body) {
            Err(Error::Ambiguous { operation, .. }) => assert_eq!(operation, "Orders::place"),
            other => panic!("{body}: expected Ambiguous, got {other:?}"),
        }
    }

    fn rejected(body: &str) -> String {
        match read(body) {
            Err(Error::OrderRejected { message, .. }) => message,
            other => panic!("{body}: expected OrderRejected, got {other:?}"),
        }
    }

    #[test]
    fn acknowledgements() {
        let r = read(r#"[{"order_id":"1","order_status":"PreSubmitted","encrypt_message":"1"},{"order_id":2,"local_order_id":"c2"}]"#)
            .unwrap();
        let PlaceOutcome::Submitted(acks) = r else {
            panic!("{r:?}")
        };
        assert_eq!(acks.len(), 2);
        assert_eq!(acks[0].order_status, Some(OrderState::PreSubmitted));
        assert_eq!(acks[1].order_id.as_deref(), Some("2"));
        assert_eq!(acks[1].local_order_id.as_deref(), Some("c2"));
        // The camel-case spellings, and both at once.
        let r = read(r#"{"orderId":5,"orderStatus":"Submitted"}"#).unwrap();
        assert!(
            matches!(r, PlaceOutcome::Submitted(ref a) if a[0].order_id.as_deref() == Some("5"))
        );
        let r = read(r#"[{"order_id":"5","orderId":5,"order_status":"Submitted"}]"#).unwrap();
        assert!(
            matches!(r, PlaceOutcome::Submitted(ref a) if a[0].order_id.as_deref() == Some("5"))
        );
    }

    #[test]
    fn order_acks_read_both_spellings_and_round_trip() {
        let ack: OrderAck =
            serde_json::from_str(r#"{"order_id":"1","orderId":1,"orderStatus":"Submitted"}"#)
                .unwrap();
        assert_eq!(ack.order_id.as_deref(), Some("1"));
        assert_eq!(ack.order_status, Some(OrderState::Submitted));
        let back: OrderAck = serde_json::from_value(serde_json::to_value(&ack).unwrap()).unwrap();
        assert_eq!(back, ack);
    }

    #[test]
    fn questions() {
        let r =
            read(r#"[{"id":7,"message":"Are you sure, really?","messageIds":"o1,o2"}]"#).unwrap();
        assert_eq!(
            r,
            PlaceOutcome::NeedsConfirmation {
                reply_id: "7".into(),
                messages: vec!["Are you sure, really?".into()],
                message_ids: vec!["o1".into(), "o2".into()],
                client_order_ids: vec![],
            }
        );
        ambiguous(r#"[{"id":null,"message":["sure?"]}]"#);
        ambiguous(r#"[{"message":["sure?"],"messageIds":["o1"]}]"#);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            rejected(r#"{"error":"Order not confirmed "}"#),
            "Order not confirmed "
        );
        assert_eq!(
            rejected(r#"[{"error":"a","x":1},{"error":"b","x":2}]"#),
            "a; b"
        );
        assert_eq!(
            rejected(
                r#"{"orderId":1,"reqId":"2","text":"Use the algo?","messageId":"p12","prompt":true}"#
            ),
            "Use the algo?"
        );
        assert_eq!(rejected(r#"{"messageId":"p12"}"#), "p12");
    }

    #[test]
    fn anything_else_is_ambiguous() {
        for body in [
            "",
            "   ",
            "null",
            "[]",
            "{}",
            "[{}]",
            "\"ok\"",
            "<html>",
            "[{\"order_id\":\"1\"",
            r#"[{"order_status":"Submitted"}]"#,
            r#"[{"encrypt_message":"1"}]"#,
            r#"[{"order_id":"1"},{"id":"r1","message":["sure?"]}]"#,
            r#"[{"order_id":"1"},{"error":"no"}]"#,
            r#"[{"order_id":"1","error":"no"}]"#,
            r#"[{"order_id":"1","text":"rejected?"}]"#,
        ] {
            ambiguous(body);
        }
    }

    fn cancel(body: &str) -> Result<CancelAck> {
        read_cancel_answer("Orders::cancel", body.as_bytes())
    }

    #[test]
    fn cancel_answers() {
        let ack =
            cancel(r#"[{"msg":"Request was submitted","order_id":"1","conid":-1,"account":null}]"#)
                .unwrap();
        assert_eq!(ack.msg.as_deref(), Some("Request was submitted"));
        assert_eq!(ack.order_id.as_deref(), Some("1"));
        assert!(matches!(
            cancel(r#"{"error":"OrderID 1 doesn't exist"}"#),
            Err(Error::OrderRejected { ref message, .. }) if message == "OrderID 1 doesn't exist"
        ));
        assert!(matches!(
            cancel(r#"{"error":"gone","conid":1}"#),
            Err(Error::OrderRejected { ref message, .. }) if message == "gone"
        ));
        for body in [
            "",
            "[]",
            "{}",
            "<html>",
            r#"{"conid":1}"#,
            r#"{"error":"x","msg":"Request was submitted"}"#,
        ] {
            assert!(
                matches!(cancel(body), Err(Error::Ambiguous { .. })),
                "{body}"
            );
        }
    }
}
