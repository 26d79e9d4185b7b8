//! Accounts and applications.

use httpmock::MockServer;
use ibkr_client::areas::account_management::{DateRange, TaskKind};
use rust_decimal::Decimal;
use serde_json::json;

use super::{JWT, web};

#[tokio::test]
async fn application_by_account_or_external_id() {
    let server = MockServer::start_async().await;
    let by_account = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts")
                .query_param("accountId", "U1")
                .query_param_missing("externalId");
            then.status(200).json_body(json!({
                "accountId": "U1", "requestFileName": "req.xml", "responseFileName": "resp.xml"
            }));
        })
        .await;
    let by_external = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts")
                .query_param("externalId", "ext-7");
            then.status(200).json_body(json!({
                "isProcessed": true, "name": "ext-7.json", "hasError": false,
                "data": {"application": {"customer": {"email": "a@b.c"}}}
            }));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let files = am.application(Some("U1"), None).await.unwrap();
    by_account.assert_async().await;
    assert_eq!(files.account_id.as_deref(), Some("U1"));
    assert_eq!(files.response_file_name.as_deref(), Some("resp.xml"));
    let processed = am.application(None, Some("ext-7")).await.unwrap();
    by_external.assert_async().await;
    assert_eq!(processed.is_processed, Some(true));
    assert_eq!(
        processed.data.unwrap()["application"]["customer"]["email"],
        "a@b.c",
        "the application is kept whole"
    );
}

#[tokio::test]
async fn signed_jwt_bodies_are_sent_as_application_jwt() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/accounts")
                .header("content-type", "application/jwt")
                .body(JWT);
            then.status(202)
                .json_body(json!({"requestId": 9001, "executedAt": "2024-01-02 10:00:00"}));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path("/gw/api/v1/accounts")
                .header("content-type", "application/jwt")
                .body(JWT);
            then.status(200).json_body(json!({
                "requestId": "9002", "dateSubmitted": "2024-01-02T10:00:00Z",
                "fileData": {"name": "update.json", "data": {"status": "OK"}}
            }));
        })
        .await;
    let documents = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/accounts/documents")
                .header("content-type", "application/jwt")
                .body(JWT);
            then.status(200).json_body(json!({"requestId": 9003}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let created = am.create_account(JWT).await.unwrap();
    create.assert_async().await;
    assert_eq!(created.request_id, Some(9001));
    assert_eq!(created.executed_at.as_deref(), Some("2024-01-02 10:00:00"));
    let updated = am.update_account(JWT).await.unwrap();
    update.assert_async().await;
    assert_eq!(updated.request_id, Some(9002));
    let file = updated.file_data.unwrap();
    assert_eq!(file.name.as_deref(), Some("update.json"));
    assert_eq!(file.data.unwrap()["status"], "OK");
    assert_eq!(
        am.submit_documents(JWT).await.unwrap().request_id,
        Some(9003)
    );
    documents.assert_async().await;
}

#[tokio::test]
async fn login_messages_and_statuses_send_the_range() {
    let server = MockServer::start_async().await;
    let all = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts/login-messages")
                .query_param("startDate", "2024-01-01")
                .query_param("endDate", "2024-01-31")
                .query_param("offset", "10")
                .query_param("limit", "5")
                .query_param("status", "A")
                .query_param("type", "TASK");
            then.status(200).json_body(json!({
                "loginMessagePresent": true,
                "loginMessages": [{"id": "17", "recordDate": "2024-01-05T00:00:00Z", "username": "jdoe",
                    "messageType": "TASK", "contentId": 3, "state": "OPEN", "tasks": [1, "2"]}]
            }));
        })
        .await;
    let one = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts/U1/login-messages")
                .query_param_missing("type");
            then.status(200).json_body(json!({
                "accountId": "U1", "clearingStatus": "O", "clearingStatusDescription": "Open",
                "loginMessagePresent": false, "loginMessages": null
            }));
        })
        .await;
    let statuses = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts/status")
                .query_param("startDate", "2024-01-01")
                .query_param("endDate", "2024-01-31")
                .query_param_missing("offset");
            then.status(200).json_body(json!({
                "accounts": [{"accountId": "U1", "status": "A", "description": "Approved",
                    "masterAccountId": "I1", "dateOpened": "2024-01-03T00:00:00Z"}],
                "offset": 0, "limit": 100, "total": "1"
            }));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let range = DateRange::new("2024-01-01", "2024-01-31");
    let messages = am
        .login_messages(&range.clone().offset(10).limit(5).status("A"), Some("TASK"))
        .await
        .unwrap();
    all.assert_async().await;
    assert!(messages.present);
    assert_eq!(messages.messages[0].id, Some(17));
    assert_eq!(messages.messages[0].tasks, [1, 2]);
    let mine = am.account_login_messages("U1", None).await.unwrap();
    one.assert_async().await;
    assert_eq!(mine.clearing.description.as_deref(), Some("Open"));
    assert_eq!(mine.clearing.status.as_deref(), Some("O"));
    assert!(mine.messages.is_empty() && !mine.present);
    let statuses_answer = am.account_statuses(&range).await.unwrap();
    statuses.assert_async().await;
    assert_eq!(statuses_answer.page.total, Some(1));
    assert_eq!(statuses_answer.page.limit, Some(100));
    assert_eq!(
        statuses_answer.accounts[0].master_account_id.as_deref(),
        Some("I1")
    );
}

