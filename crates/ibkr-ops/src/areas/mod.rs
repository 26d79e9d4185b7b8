//! One file per facade area; each lists its operations in `ALL`.

use crate::Operation;

pub mod account_management;
pub mod accounts;
pub mod advisor;
pub mod alerts;
pub mod analyst;
pub mod analyst_more;
pub mod balances;
pub mod contracts;
pub mod fx;
pub mod fyi;
pub mod fyi_more;
pub mod hmds_scanner;
pub mod market_data;
pub mod orders;
pub mod orders_more;
pub mod pnl;
pub mod portfolio;
pub mod quotes;
pub mod scanner;
pub mod session;
pub mod symbols;
pub mod watchlists;

/// Every area's operations.
pub const ALL: &[&[Operation]] = &[
    account_management::ALL,
    accounts::ALL,
    advisor::ALL,
    alerts::ALL,
    analyst::ALL,
    analyst_more::ALL,
    balances::ALL,
    contracts::ALL,
    fx::ALL,
    fyi::ALL,
    fyi_more::ALL,
    hmds_scanner::ALL,
    market_data::ALL,
    orders::ALL,
    orders_more::ALL,
    pnl::ALL,
    portfolio::ALL,
    quotes::ALL,
    scanner::ALL,
    session::ALL,
    symbols::ALL,
    watchlists::ALL,
];
