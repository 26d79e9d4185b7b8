//! Every session endpoint of the Web API seed document, called through the
//! generated client against the generated typed mocks.

use httpmock::MockServer;
use ibkr_api::web::{Client, types};
use ibkr_api_mock::web::MockServerExt;
use ibkr_tests::from_json;
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), ibkr_api::Hooks::default())
}

#[tokio::test]
async fn ssodh_init_sends_the_flags_and_decodes_the_status() {
    let server = MockServer::start_async().await;
    let request: types::BrokerageSessionInitRequest =
        from_json(json!({"publish": true, "compete": true}));
    let mock = server.iserver_auth_ssodh_init_post(|when, then| {
        when.body(&request);
        then.ok(&from_json(json!({
            "authenticated": true, "connected": true, "competing": false,
            "message": "", "serverInfo": {"serverName": "JifN19053", "serverVersion": "Build 10.25.0p"}
        })));
    });
    let status = client(&server)
        .iserver_auth_ssodh_init_post(&request)
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(status.authenticated, Some(true));
    assert_eq!(status.competing, Some(false));
    assert_eq!(
        status.server_info.unwrap().server_name.as_deref(),
        Some("JifN19053")
    );
}

#[tokio::test]
async fn auth_status_decodes_and_a_401_body_is_readable() {
    let server = MockServer::start_async().await;
    let ok = server.iserver_auth_status_post(|_, then| {
        then.ok(&from_json(
            json!({"authenticated": false, "connected": true, "competing": false, "fail": ""}),
        ));
    });
    let status = client(&server).iserver_auth_status_post().await.unwrap();
    assert_eq!(status.status(), 200);
    assert_eq!(status.connected, Some(true));
    assert_eq!(status.authenticated, Some(false));
    ok.assert_async().await;
    ok.delete_async().await;

    server.iserver_auth_status_post(|_, then| {
        then.unauthorized(json!({"error": "not authenticated", "statusCode": 401}));
    });
    match client(&server).iserver_auth_status_post().await {
        Err(ibkr_api::Error::ErrorResponse(rv)) => {
            assert_eq!(rv.status(), 401);
            let body = ibkr_api::read_body(rv.into_inner()).await.unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"], "not authenticated");
        }
        other => panic!("expected a readable 401, got {other:?}"),
    }
}

#[tokio::test]
async fn reauthenticate_is_a_get() {
    let server = MockServer::start_async().await;
    let mock = server.iserver_reauthenticate_get(|_, then| {
        then.ok(&from_json(json!({"message": "triggered"})));
    });
    let r = client(&server).iserver_reauthenticate_get().await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("triggered"));
}

#[tokio::test]
async fn logout_reports_the_status() {
    let server = MockServer::start_async().await;
    let mock = server.logout_post(|_, then| {
        then.ok(&from_json(json!({"status": true})));
    });
    let r = client(&server).logout_post().await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.status, Some(true));
}

#[tokio::test]
async fn sso_validate_decodes_the_session() {
    let server = MockServer::start_async().await;
    let mock = server.sso_validate_get(|_, then| {
        then.ok(&from_json(json!({"USER_ID": 123456, "USER_NAME": "user1", "RESULT": true, "AUTH_TIME": 1702580846836i64, "EXPIRES": 415890})));
    });
    let r = client(&server).sso_validate_get().await.unwrap();
    mock.assert_async().await;
    assert_eq!(r.status(), 200);
    let v = serde_json::to_value(r.into_inner()).unwrap();
    assert_eq!(v["USER_NAME"], "user1");
    assert_eq!(v["RESULT"], true);
}

#[tokio::test]
async fn tickle_returns_the_session_and_an_undocumented_status_is_readable() {
    let server = MockServer::start_async().await;
    let ok = server.tickle_post(|_, then| {
        then.ok(&from_json(json!({"session": "bb665d0f55b6289d70bc6ef1ef5c8e73", "ssoExpires": 460311,
            "collission": false, "userId": 123456789,
            "iserver": {"authStatus": {"authenticated": true, "competing": false, "connected": true}}})));
    });
    let r = client(&server).tickle_post().await.unwrap();
    ok.assert_async().await;
    match r.into_inner() {
        types::TickleResponse::SuccessfulTickleResponse(t) => {
            assert_eq!(
                t.session.as_deref(),
                Some("bb665d0f55b6289d70bc6ef1ef5c8e73")
            );
            assert_eq!(t.user_id, Some(123456789));
        }
        other => panic!("expected a successful tickle, got {other:?}"),
    }
    ok.delete_async().await;

    // A status the spec does not document still reaches the caller with
    // its body.
    server.tickle_post(|_, then| {
        then.into_inner().status(503).body("gateway restarting");
    });
    match client(&server).tickle_post().await {
        Err(ibkr_api::Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 503);
            assert_eq!(response.text().await.unwrap(), "gateway restarting");
        }
        other => panic!("expected a readable 503, got {other:?}"),
    }
}
