//! 1. Code generation.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use super::Options;
use super::process::{copy_tree, remove_dir, timed};
use super::table::{Reference, Row, median};
use crate::error::{Result, XtaskError};
use crate::variant::Variant;

/// The upstream file a vendored spec was imported from, under
/// `shared/ibkr-openapi/<variant>/`, named by its lock file's `source`.
pub fn upstream_file(shared: &Path, variant: Variant, lock: &Value) -> Option<PathBuf> {
    let source = lock.get("source")?.as_str()?;
    if source.contains("://") || source.contains('/') {
        return None;
    }
    Some(shared.join(variant.name()).join(source))
}

pub(super) fn codegen(root: &Path, opts: &Options) -> Result<Vec<Row>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
