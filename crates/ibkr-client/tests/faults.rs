//! Fault injection on the facade's request path: bursts of 503, dropped
//! connections, 429 with `Retry-After`, 401 then recovery, the "no bridge"
//! 400, timeouts, and pacing, on both variants.
//!
//! Two servers: httpmock for faults that repeat, and a scripted loopback
//! server (below) that answers each connection with the next step of a
//! script, for sequences ("503, 503, then 200"; "drop the connection, then
//! 200"). Every test asserts what reached the server: nothing lost, nothing
//! sent twice that must not be.

mod common;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{VARIANTS, path};
use httpmock::MockServer;
use ibkr_client::areas::orders::{OrderRequest, Quantity, Side};
use ibkr_client::auth::BoxFuture;
use ibkr_client::pacing::{Limit, PacingTable, Rate};
use ibkr_client::retry::RetryPolicy;
use ibkr_client::{AuthProvider, BearerToken, Client, Config, Error, Variant};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

const ACCOUNTS: &str = r#"{"accounts":["U1234567"],"selectedAccount":"U1234567"}"#;

/// Fast retries, so that the tests take milliseconds.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
    }
}

/// One step of a script.
#[derive(Clone)]
enum Step {
    /// Answer with this status, extra headers and body.
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Read the request, then close the connection without answering.
    Drop,
    /// Read the request, then say nothing for this long.
    Hang(Duration),
}

fn answer(status: u16, body: &str) -> Step {
    Step::Answer(status, Vec::new(), body.to_string())
}

/// A request the scripted server received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    authorization: Option<String>,
    body: String,
    at: Instant,
}

/// A loopback HTTP/1.1 server answering connection `n` with step `n` of
/// its script (`Connection: close`, so every request opens a connection).
struct Scripted {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Scripted {
    async fn start(steps: Vec<Step>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(steps)));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let Some(request) = read_request(&mut socket).await else {
                    continue;
                };
                log.lock().unwrap().push(request);
                let step = script.lock().unwrap().pop_front();
                match step {
                    Some(Step::Answer(status, headers, body)) => {
                        let mut head = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                            body.len()
                        );
                        for (name, value) in headers {
                            head.push_str(&format!("{name}: {value}\r\n"));
                        }
                        head.push_str("\r\n");
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(body.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                    Some(Step::Drop) => drop(socket),
                    Some(Step::Hang(d)) => {
                        tokio::spawn(async move {
                            tokio::time::sleep(d).await;
                            drop(socket);
                        });
                    }
                    None => {
                        let body = r#"{"error":"script exhausted"}"#;
                        let head = format!(
                            "HTTP/1.1 500 X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(body.as_bytes()).await;
                    }
                }
            }
        });
        Scripted { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A client of `variant` for this server.
    fn client(&self, variant: Variant, config: impl FnOnce(Config) -> Config) -> Client {
        let cfg = match variant {
            Variant::Web => Config::web(BearerToken::new("t")).base_url(&self.base),
            Variant::Gateway => Config::gateway().base_url(format!("{}/v1/api", self.base)),
        };
        Client::new(config(cfg.retry(quick_retries()))).unwrap()
    }
}

/// Reads one request (head and a `content-length` body).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut first = head.lines().next()?.split(' ');
    Some(Seen {
        method: first.next()?.to_string(),
        path: first.next()?.to_string(),
        authorization: header("authorization"),
        body: String::from_utf8_lossy(&buf[head_end..]).into_owned(),
        at: Instant::now(),
    })
}

fn order() -> OrderRequest {
    OrderRequest::limit(265598, Side::Buy, Quantity::from(1), 100.into()).client_order_id("once")
}

/// Runs `brokerage_accounts` on `variant` against `steps`; asserts that it
/// succeeds with the canned accounts and returns what reached the server.
async fn recovers(variant: Variant, steps: Vec<Step>) -> Vec<Seen> {
    let server = Scripted::start(steps).await;
    let accounts = server
        .client(variant, |c| c)
        .accounts()
        .brokerage_accounts()
        .await
        .unwrap();
    assert_eq!(accounts.accounts, ["U1234567"], "{variant}");
    server.seen()
}

