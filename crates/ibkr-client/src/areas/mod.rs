//! The operation families, one module per area. Each area is reached through
//! a small borrowed handle from [`Client`](crate::Client), e.g.
//! `client.orders()`.

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
pub mod ids;
pub mod market_data;
pub mod orders;
pub mod orders_more;
pub mod pnl;
pub mod portfolio;
pub mod quotes;
pub mod scanner;
pub mod symbols;
pub mod watchlists;
