//! 4. Pacing efficiency (`benches/pacing.rs`).

use super::parse::{Record, parse_records};
use super::process::Bench;
use super::table::{Goal, Row};

/// A pacing workload's title in the table, from its summary's fields.
type Title = fn(&Record) -> Option<String>;

/// The workloads of `benches/pacing.rs`, in its order (workload 1, 2): the
/// name in `RESULT pacing.<name>.summary` and the title of its table rows.
const PACING_WORKLOADS: [(&str, Title); 2] = [
    ("snapshots", |r| {
        Some(format!(
            "{} snapshot calls, {} concurrent tasks",
            r.text("requested")?,
            r.text("tasks")?
        ))
    }),
    ("mixed", |r| {
        Some(format!(
            "mixed, {} endpoints x {} tasks, {} s",
            r.text("endpoints")?,
            r.text("tasks_per_endpoint")?,
            r.text("secs")?
        ))
    }),
];

/// One rate figure of `benches/pacing.rs`.
#[derive(Debug, Clone, PartialEq)]
pub struct PacingFigure {
    /// The workload's name in the `RESULT` line (`snapshots`, `mixed`).
    pub workload: String,
    /// The table's label: `workload N: <title>` for a summary,
    /// `workload N: <path>` for an endpoint.
    pub label: String,
    /// Achieved requests per second.
    pub achieved: f64,
    /// Allowed requests per second.
    pub allowed: f64,
    /// Achieved / allowed.
    pub ratio: f64,
    /// 429s: those the mock answered during the workload (a summary), or
    /// those the endpoint's callers got after the facade's retries.
    pub too_many: u64,
    /// A workload summary (true) or one endpoint of a workload (false).
    pub summary: bool,
}

/// The pacing bench's figures, from its `RESULT pacing.<workload>.summary`
/// (`achieved`, `allowed`, `mock_429`) and `RESULT pacing.<workload>.endpoint`
/// (`path`, `achieved`, `allowed`, `client_429`) lines, in the order printed;
/// `ratio` is computed when a line lacks it. A line lacking any other of
/// these is left out (a missing summary becomes a failed row in
/// [`pacing_rows`]); so is an endpoint under the global limit only
/// (`limit=global`, no `allowed`): it has no rate of its own to compare.
pub fn parse_pacing(output: &str) -> Vec<PacingFigure> {
    parse_records(output)
        .iter()
        .filter_map(pacing_figure)
        .collect()
}

fn pacing_figure(r: &Record) -> Option<PacingFigure> {
    let (workload, kind) = r.name.strip_prefix("pacing.")?.rsplit_once('.')?;
    let known = PACING_WORKLOADS.iter().position(|(w, _)| *w == workload);
    let prefix = known.map_or_else(|| workload.to_string(), |i| format!("workload {}", i + 1));
    let (label, too_many, summary) = match kind {
        "summary" => {
            let title = known.and_then(|i| (PACING_WORKLOADS[i].1)(r));
            let label = title.map_or_else(|| prefix.clone(), |t| format!("{prefix}: {t}"));
            (label, r.count("mock_429")?, true)
        }
        "endpoint" => (
            format!("{prefix}: {}", r.text("path")?),
            r.count("client_429")?,
            false,
        ),
        _ => return None,
    };
    let (achieved, allowed) = (r.number("achieved")?, r.number("allowed")?);
    Some(PacingFigure {
        workload: workload.to_string(),
        label,
        achieved,
        allowed,
        ratio: r.number("ratio").unwrap_or(achieved / allowed),
        too_many,
        summary,
    })
}

/// The pacing goal: at least this share of the allowed rate, and no 429.
const PACING_GOAL: f64 = 0.95;

