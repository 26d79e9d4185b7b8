//! The facade core through the public API: request building, the one
//! decoder's rules, secrets, URL policy, and operations a spec drops.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::{BearerToken, Client, Config, Error, Variant};
use serde_json::json;

#[test]
fn plain_http_is_allowed_only_to_loopback() {
    let web = |url: &str| Client::new(Config::web(BearerToken::new("t")).base_url(url));
    for url in [
        "http://127.0.0.1:5000",
        "http://localhost:8080",
        "http://[::1]:1",
    ] {
        assert!(web(url).is_ok(), "{url}");
    }
    for url in [
        "http://api.ibkr.com",
        "http://10.1.2.3",
        "http://localhost.example.com",
    ] {
        match web(url) {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("loopback"), "{m}"),
            other => panic!("{url}: {other:?}"),
        }
    }
    let gateway = Client::new(Config::gateway().base_url("http://192.168.1.9:5000/v1/api"));
    assert!(matches!(gateway, Err(Error::InvalidArgument(_))));
    assert!(
        Client::new(Config::web(BearerToken::new("t")).base_url("https://api.ibkr.com")).is_ok()
    );
}

#[tokio::test]
async fn the_tickle_session_never_shows_in_debug_or_serialize() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/tickle"));
                then.status(200)
                    .json_body(json!({"session": "s3cr3t-session-id", "ssoExpires": 1000}));
            })
            .await;
        let tickle = client(&server, variant).session().tickle().await.unwrap();
        let session = tickle.session.clone().expect("a session");
        assert_eq!(session.expose(), "s3cr3t-session-id");
        let debug = format!("{tickle:?} {session} {session:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        let json = serde_json::to_string(&tickle).unwrap();
        assert!(!json.contains("s3cr3t"), "{json}");
    }
}

#[tokio::test]
async fn auth_status_keeps_established() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/status"));
                then.status(200).json_body(json!({
                    "authenticated": true, "connected": true, "competing": false,
                    "established": true
                }));
            })
            .await;
        let status = client(&server, variant)
            .session()
            .auth_status()
            .await
            .unwrap();
        assert_eq!(status.established, Some(true), "{variant}");
    }
}

#[tokio::test]
async fn dot_segments_and_control_characters_in_path_ids_are_refused_before_sending() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).json_body(json!({}));
            })
            .await;
        let client = client(&server, variant);
        for id in ["", ".", "..", "a\nb", "\u{7f}"] {
            match client.accounts().summary(id).await {
                Err(Error::InvalidArgument(m)) => assert!(m.contains("Accounts::summary"), "{m}"),
                other => panic!("{variant} {id:?}: {other:?}"),
            }
        }
        assert_eq!(any.calls_async().await, 0, "nothing was sent");
    }
}

#[tokio::test]
async fn path_ids_are_percent_encoded() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/portfolio/U1%20X/summary"));
                then.status(200).json_body(json!({}));
            })
            .await;
        client(&server, variant)
            .accounts()
            .summary("U1 X")
            .await
            .unwrap();
        mock.assert_async().await;
        // Separators stay inside the one segment.
        let encoded = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/portfolio/..%2Fa%3Fb%23c/summary"));
                then.status(200).json_body(json!({}));
            })
            .await;
        client(&server, variant)
            .accounts()
            .summary("../a?b#c")
            .await
            .unwrap();
        encoded.assert_async().await;
    }
}

#[tokio::test]
async fn a_200_shaped_like_an_error_is_an_error_with_the_body() {
    for variant in VARIANTS {
        for body in [
            json!({"error": "Account U9 not found", "statusCode": 404}),
            json!([{"error": "Account U9 not found"}]),
        ] {
            let server = MockServer::start_async().await;
            server
                .mock_async(|when, then| {
                    when.method("GET")
                        .path(path(variant, "/portfolio/U9/ledger"));
                    then.status(200).json_body(body.clone());
                })
                .await;
            match client(&server, variant).accounts().ledger("U9").await {
                Err(Error::Api {
                    operation,
                    message,
                    body: kept,
                }) => {
                    assert_eq!(operation, "Accounts::ledger");
                    assert_eq!(message, "Account U9 not found");
                    assert_eq!(
                        serde_json::from_str::<serde_json::Value>(&kept).unwrap(),
                        body
                    );
                }
                other => panic!("{variant} {body}: {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn no_bridge_in_a_200_is_no_brokerage_session() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(200).json_body(json!({"error": "no bridge"}));
            })
            .await;
        let e = client(&server, variant)
            .accounts()
            .brokerage_accounts()
            .await
            .unwrap_err();
        assert!(
            matches!(e, Error::NoBrokerageSession(_)),
            "{variant}: {e:?}"
        );
    }
}

#[test]
fn supports_follows_the_operation_table() {
    let web = Client::new(Config::web(BearerToken::new("t"))).unwrap();
    let gateway = Client::new(Config::gateway()).unwrap();
    assert!(web.supports("Watchlists::list"));
    assert!(!gateway.supports("Watchlists::list"));
    assert!(web.supports("Accounts::summary") && gateway.supports("Accounts::summary"));
    assert!(!web.supports("No::such_operation"));
}

/// `Session::reauthenticate` is declared `unsupported_if_missing`: sent
/// when the vendored spec has it, `Unsupported` (nothing sent) when a spec
/// dropped it. Which branch runs depends on the vendored spec, so this test
/// holds for every spec `.ci/robustness.sh` vendors.
#[tokio::test]
async fn an_operation_dropped_by_the_spec_follows_its_declared_behaviour() {
    let op = ibkr_ops::areas::session::REAUTHENTICATE;
    for variant in VARIANTS {
        let (route, routes) = match variant {
            Variant::Web => (op.web.unwrap(), ibkr_ops::routes::WEB),
            Variant::Gateway => (op.gateway.unwrap(), ibkr_ops::routes::GATEWAY),
        };
        let in_spec = routes
            .iter()
            .any(|(m, p)| *m == route.method.as_str() && *p == route.path);
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.path(path(variant, "/iserver/reauthenticate"));
                then.status(200).json_body(json!({"message": "triggered"}));
            })
            .await;
        let client = client(&server, variant);
        assert_eq!(client.supports(op.name), in_spec, "{variant}");
        let result = client.session().reauthenticate().await;
        if in_spec {
            assert_eq!(result.unwrap().message.as_deref(), Some("triggered"));
            assert_eq!(mock.calls_async().await, 1);
        } else {
            assert!(
                matches!(result, Err(Error::Unsupported { .. })),
                "{variant}: {result:?}"
            );
            assert_eq!(mock.calls_async().await, 0, "nothing sent");
        }
    }
}

/// Operations declared `Send` when missing are sent whatever the spec says.
#[test]
fn every_other_operation_is_sent_even_if_a_spec_drops_it() {
    let unsupported: Vec<_> = ibkr_ops::all()
        .filter(|op| op.if_missing == ibkr_ops::IfMissing::Unsupported)
        .map(|op| op.name)
        .collect();
    assert_eq!(unsupported, ["Session::reauthenticate"]);
}
