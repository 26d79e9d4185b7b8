//! Banking, transfers and instructions.

use httpmock::MockServer;
use ibkr_client::areas::account_management::Instruction;
use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{CLIENT_ID, web};

/// An acknowledgement of `instruction_type` with IBKR's ids.
fn ack(instruction_type: &str, status: u16) -> Value {
    json!({"status": status, "instructionSetId": 2480, "instructionResult": {
        "clientInstructionId": 7008143, "instructionType": instruction_type,
        "instructionStatus": "PENDING", "instructionId": 43092468}})
}

/// Serves `op` with `answer` when the body is exactly `body` and the
/// client id is sent; calls `send` and checks the mock was hit once.
async fn sends<F, Fut>(
    op: &Operation,
    body: Value,
    answer: Value,
    send: F,
) -> ibkr_client::areas::account_management::InstructionResponse
where
    F: FnOnce(ibkr_client::Client) -> Fut,
    Fut: std::future::Future<
            Output = ibkr_client::Result<
                ibkr_client::areas::account_management::InstructionResponse,
            >,
        >,
{
    let server = MockServer::start_async().await;
    let status = answer["status"].as_u64().unwrap_or(200) as u16;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(op.web.unwrap().path)
                .query_param("client-id", CLIENT_ID)
                .header("content-type", "application/json")
                .json_body(body.clone());
            then.status(status).json_body(answer.clone());
        })
        .await;
    let result = send(web(&server))
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", op.name));
    mock.assert_calls_async(1).await;
    result
}

#[tokio::test]
async fn cash_transfers_send_exact_amounts() {
    let deposit = Instruction::deposit(7008143, "U1", "USD", Decimal::new(1_000_050, 2), "WIRE")
        .with("sendingInstitution", "Chase")
        .with_amount("extraFee", Decimal::new(5, 1));
    let body = json!({"instructionType": "DEPOSIT", "instruction": {"clientInstructionId": 7008143,
        "accountId": "U1", "currency": "USD", "amount": 10000.5, "bankInstructionMethod": "WIRE",
        "sendingInstitution": "Chase", "extraFee": 0.5}});
    let r = sends(
        &ops::EXTERNAL_CASH_TRANSFER,
        body,
        ack("DEPOSIT", 202),
        |c| async move {
            c.account_management()
                .external_cash_transfer(CLIENT_ID, &deposit)
                .await
        },
    )
    .await;
    assert_eq!(r.status, Some(202));
    assert_eq!(r.instruction_set_id, Some(2480));
    assert_eq!(r.result.instruction_id, Some(43092468));
    assert_eq!(r.result.instruction_status.as_deref(), Some("PENDING"));

    let withdrawal = Instruction::withdrawal(
        12000862,
        "U1",
        "USD",
        Decimal::new(1234, 0),
        "my bank",
        "ACH",
    );
    let body = json!({"instructionType": "WITHDRAWAL", "instruction": {"clientInstructionId": 12000862,
        "accountId": "U1", "currency": "USD", "amount": 1234, "bankInstructionName": "my bank",
        "bankInstructionMethod": "ACH"}});
    sends(
        &ops::EXTERNAL_CASH_TRANSFER,
        body,
        ack("WITHDRAWAL", 202),
        |c| async move {
            c.account_management()
                .external_cash_transfer(CLIENT_ID, &withdrawal)
                .await
        },
    )
    .await;

    let internal =
        Instruction::internal_cash_transfer(1013032, "U1", "U2", "EUR", Decimal::new(25, 2))
            .with("clientNote", "x");
    let body = json!({"instructionType": "INTERNAL_CASH_TRANSFER", "instruction": {"clientInstructionId": 1013032,
        "sourceAccountId": "U1", "targetAccountId": "U2", "currency": "EUR", "amount": 0.25, "clientNote": "x"}});
    let r = sends(
        &ops::INTERNAL_CASH_TRANSFER,
        body,
        ack("INTERNAL_CASH_TRANSFER", 201),
        |c| async move {
            c.account_management()
                .internal_cash_transfer(CLIENT_ID, &internal)
                .await
        },
    )
    .await;
    assert_eq!(r.status, Some(201));
}

