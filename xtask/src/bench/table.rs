//! Figures, goals and the table.

use std::fmt::Write as _;

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
    pub(super) fn measured(
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
    pub(super) fn seconds(figure: impl Into<String>, secs: f64, reference: Reference) -> Row {
        let (text, ratio, goal) = match reference {
            Reference::None => (String::new(), None, Goal::None),
            Reference::Below(limit, text) => (text, Some(secs / limit), Goal::AtMost(limit)),
            Reference::Compare(base, text) => (text, Some(secs / base), Goal::None),
        };
        Row::measured(figure, format_secs(secs), text, ratio, secs, goal)
    }

    pub(super) fn skipped(figure: impl Into<String>, reason: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: reason.into(),
            reference: String::new(),
            ratio: None,
            status: Status::Skipped,
        }
    }

    pub(super) fn failed(figure: impl Into<String>, reason: impl Into<String>) -> Row {
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
pub(super) enum Reference {
    None,
    /// A goal: at most this many seconds.
    Below(f64, String),
    /// A reference to compare with, not a goal.
    Compare(f64, String),
}

pub(super) fn format_secs(secs: f64) -> String {
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

pub(super) fn micros(us: f64) -> String {
    scaled(
        us,
        &[
            (1e4, 1e3, 1, " ms"),
            (1e3, 1e3, 2, " ms"),
            (0.0, 1.0, 1, " µs"),
        ],
    )
}

pub(super) fn count(n: f64) -> String {
    scaled(n, &[(1e6, 1e6, 2, " M"), (1e4, 1e3, 1, " k")])
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
    fn median_of_odd_even_and_none() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }
}
