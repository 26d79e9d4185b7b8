//! Streaming on a loopback mock (`benches/stream.rs`, part 5 of the run):
//! decoding `smd` frames into merged quotes against `serde_json::Value`,
//! latency from the mock's send to the consumer, and a soak of 100 conids at
//! 50 updates/s each with orders placed alongside.

use super::parse::{Record, parse_records};
use super::process::Bench;
use super::table::{Goal, Row, Status, micros};

/// The bench's load, as `benches/stream.rs` fixes it (for the titles).
const CONIDS: u32 = 100;
const RATE_PER_CONID: u32 = 50;

/// The soak's length in seconds: in a full run, and under `--quick`.
const SOAK_SECS: &str = "60";
const QUICK_SOAK_SECS: &str = "10";

/// The decoding goal: the merged quote at least as fast as a
/// `serde_json::Value` of the same frames (`value_ns / typed_ns`).
const DECODE_GOAL: f64 = 1.0;

/// Memory stays bounded when the soak's largest resident set (sampled every
/// 100 ms) exceeds the one at its start by at most this many KiB.
pub const RSS_GROWTH_BOUND_KIB: u64 = 16 * 1024;

pub(super) const STREAM: Bench = Bench {
    name: "stream",
    features: &["testing"],
    env: &[("IBKR_BENCH_STREAM_SECS", SOAK_SECS)],
    quick_env: &[("IBKR_BENCH_STREAM_SECS", QUICK_SOAK_SECS)],
    rows: |output| stream_rows(&parse_records(output)),
};

const DECODE_FIGURE: &str =
    "stream, decode `smd` frames: merged quote vs `serde_json::Value` (speedup)";

fn latency_figure(what: &str) -> String {
    format!("stream, latency mock send → consumer ({CONIDS} conids × {RATE_PER_CONID}/s): {what}")
}

fn soak_figure(secs: Option<&str>, what: &str) -> String {
    let secs = secs.map_or_else(String::new, |s| format!(" {s} s"));
    format!(
        "stream, soak{secs} ({CONIDS} conids × {RATE_PER_CONID}/s, an order every 100 ms): {what}"
    )
}

fn missing(name: &str) -> String {
    format!("no `RESULT stream.{name}` line in the bench's output")
}

fn lacking(name: &str, keys: &str) -> String {
    format!("`RESULT stream.{name}` lacks {keys}")
}

/// Table rows of the stream bench's `RESULT stream.decode`,
/// `stream.latency` and `stream.soak` lines. Goals: decoding speedup ≥
/// [`DECODE_GOAL`], no order event lost (and no error on the order stream,
/// the soak's `pass`), memory growth ≤ [`RSS_GROWTH_BOUND_KIB`]; latency is
/// information. A missing line, or one lacking a figure, is a failed row for
/// each figure it should have given.
pub fn stream_rows(records: &[Record]) -> Vec<Row> {
    let find = |name: &str| records.iter().find(|r| r.name == name);
    let mut rows = Vec::new();
    rows.push(match find("stream.decode") {
        None => Row::failed(DECODE_FIGURE, missing("decode")),
        Some(r) => decode_row(r),
    });
    match find("stream.latency") {
        None => {
            for what in ["p50", "p99"] {
                rows.push(Row::failed(latency_figure(what), missing("latency")));
            }
        }
        Some(r) => rows.extend(latency_rows(r)),
    }
    match find("stream.soak") {
        None => {
            rows.push(Row::failed(
                soak_figure(None, "order events lost"),
                missing("soak"),
            ));
            rows.push(Row::failed(
                soak_figure(None, "resident memory"),
                missing("soak"),
            ));
        }
        Some(r) => rows.extend(soak_rows(r)),
    }
    rows
}

