//! 3. The facade's per-call overhead (`benches/overhead.rs`).

use super::parse::{ResultLine, parse_result_lines};
use super::process::Bench;
use super::table::{Goal, Row, count, micros};

/// The overhead goals: median facade/raw latency ratio per case.
const OVERHEAD_CASES: [(&str, &str, f64); 3] = [
    ("auth_status", "auth status (tiny)", 1.05),
    ("positions", "5,000-position portfolio page", 1.10),
    ("contracts", "50,000-row contract list", 1.10),
];

/// Formats a figure for the table.
type Format = fn(f64) -> String;

/// Table rows of the overhead bench's `RESULT` lines.
pub fn overhead_rows(results: &[ResultLine]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (case, title, goal) in OVERHEAD_CASES {
        let find = |metric: &str| {
            let name = format!("overhead.{case}.{metric}");
            results.iter().find(|r| r.name == name)
        };
        match find("median_us") {
            Some(r) => rows.push(Row::measured(
                format!("overhead, {title}: median latency"),
                format!("facade {} / raw {}", micros(r.facade), micros(r.raw)),
                format!("facade/raw ≤ {goal:.2}"),
                Some(r.ratio),
                r.ratio,
                Goal::AtMost(goal),
            )),
            None => rows.push(Row::failed(
                format!("overhead, {title}: median latency"),
                "no RESULT line in the bench's output",
            )),
        }
        let info: [(&str, &str, Format); 3] = [
            ("p99_us", "p99 latency", micros),
            ("allocs_per_call", "allocations per call", count),
            ("bytes_per_call", "bytes allocated per call", count),
        ];
        for (metric, what, format) in info {
            if let Some(r) = find(metric) {
                rows.push(Row::measured(
                    format!("overhead, {title}: {what}"),
                    format!("facade {} / raw {}", format(r.facade), format(r.raw)),
                    "raw call",
                    Some(r.ratio),
                    r.ratio,
                    Goal::None,
                ));
            }
        }
    }
    rows
}

pub(super) const OVERHEAD: Bench = Bench {
    name: "overhead",
    features: &[],
    env: &[],
    quick_env: &[
        ("IBKR_BENCH_TINY_ITERS", "500"),
        ("IBKR_BENCH_POSITIONS_ITERS", "30"),
        ("IBKR_BENCH_CONTRACTS_ITERS", "6"),
    ],
    rows: |output| overhead_rows(&parse_result_lines(output)),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::table::Status;

    #[test]
    fn overhead_rows_apply_the_goals_per_case() {
        let line = |name: &str, facade: f64, raw: f64| ResultLine {
            name: name.into(),
            facade,
            raw,
            ratio: facade / raw,
            unit: "us".into(),
        };
        let results = vec![
            line("overhead.auth_status.median_us", 104.0, 100.0),
            line("overhead.auth_status.p99_us", 300.0, 100.0),
            line("overhead.positions.median_us", 12_000.0, 10_000.0),
            line("overhead.positions.allocs_per_call", 200_000.0, 100_000.0),
        ];
        let rows = overhead_rows(&results);
        let find = |s: &str| rows.iter().find(|r| r.figure.contains(s)).unwrap();
        assert_eq!(find("auth status (tiny): median").status, Status::Met);
        assert_eq!(find("auth status (tiny): p99").status, Status::Info);
        let positions = find("portfolio page: median");
        assert_eq!(positions.status, Status::Unmet);
        assert_eq!(positions.value, "facade 12.0 ms / raw 10.0 ms");
        assert_eq!(
            find("allocations per call").value,
            "facade 200.0 k / raw 100.0 k"
        );
        // The contracts case printed nothing: a failed row, not a silent gap.
        assert_eq!(find("contract list: median").status, Status::Failed);
    }
}
