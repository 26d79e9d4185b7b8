//! The data of each operation family, one module per area, at the same
//! paths as `ibkr_client::areas`.

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
pub mod hmds_scanner;
pub mod ids;
pub mod market_data;
pub mod orders;
pub mod orders_more;
pub mod pnl;
pub mod portfolio;
pub mod scanner;
pub mod symbols;
pub mod watchlists;
