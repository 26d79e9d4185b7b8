//! Per-call overhead of the facade against a hand-written call.
//!
//! One loopback server (one thread, HTTP/1.1 keep-alive) serves canned
//! Gateway answers with IBKR's field names and quirks (numbers sent as
//! strings where IBKR sends them so):
//!
//! - `auth_status`: `POST /iserver/auth/status`, a few hundred bytes;
//! - `positions`: `GET /portfolio/{accountId}/positions/0`, 5,000 positions;
//! - `contracts`: `GET /iserver/secdef/info` (an option chain's contract
//!   definitions, through `Contracts::secdef_info`), 50,000 rows.
//!
//! For each case the facade call (`ibkr_client::Client`, pacing disabled
//! with `PacingTable::unlimited()`) and a hand-written `reqwest::Client` +
//! `serde_json` call of the same URL, decoding into a comparable hand-written
//! struct, run interleaved (alternating which goes first) on a current-thread
//! tokio runtime: warm-up, then N timed iterations each. Allocations are
//! counted by a `#[global_allocator]` wrapper around `System`, per thread, so
//! only the calling thread (where the current-thread runtime runs reqwest,
//! hyper and the decoding) is counted, not the server's threads. An
//! allocation is an `alloc` or `realloc`; bytes are the sizes requested.
//!
//! Run with `cargo bench -p ibkr-client --bench overhead`. Iterations:
//! `IBKR_BENCH_TINY_ITERS` (default 3000), `IBKR_BENCH_POSITIONS_ITERS`
//! (default 150), `IBKR_BENCH_CONTRACTS_ITERS` (default 30). Besides a
//! readable table, every figure is printed as one line
//! `RESULT overhead.<case>.<metric> facade=<x> raw=<y> ratio=<x/y> unit=<u>`
//! (read by `cargo xtask bench`). Only loopback traffic; every loop is bounded.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::future::Future;
use std::hint::black_box;
use std::io::IoSlice;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ibkr_client::areas::contracts::SecdefInfoQuery;
use ibkr_client::pacing::PacingTable;
use ibkr_client::{Client, Config};
use serde::Deserialize;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

// ---------------------------------------------------------------------------
// Allocation counting (per thread).

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn note(size: usize) {
    // `try_with`: never panic inside the allocator (thread teardown).
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + size as u64));
}

// SAFETY: every call is forwarded unchanged to `System`; the bookkeeping
// touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// (allocations, bytes) made on this thread so far.
fn allocated() -> (u64, u64) {
    (ALLOCS.with(Cell::get), BYTES.with(Cell::get))
}

// ---------------------------------------------------------------------------
// Canned IBKR answers.

const ACCOUNT: &str = "U1234567";
const POSITIONS: usize = 5_000;
const CONTRACTS: usize = 50_000;

/// A Gateway `POST /iserver/auth/status` answer.
fn auth_status_body() -> String {
    r#"{"authenticated":true,"competing":false,"connected":true,"message":"","MAC":"98:F2:B3:23:BF:A0","serverInfo":{"serverName":"JifN19053","serverVersion":"Build 10.25.0p, Dec 5, 2023 5:48:12 PM"},"fail":"","hardware_info":"20e8a8c0|98:F2:B3:23:BF:A0"}"#
        .to_string()
}

const SYMBOLS: [(&str, &str, &str, &str); 8] = [
    ("AAPL", "APPLE INC", "NASDAQ", "Technology"),
    ("MSFT", "MICROSOFT CORP", "NASDAQ", "Technology"),
    (
        "IBKR",
        "INTERACTIVE BROKERS GRO-CL A",
        "NASDAQ",
        "Financial",
    ),
    ("XOM", "EXXON MOBIL CORP", "NYSE", "Energy"),
    ("JNJ", "JOHNSON & JOHNSON", "NYSE", "Consumer, Non-cyclical"),
    ("SAP", "SAP SE", "IBIS", "Technology"),
    ("7203", "TOYOTA MOTOR CORP", "TSEJ", "Consumer, Cyclical"),
    ("VOD", "VODAFONE GROUP PLC", "LSE", "Communications"),
];

/// A deterministic spread of values.
fn wobble(i: usize, modulus: usize) -> f64 {
    ((i * 7919) % modulus) as f64
}

/// A JSON array of `n` items written by `item(out, index)`.
fn json_array(n: usize, item: impl Fn(&mut String, usize)) -> String {
    let mut out = String::from("[");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        item(&mut out, i);
    }
    out.push(']');
    out
}