#[tokio::test]
async fn a_burst_of_503_on_a_read_is_retried_and_nothing_is_lost() {
    for variant in VARIANTS {
        let busy = || answer(503, r#"{"error":"busy"}"#);
        let seen = recovers(variant, vec![busy(), busy(), answer(200, ACCOUNTS)]).await;
        assert_eq!(seen.len(), 3, "{variant}");
        assert!(seen.iter().all(|s| s.path == "/v1/api/iserver/accounts"));
    }
}

#[tokio::test]
async fn a_retried_read_sends_its_body_again() {
    for variant in VARIANTS {
        let server = Scripted::start(vec![
            answer(503, r#"{"error":"busy"}"#),
            Step::Drop,
            answer(200, r#"[{"conid":265598,"symbol":"AAPL"}]"#),
        ])
        .await;
        let found = server
            .client(variant, |c| c)
            .contracts()
            .search("AAPL", Some("STK"), false)
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{variant}");
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{variant}");
        let first: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
        assert_eq!(first["symbol"], "AAPL", "{variant}: {}", seen[0].body);
        for again in &seen[1..] {
            assert_eq!(
                (
                    again.method.as_str(),
                    again.path.as_str(),
                    again.body.as_str()
                ),
                (
                    seen[0].method.as_str(),
                    seen[0].path.as_str(),
                    seen[0].body.as_str()
                ),
                "{variant}"
            );
        }
    }
}

#[tokio::test]
async fn a_dropped_connection_on_a_read_is_retried() {
    for variant in VARIANTS {
        let seen = recovers(variant, vec![Step::Drop, answer(200, ACCOUNTS)]).await;
        assert_eq!(seen.len(), 2, "{variant}");
    }
}

#[tokio::test]
async fn retries_stop_after_the_last_attempt_and_keep_the_body() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(503).body("gateway overloaded");
            })
            .await;
        let client = Client::new(common::config(&server, variant).retry(quick_retries())).unwrap();
        match client.accounts().brokerage_accounts().await {
            Err(Error::Http {
                status: 503, body, ..
            }) => {
                assert_eq!(body, "gateway overloaded")
            }
            other => panic!("{variant}: expected HTTP 503, got {other:?}"),
        }
        assert_eq!(m.calls_async().await, 3, "{variant}");

        // With retries off, one attempt.
        let once =
            Client::new(common::config(&server, variant).retry(RetryPolicy::none())).unwrap();
        assert!(once.accounts().brokerage_accounts().await.is_err());
        assert_eq!(m.calls_async().await, 4, "{variant}");
    }
}

