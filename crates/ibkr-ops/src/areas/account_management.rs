//! `Client::account_management()`: IBKR's account management API
//! (`/gw/api/v1/...`), for brokers and introducing firms. Web API only;
//! its paths live directly under the host, not under `/v1/api`.
//!
//! The bodies of account applications, account updates, document
//! submissions, SSO sessions and the signed-JWT echo are signed JWTs
//! (`application/jwt`); `body` marks them like JSON bodies.

use crate::Audience::Brokers;
use crate::Method::{Get, Patch, Post};
use crate::Operation;

const fn read(name: &'static str, path: &'static str) -> Operation {
    Operation::read(name).web(Get, path).audience(Brokers)
}

const fn write(name: &'static str, path: &'static str) -> Operation {
    Operation::write(name)
        .web(Post, path)
        .body()
        .audience(Brokers)
}

/// The query of the date-range listings (login messages, account statuses,
/// requests).
const RANGE: &[&str] = &["startDate", "endDate", "offset", "limit", "status"];
/// The broker's OAuth client id, which every instruction endpoint takes.
const CLIENT_ID: &[&str] = &["client-id"];

// Accounts and applications.

/// `AccountManagement::application` (a processed application, by account
/// or external id)
pub const APPLICATION: Operation = read("AccountManagement::application", "/gw/api/v1/accounts")
    .query(&["accountId", "externalId"]);
/// `AccountManagement::create_account` (signed JWT body)
pub const CREATE_ACCOUNT: Operation =
    write("AccountManagement::create_account", "/gw/api/v1/accounts");
/// `AccountManagement::update_account` (signed JWT body)
pub const UPDATE_ACCOUNT: Operation = Operation::write("AccountManagement::update_account")
    .web(Patch, "/gw/api/v1/accounts")
    .body()
    .audience(Brokers);
/// `AccountManagement::submit_documents` (signed JWT body)
pub const SUBMIT_DOCUMENTS: Operation = write(
    "AccountManagement::submit_documents",
    "/gw/api/v1/accounts/documents",
);
/// `AccountManagement::login_messages`
pub const LOGIN_MESSAGES: Operation = read(
    "AccountManagement::login_messages",
    "/gw/api/v1/accounts/login-messages",
)
.query(&["startDate", "endDate", "offset", "limit", "status", "type"]);
/// `AccountManagement::account_statuses`
pub const ACCOUNT_STATUSES: Operation = read(
    "AccountManagement::account_statuses",
    "/gw/api/v1/accounts/status",
)
.query(RANGE);
/// `AccountManagement::account_details`
pub const ACCOUNT_DETAILS: Operation = read(
    "AccountManagement::account_details",
    "/gw/api/v1/accounts/{accountId}/details",
);
/// `AccountManagement::kyc_url` (Au10Tix identity verification)
pub const KYC_URL: Operation = read(
    "AccountManagement::kyc_url",
    "/gw/api/v1/accounts/{accountId}/kyc",
);
/// `AccountManagement::account_login_messages`
pub const ACCOUNT_LOGIN_MESSAGES: Operation = read(
    "AccountManagement::account_login_messages",
    "/gw/api/v1/accounts/{accountId}/login-messages",
)
.query(&["type"]);
/// `AccountManagement::account_status`
pub const ACCOUNT_STATUS: Operation = read(
    "AccountManagement::account_status",
    "/gw/api/v1/accounts/{accountId}/status",
);
/// `AccountManagement::tasks` (registration or pending tasks)
pub const TASKS: Operation = read(
    "AccountManagement::tasks",
    "/gw/api/v1/accounts/{accountId}/tasks",
)
.query(&["type"]);

// Requests, validations, enumerations, forms.

/// `AccountManagement::requests`
pub const REQUESTS: Operation =
    read("AccountManagement::requests", "/gw/api/v1/requests").query(RANGE);
