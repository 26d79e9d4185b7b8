//! 3. The facade's per-call overhead (`benches/overhead.rs`), run
//!    [`OVERHEAD_RUNS`] times (once under `--quick`): a goal is met when it
//!    holds in at least [`MET_IN`] of the runs, and the table shows every
//!    run's figure, so the spread is visible.

use std::path::Path;

use super::parse::{ResultLine, parse_result_lines};
use super::process::{Bench, run_bench};
use super::table::{Goal, Row, Status, count, median, micros};

/// The overhead goals: median facade/raw latency ratio per case.
const OVERHEAD_CASES: [(&str, &str, f64); 3] = [
    ("auth_status", "auth status (tiny)", 1.03),
    ("positions", "5,000-position portfolio page", 1.05),
    ("contracts", "50,000-row contract list", 1.05),
];

/// Runs of the overhead bench in a full run.
pub const OVERHEAD_RUNS: usize = 5;

/// The share of the runs a goal must hold in: 4 of 5.
pub const MET_IN: (usize, usize) = (4, 5);

/// Formats a figure for the table.
type Format = fn(f64) -> String;

/// The runs a goal must hold in, out of `runs`: 4 of 5, and every run of
/// one or two.
fn needed(runs: usize) -> usize {
    (runs * MET_IN.0).div_ceil(MET_IN.1)
}

/// Every run's figure, then the median: `1.012 / 1.020 / 1.031 (median 1.020)`.
fn spread(values: &[f64]) -> String {
    let each: Vec<String> = values.iter().map(|v| format!("{v:.3}")).collect();
    if values.len() == 1 {
        return each[0].clone();
    }
    format!("{} (median {:.3})", each.join(" / "), median(values))
}

