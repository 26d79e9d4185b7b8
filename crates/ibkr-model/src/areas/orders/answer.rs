//! The data types of `ibkr_client::areas::orders::answer`, with their lenient decoders
//! (re-exported there).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::enums::{OrderState, opt_code};
use crate::areas::ids::{self, AccountId, Conid, OrderId};
use crate::decode::LenientDeserialize;
use crate::lenient;

/// IBKR's acknowledgement of a placed or modified order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderAck {
    /// IBKR's order id (`order_id`, or `orderId`).
    pub order_id: Option<OrderId>,
    /// The order's status (`PreSubmitted`, `Submitted`, ...).
    pub order_status: Option<OrderState>,
    /// Your `cOID`, when echoed.
    pub local_order_id: Option<String>,
    /// IBKR's message, if any.
    pub encrypt_message: Option<String>,
}

/// What placing or modifying an order (or answering a question) produced.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceOutcome {
    /// The order was accepted.
    Submitted(Vec<OrderAck>),
    /// IBKR asks for confirmation before going on.
    NeedsConfirmation {
        /// The id to answer with [`Orders::reply`](struct.Orders.html#method.reply).
        reply_id: String,
        /// The question texts.
        messages: Vec<String>,
        /// The question codes (`o163`, `o354`, ...).
        message_ids: Vec<String>,
        /// The `cOID`s of the orders the question is about (those of the
        /// request that asked it; empty after a bare [`Orders::reply`](struct.Orders.html#method.reply)).
        client_order_ids: Vec<String>,
    },
}

/// IBKR's acknowledgement of a cancel request.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CancelAck {
    /// The order id.
    #[serde(default, deserialize_with = "ids::opt_order_id")]
    pub order_id: Option<OrderId>,
    /// IBKR's message (`"Request was submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub msg: Option<String>,
    /// The order's status after the request, when IBKR says.
    #[serde(default, deserialize_with = "opt_code")]
    pub order_status: Option<OrderState>,
    /// IBKR's `encrypt_message` flag, when sent.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub encrypt_message: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The account.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
}

/// The answer to [`Orders::suppress_questions`](struct.Orders.html#method.suppress_questions).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Suppressed {
    /// IBKR's status (`"submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
}

#[doc(hidden)]
/// One element of IBKR's answer to place, modify or reply: an
/// acknowledgement, a question, an error or an order reject. Every key that
/// tells them apart is its own field, so that an element carrying several
/// is seen as such (and is ambiguous) rather than failing to decode.
#[derive(LenientDeserialize)]
pub struct AnswerItem {
    // An acknowledgement.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    order_id: Option<String>,
    #[serde(default, rename = "orderId", deserialize_with = "lenient::opt_string")]
    order_id_camel: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    order_status: Option<String>,
    #[serde(
        default,
        rename = "orderStatus",
        deserialize_with = "lenient::opt_string"
    )]
    order_status_camel: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    local_order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    encrypt_message: Option<String>,
    // A question.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "texts")]
    pub message: Option<Vec<String>>,
    #[serde(
        default,
        rename = "messageIds",
        deserialize_with = "lenient::string_list"
    )]
    pub message_ids: Vec<String>,
    // An error.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    error: Option<String>,
    // An order reject.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    text: Option<String>,
    #[serde(
        default,
        rename = "messageId",
        deserialize_with = "lenient::opt_string"
    )]
    message_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    prompt: Option<bool>,
}

#[doc(hidden)]
/// What an [`AnswerItem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ack,
    Question,
    /// An `error`, or an order reject.
    Refusal,
}

impl AnswerItem {
    /// What the element is; `None` when it is none of them or several.
    pub fn kind(&self) -> Option<Kind> {
        let ack = self.order_id.is_some()
            || self.order_status.is_some()
            || self.order_status_camel.is_some()
            || self.local_order_id.is_some();
        let question = self.id.is_some() || self.message.is_some() || !self.message_ids.is_empty();
        let refusal = self.error.is_some()
            || self.text.is_some()
            || self.message_id.is_some()
            || self.prompt == Some(true);
        match (ack, question, refusal) {
            (true, false, false) => Some(Kind::Ack),
            (false, true, false) => Some(Kind::Question),
            (false, false, true) => Some(Kind::Refusal),
            _ => None,
        }
    }

    /// IBKR's reason for a refusal.
    pub fn reason(&self) -> Option<String> {
        match (&self.error, &self.text) {
            (Some(e), Some(t)) if e != t => Some(format!("{e}: {t}")),
            (Some(e), _) => Some(e.clone()),
            (None, Some(t)) => Some(t.clone()),
            (None, None) => self.message_id.clone(),
        }
    }
}

impl AnswerItem {
    pub fn into_ack(self) -> OrderAck {
        OrderAck {
            order_id: self.order_id.or(self.order_id_camel).map(OrderId::from),
            order_status: self
                .order_status
                .or(self.order_status_camel)
                .map(|s| OrderState::from(s.as_str())),
            local_order_id: self.local_order_id,
            encrypt_message: self.encrypt_message,
        }
    }
}

/// Reads both spellings of the id and the status (`order_id`/`orderId`,
/// `order_status`/`orderStatus`), also when both are present.
impl<'de> Deserialize<'de> for OrderAck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        AnswerItem::deserialize(d).map(AnswerItem::into_ack)
    }
}

/// A question's texts: a list, or a single text (never split at commas).
fn texts<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Vec<String>>, D::Error> {
    Ok(Some(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(lenient::value_string).collect(),
        other => lenient::value_string(&other).into_iter().collect(),
    }))
}
