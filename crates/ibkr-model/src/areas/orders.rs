//! The data of orders: what IBKR answers to placing, cancelling and reading
//! orders, and the enums and amounts orders carry.

#[doc(hidden)]
pub mod amounts;
#[doc(hidden)]
pub mod answer;
#[doc(hidden)]
pub mod enums;
#[doc(hidden)]
pub mod place;
#[doc(hidden)]
pub mod read;
#[doc(hidden)]
pub mod reconcile;

pub use amounts::Trail;
pub use answer::{CancelAck, OrderAck, PlaceOutcome, Suppressed};
pub use enums::{OrderState, OrderType, SecurityType, Side, TimeInForce, TrailingType};
pub use place::{ConfirmationPolicy, MAX_CONFIRMATIONS};
pub use read::{LiveOrder, LiveOrders, OrderStatus, Trade, WhatIf, WhatIfValues};
pub use reconcile::{PlacedOrder, RECONCILE_LIVE_ATTEMPTS, Reconciliation, STATUS_POLL_INTERVAL};
