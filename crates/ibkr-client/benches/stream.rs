//! Streaming figures on a loopback mock (`ibkr_client::testing::MockIbkr`,
//! the Gateway variant), three workloads:
//!
//! - `decode`: market data frames (a full first message per conid, then
//!   deltas of one to four fields, 100 conids) merged into quotes by the
//!   stream's own decoder (`QuoteBook::apply`) against parsing the same
//!   frames into `serde_json::Value`. Goal: the typed decoder at least as
//!   fast (`speedup` ≥ 1.0).
//! - `latency`: 100 conids, each updated 50 times a second by the mock;
//!   every update carries its send time (field 7059); a consumer that keeps
//!   up measures mock send → consumer. p50, p99, max.
//! - `soak`: 100 conids at 50 updates/s each (the mock's timer) for
//!   `IBKR_BENCH_STREAM_SECS` seconds (default 60), a market data consumer
//!   that looks only every 100 ms (so most updates coalesce), and one order
//!   placed through the REST mock every 100 ms, whose live order updates
//!   must all arrive. Reports the orders placed and received (lost must be
//!   0), the market data received and skipped, and the process's resident
//!   memory at the start, its maximum and at the end (bounded: no growth
//!   with the number of updates).
//!
//! Run with `cargo bench -p ibkr-client --features testing --bench stream`
//! (the `testing` feature is required). Every figure is one line
//! `RESULT stream.<workload> key=value ...`. Only loopback traffic; every
//! loop is bounded in count and time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, StreamExt};
use ibkr_client::pacing::PacingTable;
use ibkr_client::stream::{Event, Field, QuoteBook, QuoteStream, StreamConfig};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{Client, Config};

const CONIDS: i64 = 100;
const RATE_PER_CONID: u64 = 50;
const ACCOUNT: &str = "DU1234567";

fn result(name: &str, pairs: &[(&str, String)]) {
    let pairs: String = pairs.iter().map(|(k, v)| format!(" {k}={v}")).collect();
    println!("RESULT stream.{name}{pairs}");
}

/// The process's resident memory in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

/// `n` market data frames: a full first message per conid, then deltas.
fn frames(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let conid = 265_000 + (i as i64 % CONIDS);
        let t = 1_704_205_800_000i64 + i as i64;
        let p = 100.0 + (i % 997) as f64 * 0.01;
        let frame = if (i as i64) < CONIDS {
            format!(
                r#"{{"topic":"smd+{conid}","conid":{conid},"conidEx":"{conid}","_updated":{t},"server_id":"q{conid}","6509":"RpB","31":"{p:.2}","55":"SYM{conid}","70":"{:.2}","71":"{:.2}","82":"+1.25","83":"0.66","84":"{:.2}","85":"300","86":"{:.2}","87":"52.1M","88":"200","7051":"COMPANY {conid} INC"}}"#,
                p * 1.01,
                p * 0.99,
                p - 0.01,
                p + 0.01
            )
        } else {
            match i % 4 {
                0 => format!(
                    r#"{{"topic":"smd+{conid}","conid":{conid},"_updated":{t},"31":"{p:.2}"}}"#
                ),
                1 => format!(
                    r#"{{"topic":"smd+{conid}","conid":{conid},"_updated":{t},"84":"{:.2}","88":"{}"}}"#,
                    p - 0.01,
                    100 + i % 50
                ),
                2 => format!(
                    r#"{{"topic":"smd+{conid}","conid":{conid},"_updated":{t},"86":"{:.2}","85":"{}","31":"{p:.2}"}}"#,
                    p + 0.01,
                    200 + i % 50
                ),
                _ => format!(
                    r#"{{"topic":"smd+{conid}","conid":{conid},"_updated":{t},"31":"C{p:.2}","84":"{:.2}","86":"{:.2}","87":"{}.1M"}}"#,
                    p - 0.01,
                    p + 0.01,
                    50 + i % 9
                ),
            }
        };
        out.push(frame);
    }
    out
}

