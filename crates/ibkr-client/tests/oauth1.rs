//! OAuth 1.0a: the building blocks against independently computed vectors
//! (`.ci/oauth1_vectors.py`), the full LST flow against a mock, renewal,
//! failures, and that no secret reaches `Debug`, errors or logs.

mod common_tracing {
    //! A process-wide TRACE subscriber writing into a buffer.
    use std::io::Write;
    use std::sync::{Arc, Mutex, OnceLock};

    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

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

    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

    /// Installs the subscriber once; returns the buffer.
    pub fn capture() -> Arc<Mutex<Vec<u8>>> {
        LOGS.get_or_init(|| {
            let buffer = Arc::new(Mutex::new(Vec::new()));
            let writer = Buffer(buffer.clone());
            // The mock server logs the requests it receives, headers included:
            // that is the test's server, not the client, so it is left out.
            let filter = Targets::new()
                .with_default(LevelFilter::TRACE)
                .with_target("httpmock", LevelFilter::OFF);
            tracing_subscriber::registry()
                .with(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(move || writer.clone())
                        .with_filter(filter),
                )
                .try_init()
                .expect("one subscriber per test binary");
            buffer
        })
        .clone()
    }

    pub fn text() -> String {
        String::from_utf8_lossy(&capture().lock().unwrap()).into_owned()
    }
}

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use httpmock::prelude::*;
use ibkr_client::oauth1::{OAuth1, OAuth1Config, OAuth1Entropy, primitives};
use ibkr_client::{AuthProvider, Error};
use num_bigint::BigUint;
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use serde_json::{Value, json};
use sha1::Sha1;
use sha2::Sha256;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oauth1")
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures().join(name)).unwrap()).unwrap()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

fn hex32(hex: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Parses `OAuth realm="r", k="v", ...` into (realm, [(k, decoded v)]).
fn parse_header(header: &str) -> (String, Vec<(String, String)>) {
    let rest = header.strip_prefix("OAuth ").expect("OAuth scheme");
    let mut realm = String::new();
    let mut params = Vec::new();
    for field in rest.split(", ") {
        let (k, v) = field.split_once('=').unwrap();
        let v = v.trim_matches('"');
        if k == "realm" {
            realm = v.to_string();
        } else {
            params.push((k.to_string(), percent_decode(v)));
        }
    }
    (realm, params)
}

/// Fixed time, nonces and DH secret.
#[derive(Clone)]
struct TestEntropy {
    now: Arc<Mutex<SystemTime>>,
    nonces: Arc<Mutex<VecDeque<String>>>,
    a: [u8; 32],
}

impl TestEntropy {
    fn new(a: [u8; 32], unix: u64, nonces: &[&str]) -> TestEntropy {
        TestEntropy {
            now: Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(unix))),
            nonces: Arc::new(Mutex::new(nonces.iter().map(|n| n.to_string()).collect())),
            a,
        }
    }

    fn set_unix(&self, unix: u64) {
        *self.now.lock().unwrap() = UNIX_EPOCH + Duration::from_secs(unix);
    }
}

impl OAuth1Entropy for TestEntropy {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
    fn nonce(&self) -> String {
        self.nonces
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| "fallbackNonce000".into())
    }
    fn dh_random(&self) -> [u8; 32] {
        self.a
    }
}

fn config(inputs: &Value, base_url: &str) -> OAuth1Config {
    unbased_config(inputs).base_url(base_url)
}

/// The credentials without a base URL of their own.
fn unbased_config(inputs: &Value) -> OAuth1Config {
    OAuth1Config::new(
        s(&inputs["consumer_key"]),
        s(&inputs["access_token"]),
        s(&inputs["access_token_secret"]),
    )
    .signature_key_file(fixtures().join("TEST_ONLY_signature_key.pem"))
    .encryption_key_pem(read("TEST_ONLY_encryption_key.pem"))
    .dh_prime_hex(s(&inputs["dh_prime"]))
    .dh_generator(inputs["dh_generator"].as_u64().unwrap() as u32)
    .realm(s(&inputs["realm"]))
}

/// The server's side of the exchange, computed here from the fixed secret b.
struct ServerSide {
    dh_response: String,
    lst: String,
    lst_signature: String,
}

