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
//!    directory in a temporary directory and without incremental
//!    compilation (as cargo builds a dependency from a registry, the peer's
//!    case, or from git), and an incremental rebuild after an edit of each
//!    library (see [`peer::PEER`]). For information, the quickstart
//!    example's cold release build and binary size.
//! 3. The facade's per-call overhead (`benches/overhead.rs`).
//! 4. Pacing efficiency (`benches/pacing.rs`).
//! 5. Streaming on a loopback mock (`benches/stream.rs`, feature `testing`):
//!    decoding speed, latency, and a soak (see [`stream`]).
//!
//! Nothing here decides whether a goal is met except [`table::evaluate`]; the
//! parsers of the benches' output and the table are pure and unit-tested.

mod builds;
mod codegen;
mod machine;
mod options;
mod overhead;
mod pacing;
mod parse;
mod peer;
mod peer_builds;
mod process;
mod stream;
mod table;

use std::path::Path;
use std::time::Instant;

pub use options::Options;

use crate::error::Result;
use machine::{Machine, load_average};
use process::bench_rows;
use table::{Row, render_table, tally};

// ---------------------------------------------------------------------------

/// Runs every selected benchmark and prints the table. Returns whether every
/// measurement ran (unmet goals are findings, not failures).
pub fn run(root: &Path, opts: &Options) -> Result<bool> {
    let machine = Machine::probe();
    let started = Instant::now();
    let mut rows = Vec::new();
    type Section<'a> = &'a dyn Fn() -> Result<Vec<Row>>;
    let sections: [(&str, bool, Section); 6] = [
        ("code generation", opts.skip_codegen, &|| {
            codegen::codegen(root, opts)
        }),
        ("builds", opts.skip_builds, &|| builds::builds(root, opts)),
        (
            "side by side with the peer",
            opts.skip_builds || opts.skip_peer,
            &|| peer_builds::peer(root, opts),
        ),
        ("overhead", opts.skip_overhead, &|| {
            Ok(overhead::overhead_section(root, opts.quick))
        }),
        ("pacing", opts.skip_pacing, &|| {
            Ok(bench_rows(root, &pacing::PACING, opts.quick))
        }),
        ("streaming", opts.skip_stream, &|| {
            Ok(bench_rows(root, &stream::STREAM, opts.quick))
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
