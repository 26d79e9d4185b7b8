//! 2. Builds.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Options;
use super::process::{cargo, copy_tree, remove_dir, timed, touch};
use super::table::{Goal, Reference, Row, format_secs, median};
use crate::error::{Result, XtaskError};

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
/// The facade as a default build has it: both variants, no `low-level`,
/// so no generated code.
const FACADE: BuildSpec = BuildSpec {
    label: "ibkr-client (facade, both variants)",
    args: &["-p", "ibkr-client"],
    own: &["ibkr-ops", "ibkr-model", "ibkr-client"],
    goal: true,
};
/// The facade with the generated clients of its escape hatch.
const FACADE_LOW_LEVEL: BuildSpec = BuildSpec {
    label: "ibkr-client (facade, both variants + low-level)",
    args: &["-p", "ibkr-client", "--features", "low-level"],
    own: &["ibkr-ops", "ibkr-model", "ibkr-api", "ibkr-client"],
    goal: false,
};

/// The facade without its JSON Schemas: the default features but
/// `schemars` (which is one of them). What the feature costs is
/// [`FACADE`] against this row.
const FACADE_NO_SCHEMARS: BuildSpec = BuildSpec {
    label: "ibkr-client (facade, both variants, without schemars)",
    args: &[
        "-p",
        "ibkr-client",
        "--no-default-features",
        "--features",
        "web,gateway,rustls",
    ],
    own: &["ibkr-ops", "ibkr-model", "ibkr-client"],
    goal: false,
};

/// The cold builds, in order. The default facade comes last: the
/// incremental rebuilds start from its build.
fn cold_specs(quick: bool) -> Vec<&'static BuildSpec> {
    if quick {
        vec![&FACADE]
    } else {
        vec![
            &API_WEB,
            &API_GATEWAY,
            &API_BOTH,
            &FACADE_LOW_LEVEL,
            &FACADE_NO_SCHEMARS,
            &FACADE,
        ]
    }
}

/// The incremental rebuilds: the file touched, the build, and whether the
/// "< 15 s" goal applies. A facade edit (its methods) rebuilds the facade
/// only; an edit of a response type (`ibkr-model`) rebuilds the model and
/// the facade. Touching `ibkr-api` only rebuilds the facade with
/// `low-level` (a default build does not depend on it); not with `--quick`.
fn incremental_specs(quick: bool) -> Vec<(&'static str, &'static BuildSpec, bool)> {
    let mut out = vec![("crates/ibkr-client/src/areas/scanner.rs", &FACADE, true)];
    if !quick {
        out.push((
            "crates/ibkr-client/src/areas/scanner.rs",
            &FACADE_NO_SCHEMARS,
            false,
        ));
        out.push(("crates/ibkr-model/src/areas/scanner.rs", &FACADE, false));
        out.push(("crates/ibkr-api/src/lib.rs", &FACADE_LOW_LEVEL, false));
    }
    out
}

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

pub(super) fn builds(root: &Path, opts: &Options) -> Result<Vec<Row>> {
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
    let mut rows = Vec::new();
    for spec in cold_specs(opts.quick) {
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

    // Incremental: the build is done (untimed, a no-op after its cold
    // build); touch one file, rebuild.
    for (file, spec, goal) in incremental_specs(opts.quick) {
        let figure = format!(
            "incremental rebuild of {} after touching {file}",
            spec.label
        );
        if let Err(reason) = scratch.build(spec) {
            rows.push(Row::failed(figure, reason));
            continue;
        }
        let mut times = Vec::new();
        for _ in 0..opts.runs {
            touch(&scratch.ws.join(file))?;
            match scratch.build(spec) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_facade_builds_no_generated_code_and_low_level_has_its_own_row() {
        assert!(!FACADE.args.contains(&"--features") && !FACADE.own.contains(&"ibkr-api"));
        // `schemars` is a default feature: its row turns it off.
        assert_eq!(
            FACADE_NO_SCHEMARS.args[2..],
            ["--no-default-features", "--features", "web,gateway,rustls"]
        );
        assert_eq!(FACADE_LOW_LEVEL.args[2..], ["--features", "low-level"]);
        assert_eq!((FACADE.goal, FACADE_LOW_LEVEL.goal), (true, false));
        let labels = |specs: Vec<&BuildSpec>| specs.iter().map(|s| s.label).collect::<Vec<_>>();
        assert_eq!(
            labels(cold_specs(false)),
            [
                "ibkr-api, feature web",
                "ibkr-api, feature gateway",
                "ibkr-api, features web + gateway",
                "ibkr-client (facade, both variants + low-level)",
                "ibkr-client (facade, both variants, without schemars)",
                "ibkr-client (facade, both variants)",
            ]
        );
        // The incremental rows start from the last cold build.
        assert_eq!(cold_specs(false).last().unwrap().label, FACADE.label);
        assert_eq!(labels(cold_specs(true)), [FACADE.label]);
    }

    #[test]
    fn touching_ibkr_api_rebuilds_the_facade_with_low_level() {
        let rows: Vec<(&str, &str, bool)> = incremental_specs(false)
            .into_iter()
            .map(|(file, spec, goal)| (file, spec.label, goal))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "crates/ibkr-client/src/areas/scanner.rs",
                    "ibkr-client (facade, both variants)",
                    true
                ),
                (
                    "crates/ibkr-client/src/areas/scanner.rs",
                    "ibkr-client (facade, both variants, without schemars)",
                    false
                ),
                (
                    "crates/ibkr-model/src/areas/scanner.rs",
                    "ibkr-client (facade, both variants)",
                    false
                ),
                (
                    "crates/ibkr-api/src/lib.rs",
                    "ibkr-client (facade, both variants + low-level)",
                    false
                ),
            ]
        );
        assert_eq!(incremental_specs(true).len(), 1);
    }

    #[test]
    fn sizes_are_in_mib_with_the_bytes() {
        assert_eq!(format_size(0), "0.0 MiB (0 bytes)");
        assert_eq!(format_size(999), "0.0 MiB (999 bytes)");
        assert_eq!(format_size(1_048_576), "1.0 MiB (1,048,576 bytes)");
        assert_eq!(format_size(12_912_345), "12.3 MiB (12,912,345 bytes)");
    }
}
