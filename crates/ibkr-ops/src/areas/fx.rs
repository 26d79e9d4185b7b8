//! `Client::fx()`: currency pairs and exchange rates (Web API).

use crate::Method::Get;
use crate::Operation;

/// `Fx::pairs`
pub const PAIRS: Operation = Operation::read("Fx::pairs")
    .web(Get, "/iserver/currency/pairs")
    .query(&["currency"]);
/// `Fx::exchange_rate`
pub const EXCHANGE_RATE: Operation = Operation::read("Fx::exchange_rate")
    .web(Get, "/iserver/exchangerate")
    .query(&["source", "target"]);

/// This area's operations.
pub const ALL: &[Operation] = &[PAIRS, EXCHANGE_RATE];
