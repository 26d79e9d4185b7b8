//! The data types of `ibkr_client::areas::orders_more`, with their lenient decoders
//! (re-exported there).

use serde::Serialize;

/// The answer to a server prompt ([`Orders::answer_prompt`](../orders/struct.Orders.html#method.answer_prompt)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PromptAnswer {
    /// IBKR's order id, from the prompt's `ntf` message.
    #[serde(rename = "orderId")]
    pub order_id: i64,
    /// IBKR's request id, from the same message.
    #[serde(rename = "reqId")]
    pub request_id: String,
    /// The option chosen, one of the prompt's `options` (`Yes`).
    pub text: String,
}

impl PromptAnswer {
    /// Answers the prompt of order `order_id` and request `request_id`
    /// with `text`, one of the prompt's options.
    pub fn new(order_id: i64, request_id: impl Into<String>, text: impl Into<String>) -> Self {
        PromptAnswer {
            order_id,
            request_id: request_id.into(),
            text: text.into(),
        }
    }
}
