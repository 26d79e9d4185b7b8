//! One file per facade area; each lists its operations in `ALL`.

use crate::Operation;

pub mod accounts;
pub mod alerts;
pub mod analyst;
pub mod contracts;
pub mod fyi;
pub mod market_data;
pub mod orders;
pub mod pnl;
pub mod portfolio;
pub mod scanner;
pub mod session;
pub mod watchlists;

/// Every area's operations.
pub const ALL: &[&[Operation]] = &[
    accounts::ALL,
    alerts::ALL,
    analyst::ALL,
    contracts::ALL,
    fyi::ALL,
    market_data::ALL,
    orders::ALL,
    pnl::ALL,
    portfolio::ALL,
    scanner::ALL,
    session::ALL,
    watchlists::ALL,
];
