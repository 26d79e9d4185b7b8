//! `Client::session()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `Session::init_brokerage_session`
pub const INIT_BROKERAGE_SESSION: Operation = Operation::write("Session::init_brokerage_session")
    .web(Post, "/iserver/auth/ssodh/init")
    .gateway_undocumented(Post, "/iserver/auth/ssodh/init")
    .body();
/// `Session::auth_status`
pub const AUTH_STATUS: Operation =
    Operation::read("Session::auth_status").both(Post, "/iserver/auth/status");
/// `Session::reauthenticate`: IBKR deprecated it; when a spec drops it, the
/// facade reports `Unsupported` instead of sending it.
pub const REAUTHENTICATE: Operation = Operation::write("Session::reauthenticate")
    .web(Get, "/iserver/reauthenticate")
    .gateway(Post, "/iserver/reauthenticate")
    .unsupported_if_missing();
/// `Session::logout`
pub const LOGOUT: Operation = Operation::write("Session::logout").both(Post, "/logout");
/// `Session::validate_sso`
pub const VALIDATE_SSO: Operation =
    Operation::read("Session::validate_sso").both(Get, "/sso/validate");
/// `Session::tickle`
pub const TICKLE: Operation = Operation::read("Session::tickle").both(Post, "/tickle");

/// This area's operations.
pub const ALL: &[Operation] = &[
    INIT_BROKERAGE_SESSION,
    AUTH_STATUS,
    REAUTHENTICATE,
    LOGOUT,
    VALIDATE_SSO,
    TICKLE,
];