fn server_side(inputs: &Value, challenge_hex: &str, prepend_hex: &str) -> ServerSide {
    let p = BigUint::parse_bytes(s(&inputs["dh_prime"]).as_bytes(), 16).unwrap();
    let g = BigUint::from(inputs["dh_generator"].as_u64().unwrap());
    let b = BigUint::parse_bytes(s(&inputs["server_dh_secret_b"]).as_bytes(), 16).unwrap();
    let big_b = g.modpow(&b, &p);
    let big_a = BigUint::parse_bytes(challenge_hex.as_bytes(), 16).unwrap();
    let k = big_a.modpow(&b, &p);
    // Java's toByteArray, written differently from the library.
    let mut k_bytes = vec![0u8];
    k_bytes.extend(k.to_bytes_be());
    if k_bytes[1] & 0x80 == 0 {
        k_bytes.remove(0);
    }
    let prepend: Vec<u8> = (0..prepend_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&prepend_hex[i..i + 2], 16).unwrap())
        .collect();
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&k_bytes).unwrap();
    mac.update(&prepend);
    let lst_bytes = mac.finalize().into_bytes();
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&lst_bytes).unwrap();
    mac.update(s(&inputs["consumer_key"]).as_bytes());
    ServerSide {
        dh_response: big_b.to_str_radix(16),
        lst: B64.encode(lst_bytes),
        lst_signature: hex(&mac.finalize().into_bytes()),
    }
}

#[test]
fn building_blocks_match_the_independent_vectors() {
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let signature_pem = read("TEST_ONLY_signature_key.pem");
    let encryption_pem = read("TEST_ONLY_encryption_key.pem");
    let prepend = primitives::prepend(&encryption_pem, s(&inputs["access_token_secret"])).unwrap();
    assert_eq!(prepend, s(&vectors["prepend"]));

    let cases = vectors["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for (case, input) in cases.iter().zip(inputs["cases"].as_array().unwrap()) {
        let name = s(&case["name"]);
        let a = hex32(s(&input["dh_random_a"]));
        let challenge = primitives::dh_challenge(s(&inputs["dh_prime"]), 2, &a).unwrap();
        assert_eq!(challenge, s(&case["challenge"]), "{name}");

        let timestamp = inputs["lst_timestamp"].to_string();
        let params = [
            ("diffie_hellman_challenge", challenge.as_str()),
            ("oauth_consumer_key", s(&inputs["consumer_key"])),
            ("oauth_nonce", s(&inputs["lst_nonce"])),
            ("oauth_signature_method", "RSA-SHA256"),
            ("oauth_timestamp", timestamp.as_str()),
            ("oauth_token", s(&inputs["access_token"])),
        ];
        let base = format!(
            "{prepend}{}",
            primitives::signature_base_string("POST", s(&inputs["lst_url"]), &params).unwrap()
        );
        assert_eq!(base, s(&case["lst_base_string"]), "{name}");
        let signature = primitives::rsa_sha256_signature(&signature_pem, &base).unwrap();
        assert_eq!(signature, s(&case["lst_rsa_signature"]), "{name}");
        let mut with_signature = params.to_vec();
        with_signature.push(("oauth_signature", signature.as_str()));
        assert_eq!(
            primitives::authorization_header(s(&inputs["realm"]), &with_signature),
            s(&case["lst_authorization_header"]),
            "{name}"
        );

        let lst = primitives::live_session_token(
            s(&inputs["dh_prime"]),
            &a,
            s(&case["dh_response"]),
            &prepend,
        )
        .unwrap();
        assert_eq!(lst, s(&case["live_session_token"]), "{name}");
        assert_eq!(
            primitives::live_session_token_signature(&lst, s(&inputs["consumer_key"])).unwrap(),
            s(&case["live_session_token_signature"]),
            "{name}"
        );

        let request = &inputs["request"];
        let timestamp = request["timestamp"].to_string();
        let params = [
            ("oauth_consumer_key", s(&inputs["consumer_key"])),
            ("oauth_nonce", s(&request["nonce"])),
            ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", timestamp.as_str()),
            ("oauth_token", s(&inputs["access_token"])),
        ];
        let base =
            primitives::signature_base_string(s(&request["method"]), s(&request["url"]), &params)
                .unwrap();
        assert_eq!(base, s(&case["request_base_string"]), "{name}");
        let signature = primitives::hmac_sha256_signature(&lst, &base).unwrap();
        assert_eq!(signature, s(&case["request_signature"]), "{name}");
        let mut with_signature = params.to_vec();
        with_signature.push(("oauth_signature", signature.as_str()));
        assert_eq!(
            primitives::authorization_header(s(&inputs["realm"]), &with_signature),
            s(&case["request_authorization_header"]),
            "{name}"
        );
    }
    // Both sides of the two's-complement rule are covered.
    let lengths: Vec<u64> = cases
        .iter()
        .map(|c| c["k_bit_length"].as_u64().unwrap() % 8)
        .collect();
    assert!(lengths.contains(&0) && lengths.iter().any(|l| *l != 0));
}