#[tokio::test]
async fn account_details_keep_every_field() {
    let server = MockServer::start_async().await;
    let details = server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U1/details");
            then.status(200).json_body(json!({
                "hasError": false,
                "account": {"accountId": "U1", "baseCurrency": "USD", "margin": "Margin",
                    "equity": 12345.67, "riskScore": "3", "investmentObjectives": ["Growth"],
                    "capabilities": {"STK": ["US"]}, "feeTemplate": {"name": "Tiered"},
                    "registeredAddress": {"city": "Zug"}},
                "associatedPersons": [{"entityId": 5, "firstName": "Jane", "lastName": "Doe",
                    "associations": ["Account Holder"], "dateOfBirth": "1990-01-01",
                    "identityDocuments": [{"type": "Passport"}]}],
                "associatedEntities": [],
                "restrictions": [{"id": 1, "byIB": true, "name": "No options"}],
                "financialInformation": {"netWorth": "1000000"},
                "tradeBundles": ["US_STK"]
            }));
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U1/status");
            then.status(200)
                .json_body(json!({"accountId": "U1", "status": "O", "state": "Open"}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let d = am.account_details("U1").await.unwrap();
    details.assert_async().await;
    let account = d.account.unwrap();
    assert_eq!(account.equity, Some(Decimal::new(1_234_567, 2)));
    assert_eq!(account.risk_score, Some(3));
    assert_eq!(account.capabilities.unwrap()["STK"][0], "US");
    assert_eq!(account.extra["feeTemplate"]["name"], "Tiered");
    assert_eq!(account.extra["registeredAddress"]["city"], "Zug");
    let person = &d.associated_persons[0];
    assert_eq!(person.first_name.as_deref(), Some("Jane"));
    assert_eq!(person.extra["dateOfBirth"], "1990-01-01");
    assert_eq!(d.restrictions[0].by_ib, Some(true));
    assert_eq!(d.extra["financialInformation"]["netWorth"], "1000000");
    assert_eq!(d.extra["tradeBundles"][0], "US_STK");
    assert!(
        !d.extra.contains_key("hasError"),
        "the error block is read apart"
    );
    let s = am.account_status("U1").await.unwrap();
    status.assert_async().await;
    assert_eq!(s.state.as_deref(), Some("Open"));
}

#[tokio::test]
async fn kyc_url_and_tasks() {
    let server = MockServer::start_async().await;
    let kyc = server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/accounts/U1/kyc");
            then.status(200).json_body(json!({
                "url": "https://au10tix.example/x", "state": "STARTED", "entityId": 5,
                "startDate": "2024-01-02T00:00:00Z", "expiryDate": "2024-01-09T00:00:00Z"
            }));
        })
        .await;
    let pending = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts/U1/tasks")
                .query_param("type", "pending");
            then.status(200).json_body(json!({
                "accountId": "U1", "pendingTaskPresent": true,
                "pendingTasks": [{"taskNumber": 1, "formNumber": 5001, "formName": "W-8BEN",
                    "action": "SUBMIT", "requiredForApproval": "true", "requiredForTrading": false,
                    "documentRejectReason": ["blurry"], "onlineTask": true}]
            }));
        })
        .await;
    let registration = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts/U1/tasks")
                .query_param("type", "registration");
            then.status(200).json_body(json!({
                "accountId": "U1", "registrationTaskPresent": true,
                "registrationTasks": [{"formNumber": 3024, "formName": "Agreement", "isCompleted": true,
                    "isRequiredForApproval": true, "questionIds": [1]}]
            }));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let link = am.kyc_url("U1").await.unwrap();
    kyc.assert_async().await;
    assert_eq!(link.url.as_deref(), Some("https://au10tix.example/x"));
    assert_eq!(link.entity_id, Some(5));
    let p = am.tasks("U1", TaskKind::Pending).await.unwrap();
    pending.assert_async().await;
    let task = &p.pending_tasks[0];
    assert_eq!(task.form_number, Some(5001));
    assert!(task.required_for_approval && !task.required_for_trading);
    assert_eq!(task.document_reject_reasons, ["blurry"]);
    assert_eq!(task.extra["onlineTask"], true);
    assert!(p.registration_tasks.is_empty());
    assert_eq!(p.account.account_id.as_deref(), Some("U1"));
    assert_eq!(p.account.extra["pendingTaskPresent"], true);
    let r = am.tasks("U1", TaskKind::default()).await.unwrap();
    registration.assert_async().await;
    assert!(r.registration_tasks[0].completed && r.registration_tasks[0].required_for_approval);
    assert_eq!(r.registration_tasks[0].extra["questionIds"][0], 1);
}
