//! IBKR's own response examples (from the upstream specs) through the
//! facade: each is served at its operation's route under the host, with
//! the status it is documented under, and must decode without losing a
//! field: every key of the example is in the decoded value (serialized
//! back), with the same value (numbers compared exactly, `""` read as
//! missing).

use httpmock::MockServer;
use ibkr_client::areas::account_management::{
    DateRange, EnumerationQuery, FormsQuery, Instruction, RequestStatusKind, StatementRequest,
    TaskKind, TaxDocumentRequest, TradeConfirmationRequest,
};
use ibkr_client::{Client, Error};
use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::common::examples::{self, shared_dir, skip_message};
use super::{CLIENT_ID, JWT, web};

/// The route with every placeholder filled.
fn fill(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("closed");
        out.push_str(match &rest[open + 1..close] {
            "accountId" => "U1",
            "username" => "jdoe",
            "enumerationType" => "STATES",
            _ => "1",
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn value(result: ibkr_client::Result<impl Serialize>) -> ibkr_client::Result<Value> {
    result.map(|v| serde_json::to_value(v).expect("serializes"))
}

/// An instruction of a type `op` takes.
fn instruction(instruction_type: &str) -> Instruction {
    Instruction::new(instruction_type, json!({"clientInstructionId": 1}))
}

/// Calls the facade method of `op`; its answer serialized.
async fn call(op: &Operation, c: &Client) -> ibkr_client::Result<Value> {
    let am = c.account_management();
    let range = DateRange::new("2024-01-01", "2024-01-31");
    match op.name {
        n if n == ops::APPLICATION.name => value(am.application(Some("U1"), None).await),
        n if n == ops::CREATE_ACCOUNT.name => value(am.create_account(JWT).await),
        n if n == ops::UPDATE_ACCOUNT.name => value(am.update_account(JWT).await),
        n if n == ops::SUBMIT_DOCUMENTS.name => value(am.submit_documents(JWT).await),
        n if n == ops::LOGIN_MESSAGES.name => value(am.login_messages(&range, None).await),
        n if n == ops::ACCOUNT_STATUSES.name => value(am.account_statuses(&range).await),
        n if n == ops::ACCOUNT_DETAILS.name => value(am.account_details("U1").await),
        n if n == ops::KYC_URL.name => value(am.kyc_url("U1").await),
        n if n == ops::ACCOUNT_LOGIN_MESSAGES.name => {
            value(am.account_login_messages("U1", None).await)
        }
        n if n == ops::ACCOUNT_STATUS.name => value(am.account_status("U1").await),
        n if n == ops::TASKS.name => value(am.tasks("U1", TaskKind::Pending).await),
        n if n == ops::REQUESTS.name => value(am.requests(&range).await),
        n if n == ops::REQUEST_STATUS.name => {
            value(am.request_status(1, RequestStatusKind::Response).await)
        }
        n if n == ops::USERNAME_AVAILABILITY.name => value(am.username_availability("jdoe").await),
        n if n == ops::ENUMERATIONS.name => value(
            am.enumerations("STATES", &EnumerationQuery::default())
                .await,
        ),
        n if n == ops::COMPLEX_ASSET_TRANSFER_BROKERS.name => value(
            am.complex_asset_transfer_brokers(CLIENT_ID, "COMPLEX_ASSET_TRANSFER")
                .await,
        ),
        n if n == ops::FORMS.name => value(am.forms(&FormsQuery::default()).await),
        n if n == ops::PARTICIPATING_BANKS.name => {
            value(am.participating_banks(CLIENT_ID, "eDDA").await)
        }
        n if n == ops::CREATE_SSO_BROWSER_SESSION.name => {
            value(am.create_sso_browser_session(JWT).await)
        }
        n if n == ops::CREATE_SSO_SESSION.name => value(am.create_sso_session(JWT).await),
        n if n == ops::ECHO_HTTPS.name => value(am.echo_https().await),
        n if n == ops::ECHO_SIGNED_JWT.name => value(am.echo_signed_jwt(JWT).await),
        n if n == ops::BANK_INSTRUCTION.name => value(
            am.bank_instruction(CLIENT_ID, &instruction("ACH_INSTRUCTION"))
                .await,
        ),
        n if n == ops::QUERY_BANK_INSTRUCTIONS.name => value(
            am.query_bank_instructions(CLIENT_ID, &instruction("QUERY_BANK_INSTRUCTION"))
                .await,
        ),
        n if n == ops::EXTERNAL_ASSET_TRANSFER.name => value(
            am.external_asset_transfer(CLIENT_ID, &instruction("FOP"))
                .await,
        ),
        n if n == ops::EXTERNAL_CASH_TRANSFER.name => value(
            am.external_cash_transfer(CLIENT_ID, &instruction("DEPOSIT"))
                .await,
        ),
        n if n == ops::QUERY_CASH.name => value(
            am.query_cash(CLIENT_ID, &instruction("QUERY_WITHDRAWABLE_FUNDS"))
                .await,
        ),
        n if n == ops::INTERNAL_ASSET_TRANSFER.name => value(
            am.internal_asset_transfer(CLIENT_ID, &instruction("INTERNAL_POSITION_TRANSFER"))
                .await,
        ),
        n if n == ops::INTERNAL_CASH_TRANSFER.name => value(
            am.internal_cash_transfer(CLIENT_ID, &instruction("INTERNAL_CASH_TRANSFER"))
                .await,
        ),
        n if n == ops::CANCEL_INSTRUCTION.name => value(
            am.cancel_instruction(CLIENT_ID, &instruction("CANCEL_INSTRUCTION"))
                .await,
        ),
        n if n == ops::QUERY_INSTRUCTIONS.name => value(
            am.query_instructions(CLIENT_ID, &instruction("QUERY_RECENT_INSTRUCTIONS"))
                .await,
        ),
        n if n == ops::INSTRUCTION_STATUS.name => value(am.instruction_status(CLIENT_ID, 1).await),
        n if n == ops::CLIENT_INSTRUCTION_STATUS.name => {
            value(am.client_instruction_status(CLIENT_ID, 1).await)
        }
        n if n == ops::INSTRUCTION_SET_STATUS.name => {
            value(am.instruction_set_status(CLIENT_ID, 1).await)
        }
        n if n == ops::STATEMENT.name => am
            .statement(&StatementRequest::new("U1", "2024-01-01", "2024-01-31"))
            .await
            .map(|d| d.json().unwrap_or_default()),
        n if n == ops::AVAILABLE_STATEMENTS.name => value(am.available_statements("U1").await),
        n if n == ops::TAX_DOCUMENT.name => am
            .tax_document(&TaxDocumentRequest::new("U1", 2024, "1099", "PDF"))
            .await
            .map(|d| d.json().unwrap_or_default()),
        n if n == ops::AVAILABLE_TAX_DOCUMENTS.name => {
            value(am.available_tax_documents("U1", 2024).await)
        }
        n if n == ops::TRADE_CONFIRMATION.name => am
            .trade_confirmation(&TradeConfirmationRequest::new(
                "U1",
                "2024-01-01",
                "2024-01-31",
            ))
            .await
            .map(|d| d.json().unwrap_or_default()),
        n if n == ops::AVAILABLE_TRADE_CONFIRMATIONS.name => {
            value(am.available_trade_confirmations("U1").await)
        }
        other => panic!("no call for {other}"),
    }
}

/// Whether the decoded `got` holds every key of `expected` with its value.
fn covers(expected: &Value, got: &Value, at: &str) -> Result<(), String> {
    let exact = |v: &Value| match v {
        Value::Number(n) => n.to_string().parse::<Decimal>().ok(),
        Value::String(s) => s.parse::<Decimal>().ok(),
        _ => None,
    };
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => e.iter().try_for_each(|(k, v)| {
            let inner = g.get(k).ok_or_else(|| format!("{at}.{k} is lost"))?;
            covers(v, inner, &format!("{at}.{k}"))
        }),
        (Value::Array(e), Value::Array(g)) if e.len() == g.len() => e
            .iter()
            .zip(g)
            .enumerate()
            .try_for_each(|(i, (e, g))| covers(e, g, &format!("{at}[{i}]"))),
        (Value::String(s), Value::Null) if s.is_empty() => Ok(()),
        (Value::Number(_), _) if exact(expected).is_some() && exact(expected) == exact(got) => {
            Ok(())
        }
        (e, g) if e == g => Ok(()),
        (e, g) => Err(format!("{at}: {e} became {g}")),
    }
}

#[tokio::test]
async fn upstream_examples_decode_without_loss() {
    if shared_dir().is_none() {
        skip_message("account_management::upstream_examples_decode_without_loss");
        return;
    }
    let mut checked = 0;
    let mut with_examples = 0;
    for op in ops::ALL {
        let route = op.web.expect("a Web API route");
        let path = fill(route.path);
        let found = examples::for_route("web", &route);
        with_examples += usize::from(!found.is_empty());
        for example in found {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(route.method.as_str()).path(path.as_str());
                    then.status(example.status)
                        .header("content-type", "application/json")
                        .body(&example.body);
                })
                .await;
            let expected: Value = serde_json::from_str(&example.body).expect("example JSON");
            let result = call(op, &web(&server)).await;
            mock.assert_async().await;
            match expected.get("error").and_then(Value::as_str) {
                Some(message) => assert!(
                    matches!(&result, Err(Error::Api { message: m, .. }) if m == message),
                    "{}: {result:?}",
                    example.origin
                ),
                None => {
                    let got = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.origin));
                    covers(&expected, &got, "")
                        .unwrap_or_else(|e| panic!("{}: {e}\n{got}", example.origin));
                }
            }
            checked += 1;
        }
    }
    eprintln!(
        "account management: {checked} upstream examples of {with_examples} operations checked through the facade"
    );
    assert!(checked >= 40, "{checked} examples");
}

#[test]
fn covers_finds_a_lost_or_changed_field() {
    let e = json!({"a": {"b": 1.5, "c": ""}, "d": [1]});
    assert!(covers(&e, &json!({"a": {"b": "1.50", "c": null}, "d": [1]}), "").is_ok());
    assert!(covers(&e, &json!({"a": {"b": "1.5"}, "d": [1]}), "").is_err());
    assert!(covers(&e, &json!({"a": {"b": 2, "c": null}, "d": [1]}), "").is_err());
    assert!(covers(&e, &json!({"a": {"b": 1.5, "c": null}, "d": []}), "").is_err());
}
