//! Session operations on both variants, through the public API.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::{Error, Variant};
use serde_json::json;

#[tokio::test]
async fn auth_status_decodes_on_both_variants() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/status"));
                then.status(200).json_body(json!({
                    "authenticated": true, "connected": true, "competing": false,
                    "message": "", "fail": "", "prompts": [],
                    "serverInfo": {"serverName": "JifN19053", "serverVersion": "Build 10.25.0p"}
                }));
            })
            .await;
        let status = client(&server, variant)
            .session()
            .auth_status()
            .await
            .unwrap();
        mock.assert_async().await;
        assert!(status.authenticated, "{variant}");
        assert!(status.connected);
        assert!(!status.competing);
        assert_eq!(status.message, None);
        if variant == Variant::Web {
            assert_eq!(status.server_name.as_deref(), Some("JifN19053"));
        }
    }
}

#[tokio::test]
async fn auth_status_falls_back_to_lenient_decoding() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/status"));
                then.status(200).json_body(json!({
                    "authenticated": "true", "connected": 1, "competing": "N/A",
                    "fail": "", "prompts": "p1,p2", "established": "false",
                    "serverInfo": {"serverName": "", "serverVersion": 10}
                }));
            })
            .await;
        let status = client(&server, variant)
            .session()
            .auth_status()
            .await
            .unwrap();
        assert!(status.authenticated, "{variant}");
        assert!(status.connected);
        assert!(!status.competing);
        assert_eq!(status.established, Some(false));
        assert_eq!(status.fail, None);
        assert_eq!(status.server_name, None);
        assert_eq!(status.server_version.as_deref(), Some("10"));
        assert_eq!(status.prompts, vec!["p1", "p2"]);
    }
}

#[tokio::test]
async fn init_brokerage_session_sends_the_flags_on_both_variants() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/ssodh/init"))
                    .json_body(json!({"publish": true, "compete": false}));
                then.status(200).json_body(
                    json!({"authenticated": true, "connected": true, "competing": false}),
                );
            })
            .await;
        let status = client(&server, variant)
            .session()
            .init_brokerage_session(true, false)
            .await
            .unwrap();
        mock.assert_async().await;
        assert!(status.authenticated, "{variant}");
    }
}

#[tokio::test]
async fn reauthenticate_is_a_get_on_web_and_a_post_on_gateway() {
    let server = MockServer::start_async().await;
    let web = server
        .mock_async(|when, then| {
            when.method("GET").path("/v1/api/iserver/reauthenticate");
            then.status(200).json_body(json!({"message": "triggered"}));
        })
        .await;
    let r = common::web(&server)
        .session()
        .reauthenticate()
        .await
        .unwrap();
    web.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("triggered"));
    assert_eq!(r.status, None);

    let server = MockServer::start_async().await;
    let gw = server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/api/iserver/reauthenticate");
            then.status(200).json_body(json!({
                "authenticated": false, "connected": true, "competing": false,
                "message": "triggered", "prompts": []
            }));
        })
        .await;
    let r = common::gateway(&server)
        .session()
        .reauthenticate()
        .await
        .unwrap();
    gw.assert_async().await;
    assert_eq!(r.message.as_deref(), Some("triggered"));
    assert!(r.status.unwrap().connected);
}

#[tokio::test]
async fn logout_on_both_variants() {
    for (variant, body) in [
        (Variant::Web, json!({"status": true})),
        (Variant::Gateway, json!({"confirmed": true})),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/logout"));
                then.status(200).json_body(body.clone());
            })
            .await;
        let r = client(&server, variant).session().logout().await.unwrap();
        mock.assert_async().await;
        assert_eq!(r.confirmed, Some(true), "{variant}");
    }
}

#[tokio::test]
async fn logout_with_empty_204_is_a_success() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/logout"));
                then.status(204);
            })
            .await;
        let r = client(&server, variant).session().logout().await.unwrap();
        assert_eq!(r.confirmed, None);
    }
}

#[tokio::test]
async fn validate_sso_on_both_variants() {
    for (variant, body) in [
        (
            Variant::Web,
            json!({"RESULT": true, "USER_ID": 123, "USER_NAME": "u1", "EXPIRES": 600000, "AUTH_TIME": 1700000000000i64}),
        ),
        (
            Variant::Gateway,
            json!({"RESULT": true, "USER_ID": 123.0, "USER_NAME": "u1", "expire": 600000.0, "AUTH_TIME": 1700000000000.0}),
        ),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/sso/validate"));
                then.status(200).json_body(body.clone());
            })
            .await;
        let r = client(&server, variant)
            .session()
            .validate_sso()
            .await
            .unwrap();
        mock.assert_async().await;
        assert!(r.result, "{variant}");
        assert_eq!(r.user_id, Some(123));
        assert_eq!(r.user_name.as_deref(), Some("u1"));
        assert_eq!(r.expires, Some(600000));
        assert_eq!(r.auth_time, Some(1700000000000));
    }
}

#[tokio::test]
async fn validate_sso_lenient_numbers_as_strings() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/sso/validate"));
                then.status(200).json_body(
                    json!({"RESULT": "true", "USER_ID": "123", "USER_NAME": "", "EXPIRES": "N/A"}),
                );
            })
            .await;
        let r = client(&server, variant)
            .session()
            .validate_sso()
            .await
            .unwrap();
        assert!(r.result);
        assert_eq!(r.user_id, Some(123));
        assert_eq!(r.user_name, None);
        assert_eq!(r.expires, None);
    }
}

#[tokio::test]
async fn tickle_returns_session_and_embedded_status() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/tickle"));
                then.status(200).json_body(json!({
                    "session": "bb665d0f55b6289d70bc5d0e0ec1dbc6",
                    "ssoExpires": 460311,
                    "collission": false,
                    "userId": 123456789,
                    "hmds": {"error": "no bridge"},
                    "iserver": {"authStatus": {
                        "authenticated": true, "competing": false, "connected": true,
                        "message": "", "MAC": "98:F2:B3:23:BF:A0",
                        "serverInfo": {"serverName": "JifN19053", "serverVersion": "Build 10.25.0p"}
                    }}
                }));
            })
            .await;
        let t = client(&server, variant).session().tickle().await.unwrap();
        mock.assert_async().await;
        assert_eq!(
            t.session.as_ref().map(|s| s.expose()),
            Some("bb665d0f55b6289d70bc5d0e0ec1dbc6"),
            "{variant}"
        );
        assert_eq!(t.sso_expires, Some(460311));
        assert_eq!(t.user_id, Some(123456789));
        assert!(!t.collision);
        let status = t.auth_status.unwrap();
        assert!(status.authenticated);
        assert_eq!(status.server_name.as_deref(), Some("JifN19053"));
    }
}

#[tokio::test]
async fn tickle_without_iserver_status() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/tickle"));
                then.status(200)
                    .json_body(json!({"session": "abc", "ssoExpires": "0"}));
            })
            .await;
        let t = client(&server, variant).session().tickle().await.unwrap();
        assert_eq!(t.session.as_ref().map(|s| s.expose()), Some("abc"));
        assert_eq!(t.sso_expires, Some(0));
        assert_eq!(t.auth_status, None);
    }
}

#[tokio::test]
async fn failed_tickle_on_web_is_not_authenticated() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/api/tickle");
            then.status(200).json_body(json!({"error": "no session"}));
        })
        .await;
    match common::web(&server).session().tickle().await {
        Err(Error::NotAuthenticated(m)) => assert_eq!(m, "no session"),
        other => panic!("expected NotAuthenticated, got {other:?}"),
    }
}
