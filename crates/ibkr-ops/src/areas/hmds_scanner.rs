//! `Client::scanner()`'s HMDS scanner: its parameters (Web API) and a
//! scan run on either variant (`/hmds/scanner/run` on the Web API,
//! `/hmds/scanner` on the Gateway).

use crate::Method::{Get, Post};
use crate::Operation;

/// `Scanner::hmds_params`
pub const HMDS_PARAMS: Operation =
    Operation::read("Scanner::hmds_params").web(Get, "/hmds/scanner/params");
/// `Scanner::hmds_run`
pub const HMDS_RUN: Operation = Operation::read("Scanner::hmds_run")
    .web(Post, "/hmds/scanner/run")
    .gateway(Post, "/hmds/scanner")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[HMDS_PARAMS, HMDS_RUN];
