//! OAuth 2.0 private_key_jwt: the full flow against a mock, checking the
//! forms, headers and the JWTs sent (verified with the public key), token
//! renewal, and that no secret reaches `Debug`, errors or logs.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use httpmock::prelude::*;
use ibkr_client::oauth2::{OAuth2, OAuth2Config};
use ibkr_client::{AuthProvider, Error};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{PrivateKey, PublicKey};
use serde_json::{Value, json};
use sha2::Sha256;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

const CLIENT_ID: &str = "test-client-7";
const KID: &str = "test-kid-1";
const USERNAME: &str = "jdoe_test_user";
const IP: &str = "203.0.113.7";
const ACCESS_TOKEN: &str = "AT-secret-0123456789abcdef";
const SSO_TOKEN: &str = "SSO-secret-fedcba9876543210";
const T0: u64 = 1_714_600_000;

fn key_pem() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/oauth1/TEST_ONLY_signature_key.pem");
    std::fs::read_to_string(path).unwrap()
}

fn public_key() -> PublicKey {
    PrivateKey::from_pkcs8_pem(&key_pem())
        .unwrap()
        .to_public_key()
}

/// Decodes and verifies a compact RS256 JWS; returns (header, claims).
fn verify_jwt(jwt: &str) -> (Value, Value) {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS");
    let signature = B64URL.decode(parts[2]).unwrap();
    public_key()
        .pkcs1v15_verify::<Sha256>(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
        .expect("signed with the client's key");
    let header = serde_json::from_slice(&B64URL.decode(parts[0]).unwrap()).unwrap();
    let claims = serde_json::from_slice(&B64URL.decode(parts[1]).unwrap()).unwrap();
    (header, claims)
}

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A TRACE subscriber for this test binary, writing into a buffer (the mock
/// server's own logs, which show the requests it receives, are left out).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Buffer(buffer.clone());
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || writer.clone())
                    .with_filter(
                        Targets::new()
                            .with_default(LevelFilter::TRACE)
                            .with_target("httpmock", LevelFilter::OFF),
                    ),
            )
            .try_init()
            .unwrap();
        buffer
    })
    .clone()
}

struct Fixture {
    server: MockServer,
    clock: Arc<Mutex<u64>>,
    assertions: Arc<Mutex<Vec<String>>>,
    sso_bodies: Arc<Mutex<Vec<String>>>,
}

impl Fixture {
    /// A provider whose own host is the mock.
    fn provider(&self) -> OAuth2 {
        self.provider_for(
            OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP).host(self.server.base_url()),
        )
    }

    /// A provider without a host of its own.
    fn unhosted_provider(&self) -> OAuth2 {
        self.provider_for(OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP))
    }

    fn provider_for(&self, config: OAuth2Config) -> OAuth2 {
        let clock = self.clock.clone();
        OAuth2::new(config.session_validity(Duration::from_secs(3600)))
            .unwrap()
            .with_clock(move || UNIX_EPOCH + Duration::from_secs(*clock.lock().unwrap()))
    }

    fn set_time(&self, unix: u64) {
        *self.clock.lock().unwrap() = unix;
    }
}

/// Mocks of both endpoints; the access token lives 600 s, the SSO token 120 s.
async fn fixture() -> Fixture {
    let server = MockServer::start_async().await;
    let assertions = Arc::new(Mutex::new(Vec::new()));
    let sso_bodies = Arc::new(Mutex::new(Vec::new()));
    {
        let assertions = assertions.clone();
        server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/oauth2/api/v1/token")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .form_urlencoded_tuple("grant_type", "client_credentials")
                    .form_urlencoded_tuple(
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    )
                    .form_urlencoded_tuple("scope", "sso-sessions.write")
                    .form_urlencoded_tuple_exists("client_assertion")
                    .is_true(move |req| {
                        let body = req.body_string();
                        let form = reqwest::Url::parse(&format!("http://x/?{body}")).unwrap();
                        let assertion = form
                            .query_pairs()
                            .find(|(k, _)| k == "client_assertion")
                            .map(|(_, v)| v.into_owned())
                            .unwrap_or_default();
                        assertions.lock().unwrap().push(assertion);
                        true
                    });
                then.status(200).json_body(json!({
                    "access_token": ACCESS_TOKEN,
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "scope": "sso-sessions.write",
                }));
            })
            .await;
    }
    {
        let bodies = sso_bodies.clone();
        server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/gw/api/v1/sso-sessions")
                    .header("authorization", format!("Bearer {ACCESS_TOKEN}"))
                    .header("content-type", "application/jwt")
                    .is_true(move |req| {
                        bodies.lock().unwrap().push(req.body_string());
                        true
                    });
                then.status(200).json_body(json!({
                    "access_token": SSO_TOKEN,
                    "token_type": "Bearer",
                    "expires_in": 120,
                }));
            })
            .await;
    }
    Fixture {
        server,
        clock: Arc::new(Mutex::new(T0)),
        assertions,
        sso_bodies,
    }
}

