//! `cargo xtask`: import IBKR's specs, generate the low-level client, and
//! check that committed generated code is current.
//!
//! Every failure prints one line on stderr and exits with code 2;
//! `generate --check` exits with 1 and a diff when code is stale,
//! `ops --check` with 1 when the facade's operation table does not match
//! the vendored specs, and `drift` with 1 when the upstream spec differs
//! from the vendored one.

mod api_guard;
mod bench;
mod canonical;
mod coverage;
mod drift;
mod error;
mod facade_ops;
mod generate;
mod import;
mod openapi;
mod pipeline;
mod repairs;
mod source;
mod swagger2;
mod upstream;
mod variant;
mod write_or_check;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{Result, XtaskError};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks: import, generate, check, drift, ops, coverage, bench"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure code generation, builds, the facade's per-call overhead,
    /// pacing and streaming, and print each figure with its reference or
    /// goal (see BENCHMARKS.md). Exits 1 if a measurement failed; unmet
    /// goals are reported, not failures.
    Bench {
        /// A shorter run: one repetition, the facade's builds only, fewer
        /// bench iterations.
        #[arg(long)]
        quick: bool,
        /// Repetitions of the code generation and incremental build
        /// measurements (default 3, 1 with --quick).
        #[arg(long, value_name = "N")]
        runs: Option<String>,
        /// Skip import/generate timings.
        #[arg(long)]
        skip_codegen: bool,
        /// Skip the build timings (the slowest part), the side-by-side
        /// builds with the peer included.
        #[arg(long)]
        skip_builds: bool,
        /// Skip the side-by-side builds with the peer (bezant-core from
        /// crates.io).
        #[arg(long)]
        skip_peer: bool,
        /// Skip the facade overhead bench.
        #[arg(long)]
        skip_overhead: bool,
        /// Skip the pacing bench.
        #[arg(long)]
        skip_pacing: bool,
        /// Skip the streaming bench (decoding, latency and the soak on a
        /// loopback mock; 60 s of soak, 10 s with --quick).
        #[arg(long)]
        skip_stream: bool,
    },
    /// Print which spec operations the facade (crates/ibkr-client) calls, as
    /// a Markdown table, and write it into README.md between the
    /// `<!-- coverage:start -->` / `<!-- coverage:end -->` markers.
    Coverage {
        /// Write nothing; exit 1 if README.md's table is stale.
        #[arg(long)]
        check: bool,
    },
    /// Print how every operation of the facade's table (crates/ibkr-ops)
    /// binds to the vendored specs: the spec operation each route names,
    /// then every disagreement.
    Ops {
        /// Exit 1 when a documented route is missing from its vendored spec
        /// or a declared query name is not one of its query parameters.
        #[arg(long)]
        check: bool,
    },
    /// Import an upstream IBKR spec into openapi/<variant>.json.
    Import {
        /// `web` or `gateway`.
        variant: String,
        /// A file path or an http(s) URL (JSON or YAML; Swagger 2.0 or OpenAPI 3.0).
        /// Defaults to the variant's URL in openapi/upstream.json.
        source: Option<String>,
    },
    /// Generate the low-level client and its mocks from openapi/*.json.
    Generate {
        /// Write nothing; exit 1 with a diff if committed code is stale.
        #[arg(long)]
        check: bool,
        /// Interface style to generate. The committed code uses `positional`
        /// (chosen by measurement); `builder` exists to repeat that
        /// measurement in a scratch copy.
        #[arg(long, value_enum, default_value = "positional")]
        interface: Interface,
    },
    /// Compare the facade's public API with the committed snapshot
    /// (crates/ibkr-client/public-api.txt); exit 1 with a diff when it changed.
    ApiGuard {
        /// Accept the current API: rewrite the snapshot.
        #[arg(long)]
        bless: bool,
    },
    /// Compare an upstream spec with the vendored openapi/<variant>.json:
    /// what it does to the facade's routes, then every structural change
    /// (identical ones grouped), breaking or compatible. Exits 1 when
    /// anything differs.
    Drift {
        /// `web` or `gateway`.
        variant: String,
        /// The upstream spec: a file path or an http(s) URL. Defaults to the
        /// variant's URL in openapi/upstream.json. Nothing is written.
        source: Option<String>,
        /// Compare against this spec (imported in memory) instead of the
        /// vendored one, e.g. an older upstream release.
        #[arg(long, value_name = "FILE|URL")]
        against: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: drift::Format,
    },
}

/// progenitor's interface styles.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Interface {
    Positional,
    Builder,
}

/// Outcome of a command that did not fail outright.
enum Outcome {
    Ok,
    /// Something the user asked to be checked differs (exit code 1).
    Differs,
}

impl Outcome {
    /// `Differs` when `differs`, else `Ok`.
    fn differs_if(differs: bool) -> Self {
        if differs {
            Outcome::Differs
        } else {
            Outcome::Ok
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    let root = variant::workspace_root();
    match cli.command {
        Command::Bench {
            quick,
            runs,
            skip_codegen,
            skip_builds,
            skip_peer,
            skip_overhead,
            skip_pacing,
            skip_stream,
        } => {
            let options = bench::Options {
                skip_codegen,
                skip_builds,
                skip_peer,
                skip_overhead,
                skip_pacing,
                skip_stream,
                ..bench::Options::new(quick, runs.as_deref())?
            };
            Ok(Outcome::differs_if(!bench::run(&root, &options)?))
        }
        Command::Coverage { check } => Ok(Outcome::differs_if(coverage::run(&root, check)?)),
        Command::Ops { check } => Ok(Outcome::differs_if(facade_ops::run(&root, check)?)),
        Command::Import { variant, source } => {
            let variant = variant::Variant::parse(&variant)?;
            let source = match source {
                Some(source) => source,
                None => upstream::upstream_url(&root, variant)?,
            };
            import::run(&root, variant, &source)?;
            Ok(Outcome::Ok)
        }
        Command::ApiGuard { bless } => match api_guard::run(&root, bless)? {
            api_guard::Outcome::Unchanged => {
                eprintln!(
                    "{}",
                    if bless {
                        "public API snapshot written"
                    } else {
                        "public API unchanged"
                    }
                );
                Ok(Outcome::Ok)
            }
            api_guard::Outcome::Changed(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: the facade's public API changed; if intended, run `cargo xtask api-guard --bless` and commit the snapshot"
                );
                Ok(Outcome::Differs)
            }
        },
        Command::Drift {
            variant,
            source,
            against,
            format,
        } => {
            let variant = variant::Variant::parse(&variant)?;
            let drifted = drift::run(
                &root,
                variant,
                source.as_deref(),
                against.as_deref(),
                format,
            )?;
            Ok(Outcome::differs_if(drifted))
        }
        Command::Generate { check, interface } => {
            let style = match interface {
                Interface::Positional => generate::INTERFACE,
                Interface::Builder => progenitor_impl::InterfaceStyle::Builder,
            };
            let specs = variant::load_specs(&root)?;
            let files = generate::generate_all(&specs, style)?;
            let outcome = write_or_check::write_or_check(&root, &files, check)?;
            facade_ops::print_impact(&facade_ops::docs(&specs), &variant::Variant::ALL);
            if check && !outcome.is_current() {
                print!("{}", outcome.diff);
                eprintln!(
                    "error: {}",
                    XtaskError::Stale("run `cargo xtask generate`".into())
                );
                return Ok(Outcome::Differs);
            }
            if check {
                eprintln!("generated code is up to date ({} files)", files.len());
            } else {
                eprintln!("wrote {} generated files", files.len());
            }
            Ok(Outcome::Ok)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Differs) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