fn decode() {
    let frames = frames(20_000);
    let bytes: usize = frames.iter().map(String::len).sum();
    let rounds = std::env::var("IBKR_BENCH_STREAM_DECODE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20u32);
    let typed_run = || {
        let mut book = QuoteBook::default();
        for f in &frames {
            black_box(book.apply(black_box(f)).unwrap());
        }
        black_box(book.len());
    };
    let value_run = || {
        for f in &frames {
            black_box(serde_json::from_str::<serde_json::Value>(black_box(f)).unwrap());
        }
    };
    // Warm-up, then interleaved timed rounds.
    typed_run();
    value_run();
    let (mut typed, mut value) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let order: [bool; 2] = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for typed_first in order {
            let start = Instant::now();
            if typed_first {
                typed_run();
                typed += start.elapsed();
            } else {
                value_run();
                value += start.elapsed();
            }
        }
    }
    let n = (frames.len() as u64 * rounds as u64) as f64;
    let typed_ns = typed.as_nanos() as f64 / n;
    let value_ns = value.as_nanos() as f64 / n;
    let speedup = value_ns / typed_ns;
    println!(
        "decode: {} frames ({} bytes) x {rounds}: merged quote {typed_ns:.0} ns/frame, serde_json::Value {value_ns:.0} ns/frame, speedup {speedup:.2}x",
        frames.len(),
        bytes
    );
    result(
        "decode",
        &[
            ("typed_ns_per_frame", format!("{typed_ns:.1}")),
            ("value_ns_per_frame", format!("{value_ns:.1}")),
            ("speedup", format!("{speedup:.3}")),
            ("goal", "1.0".into()),
            ("pass", (speedup >= 1.0).to_string()),
        ],
    );
}

async fn setup(
    config: StreamConfig,
) -> (
    MockIbkr,
    Client,
    ibkr_client::stream::StreamHandle,
    Vec<QuoteStream>,
) {
    let mock = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    mock.authenticate();
    let client = Client::new(
        Config::gateway()
            .base_url(mock.base_url())
            .pacing(PacingTable::unlimited()),
    )
    .unwrap();
    let stream = client.stream_with(config).await.unwrap();
    let quotes: Vec<QuoteStream> = (0..CONIDS)
        .map(|i| stream.market_data(265_598 + i, &[Field::Last, Field::Bid, Field::Ask]))
        .collect();
    stream.ready().await.unwrap();
    (mock, client, stream, quotes)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn latency(secs: u64) {
    let (mock, _client, stream, quotes) = setup(StreamConfig::new()).await;
    let epoch = Instant::now();
    let mut merged = futures_util::stream::select_all(quotes);
    let pusher = {
        let period = Duration::from_millis(1000 / RATE_PER_CONID);
        let rounds = secs * RATE_PER_CONID;
        let mock_ref = &mock;
        async move {
            let mut tick = tokio::time::interval(period);
            for round in 0..rounds {
                tick.tick().await;
                for i in 0..CONIDS {
                    let sent = epoch.elapsed().as_nanos().to_string();
                    let price = format!("{}.{:02}", 100 + i, round % 100);
                    mock_ref.push_quote(265_598 + i, &[("31", &price), ("7059", &sent)]);
                }
            }
        }
    };
    let mut latencies = Vec::with_capacity((secs * RATE_PER_CONID * CONIDS as u64) as usize);
    let mut skipped = 0u64;
    let consumer = async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs + 5);
        while let Ok(Some(item)) = tokio::time::timeout_at(deadline, merged.next()).await {
            if let Ok(Event::Data(update)) = item {
                skipped += update.skipped;
                if let Some(sent) = update
                    .quote
                    .text(Field::LastSize)
                    .and_then(|t| t.parse::<u128>().ok())
                {
                    latencies.push((epoch.elapsed().as_nanos().saturating_sub(sent)) as u64);
                }
            }
            if latencies.len() as u64 + skipped >= secs * RATE_PER_CONID * CONIDS as u64 {
                break;
            }
        }
    };
    tokio::join!(pusher, consumer);
    latencies.sort_unstable();
    let us = |ns: u64| format!("{:.1}", ns as f64 / 1000.0);
    let (p50, p99, max) = (
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0),
    );
    println!(
        "latency: {} updates over {secs} s ({} conids x {RATE_PER_CONID}/s): p50 {} us, p99 {} us, max {} us, {skipped} coalesced",
        latencies.len(),
        CONIDS,
        us(p50),
        us(p99),
        us(max)
    );
    result(
        "latency",
        &[
            ("updates", latencies.len().to_string()),
            ("coalesced", skipped.to_string()),
            ("p50_us", us(p50)),
            ("p99_us", us(p99)),
            ("max_us", us(max)),
        ],
    );
    stream.shutdown().await;
}

