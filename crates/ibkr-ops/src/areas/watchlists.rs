//! `Client::watchlists()`.

use crate::Method::{Delete, Get, Post};
use crate::Operation;

/// `Watchlists::list`
pub const LIST: Operation = Operation::read("Watchlists::list").web(Get, "/iserver/watchlists");
/// `Watchlists::get`
pub const GET: Operation = Operation::read("Watchlists::get")
    .web(Get, "/iserver/watchlist")
    .query(&["id"]);
/// `Watchlists::create`
pub const CREATE: Operation = Operation::write("Watchlists::create")
    .web(Post, "/iserver/watchlist")
    .body();
/// `Watchlists::delete`
pub const DELETE: Operation = Operation::write("Watchlists::delete")
    .web(Delete, "/iserver/watchlist")
    .query(&["id"]);

/// This area's operations.
pub const ALL: &[Operation] = &[LIST, GET, CREATE, DELETE];
