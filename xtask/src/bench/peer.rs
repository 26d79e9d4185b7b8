//! 2b. Side by side with the closest peer: the sides and their rows.

use std::fmt::Write as _;
use std::path::Path;

use super::parse::Record;
use super::table::{Goal, Row, format_secs, median};

/// The closest Rust peer (Web API only), built from crates.io.
pub const PEER: &str = "bezant-core";
/// The peer's version, pinned exactly so that runs compare the same code.
pub const PEER_VERSION: &str = "0.4.0";
/// The goal: a cold build of the facade (both variants) takes at most this
/// share of the peer's.
const PEER_GOAL: f64 = 0.5;
/// The facade file edited for the incremental rebuild (as in [`super::builds`]).
pub(super) const FACADE_EDIT: &str = "crates/ibkr-client/src/areas/scanner.rs";

/// One scratch crate of the side-by-side builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `bezant-core` from crates.io.
    Peer,
    /// The facade with its default features (both variants; no
    /// `low-level`, so no generated code).
    FacadeBoth,
    /// The facade with its default features and `low-level` (the generated
    /// clients of the escape hatch).
    FacadeLowLevel,
    /// The facade, `--no-default-features --features gateway,rustls`.
    FacadeGateway,
    /// The facade, `--no-default-features --features web,rustls`.
    FacadeWeb,
}

impl Side {
    /// Every side, in the order of a round.
    pub const ALL: [Side; 5] = [
        Side::Peer,
        Side::FacadeBoth,
        Side::FacadeLowLevel,
        Side::FacadeGateway,
        Side::FacadeWeb,
    ];

    /// Its name in `RESULT peer.<kind>.<key>` lines and its directory.
    pub fn key(self) -> &'static str {
        match self {
            Side::Peer => "bezant_core",
            Side::FacadeBoth => "facade_both",
            Side::FacadeLowLevel => "facade_low_level",
            Side::FacadeGateway => "facade_gateway",
            Side::FacadeWeb => "facade_web",
        }
    }

    /// Its name in the table.
    pub(super) fn label(self) -> String {
        match self {
            Side::Peer => format!("{PEER} {PEER_VERSION} (crates.io; the peer, Web API only)"),
            Side::FacadeBoth => "ibkr-client, both variants (default features)".into(),
            Side::FacadeLowLevel => {
                "ibkr-client, both variants + low-level (default features and low-level)".into()
            }
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
            Side::FacadeLowLevel => {
                format!("ibkr-client = {{ path = {path}, features = [\"low-level\"] }}")
            }
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
pub(super) fn toml_string(text: &str) -> String {
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
        "cold" => format!(
            "cold debug build, {}, as a dependency, without incremental compilation",
            side.label()
        ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::parse::parse_records;
    use crate::bench::table::{Status, render_table, tally};

    #[test]
    fn scratch_crates_depend_on_one_side_each() {
        let facade = Path::new("/tmp/x/ws/crates/ibkr-client");
        assert_eq!(Side::Peer.dependency(facade), "bezant-core = \"=0.4.0\"");
        assert_eq!(
            Side::FacadeBoth.dependency(facade),
            "ibkr-client = { path = \"/tmp/x/ws/crates/ibkr-client\" }"
        );
        assert_eq!(
            Side::FacadeLowLevel.dependency(facade),
            "ibkr-client = { path = \"/tmp/x/ws/crates/ibkr-client\", features = [\"low-level\"] }"
        );
        // Only this side builds the generated code.
        for side in Side::ALL {
            assert_eq!(
                side.dependency(facade).contains("low-level"),
                side == Side::FacadeLowLevel,
                "{side:?}"
            );
        }
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
                Side::FacadeLowLevel,
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
            side_line("cold", Side::FacadeLowLevel, 120.0, 1),
            side_line("cold", Side::FacadeGateway, 30.0, 1),
            side_line("cold", Side::FacadeWeb, 35.0, 1),
            side_line("cold", Side::FacadeWeb, 37.0, 2),
            side_line("cold", Side::FacadeGateway, 32.0, 2),
            side_line("cold", Side::FacadeLowLevel, 124.0, 2),
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
                "cold debug build, bezant-core 0.4.0 (crates.io; the peer, Web API only), as a dependency, without incremental compilation (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, both variants (default features), as a dependency, without incremental compilation (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, both variants + low-level (default features and low-level), as a dependency, without incremental compilation (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, Gateway only (no default features; gateway, rustls), as a dependency, without incremental compilation (median of 2, alternated with the peer)",
                "cold debug build, ibkr-client, Web API only (no default features; web, rustls), as a dependency, without incremental compilation (median of 2, alternated with the peer)",
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
        // With the generated clients, and the single-variant builds:
        // information.
        assert_eq!(rows[2].value, "122.0 s (120.0 s, 124.0 s)");
        assert_eq!(
            (rows[2].ratio, rows[2].status),
            (Some(122.0 / 82.0), Status::Info)
        );
        assert_eq!(rows[3].reference, "bezant-core 82.0 s");
        assert_eq!(
            (rows[3].ratio, rows[3].status),
            (Some(31.0 / 82.0), Status::Info)
        );
        assert_eq!(rows[4].value, "36.0 s (35.0 s, 37.0 s)");
        // Incremental: against the peer's own incremental rebuild.
        assert_eq!(rows[6].value, "2.00 s");
        assert_eq!(rows[6].reference, "bezant-core 4.00 s");
        assert_eq!((rows[6].ratio, rows[6].status), (Some(0.5), Status::Info));
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
        assert_eq!(rows[4].status, Status::Failed);
        assert!(rows[4].value.contains("could not compile"));
        // The peer's incremental line is missing too.
        assert_eq!(rows[5].status, Status::Failed);
        assert_eq!(
            rows[5].value,
            "no `RESULT peer.incremental.bezant_core` line"
        );
    }

    #[test]
    fn without_the_registry_every_side_by_side_row_is_skipped() {
        let reason =
            "cannot fetch bezant-core 0.4.0 from crates.io: exit 101: error: failed to download";
        let rows = peer_skipped_rows(&Side::ALL, reason);
        assert_eq!(rows.len(), 7);
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
}
