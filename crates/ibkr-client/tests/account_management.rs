//! `client.account_management()`: every method on the Web API against a
//! mock at `/gw/api/v1/...` directly under the host (not `/v1/api`), the
//! error paths, `Unsupported` on the Gateway, and IBKR's upstream examples
//! through the facade.
//!
//! The families are in `account_management/`.

mod common;

#[path = "account_management/accounts.rs"]
mod accounts;
#[path = "account_management/examples.rs"]
mod examples;
#[path = "account_management/instructions.rs"]
mod instructions;
#[path = "account_management/reports.rs"]
mod reports;
#[path = "account_management/requests.rs"]
mod requests;
#[path = "account_management/sso.rs"]
mod sso;

use std::future::Future;
use std::pin::Pin;

use httpmock::MockServer;
use ibkr_client::areas::account_management::{
    DateRange, EnumerationQuery, FormsQuery, Instruction, RequestStatusKind, StatementRequest,
    TaskKind, TaxDocumentRequest, TradeConfirmationRequest,
};
use ibkr_client::pacing::PacingTable;
use ibkr_client::retry::RetryPolicy;
use ibkr_client::{Client, Error, Variant};
use ibkr_ops::areas::account_management as ops;
use rust_decimal::Decimal;
use serde_json::json;

/// A compact signed JWT (header `{"alg":"RS256"}`, payload `{"a":1}`).
pub const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJl";

/// The firm's OAuth client id the instruction endpoints take.
pub const CLIENT_ID: &str = "my-client-id";

/// A Web API client against `server`, unpaced, with quick retries.
pub fn web(server: &MockServer) -> Client {
    let config = common::config(server, Variant::Web)
        .pacing(PacingTable::unlimited())
        .retry(RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(2),
        });
    Client::new(config).expect("client")
}

/// A mock answering `{}` to any request.
async fn answer_everything(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await
}