/// A Gateway positions page: stocks and options as IBKR sends them (the
/// strike as a string, `null` for what does not apply).
fn positions_body() -> String {
    json_array(POSITIONS, |out, i| {
        let (sym, name, exchange, sector) = SYMBOLS[i % SYMBOLS.len()];
        let option = i % 5 == 4;
        let conid = 265_598 + i as i64 * 13;
        let position = if i % 7 == 0 {
            -100.0
        } else {
            100.0 + wobble(i, 900)
        };
        let price = 10.0 + wobble(i, 4_000) / 10.0 + 0.4949951;
        let multiplier = if option { 100.0 } else { 1.0 };
        let value = position * price * multiplier;
        let avg = price * 0.9;
        let (asset, desc, expiry, right, strike, mult) = if option {
            (
                "OPT",
                format!("{sym} JAN2026 {:.0} C [{sym}  260116C00150000 100]", price),
                r#""20260116""#,
                r#""C""#,
                format!("\"{:.1}\"", price.round()),
                "100.0",
            )
        } else {
            (
                "STK",
                sym.to_string(),
                "null",
                "null",
                "\"0.0\"".to_string(),
                "null",
            )
        };
        write!(
            out,
            r#"{{"acctId":"{ACCOUNT}","conid":{conid},"contractDesc":"{desc}","position":{position:.1},"mktPrice":{price},"mktValue":{value:.2},"currency":"USD","avgCost":{avgc:.4},"avgPrice":{avg:.4},"realizedPnl":0.0,"unrealizedPnl":{upnl:.2},"exchs":null,"expiry":{expiry},"putOrCall":{right},"multiplier":{mult},"strike":{strike},"exerciseStyle":null,"conExchMap":[],"assetClass":"{asset}","undConid":0,"model":"","baseMktValue":{value:.2},"baseMktPrice":{price},"baseAvgCost":{avgc:.4},"baseAvgPrice":{avg:.4},"baseRealizedPnl":0.0,"baseUnrealizedPnl":{upnl:.2},"incrementRules":[{{"lowerEdge":0.0,"increment":0.01}}],"displayRule":{{"magnification":0,"displayRuleStep":[{{"decimalDigits":2,"lowerEdge":0.0,"wholeDigits":4}}]}},"time":{time},"chineseName":"&#x82F9;&#x679C;&#x516C;&#x53F8;","allExchanges":"AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,ISLAND,DRCTEDGE,BEX,BATS,EDGEA,BYX,IEX,LTSE,MEMX,PEARL,{exchange}","listingExchange":"{exchange}","countryCode":"US","name":"{name}","lastTradingDay":{expiry},"group":"{sector}","sector":"{sector}","sectorGroup":"{sector}","ticker":"{sym}","type":"COMMON","hasOptions":true,"fullName":"{sym}","isUS":true,"isEventContract":false,"pageSize":100}}"#,
            avgc = avg * multiplier,
            upnl = (price - avg) * position * multiplier,
            time = i % 60,
        )
        .unwrap();
    })
}

/// A Gateway `GET /iserver/secdef/info` answer: an option chain's contract
/// definitions, the maturity date and multiplier as strings like IBKR's.
fn contracts_body() -> String {
    json_array(CONTRACTS, |out, i| {
        let strike = 1_000.0 + (i / 2 % 2_000) as f64 * 2.5;
        let (right, word) = if i % 2 == 0 {
            ("C", "Call")
        } else {
            ("P", "Put")
        };
        let month = ["JAN", "FEB", "MAR", "JUN", "SEP", "DEC"][i / 4_000 % 6];
        write!(
            out,
            r#"{{"conid":{conid},"symbol":"SPX","secType":"OPT","exchange":"SMART","listingExchange":null,"right":"{right}","strike":{strike},"currency":"USD","cusip":null,"coupon":"No Coupon","desc1":"SPX","desc2":"{month} 16 '26 {strike} {word}","maturityDate":"2026{mm:02}16","multiplier":"100","tradingClass":"SPX","validExchanges":"SMART,CBOE,IBUSOPT"}}"#,
            conid = 700_000_000 + i,
            mm = i / 4_000 % 12 + 1,
        )
        .unwrap();
    })
}

// ---------------------------------------------------------------------------
// The loopback server.

struct Bodies {
    auth_status: Vec<u8>,
    positions: Vec<u8>,
    contracts: Vec<u8>,
}

