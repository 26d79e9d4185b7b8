//! `cargo xtask bench`: every benchmark figure of the project in one run,
//! each printed with its reference (or goal) and the ratio to it.
//!
//! 1. Code generation: `xtask import` of both vendored upstream specs plus
//!    `xtask generate`, in a scratch copy of `openapi/` (the committed files
//!    are never touched), and `xtask generate --check` in the workspace; the
//!    median of a few runs of this (release) binary.
//! 2. Builds: cold and crate-only debug builds of `ibkr-api` per feature and
//!    of the facade, and incremental rebuilds after touching one file, all in
//!    a scratch copy of the workspace with its own target directory
//!    (`target/bench-build/`; the shared `target/` is never cleaned).
//!    Then side by side with the closest peer, `bezant-core` from crates.io:
//!    cold builds of a scratch crate depending on it, alternated with cold
//!    builds of scratch crates depending on the facade by path (both
//!    variants, Gateway only, Web API only), each with its own target
//!    directory in a temporary directory, and an incremental rebuild after an
//!    edit of each library (see [`PEER`]). For information, the quickstart
//!    example's cold release build and binary size.
//! 3. The facade's per-call overhead (`benches/overhead.rs`).
//! 4. Pacing efficiency (`benches/pacing.rs`).
//!
//! Nothing here decides whether a goal is met except [`evaluate`]; the
//! parsers of the benches' output and the table are pure and unit-tested.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::error::{Result, XtaskError};
use crate::variant::Variant;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// A shorter run: one repetition, the facade's builds only, fewer
    /// iterations in the benches.
    pub quick: bool,
    /// Repetitions of the code generation and incremental measurements.
    pub runs: usize,
    /// Skip the code generation timings.
    pub skip_codegen: bool,
    /// Skip the build timings (the slowest part); the side-by-side builds
    /// with the peer too.
    pub skip_builds: bool,
    /// Skip the side-by-side builds with the peer (bezant-core).
    pub skip_peer: bool,
    /// Skip the overhead bench.
    pub skip_overhead: bool,
    /// Skip the pacing bench.
    pub skip_pacing: bool,
}

impl Options {
    /// Validates the command line; `runs` is the text given to `--runs`.
    pub fn new(quick: bool, runs: Option<&str>) -> Result<Options> {
        let runs = match runs {
            None => {
                if quick {
                    1
                } else {
                    3
                }
            }
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if (1..=50).contains(&n) => n,
                _ => {
                    return Err(XtaskError::InvalidArgument(format!(
                        "--runs {text:?}: expected a whole number from 1 to 50"
                    )));
                }
            },
        };
        Ok(Options {
            quick,
            runs,
            skip_codegen: false,
            skip_builds: false,
            skip_peer: false,
            skip_overhead: false,
            skip_pacing: false,
        })
    }
}

// ---------------------------------------------------------------------------
// Figures, goals and the table.

/// A bound a figure should respect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// No goal: the figure is information.
    None,
    /// The compared number must be at most this.
    AtMost(f64),
    /// The compared number must be at least this.
    AtLeast(f64),
}

/// How a figure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The goal is met.
    Met,
    /// The goal is not met.
    Unmet,
    /// No goal.
    Info,
    /// Not measured, with a reason in the value column.
    Skipped,
    /// The measurement itself failed.
    Failed,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Unmet => "**UNMET**",
            Status::Info => "info",
            Status::Skipped => "skipped",
            Status::Failed => "**FAILED**",
        }
    }
}

/// Whether `x` meets `goal`.
pub fn evaluate(x: f64, goal: Goal) -> Status {
    match goal {
        Goal::None => Status::Info,
        _ if !x.is_finite() => Status::Unmet,
        Goal::AtMost(bound) if x <= bound => Status::Met,
        Goal::AtLeast(bound) if x >= bound => Status::Met,
        _ => Status::Unmet,
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was measured.
    pub figure: String,
    /// The measured value, formatted (or why it is missing).
    pub value: String,
    /// The reference or goal, formatted.
    pub reference: String,
    /// The value relative to the reference, when there is one.
    pub ratio: Option<f64>,
    /// How it stands.
    pub status: Status,
}

impl Row {
    /// A measured figure; `compared` is what `goal` applies to.
    fn measured(
        figure: impl Into<String>,
        value: impl Into<String>,
        reference: impl Into<String>,
        ratio: Option<f64>,
        compared: f64,
        goal: Goal,
    ) -> Row {
        Row {
            figure: figure.into(),
            value: value.into(),
            reference: reference.into(),
            ratio,
            status: evaluate(compared, goal),
        }
    }

    /// A duration against a time limit (`goal`) or a plain reference.
    fn seconds(figure: impl Into<String>, secs: f64, reference: Reference) -> Row {
        let (text, ratio, goal) = match reference {
            Reference::None => (String::new(), None, Goal::None),
            Reference::Below(limit, text) => (text, Some(secs / limit), Goal::AtMost(limit)),
            Reference::Compare(base, text) => (text, Some(secs / base), Goal::None),
        };
        Row::measured(figure, format_secs(secs), text, ratio, secs, goal)
    }

    fn skipped(figure: impl Into<String>, reason: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: reason.into(),
            reference: String::new(),
            ratio: None,
            status: Status::Skipped,
        }
    }

    fn failed(figure: impl Into<String>, reason: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: reason.into(),
            reference: String::new(),
            ratio: None,
            status: Status::Failed,
        }
    }
}

/// What a duration is compared with.
enum Reference {
    None,
    /// A goal: at most this many seconds.
    Below(f64, String),
    /// A reference to compare with, not a goal.
    Compare(f64, String),
}

fn format_secs(secs: f64) -> String {
    if secs < 10.0 {
        format!("{secs:.2} s")
    } else {
        format!("{secs:.1} s")
    }
}

/// A Markdown table of `rows`.
pub fn render_table(rows: &[Row]) -> String {
    let mut out = String::from("| figure | value | reference / goal | ratio | status |\n");
    out.push_str("|---|---|---|---:|---|\n");
    for r in rows {
        let ratio = r.ratio.map(|x| format!("{x:.3}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&r.figure),
            cell(&r.value),
            cell(&r.reference),
            ratio,
            r.status.word()
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `met`, `unmet` and `failed` counts.
pub fn tally(rows: &[Row]) -> (usize, usize, usize) {
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    (
        count(Status::Met),
        count(Status::Unmet),
        count(Status::Failed),
    )
}

/// The median of `values` (the mean of the two middle ones for an even
/// count); `NaN` for none.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

// ---------------------------------------------------------------------------
// Parsing the benches' output.

/// One `RESULT <name> key=value ...` line of a bench's output: the figure's
/// name and its fields, in their order (values never contain whitespace).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `overhead.<case>.<metric>`, `pacing.<workload>.summary`, ...
    pub name: String,
    /// The `key=value` words after the name.
    pub fields: Vec<(String, String)>,
}

impl Record {
    /// The value of `key`, when the line has it.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key` as a number, when it is one.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.text(key)?.parse().ok()
    }

    /// The value of `key` as a count, when it is one.
    pub fn count(&self, key: &str) -> Option<u64> {
        self.text(key)?.parse().ok()
    }
}

/// Every `RESULT` line of `output`: the first word `RESULT`, then a name
/// (without `=`), then `key=value` words; other words of such a line and
/// every other line are ignored.
pub fn parse_records(output: &str) -> Vec<Record> {
    output
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            if words.next()? != "RESULT" {
                return None;
            }
            let name = words.next().filter(|n| !n.contains('='))?.to_string();
            let fields = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Some(Record { name, fields })
        })
        .collect()
}