/// `AccountManagement::request_status`
pub const REQUEST_STATUS: Operation = read(
    "AccountManagement::request_status",
    "/gw/api/v1/requests/{requestId}/status",
)
.query(&["type"]);
/// `AccountManagement::username_availability`
pub const USERNAME_AVAILABILITY: Operation = read(
    "AccountManagement::username_availability",
    "/gw/api/v1/validations/usernames/{username}",
);
/// `AccountManagement::enumerations`
pub const ENUMERATIONS: Operation = read(
    "AccountManagement::enumerations",
    "/gw/api/v1/enumerations/{enumerationType}",
)
.query(&[
    "currency",
    "ibEntity",
    "mdStatusNonPro",
    "form-number",
    "language",
    "accountId",
]);
/// `AccountManagement::complex_asset_transfer_brokers`
pub const COMPLEX_ASSET_TRANSFER_BROKERS: Operation = read(
    "AccountManagement::complex_asset_transfer_brokers",
    "/gw/api/v1/enumerations/complex-asset-transfer",
)
.query(&["client-id", "instructionType"]);
/// `AccountManagement::forms`
pub const FORMS: Operation = read("AccountManagement::forms", "/gw/api/v1/forms").query(&[
    "formNo",
    "getDocs",
    "fromDate",
    "toDate",
    "language",
    "projection",
]);
/// `AccountManagement::participating_banks`
pub const PARTICIPATING_BANKS: Operation = read(
    "AccountManagement::participating_banks",
    "/gw/api/v1/participating-banks",
)
.query(&["client-id", "type"]);

// SSO sessions and echo.

/// `AccountManagement::create_sso_browser_session` (signed JWT body)
pub const CREATE_SSO_BROWSER_SESSION: Operation = write(
    "AccountManagement::create_sso_browser_session",
    "/gw/api/v1/sso-browser-sessions",
);
/// `AccountManagement::create_sso_session` (signed JWT body)
pub const CREATE_SSO_SESSION: Operation = write(
    "AccountManagement::create_sso_session",
    "/gw/api/v1/sso-sessions",
);
/// `AccountManagement::echo_https`
pub const ECHO_HTTPS: Operation = read("AccountManagement::echo_https", "/gw/api/v1/echo/https");
/// `AccountManagement::echo_signed_jwt` (signed JWT body)
pub const ECHO_SIGNED_JWT: Operation = write(
    "AccountManagement::echo_signed_jwt",
    "/gw/api/v1/echo/signed-jwt",
);

// Banking, transfers and instructions (all take the broker's `client-id`).

/// `AccountManagement::bank_instruction`
pub const BANK_INSTRUCTION: Operation = write(
    "AccountManagement::bank_instruction",
    "/gw/api/v1/bank-instructions",
)
.query(CLIENT_ID);
/// `AccountManagement::query_bank_instructions`
pub const QUERY_BANK_INSTRUCTIONS: Operation = write(
    "AccountManagement::query_bank_instructions",
    "/gw/api/v1/bank-instructions/query",
)
.query(CLIENT_ID);
/// `AccountManagement::external_asset_transfer`
pub const EXTERNAL_ASSET_TRANSFER: Operation = write(
    "AccountManagement::external_asset_transfer",
    "/gw/api/v1/external-asset-transfers",
)
.query(CLIENT_ID);
/// `AccountManagement::external_cash_transfer` (deposit or withdrawal)
pub const EXTERNAL_CASH_TRANSFER: Operation = write(
    "AccountManagement::external_cash_transfer",
    "/gw/api/v1/external-cash-transfers",
)
.query(CLIENT_ID);
/// `AccountManagement::query_cash` (withdrawable funds, IRA contributions)
pub const QUERY_CASH: Operation = write(
    "AccountManagement::query_cash",
    "/gw/api/v1/external-cash-transfers/query",
)
.query(CLIENT_ID);
/// `AccountManagement::internal_asset_transfer`
pub const INTERNAL_ASSET_TRANSFER: Operation = write(
    "AccountManagement::internal_asset_transfer",
    "/gw/api/v1/internal-asset-transfers",
)
.query(CLIENT_ID);
/// `AccountManagement::internal_cash_transfer`
pub const INTERNAL_CASH_TRANSFER: Operation = write(
    "AccountManagement::internal_cash_transfer",
    "/gw/api/v1/internal-cash-transfers",
)
.query(CLIENT_ID);
/// `AccountManagement::cancel_instruction`
pub const CANCEL_INSTRUCTION: Operation = write(
    "AccountManagement::cancel_instruction",
    "/gw/api/v1/instructions/cancel",
)
.query(CLIENT_ID);
/// `AccountManagement::query_instructions` (recent transaction history)
pub const QUERY_INSTRUCTIONS: Operation = write(
    "AccountManagement::query_instructions",
    "/gw/api/v1/instructions/query",
)
.query(CLIENT_ID);
/// `AccountManagement::instruction_status`
pub const INSTRUCTION_STATUS: Operation = read(
    "AccountManagement::instruction_status",
    "/gw/api/v1/instructions/{instructionId}",
)
.query(CLIENT_ID);
/// `AccountManagement::client_instruction_status`
pub const CLIENT_INSTRUCTION_STATUS: Operation = read(
    "AccountManagement::client_instruction_status",
    "/gw/api/v1/client-instructions/{clientInstructionId}",
)
.query(CLIENT_ID);
/// `AccountManagement::instruction_set_status`
pub const INSTRUCTION_SET_STATUS: Operation = read(
    "AccountManagement::instruction_set_status",
    "/gw/api/v1/instruction-sets/{instructionSetId}",
)
.query(CLIENT_ID);