async fn authorized_header(provider: &OAuth2) -> String {
    let mut request = reqwest::Request::new(
        reqwest::Method::GET,
        "https://api.ibkr.com/v1/api/iserver/accounts"
            .parse()
            .unwrap(),
    );
    provider.authorize(&mut request).await.unwrap();
    let value = request.headers().get("authorization").unwrap();
    assert!(value.is_sensitive());
    value.to_str().unwrap().to_string()
}

#[tokio::test]
async fn full_flow_sends_the_documented_requests_and_jwts() {
    let fx = fixture().await;
    let provider = fx.provider();
    assert_eq!(
        authorized_header(&provider).await,
        format!("Bearer {SSO_TOKEN}")
    );

    let assertions = fx.assertions.lock().unwrap().clone();
    assert_eq!(assertions.len(), 1);
    let (header, claims) = verify_jwt(&assertions[0]);
    assert_eq!(header, json!({"alg": "RS256", "typ": "JWT", "kid": KID}));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert_eq!(claims["aud"], "/token");
    assert_eq!(claims["exp"], T0 + 20);
    assert_eq!(claims["iat"], T0 - 10);

    let bodies = fx.sso_bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let (header, claims) = verify_jwt(&bodies[0]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], KID);
    assert_eq!(claims["ip"], IP);
    assert_eq!(claims["credential"], USERNAME);
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["iat"], T0);
    assert_eq!(claims["exp"], T0 + 3600);

    assert_eq!(
        provider.session_expiration().await,
        Some(UNIX_EPOCH + Duration::from_secs(T0 + 120))
    );
    // A second request reuses the tokens.
    authorized_header(&provider).await;
    assert_eq!(fx.assertions.lock().unwrap().len(), 1);
    assert_eq!(fx.sso_bodies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn both_tokens_are_renewed_before_they_expire() {
    let fx = fixture().await;
    let provider = fx.provider();
    authorized_header(&provider).await;
    let counts = || {
        (
            fx.assertions.lock().unwrap().len(),
            fx.sso_bodies.lock().unwrap().len(),
        )
    };
    assert_eq!(counts(), (1, 1));
    // 100 s later the SSO token (120 s) is within the 60 s margin: a new SSO
    // session with the same access token (600 s).
    fx.set_time(T0 + 100);
    authorized_header(&provider).await;
    assert_eq!(counts(), (1, 2));
    fx.set_time(T0 + 130);
    authorized_header(&provider).await;
    assert_eq!(counts(), (1, 2));
    // At 590 s both are stale: a new access token, then a new SSO session.
    fx.set_time(T0 + 590);
    authorized_header(&provider).await;
    assert_eq!(counts(), (2, 3));
    let (_, claims) = verify_jwt(fx.assertions.lock().unwrap().last().unwrap());
    assert_eq!(claims["iat"], T0 + 580);
    // `refresh` forces a new SSO session.
    provider.refresh().await.unwrap();
    assert_eq!(counts(), (2, 4));
}

#[tokio::test]
async fn failures_are_reported_without_secrets() {
    logs();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth2/api/v1/token");
            then.status(401)
                .json_body(json!({"error": "invalid_client", "error_description": "unknown kid"}));
        })
        .await;
    let provider = OAuth2::new(
        OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP).host(server.base_url()),
    )
    .unwrap();
    let mut request = reqwest::Request::new(
        reqwest::Method::GET,
        "https://api.ibkr.com/v1/api/iserver/accounts"
            .parse()
            .unwrap(),
    );
    let err = provider.authorize(&mut request).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotAuthenticated(m) if m.contains("invalid_client")),
        "{err:?}"
    );
    assert!(request.headers().get("authorization").is_none());

    // A token answer without a token.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth2/api/v1/token");
            then.status(200).json_body(json!({"token_type": "Bearer"}));
        })
        .await;
    let provider = OAuth2::new(
        OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP).host(server.base_url()),
    )
    .unwrap();
    let err = provider.refresh().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    // A malformed key is rejected without echoing it.
    let err = OAuth2::new(OAuth2Config::new(
        CLIENT_ID,
        KID,
        "-----BEGIN PRIVATE KEY-----\nSECRETKEYBYTES\n-----END PRIVATE KEY-----",
        USERNAME,
        IP,
    ))
    .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)));
    assert!(!err.to_string().contains("SECRETKEYBYTES"));

    // The token requests carry the credentials: never over plain http to
    // another host than this one.
    for host in ["http://api.ibkr.com", "ftp://127.0.0.1", "not a url"] {
        let err =
            OAuth2::new(OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP).host(host))
                .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{host}: {err:?}");
    }
}