/// One `RESULT overhead.<case>.<metric> facade=x raw=y ratio=r unit=u` line
/// of `benches/overhead.rs`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultLine {
    /// `overhead.<case>.<metric>`.
    pub name: String,
    /// The facade's figure.
    pub facade: f64,
    /// The hand-written call's figure.
    pub raw: f64,
    /// `facade / raw` (computed when the line lacks it).
    pub ratio: f64,
    /// `us`, `count`, `bytes`, or empty.
    pub unit: String,
}

/// Every `RESULT` line in `output` with numbers for `facade` and `raw`.
pub fn parse_result_lines(output: &str) -> Vec<ResultLine> {
    parse_records(output)
        .into_iter()
        .filter_map(|r| {
            let (facade, raw) = (r.number("facade")?, r.number("raw")?);
            Some(ResultLine {
                ratio: r.number("ratio").unwrap_or(facade / raw),
                unit: r.text("unit").unwrap_or_default().to_string(),
                name: r.name,
                facade,
                raw,
            })
        })
        .collect()
}

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

// ---------------------------------------------------------------------------
// Rows from parsed bench output.

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

/// `x` in the first unit whose threshold it reaches, each unit being
/// (threshold, divisor, decimals, suffix); plain otherwise.
fn scaled(x: f64, units: &[(f64, f64, usize, &str)]) -> String {
    let (_, divisor, decimals, suffix) = units
        .iter()
        .find(|(threshold, ..)| x >= *threshold)
        .copied()
        .unwrap_or((0.0, 1.0, 0, ""));
    format!("{:.*}{suffix}", decimals, x / divisor)
}

fn micros(us: f64) -> String {
    scaled(
        us,
        &[
            (1e4, 1e3, 1, " ms"),
            (1e3, 1e3, 2, " ms"),
            (0.0, 1.0, 1, " µs"),
        ],
    )
}

fn count(n: f64) -> String {
    scaled(n, &[(1e6, 1e6, 2, " M"), (1e4, 1e3, 1, " k")])
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

// ---------------------------------------------------------------------------
// The machine.

/// Where and when the figures were taken.
pub struct Machine {
    /// UTC date, `YYYY-MM-DD`.
    pub date: String,
    /// Logical cores.
    pub cores: usize,
    /// Total memory, from /proc/meminfo.
    pub memory: String,
    /// `rustc -V`.
    pub rustc: String,
    /// /proc/loadavg at the start.
    pub load: String,
}

impl Machine {
    fn probe() -> Machine {
        let secs = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| mem_total(&m))
            .map_or_else(
                || "unknown".into(),
                |kib| format!("{:.1} GiB", kib as f64 / 1_048_576.0),
            );
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        Machine {
            date: civil_date(secs),
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory,
            rustc,
            load: load_average(),
        }
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// `MemTotal` in KiB from the text of /proc/meminfo.
pub fn mem_total(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn civil_date(unix_secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (unix_secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

// ---------------------------------------------------------------------------
// Running things.

/// Runs `cmd` to completion with its output captured; the wall time, or a
/// one-line reason it failed.
fn timed(cmd: &mut Command) -> std::result::Result<Duration, String> {
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let elapsed = start.elapsed();
    if out.status.success() {
        Ok(elapsed)
    } else {
        Err(failure_line(&out.stderr, out.status.code()))
    }
}

fn failure_line(stderr: &[u8], code: Option<i32>) -> String {
    let text = String::from_utf8_lossy(stderr);
    let last = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error"))
        .or_else(|| text.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim();
    format!(
        "exit {}: {last}",
        code.map_or_else(|| "signal".into(), |c| c.to_string())
    )
}

/// `cargo`, as cargo itself names it to the xtask.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cargo bench -p ibkr-client --bench NAME` in `root`, echoing its
/// standard output as it comes; the output, or why it failed.
fn run_bench(root: &Path, name: &str, env: &[(&str, &str)]) -> std::result::Result<String, String> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["bench", "-p", "ibkr-client", "--bench", name])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    eprintln!("bench: cargo bench -p ibkr-client --bench {name}");
    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut output = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading the bench's output: {e}"))?;
            println!("    {line}");
            output.push_str(&line);
            output.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    if status.success() {
        Ok(output)
    } else {
        Err(format!(
            "`cargo bench --bench {name}` exited with {}",
            status
                .code()
                .map_or_else(|| "a signal".into(), |c| c.to_string())
        ))
    }
}

/// Copies `from` into `to`, leaving out top-level entries named in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target, &[])?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(XtaskError::io(dir, e)),
    }
}

fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| XtaskError::io(path, e))
}

// ---------------------------------------------------------------------------
// 1. Code generation.

/// The upstream file a vendored spec was imported from, under
/// `shared/ibkr-openapi/<variant>/`, named by its lock file's `source`.
pub fn upstream_file(shared: &Path, variant: Variant, lock: &Value) -> Option<PathBuf> {
    let source = lock.get("source")?.as_str()?;
    if source.contains("://") || source.contains('/') {
        return None;
    }
    Some(shared.join(variant.name()).join(source))
}

