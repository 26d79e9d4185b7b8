//! Account management (`/gw/api/v1/...`): IBKR's API for **brokers and
//! introducing firms** that open and run accounts on behalf of their
//! clients. An individual account holder has no use for it (and IBKR
//! refuses it without the firm's credentials).
//!
//! Web API only: every method fails with [`Error::Unsupported`] on the
//! Gateway, before anything is sent. Its paths live directly under the host
//! (`https://api.ibkr.com/gw/api/v1/...`), not under `/v1/api`; the client
//! sends them there, authenticated, paced and (reads only) retried like
//! every other request.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::account_management::{DateRange, Instruction};
//! use rust_decimal::Decimal;
//!
//! let am = client.account_management();
//! let details = am.account_details("U1234567").await?;
//! println!("{:?} {:?}", details.account.and_then(|a| a.base_currency), details.restrictions);
//! let statuses = am.account_statuses(&DateRange::new("2024-01-01", "2024-01-31")).await?;
//! println!("{} accounts", statuses.accounts.len());
//!
//! // Money movement takes the firm's OAuth client id and your own
//! // instruction id (IBKR's idempotency key: poll it after a timeout).
//! let deposit = Instruction::deposit(1012983, "U1234567", "USD", Decimal::new(10_000, 2), "WIRE");
//! let ack = am.external_cash_transfer("my-client-id", &deposit).await?;
//! let status = am.client_instruction_status("my-client-id", 1012983).await?;
//! println!("{:?} then {:?}", ack.result.instruction_status, status.result.instruction_status);
//! # Ok(()) }
//! ```
//!
//! # Families
//!
//! - [`accounts`]: applications (create, update, documents: signed JWTs),
//!   account details, statuses, KYC link, registration and pending tasks,
//!   login messages.
//! - [`requests`]: submitted requests and their status, user name
//!   validation, enumerations, forms, participating banks, brokers of
//!   complex asset transfers.
//! - [`sso`]: SSO sessions on behalf of an end user, and the echo
//!   endpoints that test the firm's HTTPS and signed-JWT access.
//! - [`instructions`]: bank instructions, cash and position transfers
//!   (internal and external), cancellation, queries, and polling of
//!   instructions and instruction sets.
//! - [`reports`]: statements, tax documents and trade confirmations (the
//!   document's bytes, PDF, HTML or JSON) and their available dates.
//!
//! # What is typed, what is kept whole
//!
//! The fields a broker integration reads (ids, statuses, dates, names,
//! amounts as exact [`rust_decimal::Decimal`]s) are typed. IBKR's answers
//! carry much more (KYC details, financial information, questionnaires,
//! the processed application); nothing is dropped: every response type
//! has an `extra` map ([`Extra`]) holding each field it does not type, as
//! IBKR sent it, and fields whose shape depends on the request (an
//! enumeration's data, a processed application) are a
//! [`serde_json::Value`]. Only IBKR's error block (`hasError`,
//! `errorDescription`, `error`) is read apart: see below. Applications and account updates are sent as
//! the signed JWT you build from IBKR's payload (see [`accounts`]); the
//! facade does not model the application form.
//!
//! An answer carrying IBKR's `"hasError": true` is [`Error::Api`] with
//! IBKR's `errorDescription`, never a value. IBKR's problem answers (400,
//! 403, 422, ...) are [`Error::Http`] with the body.

pub use ibkr_model::areas::account_management::*;

pub mod accounts;

pub mod instructions;

pub mod reports;

pub mod requests;

pub mod sso;

use crate::client::Client;
use crate::decode;
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result};
use crate::lenient;
use crate::transport::request::Call;
use ibkr_ops::Operation;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Account management operations, from [`Client::account_management`].
/// For brokers and introducing firms; Web API only.
#[derive(Debug, Clone, Copy)]
pub struct AccountManagement<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Account management (`/gw/api/v1/...`), for brokers and introducing
    /// firms: applications, account details, KYC, funding and transfers,
    /// statements and tax documents, SSO sessions. Web API only (each
    /// method is [`Error::Unsupported`] on the Gateway).
    pub fn account_management(&self) -> AccountManagement<'_> {
        AccountManagement { client: self }
    }
}