#[tokio::test]
async fn no_secret_in_debug_output_or_trace_logs() {
    let buffer = logs();
    let fx = fixture().await;
    let provider = fx.provider();
    authorized_header(&provider).await;
    fx.set_time(T0 + 590);
    authorized_header(&provider).await;

    let config = OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP);
    let debug = format!("{config:?} {provider:?} {provider:#?}");
    assert!(debug.contains("<redacted>"));

    let logs = String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned();
    assert!(logs.contains("SSO session obtained"), "{logs}");
    let mut secrets: Vec<String> = vec![ACCESS_TOKEN.into(), SSO_TOKEN.into(), USERNAME.into()];
    for jwt in fx
        .assertions
        .lock()
        .unwrap()
        .iter()
        .chain(fx.sso_bodies.lock().unwrap().iter())
    {
        secrets.extend(jwt.split('.').map(str::to_string));
    }
    secrets.extend(
        key_pem()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .take(5)
            .map(str::to_string),
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret leaked into the logs"
        );
        assert!(
            !debug.contains(secret.as_str()),
            "a secret leaked into Debug"
        );
    }
}

/// `provider` bound to `client_base` through a `Client`; returns both.
fn bound(provider: OAuth2, client_base: String) -> (Arc<OAuth2>, ibkr_client::Client) {
    let provider = Arc::new(provider);
    let client = ibkr_client::Client::new(
        ibkr_client::Config::web_with(provider.clone()).base_url(client_base),
    )
    .unwrap();
    (provider, client)
}

fn log_text() -> String {
    String::from_utf8_lossy(&logs().lock().unwrap()).into_owned()
}

/// The tokens, the username and the JWTs' parts the fixture saw.
fn fixture_secrets(fx: &Fixture) -> Vec<String> {
    let mut secrets: Vec<String> = vec![ACCESS_TOKEN.into(), SSO_TOKEN.into(), USERNAME.into()];
    for jwt in fx
        .assertions
        .lock()
        .unwrap()
        .iter()
        .chain(fx.sso_bodies.lock().unwrap().iter())
    {
        secrets.extend(jwt.split('.').map(str::to_string));
    }
    secrets
}

#[tokio::test]
async fn the_token_requests_go_to_the_clients_host() {
    logs();
    let fx = fixture().await;
    // No host on the provider: the client's host (here the mock; the sandbox
    // or api.ibkr.com otherwise) is where both requests go.
    let provider = fx.unhosted_provider();
    assert!(format!("{provider:?}").contains("https://api.ibkr.com/oauth2/api/v1/token"));
    let (provider, _client) = bound(provider, fx.server.base_url());
    assert!(format!("{provider:?}").contains(&fx.server.url("/oauth2/api/v1/token")));
    assert_eq!(
        authorized_header(&provider).await,
        format!("Bearer {SSO_TOKEN}")
    );
    assert_eq!(fx.assertions.lock().unwrap().len(), 1);
    assert_eq!(fx.sso_bodies.lock().unwrap().len(), 1);
    let logs = log_text();
    for secret in fixture_secrets(&fx) {
        assert!(!logs.contains(&secret), "a secret leaked into the logs");
    }
}