fn response_for<'a>(
    bodies: &'a Bodies,
    method: &str,
    path: &str,
) -> Option<(&'static str, &'a [u8])> {
    let path = path.split('?').next().unwrap_or(path);
    let path = path.strip_prefix("/v1/api").unwrap_or(path);
    match (method, path) {
        ("POST", "/iserver/auth/status") => Some(("200 OK", &bodies.auth_status)),
        ("GET", "/iserver/secdef/info") => Some(("200 OK", &bodies.contracts)),
        ("GET", p) if p == format!("/portfolio/{ACCOUNT}/positions/0") => {
            Some(("200 OK", &bodies.positions))
        }
        _ => None,
    }
}

/// Reads one request's line and headers and skips its body: the method and
/// the target, or `None` at the end of the stream.
async fn read_request<R: AsyncBufRead + Unpin>(reader: &mut R) -> Option<(String, String)> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        match line.trim_end() {
            "" => break,
            text => head.push(text.to_string()),
        }
    }
    let mut request_line = head.first()?.split_whitespace();
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let body_len = head[1..]
        .iter()
        .filter_map(|h| h.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<u64>().ok())
        .unwrap_or(0);
    tokio::io::copy(&mut reader.take(body_len), &mut tokio::io::sink())
        .await
        .ok()?;
    Some((method, target))
}

async fn serve(stream: tokio::net::TcpStream, bodies: Arc<Bodies>) {
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut reader = tokio::io::BufReader::new(reader);
    while let Ok(Some((method, target))) =
        tokio::time::timeout(Duration::from_secs(60), read_request(&mut reader)).await
    {
        let (status, body) =
            response_for(&bodies, &method, &target).unwrap_or(("404 Not Found", b""));
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        if write_response(&mut writer, head.as_bytes(), body)
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Writes an answer's head and body with one `writev` (as hyper writes
/// them), not two writes: with two, the client sometimes read the head
/// alone and went back to `epoll_wait` for the body, and how often that
/// happened differed between the two clients (strace over 2,000 tiny
/// calls: 0.48 against 0.29 extra `recvfrom` a call), a race of this
/// server rather than a cost of either client.
async fn write_response<W: AsyncWrite + Unpin>(
    writer: &mut W,
    head: &[u8],
    body: &[u8],
) -> std::io::Result<()> {
    let total = head.len() + body.len();
    let mut written = 0;
    while written < total {
        let n = if written < head.len() {
            writer
                .write_vectored(&[IoSlice::new(&head[written..]), IoSlice::new(body)])
                .await?
        } else {
            writer.write(&body[written - head.len()..]).await?
        };
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        written += n;
    }
    Ok(())
}

/// Starts the server; returns the Gateway base URL.
///
/// One thread serves every connection (a current-thread tokio runtime of
/// its own), so the facade's connection and the hand-written call's meet
/// the same server thread. With a thread per connection, where the
/// scheduler put each of the two server threads against the calling thread
/// decided the tiny answer's ratio more than either client did: 1.04 to
/// 1.06 in most runs on the idle machine, 0.95 in one, 0.31 under `perf
/// record`, with the two calls' own instructions within a few per cent
/// (callgrind: 0.7 to 2.9 %). With one server thread, four runs gave 1.018
/// to 1.022.
fn start_server(bodies: Bodies) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let base = format!("http://{}/v1/api", listener.local_addr().unwrap());
    let bodies = Arc::new(bodies);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, bodies.clone()));
                }
            }
        });
    });
    base
}