/// Mocks the LST endpoint of `server` for one vector case, checking the
/// request's header and signature; returns the mock, the captured
/// LST-request headers and the entropy the provider must use.
async fn mock_lst(
    server: &MockServer,
    case_index: usize,
) -> (httpmock::Mock<'_>, Arc<Mutex<Vec<String>>>, TestEntropy) {
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let case = &vectors["cases"][case_index];
    let a = hex32(s(&inputs["cases"][case_index]["dh_random_a"]));
    let base_url = server.url("/v1/api");
    let lst_url = format!("{base_url}/oauth/live_session_token");
    let prepend = s(&vectors["prepend"]).to_string();
    let side = server_side(&inputs, s(&case["challenge"]), &prepend);
    // The server's values agree with the Python vectors.
    assert_eq!(side.dh_response, s(&case["dh_response"]));
    assert_eq!(side.lst, s(&case["live_session_token"]));
    assert_eq!(side.lst_signature, s(&case["live_session_token_signature"]));

    let public_key = PrivateKey::from_pkcs8_pem(&read("TEST_ONLY_signature_key.pem"))
        .unwrap()
        .to_public_key();
    let captured = Arc::new(Mutex::new(Vec::new()));
    let expected_challenge = s(&case["challenge"]).to_string();
    let realm = s(&inputs["realm"]).to_string();
    let consumer_key = s(&inputs["consumer_key"]).to_string();
    let access_token = s(&inputs["access_token"]).to_string();
    let verify = {
        let captured = captured.clone();
        let lst_url = lst_url.clone();
        move |req: &HttpMockRequest| {
            let Some(header) = req
                .headers_vec()
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.clone())
            else {
                return false;
            };
            captured.lock().unwrap().push(header.clone());
            let (got_realm, params) = parse_header(&header);
            let get = |k: &str| {
                params
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            let signature = B64.decode(get("oauth_signature")).unwrap_or_default();
            let unsigned: Vec<(&str, &str)> = params
                .iter()
                .filter(|(k, _)| k != "oauth_signature")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let base = format!(
                "{prepend}{}",
                primitives::signature_base_string("POST", &lst_url, &unsigned).unwrap()
            );
            got_realm == realm
                && keys == sorted
                && get("diffie_hellman_challenge") == expected_challenge
                && get("oauth_signature_method") == "RSA-SHA256"
                && get("oauth_consumer_key") == consumer_key
                && get("oauth_token") == access_token
                && get("oauth_timestamp") == "1714600000"
                && public_key
                    .pkcs1v15_verify::<Sha256>(base.as_bytes(), &signature)
                    .is_ok()
        }
    };
    let expiration_ms = (1_714_600_000u64 + 24 * 3600) * 1000;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/api/oauth/live_session_token")
                .header("content-length", "0")
                .is_true(verify);
            then.status(200).json_body(json!({
                "diffie_hellman_response": side.dh_response,
                "live_session_token_signature": side.lst_signature,
                "live_session_token_expiration": expiration_ms,
            }));
        })
        .await;
    let entropy = TestEntropy::new(
        a,
        1_714_600_000,
        &[s(&inputs["lst_nonce"]), s(&inputs["request"]["nonce"])],
    );
    (mock, captured, entropy)
}

/// Runs the full flow for one vector case against a mock, the provider
/// having the mock as its own base URL; returns the provider, the mock's
/// captured LST-request headers and the entropy.
async fn full_flow(
    case_index: usize,
) -> (OAuth1, Arc<Mutex<Vec<String>>>, TestEntropy, MockServer) {
    let inputs = read_json("inputs.json");
    let server = MockServer::start_async().await;
    let (mock, captured, entropy) = mock_lst(&server, case_index).await;
    let provider = OAuth1::new(config(&inputs, &server.url("/v1/api")))
        .unwrap()
        .with_entropy(entropy.clone());
    provider.refresh().await.expect("LST flow");
    assert_eq!(mock.calls_async().await, 1);
    (provider, captured, entropy, server)
}