/// Table rows of the overhead bench's `RESULT` lines, one list per run.
pub fn overhead_rows(runs: &[Vec<ResultLine>]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (case, title, goal) in OVERHEAD_CASES {
        let find = |metric: &str| -> Vec<&ResultLine> {
            let name = format!("overhead.{case}.{metric}");
            runs.iter()
                .filter_map(|run| run.iter().find(|r| r.name == name))
                .collect()
        };
        let medians = find("median_us");
        let figure = format!("overhead, {title}: median latency");
        if medians.len() < runs.len() || runs.is_empty() {
            rows.push(Row::failed(
                figure,
                format!(
                    "no `RESULT overhead.{case}.median_us` line in {} of {} runs",
                    runs.len() - medians.len(),
                    runs.len()
                ),
            ));
            continue;
        }
        let ratios: Vec<f64> = medians.iter().map(|r| r.ratio).collect();
        let met = ratios.iter().filter(|r| **r <= goal).count();
        let need = needed(ratios.len());
        let mid = medians[medians.len() / 2];
        let mut row = Row::measured(
            figure,
            format!(
                "ratios {}; facade {} / raw {} (run {})",
                spread(&ratios),
                micros(mid.facade),
                micros(mid.raw),
                medians.len() / 2 + 1
            ),
            format!(
                "facade/raw ≤ {goal:.2} in ≥ {need} of {} runs",
                ratios.len()
            ),
            Some(median(&ratios)),
            0.0,
            Goal::None,
        );
        row.status = if met >= need {
            Status::Met
        } else {
            Status::Unmet
        };
        rows.push(row);
        let allocs = find("allocs_per_call");
        if !allocs.is_empty() {
            let ratios: Vec<f64> = allocs.iter().map(|r| r.ratio).collect();
            let met = ratios.iter().filter(|r| **r <= 1.0).count();
            let mid = allocs[allocs.len() / 2];
            let mut row = Row::measured(
                format!("overhead, {title}: allocations per call"),
                format!(
                    "facade {} / raw {}; ratios {}",
                    count(mid.facade),
                    count(mid.raw),
                    spread(&ratios)
                ),
                format!(
                    "equal or fewer than raw in ≥ {} of {} runs",
                    needed(ratios.len()),
                    ratios.len()
                ),
                Some(median(&ratios)),
                0.0,
                Goal::None,
            );
            row.status = if met >= needed(ratios.len()) {
                Status::Met
            } else {
                Status::Unmet
            };
            rows.push(row);
        }
        let info: [(&str, &str, Format); 2] = [
            ("p99_us", "p99 latency", micros),
            ("bytes_per_call", "bytes allocated per call", count),
        ];
        for (metric, what, format) in info {
            let lines = find(metric);
            if lines.is_empty() {
                continue;
            }
            let ratios: Vec<f64> = lines.iter().map(|r| r.ratio).collect();
            let mid = lines[lines.len() / 2];
            rows.push(Row::measured(
                format!("overhead, {title}: {what}"),
                format!(
                    "facade {} / raw {}; ratios {}",
                    format(mid.facade),
                    format(mid.raw),
                    spread(&ratios)
                ),
                "raw call",
                Some(median(&ratios)),
                0.0,
                Goal::None,
            ));
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
    rows: |output| overhead_rows(&[parse_result_lines(output)]),
};

/// Runs the overhead bench [`OVERHEAD_RUNS`] times (once under `quick`);
/// a run that fails is a failed row, and the others still count.
pub(super) fn overhead_section(root: &Path, quick: bool) -> Vec<Row> {
    let runs = if quick { 1 } else { OVERHEAD_RUNS };
    let mut outputs = Vec::new();
    let mut rows = Vec::new();
    for run in 1..=runs {
        eprintln!("bench: overhead run {run} of {runs}");
        match run_bench(root, OVERHEAD.name, OVERHEAD.features, OVERHEAD.env(quick)) {
            Ok(output) => outputs.push(parse_result_lines(&output)),
            Err(reason) => rows.push(Row::failed(
                format!("overhead bench, run {run} of {runs}"),
                reason,
            )),
        }
    }
    if !outputs.is_empty() {
        rows.splice(0..0, overhead_rows(&outputs));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, facade: f64, raw: f64) -> ResultLine {
        ResultLine {
            name: name.into(),
            facade,
            raw,
            ratio: facade / raw,
            unit: "us".into(),
        }
    }

    #[test]
    fn overhead_rows_apply_the_goals_per_case() {
        let results = vec![
            line("overhead.auth_status.median_us", 102.0, 100.0),
            line("overhead.auth_status.p99_us", 300.0, 100.0),
            line("overhead.positions.median_us", 12_000.0, 10_000.0),
            line("overhead.positions.allocs_per_call", 200_000.0, 100_000.0),
        ];
        let rows = overhead_rows(&[results]);
        let find = |s: &str| rows.iter().find(|r| r.figure.contains(s)).unwrap();
        assert_eq!(find("auth status (tiny): median").status, Status::Met);
        assert_eq!(find("auth status (tiny): p99").status, Status::Info);
        let positions = find("portfolio page: median");
        assert_eq!(positions.status, Status::Unmet);
        assert_eq!(
            positions.value,
            "ratios 1.200; facade 12.0 ms / raw 10.0 ms (run 1)"
        );
        let allocs = find("allocations per call");
        assert_eq!(allocs.status, Status::Unmet);
        assert!(allocs.value.starts_with("facade 200.0 k / raw 100.0 k"));
        // The contracts case printed nothing: a failed row, not a silent gap.
        assert_eq!(find("contract list: median").status, Status::Failed);
    }

    #[test]
    fn a_goal_holds_in_four_of_five_runs() {
        assert_eq!([1, 2, 3, 4, 5].map(needed), [1, 2, 3, 4, 4]);
        let runs = |ratios: &[f64]| -> Vec<Vec<ResultLine>> {
            ratios
                .iter()
                .map(|r| {
                    OVERHEAD_CASES
                        .iter()
                        .flat_map(|(case, _, _)| {
                            [
                                line(&format!("overhead.{case}.median_us"), 100.0 * r, 100.0),
                                line(&format!("overhead.{case}.allocs_per_call"), 60.0, 60.0),
                            ]
                        })
                        .collect()
                })
                .collect()
        };
        let tiny = |rows: &[Row]| {
            rows.iter()
                .find(|r| r.figure.contains("tiny): median"))
                .cloned()
        };
        let rows = overhead_rows(&runs(&[1.01, 1.02, 1.09, 1.00, 1.03]));
        let row = tiny(&rows).unwrap();
        assert_eq!(row.status, Status::Met, "{row:?}");
        assert_eq!(
            row.value,
            "ratios 1.010 / 1.020 / 1.090 / 1.000 / 1.030 (median 1.020); facade 109.0 µs / raw 100.0 µs (run 3)"
        );
        assert_eq!(row.reference, "facade/raw ≤ 1.03 in ≥ 4 of 5 runs");
        let rows = overhead_rows(&runs(&[1.01, 1.04, 1.09, 1.00, 1.03]));
        assert_eq!(tiny(&rows).unwrap().status, Status::Unmet);
        // Equal allocations meet the allocation goal.
        let allocs = rows
            .iter()
            .find(|r| r.figure.contains("tiny): allocations"))
            .unwrap();
        assert_eq!(allocs.status, Status::Met);
        // A run without the line is a failed row.
        let mut partial = runs(&[1.0, 1.0]);
        partial[1].clear();
        assert_eq!(
            tiny(&overhead_rows(&partial)).unwrap().status,
            Status::Failed
        );
    }
}
