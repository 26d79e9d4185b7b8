//! `Client::orders()`: the Gateway's single-order endpoints (which IBKR
//! deprecates in favour of `/orders` with one order) and the answer to a
//! server prompt (Web API).

use crate::Method::Post;
use crate::Operation;

/// `Orders::place_single`
pub const PLACE_SINGLE: Operation = Operation::order("Orders::place_single")
    .gateway(Post, "/iserver/account/{accountId}/order")
    .body();
/// `Orders::what_if_single`
pub const WHAT_IF_SINGLE: Operation = Operation::write("Orders::what_if_single")
    .gateway(Post, "/iserver/account/{accountId}/order/whatif")
    .body();
/// `Orders::answer_prompt`: answers a prompt of an order reject; the
/// answer can submit the order, so it is an order write.
pub const ANSWER_PROMPT: Operation = Operation::order("Orders::answer_prompt")
    .web(Post, "/iserver/notification")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[PLACE_SINGLE, WHAT_IF_SINGLE, ANSWER_PROMPT];
