//! `Client::pnl()`.

use crate::Method::Get;
use crate::Operation;

/// `Pnl::partitioned`
pub const PARTITIONED: Operation =
    Operation::read("Pnl::partitioned").both(Get, "/iserver/account/pnl/partitioned");

/// This area's operations.
pub const ALL: &[Operation] = &[PARTITIONED];