/// Table rows of the pacing bench's figures: the goal applies to each
/// workload's summary; per-endpoint figures are information (under the
/// global limit an endpoint cannot reach its own limit). A workload of
/// [`PACING_WORKLOADS`] without a summary is a failed row, not a silent gap.
pub fn pacing_rows(figures: &[PacingFigure]) -> Vec<Row> {
    let mut rows = Vec::new();
    for f in figures {
        let value = format!(
            "{:.2}/s of {}/s ({:.1} %), {} × 429",
            f.achieved,
            f.allowed,
            f.ratio * 100.0,
            f.too_many
        );
        let (figure, reference, goal) = if f.summary {
            (
                format!("pacing, {}: achieved / allowed rate", f.label),
                "≥ 95 % of the allowed rate",
                Goal::AtLeast(PACING_GOAL),
            )
        } else {
            (format!("pacing, {}", f.label), "allowed rate", Goal::None)
        };
        rows.push(Row::measured(
            figure,
            value,
            reference,
            Some(f.ratio),
            f.ratio,
            goal,
        ));
        if f.summary {
            rows.push(Row::measured(
                format!("pacing, {}: 429 answers", f.label),
                f.too_many.to_string(),
                "0",
                None,
                f.too_many as f64,
                Goal::AtMost(0.0),
            ));
        }
    }
    for (i, (workload, _)) in PACING_WORKLOADS.iter().enumerate() {
        if !figures.iter().any(|f| f.summary && f.workload == *workload) {
            rows.push(Row::failed(
                format!("pacing, workload {}: achieved / allowed rate", i + 1),
                format!("no `RESULT pacing.{workload}.summary` line in the bench's output"),
            ));
        }
    }
    rows
}