async fn signed_snapshot_header(provider: &OAuth1) -> String {
    let inputs = read_json("inputs.json");
    let url = s(&inputs["request"]["url"]);
    let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
    provider.authorize(&mut request).await.unwrap();
    let value = request.headers().get("authorization").unwrap();
    assert!(value.is_sensitive());
    value.to_str().unwrap().to_string()
}

#[tokio::test]
async fn full_lst_flow_then_requests_are_signed_as_the_vectors_say() {
    let vectors = read_json("vectors.json");
    for index in 0..2 {
        let (provider, captured, entropy, _server) = full_flow(index).await;
        assert_eq!(captured.lock().unwrap().len(), 1);
        assert_eq!(
            provider.live_session_token_expiration().await,
            Some(UNIX_EPOCH + Duration::from_secs(1_714_600_000 + 24 * 3600))
        );
        entropy.set_unix(1_714_600_042);
        let header = signed_snapshot_header(&provider).await;
        assert_eq!(
            header,
            s(&vectors["cases"][index]["request_authorization_header"])
        );
    }
}

#[tokio::test]
async fn the_lst_is_renewed_before_it_expires() {
    let (provider, captured, entropy, server) = full_flow(1).await;
    // Still valid for long: no new LST.
    entropy.set_unix(1_714_600_000 + 3600);
    signed_snapshot_header(&provider).await;
    assert_eq!(captured.lock().unwrap().len(), 1);
    // Within the 10 minutes before expiry: a new LST is requested first.
    entropy.set_unix(1_714_600_000 + 24 * 3600 - 300);
    // The mock checks the timestamp of the first request only; answer the
    // renewal with a second mock.
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let side = server_side(
        &inputs,
        s(&vectors["cases"][1]["challenge"]),
        s(&vectors["prepend"]),
    );
    let renewal = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/api/oauth/live_session_token");
            then.status(200).json_body(json!({
                "diffie_hellman_response": side.dh_response,
                "live_session_token_signature": side.lst_signature,
                "live_session_token_expiration": (1_714_600_000u64 + 48 * 3600) * 1000,
            }));
        })
        .await;
    signed_snapshot_header(&provider).await;
    assert_eq!(renewal.calls_async().await, 1);
    assert_eq!(
        provider.live_session_token_expiration().await,
        Some(UNIX_EPOCH + Duration::from_secs(1_714_600_000 + 48 * 3600))
    );
}

fn secrets() -> Vec<String> {
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let mut out = vec![
        s(&inputs["access_token"]).to_string(),
        s(&inputs["access_token_secret"]).to_string(),
        s(&vectors["prepend"]).to_string(),
    ];
    for case in vectors["cases"].as_array().unwrap() {
        for key in [
            "live_session_token",
            "live_session_token_signature",
            "lst_rsa_signature",
            "request_signature",
        ] {
            let v = s(&case[key]).to_string();
            out.push(primitives::percent_encode(&v));
            out.push(v);
        }
    }
    for pem in [
        "TEST_ONLY_signature_key.pem",
        "TEST_ONLY_encryption_key.pem",
    ] {
        out.extend(
            read(pem)
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .take(5)
                .map(str::to_string),
        );
    }
    out
}

fn assert_no_secret(text: &str, extra: &[String]) {
    for secret in secrets().iter().chain(extra) {
        assert!(
            !text.contains(secret.as_str()),
            "a secret leaked: …{}…",
            &secret[..secret.len().min(6)]
        );
    }
}

