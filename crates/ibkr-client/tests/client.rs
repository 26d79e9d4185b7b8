//! Client construction, Web API routing, and error mapping on both variants.

mod common;

use std::time::Duration;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::{BearerToken, Client, Config, Error, Variant};
use serde_json::json;

#[test]
fn config_defaults_and_validation() {
    let gw = Config::gateway();
    assert_eq!(gw.variant(), Variant::Gateway);
    assert_eq!(gw.url(), "https://localhost:5000/v1/api");
    assert_eq!(gw.request_timeout(), Duration::from_secs(15));
    let web = Config::web(BearerToken::new("secret-token"));
    assert_eq!(web.variant(), Variant::Web);
    assert_eq!(web.url(), "https://api.ibkr.com");
    assert!(!format!("{web:?}").contains("secret-token"));

    let c = Client::new(Config::gateway().accept_self_signed_certificate()).unwrap();
    assert_eq!(c.variant(), Variant::Gateway);
    #[cfg(feature = "low-level")]
    assert!(c.gateway_api().is_some() && c.web_api().is_none());
    let w = Client::new(Config::web(BearerToken::new("t"))).unwrap();
    assert_eq!(w.api_base_url(), "https://api.ibkr.com/v1/api");
    #[cfg(feature = "low-level")]
    assert!(w.web_api().is_some() && w.web_account_api().is_some() && w.gateway_api().is_none());
    assert!(!format!("{w:?}").contains("\"t\""));

    assert!(matches!(
        Client::new(Config::web(BearerToken::new("t")).accept_self_signed_certificate()),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        Client::new(Config::gateway().base_url("not a url")),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        Client::new(Config::gateway().base_url("ftp://x/v1/api")),
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn web_path_families_reach_their_bases() {
    let server = MockServer::start_async().await;
    let trading = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v1/api/iserver/accounts")
                .header("authorization", "Bearer test-token");
            then.status(200)
                .json_body(json!({"accounts": ["U1"], "selectedAccount": "U1"}));
        })
        .await;
    let account_mgmt = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts")
                .header("authorization", "Bearer test-token");
            then.status(200).json_body(json!({}));
        })
        .await;
    let c = common::web(&server);
    c.accounts().brokerage_accounts().await.unwrap();
    let _ = c.account_management().application(None, None).await;
    trading.assert_async().await;
    account_mgmt.assert_async().await;
}

/// The escape hatch's account management client (feature `low-level`) has
/// the host as its base too.
#[cfg(feature = "low-level")]
#[tokio::test]
async fn the_web_account_client_reaches_the_host() {
    let server = MockServer::start_async().await;
    let account_mgmt = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/gw/api/v1/accounts")
                .header("authorization", "Bearer test-token");
            then.status(200).json_body(json!({}));
        })
        .await;
    let _ = common::web(&server)
        .web_account_api()
        .unwrap()
        .gw_api_v1_accounts_get(None, None)
        .await;
    account_mgmt.assert_async().await;
}

#[tokio::test]
async fn web_posts_without_body_carry_content_length_zero() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/api/iserver/auth/status")
                .header("content-length", "0");
            then.status(200).json_body(json!({"authenticated": true}));
        })
        .await;
    common::web(&server).session().auth_status().await.unwrap();
    m.assert_async().await;
}

#[tokio::test]
async fn gateway_keeps_the_cookie_session() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/api/tickle");
            then.status(200)
                .header("set-cookie", "x-sess-uuid=abc; Path=/")
                .json_body(json!({"session": "s"}));
        })
        .await;
    let with_cookie = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/api/iserver/auth/status")
                .header("cookie", "x-sess-uuid=abc");
            then.status(200).json_body(json!({"authenticated": true}));
        })
        .await;
    let c = common::gateway(&server);
    c.session().tickle().await.unwrap();
    // A clone shares the session.
    c.clone().session().auth_status().await.unwrap();
    with_cookie.assert_async().await;
}

