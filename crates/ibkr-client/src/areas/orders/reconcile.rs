//! Recovering from an unknown outcome ([`Orders::reconcile`]) and waiting
//! for an order to finish ([`Orders::wait_for_terminal`]).

use super::Orders;
use super::enums::OrderState;
use super::read::{OrderStatus, Trade};
pub use ibkr_model::areas::orders::reconcile::*;

use std::time::Duration;

use crate::error::{Error, Result};

impl<'c> Orders<'c> {
    /// Finds out whether IBKR has the order with this `cOID` (after an
    /// [`Error::Ambiguous`]): looks in the live orders (`order_ref`), read
    /// again while IBKR reports the list incomplete (up to
    /// [`RECONCILE_LIVE_ATTEMPTS`] reads), then in the trades of the last
    /// days. Both lists are paced at one call every 5 s: a second
    /// reconciliation within 5 s waits for its slot (within
    /// [`Config::max_pacing_wait`](crate::Config::max_pacing_wait)). Errors
    /// of the lookups are returned as they are; nothing is placed or
    /// cancelled.
    pub async fn reconcile(&self, client_order_id: &str) -> Result<Reconciliation> {
        let coid = client_order_id.trim();
        if coid.is_empty() {
            return Err(Error::InvalidArgument(
                "Orders::reconcile: an empty cOID".into(),
            ));
        }
        let mut complete = false;
        for _ in 0..RECONCILE_LIVE_ATTEMPTS {
            let live = self.live_orders(&[]).await?;
            let found = live
                .orders
                .into_iter()
                .find(|o| o.order_ref.as_deref() == Some(coid));
            if let Some(order) = found {
                return Ok(Reconciliation::Placed(Box::new(PlacedOrder {
                    client_order_id: coid.to_string(),
                    order_id: order.order_id.clone(),
                    live: Some(order),
                    trades: Vec::new(),
                })));
            }
            if live.snapshot != Some(false) {
                complete = true;
                break;
            }
        }
        let trades: Vec<Trade> = self
            .trades()
            .await?
            .into_iter()
            .filter(|t| t.order_ref.as_deref() == Some(coid))
            .collect();
        if !trades.is_empty() {
            return Ok(Reconciliation::Placed(Box::new(PlacedOrder {
                client_order_id: coid.to_string(),
                order_id: None,
                live: None,
                trades,
            })));
        }
        Ok(if complete {
            Reconciliation::NotPlaced
        } else {
            Reconciliation::Unknown(format!(
                "the live orders list stayed incomplete (snapshot: false) after {RECONCILE_LIVE_ATTEMPTS} reads and no trade has cOID {coid:?}"
            ))
        })
    }

    /// Waits until the order is filled, cancelled or rejected
    /// ([`OrderState::is_terminal`]) and returns its last status; polls
    /// [`Orders::order_status`] every [`STATUS_POLL_INTERVAL`] (each poll
    /// also waits for its pacing slot). Fails with [`Error::Timeout`]
    /// (operation `Orders::wait_for_terminal`) when `timeout` passes first,
    /// and with the error of a poll that fails.
    // The order stream (`sor` of `Client::stream`) plugs in here once it
    // can be shared: wait for the order's terminal update there and keep
    // polling only as the fallback.
    pub async fn wait_for_terminal(
        &self,
        order_id: &str,
        timeout: Duration,
    ) -> Result<OrderStatus> {
        let deadline = tokio::time::Instant::now() + timeout;
        let timed_out = || Error::Timeout {
            operation: "Orders::wait_for_terminal",
            after: timeout,
        };
        loop {
            let status = tokio::time::timeout_at(deadline, self.order_status(order_id))
                .await
                .map_err(|_| timed_out())??;
            if status
                .order_status
                .as_ref()
                .is_some_and(OrderState::is_terminal)
            {
                return Ok(status);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(timed_out());
            }
            tokio::time::sleep_until((now + STATUS_POLL_INTERVAL).min(deadline)).await;
        }
    }
}