#[tokio::test]
async fn no_secret_in_trace_logs() {
    common_tracing::capture();
    let (provider, captured, entropy, _server) = full_flow(0).await;
    entropy.set_unix(1_714_600_042);
    signed_snapshot_header(&provider).await;
    // Later LST requests (the refresh below, the renewal after the 401) are
    // answered too; the first mock checks the first request's timestamp.
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let side = server_side(
        &inputs,
        s(&vectors["cases"][0]["challenge"]),
        s(&vectors["prepend"]),
    );
    let renewals = _server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/api/oauth/live_session_token");
            then.status(200).json_body(json!({
                "diffie_hellman_response": side.dh_response,
                "live_session_token_signature": side.lst_signature,
                "live_session_token_expiration": (1_714_600_000u64 + 48 * 3600) * 1000,
            }));
        })
        .await;
    provider.refresh().await.unwrap();
    // A request through the facade answered 401: the transport's pacing,
    // signing, 401 renewal and error paths log at TRACE/DEBUG too.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = {
        let seen = seen.clone();
        move |req: &HttpMockRequest| {
            for (k, v) in req.headers_vec() {
                if k.eq_ignore_ascii_case("authorization") {
                    seen.lock().unwrap().push(v.clone());
                }
            }
            true
        }
    };
    let accounts = _server
        .mock_async(|when, then| {
            when.path("/v1/api/iserver/accounts").is_true(record);
            then.status(401).body("token expired");
        })
        .await;
    let client =
        ibkr_client::Client::new(ibkr_client::Config::web(provider).base_url(_server.base_url()))
            .unwrap();
    let answer = client.accounts().brokerage_accounts().await;
    assert!(
        matches!(answer, Err(Error::NotAuthenticated(_))),
        "{answer:?}"
    );
    assert!(accounts.calls_async().await >= 1);
    assert!(renewals.calls_async().await >= 1);
    let logs = common_tracing::text();
    assert!(
        logs.contains("dropping the live session token"),
        "the 401 renewal was logged: {logs}"
    );
    assert!(
        logs.contains("live session token obtained"),
        "the subscriber captured the provider's events: {logs}"
    );
    let mut extra: Vec<String> = captured.lock().unwrap().clone();
    extra.extend(seen.lock().unwrap().iter().cloned());
    let headers: Vec<String> = extra.clone();
    for header in &headers {
        let (_, params) = parse_header(header);
        extra.extend(
            params
                .into_iter()
                .filter(|(k, _)| k == "oauth_signature")
                .map(|(_, v)| v),
        );
    }
    assert_no_secret(&logs, &extra);
}

#[tokio::test]
async fn debug_output_and_errors_hold_no_secret() {
    common_tracing::capture();
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let cfg = config(&inputs, "http://127.0.0.1:9/v1/api");
    let provider = OAuth1::new(cfg.clone()).unwrap();
    let debug = format!("{cfg:?} {provider:?} {provider:#?}");
    assert!(debug.contains("<redacted>"));
    assert_no_secret(&debug, &[s(&inputs["consumer_key"]).to_string()]);

    // Validation failure: the server's signature does not match.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/api/oauth/live_session_token");
            then.status(200).json_body(json!({
                "diffie_hellman_response": s(&vectors["cases"][0]["dh_response"]),
                "live_session_token_signature": "00".repeat(20),
                "live_session_token_expiration": 1_800_000_000_000u64,
            }));
        })
        .await;
    let entropy = TestEntropy::new(
        hex32(s(&inputs["cases"][0]["dh_random_a"])),
        1_714_600_000,
        &[],
    );
    let provider = OAuth1::new(config(&inputs, &server.url("/v1/api")))
        .unwrap()
        .with_entropy(entropy);
    let err = provider.refresh().await.unwrap_err();
    assert!(matches!(err, Error::NotAuthenticated(_)), "{err:?}");
    assert!(err.to_string().contains("validation"));
    assert_no_secret(&format!("{err} {err:?}"), &[]);
    let mut request = reqwest::Request::new(
        reqwest::Method::GET,
        "https://api.ibkr.com/v1/api/iserver/accounts"
            .parse()
            .unwrap(),
    );
    assert!(provider.authorize(&mut request).await.is_err());
    assert!(request.headers().get("authorization").is_none());

    // HTTP 401 and a malformed body.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(401).body("{\"error\":\"invalid consumer\"}");
        })
        .await;
    let provider = OAuth1::new(config(&inputs, &server.url("/v1/api"))).unwrap();
    let err = provider.refresh().await.unwrap_err();
    assert!(
        matches!(&err, Error::NotAuthenticated(m) if m.contains("invalid consumer")),
        "{err:?}"
    );
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(200).body("{\"diffie_hellman_response\": 5}");
        })
        .await;
    let provider = OAuth1::new(config(&inputs, &server.url("/v1/api"))).unwrap();
    let err = provider.refresh().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?}"), &[]);
}