// ---------------------------------------------------------------------------
// The hand-written side: plain serde structs of the fields the facade's types
// carry (every one the canned answers have), typed as IBKR sends them.

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawAuthStatus {
    authenticated: bool,
    connected: bool,
    competing: bool,
    established: Option<bool>,
    message: Option<String>,
    fail: Option<String>,
    #[serde(rename = "MAC")]
    mac: Option<String>,
    #[serde(rename = "serverInfo")]
    server_info: Option<RawServerInfo>,
    #[serde(default)]
    prompts: Vec<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawServerInfo {
    #[serde(rename = "serverName")]
    server_name: Option<String>,
    #[serde(rename = "serverVersion")]
    server_version: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawPosition {
    #[serde(rename = "acctId")]
    account_id: Option<String>,
    conid: Option<i64>,
    #[serde(rename = "contractDesc")]
    contract_desc: Option<String>,
    #[serde(rename = "assetClass")]
    asset_class: Option<String>,
    position: Option<f64>,
    #[serde(rename = "mktPrice")]
    mkt_price: Option<f64>,
    #[serde(rename = "mktValue")]
    mkt_value: Option<f64>,
    currency: Option<String>,
    #[serde(rename = "avgCost")]
    avg_cost: Option<f64>,
    #[serde(rename = "avgPrice")]
    avg_price: Option<f64>,
    #[serde(rename = "realizedPnl")]
    realized_pnl: Option<f64>,
    #[serde(rename = "unrealizedPnl")]
    unrealized_pnl: Option<f64>,
    #[serde(rename = "baseMktValue")]
    base_mkt_value: Option<f64>,
    #[serde(rename = "baseMktPrice")]
    base_mkt_price: Option<f64>,
    #[serde(rename = "baseAvgCost")]
    base_avg_cost: Option<f64>,
    #[serde(rename = "baseAvgPrice")]
    base_avg_price: Option<f64>,
    #[serde(rename = "baseRealizedPnl")]
    base_realized_pnl: Option<f64>,
    #[serde(rename = "baseUnrealizedPnl")]
    base_unrealized_pnl: Option<f64>,
    expiry: Option<String>,
    #[serde(rename = "lastTradingDay")]
    last_trading_day: Option<String>,
    #[serde(rename = "putOrCall")]
    put_or_call: Option<String>,
    #[serde(default, deserialize_with = "number_or_string")]
    strike: Option<f64>,
    multiplier: Option<f64>,
    #[serde(rename = "exerciseStyle")]
    exercise_style: Option<String>,
    #[serde(rename = "undConid")]
    und_conid: Option<i64>,
    ticker: Option<String>,
    #[serde(rename = "listingExchange")]
    listing_exchange: Option<String>,
    model: Option<String>,
    #[serde(rename = "isUS")]
    is_us: Option<bool>,
    #[serde(rename = "hasOptions")]
    has_options: Option<bool>,
    #[serde(rename = "isEventContract")]
    is_event_contract: Option<bool>,
    #[serde(rename = "pageSize")]
    page_size: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawContract {
    conid: Option<i64>,
    symbol: Option<String>,
    #[serde(rename = "secType")]
    sec_type: Option<String>,
    exchange: Option<String>,
    #[serde(rename = "listingExchange")]
    listing_exchange: Option<String>,
    currency: Option<String>,
    strike: Option<f64>,
    right: Option<String>,
    #[serde(rename = "maturityDate")]
    maturity_date: Option<String>,
    #[serde(default, deserialize_with = "number_or_string")]
    multiplier: Option<f64>,
    #[serde(rename = "validExchanges")]
    valid_exchanges: Option<String>,
    #[serde(rename = "tradingClass")]
    trading_class: Option<String>,
    desc2: Option<String>,
    coupon: Option<String>,
    cusip: Option<String>,
}

/// What a hand-written client needs for IBKR's numbers sent as strings.
fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number, a numeric string or null")
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse().ok())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Visitor)
}

async fn raw_call<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let response = request.send().await.expect("loopback request");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.expect("loopback body");
    serde_json::from_slice(&bytes).expect("decode")
}

// ---------------------------------------------------------------------------
// Measurement.

/// Timings and allocations of one side of a case.
#[derive(Default)]
struct Samples {
    nanos: Vec<u64>,
    allocs: u64,
    bytes: u64,
}

impl Samples {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.nanos.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        // Nearest rank.
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1] as f64
    }

    fn per_call(&self, total: u64) -> f64 {
        total as f64 / self.nanos.len().max(1) as f64
    }
}

async fn measure<F: Future<Output = usize>>(samples: &mut Samples, expected: usize, call: F) {
    let (a0, b0) = allocated();
    let start = Instant::now();
    let rows = call.await;
    let elapsed = start.elapsed();
    let (a1, b1) = allocated();
    assert_eq!(rows, expected, "wrong number of rows");
    black_box(rows);
    samples.nanos.push(elapsed.as_nanos() as u64);
    samples.allocs += a1 - a0;
    samples.bytes += b1 - b0;
}

/// Runs `facade` and `raw` interleaved (alternating which goes first):
/// `warmup` untimed rounds, then `iters` timed ones.
async fn compare<FF, FR, A, B>(
    iters: usize,
    expected: usize,
    facade: FF,
    raw: FR,
) -> (Samples, Samples)
where
    FF: Fn() -> A,
    FR: Fn() -> B,
    A: Future<Output = usize>,
    B: Future<Output = usize>,
{
    let warmup = (iters / 10).max(3);
    let (mut f, mut r) = (Samples::default(), Samples::default());
    for _ in 0..warmup {
        assert_eq!(facade().await, expected);
        assert_eq!(raw().await, expected);
    }
    for i in 0..iters {
        if i % 2 == 0 {
            measure(&mut f, expected, facade()).await;
            measure(&mut r, expected, raw()).await;
        } else {
            measure(&mut r, expected, raw()).await;
            measure(&mut f, expected, facade()).await;
        }
    }
    (f, r)
}

