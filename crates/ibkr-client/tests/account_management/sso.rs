//! SSO sessions and the echo endpoints.

use httpmock::MockServer;
use serde_json::json;

use super::{JWT, web};

#[tokio::test]
async fn sso_sessions_send_the_jwt_and_hide_their_secrets() {
    let server = MockServer::start_async().await;
    let session = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/sso-sessions")
                .header("content-type", "application/jwt")
                .header("authorization", "Bearer test-token")
                .body(JWT);
            then.status(200)
                .json_body(json!({"active": true, "access_token": "end-user-secret",
                "token_type": "Bearer", "expires_in": 86400}));
        })
        .await;
    let browser = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/sso-browser-sessions")
                .header("content-type", "application/jwt")
                .body(JWT);
            then.status(200).json_body(
                json!({"active": true, "url": "https://www.ibkr.example/sso?token=secret-link"}),
            );
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let s = am.create_sso_session(JWT).await.unwrap();
    session.assert_async().await;
    assert_eq!(s.access_token.as_deref(), Some("end-user-secret"));
    assert_eq!(s.extra["expires_in"], 86400);
    let shown = format!("{s:?}");
    assert!(
        !shown.contains("end-user-secret") && shown.contains("expires_in"),
        "{shown}"
    );
    let b = am.create_sso_browser_session(JWT).await.unwrap();
    browser.assert_async().await;
    assert!(b.url.as_deref().unwrap().contains("secret-link"));
    assert!(!format!("{b:?}").contains("secret-link"));
}

#[tokio::test]
async fn echo_https_and_signed_jwt() {
    let server = MockServer::start_async().await;
    let https = server
        .mock_async(|when, then| {
            when.method("GET").path("/gw/api/v1/echo/https");
            then.status(200)
                .json_body(json!({"requestMethod": "GET", "securityPolicy": "HTTPS",
                "queryParameters": {}}));
        })
        .await;
    let signed = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/gw/api/v1/echo/signed-jwt")
                .header("content-type", "application/jwt")
                .body(JWT);
            then.status(200).json_body(
                json!({"requestMethod": "POST", "securityPolicy": "SIGNED_JWT",
                "queryParameters": {"iss": ["firm"]}}),
            );
        })
        .await;
    let client = web(&server);
    let am = client.account_management();
    let e = am.echo_https().await.unwrap();
    https.assert_async().await;
    assert_eq!(e.security_policy.as_deref(), Some("HTTPS"));
    let e = am.echo_signed_jwt(JWT).await.unwrap();
    signed.assert_async().await;
    assert_eq!(e.request_method.as_deref(), Some("POST"));
    assert_eq!(e.query_parameters["iss"][0], "firm");
}
