//! `cargo xtask import <variant> <source>`: writes openapi/<variant>.json
//! and its lock file, and prints the repair report.

use std::path::Path;

use serde_json::json;

use crate::canonical::to_canonical_string;
use crate::error::{Result, XtaskError};
use crate::pipeline::{self, sha256_hex};
use crate::source::Source;
use crate::variant::Variant;

/// Imports `location` as `variant` under `root`. Nothing is written unless
/// the whole pipeline succeeds.
pub fn run(root: &Path, variant: Variant, location: &str) -> Result<()> {
    let source = Source::load(location)?;
    let imported = pipeline::import(&source)?;
    let spec_path = variant.spec_path(root);
    let lock_path = variant.lock_path(root);
    let lock = json!({
        "variant": variant.name(),
        "source": source.provenance_name(),
        "upstream_sha256": imported.upstream_sha256,
        "info_version": imported.info_version,
        "converted_from_swagger2": imported.converted_from_swagger2,
        "spec_sha256": sha256_hex(imported.text.as_bytes()),
        "repairs": imported.report.counts(),
    });
    write(&spec_path, &imported.text)?;
    write(&lock_path, &to_canonical_string(&lock))?;
    let ops = crate::openapi::operations(&imported.spec).len();
    eprintln!(
        "imported {} ({} {}, {} operations) into {}",
        source.name,
        if imported.converted_from_swagger2 {
            "Swagger 2.0"
        } else {
            "OpenAPI 3.0"
        },
        imported.info_version,
        ops,
        spec_path.strip_prefix(root).unwrap_or(&spec_path).display()
    );
    eprintln!("repairs:\n{}", imported.report.render().trim_end());
    crate::facade_ops::print_import_impact(root, variant, &imported.spec);
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| XtaskError::io(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| XtaskError::io(path, e))
}
