//! `Client::portfolio()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `Portfolio::positions`
pub const POSITIONS: Operation =
    Operation::read("Portfolio::positions").both(Get, "/portfolio/{accountId}/positions/{pageId}");
/// `Portfolio::position`
pub const POSITION: Operation =
    Operation::read("Portfolio::position").both(Get, "/portfolio/{accountid}/position/{conid}");
/// `Portfolio::positions_by_conid`
pub const POSITIONS_BY_CONID: Operation =
    Operation::read("Portfolio::positions_by_conid").both(Get, "/portfolio/positions/{conid}");
/// `Portfolio::invalidate_positions`
pub const INVALIDATE_POSITIONS: Operation = Operation::write("Portfolio::invalidate_positions")
    .both(Post, "/portfolio/{accountId}/positions/invalidate");

/// This area's operations.
pub const ALL: &[Operation] = &[
    POSITIONS,
    POSITION,
    POSITIONS_BY_CONID,
    INVALIDATE_POSITIONS,
];
