//! Pacing benchmark: how close does the [`Pacer`] get to IBKR's documented
//! limits without ever exceeding them?
//!
//! A loopback mock (std `TcpListener`, HTTP/1.1 keep-alive) enforces the
//! Gateway's documented limits with sliding windows and answers 429 (with
//! `Retry-After: 1`) to any request that would exceed one. Two workloads go
//! through the facade, `ibkr_client::Client` with its default configuration
//! for the Gateway (the documented limits, `PacingTable::gateway()`), calling
//! its public methods as an application would:
//!
//! 1. 1,000 `/iserver/marketdata/snapshot` calls from 20 concurrent tasks,
//!    as fast as possible (limit 10/s: about 100 s);
//! 2. a mixed workload over 10 endpoints for 40 s, two tasks per endpoint.
//!    The 1-per-15-minutes endpoints (`/iserver/scanner/params`, `/pa/*`) and
//!    `/sso/validate` (1/min) are left out: they would allow one call each
//!    in the run.
//!
//! Run with `cargo bench -p ibkr-client --bench pacing`. `IBKR_BENCH_SNAPSHOTS`
//! and `IBKR_BENCH_MIXED_SECS` scale the two workloads (defaults 1000 and 40).
//! Besides the readable text, every figure is printed as one line
//! `RESULT pacing.<workload>.<summary|endpoint> key=value ...` (read by
//! `cargo xtask bench`; rates in requests per second, `ratio` =
//! achieved / allowed, `mock_429` the 429 answers the mock sent during the
//! workload, `client_429` the 429 errors the callers got after the facade's
//! retries). Only loopback traffic; every loop is bounded.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ibkr_client::areas::scanner::ScannerRequest;
use ibkr_client::{Client, Config, Error};

/// The documented limit of `path`, written independently of `PacingTable`:
/// (the window's key, the count allowed, the window's length).
fn mock_limit(path: &str) -> Option<(String, usize, Duration)> {
    let s = Duration::from_secs;
    let exact = [
        ("/iserver/marketdata/snapshot", 10, s(1)),
        ("/iserver/scanner/run", 1, s(1)),
        ("/iserver/scanner/params", 1, s(900)),
        ("/iserver/account/orders", 1, s(5)),
        ("/iserver/account/trades", 1, s(5)),
        ("/iserver/account/pnl/partitioned", 1, s(5)),
        ("/portfolio/accounts", 1, s(5)),
        ("/portfolio/subaccounts", 1, s(5)),
        ("/tickle", 1, s(1)),
        ("/sso/validate", 1, s(60)),
    ];
    if let Some((p, n, w)) = exact.iter().find(|(p, _, _)| *p == path) {
        return Some((p.to_string(), *n, *w));
    }
    if path.starts_with("/fyi/") {
        return Some((path.to_string(), 1, s(1)));
    }
    if path.starts_with("/pa/") {
        return Some((path.to_string(), 1, s(900)));
    }
    None
}

const GLOBAL_LIMIT: usize = 10;

/// The snapshot endpoint's documented limit, per second.
const SNAPSHOT_LIMIT: f64 = 10.0;

/// Concurrent callers of workload 1; callers per endpoint of workload 2.
const SNAPSHOT_TASKS: usize = 20;
const TASKS_PER_ENDPOINT: usize = 2;

/// Sliding windows of accepted requests.
#[derive(Default)]
struct Windows {
    global: VecDeque<Instant>,
    endpoints: HashMap<String, VecDeque<Instant>>,
}

fn fits(window: &mut VecDeque<Instant>, now: Instant, limit: usize, span: Duration) -> bool {
    while window
        .front()
        .is_some_and(|t| now.duration_since(*t) >= span)
    {
        window.pop_front();
    }
    window.len() < limit
}

impl Windows {
    /// Whether a request to `path` arriving now is within the limits; if so,
    /// it is counted.
    fn admit(&mut self, path: &str) -> bool {
        let now = Instant::now();
        if !fits(&mut self.global, now, GLOBAL_LIMIT, Duration::from_secs(1)) {
            return false;
        }
        if let Some((key, limit, span)) = mock_limit(path) {
            let window = self.endpoints.entry(key).or_default();
            if !fits(window, now, limit, span) {
                return false;
            }
            window.push_back(now);
        }
        self.global.push_back(now);
        true
    }
}