/// One facade call, its result reduced to success or the error.
type Call = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// Every method of the area, called with valid arguments; each entry
/// names its operation.
fn every_method(c: &Client) -> Vec<(&'static str, Call)> {
    let am = || c.clone();
    let range = || DateRange::new("2024-01-01", "2024-01-31");
    let deposit = || Instruction::deposit(1, "U1", "USD", Decimal::ONE, "WIRE");
    macro_rules! call {
        ($op:expr, |$a:ident| $body:expr) => {{
            let client = am();
            (
                $op.name,
                Box::pin(async move {
                    let $a = client.account_management();
                    $body.await.map(|_| ())
                }) as Call,
            )
        }};
    }
    vec![
        call!(ops::APPLICATION, |a| a.application(Some("U1"), None)),
        call!(ops::CREATE_ACCOUNT, |a| a.create_account(JWT)),
        call!(ops::UPDATE_ACCOUNT, |a| a.update_account(JWT)),
        call!(ops::SUBMIT_DOCUMENTS, |a| a.submit_documents(JWT)),
        call!(ops::LOGIN_MESSAGES, |a| a.login_messages(&range(), None)),
        call!(ops::ACCOUNT_STATUSES, |a| a.account_statuses(&range())),
        call!(ops::ACCOUNT_DETAILS, |a| a.account_details("U1")),
        call!(ops::KYC_URL, |a| a.kyc_url("U1")),
        call!(ops::ACCOUNT_LOGIN_MESSAGES, |a| a
            .account_login_messages("U1", None)),
        call!(ops::ACCOUNT_STATUS, |a| a.account_status("U1")),
        call!(ops::TASKS, |a| a.tasks("U1", TaskKind::Pending)),
        call!(ops::REQUESTS, |a| a.requests(&range())),
        call!(ops::REQUEST_STATUS, |a| a
            .request_status(1, RequestStatusKind::Update)),
        call!(ops::USERNAME_AVAILABILITY, |a| a
            .username_availability("jdoe")),
        call!(ops::ENUMERATIONS, |a| a
            .enumerations("STATES", &EnumerationQuery::default())),
        call!(ops::COMPLEX_ASSET_TRANSFER_BROKERS, |a| a
            .complex_asset_transfer_brokers(
                CLIENT_ID,
                "COMPLEX_ASSET_TRANSFER"
            )),
        call!(ops::FORMS, |a| a.forms(&FormsQuery::default())),
        call!(ops::PARTICIPATING_BANKS, |a| a
            .participating_banks(CLIENT_ID, "eDDA")),
        call!(ops::CREATE_SSO_BROWSER_SESSION, |a| a
            .create_sso_browser_session(JWT)),
        call!(ops::CREATE_SSO_SESSION, |a| a.create_sso_session(JWT)),
        call!(ops::ECHO_HTTPS, |a| a.echo_https()),
        call!(ops::ECHO_SIGNED_JWT, |a| a.echo_signed_jwt(JWT)),
        call!(ops::BANK_INSTRUCTION, |a| a.bank_instruction(
            CLIENT_ID,
            &Instruction::new("ACH_INSTRUCTION", json!({"clientInstructionId": 1}))
        )),
        call!(ops::QUERY_BANK_INSTRUCTIONS, |a| a.query_bank_instructions(
            CLIENT_ID,
            &Instruction::query_bank_instruction(1, "U1", "WIRE")
        )),
        call!(ops::EXTERNAL_ASSET_TRANSFER, |a| a.external_asset_transfer(
            CLIENT_ID,
            &Instruction::new("FOP", json!({"clientInstructionId": 1}))
        )),
        call!(ops::EXTERNAL_CASH_TRANSFER, |a| a
            .external_cash_transfer(CLIENT_ID, &deposit())),
        call!(ops::QUERY_CASH, |a| a.query_cash(
            CLIENT_ID,
            &Instruction::query_withdrawable_funds(1, "U1", "USD")
        )),
        call!(ops::INTERNAL_ASSET_TRANSFER, |a| a.internal_asset_transfer(
            CLIENT_ID,
            &Instruction::internal_position_transfer(1, "U1", "U2", 265598, "USD", Decimal::TEN)
        )),
        call!(ops::INTERNAL_CASH_TRANSFER, |a| a.internal_cash_transfer(
            CLIENT_ID,
            &Instruction::internal_cash_transfer(1, "U1", "U2", "USD", Decimal::ONE)
        )),
        call!(ops::CANCEL_INSTRUCTION, |a| a.cancel_instruction(
            CLIENT_ID,
            &Instruction::cancel(1, 2, "typo")
        )),
        call!(ops::QUERY_INSTRUCTIONS, |a| a.query_instructions(
            CLIENT_ID,
            &Instruction::query_recent_instructions(1, "U1", 5, None)
        )),
        call!(ops::INSTRUCTION_STATUS, |a| a
            .instruction_status(CLIENT_ID, 2)),
        call!(ops::CLIENT_INSTRUCTION_STATUS, |a| a
            .client_instruction_status(CLIENT_ID, 1)),
        call!(ops::INSTRUCTION_SET_STATUS, |a| a
            .instruction_set_status(CLIENT_ID, 3)),
        call!(ops::STATEMENT, |a| a.statement(&StatementRequest::new(
            "U1",
            "2024-01-01",
            "2024-01-31"
        ))),
        call!(ops::AVAILABLE_STATEMENTS, |a| a.available_statements("U1")),
        call!(ops::TAX_DOCUMENT, |a| a.tax_document(
            &TaxDocumentRequest::new("U1", 2024, "1099", "PDF")
        )),
        call!(ops::AVAILABLE_TAX_DOCUMENTS, |a| a
            .available_tax_documents("U1", 2024)),
        call!(ops::TRADE_CONFIRMATION, |a| a.trade_confirmation(
            &TradeConfirmationRequest::new("U1", "2024-01-01", "2024-01-31")
        )),
        call!(ops::AVAILABLE_TRADE_CONFIRMATIONS, |a| a
            .available_trade_confirmations("U1")),
    ]
}