#[test]
fn bad_configuration_is_rejected_without_echoing_it() {
    let inputs = read_json("inputs.json");
    let good = config(&inputs, "https://api.ibkr.com/v1/api");
    let bad_pem = "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n";
    let cases = [
        good.clone().signature_key_pem(bad_pem),
        good.clone().encryption_key_pem(bad_pem),
        good.clone().dh_prime_hex("not hex SECRETSECRET"),
        good.clone()
            .signature_key_file("/nonexistent/SECRETSECRET.pem"),
        // The LST request carries the access token: never over plain http
        // to another host than this one.
        good.clone().base_url("http://api.ibkr.com/v1/api"),
        good.clone().base_url("ftp://127.0.0.1/v1/api"),
        OAuth1Config::new("k", "t", "SECRETSECRET!!")
            .signature_key_pem(read("TEST_ONLY_signature_key.pem"))
            .encryption_key_pem(read("TEST_ONLY_encryption_key.pem"))
            .dh_prime_hex(s(&inputs["dh_prime"])),
        OAuth1Config::new("k", "t", "s"),
    ];
    for cfg in cases {
        let err = OAuth1::new(cfg).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
        let text = err.to_string();
        // A file path is echoed (it helps), key material never.
        assert!(
            !text.contains("SECRETSECRET\n") && !text.contains("SECRETSECRET!!"),
            "{text}"
        );
    }
    // The realm defaults by consumer key.
    let test = OAuth1::new(
        OAuth1Config::new("TESTCONS", "t", s(&inputs["access_token_secret"]))
            .signature_key_pem(read("TEST_ONLY_signature_key.pem"))
            .encryption_key_pem(read("TEST_ONLY_encryption_key.pem"))
            .dh_prime_hex(s(&inputs["dh_prime"])),
    )
    .unwrap();
    assert!(format!("{test:?}").contains("test_realm"));
}

#[test]
fn pkcs1_keys_give_the_pkcs8_keys_results() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let pkcs1 = |name: &str| {
        let key = PrivateKey::from_pkcs8_pem(&read(name)).unwrap();
        let pem = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        pem.to_string()
    };
    let encryption = pkcs1("TEST_ONLY_encryption_key.pem");
    let prepend = primitives::prepend(&encryption, s(&inputs["access_token_secret"])).unwrap();
    assert_eq!(prepend, s(&vectors["prepend"]));
    let signature = pkcs1("TEST_ONLY_signature_key.pem");
    let base = "POST&https%3A%2F%2Fapi.ibkr.com%2Fv1%2Fapi%2Foauth%2Flive_session_token&x%3D1";
    assert_eq!(
        primitives::rsa_sha256_signature(&signature, base).unwrap(),
        primitives::rsa_sha256_signature(&read("TEST_ONLY_signature_key.pem"), base).unwrap()
    );
}

#[test]
fn a_secret_the_encryption_key_does_not_decrypt_fails_at_construction() {
    let inputs = read_json("inputs.json");
    let good = config(&inputs, "https://api.ibkr.com/v1/api");
    // The signature key is another 2048-bit key: the secret decrypts to no
    // PKCS#1 v1.5 block under it.
    let wrong_key = good
        .clone()
        .encryption_key_pem(read("TEST_ONLY_signature_key.pem"));
    let err = OAuth1::new(wrong_key).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument(m) if m.contains("cannot be decrypted")),
        "{err:?}"
    );
    // A ciphertext of the wrong length (base64 of 16 bytes).
    let short = OAuth1Config::new("k", "t", B64.encode([7u8; 16]))
        .signature_key_pem(read("TEST_ONLY_signature_key.pem"))
        .encryption_key_pem(read("TEST_ONLY_encryption_key.pem"))
        .dh_prime_hex(s(&inputs["dh_prime"]));
    let err = OAuth1::new(short).unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument(m) if m.contains("cannot be decrypted")));
}

