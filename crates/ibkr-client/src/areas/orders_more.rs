//! More order writes: the Gateway's single-order endpoints and the answer
//! to a server prompt.
//!
//! - [`Orders::place_single`] and [`Orders::what_if_single`] send one
//!   order to the Gateway's `POST /iserver/account/{accountId}/order` and
//!   `…/order/whatif` (IBKR deprecates both in favour of
//!   [`Orders::place`] and [`Orders::what_if`] with one order, which serve
//!   both variants; the Web API answers
//!   [`Error::Unsupported`]).
//! - [`Orders::answer_prompt`] answers a prompt IBKR attaches to an order
//!   reject, delivered by the streaming API's `ntf` messages
//!   (`POST /iserver/notification`; the Web API only). The answer can
//!   submit the order: it is sent exactly once.
//!
//! Every one of them is validated before anything is sent, and their
//! answers are read like [`Orders::place`]'s: an acknowledgement is
//! [`PlaceOutcome::Submitted`], a question
//! [`PlaceOutcome::NeedsConfirmation`] (answer it with [`Orders::reply`]),
//! IBKR's refusal [`Error::OrderRejected`], and anything else
//! [`Error::Ambiguous`] (IBKR may have acted: reconcile by the `cOID`).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::orders::{OrderRequest, PlaceOutcome, Side};
//! use ibkr_client::areas::orders_more::PromptAnswer;
//!
//! let order = OrderRequest::limit(265598, Side::Buy, 10.into(), "189.50".parse()?);
//! let preview = client.orders().what_if_single("DU1234567", &order).await?;
//! println!("commission {:?}", preview.amount.and_then(|a| a.commission));
//! if let PlaceOutcome::NeedsConfirmation { reply_id, messages, .. } =
//!     client.orders().place_single("DU1234567", &order).await?
//! {
//!     println!("IBKR asks: {messages:?}");
//!     client.orders().reply(&reply_id, true).await?;
//! }
//! // A prompt from the `ntf` stream: order 987654321, request 12345, options Yes/No.
//! let status = client.orders().answer_prompt(&PromptAnswer::new(987654321, "12345", "Yes")).await?;
//! println!("{status}");
//! # Ok(()) }
//! ```

use super::orders::{OrderAck, OrderRequest, Orders, PlaceOutcome, WhatIf, new_client_order_id};
use crate::decode::{self, wire::Many, wire::Text};
use crate::error::{Error, Result};
use crate::lenient;
pub use ibkr_model::areas::orders_more::*;

use ibkr_ops::Class;
use ibkr_ops::areas::orders_more as ops;
use serde::Deserialize;

/// One element of an answer to an order write, by the keys that tell an
/// acknowledgement, a question and a refusal apart (the acknowledgement's
/// own keys are read by [`OrderAck`]).
#[derive(Deserialize)]
struct Element {
    #[serde(flatten)]
    ack: OrderAck,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(default)]
    message: Option<Many<Text>>,
    #[serde(
        default,
        rename = "messageIds",
        deserialize_with = "lenient::string_list"
    )]
    message_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    error: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    text: Option<String>,
}

/// What an [`Element`] says.
enum Said {
    Ack(OrderAck),
    Question {
        reply_id: String,
        messages: Vec<String>,
        message_ids: Vec<String>,
    },
    Refusal(String),
}

impl Element {
    /// What the element says; `None` when it is none of the three, or
    /// several at once.
    fn said(self) -> Option<Said> {
        let messages: Vec<String> = self
            .message
            .map(|m| m.0.into_iter().filter_map(|t| t.0).collect())
            .unwrap_or_default();
        let acked = self.ack.order_id.is_some();
        let asked = self.id.is_some() && !messages.is_empty();
        let refused = self.error.clone().or_else(|| self.text.clone());
        match (acked, asked, refused) {
            (true, false, None) => Some(Said::Ack(self.ack)),
            (false, true, None) => Some(Said::Question {
                reply_id: self.id?,
                messages,
                message_ids: self.message_ids,
            }),
            (false, false, Some(reason)) => Some(Said::Refusal(reason)),
            _ => None,
        }
    }
}

/// IBKR's `{"error": …}` answer to an order write: nothing was done.
fn rejected(error: Error) -> Error {
    match error {
        Error::Api {
            operation, message, ..
        } => Error::OrderRejected { operation, message },
        other => other,
    }
}

