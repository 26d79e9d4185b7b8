//! `Client::analyst()` (portfolio analyst).

use crate::Method::Post;
use crate::Operation;

/// `Analyst::performance` (`{"acctIds", "period"}` on both variants: the
/// Gateway's spec documents `freq` instead, but the gateway serves `period`)
pub const PERFORMANCE: Operation = Operation::read("Analyst::performance")
    .both(Post, "/pa/performance")
    .body();
/// `Analyst::summary` (only the Gateway serves `/pa/summary`)
pub const SUMMARY: Operation = Operation::read("Analyst::summary")
    .gateway(Post, "/pa/summary")
    .body();
/// `Analyst::transactions`
pub const TRANSACTIONS: Operation = Operation::read("Analyst::transactions")
    .both(Post, "/pa/transactions")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[PERFORMANCE, SUMMARY, TRANSACTIONS];