/// `call` with `range` in its query.
fn with_range<'c>(call: Call<'c>, range: &DateRange) -> Call<'c> {
    call.query("startDate", &range.start_date)
        .query("endDate", &range.end_date)
        .query_opt("offset", range.offset)
        .query_opt("limit", range.limit)
        .query_opt("status", range.status.as_deref())
}

/// IBKR's error block (`hasError`, `errorDescription`, `error`), read
/// beside an answer's own fields.
#[derive(LenientDeserialize)]
struct ErrorBlock {
    #[serde(
        default,
        rename = "hasError",
        deserialize_with = "lenient::bool_or_false"
    )]
    has_error: bool,
    #[serde(
        default,
        rename = "errorDescription",
        deserialize_with = "lenient::opt_string"
    )]
    description: Option<String>,
    #[serde(default)]
    error: Option<Value>,
}

/// An answer with IBKR's error block taken out of it.
#[derive(Deserialize)]
struct Checked<T> {
    #[serde(flatten)]
    block: ErrorBlock,
    #[serde(flatten)]
    value: T,
}

impl ErrorBlock {
    /// IBKR's message when the block reports an error.
    fn message(&self) -> Option<String> {
        if !self.has_error {
            return None;
        }
        let nested = self.error.as_ref().and_then(|e| {
            e.get("errorDescription")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        Some(
            self.description
                .clone()
                .or(nested)
                .unwrap_or_else(|| "IBKR reported an error (hasError)".into()),
        )
    }
}

/// Sends `call` of `op` and decodes its object; an answer whose error
/// block says `hasError` is [`Error::Api`].
pub(crate) async fn fetch<T: DeserializeOwned>(
    op: &'static Operation,
    call: Call<'_>,
) -> Result<T> {
    let body = call.send().await?;
    let checked: Checked<T> = decode::object(op.name, op.class, &body)?;
    match checked.block.message() {
        Some(message) => Err(Error::Api {
            operation: op.name,
            message,
            body: String::from_utf8_lossy(&body).into_owned(),
        }),
        None => Ok(checked.value),
    }
}

/// Checks that `token` is a signed JWT in compact form (three non-empty
/// base64url parts joined by dots: an unsigned token has an empty third
/// part) before it is sent as an `application/jwt` body.
fn check_jwt(op: &'static Operation, token: &str) -> Result<()> {
    let parts: Vec<&str> = token.split('.').collect();
    let base64url = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    };
    if parts.len() == 3 && parts.iter().all(base64url) {
        return Ok(());
    }
    Err(Error::InvalidArgument(format!(
        "{}: the body must be a signed JWT in compact form (header.payload.signature)",
        op.name
    )))
}

impl AccountManagement<'_> {
    /// Sends `signed_jwt` as the `application/jwt` body of `op`.
    async fn send_jwt<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        signed_jwt: &str,
    ) -> Result<T> {
        check_jwt(op, signed_jwt)?;
        let call = self
            .client
            .op(op)?
            .body_bytes("application/jwt", signed_jwt.as_bytes().to_vec());
        fetch(op, call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &Operation = &ibkr_ops::areas::account_management::CREATE_ACCOUNT;

    #[test]
    fn only_compact_jwts_are_sent() {
        assert!(check_jwt(OP, "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln").is_ok());
        // An unsigned token (`alg: none`, empty signature) is refused.
        let unsigned = "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.";
        for bad in [
            "",
            "{\"application\":{}}",
            "a.b",
            "a.b.c.d",
            "a .b.c",
            ".b.c",
            unsigned,
        ] {
            assert!(
                matches!(check_jwt(OP, bad), Err(Error::InvalidArgument(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_error_block_is_an_error_only_when_it_says_so() {
        let ok: Checked<FileData> =
            serde_json::from_str(r#"{"name":"a","hasError":false}"#).unwrap();
        assert_eq!(ok.block.message(), None);
        assert_eq!(ok.value.name.as_deref(), Some("a"));
        let bad: Checked<FileData> =
            serde_json::from_str(r#"{"hasError":true,"error":{"errorDescription":"nested"}}"#)
                .unwrap();
        assert_eq!(bad.block.message().as_deref(), Some("nested"));
        let bad: Checked<FileData> =
            serde_json::from_str(r#"{"hasError":"true","errorDescription":"top"}"#).unwrap();
        assert_eq!(bad.block.message().as_deref(), Some("top"));
    }
}
