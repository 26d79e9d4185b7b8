//! Every session endpoint of the Client Portal Gateway seed document, called
//! through the generated client against the generated typed mocks.

use httpmock::MockServer;
use ibkr_api::gateway::Client;
use ibkr_api_mock::gateway::MockServerExt;
use ibkr_tests::from_json;
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), ibkr_api::Hooks::default())
}

#[tokio::test]
async fn auth_status_decodes() {
    let server = MockServer::start_async().await;
    let mock = server.iserver_auth_status_post(|_, then| {
        then.ok(&from_json(
            json!({"authenticated": true, "competing": false, "connected": true,
            "message": "", "fail": "", "prompts": []}),
        ));
    });
    let status = client(&server).iserver_auth_status_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(status.authenticated, Some(true));
    assert_eq!(status.connected, Some(true));
    assert!(status.prompts.is_empty());
}

#[tokio::test]
async fn reauthenticate_is_a_post() {
    let server = MockServer::start_async().await;
    let mock = server.iserver_reauthenticate_post(|_, then| {
        then.ok(&from_json(
            json!({"authenticated": false, "connected": true, "competing": false,
            "message": "triggered", "prompts": []}),
        ));
    });
    let status = client(&server).iserver_reauthenticate_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(status.message.as_deref(), Some("triggered"));
}

#[tokio::test]
async fn logout_confirms() {
    let server = MockServer::start_async().await;
    let mock = server.logout_post(|_, then| {
        then.ok(&from_json(json!({"confirmed": true})));
    });
    let r = client(&server).logout_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.confirmed, Some(true));
}

#[tokio::test]
async fn sso_validate_decodes_and_a_bodiless_401_is_readable() {
    let server = MockServer::start_async().await;
    let ok = server.sso_validate_get(|_, then| {
        then.ok(&from_json(
            json!({"USER_ID": 123456, "USER_NAME": "user1", "RESULT": true,
            "AUTH_TIME": 1702580846836i64, "EXPIRES": 415890}),
        ));
    });
    let r = client(&server).sso_validate_get().await.unwrap();
    ok.assert_async().await;
    let v = serde_json::to_value(r.into_inner()).unwrap();
    assert_eq!(v["USER_NAME"], "user1");
    ok.delete_async().await;

    // The Gateway spec documents 401 without a body schema; the repair keeps
    // whatever the server sends readable, together with the status.
    server.sso_validate_get(|_, then| {
        then.unauthorized(json!({"error": "not authenticated"}));
    });
    match client(&server).sso_validate_get().await {
        Err(ibkr_api::Error::ErrorResponse(rv)) => {
            assert_eq!(rv.status(), 401);
            let body = ibkr_api::read_body(rv.into_inner()).await.unwrap();
            assert!(String::from_utf8_lossy(&body).contains("not authenticated"));
        }
        other => panic!("expected a readable 401, got {other:?}"),
    }
}

#[tokio::test]
async fn tickle_succeeds() {
    let server = MockServer::start_async().await;
    let mock = server.tickle_post(|_, then| {
        then.ok();
    });
    let r = client(&server).tickle_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.status(), 200);
}