#[tokio::test]
async fn every_operation_has_a_method_and_is_unsupported_on_the_gateway() {
    let server = MockServer::start_async().await;
    let anything = answer_everything(&server).await;
    let gateway = common::gateway(&server);
    let calls = every_method(&gateway);
    let names: Vec<&str> = calls.iter().map(|(name, _)| *name).collect();
    let table: Vec<&str> = ops::ALL.iter().map(|op| op.name).collect();
    assert_eq!(names, table, "one call per table entry, in order");
    for (name, call) in calls {
        match call.await {
            Err(Error::Unsupported { operation, variant }) => {
                assert_eq!(operation, name);
                assert_eq!(variant, Variant::Gateway);
            }
            other => panic!("{name} on the Gateway: {other:?}"),
        }
        assert!(!gateway.supports(name), "{name}");
        assert!(web(&server).supports(name), "{name}");
    }
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn every_method_goes_under_the_host_not_v1_api() {
    let server = MockServer::start_async().await;
    let under_host = server
        .mock_async(|when, then| {
            when.path_prefix("/gw/api/v1/");
            then.status(200).json_body(json!({}));
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/api");
            then.status(404);
        })
        .await;
    let client = web(&server);
    for (name, call) in every_method(&client) {
        // `{}` decodes into every answer type; a document is `{}` too.
        call.await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
    under_host.assert_calls_async(ops::ALL.len()).await;
    elsewhere.assert_calls_async(0).await;
}

#[tokio::test]
async fn problem_answers_are_http_errors_with_the_body() {
    let server = MockServer::start_async().await;
    let problem = json!({"type": "about:blank", "title": "Bad Request", "status": 400,
        "detail": "startDate is required", "invalidArguments": [{"field": "startDate"}]});
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(400)
                .header("content-type", "application/problem+json")
                .json_body(problem.clone());
        })
        .await;
    let client = web(&server);
    for (name, call) in every_method(&client) {
        match call.await {
            Err(Error::Http {
                operation,
                status,
                body,
            }) => {
                assert_eq!((operation, status), (name, 400));
                assert!(body.contains("startDate is required"), "{body}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn has_error_answers_are_api_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U9/details");
            then.status(200).json_body(json!({
                "hasError": true, "errorDescription": "Account U9 not found",
                "error": {"hasError": true, "errorDescription": "Account U9 not found"}
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U9/kyc");
            then.status(200).json_body(
                json!({"hasError": "true", "error": {"errorDescription": "no applicant"}}),
            );
        })
        .await;
    let am = web(&server);
    let err = am
        .account_management()
        .account_details("U9")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { operation, message, body }
            if *operation == "AccountManagement::account_details"
                && message == "Account U9 not found" && body.contains("hasError")),
        "{err:?}"
    );
    let err = am.account_management().kyc_url("U9").await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { message, .. } if message == "no applicant"),
        "{err:?}"
    );
}

#[tokio::test]
async fn reads_are_retried_and_transfers_sent_once() {
    let server = MockServer::start_async().await;
    let status = server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U1/status");
            then.status(503).body("busy");
        })
        .await;
    let transfer = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/internal-cash-transfers");
            then.status(503).body("busy");
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let err = am.account_status("U1").await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    status.assert_calls_async(3).await;
    let cash = Instruction::internal_cash_transfer(1, "U1", "U2", "USD", Decimal::ONE);
    let err = am
        .internal_cash_transfer(CLIENT_ID, &cash)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    transfer.assert_calls_async(1).await;
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = answer_everything(&server).await;
    let client = web(&server);
    let am = client.account_management();
    // Not a signed JWT: the payload itself, an unsigned token.
    for token in [
        r#"{"application": {}}"#,
        "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.",
        "",
    ] {
        let err = am.create_account(token).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument(_)),
            "{token:?}: {err:?}"
        );
    }
    // A deposit sent to the internal transfer endpoint.
    let deposit = Instruction::deposit(1, "U1", "USD", Decimal::ONE, "WIRE");
    let err = am
        .internal_cash_transfer(CLIENT_ID, &deposit)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    // No idempotency key.
    let bare = Instruction::new("DEPOSIT", json!({"accountId": "U1"}));
    let err = am
        .external_cash_transfer(CLIENT_ID, &bare)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    // An id that is no path segment.
    let err = am.account_details("..").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    anything.assert_calls_async(0).await;
}
