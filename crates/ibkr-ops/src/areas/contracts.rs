//! `Client::contracts()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `Contracts::search`
pub const SEARCH: Operation = Operation::read("Contracts::search")
    .both(Post, "/iserver/secdef/search")
    .body();
/// `Contracts::secdef_info`
pub const SECDEF_INFO: Operation = Operation::read("Contracts::secdef_info")
    .both(Get, "/iserver/secdef/info")
    .query(&["conid", "sectype", "month", "exchange", "strike", "right"]);
/// `Contracts::strikes`
pub const STRIKES: Operation = Operation::read("Contracts::strikes")
    .both(Get, "/iserver/secdef/strikes")
    .query(&["conid", "sectype", "month", "exchange"]);
/// `Contracts::info`
pub const INFO: Operation =
    Operation::read("Contracts::info").both(Get, "/iserver/contract/{conid}/info");
/// `Contracts::info_and_rules` (`isBuy` on both variants; the Web API's
/// spec does not list it)
pub const INFO_AND_RULES: Operation = Operation::read("Contracts::info_and_rules")
    .both(Get, "/iserver/contract/{conid}/info-and-rules")
    .query(&["isBuy"]);
/// `Contracts::algos`
pub const ALGOS: Operation = Operation::read("Contracts::algos")
    .both(Get, "/iserver/contract/{conid}/algos")
    .query(&["addDescription", "addParams"]);
/// `Contracts::rules`
pub const RULES: Operation = Operation::read("Contracts::rules")
    .both(Post, "/iserver/contract/rules")
    .body();
/// `Contracts::trading_schedule`
pub const TRADING_SCHEDULE: Operation = Operation::read("Contracts::trading_schedule")
    .both(Get, "/trsrv/secdef/schedule")
    .query(&["assetClass", "symbol", "exchange"]);
/// `Contracts::secdef`: the Web API takes `?conids=1,2`, the Gateway
/// (which only has the POST) a body `{"conids": [1, 2]}`.
pub const SECDEF: Operation = Operation::read("Contracts::secdef")
    .web(Get, "/trsrv/secdef")
    .gateway(Post, "/trsrv/secdef")
    .query(&["conids"])
    .body();
/// `Contracts::stocks`
pub const STOCKS: Operation = Operation::read("Contracts::stocks")
    .both(Get, "/trsrv/stocks")
    .query(&["symbols"]);
/// `Contracts::futures`
pub const FUTURES: Operation = Operation::read("Contracts::futures")
    .both(Get, "/trsrv/futures")
    .query(&["symbols"]);

/// This area's operations.
pub const ALL: &[Operation] = &[
    SEARCH,
    SECDEF_INFO,
    STRIKES,
    INFO,
    INFO_AND_RULES,
    ALGOS,
    RULES,
    TRADING_SCHEDULE,
    SECDEF,
    STOCKS,
    FUTURES,
];
