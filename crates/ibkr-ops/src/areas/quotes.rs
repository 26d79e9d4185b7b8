//! `Client::quotes()`: the regulatory snapshot (Web API; IBKR charges for
//! each) and the Gateway's `/md/snapshot`.

use crate::Method::Get;
use crate::Operation;

/// `Quotes::regulatory_snapshot`: IBKR bills every call, so it is
/// declared a write: sent once, never retried (a retry would be billed
/// again).
pub const REGULATORY_SNAPSHOT: Operation = Operation::write("Quotes::regulatory_snapshot")
    .web(Get, "/md/regsnapshot")
    .query(&["conid"]);
/// `Quotes::snapshot`
pub const SNAPSHOT: Operation = Operation::read("Quotes::snapshot")
    .gateway(Get, "/md/snapshot")
    .query(&["conids", "fields"]);

/// This area's operations.
pub const ALL: &[Operation] = &[REGULATORY_SNAPSHOT, SNAPSHOT];