async fn soak(secs: u64) {
    let (mock, _client, stream, mut quotes) = setup(StreamConfig::new()).await;
    let mut orders = stream.orders();
    mock.stream_market_data(Some(Duration::from_millis(1000 / RATE_PER_CONID)));
    // The timer applies to connections opened from now on: reconnect once.
    mock.close_streams(1000);
    for q in &mut quotes {
        while !matches!(q.next().await, Some(Ok(Event::Reconnected))) {}
    }
    let rss_start = rss_kib();
    let mut rss_max = rss_start;
    let sent_before = mock.stream_frames_sent();
    let started = Instant::now();
    let (mut placed, mut received, mut quotes_seen, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    let mut look = tokio::time::interval(Duration::from_millis(100));
    let mut order_error = None;
    while started.elapsed() < Duration::from_secs(secs) {
        tokio::select! {
            _ = look.tick() => {
                // The slow market data consumer: one look per conid.
                for q in &mut quotes {
                    if let Some(Some(Ok(Event::Data(update)))) = q.next().now_or_never() {
                        quotes_seen += 1;
                        skipped += update.skipped;
                    }
                }
                if mock.place_order(ACCOUNT, 265_598, "BUY", 1.into(), Some(100.into())).is_some() {
                    placed += 1;
                }
                rss_max = rss_max.max(rss_kib());
            }
            Some(item) = orders.next() => match item {
                Ok(Event::Data(_)) => received += 1,
                Ok(_) => {}
                Err(e) => order_error = Some(e.to_string()),
            },
        }
    }
    // The last orders' updates.
    let drain = tokio::time::Instant::now() + Duration::from_secs(5);
    while received < placed {
        match tokio::time::timeout_at(drain, orders.next()).await {
            Ok(Some(Ok(Event::Data(_)))) => received += 1,
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    let frames = mock.stream_frames_sent() - sent_before;
    let rss_end = rss_kib();
    let lost = placed.saturating_sub(received);
    println!(
        "soak: {secs} s, {frames} frames from the mock ({:.0}/s); {quotes_seen} quotes seen by a consumer looking every 100 ms, {skipped} coalesced; orders placed {placed}, updates received {received}, lost {lost}{}; RSS {rss_start} KiB at start, max {rss_max} KiB, {rss_end} KiB at the end",
        frames as f64 / secs as f64,
        order_error
            .as_deref()
            .map(|e| format!(" (error: {e})"))
            .unwrap_or_default()
    );
    result(
        "soak",
        &[
            ("secs", secs.to_string()),
            ("frames", frames.to_string()),
            (
                "frames_per_s",
                format!("{:.0}", frames as f64 / secs as f64),
            ),
            ("quotes_seen", quotes_seen.to_string()),
            ("coalesced", skipped.to_string()),
            ("orders_placed", placed.to_string()),
            ("order_updates", received.to_string()),
            ("orders_lost", lost.to_string()),
            ("rss_start_kib", rss_start.to_string()),
            ("rss_max_kib", rss_max.to_string()),
            ("rss_end_kib", rss_end.to_string()),
            ("pass", (lost == 0 && order_error.is_none()).to_string()),
        ],
    );
    stream.shutdown().await;
}

fn main() {
    let secs = std::env::var("IBKR_BENCH_STREAM_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60u64)
        .clamp(1, 600);
    decode();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(latency(secs.min(10)));
    runtime.block_on(soak(secs));
}
