//! Order writes: place, reply (with a [`ConfirmationPolicy`]), what-if,
//! modify, cancel, and the question suppression switches.

use super::Orders;
use super::answer::{CancelAck, PlaceOutcome, Suppressed, read_cancel_answer, read_order_answer};
use super::read::WhatIf;
use super::request::{OrderRequest, new_client_order_id};
use super::validate::validate_request;
use crate::error::{Error, Result};
use crate::transport::request::Call;
pub use ibkr_model::areas::orders::place::*;

use ibkr_ops::areas::orders as ops;
use serde::Serialize;

#[cfg(doc)]
use super::bracket::{Bracket, OcaGroup};

/// `{"orders": [...]}`
#[derive(Serialize)]
struct OrdersBody<'a> {
    orders: &'a [OrderRequest],
}

/// `{"confirmed": …}`
#[derive(Serialize)]
struct ReplyBody {
    confirmed: bool,
}

/// `{"messageIds": [...]}`
#[derive(Serialize)]
struct SuppressBody<'a> {
    #[serde(rename = "messageIds")]
    message_ids: &'a [&'a str],
}

/// Sends an order write and reads its answer.
async fn order_write(operation: &'static str, call: Call<'_>) -> Result<PlaceOutcome> {
    let body = call.send().await?;
    read_order_answer(operation, &body)
}

/// Names the orders an unknown outcome concerns: fills
/// [`Error::Ambiguous`]'s `cOID`s (other errors pass as they are).
fn concerning(error: Error, coids: &[String]) -> Error {
    match error {
        Error::Ambiguous {
            operation,
            reason,
            client_order_ids,
        } if client_order_ids.is_empty() => Error::Ambiguous {
            operation,
            reason,
            client_order_ids: coids.to_vec(),
        },
        other => other,
    }
}

/// Tags a question with the `cOID`s of the orders it is about.
fn about(outcome: PlaceOutcome, coids: &[String]) -> PlaceOutcome {
    match outcome {
        PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids,
        } if client_order_ids.is_empty() => PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids: coids.to_vec(),
        },
        other => other,
    }
}

impl<'c> Orders<'c> {
    /// Places one order, or several forming a bracket ([`Bracket::orders`])
    /// or an OCA group ([`OcaGroup::orders`])
    /// (`POST /iserver/account/{accountId}/orders`). Sent exactly once,
    /// after [`OrderRequest::validate`] and the checks of the request as a
    /// whole (unique `cOID`s, each `parentId` naming an earlier order);
    /// an order without a `cOID` (and without a parent) is given one. An
    /// unknown outcome is [`Error::Ambiguous`] with the request's `cOID`s;
    /// a question carries them too.
    pub async fn place(&self, account_id: &str, orders: &[OrderRequest]) -> Result<PlaceOutcome> {
        let orders: Vec<OrderRequest> = orders
            .iter()
            .cloned()
            .map(|mut o| {
                if o.parent_id.is_none() {
                    o.client_order_id.get_or_insert_with(new_client_order_id);
                }
                o
            })
            .collect();
        validate_request(ops::PLACE.name, &orders)?;
        let coids: Vec<String> = orders
            .iter()
            .filter_map(|o| o.client_order_id.clone())
            .collect();
        let call = self
            .call(&ops::PLACE, &[("account id", account_id)])?
            .json(&OrdersBody { orders: &orders })?;
        let outcome = order_write(ops::PLACE.name, call)
            .await
            .map_err(|e| concerning(e, &coids))?;
        Ok(about(outcome, &coids))
    }

    /// Answers a question (`POST /iserver/reply/{replyId}` with
    /// `{"confirmed": …}`). The answer may be another question. Sent
    /// exactly once.
    pub async fn reply(&self, reply_id: &str, confirmed: bool) -> Result<PlaceOutcome> {
        let call = self
            .call(&ops::REPLY, &[("reply id", reply_id)])?
            .json(&ReplyBody { confirmed })?;
        order_write(ops::REPLY.name, call).await
    }

    /// Answers the questions that follow `outcome` as `policy` allows, up to
    /// [`MAX_CONFIRMATIONS`]; returns the first one it may not confirm. An
    /// unknown outcome of an answer is [`Error::Ambiguous`] with the
    /// question's `cOID`s.
    pub async fn confirm_with_policy(
        &self,
        mut outcome: PlaceOutcome,
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        for _ in 0..MAX_CONFIRMATIONS {
            match &outcome {
                PlaceOutcome::NeedsConfirmation {
                    reply_id,
                    message_ids,
                    client_order_ids,
                    ..
                } if policy.allows(message_ids) => {
                    let coids = client_order_ids.clone();
                    let next = self
                        .reply(reply_id, true)
                        .await
                        .map_err(|e| concerning(e, &coids))?;
                    outcome = about(next, &coids);
                }
                _ => return Ok(outcome),
            }
        }
        Ok(outcome)
    }

