//! `Client::accounts()`.

use crate::Method::{Get, Post};
use crate::Operation;

/// `Accounts::brokerage_accounts`
pub const BROKERAGE_ACCOUNTS: Operation =
    Operation::read("Accounts::brokerage_accounts").both(Get, "/iserver/accounts");
/// `Accounts::portfolio_accounts`
pub const PORTFOLIO_ACCOUNTS: Operation =
    Operation::read("Accounts::portfolio_accounts").both(Get, "/portfolio/accounts");
/// `Accounts::subaccounts`
pub const SUBACCOUNTS: Operation =
    Operation::read("Accounts::subaccounts").both(Get, "/portfolio/subaccounts");
/// `Accounts::summary`
pub const SUMMARY: Operation =
    Operation::read("Accounts::summary").both(Get, "/portfolio/{accountId}/summary");
/// `Accounts::ledger`
pub const LEDGER: Operation =
    Operation::read("Accounts::ledger").both(Get, "/portfolio/{accountId}/ledger");
/// `Accounts::meta`
pub const META: Operation =
    Operation::read("Accounts::meta").both(Get, "/portfolio/{accountId}/meta");
/// `Accounts::allocation`
pub const ALLOCATION: Operation =
    Operation::read("Accounts::allocation").both(Get, "/portfolio/{accountId}/allocation");
/// `Accounts::switch_account`
pub const SWITCH_ACCOUNT: Operation = Operation::write("Accounts::switch_account")
    .both(Post, "/iserver/account")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[
    BROKERAGE_ACCOUNTS,
    PORTFOLIO_ACCOUNTS,
    SUBACCOUNTS,
    SUMMARY,
    LEDGER,
    META,
    ALLOCATION,
    SWITCH_ACCOUNT,
];
