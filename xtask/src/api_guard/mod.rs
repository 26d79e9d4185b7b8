//! `cargo xtask api-guard [--bless]`: a snapshot of the facade's public API.
//!
//! Every `pub` item of `crates/ibkr-client/src` and of the response types it
//! re-exports from `crates/ibkr-model/src` is rendered as one line (its
//! module path and signature, without bodies or docs) and compared with the
//! committed `crates/ibkr-client/public-api.txt`. The model's modules mirror
//! the facade's (`ibkr_model::areas::balances` is re-exported whole by
//! `ibkr_client::areas::balances`), so both crates are rendered under the
//! same module paths and the glob re-export itself adds no line: the
//! snapshot is the API as a user of the facade reaches it, whichever of
//! the two crates defines an item. What a user cannot reach is left out
//! (see [`reach`]).
//!
//! A change to the public API fails the check until the snapshot is
//! re-blessed in the same commit, so an unintended change (for example one
//! leaking from a regenerated low-level crate) cannot land unnoticed. The
//! check also refuses public signatures that mention the generated
//! `ibkr_api` types outside the documented escape-hatch accessors. Trait
//! impls whose trait names a generated type (`impl From<ibkr_api::…> for
//! Account`) are conversion plumbing, outside the stability promise, and
//! are left out.

mod items;
mod reach;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};
use crate::write_or_check::write_or_check;

/// Where the facade lives.
pub const FACADE_SRC: &str = "crates/ibkr-client/src";
/// Where the response types the facade re-exports live.
pub const MODEL_SRC: &str = "crates/ibkr-model/src";
/// The crate name of [`MODEL_SRC`], as the facade's `use` items spell it.
const MODEL_CRATE: &str = "ibkr_model";
/// The committed snapshot.
pub const SNAPSHOT: &str = "crates/ibkr-client/public-api.txt";
/// Public functions allowed to expose the generated clients (the escape hatch).
const ESCAPE_HATCH: &[&str] = &["web_api", "web_account_api", "gateway_api"];

/// The result of comparing the current API with the snapshot.
pub enum Outcome {
    /// Identical.
    Unchanged,
    /// Differs: a unified diff from snapshot to current.
    Changed(String),
}

/// Renders the public API of the crates whose sources are under `srcs`,
/// each rendered under the same module paths (`crate::…`).
pub fn render(srcs: &[PathBuf]) -> Result<String> {
    let mut parsed = Vec::new();
    for (krate, src) in srcs.iter().enumerate() {
        let mut files = Vec::new();
        collect_rs(src, &mut files)?;
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| XtaskError::io(&file, e))?;
            let syntax = syn::parse_file(&text).map_err(|e| XtaskError::BadSpec {
                source_name: file.display().to_string(),
                message: format!("cannot parse: {e}"),
            })?;
            parsed.push((krate, module_path(src, &file), syntax));
        }
    }
    let reach = reach::Reach::collect(&parsed);
    let mut lines = Vec::new();
    for (krate, module, file) in &parsed {
        let scope = items::Scope {
            krate: *krate,
            reach: &reach,
            mirrored_crates: &[MODEL_CRATE],
        };
        items::items(&file.items, module, &scope, &mut lines);
    }
    lines.sort();
    lines.dedup();
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Public signatures that mention the generated crate, outside the escape hatch.
pub fn leaks(api: &str) -> Vec<String> {
    api.lines()
        .filter(|l| l.contains("ibkr_api"))
        .filter(|l| !ESCAPE_HATCH.iter().any(|f| l.contains(&format!("fn {f}"))))
        .map(str::to_string)
        .collect()
}

/// Compares with (or, with `bless`, writes) the snapshot under `root`.
pub fn run(root: &Path, bless: bool) -> Result<Outcome> {
    let api = render(&[root.join(FACADE_SRC), root.join(MODEL_SRC)])?;
    let leaked = leaks(&api);
    if !leaked.is_empty() {
        return Err(XtaskError::InvalidArgument(format!(
            "the facade's public API exposes generated types outside the escape hatch: {}",
            leaked.join(" | ")
        )));
    }
    let outcome = write_or_check(root, &[(SNAPSHOT, &api)], !bless)?;
    Ok(if bless || outcome.is_current() {
        Outcome::Unchanged
    } else {
        Outcome::Changed(outcome.diff)
    })
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| XtaskError::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| XtaskError::io(dir, e))?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("lib" | "mod")) {
        parts.pop();
    }
    std::iter::once("crate".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}