fn decode_row(r: &Record) -> Row {
    let (Some(typed), Some(value)) = (
        r.number("typed_ns_per_frame"),
        r.number("value_ns_per_frame"),
    ) else {
        return Row::failed(
            DECODE_FIGURE,
            lacking("decode", "typed_ns_per_frame or value_ns_per_frame"),
        );
    };
    let speedup = r.number("speedup").unwrap_or(value / typed);
    Row::measured(
        DECODE_FIGURE,
        format!("merged quote {typed:.0} ns/frame, Value {value:.0} ns/frame ({speedup:.2}×)"),
        format!("≥ {DECODE_GOAL:.1}× (Value time / merged quote time)"),
        Some(speedup),
        speedup,
        Goal::AtLeast(DECODE_GOAL),
    )
}

fn latency_rows(r: &Record) -> Vec<Row> {
    let updates = r.count("updates");
    if updates.is_none_or(|n| n == 0) {
        let reason = match updates {
            None => lacking("latency", "updates"),
            Some(_) => "no update reached the consumer (updates=0)".to_string(),
        };
        return ["p50", "p99"]
            .map(|what| Row::failed(latency_figure(what), reason.clone()))
            .into();
    }
    let updates = updates.unwrap_or_default();
    let coalesced = r.count("coalesced").unwrap_or_default();
    let mut rows = Vec::new();
    for (key, what) in [("p50_us", "p50"), ("p99_us", "p99"), ("max_us", "max")] {
        match r.number(key) {
            Some(us) => rows.push(Row::measured(
                latency_figure(what),
                format!("{} ({updates} updates, {coalesced} coalesced)", micros(us)),
                "",
                None,
                us,
                Goal::None,
            )),
            None if what != "max" => {
                rows.push(Row::failed(latency_figure(what), lacking("latency", key)));
            }
            None => {}
        }
    }
    rows
}

fn soak_rows(r: &Record) -> Vec<Row> {
    let secs = r.text("secs");
    let mut rows = Vec::new();
    let orders = soak_figure(secs, "order events lost");
    rows.push(
        match (
            r.count("orders_placed"),
            r.count("order_updates"),
            r.count("orders_lost"),
        ) {
            (Some(placed), Some(received), Some(lost)) if placed > 0 => {
                let mut value = format!("{lost} of {placed} orders ({received} updates received)");
                let mut row = Row::measured(
                    orders,
                    String::new(),
                    "0",
                    None,
                    lost as f64,
                    Goal::AtMost(0.0),
                );
                if r.text("pass") == Some("false") {
                    value.push_str("; the order stream reported an error (pass=false)");
                    row.status = Status::Unmet;
                }
                row.value = value;
                row
            }
            (Some(0), ..) => Row::failed(orders, "no order was placed (orders_placed=0)"),
            _ => Row::failed(
                orders,
                lacking("soak", "orders_placed, order_updates or orders_lost"),
            ),
        },
    );
    let memory = soak_figure(secs, "resident memory");
    rows.push(
        match (
            r.count("rss_start_kib"),
            r.count("rss_max_kib"),
            r.count("rss_end_kib"),
        ) {
            (Some(start), Some(max), Some(end)) if start > 0 => {
                let growth = max.saturating_sub(start);
                Row::measured(
                    memory,
                    format!(
                        "start {}, max {} (+{}), end {}",
                        mib(start),
                        mib(max),
                        mib(growth),
                        mib(end)
                    ),
                    format!("bounded: max ≤ start + {}", mib(RSS_GROWTH_BOUND_KIB)),
                    Some(growth as f64 / RSS_GROWTH_BOUND_KIB as f64),
                    growth as f64,
                    Goal::AtMost(RSS_GROWTH_BOUND_KIB as f64),
                )
            }
            (Some(0), ..) => Row::failed(
                memory,
                "no resident memory figure (rss_start_kib=0: no /proc/self/statm)",
            ),
            _ => Row::failed(
                memory,
                lacking("soak", "rss_start_kib, rss_max_kib or rss_end_kib"),
            ),
        },
    );
    if let (Some(frames), Some(rate)) = (r.count("frames"), r.text("frames_per_s")) {
        let seen = r.count("quotes_seen").unwrap_or_default();
        let coalesced = r.count("coalesced").unwrap_or_default();
        rows.push(Row::measured(
            soak_figure(secs, "market data"),
            format!(
                "{frames} frames ({rate}/s); {seen} quotes seen by a consumer looking every 100 ms, {coalesced} coalesced"
            ),
            "",
            None,
            frames as f64,
            Goal::None,
        ));
    }
    rows
}