fn codegen(root: &Path, opts: &Options) -> Result<Vec<Row>> {
    let exe = std::env::current_exe().map_err(|e| XtaskError::io("current executable", e))?;
    let mut rows = Vec::new();
    let build = if cfg!(debug_assertions) {
        "debug build of xtask: run it as `cargo xtask bench` for release figures"
    } else {
        "release xtask"
    };
    eprintln!("bench: code generation ({build}), {} run(s)", opts.runs);

    // Import + generate of both variants, in a scratch copy.
    let shared = root.join("..").join("shared").join("ibkr-openapi");
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for variant in Variant::ALL {
        let lock_path = variant.lock_path(root);
        let text =
            std::fs::read_to_string(&lock_path).map_err(|e| XtaskError::io(&lock_path, e))?;
        let lock: Value = serde_json::from_str(&text).map_err(|e| XtaskError::BadSpec {
            source_name: lock_path.display().to_string(),
            message: e.to_string(),
        })?;
        match upstream_file(&shared, variant, &lock) {
            Some(file) if file.is_file() => sources.push((variant, file)),
            Some(file) => missing.push(format!(
                "../shared/ibkr-openapi/{variant}/{} is absent",
                file.file_name().unwrap_or_default().to_string_lossy()
            )),
            None => missing.push(format!(
                "openapi/{variant}.lock.json names no upstream file"
            )),
        }
    }
    const IMPORT_FIGURE: &str = "import + generate, both variants";
    if !missing.is_empty() {
        let reason = missing.join("; ");
        eprintln!("bench: import skipped: {reason}");
        rows.push(Row::skipped(IMPORT_FIGURE, reason));
    } else {
        rows.extend(import_generate(root, &exe, &sources, opts.runs)?);
    }

    // `generate --check` in the workspace itself (writes nothing).
    let mut times = Vec::new();
    let mut stale = false;
    for _ in 0..opts.runs {
        let start = Instant::now();
        let status = Command::new(&exe)
            .current_dir(root)
            .args(["generate", "--check"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| XtaskError::io(&exe, e))?;
        times.push(start.elapsed().as_secs_f64());
        match status.code() {
            Some(0) => {}
            Some(1) => stale = true,
            code => {
                rows.push(Row::failed("generate --check", format!("exit {code:?}")));
                return Ok(rows);
            }
        }
    }
    let mut row = Row::seconds(
        format!("generate --check (median of {})", opts.runs),
        median(&times),
        Reference::Below(5.0, "< 5 s".into()),
    );
    if stale {
        row.value.push_str(" (generated code is stale)");
    }
    rows.push(row);
    Ok(rows)
}

fn import_generate(
    root: &Path,
    exe: &Path,
    sources: &[(Variant, PathBuf)],
    runs: usize,
) -> Result<Vec<Row>> {
    let scratch = root
        .join("target")
        .join("bench-build")
        .join(format!("codegen-{}", std::process::id()));
    remove_dir(&scratch)?;
    let setup = || -> std::io::Result<()> {
        std::fs::create_dir_all(scratch.join("xtask"))?;
        std::fs::copy(root.join("Cargo.toml"), scratch.join("Cargo.toml"))?;
        std::fs::copy(
            root.join("xtask/Cargo.toml"),
            scratch.join("xtask/Cargo.toml"),
        )?;
        copy_tree(&root.join("openapi"), &scratch.join("openapi"), &[])
    };
    setup().map_err(|e| XtaskError::io(&scratch, e))?;

    let mut steps: Vec<(String, Vec<String>)> = sources
        .iter()
        .map(|(v, file)| {
            (
                format!("import {v}"),
                vec!["import".into(), v.name().into(), file.display().to_string()],
            )
        })
        .collect();
    steps.push(("generate".into(), vec!["generate".into()]));
    let mut per_step: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    let mut totals = Vec::new();
    for _ in 0..runs {
        let mut total = 0.0;
        for (i, (name, args)) in steps.iter().enumerate() {
            match timed(Command::new(exe).current_dir(&scratch).args(args)) {
                Ok(d) => {
                    per_step[i].push(d.as_secs_f64());
                    total += d.as_secs_f64();
                }
                Err(reason) => {
                    remove_dir(&scratch)?;
                    return Ok(vec![Row::failed(format!("xtask {name}"), reason)]);
                }
            }
        }
        totals.push(total);
    }
    // The import must reproduce the vendored specs byte for byte.
    let mut same = true;
    for (v, _) in sources {
        let a =
            std::fs::read(v.spec_path(root)).map_err(|e| XtaskError::io(v.spec_path(root), e))?;
        let b = std::fs::read(v.spec_path(&scratch))
            .map_err(|e| XtaskError::io(v.spec_path(&scratch), e))?;
        same &= a == b;
    }
    remove_dir(&scratch)?;
    // `target/bench-build/` itself goes too when nothing else is in it.
    let _ = scratch.parent().map(std::fs::remove_dir);

    let mut rows: Vec<Row> = steps
        .iter()
        .zip(&per_step)
        .map(|((name, _), times)| {
            Row::seconds(
                format!("xtask {name} (median of {runs})"),
                median(times),
                Reference::None,
            )
        })
        .collect();
    let mut total = Row::seconds(
        format!("import + generate, both variants (median of {runs})"),
        median(&totals),
        Reference::Below(5.0, "< 5 s".into()),
    );
    if !same {
        total
            .value
            .push_str(" (the import differs from the vendored spec)");
    }
    rows.push(total);
    Ok(rows)
}

// ---------------------------------------------------------------------------
// 2. Builds.

/// The comparable Web-API-only Rust IBKR client's cold debug build on this
/// machine, and the share of it that counts as "well under".
const REFERENCE_BUILD_SECS: f64 = 135.0;
const WELL_UNDER: f64 = 0.8;

struct BuildSpec {
    label: &'static str,
    args: &'static [&'static str],
    /// The workspace crates whose rebuild is the crate-only time.
    own: &'static [&'static str],
    /// Whether the "well under the reference" goal applies.
    goal: bool,
}

const API_WEB: BuildSpec = BuildSpec {
    label: "ibkr-api, feature web",
    args: &[
        "-p",
        "ibkr-api",
        "--no-default-features",
        "--features",
        "web,rustls",
    ],
    own: &["ibkr-api"],
    goal: false,
};
const API_GATEWAY: BuildSpec = BuildSpec {
    label: "ibkr-api, feature gateway",
    args: &[
        "-p",
        "ibkr-api",
        "--no-default-features",
        "--features",
        "gateway,rustls",
    ],
    own: &["ibkr-api"],
    goal: false,
};
const API_BOTH: BuildSpec = BuildSpec {
    label: "ibkr-api, features web + gateway",
    args: &[
        "-p",
        "ibkr-api",
        "--no-default-features",
        "--features",
        "web,gateway,rustls",
    ],
    own: &["ibkr-api"],
    goal: false,
};
const FACADE: BuildSpec = BuildSpec {
    label: "ibkr-client (facade, both variants)",
    args: &["-p", "ibkr-client"],
    own: &["ibkr-api", "ibkr-client"],
    goal: true,
};

/// A scratch copy of the workspace and its own target directory.
struct Scratch {
    ws: PathBuf,
    target: PathBuf,
}