fn report(case: &str, what: &str, iters: usize, body_len: usize, f: &Samples, r: &Samples) {
    let us = |ns: f64| ns / 1_000.0;
    let rows = [
        (
            "median_us",
            us(f.percentile(50.0)),
            us(r.percentile(50.0)),
            "us",
        ),
        (
            "p99_us",
            us(f.percentile(99.0)),
            us(r.percentile(99.0)),
            "us",
        ),
        (
            "allocs_per_call",
            f.per_call(f.allocs),
            r.per_call(r.allocs),
            "count",
        ),
        (
            "bytes_per_call",
            f.per_call(f.bytes),
            r.per_call(r.bytes),
            "bytes",
        ),
    ];
    println!("## {case}: {what}, {body_len} bytes, {iters} iterations");
    println!(
        "{:<16} {:>14} {:>14} {:>8}",
        "metric", "facade", "raw", "ratio"
    );
    for (metric, facade, raw, _) in &rows {
        println!(
            "{metric:<16} {facade:>14.1} {raw:>14.1} {:>8.3}",
            facade / raw
        );
    }
    for (metric, facade, raw, unit) in &rows {
        println!(
            "RESULT overhead.{case}.{metric} facade={facade:.3} raw={raw:.3} ratio={:.4} unit={unit}",
            facade / raw
        );
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn main() {
    let tiny_iters = env_or("IBKR_BENCH_TINY_ITERS", 3_000);
    let positions_iters = env_or("IBKR_BENCH_POSITIONS_ITERS", 150);
    let contracts_iters = env_or("IBKR_BENCH_CONTRACTS_ITERS", 30);

    let bodies = Bodies {
        auth_status: auth_status_body().into_bytes(),
        positions: positions_body().into_bytes(),
        contracts: contracts_body().into_bytes(),
    };
    let sizes = (
        bodies.auth_status.len(),
        bodies.positions.len(),
        bodies.contracts.len(),
    );
    let base = start_server(bodies);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    runtime.block_on(async {
        let facade = Client::new(
            Config::gateway()
                .base_url(&base)
                .pacing(PacingTable::unlimited()),
        )
        .expect("facade client");
        let http = reqwest::Client::new();
        println!(
            "# overhead benchmark: ibkr_client facade vs hand-written reqwest + serde_json, \
             loopback Gateway mock at {base}, current-thread tokio runtime, release build"
        );

        let (f, r) = compare(
            tiny_iters,
            1,
            || async {
                usize::from(
                    facade
                        .session()
                        .auth_status()
                        .await
                        .expect("facade")
                        .authenticated,
                )
            },
            || async {
                let s: RawAuthStatus = raw_call(
                    http.post(format!("{base}/iserver/auth/status"))
                        .header("content-length", "0"),
                )
                .await;
                usize::from(s.authenticated)
            },
        )
        .await;
        report(
            "auth_status",
            "POST /iserver/auth/status",
            tiny_iters,
            sizes.0,
            &f,
            &r,
        );

        let (f, r) = compare(
            positions_iters,
            POSITIONS,
            || async {
                facade
                    .portfolio()
                    .positions(ACCOUNT, 0)
                    .await
                    .expect("facade")
                    .len()
            },
            || async {
                let p: Vec<RawPosition> =
                    raw_call(http.get(format!("{base}/portfolio/{ACCOUNT}/positions/0"))).await;
                p.len()
            },
        )
        .await;
        report(
            "positions",
            "GET /portfolio/{accountId}/positions/0 (5,000 positions)",
            positions_iters,
            sizes.1,
            &f,
            &r,
        );

        let query = SecdefInfoQuery {
            conid: 416_904.into(),
            sec_type: "OPT".into(),
            month: Some("JAN26".into()),
            exchange: Some("SMART".into()),
            strike: None,
            right: None,
        };
        let (f, r) = compare(
            contracts_iters,
            CONTRACTS,
            || async {
                facade
                    .contracts()
                    .secdef_info(&query)
                    .await
                    .expect("facade")
                    .len()
            },
            || async {
                let c: Vec<RawContract> = raw_call(http.get(format!(
                    "{base}/iserver/secdef/info?conid=416904&sectype=OPT&month=JAN26&exchange=SMART"
                )))
                .await;
                c.len()
            },
        )
        .await;
        report(
            "contracts",
            "GET /iserver/secdef/info (50,000 contract definitions)",
            contracts_iters,
            sizes.2,
            &f,
            &r,
        );
    });
    println!("# done in {:.1} s", started.elapsed().as_secs_f64());
}