/// Reads the answer to an order placement (a list of acknowledgements,
/// one question, or refusals); see the module docs. Also used by
/// [`Advisor::place_group_order`](super::advisor::Advisor::place_group_order).
pub(crate) fn read_placement(operation: &'static str, body: &[u8]) -> Result<PlaceOutcome> {
    let unclear = |why: &str| decode::failure(operation, Class::Order, why.into(), body);
    let elements: Vec<Element> = decode::list(operation, Class::Order, body).map_err(rejected)?;
    let said: Vec<Said> = elements
        .into_iter()
        .map(Element::said)
        .collect::<Option<_>>()
        .ok_or_else(|| {
            unclear("an element that is not an acknowledgement, a question or a refusal")
        })?;
    let mut acks = Vec::new();
    let mut reasons = Vec::new();
    let mut questions = Vec::new();
    for s in said {
        match s {
            Said::Ack(ack) => acks.push(ack),
            Said::Refusal(reason) => reasons.push(reason),
            q @ Said::Question { .. } => questions.push(q),
        }
    }
    match (acks.is_empty(), questions.len(), reasons.is_empty()) {
        (false, 0, true) => Ok(PlaceOutcome::Submitted(acks)),
        (true, 0, false) => Err(Error::OrderRejected {
            operation,
            message: reasons.join("; "),
        }),
        (true, 1, true) => match questions.pop() {
            Some(Said::Question {
                reply_id,
                messages,
                message_ids,
            }) => Ok(PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages,
                message_ids,
                client_order_ids: Vec::new(),
            }),
            _ => Err(unclear("a question that is not one")),
        },
        (true, 0, true) => Err(unclear("an empty answer")),
        _ => Err(unclear(
            "an answer mixing acknowledgements, questions and refusals",
        )),
    }
}

/// The `cOID`s of the order concerned, on an unknown outcome and on a
/// question (other outcomes pass as they are).
pub(crate) fn concerning(result: Result<PlaceOutcome>, coids: &[String]) -> Result<PlaceOutcome> {
    match result {
        Err(Error::Ambiguous {
            operation,
            reason,
            client_order_ids,
        }) if client_order_ids.is_empty() => Err(Error::Ambiguous {
            operation,
            reason,
            client_order_ids: coids.to_vec(),
        }),
        Ok(PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids,
        }) if client_order_ids.is_empty() => Ok(PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids: coids.to_vec(),
        }),
        other => other,
    }
}

/// Checks an id that goes into an order write's path: IBKR's kind of id
/// (letters, digits, `-`, `_`, `.`; not `.` or `..`), so that a malformed
/// one fails before anything is sent.
pub(crate) fn order_path_id<'a>(
    operation: &'static str,
    what: &str,
    id: &'a str,
) -> Result<&'a str> {
    let well_formed = !matches!(id, "" | "." | "..")
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if well_formed {
        Ok(id)
    } else {
        Err(Error::InvalidArgument(format!(
            "{operation}: invalid {what} {id:?}"
        )))
    }
}

/// One order, alone: validated, refused if it names a parent (a bracket's
/// child goes with its parent through [`Orders::place`]).
pub(crate) fn single(operation: &'static str, order: &OrderRequest) -> Result<OrderRequest> {
    if order.parent_id.is_some() || order.is_single_group.is_some() {
        return Err(Error::InvalidArgument(format!(
            "{operation}: a single order has no parent and no OCA group; place brackets and groups with Orders::place"
        )));
    }
    order.validate()?;
    Ok(order.clone())
}

