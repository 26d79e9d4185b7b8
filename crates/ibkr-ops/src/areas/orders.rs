//! `Client::orders()`.

use crate::Method::{Delete, Get, Post};
use crate::Operation;

/// `Orders::live_orders`: `filters` is a comma-separated status list, sent
/// as `filters` on both variants (the Gateway's spec spells it `Filters`;
/// the facade has always sent the Web API's spelling).
pub const LIVE_ORDERS: Operation = Operation::read("Orders::live_orders")
    .both(Get, "/iserver/account/orders")
    .query(&["filters"]);
/// `Orders::order_status`
pub const ORDER_STATUS: Operation =
    Operation::read("Orders::order_status").both(Get, "/iserver/account/order/status/{orderId}");
/// `Orders::trades`
pub const TRADES: Operation =
    Operation::read("Orders::trades").both(Get, "/iserver/account/trades");
/// `Orders::place`
pub const PLACE: Operation = Operation::order("Orders::place")
    .both(Post, "/iserver/account/{accountId}/orders")
    .body();
/// `Orders::reply`
pub const REPLY: Operation = Operation::order("Orders::reply")
    .both(Post, "/iserver/reply/{replyId}")
    .body();
/// `Orders::what_if`
pub const WHAT_IF: Operation = Operation::write("Orders::what_if")
    .both(Post, "/iserver/account/{accountId}/orders/whatif")
    .body();
/// `Orders::modify`
pub const MODIFY: Operation = Operation::order("Orders::modify")
    .both(Post, "/iserver/account/{accountId}/order/{orderId}")
    .body();
/// `Orders::cancel`
pub const CANCEL: Operation =
    Operation::order("Orders::cancel").both(Delete, "/iserver/account/{accountId}/order/{orderId}");
/// `Orders::suppress_questions`
pub const SUPPRESS_QUESTIONS: Operation = Operation::write("Orders::suppress_questions")
    .web(Post, "/iserver/questions/suppress")
    .body();
/// `Orders::reset_suppressed_questions`
pub const RESET_SUPPRESSED_QUESTIONS: Operation =
    Operation::write("Orders::reset_suppressed_questions")
        .web(Post, "/iserver/questions/suppress/reset");

/// This area's operations.
pub const ALL: &[Operation] = &[
    LIVE_ORDERS,
    ORDER_STATUS,
    TRADES,
    PLACE,
    REPLY,
    WHAT_IF,
    MODIFY,
    CANCEL,
    SUPPRESS_QUESTIONS,
    RESET_SUPPRESSED_QUESTIONS,
];