#[tokio::test]
async fn position_transfers_and_bank_instructions() {
    let position = Instruction::internal_position_transfer(
        7008152,
        "U1",
        "U2",
        265598,
        "USD",
        Decimal::new(15, 1),
    );
    let body = json!({"instructionType": "INTERNAL_POSITION_TRANSFER", "instruction": {"clientInstructionId": 7008152,
        "sourceAccountId": "U1", "targetAccountId": "U2", "transferQuantity": 1.5,
        "tradingInstrument": {"conid": 265598, "currency": "USD"}}});
    sends(
        &ops::INTERNAL_ASSET_TRANSFER,
        body,
        ack("INTERNAL_POSITION_TRANSFER", 202),
        |c| async move {
            c.account_management()
                .internal_asset_transfer(CLIENT_ID, &position)
                .await
        },
    )
    .await;

    let fop = Instruction::new(
        "FOP",
        json!({"clientInstructionId": 1013031, "direction": "IN", "accountId": "U1",
        "contraBrokerAccountId": "12345678A", "contraBrokerDtcCode": "534", "quantity": 1000,
        "tradingInstrument": {"conid": 459200101, "currency": "USD"}}),
    );
    let body = json!({"instructionType": "FOP", "instruction": fop.fields().clone()});
    sends(
        &ops::EXTERNAL_ASSET_TRANSFER,
        body,
        ack("FOP", 202),
        |c| async move {
            c.account_management()
                .external_asset_transfer(CLIENT_ID, &fop)
                .await
        },
    )
    .await;

    let ach = Instruction::new(
        "ACH_INSTRUCTION",
        json!({"clientInstructionId": 80009, "accountId": "U1",
        "achType": "DEBIT_CREDIT", "bankInstructionCode": "USACH", "bankInstructionName": "TestInstr",
        "currency": "USD", "clientAccountInfo": {"bankRoutingNumber": "202012983"}}),
    );
    let body = json!({"instructionType": "ACH_INSTRUCTION", "instruction": ach.fields().clone()});
    sends(
        &ops::BANK_INSTRUCTION,
        body,
        ack("ACH_INSTRUCTION", 202),
        |c| async move {
            c.account_management()
                .bank_instruction(CLIENT_ID, &ach)
                .await
        },
    )
    .await;

    let cancel = Instruction::cancel(12001810, 43094179, "entered twice");
    let body = json!({"instructionType": "CANCEL_INSTRUCTION", "instruction": {"clientInstructionId": 12001810,
        "instructionId": 43094179, "reason": "entered twice"}});
    sends(
        &ops::CANCEL_INSTRUCTION,
        body,
        ack("CANCEL_INSTRUCTION", 201),
        |c| async move {
            c.account_management()
                .cancel_instruction(CLIENT_ID, &cancel)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn queries_decode_their_results() {
    let query = Instruction::query_bank_instruction(12001819, "U46377", "WIRE");
    let body = json!({"instructionType": "QUERY_BANK_INSTRUCTION", "instruction": {"clientInstructionId": 12001819,
        "accountId": "U46377", "bankInstructionMethod": "WIRE"}});
    let answer = json!({"status": 201, "instructionSetId": 3771, "instructionResult": {
        "accountId": "U46377", "bankInstructionMethod": "WIRE", "instructionType": "QUERY_BANK_INSTRUCTION",
        "instructionStatus": "PROCESSED", "clientInstructionId": 12001819, "instructionId": 43094187,
        "bankInstructionDetails": [{"instructionName": "testChase1", "type": "LOCAL_BANK", "currency": "USD",
            "instructionStatus": "PROCESSED", "bankRoutingNumber": "021100361", "bankAccountNumber": "*****9869"}]}});
    let r = sends(
        &ops::QUERY_BANK_INSTRUCTIONS,
        body,
        answer,
        |c| async move {
            c.account_management()
                .query_bank_instructions(CLIENT_ID, &query)
                .await
        },
    )
    .await;
    let bank = &r.result.bank_instructions[0];
    assert_eq!(bank.kind.as_deref(), Some("LOCAL_BANK"));
    assert_eq!(bank.bank_account_number.as_deref(), Some("*****9869"));

    let funds = Instruction::query_withdrawable_funds(7013230, "U46377", "EUR");
    let body = json!({"instructionType": "QUERY_WITHDRAWABLE_FUNDS", "instruction": {"clientInstructionId": 7013230,
        "accountId": "U46377", "currency": "EUR"}});
    let answer = json!({"status": 201, "instructionSetId": 17791, "instructionResult": {
        "accountId": "U46377", "currency": "EUR", "withdrawableAmount": 1500.25, "withdrawableAmountNoBorrow": "1,000.10",
        "allowedTransferAmountToMaster": 0, "instructionType": "QUERY_WITHDRAWABLE_FUNDS",
        "instructionStatus": "PROCESSED", "clientInstructionId": 7013230, "instructionId": 43133309}});
    let r = sends(&ops::QUERY_CASH, body, answer, |c| async move {
        c.account_management().query_cash(CLIENT_ID, &funds).await
    })
    .await;
    assert_eq!(r.result.withdrawable_amount, Some(Decimal::new(150_025, 2)));
    assert_eq!(
        r.result.withdrawable_amount_no_borrow,
        Some(Decimal::new(100_010, 2))
    );
    assert_eq!(
        r.result.allowed_transfer_amount_to_master,
        Some(Decimal::ZERO)
    );

    let ira = Instruction::query_ira_contributions(7013306, "U1", "2022");
    let body = json!({"instructionType": "QUERY_IRA_CONTRIBUTIONS", "instruction": {"clientInstructionId": 7013306,
        "accountId": "U1", "year": "2022"}});
    sends(
        &ops::QUERY_CASH,
        body,
        ack("QUERY_IRA_CONTRIBUTIONS", 202),
        |c| async move { c.account_management().query_cash(CLIENT_ID, &ira).await },
    )
    .await;

    let recent = Instruction::query_recent_instructions(7009001, "U1", 5, Some("DEPOSIT"));
    let body = json!({"instructionType": "QUERY_RECENT_INSTRUCTIONS", "instruction": {"clientInstructionId": 7009001,
        "accountId": "U1", "transactionHistory": {"daysToGoBack": 5, "transactionType": "DEPOSIT"}}});
    sends(
        &ops::QUERY_INSTRUCTIONS,
        body,
        ack("QUERY_RECENT_INSTRUCTIONS", 202),
        |c| async move {
            c.account_management()
                .query_instructions(CLIENT_ID, &recent)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn polling_by_instruction_client_instruction_and_set() {
    let server = MockServer::start_async().await;
    let by_id = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/instructions/43091799")
                .query_param("client-id", CLIENT_ID);
            then.status(208).json_body(json!({"status": 208, "instructionSetId": 1686, "instructionResult": {
                "clientInstructionId": 1013025, "instructionType": "INTERNAL_CASH_TRANSFER",
                "instructionStatus": "REJECTED", "instructionId": 43091799,
                "error": {"errorCode": "CORRUPT_DATA_INVALID_ACCT", "errorMessage": "Account U1 does not exist"}}}));
        })
        .await;
    let by_client_id = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/client-instructions/12003152")
                .query_param("client-id", CLIENT_ID);
            then.status(200).json_body(json!({"status": 200, "instructionSetId": 4206, "instructionResult": {
                "clientInstructionId": 12003152, "instructionType": "QUERY_RECENT_INSTRUCTIONS",
                "instructionStatus": "PROCESSED", "instructionId": 11383402,
                "instructionHistory": {"historyMaxDepthNumberOfDays": 30, "historyMaxDepthNumberOfInstruction": 100000,
                    "result": [{"clientInstructionId": 0, "ibInstructionId": 11383366, "instructionType": "ACH_INSTRUCTION",
                        "requestDate": "2024-02-06T07:35:36-05", "status": "PENDING_VERIFICATION", "instructionSetId": 0}]},
                "depositDetails": {"amount": 100, "currency": "USD", "whenAvailable": "T+1"}}}));
        })
        .await;
    let set = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/instruction-sets/2480")
                .query_param("client-id", CLIENT_ID);
            then.status(200).json_body(json!({"status": 200, "instructionSetId": 2480, "instructionResults": [
                {"clientInstructionId": 1, "instructionStatus": "PROCESSED", "instructionId": 11, "instructionType": "DEPOSIT"},
                {"clientInstructionId": 2, "instructionStatus": "PENDING", "instructionId": 12, "instructionType": "DEPOSIT"}]}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let r = am.instruction_status(CLIENT_ID, 43091799).await.unwrap();
    by_id.assert_async().await;
    assert_eq!(r.status, Some(208));
    let error = r.result.error.unwrap();
    assert_eq!(error.code.as_deref(), Some("CORRUPT_DATA_INVALID_ACCT"));
    assert_eq!(error.message.as_deref(), Some("Account U1 does not exist"));
    let r = am
        .client_instruction_status(CLIENT_ID, 12003152)
        .await
        .unwrap();
    by_client_id.assert_async().await;
    let history = r.result.history.unwrap();
    assert_eq!(history.max_days, Some(30));
    assert_eq!(history.instructions[0].ib_instruction_id, Some(11383366));
    assert_eq!(r.result.extra["depositDetails"]["whenAvailable"], "T+1");
    let s = am.instruction_set_status(CLIENT_ID, 2480).await.unwrap();
    set.assert_async().await;
    assert_eq!(s.results.len(), 2);
    assert_eq!(s.results[1].instruction_status.as_deref(), Some("PENDING"));
}
