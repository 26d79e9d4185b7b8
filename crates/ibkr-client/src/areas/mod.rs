//! The operation families, one module per area. Each area is reached through
//! a small borrowed handle from [`Client`](crate::Client), e.g.
//! `client.orders()`.

pub mod account_management;
pub mod accounts;
pub mod alerts;
pub mod analyst;
pub mod contracts;
pub mod fyi;
pub mod ids;
pub mod market_data;
pub mod orders;
pub mod pnl;
pub mod portfolio;
pub mod scanner;
pub mod watchlists;
