//! The typed reads: live orders, an order's status, trades and a what-if
//! preview.

pub use ibkr_model::areas::orders::read::*;

use ibkr_ops::areas::orders as ops;

use super::Orders;
use crate::error::{Error, Result};

impl<'c> Orders<'c> {
    /// Live orders of the session (`GET /iserver/account/orders`; IBKR
    /// allows one call every 5 s). `filters` are status filters such as
    /// `Submitted`, `Filled`, `Cancelled`, sent as `filters=a,b`; empty for
    /// all.
    pub async fn live_orders(&self, filters: &[&str]) -> Result<LiveOrders> {
        let joined = filters.join(",");
        if !joined
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == '_')
        {
            return Err(Error::InvalidArgument(format!(
                "{}: invalid filters {joined:?}",
                ops::LIVE_ORDERS.name
            )));
        }
        self.client
            .op(&ops::LIVE_ORDERS)?
            .query_opt("filters", (!joined.is_empty()).then_some(joined))
            .fetch_or_default()
            .await
    }

    /// One order's status (`GET /iserver/account/order/status/{orderId}`).
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatus> {
        self.call(&ops::ORDER_STATUS, &[("order id", order_id)])?
            .fetch_or_default()
            .await
    }

    /// Executions of the current and previous six days
    /// (`GET /iserver/account/trades`; one call every 5 s).
    pub async fn trades(&self) -> Result<Vec<Trade>> {
        self.client.op(&ops::TRADES)?.fetch_list().await
    }
}
