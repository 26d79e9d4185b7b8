//! Requests, validations, enumerations, forms and participating banks.

use httpmock::MockServer;
use ibkr_client::areas::account_management::{
    DateRange, EnumerationQuery, FormsQuery, RequestStatusKind,
};
use serde_json::json;

use super::{CLIENT_ID, web};

#[tokio::test]
async fn requests_and_their_status() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/requests")
                .query_param("startDate", "2024-01-01")
                .query_param("endDate", "2024-01-31")
                .query_param("limit", "50");
            then.status(200).json_body(json!({
                "requestDetails": [{"requestId": 77, "dateSubmitted": "2024-01-05", "status": "PROCESSED",
                    "accountID": "U1", "requestType": "ACCOUNT_UPDATE"}],
                "offset": 0, "limit": 50, "total": 1
            }));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/requests/77/status")
                .query_param("type", "update");
            then.status(200)
                .json_body(json!({"requestId": 77, "requestType": "ACCOUNT_UPDATE",
                "status": "PROCESSED", "message": "done", "acctId": "U1"}));
        })
        .await;
    let response = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/requests/77/status")
                .query_param("type", "response");
            then.status(200).json_body(
                json!({"requestId": "77", "dateSubmitted": "2024-01-05T10:00:00Z",
                "fileData": {"name": "77.json", "data": {"ok": true}}}),
            );
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let requests = am
        .requests(&DateRange::new("2024-01-01", "2024-01-31").limit(50))
        .await
        .unwrap();
    list.assert_async().await;
    let r = &requests.requests[0];
    assert_eq!(
        (r.request_id, r.account_id.as_deref()),
        (Some(77), Some("U1"))
    );
    let s = am
        .request_status(77, RequestStatusKind::Update)
        .await
        .unwrap();
    update.assert_async().await;
    assert_eq!(s.request_id.as_deref(), Some("77"));
    assert_eq!(s.account_id.as_deref(), Some("U1"));
    assert_eq!(s.message.as_deref(), Some("done"));
    let s = am
        .request_status(77, RequestStatusKind::Response)
        .await
        .unwrap();
    response.assert_async().await;
    assert_eq!(s.file_data.unwrap().data.unwrap()["ok"], true);
}

#[tokio::test]
async fn username_enumerations_and_brokers() {
    let server = MockServer::start_async().await;
    let name = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/validations/usernames/jdoe");
            then.status(200)
                .json_body(json!({"isValid": true, "isAvailable": false,
                "suggestedUserName": ["jdoe1", "jdoe2"], "hasError": false}));
        })
        .await;
    let enumerations = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/enumerations/STATES")
                .query_param("currency", "USD")
                .query_param("form-number", "5001")
                .query_param("language", "en")
                .query_param_missing("accountId");
            then.status(200)
                .json_body(json!({"enumerationsType": "STATES", "formNumber": 5001,
                "jsonData": [{"code": "CA", "name": "California"}]}));
        })
        .await;
    let brokers = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/enumerations/complex-asset-transfer")
                .query_param("client-id", CLIENT_ID)
                .query_param("instructionType", "COMPLEX_ASSET_TRANSFER");
            then.status(200)
                .json_body(json!({"instructionType": "COMPLEX_ASSET_TRANSFER",
                "brokers": ["EQUINITI", "V-BANK"]}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let n = am.username_availability("jdoe").await.unwrap();
    name.assert_async().await;
    assert_eq!((n.is_valid, n.is_available), (Some(true), Some(false)));
    assert_eq!(n.suggestions, ["jdoe1", "jdoe2"]);
    let query = EnumerationQuery {
        currency: Some("USD".into()),
        form_number: Some("5001".into()),
        language: Some("en".into()),
        ..EnumerationQuery::default()
    };
    let e = am.enumerations("STATES", &query).await.unwrap();
    enumerations.assert_async().await;
    assert_eq!(e.form_number.as_deref(), Some("5001"));
    assert_eq!(e.data[0]["code"], "CA");
    let b = am
        .complex_asset_transfer_brokers(CLIENT_ID, "COMPLEX_ASSET_TRANSFER")
        .await
        .unwrap();
    brokers.assert_async().await;
    assert_eq!(b.brokers, ["EQUINITI", "V-BANK"]);
}

#[tokio::test]
async fn forms_and_participating_banks() {
    let server = MockServer::start_async().await;
    let forms = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/forms")
                .query_param("formNo", "5001")
                .query_param("formNo", "8001")
                .query_param("projection", "PAYLOAD")
                .query_param_missing("getDocs");
            then.status(200).json_body(json!({
                "timestamp": "2024-01-02T00:00:00Z",
                "formDetails": [
                    {"formNumber": 5001, "formName": "W-8BEN", "language": "en", "fileLength": 2048,
                     "sha1Checksum": "abc", "payload": {"mimeType": "application/pdf", "data": "JVBERi0="},
                     "type": "TAX", "questionnaire": [{"questionId": 1, "question": "Q?"}]},
                    {"formNumber": 8001, "hasError": true, "errorDescription": "unknown form"}
                ]
            }));
        })
        .await;
    let banks = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/participating-banks")
                .query_param("client-id", CLIENT_ID)
                .query_param("type", "eDDA");
            then.status(200).json_body(json!({"type": "eDDA", "participatingBanks": [
                {"institutionName": "WELAB BANK LIMITED", "clearingCode": "390", "BIC": "WEDIHKHHXXX", "country": "HK"}
            ]}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let f = am
        .forms(
            &FormsQuery::default()
                .form_numbers([5001, 8001])
                .projection("PAYLOAD"),
        )
        .await
        .unwrap();
    forms.assert_async().await;
    assert_eq!(f.forms.len(), 2);
    let w8 = &f.forms[0];
    assert_eq!(
        w8.payload.as_ref().unwrap().mime_type.as_deref(),
        Some("application/pdf")
    );
    assert_eq!(w8.file_length, Some(2048));
    assert_eq!(w8.extra["questionnaire"][0]["question"], "Q?");
    // One form's error is that form's, not the answer's.
    assert_eq!(
        f.forms[1].error_description.as_deref(),
        Some("unknown form")
    );
    let b = am.participating_banks(CLIENT_ID, "eDDA").await.unwrap();
    banks.assert_async().await;
    assert_eq!(b.kind.as_deref(), Some("eDDA"));
    assert_eq!(b.banks[0].bic.as_deref(), Some("WEDIHKHHXXX"));
    assert_eq!(b.banks[0].extra["country"], "HK");
}
