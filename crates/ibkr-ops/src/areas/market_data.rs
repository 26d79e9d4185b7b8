//! `Client::market_data()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `MarketData::snapshot`
pub const SNAPSHOT: Operation = Operation::read("MarketData::snapshot")
    .both(Get, "/iserver/marketdata/snapshot")
    .query(&["conids", "fields"]);
/// `MarketData::history`
pub const HISTORY: Operation = Operation::read("MarketData::history")
    .both(Get, "/iserver/marketdata/history")
    .query(&["conid", "period", "bar", "outsideRth"]);
/// `MarketData::hmds_history`
pub const HMDS_HISTORY: Operation = Operation::read("MarketData::hmds_history")
    .both(Get, "/hmds/history")
    .query(&["conid", "period", "bar", "outsideRth"]);
/// `MarketData::unsubscribe`: the Web API takes a body `{"conid": …}`,
/// the Gateway the conid in the path.
pub const UNSUBSCRIBE: Operation = Operation::write("MarketData::unsubscribe")
    .web(Post, "/iserver/marketdata/unsubscribe")
    .gateway(Get, "/iserver/marketdata/{conid}/unsubscribe")
    .body();
/// `MarketData::unsubscribe_all`
pub const UNSUBSCRIBE_ALL: Operation =
    Operation::write("MarketData::unsubscribe_all").both(Get, "/iserver/marketdata/unsubscribeall");

/// This area's operations.
pub const ALL: &[Operation] = &[
    SNAPSHOT,
    HISTORY,
    HMDS_HISTORY,
    UNSUBSCRIBE,
    UNSUBSCRIBE_ALL,
];