// Reporting. The document requests are POSTs without side effects: reads.

/// `AccountManagement::statement`
pub const STATEMENT: Operation = Operation::read("AccountManagement::statement")
    .web(Post, "/gw/api/v1/statements")
    .body()
    .audience(Brokers);
/// `AccountManagement::available_statements`
pub const AVAILABLE_STATEMENTS: Operation = read(
    "AccountManagement::available_statements",
    "/gw/api/v1/statements/available",
)
.query(&["accountId"]);
/// `AccountManagement::tax_document`
pub const TAX_DOCUMENT: Operation = Operation::read("AccountManagement::tax_document")
    .web(Post, "/gw/api/v1/tax-documents")
    .body()
    .audience(Brokers);
/// `AccountManagement::available_tax_documents`
pub const AVAILABLE_TAX_DOCUMENTS: Operation = read(
    "AccountManagement::available_tax_documents",
    "/gw/api/v1/tax-documents/available",
)
.query(&["accountId", "year"]);
/// `AccountManagement::trade_confirmation`
pub const TRADE_CONFIRMATION: Operation = Operation::read("AccountManagement::trade_confirmation")
    .web(Post, "/gw/api/v1/trade-confirmations")
    .body()
    .audience(Brokers);
/// `AccountManagement::available_trade_confirmations`
pub const AVAILABLE_TRADE_CONFIRMATIONS: Operation = read(
    "AccountManagement::available_trade_confirmations",
    "/gw/api/v1/trade-confirmations/available",
)
.query(&["accountId"]);

/// This area's operations.
pub const ALL: &[Operation] = &[
    APPLICATION,
    CREATE_ACCOUNT,
    UPDATE_ACCOUNT,
    SUBMIT_DOCUMENTS,
    LOGIN_MESSAGES,
    ACCOUNT_STATUSES,
    ACCOUNT_DETAILS,
    KYC_URL,
    ACCOUNT_LOGIN_MESSAGES,
    ACCOUNT_STATUS,
    TASKS,
    REQUESTS,
    REQUEST_STATUS,
    USERNAME_AVAILABILITY,
    ENUMERATIONS,
    COMPLEX_ASSET_TRANSFER_BROKERS,
    FORMS,
    PARTICIPATING_BANKS,
    CREATE_SSO_BROWSER_SESSION,
    CREATE_SSO_SESSION,
    ECHO_HTTPS,
    ECHO_SIGNED_JWT,
    BANK_INSTRUCTION,
    QUERY_BANK_INSTRUCTIONS,
    EXTERNAL_ASSET_TRANSFER,
    EXTERNAL_CASH_TRANSFER,
    QUERY_CASH,
    INTERNAL_ASSET_TRANSFER,
    INTERNAL_CASH_TRANSFER,
    CANCEL_INSTRUCTION,
    QUERY_INSTRUCTIONS,
    INSTRUCTION_STATUS,
    CLIENT_INSTRUCTION_STATUS,
    INSTRUCTION_SET_STATUS,
    STATEMENT,
    AVAILABLE_STATEMENTS,
    TAX_DOCUMENT,
    AVAILABLE_TAX_DOCUMENTS,
    TRADE_CONFIRMATION,
    AVAILABLE_TRADE_CONFIRMATIONS,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Audience, Class};

    #[test]
    fn every_operation_is_a_web_only_broker_operation_under_gw() {
        assert_eq!(ALL.len(), 40);
        for op in ALL {
            assert!(op.gateway.is_none(), "{}", op.name);
            let route = op.web.expect("a Web API route");
            assert!(route.path.starts_with("/gw/api/v1/"), "{}", op.name);
            assert_eq!(op.audience, Audience::Brokers, "{}", op.name);
            assert!(op.name.starts_with("AccountManagement::"), "{}", op.name);
            assert_ne!(op.class, Class::Order, "{}", op.name);
        }
    }
}
