//! `Client::balances()`: the trading account summary and its sections
//! (`/iserver/account/{accountId}/summary…`, Web API).

use crate::Method::Get;
use crate::Operation;

/// `Balances::summary`
pub const SUMMARY: Operation =
    Operation::read("Balances::summary").web(Get, "/iserver/account/{accountId}/summary");
/// `Balances::available_funds`
pub const AVAILABLE_FUNDS: Operation = Operation::read("Balances::available_funds")
    .web(Get, "/iserver/account/{accountId}/summary/available_funds");
/// `Balances::balances`
pub const BALANCES: Operation =
    Operation::read("Balances::balances").web(Get, "/iserver/account/{accountId}/summary/balances");
/// `Balances::margins`
pub const MARGINS: Operation =
    Operation::read("Balances::margins").web(Get, "/iserver/account/{accountId}/summary/margins");
/// `Balances::market_value`
pub const MARKET_VALUE: Operation = Operation::read("Balances::market_value")
    .web(Get, "/iserver/account/{accountId}/summary/market_value");

/// This area's operations.
pub const ALL: &[Operation] = &[SUMMARY, AVAILABLE_FUNDS, BALANCES, MARGINS, MARKET_VALUE];
