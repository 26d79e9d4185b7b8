//! `Client::scanner()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `Scanner::params`
pub const PARAMS: Operation =
    Operation::read("Scanner::params").both(Get, "/iserver/scanner/params");
/// `Scanner::run`
pub const RUN: Operation = Operation::read("Scanner::run")
    .both(Post, "/iserver/scanner/run")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[PARAMS, RUN];