impl Scratch {
    fn cargo(&self, verb: &str, args: &[&str]) -> Command {
        let mut cmd = cargo();
        cmd.current_dir(&self.ws)
            .arg(verb)
            .args(args)
            .arg("--target-dir")
            .arg(&self.target)
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("RUSTFLAGS")
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    fn build(&self, spec: &BuildSpec) -> std::result::Result<f64, String> {
        timed(&mut self.cargo("build", spec.args)).map(|d| d.as_secs_f64())
    }
}

fn builds(root: &Path, opts: &Options) -> Result<Vec<Row>> {
    let base = root.join("target").join("bench-build");
    let scratch = Scratch {
        ws: base.join("ws"),
        target: base.join("target"),
    };
    remove_dir(&scratch.ws)?;
    copy_tree(root, &scratch.ws, &["target", ".git"])
        .map_err(|e| XtaskError::io(&scratch.ws, e))?;
    eprintln!(
        "bench: builds in a copy of the workspace ({}), target dir {}",
        scratch.ws.display(),
        scratch.target.display()
    );
    let specs: &[&BuildSpec] = if opts.quick {
        &[&FACADE]
    } else {
        &[&API_WEB, &API_GATEWAY, &API_BOTH, &FACADE]
    };
    let mut rows = Vec::new();
    for spec in specs {
        // Cold: nothing built, dependencies included.
        remove_dir(&scratch.target)?;
        eprintln!("bench: cold build of {} …", spec.label);
        let cold = scratch.build(spec);
        let figure = format!("cold debug build, {} (incl. dependencies)", spec.label);
        let secs = match cold {
            Ok(secs) => secs,
            Err(reason) => {
                rows.push(Row::failed(figure, reason));
                continue;
            }
        };
        eprintln!("bench:   {}", format_secs(secs));
        let reference = format!("{REFERENCE_BUILD_SECS:.0} s (comparable Web-API-only client)");
        rows.push(if spec.goal {
            // The ratio is against the reference, the goal a share of it.
            let bound = REFERENCE_BUILD_SECS * WELL_UNDER;
            Row::measured(
                figure,
                format_secs(secs),
                format!("well under {reference}; taken as ≤ {bound:.0} s"),
                Some(secs / REFERENCE_BUILD_SECS),
                secs,
                Goal::AtMost(bound),
            )
        } else {
            Row::seconds(
                figure,
                secs,
                Reference::Compare(REFERENCE_BUILD_SECS, reference),
            )
        });

        // Crate only: the workspace crates rebuilt over built dependencies.
        let mut clean_args = Vec::new();
        for p in spec.own {
            clean_args.extend(["-p", p]);
        }
        let crate_only =
            timed(&mut scratch.cargo("clean", &clean_args)).and_then(|_| scratch.build(spec));
        let figure = format!(
            "debug build, {} only ({} rebuilt)",
            spec.label,
            spec.own.join(" + ")
        );
        rows.push(match crate_only {
            Ok(secs) => Row::seconds(figure, secs, Reference::None),
            Err(reason) => Row::failed(figure, reason),
        });
    }

    // Incremental: the facade is built; touch one file, rebuild.
    for (file, goal) in [
        ("crates/ibkr-client/src/areas/scanner.rs", true),
        ("crates/ibkr-api/src/lib.rs", false),
    ] {
        let figure = format!("incremental rebuild of ibkr-client after touching {file}");
        let mut times = Vec::new();
        for _ in 0..opts.runs {
            touch(&scratch.ws.join(file))?;
            match scratch.build(&FACADE) {
                Ok(secs) => times.push(secs),
                Err(reason) => {
                    rows.push(Row::failed(figure.clone(), reason));
                    break;
                }
            }
        }
        if times.len() == opts.runs {
            let reference = if goal {
                Reference::Below(15.0, "< 15 s".into())
            } else {
                Reference::None
            };
            rows.push(Row::seconds(
                format!("{figure} (median of {})", opts.runs),
                median(&times),
                reference,
            ));
        }
    }
    // For information: the quickstart example in release, cold (no release
    // artifact exists yet in the scratch target), and its binary's size.
    if !opts.quick {
        rows.extend(quickstart_release(&scratch));
    }
    // The scratch target is over a gigabyte and worthless once measured.
    remove_dir(&base)?;
    Ok(rows)
}

/// The quickstart example's release build: how long, and its binary's size.
fn quickstart_release(scratch: &Scratch) -> Vec<Row> {
    const FIGURE: &str =
        "cold release build, quickstart example (--features testing, incl. dependencies)";
    eprintln!("bench: cold release build of the quickstart example …");
    let args = [
        "--release",
        "-p",
        "ibkr-client",
        "--example",
        "quickstart",
        "--features",
        "testing",
    ];
    let secs = match timed(&mut scratch.cargo("build", &args)) {
        Ok(d) => d.as_secs_f64(),
        Err(reason) => return vec![Row::failed(FIGURE, reason)],
    };
    let binary = scratch
        .target
        .join("release")
        .join("examples")
        .join(format!("quickstart{}", std::env::consts::EXE_SUFFIX));
    let size = match std::fs::metadata(&binary) {
        Ok(m) => Row::measured(
            "quickstart example binary, release (not stripped)",
            format_size(m.len()),
            "",
            None,
            m.len() as f64,
            Goal::None,
        ),
        Err(e) => Row::failed(
            "quickstart example binary, release",
            format!("{}: {e}", binary.display()),
        ),
    };
    vec![Row::seconds(FIGURE, secs, Reference::None), size]
}

/// A file size in MiB, with the exact byte count.
pub fn format_size(bytes: u64) -> String {
    let mut digits = bytes.to_string();
    let mut at = digits.len();
    while at > 3 {
        at -= 3;
        digits.insert(at, ',');
    }
    format!("{:.1} MiB ({digits} bytes)", bytes as f64 / 1_048_576.0)
}

// ---------------------------------------------------------------------------
// 2b. Side by side with the closest peer.

/// The closest Rust peer (Web API only), built from crates.io.
pub const PEER: &str = "bezant-core";
/// The peer's version, pinned exactly so that runs compare the same code.
pub const PEER_VERSION: &str = "0.4.0";
/// The goal: a cold build of the facade (both variants) takes at most this
/// share of the peer's.
const PEER_GOAL: f64 = 0.5;
/// The facade file edited for the incremental rebuild (as in [`builds`]).
const FACADE_EDIT: &str = "crates/ibkr-client/src/areas/scanner.rs";

/// One scratch crate of the side-by-side builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `bezant-core` from crates.io.
    Peer,
    /// The facade with its default features (both variants).
    FacadeBoth,
    /// The facade, `--no-default-features --features gateway,rustls`.
    FacadeGateway,
    /// The facade, `--no-default-features --features web,rustls`.
    FacadeWeb,
}

impl Side {
    /// Every side, in the order of a round.
    pub const ALL: [Side; 4] = [
        Side::Peer,
        Side::FacadeBoth,
        Side::FacadeGateway,
        Side::FacadeWeb,
    ];