struct Mock {
    base: String,
    windows: Arc<Mutex<Windows>>,
    rejected: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

fn serve(stream: TcpStream, windows: Arc<Mutex<Windows>>, rejected: Arc<AtomicU64>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let path = target.split('?').next().unwrap_or("/");
        let path = path.strip_prefix("/v1/api").unwrap_or(path);
        let admitted = windows.lock().unwrap().admit(path);
        let response = if admitted {
            let body = canned(path);
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        } else {
            rejected.fetch_add(1, Ordering::Relaxed);
            "HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 0\r\n\r\n".into()
        };
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// A small well-formed answer for each endpoint of the workloads.
fn canned(path: &str) -> &'static str {
    match path {
        "/iserver/marketdata/snapshot" => {
            r#"[{"conid":265598,"31":"189.49","84":"189.48","86":"189.50"}]"#
        }
        "/iserver/scanner/run" => r#"{"contracts":[{"conid":265598,"symbol":"AAPL"}]}"#,
        "/iserver/account/orders" => r#"{"orders":[],"snapshot":true}"#,
        "/iserver/account/pnl/partitioned" => r#"{"upnl":{"U1.Core":{"dpl":1.5,"nl":100.0}}}"#,
        "/iserver/account/trades" | "/portfolio/accounts" | "/portfolio/subaccounts" => "[]",
        "/fyi/unreadnumber" => r#"{"BN":3}"#,
        "/tickle" => {
            r#"{"session":"s","iserver":{"authStatus":{"authenticated":true,"connected":true,"competing":false}}}"#
        }
        "/iserver/accounts" => r#"{"accounts":["U1"],"selectedAccount":"U1"}"#,
        _ => "{}",
    }
}

fn start_mock() -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}/v1/api", listener.local_addr().unwrap());
    let windows = Arc::new(Mutex::new(Windows::default()));
    let rejected = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (windows, rejected, stop) = (windows.clone(), rejected.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (windows, rejected) = (windows.clone(), rejected.clone());
                std::thread::spawn(move || serve(stream, windows, rejected));
            }
        });
    }
    Mock {
        base,
        windows,
        rejected,
        stop,
    }
}