/// Every order request, under every fault, reaches the server exactly once;
/// an unknown outcome is `Ambiguous`, a definite refusal keeps its status.
#[tokio::test]
async fn order_requests_are_never_sent_twice() {
    type Send = fn(&Client) -> BoxFuture<'_, Result<(), Error>>;
    let sends: [(&str, &str, &str, Send); 4] = [
        ("place", "POST", "/v1/api/iserver/account/U1/orders", |c| {
            Box::pin(async move { c.orders().place("U1", &[order()]).await.map(drop) })
        }),
        (
            "modify",
            "POST",
            "/v1/api/iserver/account/U1/order/77",
            |c| Box::pin(async move { c.orders().modify("U1", "77", &order()).await.map(drop) }),
        ),
        (
            "cancel",
            "DELETE",
            "/v1/api/iserver/account/U1/order/77",
            |c| Box::pin(async move { c.orders().cancel("U1", "77").await.map(drop) }),
        ),
        ("reply", "POST", "/v1/api/iserver/reply/r-1", |c| {
            Box::pin(async move { c.orders().reply("r-1", true).await.map(drop) })
        }),
    ];
    let faults = [
        ("503", answer(503, r#"{"error":"busy"}"#), true),
        ("502", answer(502, "bad gateway"), true),
        ("504", answer(504, "gateway timeout"), true),
        ("dropped connection", Step::Drop, true),
        ("timeout", Step::Hang(Duration::from_secs(5)), true),
        (
            "429",
            Step::Answer(429, vec![("retry-after", "1".into())], "{}".into()),
            false,
        ),
        ("401", answer(401, "expired"), false),
    ];
    for variant in VARIANTS {
        for (name, method, expected_path, send) in sends {
            for (fault, step, ambiguous) in faults.clone() {
                let server = Scripted::start(vec![step, answer(200, "[]")]).await;
                let client = server.client(variant, |c| c.timeout(Duration::from_millis(300)));
                let result = send(&client).await;
                let what = format!("{variant} {name} after {fault}");
                match (&result, ambiguous) {
                    (Err(Error::Ambiguous { .. }), true) => {}
                    (Err(Error::Http { status: 429, .. }), false) if fault == "429" => {}
                    (Err(Error::NotAuthenticated(_)), false) if fault == "401" => {}
                    _ => panic!("{what}: unexpected {result:?}"),
                }
                let seen = server.seen();
                assert_eq!(seen.len(), 1, "{what}: sent {} times", seen.len());
                assert_eq!(seen[0].method, method, "{what}");
                assert_eq!(seen[0].path, expected_path, "{what}");
            }
        }
    }
}

#[tokio::test]
async fn a_429_honours_retry_after_then_succeeds() {
    for variant in VARIANTS {
        let too_many = Step::Answer(429, vec![("retry-after", "1".into())], "{}".into());
        let seen = recovers(variant, vec![too_many, answer(200, ACCOUNTS)]).await;
        assert_eq!(seen.len(), 2, "{variant}");
        let gap = seen[1].at - seen[0].at;
        assert!(
            gap >= Duration::from_millis(990),
            "{variant}: resent after {gap:?}, before Retry-After"
        );
    }
}

#[tokio::test]
async fn a_429_pauses_only_its_endpoint() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let limited = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(429)
                    .header("Retry-After", "120")
                    .body("Too Many Requests");
            })
            .await;
        let status = server
            .mock_async(|when, then| {
                when.path(path(variant, "/iserver/auth/status"));
                then.status(200).json_body(
                    json!({"authenticated": true, "connected": true, "competing": false}),
                );
            })
            .await;
        let client = common::client(&server, variant);
        // The pause (120 s) is longer than the longest pacing wait (30 s):
        // the retry is refused re-admission, and the read fails as rate
        // limited without being sent again.
        match client.accounts().brokerage_accounts().await {
            Err(Error::RateLimited { endpoint, wait }) => {
                assert_eq!(endpoint, "/iserver/accounts", "{variant}");
                assert!(wait > Duration::from_secs(100), "{variant}: {wait:?}");
            }
            other => panic!("{variant}: expected RateLimited, got {other:?}"),
        }
        assert_eq!(limited.calls_async().await, 1, "{variant}");
        let until = client
            .pacer()
            .paused_until("/iserver/accounts")
            .expect("endpoint paused");
        assert!(
            until > Instant::now() + Duration::from_secs(100),
            "{variant}"
        );
        // The same endpoint now fails fast without reaching the server ...
        match client.accounts().brokerage_accounts().await {
            Err(Error::RateLimited { endpoint, wait }) => {
                assert_eq!(endpoint, "/iserver/accounts");
                assert!(wait > Duration::from_secs(100), "{variant}: {wait:?}");
            }
            other => panic!("{variant}: expected RateLimited, got {other:?}"),
        }
        assert_eq!(limited.calls_async().await, 1, "{variant}");
        // ... and other endpoints are not affected.
        assert!(client.session().auth_status().await.unwrap().authenticated);
        assert_eq!(status.calls_async().await, 1, "{variant}");
    }
}

#[tokio::test]
async fn no_bridge_is_recognised_and_not_retried() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/accounts"));
                then.status(400)
                    .json_body(json!({"error": "no bridge", "statusCode": 400}));
            })
            .await;
        match common::client(&server, variant)
            .accounts()
            .brokerage_accounts()
            .await
        {
            Err(Error::NoBrokerageSession(body)) => assert!(body.contains("no bridge")),
            other => panic!("{variant}: expected NoBrokerageSession, got {other:?}"),
        }
        assert_eq!(m.calls_async().await, 1, "{variant}");
    }
}

/// A provider whose credentials change each time they are invalidated.
#[derive(Debug, Default)]
struct Rotating {
    generation: AtomicU32,
    invalidations: AtomicU32,
}

impl AuthProvider for Rotating {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let token = format!("Bearer token-{}", self.generation.load(Ordering::SeqCst));
            request
                .headers_mut()
                .insert("authorization", token.parse().unwrap());
            Ok(())
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            self.invalidations.fetch_add(1, Ordering::SeqCst);
            self.generation.fetch_add(1, Ordering::SeqCst);
            true
        })
    }
}