/// KiB as MiB with one decimal.
fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::table::{render_table, tally};

    /// The stream bench's output as it prints it (a 60 s run).
    const STREAM_OUTPUT: &str = "\
decode: 20000 frames (1873412 bytes) x 20: merged quote 612 ns/frame, serde_json::Value 1490 ns/frame, speedup 2.43x
RESULT stream.decode typed_ns_per_frame=612.4 value_ns_per_frame=1490.2 speedup=2.433 goal=1.0 pass=true
latency: 50000 updates over 10 s (100 conids x 50/s): p50 85.3 us, p99 412.9 us, max 2210.0 us, 0 coalesced
RESULT stream.latency updates=50000 coalesced=0 p50_us=85.3 p99_us=412.9 max_us=2210.0
soak: 60 s, 300000 frames from the mock (5000/s); 59000 quotes seen by a consumer looking every 100 ms, 241000 coalesced; orders placed 600, updates received 600, lost 0; RSS 14000 KiB at start, max 15000 KiB, 14800 KiB at the end
RESULT stream.soak secs=60 frames=300000 frames_per_s=5000 quotes_seen=59000 coalesced=241000 orders_placed=600 order_updates=600 orders_lost=0 rss_start_kib=14000 rss_max_kib=15000 rss_end_kib=14800 pass=true
";

    fn rows_of(text: &str) -> Vec<Row> {
        stream_rows(&parse_records(text))
    }

    /// `STREAM_OUTPUT` with `from` replaced by `to` in its `RESULT` lines.
    fn edited(from: &str, to: &str) -> Vec<Row> {
        assert!(STREAM_OUTPUT.contains(from), "{from}");
        rows_of(&STREAM_OUTPUT.replace(from, to))
    }

    #[test]
    fn stream_rows_apply_the_goals() {
        let rows = rows_of(STREAM_OUTPUT);
        let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Met,  // decode speedup
                Status::Info, // latency p50
                Status::Info, // latency p99
                Status::Info, // latency max
                Status::Met,  // no order lost
                Status::Met,  // memory bounded
                Status::Info, // market data
            ]
        );
        assert_eq!(rows[0].ratio, Some(2.433));
        assert_eq!(
            rows[0].value,
            "merged quote 612 ns/frame, Value 1490 ns/frame (2.43×)"
        );
        assert_eq!(rows[1].value, "85.3 µs (50000 updates, 0 coalesced)");
        assert_eq!(rows[3].value, "2.21 ms (50000 updates, 0 coalesced)");
        assert_eq!(rows[4].value, "0 of 600 orders (600 updates received)");
        assert_eq!(
            rows[5].value,
            "start 13.7 MiB, max 14.6 MiB (+1.0 MiB), end 14.5 MiB"
        );
        assert_eq!(rows[5].ratio, Some(1000.0 / 16384.0));
        let table = render_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[2],
            "| stream, decode `smd` frames: merged quote vs `serde_json::Value` (speedup) \
             | merged quote 612 ns/frame, Value 1490 ns/frame (2.43×) \
             | ≥ 1.0× (Value time / merged quote time) | 2.433 | met |"
        );
        assert_eq!(
            lines[6],
            "| stream, soak 60 s (100 conids × 50/s, an order every 100 ms): order events lost \
             | 0 of 600 orders (600 updates received) | 0 |  | met |"
        );
        assert_eq!(
            lines[7],
            "| stream, soak 60 s (100 conids × 50/s, an order every 100 ms): resident memory \
             | start 13.7 MiB, max 14.6 MiB (+1.0 MiB), end 14.5 MiB \
             | bounded: max ≤ start + 16.0 MiB | 0.061 | met |"
        );
        assert_eq!(tally(&rows), (3, 0, 0));
    }

    #[test]
    fn slow_decoding_lost_orders_and_growth_are_unmet() {
        let rows = edited("speedup=2.433", "speedup=0.990");
        assert_eq!((rows[0].status, rows[0].ratio), (Status::Unmet, Some(0.99)));
        // Without `speedup` it is computed from the two times.
        let rows = edited("speedup=2.433 ", "");
        assert_eq!(rows[0].ratio, Some(1490.2 / 612.4));
        let rows = edited(
            "order_updates=600 orders_lost=0",
            "order_updates=598 orders_lost=2",
        );
        assert_eq!(rows[4].status, Status::Unmet);
        assert_eq!(rows[4].value, "2 of 600 orders (598 updates received)");
        // An error on the order stream fails the soak even with none lost.
        let rows = edited(
            "rss_end_kib=14800 pass=true",
            "rss_end_kib=14800 pass=false",
        );
        assert_eq!(rows[4].status, Status::Unmet);
        assert!(rows[4].value.ends_with("reported an error (pass=false)"));
        // The bound itself is met; one KiB more is not.
        let rows = edited("rss_max_kib=15000", "rss_max_kib=30384");
        assert_eq!((rows[5].status, rows[5].ratio), (Status::Met, Some(1.0)));
        let rows = edited("rss_max_kib=15000", "rss_max_kib=30385");
        assert_eq!(rows[5].status, Status::Unmet);
        assert_eq!(tally(&rows), (2, 1, 0));
    }

    #[test]
    fn missing_stream_lines_are_failed_rows() {
        let rows = rows_of("decode: nothing\n");
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| r.status == Status::Failed), "{rows:#?}");
        assert_eq!(
            rows[0].value,
            "no `RESULT stream.decode` line in the bench's output"
        );
        assert_eq!(
            rows[4].value,
            "no `RESULT stream.soak` line in the bench's output"
        );
        assert_eq!(tally(&rows), (0, 0, 5));
        // Only the soak missing (e.g. the bench died in it).
        let text: String = STREAM_OUTPUT
            .lines()
            .filter(|l| !l.contains("stream.soak"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(tally(&rows_of(&text)), (1, 0, 2));
    }

    #[test]
    fn stream_lines_lacking_figures_are_failed_rows() {
        let rows = edited("typed_ns_per_frame=612.4", "typed_ns_per_frame=x");
        assert_eq!(rows[0].status, Status::Failed);
        let rows = edited("updates=50000 coalesced=0", "updates=0 coalesced=0");
        assert_eq!(
            (rows[1].status, rows[2].status),
            (Status::Failed, Status::Failed)
        );
        assert_eq!(rows[1].value, "no update reached the consumer (updates=0)");
        let rows = edited(" p99_us=412.9", "");
        assert_eq!(rows[2].status, Status::Failed);
        assert_eq!(rows[2].value, "`RESULT stream.latency` lacks p99_us");
        let rows = edited("orders_placed=600", "orders_placed=0");
        let orders = rows
            .iter()
            .find(|r| r.figure.ends_with("order events lost"));
        assert_eq!(orders.map(|r| r.status), Some(Status::Failed));
        let rows = edited("rss_start_kib=14000", "rss_start_kib=0");
        let memory = rows.iter().find(|r| r.figure.ends_with("resident memory"));
        assert_eq!(memory.map(|r| r.status), Some(Status::Failed));
        let rows = edited(" rss_end_kib=14800", "");
        let memory = rows.iter().find(|r| r.figure.ends_with("resident memory"));
        assert_eq!(memory.map(|r| r.status), Some(Status::Failed));
    }

    #[test]
    fn the_soak_is_60_s_or_10_s_with_quick() {
        assert_eq!(STREAM.env(false), [("IBKR_BENCH_STREAM_SECS", "60")]);
        assert_eq!(STREAM.env(true), [("IBKR_BENCH_STREAM_SECS", "10")]);
        assert_eq!(STREAM.features, ["testing"]);
    }
}
