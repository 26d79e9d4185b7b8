//! `cargo xtask drift <variant> [source]`: how far an upstream spec has moved
//! from the vendored one, and what that does to the facade.
//!
//! The upstream document goes through the same import pipeline as `import`
//! (in memory, nothing is written) and is compared with the vendored
//! `openapi/<variant>.json`, or with another imported spec given by
//! `--against`. Both sides are therefore repaired, canonical documents, and
//! operations can be matched by their derived operation ids. A document
//! that is not valid OpenAPI 3.0 after the repairs is still compared, as
//! read, with a warning ([`load`]).
//!
//! - [`model`]: what a spec looks like to drift;
//! - [`diff`]: two models → classified changes ([`change`] has the kinds
//!   and their breaking rules, and groups identical changes);
//! - [`facade`]: what the changes do to the routes of `ibkr-ops`;
//! - [`render`]: text, Markdown and JSON.
//!
//! Exit codes (in `main`): 0 no drift, 1 drift, 2 bad input.

mod change;
mod diff;
mod facade;
mod load;
mod model;
mod render;

use std::io::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::error::{Result, XtaskError};
use crate::upstream;
use crate::variant::Variant;
use change::Report;
use facade::Impact;
use model::Model;
use render::Side;

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A count line, the facade's impacts, then one line per group of
    /// identical changes, section by section.
    Text,
    /// A sorted JSON document with `summary`, `facade` and `changes`.
    Json,
    /// A heading with the counts and one table per section.
    Markdown,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Drift {
    /// The variant compared.
    pub variant: Variant,
    /// The old side.
    pub baseline: Side,
    /// The new side.
    pub upstream: Side,
    /// One line per side that could only be compared as read.
    pub warnings: Vec<String>,
    /// The spec's changes.
    pub report: Report,
    /// What they do to the facade.
    pub facade: Vec<Impact>,
}

impl Drift {
    /// Compares the `old` document (the baseline) with the `new` one.
    pub fn compare(
        variant: Variant,
        baseline: Side,
        old: &Value,
        upstream: Side,
        new: &Value,
    ) -> Self {
        let (old, new) = (Model::from_doc(old), Model::from_doc(new));
        Drift {
            variant,
            baseline,
            upstream,
            warnings: Vec::new(),
            report: diff::diff(&old, &new),
            facade: facade::impacts(variant.name(), &old, &new),
        }
    }

    /// Whether anything changed (exit code 1).
    pub fn drifted(&self) -> bool {
        !self.report.changes.is_empty() || !self.facade.is_empty()
    }
}

/// Runs `drift` and prints the report on stdout. Returns whether any drift
/// was found.
pub fn run(
    root: &Path,
    variant: Variant,
    source: Option<&str>,
    against: Option<&str>,
    format: Format,
) -> Result<bool> {
    let location = match source {
        Some(s) => s.to_string(),
        None => upstream::upstream_url(root, variant)?,
    };
    let new = load::imported(&location)?;
    let old = match against {
        Some(baseline) => load::imported(baseline)?,
        None => load::vendored(root, variant)?,
    };
    let mut drift = Drift::compare(variant, old.side(), &old.doc, new.side(), &new.doc);
    drift.warnings = old.warning.into_iter().chain(new.warning).collect();
    for w in &drift.warnings {
        eprintln!("warning: {w}");
    }
    let out = match format {
        Format::Text => render::text(&drift),
        Format::Markdown => render::markdown(&drift),
        Format::Json => render::json(&drift).map_err(|e| XtaskError::BadSpec {
            source_name: location.clone(),
            message: format!("cannot write the JSON report: {e}"),
        })?,
    };
    // A closed pipe (`drift ... | head`) is not an error.
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(XtaskError::io("stdout", e));
        }
        _ => {}
    }
    Ok(drift.drifted())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    fn compare(variant: Variant, old: &Value, new: &Value) -> Drift {
        let side = |source: &str| Side {
            source: source.into(),
            info_version: "1".into(),
        };
        Drift::compare(variant, side("old.json"), old, side("new.json"), new)
    }

    #[test]
    fn a_facade_route_removed_upstream_is_drift_and_leads_the_text() {
        let old = doc(json!({
            "/iserver/reauthenticate": {"get": {"operationId": "iserver_reauthenticate_get", "responses": {}}}
        }));
        let drift = compare(Variant::Web, &old, &doc(json!({})));
        assert!(drift.drifted());
        let text = render::text(&drift);
        let first_change = text.lines().find(|l| l.starts_with('[')).unwrap();
        assert_eq!(
            first_change,
            "[breaking] `Session::reauthenticate` (web): GET /iserver/reauthenticate removed upstream; the facade returns Unsupported"
        );
        let json: Value = serde_json::from_str(&render::json(&drift).unwrap()).unwrap();
        assert_eq!(json["facade"][0]["operation"], "Session::reauthenticate");
        assert_eq!(json["facade"][0]["change"], "removed");
        assert_eq!(json["facade"][0]["facade"], "returns_unsupported");
        assert!(render::markdown(&drift).contains("\n## Facade (1 route change)\n"));
    }

    #[test]
    fn identical_documents_have_no_drift() {
        let d = doc(json!({"/tickle": {"post": {"operationId": "tickle_post", "responses": {}}}}));
        let drift = compare(Variant::Gateway, &d, &d);
        assert!(!drift.drifted());
        assert!(render::text(&drift).ends_with("no structural drift\n"));
    }
}