/// What one endpoint's callers saw.
#[derive(Default, Clone)]
struct Tally {
    ok: u64,
    too_many: u64,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Tally {
    /// Steady-state rate: requests between the first and the last one.
    fn rate(&self) -> f64 {
        match (self.first, self.last) {
            (Some(first), Some(last)) if self.ok > 1 && last > first => {
                (self.ok - 1) as f64 / (last - first).as_secs_f64()
            }
            _ => 0.0,
        }
    }
}

/// The endpoints of the mixed workload: what is called, and its documented
/// limit per second (`INFINITY`: only the global limit).
const MIXED: [(&str, f64); 10] = [
    ("/iserver/marketdata/snapshot", 10.0),
    ("/iserver/scanner/run", 1.0),
    ("/iserver/account/orders", 0.2),
    ("/iserver/account/trades", 0.2),
    ("/iserver/account/pnl/partitioned", 0.2),
    ("/portfolio/accounts", 0.2),
    ("/portfolio/subaccounts", 0.2),
    ("/fyi/unreadnumber", 1.0),
    ("/tickle", 1.0),
    ("/iserver/accounts", f64::INFINITY),
];

/// Calls the facade method that requests `endpoint`.
async fn facade_call(client: &Client, endpoint: &str) -> Result<(), Error> {
    match endpoint {
        "/iserver/marketdata/snapshot" => client
            .market_data()
            .snapshot(&[265598], &["31", "84", "86"])
            .await
            .map(drop),
        "/iserver/scanner/run" => client
            .scanner()
            .run(&ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN"))
            .await
            .map(drop),
        "/iserver/account/orders" => client.orders().live_orders(&[]).await.map(drop),
        "/iserver/account/trades" => client.orders().trades().await.map(drop),
        "/iserver/account/pnl/partitioned" => client.pnl().partitioned().await.map(drop),
        "/portfolio/accounts" => client.accounts().portfolio_accounts().await.map(drop),
        "/portfolio/subaccounts" => client.accounts().subaccounts().await.map(drop),
        "/fyi/unreadnumber" => client.fyi().unread_count().await.map(drop),
        "/tickle" => client.session().tickle().await.map(drop),
        "/iserver/accounts" => client.accounts().brokerage_accounts().await.map(drop),
        other => panic!("no facade call for {other}"),
    }
}

/// One call through the facade (which paces it, and retries a read after a
/// 429 itself). Returns false when the deadline passed first.
async fn paced_call(
    client: &Client,
    endpoint: &str,
    tally: &Mutex<Tally>,
    deadline: tokio::time::Instant,
) -> bool {
    let result = match tokio::time::timeout_at(deadline, facade_call(client, endpoint)).await {
        Err(_) => return false,
        Ok(result) => result,
    };
    let done = Instant::now();
    let mut t = tally.lock().unwrap();
    match result {
        Ok(()) => {
            t.ok += 1;
            t.first.get_or_insert(done);
            t.last = Some(done);
        }
        Err(Error::Http { status: 429, .. }) => t.too_many += 1,
        Err(e) => panic!("{endpoint}: {e}"),
    }
    true
}

/// A Gateway client with the default (documented) pacing, waiting up to a
/// minute for a slot.
fn client(base: &str) -> Client {
    Client::new(
        Config::gateway()
            .base_url(base)
            .max_pacing_wait(Duration::from_secs(60)),
    )
    .expect("client")
}

/// One machine-readable line: `RESULT <name> key=value ...` (no value
/// contains whitespace).
fn result_line(name: &str, fields: &[(&str, String)]) -> String {
    let pairs: String = fields.iter().map(|(k, v)| format!(" {k}={v}")).collect();
    format!("RESULT {name}{pairs}")
}

/// A rate or a share, with enough digits for the table.
fn fixed(x: f64) -> String {
    format!("{x:.4}")
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn snapshot_workload(mock: &Mock, calls: u64) {
    let client = client(&mock.base);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let remaining = Arc::new(AtomicU64::new(calls));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(calls / 5 + 30);
    let start = Instant::now();
    let rejected_before = mock.rejected.load(Ordering::Relaxed);
    let mut tasks = Vec::new();
    for _ in 0..SNAPSHOT_TASKS {
        let (client, tally, remaining) = (client.clone(), tally.clone(), remaining.clone());
        tasks.push(tokio::spawn(async move {
            while remaining
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                if !paced_call(&client, "/iserver/marketdata/snapshot", &tally, deadline).await {
                    break;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();
    let t = tally.lock().unwrap().clone();
    let rejected = mock.rejected.load(Ordering::Relaxed) - rejected_before;
    let ratio = t.rate() / SNAPSHOT_LIMIT;
    let overall = t.ok as f64 / elapsed.as_secs_f64();
    println!("## workload 1: {calls} snapshot calls, {SNAPSHOT_TASKS} concurrent tasks");
    println!(
        "completed {} calls in {:.1} s; achieved {:.2}/s (steady state) vs allowed {SNAPSHOT_LIMIT}/s = {:.1}%; \
         overall {overall:.2}/s; 429 answers: {rejected} (client saw {})",
        t.ok,
        elapsed.as_secs_f64(),
        t.rate(),
        ratio * 100.0,
        t.too_many
    );
    println!(
        "{}",
        result_line(
            "pacing.snapshots.summary",
            &[
                ("requested", calls.to_string()),
                ("tasks", SNAPSHOT_TASKS.to_string()),
                ("calls", t.ok.to_string()),
                ("elapsed_s", format!("{:.3}", elapsed.as_secs_f64())),
                ("achieved", fixed(t.rate())),
                ("allowed", SNAPSHOT_LIMIT.to_string()),
                ("ratio", fixed(ratio)),
                ("overall", fixed(overall)),
                ("mock_429", rejected.to_string()),
                ("client_429", t.too_many.to_string()),
            ],
        )
    );
}

async fn mixed_workload(mock: &Mock, secs: u64) {
    let endpoints: &'static [(&str, f64)] = &MIXED;
    let client = client(&mock.base);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let rejected_before = mock.rejected.load(Ordering::Relaxed);
    let tallies: Vec<Arc<Mutex<Tally>>> = endpoints
        .iter()
        .map(|_| Arc::new(Mutex::new(Tally::default())))
        .collect();
    let mut tasks = Vec::new();
    for (i, (endpoint, _)) in endpoints.iter().enumerate() {
        for _ in 0..TASKS_PER_ENDPOINT {
            let (client, tally) = (client.clone(), tallies[i].clone());
            tasks.push(tokio::spawn(async move {
                while paced_call(&client, endpoint, &tally, deadline).await {}
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let rejected = mock.rejected.load(Ordering::Relaxed) - rejected_before;
    let global_limit = GLOBAL_LIMIT as f64;
    println!(
        "## workload 2: mixed, {} endpoints x {TASKS_PER_ENDPOINT} tasks, {secs} s",
        endpoints.len()
    );
    println!(
        "{:<36} {:>6} {:>10} {:>10} {:>7} {:>5}",
        "endpoint", "calls", "achieved/s", "allowed/s", "ratio", "429"
    );
    let mut results = Vec::new();
    let mut total = 0;
    let mut client_429 = 0;
    let mut first = None::<Instant>;
    let mut last = None::<Instant>;
    for ((path, allowed), tally) in endpoints.iter().zip(&tallies) {
        let t = tally.lock().unwrap().clone();
        total += t.ok;
        client_429 += t.too_many;
        first = match (first, t.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        last = match (last, t.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let name = path.split('?').next().unwrap_or(path);
        let mut fields = vec![
            ("path", name.to_string()),
            ("calls", t.ok.to_string()),
            ("achieved", fixed(t.rate())),
        ];
        let (allowed_text, ratio) = if allowed.is_finite() {
            let ratio = t.rate() / allowed;
            fields.push(("allowed", allowed.to_string()));
            fields.push(("ratio", fixed(ratio)));
            (format!("{allowed:.1}"), format!("{:.0}%", ratio * 100.0))
        } else {
            // Only the global limit applies: no rate of its own to compare.
            fields.push(("limit", "global".to_string()));
            ("global".to_string(), "-".to_string())
        };
        fields.push(("client_429", t.too_many.to_string()));
        results.push(result_line("pacing.mixed.endpoint", &fields));
        println!(
            "{:<36} {:>6} {:>10.2} {:>10} {:>7} {:>5}",
            name,
            t.ok,
            t.rate(),
            allowed_text,
            ratio,
            t.too_many
        );
    }
    let span = match (first, last) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => elapsed,
    };
    let global_rate = (total.saturating_sub(1)) as f64 / span;
    let ratio = global_rate / global_limit;
    println!(
        "all endpoints: {total} calls, {global_rate:.2}/s vs global limit {GLOBAL_LIMIT}/s = {:.1}%; 429 answers: {rejected}",
        ratio * 100.0
    );
    results.push(result_line(
        "pacing.mixed.summary",
        &[
            ("endpoints", endpoints.len().to_string()),
            ("tasks_per_endpoint", TASKS_PER_ENDPOINT.to_string()),
            ("secs", secs.to_string()),
            ("calls", total.to_string()),
            ("elapsed_s", format!("{elapsed:.3}")),
            ("achieved", fixed(global_rate)),
            ("allowed", global_limit.to_string()),
            ("ratio", fixed(ratio)),
            ("mock_429", rejected.to_string()),
            ("client_429", client_429.to_string()),
        ],
    ));
    for line in results {
        println!("{line}");
    }
}

fn main() {
    let snapshots = env_or("IBKR_BENCH_SNAPSHOTS", 1000);
    let mixed_secs = env_or("IBKR_BENCH_MIXED_SECS", 40);
    let mock = start_mock();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        println!(
            "# pacing benchmark against a loopback mock enforcing the Gateway's limits ({})",
            mock.base
        );
        snapshot_workload(&mock, snapshots).await;
        // Let the mock's windows empty between the workloads.
        tokio::time::sleep(Duration::from_secs(6)).await;
        mixed_workload(&mock, mixed_secs).await;
    });
    mock.stop.store(true, Ordering::Relaxed);
    drop(mock.windows);
}