pub(super) const PACING: Bench = Bench {
    name: "pacing",
    features: &[],
    env: &[],
    quick_env: &[
        ("IBKR_BENCH_SNAPSHOTS", "150"),
        ("IBKR_BENCH_MIXED_SECS", "10"),
    ],
    rows: |output| pacing_rows(&parse_pacing(output)),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::table::{Status, render_table};

    /// The pacing bench's output as it prints it: the readable text, then
    /// the `RESULT` lines of each workload.
    const PACING_OUTPUT: &str = "\
# pacing benchmark against a loopback mock enforcing the Gateway's limits (http://127.0.0.1:4/v1/api)
## workload 1: 1000 snapshot calls, 20 concurrent tasks
completed 1000 calls in 100.9 s; achieved 9.98/s (steady state) vs allowed 10/s = 99.8%; overall 9.91/s; 429 answers: 0 (client saw 0)
RESULT pacing.snapshots.summary requested=1000 tasks=20 calls=1000 elapsed_s=100.912 achieved=9.9800 allowed=10 ratio=0.9980 overall=9.9096 mock_429=0 client_429=0
## workload 2: mixed, 10 endpoints x 2 tasks, 40 s
endpoint                              calls achieved/s  allowed/s   ratio   429
/iserver/marketdata/snapshot            210       5.25       10.0     53%     0
/iserver/account/orders                   8       0.18        0.2     91%     0
/iserver/scanner/run                     40       1.00        1.0    100%     2
/iserver/accounts                        90       2.25     global       -     0
all endpoints: 398 calls, 9.95/s vs global limit 10/s = 99.5%; 429 answers: 2
RESULT pacing.mixed.endpoint path=/iserver/marketdata/snapshot calls=210 achieved=5.2500 allowed=10 ratio=0.5250 client_429=0
RESULT pacing.mixed.endpoint path=/iserver/account/orders calls=8 achieved=0.1820 allowed=0.2 ratio=0.9100 client_429=0
RESULT pacing.mixed.endpoint path=/iserver/scanner/run calls=40 achieved=1.0000 allowed=1 ratio=1.0000 client_429=2
RESULT pacing.mixed.endpoint path=/iserver/accounts calls=90 achieved=2.2500 limit=global client_429=0
RESULT pacing.mixed.summary endpoints=10 tasks_per_endpoint=2 secs=40 calls=398 elapsed_s=40.004 achieved=9.9500 allowed=10 ratio=0.9950 mock_429=2 client_429=2
";

    #[test]
    fn pacing_result_lines_are_parsed() {
        let f = parse_pacing(PACING_OUTPUT);
        // The endpoint under the global limit only has no figure.
        assert_eq!(f.len(), 5, "{f:#?}");
        assert_eq!(
            f[0].label,
            "workload 1: 1000 snapshot calls, 20 concurrent tasks"
        );
        assert_eq!(f[0].workload, "snapshots");
        assert!(f[0].summary);
        assert_eq!((f[0].achieved, f[0].allowed), (9.98, 10.0));
        assert_eq!((f[0].ratio, f[0].too_many), (0.998, 0));
        assert_eq!(f[1].label, "workload 2: /iserver/marketdata/snapshot");
        assert!(!f[1].summary);
        assert_eq!((f[2].allowed, f[2].ratio), (0.2, 0.91));
        assert_eq!(f[3].too_many, 2);
        assert_eq!(
            f[4].label,
            "workload 2: mixed, 10 endpoints x 2 tasks, 40 s"
        );
        assert!(f[4].summary);
        assert_eq!((f[4].achieved, f[4].allowed), (9.95, 10.0));
        // A summary counts the mock's 429 answers.
        assert_eq!(f[4].too_many, 2);
        // The readable text alone gives nothing.
        let text: String = PACING_OUTPUT
            .lines()
            .filter(|l| !l.starts_with("RESULT"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(parse_pacing(&text).is_empty());
    }

    #[test]
    fn pacing_lines_lacking_a_figure_are_left_out() {
        let out = "\
RESULT pacing.snapshots.summary achieved=9.7 allowed=10 ratio=0.97
RESULT pacing.snapshots.summary achieved=x allowed=10 ratio=0.97 mock_429=0
RESULT pacing.mixed.endpoint achieved=1 allowed=1 ratio=1 client_429=0
RESULT pacing.mixed.endpoint path=/tickle achieved=1 allowed=1 ratio=1 client_429=-1
RESULT pacing.mixed.other path=/tickle achieved=1 allowed=1 ratio=1 client_429=0
RESULT pacing.summary achieved=1 allowed=1 ratio=1 mock_429=0
RESULT overhead.auth_status.median_us facade=1 raw=1 ratio=1
RESULT pacing.burst.summary achieved=4.5 allowed=5 mock_429=1
RESULT pacing.snapshots.summary requested=7 achieved=9.7 allowed=10 ratio=0.97 mock_429=0
";
        let f = parse_pacing(out);
        assert_eq!(f.len(), 2, "{f:#?}");
        // A workload the xtask does not know is labelled by its name; a
        // missing ratio is computed.
        assert_eq!((f[0].label.as_str(), f[0].ratio), ("burst", 0.9));
        // A known workload whose title fields are missing keeps its number.
        assert_eq!(f[1].label, "workload 1");
        assert!(parse_pacing("nothing here\n").is_empty());
    }

    #[test]
    fn pacing_rows_apply_the_goal_to_summaries_only() {
        let rows = pacing_rows(&parse_pacing(PACING_OUTPUT));
        let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Met,   // workload 1 rate
                Status::Met,   // workload 1: no 429
                Status::Info,  // snapshot endpoint in the mix
                Status::Info,  // live orders endpoint
                Status::Info,  // scanner endpoint
                Status::Met,   // workload 2 rate
                Status::Unmet, // workload 2: two 429s
            ]
        );
        let table = render_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[2],
            "| pacing, workload 1: 1000 snapshot calls, 20 concurrent tasks: achieved / allowed rate \
             | 9.98/s of 10/s (99.8 %), 0 × 429 | ≥ 95 % of the allowed rate | 0.998 | met |"
        );
        assert_eq!(
            lines[3],
            "| pacing, workload 1: 1000 snapshot calls, 20 concurrent tasks: 429 answers | 0 | 0 |  | met |"
        );
        assert_eq!(
            lines[5],
            "| pacing, workload 2: /iserver/account/orders | 0.18/s of 0.2/s (91.0 %), 0 × 429 | allowed rate | 0.910 | info |"
        );
        assert_eq!(
            lines[8],
            "| pacing, workload 2: mixed, 10 endpoints x 2 tasks, 40 s: 429 answers | 2 | 0 |  | **UNMET** |"
        );
    }

    #[test]
    fn a_missing_pacing_summary_is_a_failed_row() {
        let rows = pacing_rows(&[]);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.status == Status::Failed));
        assert_eq!(
            rows[1].value,
            "no `RESULT pacing.mixed.summary` line in the bench's output"
        );
        let only_mixed: String = PACING_OUTPUT
            .lines()
            .filter(|l| !l.contains("pacing.snapshots"))
            .map(|l| format!("{l}\n"))
            .collect();
        let rows = pacing_rows(&parse_pacing(&only_mixed));
        let failed: Vec<&str> = rows
            .iter()
            .filter(|r| r.status == Status::Failed)
            .map(|r| r.figure.as_str())
            .collect();
        assert_eq!(failed, ["pacing, workload 1: achieved / allowed rate"]);
    }
}
