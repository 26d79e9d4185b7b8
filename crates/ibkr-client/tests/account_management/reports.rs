//! Statements, tax documents and trade confirmations.

use httpmock::MockServer;
use ibkr_client::Error;
use ibkr_client::areas::account_management::{
    StatementRequest, TaxDocumentRequest, TradeConfirmationRequest,
};
use serde_json::json;

use super::web;

#[tokio::test]
async fn documents_come_back_as_bytes_with_their_media_type() {
    let server = MockServer::start_async().await;
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec();
    let statement = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/statements")
                .header("content-type", "application/json")
                .json_body(json!({"accountId": "U1", "accountIds": ["U2"], "startDate": "2024-01-01",
                    "endDate": "2024-01-31", "multiAccountFormat": "CONSOLIDATE", "mimeType": "application/pdf",
                    "gzip": false}));
            then.status(200).header("content-type", "application/pdf").body(pdf.clone());
        })
        .await;
    let tax = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/tax-documents")
                .json_body(
                    json!({"accountId": "U1", "year": 2023, "type": "1099", "format": "HTML"}),
                );
            then.status(200)
                .header("content-type", "text/html")
                .body("<html><body>1099</body></html>");
        })
        .await;
    let confirmation = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/trade-confirmations")
                .json_body(
                    json!({"accountId": "U1", "startDate": "2024-01-02", "endDate": "2024-01-02",
                    "mimeType": "application/json"}),
                );
            then.status(200).json_body(
                json!({"data": {"mimeType": "application/json", "value": [{"tradeId": 1}]}}),
            );
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let request = StatementRequest::new("U1", "2024-01-01", "2024-01-31")
        .accounts(["U2"], "CONSOLIDATE")
        .mime_type("application/pdf")
        .gzip(false);
    let s = am.statement(&request).await.unwrap();
    statement.assert_async().await;
    assert_eq!(s.content_type, "application/pdf");
    assert_eq!(&s.bytes[..], &pdf[..], "the bytes, untouched");
    assert_eq!(s.json(), None);
    let t = am
        .tax_document(&TaxDocumentRequest::new("U1", 2023, "1099", "HTML"))
        .await
        .unwrap();
    tax.assert_async().await;
    assert_eq!(t.content_type, "text/html");
    let c = am
        .trade_confirmation(
            &TradeConfirmationRequest::new("U1", "2024-01-02", "2024-01-02")
                .mime_type("application/json"),
        )
        .await
        .unwrap();
    confirmation.assert_async().await;
    assert_eq!(c.content_type, "application/json");
    assert_eq!(c.data().unwrap()["value"][0]["tradeId"], 1);
}

#[tokio::test]
async fn empty_and_error_shaped_documents_are_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/gw/api/v1/statements");
            then.status(200).body("");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/gw/api/v1/tax-documents");
            then.status(200)
                .json_body(json!({"error": "no tax forms for 1999"}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let err = am
        .statement(&StatementRequest::new("U1", "2024-01-01", "2024-01-31"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let err = am
        .tax_document(&TaxDocumentRequest::new("U1", 1999, "1099", "PDF"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { message, .. } if message == "no tax forms for 1999"),
        "{err:?}"
    );
}

#[tokio::test]
async fn available_dates_and_forms() {
    let server = MockServer::start_async().await;
    let statements = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/statements/available")
                .query_param("accountId", "U1");
            then.status(200)
                .json_body(json!({"data": {"dataType": "stmt_dates",
                "value": {"daily": ["20240102"], "monthly": ["202401"], "annual": ["2023"]}}}));
        })
        .await;
    let tax = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/tax-documents/available")
                .query_param("accountId", "U1")
                .query_param("year", "2023");
            then.status(200)
                .json_body(json!({"data": {"dataType": "tax_forms",
                "value": [{"taxFormName": "1099", "formats": ["PDF", "HTML"]}]}}));
        })
        .await;
    let confirmations = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/trade-confirmations/available")
                .query_param("accountId", "U1");
            then.status(200)
                .json_body(json!({"data": {"dates": ["20240102", "20240103"]}}));
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let s = am.available_statements("U1").await.unwrap();
    statements.assert_async().await;
    assert_eq!(s.data_type.as_deref(), Some("stmt_dates"));
    assert_eq!(s.value["monthly"][0], "202401");
    let t = am.available_tax_documents("U1", 2023).await.unwrap();
    tax.assert_async().await;
    assert_eq!(t.value[0]["formats"][1], "HTML");
    let c = am.available_trade_confirmations("U1").await.unwrap();
    confirmations.assert_async().await;
    assert_eq!(c.value["dates"][1], "20240103");
}