impl Orders<'_> {
    /// Places one order through the Gateway's single-order endpoint
    /// (`POST /iserver/account/{accountId}/order`; Gateway, deprecated by
    /// IBKR: [`Orders::place`] with one order is the same on both
    /// variants). Validated first ([`OrderRequest::validate`]); an order
    /// without a `cOID` is given one. Sent exactly once; an unknown
    /// outcome is [`Error::Ambiguous`] with the `cOID`, and a question
    /// carries it too.
    pub async fn place_single(
        &self,
        account_id: &str,
        order: &OrderRequest,
    ) -> Result<PlaceOutcome> {
        let name = ops::PLACE_SINGLE.name;
        let mut order = single(name, order)?;
        let coids = vec![
            order
                .client_order_id
                .get_or_insert_with(new_client_order_id)
                .clone(),
        ];
        let call = self
            .client
            .op(&ops::PLACE_SINGLE)?
            .arg(order_path_id(name, "account id", account_id)?)?
            .json(&order)?;
        let result = match call.send().await {
            Ok(body) => read_placement(name, &body),
            Err(e) => Err(e),
        };
        concerning(result, &coids)
    }

    /// Previews one order's margin and commission impact without placing
    /// it (`POST /iserver/account/{accountId}/order/whatif`; Gateway,
    /// deprecated by IBKR: [`Orders::what_if`] serves both variants).
    /// Validated first; the `cOID` is left out of the preview so that IBKR
    /// cannot count it as used.
    pub async fn what_if_single(&self, account_id: &str, order: &OrderRequest) -> Result<WhatIf> {
        let name = ops::WHAT_IF_SINGLE.name;
        let mut order = single(name, order)?;
        order.client_order_id = None;
        self.client
            .op(&ops::WHAT_IF_SINGLE)?
            .arg(order_path_id(name, "account id", account_id)?)?
            .json(&order)?
            .fetch_or_default()
            .await
    }

    /// Answers a prompt IBKR attached to an order reject (delivered by the
    /// streaming API's `ntf` messages, with the order id, the request id
    /// and the options to choose from) (`POST /iserver/notification`; Web
    /// API). The answer can submit the order, so it is **sent exactly
    /// once**: an unknown outcome is [`Error::Ambiguous`] (check the live
    /// orders), IBKR's `{"error": …}` is [`Error::OrderRejected`]. Returns
    /// IBKR's confirmation text.
    pub async fn answer_prompt(&self, answer: &PromptAnswer) -> Result<String> {
        let name = ops::ANSWER_PROMPT.name;
        let bad = |what: &str| Err(Error::InvalidArgument(format!("{name}: {what}")));
        if answer.order_id <= 0 {
            return bad("the order id must be positive");
        }
        if answer.request_id.trim().is_empty() || answer.text.trim().is_empty() {
            return bad("the request id and the text are needed");
        }
        let body = self
            .client
            .op(&ops::ANSWER_PROMPT)?
            .json(answer)?
            .send()
            .await?;
        decode::check(name, &body).map_err(rejected)?;
        match serde_json::from_slice::<String>(&body) {
            Ok(text) if !text.trim().is_empty() => Ok(text),
            _ => Err(decode::failure(
                name,
                Class::Order,
                "not IBKR's confirmation text".into(),
                &body,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<PlaceOutcome> {
        read_placement("Orders::place_single", body.as_bytes())
    }

    #[test]
    fn acknowledgements_questions_and_refusals() {
        match read(r#"[{"order_id": "1", "order_status": "Submitted", "local_order_id": "c1"}]"#) {
            Ok(PlaceOutcome::Submitted(acks)) => {
                assert_eq!(acks[0].order_id.as_deref(), Some("1"));
                assert_eq!(acks[0].local_order_id.as_deref(), Some("c1"));
            }
            other => panic!("{other:?}"),
        }
        match read(r#"[{"id": "r1", "message": ["sure?"], "messageIds": ["o163"]}]"#) {
            Ok(PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages,
                message_ids,
                ..
            }) => {
                assert_eq!(reply_id, "r1");
                assert_eq!(messages, ["sure?"]);
                assert_eq!(message_ids, ["o163"]);
            }
            other => panic!("{other:?}"),
        }
        for refusal in [
            r#"{"error": "no"}"#,
            r#"[{"text": "no", "messageId": "x"}]"#,
        ] {
            assert!(
                matches!(read(refusal), Err(Error::OrderRejected { ref message, .. }) if message == "no"),
                "{refusal}"
            );
        }
    }

    #[test]
    fn anything_else_is_ambiguous() {
        for body in [
            "[]",
            "{}",
            r#"[{"foo": 1}]"#,
            r#"[{"order_id": "1"}, {"id": "r", "message": ["?"]}]"#,
            r#"[{"id": "r1", "message": ["a"]}, {"id": "r2", "message": ["b"]}]"#,
            r#"[{"order_id": "1", "error": "x"}]"#,
            "<html>",
        ] {
            assert!(
                matches!(read(body), Err(Error::Ambiguous { .. })),
                "{body}: {:?}",
                read(body)
            );
        }
    }
}
