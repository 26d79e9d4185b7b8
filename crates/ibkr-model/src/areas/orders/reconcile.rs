//! The data types of `ibkr_client::areas::orders::reconcile`, with their lenient decoders
//! (re-exported there).

use std::time::Duration;

use super::read::{LiveOrder, Trade};
use crate::areas::ids::OrderId;

/// What [`Orders::reconcile`](struct.Orders.html#method.reconcile) found for a `cOID`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reconciliation {
    /// IBKR has the order: it is in the live orders, or it has executions.
    Placed(Box<PlacedOrder>),
    /// Neither the (complete) live orders list nor the trades of the last
    /// days know the `cOID`: IBKR did not take the order. Sending it again
    /// with the same `cOID` is safe (IBKR refuses a `cOID` it has seen).
    NotPlaced,
    /// No conclusion yet (IBKR's live orders list stayed incomplete); why.
    Unknown(String),
}

/// An order [`Orders::reconcile`](struct.Orders.html#method.reconcile) found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlacedOrder {
    /// The `cOID` looked up.
    pub client_order_id: String,
    /// IBKR's order id, when the live orders list had it.
    pub order_id: Option<OrderId>,
    /// The order as the live orders list shows it.
    pub live: Option<LiveOrder>,
    /// Its executions, when it was found among the trades.
    pub trades: Vec<Trade>,
}

/// How often [`Orders::wait_for_terminal`](struct.Orders.html#method.wait_for_terminal) asks for the status.
pub const STATUS_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How many times [`Orders::reconcile`](struct.Orders.html#method.reconcile) reads the live orders while IBKR
/// reports the list incomplete (`snapshot: false`); the reads are 5 s
/// apart (IBKR's limit).
pub const RECONCILE_LIVE_ATTEMPTS: usize = 3;