    /// Its name in `RESULT peer.<kind>.<key>` lines and its directory.
    pub fn key(self) -> &'static str {
        match self {
            Side::Peer => "bezant_core",
            Side::FacadeBoth => "facade_both",
            Side::FacadeGateway => "facade_gateway",
            Side::FacadeWeb => "facade_web",
        }
    }

    /// Its name in the table.
    fn label(self) -> String {
        match self {
            Side::Peer => format!("{PEER} {PEER_VERSION} (crates.io; the peer, Web API only)"),
            Side::FacadeBoth => "ibkr-client, both variants (default features)".into(),
            Side::FacadeGateway => {
                "ibkr-client, Gateway only (no default features; gateway, rustls)".into()
            }
            Side::FacadeWeb => {
                "ibkr-client, Web API only (no default features; web, rustls)".into()
            }
        }
    }

    /// The `[dependencies]` line of its scratch crate; `facade` is the
    /// facade's directory.
    pub fn dependency(self, facade: &Path) -> String {
        let path = toml_string(&facade.display().to_string());
        match self {
            Side::Peer => format!("{PEER} = \"={PEER_VERSION}\""),
            Side::FacadeBoth => format!("ibkr-client = {{ path = {path} }}"),
            Side::FacadeGateway => format!(
                "ibkr-client = {{ path = {path}, default-features = false, features = [\"gateway\", \"rustls\"] }}"
            ),
            Side::FacadeWeb => format!(
                "ibkr-client = {{ path = {path}, default-features = false, features = [\"web\", \"rustls\"] }}"
            ),
        }
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The manifest of a scratch crate with the one dependency line `dependency`:
/// a library of its own workspace (so no enclosing workspace captures it),
/// with cargo's default dev profile for both sides alike.
pub fn scratch_manifest(name: &str, dependency: &str) -> String {
    format!(
        "[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependency}\n\n[workspace]\n",
        toml_string(name)
    )
}

/// The sides of round `round` (from 0): in [`Side::ALL`]'s order on even
/// rounds, reversed on odd ones, so a slow drift of the machine's load hits
/// the peer and the facade alike.
pub fn round_order(sides: &[Side], round: usize) -> Vec<Side> {
    let mut order = sides.to_vec();
    if round % 2 == 1 {
        order.reverse();
    }
    order
}

/// The `RESULT` line of one timing: `kind` is `cold` or `incremental`,
/// `run` counts from 1.
pub fn side_line(kind: &str, side: Side, secs: f64, run: usize) -> String {
    format!("RESULT peer.{kind}.{} secs={secs:.3} run={run}", side.key())
}

/// The sides of `sides` measured for `kind`: every one cold; the peer and
/// the facade with both variants incrementally.
fn measured_sides(sides: &[Side], kind: &str) -> Vec<Side> {
    sides
        .iter()
        .copied()
        .filter(|&s| kind == "cold" || matches!(s, Side::Peer | Side::FacadeBoth))
        .collect()
}

/// The figure of a side's timing in the table.
fn side_figure(kind: &str, side: Side) -> String {
    match kind {
        "cold" => format!("cold debug build, {}, as a dependency", side.label()),
        _ if side == Side::Peer => format!(
            "incremental rebuild of {PEER} (as a path dependency) after touching its lib.rs"
        ),
        _ => format!(
            "incremental rebuild of {} after touching {FACADE_EDIT}",
            side.label()
        ),
    }
}

/// The seconds of every `RESULT peer.<kind>.<side>` record, in order.
fn side_samples(records: &[Record], kind: &str, side: Side) -> Vec<f64> {
    let name = format!("peer.{kind}.{}", side.key());
    records
        .iter()
        .filter(|r| r.name == name)
        .filter_map(|r| r.number("secs"))
        .collect()
}

/// A median and, for several samples, each of them: `80.0 s (82.1 s, 78.0 s)`.
fn samples_text(samples: &[f64]) -> String {
    let mut text = format_secs(median(samples));
    if samples.len() > 1 {
        let each: Vec<String> = samples.iter().map(|&s| format_secs(s)).collect();
        let _ = write!(text, " ({})", each.join(", "));
    }
    text
}

/// The side-by-side rows from the `RESULT peer.*` lines of one run, with
/// `failures` (a record name such as `peer.cold.facade_web`, and why it
/// failed) taking the place of a figure. Each facade row carries its ratio to
/// the peer's median; the goal (≤ [`PEER_GOAL`]) is on the cold build with
/// both variants, the others are information. Cold rows for every side of
/// `sides`, incremental ones for the peer and the facade with both variants.
/// Without a peer figure the facade's figures stay, with no ratio.
pub fn peer_rows(records: &[Record], failures: &[(String, String)], sides: &[Side]) -> Vec<Row> {
    let mut rows = Vec::new();
    for kind in ["cold", "incremental"] {
        let peer = median(&side_samples(records, kind, Side::Peer));
        for side in measured_sides(sides, kind) {
            let name = format!("peer.{kind}.{}", side.key());
            let samples = side_samples(records, kind, side);
            let mut figure = side_figure(kind, side);
            if samples.len() > 1 {
                let how = if kind == "cold" {
                    ", alternated with the peer"
                } else {
                    ""
                };
                let _ = write!(figure, " (median of {}{how})", samples.len());
            }
            if let Some((_, reason)) = failures.iter().find(|(n, _)| *n == name) {
                rows.push(Row::failed(figure, reason.clone()));
                continue;
            }
            if samples.is_empty() {
                rows.push(Row::failed(figure, format!("no `RESULT {name}` line")));
                continue;
            }
            let secs = median(&samples);
            let value = samples_text(&samples);
            let peer_text = format!("{PEER} {}", format_secs(peer));
            let row = match (side, kind) {
                (Side::Peer, _) => Row::measured(figure, value, "", None, secs, Goal::None),
                _ if peer.is_nan() => Row::measured(
                    figure,
                    value,
                    format!("no {PEER} figure to compare with"),
                    None,
                    secs,
                    Goal::None,
                ),
                (Side::FacadeBoth, "cold") => Row::measured(
                    figure,
                    value,
                    format!("≤ {PEER_GOAL} × {peer_text}"),
                    Some(secs / peer),
                    secs / peer,
                    Goal::AtMost(PEER_GOAL),
                ),
                _ => Row::measured(
                    figure,
                    value,
                    peer_text,
                    Some(secs / peer),
                    secs / peer,
                    Goal::None,
                ),
            };
            rows.push(row);
        }
    }
    rows
}

/// The side-by-side rows when the peer cannot be had (no registry): every
/// figure skipped with `reason`.
pub fn peer_skipped_rows(sides: &[Side], reason: &str) -> Vec<Row> {
    ["cold", "incremental"]
        .iter()
        .flat_map(|kind| {
            measured_sides(sides, kind)
                .into_iter()
                .map(move |side| side_figure(kind, side))
        })
        .map(|figure| Row::skipped(figure, reason))
        .collect()
}

/// The directory and library source file of package `name` `version` in
/// the output of `cargo metadata --format-version 1`.
pub fn package_lib(metadata: &Value, name: &str, version: &str) -> Option<(PathBuf, PathBuf)> {
    let package = metadata.get("packages")?.as_array()?.iter().find(|p| {
        p.get("name").and_then(Value::as_str) == Some(name)
            && p.get("version").and_then(Value::as_str) == Some(version)
    })?;
    let manifest = PathBuf::from(package.get("manifest_path")?.as_str()?);
    let lib = package.get("targets")?.as_array()?.iter().find(|t| {
        t.get("kind")
            .and_then(Value::as_array)
            .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"))
    })?;
    let src = PathBuf::from(lib.get("src_path")?.as_str()?);
    Some((manifest.parent()?.to_path_buf(), src))
}

/// A scratch crate of the side-by-side builds, with its own target
/// directory.
struct SideCrate {
    side: Side,
    dir: PathBuf,
}

impl SideCrate {
    fn target(&self) -> PathBuf {
        self.dir.join("target")
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = cargo();
        cmd.current_dir(&self.dir)
            .args(args)
            .env("CARGO_TARGET_DIR", self.target())
            .env_remove("RUSTFLAGS")
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    fn build(&self) -> std::result::Result<f64, String> {
        timed(&mut self.cargo(&["build"])).map(|d| d.as_secs_f64())
    }
}

/// The side-by-side builds with [`PEER`], in a temporary directory removed
/// afterwards: a snapshot of the workspace (so the facade's edit and other
/// people's edits never reach the real tree), one scratch crate per side.
fn peer(root: &Path, opts: &Options) -> Result<Vec<Row>> {
    let sides: &[Side] = if opts.quick {
        &[Side::Peer, Side::FacadeBoth]
    } else {
        &Side::ALL
    };
    let base = std::env::temp_dir().join(format!("ibkr-bench-peer-{}", std::process::id()));
    remove_dir(&base)?;
    let result = peer_in(root, &base, sides, opts);
    remove_dir(&base)?;
    result
}

fn peer_in(root: &Path, base: &Path, sides: &[Side], opts: &Options) -> Result<Vec<Row>> {
    let ws = base.join("ws");
    copy_tree(root, &ws, &["target", ".git"]).map_err(|e| XtaskError::io(&ws, e))?;
    let facade = ws.join("crates").join("ibkr-client");
    let mut crates = Vec::new();
    for &side in sides {
        let dir = base.join(side.key());
        let manifest =
            scratch_manifest(&format!("bench-{}", side.key()), &side.dependency(&facade));
        let lib = if side == Side::Peer {
            "pub use bezant_core;\n"
        } else {
            "pub use ibkr_client;\n"
        };
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir.join("src"))?;
            std::fs::write(dir.join("Cargo.toml"), &manifest)?;
            std::fs::write(dir.join("src").join("lib.rs"), lib)?;
            if side != Side::Peer {
                // The versions the workspace builds and tests with.
                std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
            }
            Ok(())
        };
        write().map_err(|e| XtaskError::io(&dir, e))?;
        crates.push(SideCrate { side, dir });
    }
    eprintln!(
        "bench: side by side with {PEER} {PEER_VERSION}, scratch crates in {}",
        base.display()
    );

    // Sources first (the peer's from crates.io), so no build downloads.
    let mut failures: Vec<(String, String)> = Vec::new();
    for c in &crates {
        if let Err(reason) = timed(&mut c.cargo(&["fetch"])) {
            if c.side == Side::Peer {
                let reason = format!("cannot fetch {PEER} {PEER_VERSION} from crates.io: {reason}");
                eprintln!("bench: side by side skipped: {reason}");
                return Ok(peer_skipped_rows(sides, &reason));
            }
            for kind in ["cold", "incremental"] {
                failures.push((format!("peer.{kind}.{}", c.side.key()), reason.clone()));
            }
        }
    }

    let mut lines = String::new();
    let mut record = |line: String| {
        println!("    {line}");
        lines.push_str(&line);
        lines.push('\n');
    };
    let failed =
        |failures: &[(String, String)], name: &str| failures.iter().any(|(n, _)| n == name);
    let rounds = opts.runs.min(2);
    for round in 0..rounds {
        for side in round_order(sides, round) {
            let c = crates
                .iter()
                .find(|c| c.side == side)
                .expect("a crate per side");
            let name = format!("peer.cold.{}", side.key());
            if failed(&failures, &name) {
                continue;
            }
            remove_dir(&c.target())?;
            eprintln!(
                "bench: round {}/{rounds}: cold build of {} …",
                round + 1,
                side.label()
            );
            match c.build() {
                Ok(secs) => record(side_line("cold", side, secs, round + 1)),
                Err(reason) => failures.push((name, reason)),
            }
        }
    }

    // Incremental: each library edited, its dependent rebuilt over the last
    // cold build. The peer becomes a path dependency (a copy of its source,
    // patched in) so that an edit of it is seen, as the facade is one.
    for c in &crates {
        let name = format!("peer.incremental.{}", c.side.key());
        if failed(&failures, &name) || failed(&failures, &format!("peer.cold.{}", c.side.key())) {
            continue;
        }
        let edit = match c.side {
            Side::Peer => match patch_peer(c, base) {
                Ok(file) => file,
                Err(reason) => {
                    failures.push((name, reason));
                    continue;
                }
            },
            Side::FacadeBoth => ws.join(FACADE_EDIT),
            Side::FacadeGateway | Side::FacadeWeb => continue,
        };
        eprintln!("bench: incremental rebuild of {} …", c.side.label());
        for run in 1..=opts.runs {
            touch(&edit)?;
            match c.build() {
                Ok(secs) => record(side_line("incremental", c.side, secs, run)),
                Err(reason) => {
                    failures.push((name.clone(), reason));
                    break;
                }
            }
        }
    }
    Ok(peer_rows(&parse_records(&lines), &failures, sides))
}