#[tokio::test]
async fn an_explicit_host_wins_over_the_clients_host() {
    logs();
    let fx = fixture().await;
    let client_host = MockServer::start_async().await;
    let elsewhere = client_host
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let (provider, _client) = bound(fx.provider(), client_host.base_url());
    provider
        .refresh()
        .await
        .expect("tokens from the explicit host");
    assert_eq!(fx.sso_bodies.lock().unwrap().len(), 1);
    assert_eq!(elsewhere.calls_async().await, 0);
    // Documented, and not silent.
    let logs = log_text();
    assert!(
        logs.contains("explicitly configured base differs from the client's host"),
        "{logs}"
    );
}

#[tokio::test]
async fn redirects_of_the_token_requests_to_another_host_are_refused() {
    logs();
    let other = MockServer::start_async().await;
    let stolen = other
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .json_body(json!({"access_token": "x", "expires_in": 600}));
        })
        .await;

    // The token request, bound to a client: its redirect policy refuses
    // another origin.
    let server = MockServer::start_async().await;
    let target = other.url("/oauth2/api/v1/token");
    let redirect = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth2/api/v1/token");
            // 307 keeps the method and the body (the client assertion).
            then.status(307).header("location", target.as_str());
        })
        .await;
    let (provider, _client) = bound(
        OAuth2::new(OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP)).unwrap(),
        server.base_url(),
    );
    match provider.refresh().await {
        Err(Error::Transport(message)) => assert!(message.contains("redirect"), "{message}"),
        other => panic!("expected the redirect to be refused, got {other:?}"),
    }
    assert_eq!(redirect.calls_async().await, 1);

    // The SSO request (it carries the access token), bound and alone.
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth2/api/v1/token");
            then.status(200)
                .json_body(json!({"access_token": ACCESS_TOKEN, "expires_in": 600}));
        })
        .await;
    let target = other.url("/gw/api/v1/sso-sessions");
    let redirect = server
        .mock_async(|when, then| {
            when.method(POST).path("/gw/api/v1/sso-sessions");
            then.status(308).header("location", target.as_str());
        })
        .await;
    let (provider, _client) = bound(
        OAuth2::new(OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP)).unwrap(),
        server.base_url(),
    );
    match provider.refresh().await {
        Err(Error::Transport(message)) => assert!(message.contains("redirect"), "{message}"),
        other => panic!("expected the redirect to be refused, got {other:?}"),
    }
    // A provider used on its own follows no redirect at all.
    let alone = OAuth2::new(
        OAuth2Config::new(CLIENT_ID, KID, key_pem(), USERNAME, IP).host(server.base_url()),
    )
    .unwrap();
    match alone.refresh().await {
        Err(Error::Http { status: 308, .. }) => {}
        other => panic!("expected the 308 to be left unfollowed, got {other:?}"),
    }
    assert_eq!(token.calls_async().await, 2);
    assert_eq!(redirect.calls_async().await, 2);
    assert_eq!(
        stolen.calls_async().await,
        0,
        "nothing reached the other host"
    );
    let logs = log_text();
    assert!(
        !logs.contains(ACCESS_TOKEN),
        "a secret leaked into the logs"
    );
    assert!(!logs.contains(USERNAME), "a secret leaked into the logs");
}

#[tokio::test]
async fn a_shared_provider_stays_with_the_first_client() {
    logs();
    let fx = fixture().await;
    let second_host = MockServer::start_async().await;
    let elsewhere = second_host
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let (provider, _first) = bound(fx.unhosted_provider(), fx.server.base_url());
    let _second = ibkr_client::Client::new(
        ibkr_client::Config::web_with(provider.clone()).base_url(second_host.base_url()),
    )
    .unwrap();
    provider
        .refresh()
        .await
        .expect("tokens from the first client's host");
    assert_eq!(fx.sso_bodies.lock().unwrap().len(), 1);
    assert_eq!(elsewhere.calls_async().await, 0);
    assert!(log_text().contains("already bound to another client's host"));
}