#[test]
fn a_key_outside_2048_to_4096_bits_is_refused_with_its_reason() {
    use rsa::pkcs8::EncodePrivateKey;
    let inputs = read_json("inputs.json");
    let mut rng = rand::rng();
    let small = PrivateKey::new(&mut rng, 1024).unwrap();
    let pem = small.to_pkcs8_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let err = OAuth1::new(
        config(&inputs, "https://api.ibkr.com/v1/api").signature_key_pem(pem.to_string()),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    assert!(
        text.contains("signature key") && text.contains("2048 to 4096 bits"),
        "{text}"
    );
}

/// A provider bound to `client_base` through a `Client`; returns both.
fn bound(provider: OAuth1, client_base: String) -> (Arc<OAuth1>, ibkr_client::Client) {
    let provider = Arc::new(provider);
    let client = ibkr_client::Client::new(
        ibkr_client::Config::web_with(provider.clone()).base_url(client_base),
    )
    .unwrap();
    (provider, client)
}

#[tokio::test]
async fn the_lst_request_goes_to_the_clients_host() {
    common_tracing::capture();
    let inputs = read_json("inputs.json");
    let vectors = read_json("vectors.json");
    let server = MockServer::start_async().await;
    let (mock, captured, entropy) = mock_lst(&server, 0).await;
    // No base URL on the provider: the client's host (here the mock; the
    // sandbox or api.ibkr.com otherwise) is where the LST comes from.
    let provider = OAuth1::new(unbased_config(&inputs))
        .unwrap()
        .with_entropy(entropy.clone());
    assert!(format!("{provider:?}").contains("https://api.ibkr.com/v1/api/oauth/"));
    let (provider, _client) = bound(provider, server.base_url());
    assert!(format!("{provider:?}").contains(&server.url("/v1/api/oauth/live_session_token")));
    provider
        .refresh()
        .await
        .expect("LST flow through the client");
    assert_eq!(
        mock.calls_async().await,
        1,
        "the LST request went to the mock"
    );
    assert_eq!(captured.lock().unwrap().len(), 1);
    // The LST is the vectors' one: requests are signed as they say.
    entropy.set_unix(1_714_600_042);
    assert_eq!(
        signed_snapshot_header(&provider).await,
        s(&vectors["cases"][0]["request_authorization_header"])
    );
    let extra = captured.lock().unwrap().clone();
    assert_no_secret(&common_tracing::text(), &extra);
}

#[tokio::test]
async fn an_explicit_base_url_wins_over_the_clients_host() {
    common_tracing::capture();
    let inputs = read_json("inputs.json");
    let server = MockServer::start_async().await;
    let (mock, _, entropy) = mock_lst(&server, 1).await;
    let client_host = MockServer::start_async().await;
    let elsewhere = client_host
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let provider = OAuth1::new(config(&inputs, &server.url("/v1/api")))
        .unwrap()
        .with_entropy(entropy);
    let (provider, _client) = bound(provider, client_host.base_url());
    provider
        .refresh()
        .await
        .expect("LST from the explicit base");
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(elsewhere.calls_async().await, 0);
    // Documented, and not silent.
    let logs = common_tracing::text();
    assert!(
        logs.contains("explicitly configured base differs from the client's host"),
        "{logs}"
    );
}

#[tokio::test]
async fn a_redirect_of_the_lst_request_to_another_host_is_refused() {
    common_tracing::capture();
    let inputs = read_json("inputs.json");
    let other = MockServer::start_async().await;
    let stolen = other
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let server = MockServer::start_async().await;
    let target = other.url("/v1/api/oauth/live_session_token");
    let redirect = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/api/oauth/live_session_token");
            // 307 keeps the method, the body and (same host) the headers.
            then.status(307).header("location", target.as_str());
        })
        .await;

    // Bound to a client: its redirect policy refuses another origin.
    let (provider, _client) = bound(
        OAuth1::new(unbased_config(&inputs)).unwrap(),
        server.base_url(),
    );
    match provider.refresh().await {
        Err(Error::Transport(message)) => assert!(message.contains("redirect"), "{message}"),
        other => panic!("expected the redirect to be refused, got {other:?}"),
    }
    assert_eq!(redirect.calls_async().await, 1);
    // A provider used on its own follows no redirect at all.
    let alone = OAuth1::new(config(&inputs, &server.url("/v1/api"))).unwrap();
    match alone.refresh().await {
        Err(Error::Http { status: 307, .. }) => {}
        other => panic!("expected the 307 to be left unfollowed, got {other:?}"),
    }
    assert_eq!(redirect.calls_async().await, 2);
    assert_eq!(
        stolen.calls_async().await,
        0,
        "nothing reached the other host"
    );
    assert_no_secret(&common_tracing::text(), &[]);
}