#[tokio::test]
async fn redirects_to_other_hosts_are_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/api/iserver/auth/status");
            then.status(302)
                .header("location", "http://example.invalid/steal");
        })
        .await;
    for variant in VARIANTS {
        match client(&server, variant).session().auth_status().await {
            Err(Error::Transport(m)) => assert!(m.contains("redirect"), "{m}"),
            other => panic!("expected a refused redirect, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn http_401_is_not_authenticated() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(401)
                    .json_body(json!({"error": "not authenticated", "statusCode": 401}));
            })
            .await;
        match client(&server, variant)
            .accounts()
            .brokerage_accounts()
            .await
        {
            Err(Error::NotAuthenticated(m)) => {
                assert!(m.contains("not authenticated"), "{variant}: {m}")
            }
            other => panic!("{variant}: expected NotAuthenticated, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn http_500_keeps_the_body() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/status"));
                then.status(500).body("internal trouble 42");
            })
            .await;
        match client(&server, variant).session().auth_status().await {
            Err(Error::Http {
                status,
                body,
                operation,
            }) => {
                assert_eq!(status, 500);
                assert_eq!(body, "internal trouble 42");
                assert_eq!(operation, "Session::auth_status");
            }
            other => panic!("{variant}: expected Http, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn no_bridge_is_no_brokerage_session() {
    for variant in VARIANTS {
        for status in [400, 500] {
            let server = MockServer::start_async().await;
            server
                .mock_async(|when, then| {
                    when.method("GET")
                        .path(path(variant, "/iserver/account/trades"));
                    then.status(status)
                        .json_body(json!({"error": "no bridge", "statusCode": status}));
                })
                .await;
            match client(&server, variant).orders().trades().await {
                Err(Error::NoBrokerageSession(m)) => assert!(m.contains("no bridge")),
                other => panic!("{variant} {status}: expected NoBrokerageSession, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn malformed_json_is_decode_with_the_raw_body() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(200).body("{\"accounts\": [\"U1\", oops");
            })
            .await;
        match client(&server, variant)
            .accounts()
            .brokerage_accounts()
            .await
        {
            Err(Error::Decode {
                body, operation, ..
            }) => {
                assert_eq!(body, "{\"accounts\": [\"U1\", oops");
                assert_eq!(operation, "Accounts::brokerage_accounts");
            }
            other => panic!("{variant}: expected Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn slow_answers_time_out() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/auth/status"));
                then.status(200)
                    .delay(Duration::from_millis(600))
                    .json_body(json!({}));
            })
            .await;
        let config = match variant {
            Variant::Web => Config::web(BearerToken::new("t")).base_url(server.base_url()),
            Variant::Gateway => Config::gateway().base_url(server.url("/v1/api")),
        };
        let c = Client::new(config.timeout(Duration::from_millis(150))).unwrap();
        match c.session().auth_status().await {
            Err(Error::Timeout { after, operation }) => {
                assert_eq!(after, Duration::from_millis(150));
                assert_eq!(operation, "Session::auth_status");
            }
            other => panic!("{variant}: expected Timeout, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn connection_refused_is_transport() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c =
        Client::new(Config::gateway().base_url(format!("http://127.0.0.1:{port}/v1/api"))).unwrap();
    assert!(matches!(
        c.session().auth_status().await,
        Err(Error::Transport(_))
    ));
}

#[tokio::test]
async fn web_only_operations_are_unsupported_on_the_gateway() {
    let server = MockServer::start_async().await;
    match common::gateway(&server)
        .orders()
        .suppress_questions(&["o163"])
        .await
    {
        Err(Error::Unsupported { operation, variant }) => {
            assert_eq!(operation, "Orders::suppress_questions");
            assert_eq!(variant, Variant::Gateway);
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
    assert!(matches!(
        common::gateway(&server)
            .orders()
            .reset_suppressed_questions()
            .await,
        Err(Error::Unsupported { .. })
    ));
}

#[derive(Debug)]
struct FailingAuth;

impl ibkr_client::AuthProvider for FailingAuth {
    fn authorize<'a>(
        &'a self,
        _request: &'a mut reqwest::Request,
    ) -> ibkr_client::auth::BoxFuture<'a, Result<(), Error>> {
        Box::pin(async { Err(Error::NotAuthenticated("token expired".into())) })
    }
}

#[tokio::test]
async fn auth_provider_errors_keep_their_type() {
    let server = MockServer::start_async().await;
    let c = Client::new(Config::web(FailingAuth).base_url(server.base_url())).unwrap();
    match c.session().auth_status().await {
        Err(Error::NotAuthenticated(m)) => assert_eq!(m, "token expired"),
        other => panic!("expected the provider's error, got {other:?}"),
    }
    // Raw requests too.
    assert!(matches!(
        c.session().tickle().await,
        Err(Error::NotAuthenticated(_))
    ));
}