/// Makes the peer's scratch crate build a copy of the peer's source as a
/// path dependency, built once (untimed); returns the copy's library file,
/// the one to touch.
fn patch_peer(c: &SideCrate, base: &Path) -> std::result::Result<PathBuf, String> {
    let out = c
        .cargo(&["metadata", "--format-version", "1"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(failure_line(&out.stderr, out.status.code()));
    }
    let metadata: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let (dir, lib) = package_lib(&metadata, PEER, PEER_VERSION)
        .ok_or_else(|| format!("cargo metadata lists no library of {PEER} {PEER_VERSION}"))?;
    let copy = base.join("peer-src").join(format!("{PEER}-{PEER_VERSION}"));
    copy_tree(&dir, &copy, &["target"]).map_err(|e| format!("copying {}: {e}", dir.display()))?;
    let lib = copy.join(lib.strip_prefix(&dir).map_err(|e| e.to_string())?);
    let manifest = c.dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let _ = write!(
        text,
        "\n[patch.crates-io]\n{PEER} = {{ path = {} }}\n",
        toml_string(&copy.display().to_string())
    );
    std::fs::write(&manifest, text).map_err(|e| e.to_string())?;
    c.build()?;
    Ok(lib)
}

// ---------------------------------------------------------------------------
// 3 and 4. The benches.

/// A bench of `crates/ibkr-client/benches/`, as `cargo xtask bench` runs it.
struct Bench {
    name: &'static str,
    /// Its environment under `--quick` (fewer iterations).
    quick_env: &'static [(&'static str, &'static str)],
    /// Its standard output → table rows.
    rows: fn(&str) -> Vec<Row>,
}

const OVERHEAD: Bench = Bench {
    name: "overhead",
    quick_env: &[
        ("IBKR_BENCH_TINY_ITERS", "500"),
        ("IBKR_BENCH_POSITIONS_ITERS", "30"),
        ("IBKR_BENCH_CONTRACTS_ITERS", "6"),
    ],
    rows: |output| overhead_rows(&parse_result_lines(output)),
};

const PACING: Bench = Bench {
    name: "pacing",
    quick_env: &[
        ("IBKR_BENCH_SNAPSHOTS", "150"),
        ("IBKR_BENCH_MIXED_SECS", "10"),
    ],
    rows: |output| pacing_rows(&parse_pacing(output)),
};

fn bench_rows(root: &Path, bench: &Bench, quick: bool) -> Vec<Row> {
    let env = if quick { bench.quick_env } else { &[] };
    match run_bench(root, bench.name, env) {
        Ok(output) => (bench.rows)(&output),
        Err(reason) => vec![Row::failed(format!("{} bench", bench.name), reason)],
    }
}

// ---------------------------------------------------------------------------

/// Runs every selected benchmark and prints the table. Returns whether every
/// measurement ran (unmet goals are findings, not failures).
pub fn run(root: &Path, opts: &Options) -> Result<bool> {
    let machine = Machine::probe();
    let started = Instant::now();
    let mut rows = Vec::new();
    type Section<'a> = &'a dyn Fn() -> Result<Vec<Row>>;
    let sections: [(&str, bool, Section); 5] = [
        ("code generation", opts.skip_codegen, &|| {
            codegen(root, opts)
        }),
        ("builds", opts.skip_builds, &|| builds(root, opts)),
        (
            "side by side with the peer",
            opts.skip_builds || opts.skip_peer,
            &|| peer(root, opts),
        ),
        ("overhead", opts.skip_overhead, &|| {
            Ok(bench_rows(root, &OVERHEAD, opts.quick))
        }),
        ("pacing", opts.skip_pacing, &|| {
            Ok(bench_rows(root, &PACING, opts.quick))
        }),
    ];
    for (name, skip, section) in sections {
        if skip {
            rows.push(Row::skipped(name, "skipped by option"));
        } else {
            rows.extend(section()?);
        }
    }
    let (met, unmet, failed) = tally(&rows);
    println!();
    println!(
        "# cargo xtask bench{}: {} · {} cores · {} memory · {} · load average {} at start, {} at end · {:.0} s",
        if opts.quick { " --quick" } else { "" },
        machine.date,
        machine.cores,
        machine.memory,
        machine.rustc,
        machine.load,
        load_average(),
        started.elapsed().as_secs_f64()
    );
    println!();
    print!("{}", render_table(&rows));
    println!();
    println!("goals: {met} met, {unmet} unmet; {failed} measurement(s) failed");
    Ok(failed == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_evaluated_at_their_bounds() {
        assert_eq!(evaluate(1.05, Goal::AtMost(1.05)), Status::Met);
        assert_eq!(evaluate(1.051, Goal::AtMost(1.05)), Status::Unmet);
        assert_eq!(evaluate(0.95, Goal::AtLeast(0.95)), Status::Met);
        assert_eq!(evaluate(0.949, Goal::AtLeast(0.95)), Status::Unmet);
        assert_eq!(evaluate(0.0, Goal::AtMost(0.0)), Status::Met);
        assert_eq!(evaluate(f64::NAN, Goal::AtMost(5.0)), Status::Unmet);
        assert_eq!(evaluate(f64::INFINITY, Goal::AtLeast(0.95)), Status::Unmet);
        assert_eq!(evaluate(123.0, Goal::None), Status::Info);
    }

    #[test]
    fn durations_carry_ratio_and_goal() {
        let r = Row::seconds("g", 2.5, Reference::Below(5.0, "< 5 s".into()));
        assert_eq!((r.ratio, r.status), (Some(0.5), Status::Met));
        assert_eq!(r.value, "2.50 s");
        let r = Row::seconds("g", 16.25, Reference::Below(15.0, "< 15 s".into()));
        assert_eq!(r.status, Status::Unmet);
        assert_eq!(r.value, "16.2 s");
        let r = Row::seconds("c", 67.5, Reference::Compare(135.0, "135 s".into()));
        assert_eq!((r.ratio, r.status), (Some(0.5), Status::Info));
    }

    #[test]
    fn the_table_is_markdown_with_escaped_cells() {
        let rows = vec![
            Row::seconds("a|b", 1.0, Reference::Below(5.0, "< 5 s".into())),
            Row::skipped("import", "../shared is absent"),
            Row::failed("x", "exit 101: error: could not compile"),
        ];
        let t = render_table(&rows);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "| figure | value | reference / goal | ratio | status |"
        );
        assert_eq!(lines[2], "| a\\|b | 1.00 s | < 5 s | 0.200 | met |");
        assert_eq!(lines[3], "| import | ../shared is absent |  |  | skipped |");
        assert!(lines[4].ends_with("| **FAILED** |"), "{}", lines[4]);
        assert_eq!(tally(&rows), (1, 0, 1));
    }

    #[test]
    fn figures_are_scaled_to_readable_units() {
        assert_eq!(micros(173.94), "173.9 µs");
        assert_eq!(micros(1_160.0), "1.16 ms");
        assert_eq!(micros(559_268.6), "559.3 ms");
        assert_eq!(count(76.0), "76");
        assert_eq!(count(32_137.8), "32.1 k");
        assert_eq!(count(239_922_977.1), "239.92 M");
    }

    #[test]
    fn sizes_are_in_mib_with_the_bytes() {
        assert_eq!(format_size(0), "0.0 MiB (0 bytes)");
        assert_eq!(format_size(999), "0.0 MiB (999 bytes)");
        assert_eq!(format_size(1_048_576), "1.0 MiB (1,048,576 bytes)");
        assert_eq!(format_size(12_912_345), "12.3 MiB (12,912,345 bytes)");
    }

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn result_lines_are_parsed_tolerantly() {
        let out = "## auth_status: POST ...\n\
                   metric facade raw ratio\n\
                   RESULT overhead.auth_status.median_us facade=41.200 raw=40.000 ratio=1.0300 unit=us\n\
                   RESULT overhead.positions.allocs_per_call raw=10 facade=20 extra=yes\n\
                   RESULT broken facade=x raw=1\n\
                   NOT A RESULT overhead.x facade=1 raw=1\n";
        let r = parse_result_lines(out);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].name, "overhead.auth_status.median_us");
        assert_eq!((r[0].facade, r[0].raw, r[0].ratio), (41.2, 40.0, 1.03));
        assert_eq!(r[0].unit, "us");
        // A missing ratio is computed.
        assert_eq!(r[1].ratio, 2.0);
    }

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

    #[test]
    fn records_keep_their_fields_in_order() {
        let out = "text RESULT not.first x=1\n\
                   \tRESULT pacing.a.summary b=2 loose a=1 =3 c=\n\
                   RESULT x=1 y=2\n\
                   RESULT\n";
        let r = parse_records(out);
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].name, "pacing.a.summary");
        let keys: Vec<&str> = r[0].fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "", "c"]);
        assert_eq!((r[0].number("b"), r[0].count("a")), (Some(2.0), Some(1)));
        assert_eq!((r[0].text("c"), r[0].number("c")), (Some(""), None));
        assert_eq!(r[0].text("loose"), None);
    }

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

    #[test]
    fn scratch_crates_depend_on_one_side_each() {
        let facade = Path::new("/tmp/x/ws/crates/ibkr-client");
        assert_eq!(Side::Peer.dependency(facade), "bezant-core = \"=0.4.0\"");
        assert_eq!(
            Side::FacadeBoth.dependency(facade),
            "ibkr-client = { path = \"/tmp/x/ws/crates/ibkr-client\" }"
        );
        assert_eq!(
            Side::FacadeGateway.dependency(facade),
            "ibkr-client = { path = \"/tmp/x/ws/crates/ibkr-client\", default-features = false, \
             features = [\"gateway\", \"rustls\"] }"
        );
        assert!(
            Side::FacadeWeb
                .dependency(Path::new("C:\\a \"b\""))
                .starts_with("ibkr-client = { path = \"C:\\\\a \\\"b\\\"\", default-features = false, features = [\"web\",")
        );
        let m = scratch_manifest("bench-peer", &Side::Peer.dependency(facade));
        assert!(m.starts_with("[package]\nname = \"bench-peer\"\n"), "{m}");
        assert!(
            m.contains("\n[dependencies]\nbezant-core = \"=0.4.0\"\n"),
            "{m}"
        );
        // Its own workspace: no enclosing workspace can capture it.
        assert!(m.ends_with("\n[workspace]\n"), "{m}");
    }

    #[test]
    fn rounds_alternate_their_order() {
        assert_eq!(round_order(&Side::ALL, 0), Side::ALL);
        assert_eq!(
            round_order(&Side::ALL, 1),
            [
                Side::FacadeWeb,
                Side::FacadeGateway,
                Side::FacadeBoth,
                Side::Peer
            ]
        );
        assert_eq!(round_order(&Side::ALL, 2), Side::ALL);
    }

    /// Two alternated rounds and the incremental runs, as [`peer`] records
    /// them.
    fn side_output() -> String {
        let lines = [
            side_line("cold", Side::Peer, 80.0, 1),
            side_line("cold", Side::FacadeBoth, 41.0, 1),
            side_line("cold", Side::FacadeGateway, 30.0, 1),
            side_line("cold", Side::FacadeWeb, 35.0, 1),
            side_line("cold", Side::FacadeWeb, 37.0, 2),
            side_line("cold", Side::FacadeGateway, 32.0, 2),
            side_line("cold", Side::FacadeBoth, 39.0, 2),
            side_line("cold", Side::Peer, 84.0, 2),
            side_line("incremental", Side::Peer, 4.0, 1),
            side_line("incremental", Side::FacadeBoth, 2.0, 1),
        ];
        lines.map(|l| format!("{l}\n")).concat()
    }

    #[test]
    fn side_lines_are_result_records() {
        let r = parse_records(&side_line("cold", Side::FacadeWeb, 98.1234, 2));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, "peer.cold.facade_web");
        assert_eq!(
            (r[0].number("secs"), r[0].count("run")),
            (Some(98.123), Some(2))
        );
    }

    #[test]
    fn side_by_side_rows_carry_ratios_to_the_peer() {
        let rows = peer_rows(&parse_records(&side_output()), &[], &Side::ALL);
        let figures: Vec<&str> = rows.iter().map(|r| r.figure.as_str()).collect();
        assert_eq!(
            figures,
            [
                "cold debug build, bezant-core 0.4.0 (crates.io; the peer, Web API only), as a dependency (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, both variants (default features), as a dependency (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, Gateway only (no default features; gateway, rustls), as a dependency (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, Web API only (no default features; web, rustls), as a dependency (median of 2, alternated with the peer)",
                "incremental rebuild of bezant-core (as a path dependency) after touching its lib.rs",
                "incremental rebuild of ibkr-client, both variants (default features) after touching crates/ibkr-client/src/areas/scanner.rs",
            ]
        );
        assert_eq!(rows[0].value, "82.0 s (80.0 s, 84.0 s)");
        assert_eq!((rows[0].ratio, rows[0].status), (None, Status::Info));
        // Both variants: 40 s against 82 s, the goal ≤ 0.5 met.
        assert_eq!(rows[1].reference, "≤ 0.5 × bezant-core 82.0 s");
        assert_eq!(rows[1].ratio, Some(40.0 / 82.0));
        assert_eq!(rows[1].status, Status::Met);
        // The single-variant builds are information.
        assert_eq!(rows[2].reference, "bezant-core 82.0 s");
        assert_eq!(
            (rows[2].ratio, rows[2].status),
            (Some(31.0 / 82.0), Status::Info)
        );
        assert_eq!(rows[3].value, "36.0 s (35.0 s, 37.0 s)");
        // Incremental: against the peer's own incremental rebuild.
        assert_eq!(rows[5].value, "2.00 s");
        assert_eq!(rows[5].reference, "bezant-core 4.00 s");
        assert_eq!((rows[5].ratio, rows[5].status), (Some(0.5), Status::Info));
        let table = render_table(&rows);
        assert!(
            table
                .contains("| 40.0 s (41.0 s, 39.0 s) | ≤ 0.5 × bezant-core 82.0 s | 0.488 | met |"),
            "{table}"
        );
    }

    #[test]
    fn the_side_by_side_goal_can_be_unmet() {
        let out = [
            side_line("cold", Side::Peer, 80.0, 1),
            side_line("cold", Side::FacadeBoth, 98.0, 1),
        ]
        .join("\n");
        let rows = peer_rows(&parse_records(&out), &[], &[Side::Peer, Side::FacadeBoth]);
        assert_eq!(rows[1].value, "98.0 s");
        assert_eq!(rows[1].status, Status::Unmet);
        assert_eq!(rows[1].ratio, Some(98.0 / 80.0));
        // No incremental lines: failed rows, not a silent gap.
        assert_eq!(rows.len(), 4);
        assert!(rows[2..].iter().all(|r| r.status == Status::Failed));
        assert_eq!(tally(&rows), (0, 1, 2));
    }

    #[test]
    fn failed_side_builds_keep_their_reason() {
        let out: String = side_output()
            .lines()
            .filter(|l| !l.contains("bezant_core") && !l.contains("facade_web"))
            .map(|l| format!("{l}\n"))
            .collect();
        let failures = vec![
            (
                "peer.cold.facade_web".to_string(),
                "exit 101: error: could not compile `ibkr-api`".to_string(),
            ),
            (
                "peer.cold.bezant_core".to_string(),
                "exit 101: error: linker failed".to_string(),
            ),
        ];
        let rows = peer_rows(&parse_records(&out), &failures, &Side::ALL);
        assert_eq!(rows[0].status, Status::Failed);
        assert_eq!(rows[0].value, "exit 101: error: linker failed");
        // Without the peer's figure ours stay, without a ratio or a verdict.
        assert_eq!(rows[1].value, "40.0 s (41.0 s, 39.0 s)");
        assert_eq!((rows[1].ratio, rows[1].status), (None, Status::Info));
        assert_eq!(rows[1].reference, "no bezant-core figure to compare with");
        assert_eq!(rows[3].status, Status::Failed);
        assert!(rows[3].value.contains("could not compile"));
        // The peer's incremental line is missing too.
        assert_eq!(rows[4].status, Status::Failed);
        assert_eq!(
            rows[4].value,
            "no `RESULT peer.incremental.bezant_core` line"
        );
    }

    #[test]
    fn without_the_registry_every_side_by_side_row_is_skipped() {
        let reason =
            "cannot fetch bezant-core 0.4.0 from crates.io: exit 101: error: failed to download";
        let rows = peer_skipped_rows(&Side::ALL, reason);
        assert_eq!(rows.len(), 6);
        assert!(
            rows.iter()
                .all(|r| r.status == Status::Skipped && r.value == reason)
        );
        assert_eq!(tally(&rows), (0, 0, 0));
        // --quick: the peer and the facade with both variants only.
        assert_eq!(
            peer_skipped_rows(&[Side::Peer, Side::FacadeBoth], reason).len(),
            4
        );
    }

    #[test]
    fn the_peers_library_is_found_in_cargo_metadata() {
        let metadata = serde_json::json!({"packages": [
            {"name": "bezant-core", "version": "0.3.9", "manifest_path": "/r/old/Cargo.toml",
             "targets": [{"kind": ["lib"], "src_path": "/r/old/src/lib.rs"}]},
            {"name": "bezant-core", "version": "0.4.0",
             "manifest_path": "/r/bezant-core-0.4.0/Cargo.toml",
             "targets": [
                {"kind": ["custom-build"], "src_path": "/r/bezant-core-0.4.0/build.rs"},
                {"kind": ["lib"], "src_path": "/r/bezant-core-0.4.0/src/lib.rs"}]}
        ]});
        assert_eq!(
            package_lib(&metadata, "bezant-core", "0.4.0"),
            Some((
                PathBuf::from("/r/bezant-core-0.4.0"),
                PathBuf::from("/r/bezant-core-0.4.0/src/lib.rs")
            ))
        );
        assert_eq!(package_lib(&metadata, "bezant-core", "0.5.0"), None);
        assert_eq!(
            package_lib(&serde_json::json!({}), "bezant-core", "0.4.0"),
            None
        );
    }

    #[test]
    fn runs_are_validated() {
        assert_eq!(Options::new(false, None).unwrap().runs, 3);
        assert_eq!(Options::new(true, None).unwrap().runs, 1);
        assert_eq!(Options::new(true, Some("5")).unwrap().runs, 5);
        for bad in ["0", "-1", "x", "51", ""] {
            let e = Options::new(false, Some(bad)).unwrap_err().to_string();
            assert!(e.starts_with("invalid argument: --runs"), "{e}");
            assert!(!e.contains('\n'));
        }
    }

    #[test]
    fn machine_facts_are_read() {
        assert_eq!(
            mem_total("MemFree: 1 kB\nMemTotal:       24551868 kB\n"),
            Some(24_551_868)
        );
        assert_eq!(mem_total("nothing"), None);
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_767_225_599), "2025-12-31");
    }

    #[test]
    fn upstream_files_come_from_the_lock() {
        let shared = Path::new("/s");
        let lock = serde_json::json!({"source": "cp-gateway-2024-07-19.json"});
        assert_eq!(
            upstream_file(shared, Variant::Gateway, &lock),
            Some(PathBuf::from("/s/gateway/cp-gateway-2024-07-19.json"))
        );
        let url = serde_json::json!({"source": "https://example.invalid/spec.json"});
        assert_eq!(upstream_file(shared, Variant::Web, &url), None);
        assert_eq!(
            upstream_file(shared, Variant::Web, &serde_json::json!({})),
            None
        );
    }
}