#[tokio::test]
async fn a_401_renews_credentials_and_resends_a_read_once() {
    // 401, then the renewed credentials work.
    let server = Scripted::start(vec![answer(401, "token expired"), answer(200, ACCOUNTS)]).await;
    let provider = Arc::new(Rotating::default());
    let client = Client::new(
        Config::web_with(provider.clone())
            .base_url(&server.base)
            .retry(quick_retries()),
    )
    .unwrap();
    let accounts = client.accounts().brokerage_accounts().await.unwrap();
    assert_eq!(accounts.accounts, ["U1234567"]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer token-0"));
    assert_eq!(seen[1].authorization.as_deref(), Some("Bearer token-1"));
    assert_eq!(provider.invalidations.load(Ordering::SeqCst), 1);

    // 401 twice: one renewal only, then NotAuthenticated.
    let server = Scripted::start(vec![answer(401, "no"), answer(401, "still no")]).await;
    let provider = Arc::new(Rotating::default());
    let client = Client::new(Config::web_with(provider.clone()).base_url(&server.base)).unwrap();
    match client.accounts().brokerage_accounts().await {
        Err(Error::NotAuthenticated(body)) => assert_eq!(body, "still no"),
        other => panic!("expected NotAuthenticated, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 2);
    assert_eq!(provider.invalidations.load(Ordering::SeqCst), 1);

    // A plain bearer token cannot be renewed: one request.
    let server = Scripted::start(vec![answer(401, "no"), answer(200, ACCOUNTS)]).await;
    let client = server.client(Variant::Web, |c| c);
    assert!(matches!(
        client.accounts().brokerage_accounts().await,
        Err(Error::NotAuthenticated(_))
    ));
    assert_eq!(server.seen().len(), 1);

    // After the user logs in again, the gateway client recovers without a
    // new client: the cookie session is the gateway's.
    let server = Scripted::start(vec![answer(401, ""), answer(200, ACCOUNTS)]).await;
    let client = server.client(Variant::Gateway, |c| c);
    assert!(matches!(
        client.accounts().brokerage_accounts().await,
        Err(Error::NotAuthenticated(_))
    ));
    assert_eq!(server.seen().len(), 1);
    let accounts = client.accounts().brokerage_accounts().await.unwrap();
    assert_eq!(accounts.accounts, ["U1234567"]);
}

#[tokio::test]
async fn requests_wait_for_their_pacing_slot_before_the_timeout_starts() {
    for variant in VARIANTS {
        let server = Scripted::start(vec![
            answer(200, ACCOUNTS),
            answer(200, ACCOUNTS),
            answer(200, ACCOUNTS),
        ])
        .await;
        let table = PacingTable::unlimited().with_rule(
            "/iserver/accounts",
            Limit::Rate(Rate::one_per(Duration::from_millis(800))),
        );
        // Each call waits up to 800 ms for its slot, twice the 400 ms
        // request timeout: the wait must not count against it. (The gaps are
        // seen by the server, so they allow 100 ms of delivery jitter.)
        let client = server.client(variant, |c| {
            c.pacing(table).timeout(Duration::from_millis(400))
        });
        for _ in 0..3 {
            client.accounts().brokerage_accounts().await.unwrap();
        }
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{variant}");
        for pair in seen.windows(2) {
            let gap = pair[1].at - pair[0].at;
            assert!(gap >= Duration::from_millis(700), "{variant}: {gap:?}");
        }
    }
}

#[tokio::test]
async fn past_the_longest_wait_calls_fail_without_being_sent() {
    for variant in VARIANTS {
        let server = Scripted::start(vec![answer(200, ACCOUNTS), answer(200, ACCOUNTS)]).await;
        let table = PacingTable::unlimited().with_rule(
            "/iserver/accounts",
            Limit::Rate(Rate::one_per(Duration::from_secs(60))),
        );
        let client = server.client(variant, |c| {
            c.pacing(table).max_pacing_wait(Duration::from_secs(1))
        });
        client.accounts().brokerage_accounts().await.unwrap();
        match client.accounts().brokerage_accounts().await {
            Err(Error::RateLimited { endpoint, wait }) => {
                assert_eq!(endpoint, "/iserver/accounts", "{variant}");
                assert!(wait > Duration::from_secs(50), "{variant}: {wait:?}");
            }
            other => panic!("{variant}: expected RateLimited, got {other:?}"),
        }
        assert_eq!(server.seen().len(), 1, "{variant}");
    }
}

#[tokio::test]
async fn documented_limits_apply_by_default() {
    for variant in VARIANTS {
        let client = Client::new(match variant {
            Variant::Web => Config::web(BearerToken::new("t")),
            Variant::Gateway => Config::gateway(),
        })
        .unwrap();
        let expected = PacingTable::for_variant(variant);
        assert_eq!(client.pacer().table(), &expected, "{variant}");
        let global = client.pacer().table().global().unwrap();
        let per_second = match variant {
            Variant::Web => 50,
            Variant::Gateway => 10,
        };
        assert_eq!(global, Rate::per_second(per_second), "{variant}");
    }
}