    /// [`Orders::place`], then confirms the questions `policy` allows.
    /// With [`ConfirmationPolicy::Manual`] it is [`Orders::place`].
    pub async fn place_with_policy(
        &self,
        account_id: &str,
        orders: &[OrderRequest],
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        let outcome = self.place(account_id, orders).await?;
        self.confirm_with_policy(outcome, policy).await
    }

    /// Previews an order's margin and commission impact without placing it
    /// (`POST /iserver/account/{accountId}/orders/whatif`). Validated like
    /// [`Orders::place`]; the `cOID`s are left out of the preview (so that
    /// IBKR cannot count them as used), except a bracket parent's, which
    /// links its children.
    pub async fn what_if(&self, account_id: &str, orders: &[OrderRequest]) -> Result<WhatIf> {
        validate_request(ops::WHAT_IF.name, orders)?;
        let preview: Vec<OrderRequest> = orders
            .iter()
            .map(|o| {
                let mut o = o.clone();
                let parent_of_another = o
                    .client_order_id
                    .as_ref()
                    .is_some_and(|coid| orders.iter().any(|c| c.parent_id.as_ref() == Some(coid)));
                if !parent_of_another {
                    o.client_order_id = None;
                }
                o
            })
            .collect();
        self.call(&ops::WHAT_IF, &[("account id", account_id)])?
            .json(&OrdersBody { orders: &preview })?
            .fetch_or_default()
            .await
    }

    /// Modifies an open order with new terms
    /// (`POST /iserver/account/{accountId}/order/{orderId}`). Validated
    /// first; the body leaves out `cOID`, `parentId` and `isSingleGroup`
    /// (an order keeps its own). May return questions like
    /// [`Orders::place`]. Sent exactly once.
    pub async fn modify(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
    ) -> Result<PlaceOutcome> {
        order.validate()?;
        let mut terms = order.clone();
        terms.client_order_id = None;
        terms.parent_id = None;
        terms.is_single_group = None;
        let ids = [("account id", account_id), ("order id", order_id)];
        let call = self.call(&ops::MODIFY, &ids)?.json(&terms)?;
        order_write(ops::MODIFY.name, call).await
    }

    /// [`Orders::modify`], then confirms the questions `policy` allows.
    pub async fn modify_with_policy(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        let outcome = self.modify(account_id, order_id, order).await?;
        self.confirm_with_policy(outcome, policy).await
    }

    /// Cancels an open order
    /// (`DELETE /iserver/account/{accountId}/order/{orderId}`). Sent exactly
    /// once. IBKR's `{"error": …}` is [`Error::OrderRejected`].
    pub async fn cancel(&self, account_id: &str, order_id: &str) -> Result<CancelAck> {
        let ids = [("account id", account_id), ("order id", order_id)];
        let body = self.call(&ops::CANCEL, &ids)?.send().await?;
        read_cancel_answer(ops::CANCEL.name, &body)
    }

    /// Suppresses the questions with these message ids for the rest of the
    /// session (`POST /iserver/questions/suppress`; Web API only).
    pub async fn suppress_questions(&self, message_ids: &[&str]) -> Result<Suppressed> {
        self.client
            .op(&ops::SUPPRESS_QUESTIONS)?
            .json(&SuppressBody { message_ids })?
            .fetch_or_default()
            .await
    }

    /// Resets all suppressed questions (`POST /iserver/questions/suppress/reset`;
    /// Web API only).
    pub async fn reset_suppressed_questions(&self) -> Result<Suppressed> {
        self.client
            .op(&ops::RESET_SUPPRESSED_QUESTIONS)?
            .fetch_or_default()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_errors_name_their_orders() {
        let e = concerning(
            Error::Ambiguous {
                operation: "x",
                reason: "r".into(),
                client_order_ids: vec![],
            },
            &["a".into(), "b".into()],
        );
        assert!(
            matches!(&e, Error::Ambiguous { client_order_ids, .. } if client_order_ids == &["a", "b"])
        );
        assert!(e.to_string().contains("cOID a, b"), "{e}");
        let other = concerning(Error::InvalidArgument("x".into()), &["a".into()]);
        assert!(matches!(other, Error::InvalidArgument(_)));
    }
}
