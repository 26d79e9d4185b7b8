//! `Client::alerts()`.

use crate::Method::{Delete, Get, Post};
use crate::Operation;

/// `Alerts::list`
pub const LIST: Operation =
    Operation::read("Alerts::list").both(Get, "/iserver/account/{accountId}/alerts");
/// `Alerts::get` (`type=Q`, which the Web API requires, is sent on both
/// variants)
pub const GET: Operation = Operation::read("Alerts::get")
    .web(Get, "/iserver/account/alert/{alertId}")
    .gateway(Get, "/iserver/account/alert/{id}")
    .query(&["type"]);
/// `Alerts::mta`
pub const MTA: Operation = Operation::read("Alerts::mta").both(Get, "/iserver/account/mta");
/// `Alerts::send` (create or modify)
pub const SEND: Operation = Operation::write("Alerts::send")
    .both(Post, "/iserver/account/{accountId}/alert")
    .body();
/// `Alerts::activate`
pub const ACTIVATE: Operation = Operation::write("Alerts::activate")
    .both(Post, "/iserver/account/{accountId}/alert/activate")
    .body();
/// `Alerts::delete` (the Web API's spec requires an empty JSON object as
/// the body; the facade sends `{}` on both variants)
pub const DELETE: Operation = Operation::write("Alerts::delete")
    .both(Delete, "/iserver/account/{accountId}/alert/{alertId}")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[LIST, GET, MTA, SEND, ACTIVATE, DELETE];
