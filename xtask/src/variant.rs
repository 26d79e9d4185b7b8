//! The two IBKR REST variants this project vendors.

use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};

/// One of IBKR's REST APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// The Web API at api.ibkr.com (OpenAPI 3.0 upstream).
    Web,
    /// The Client Portal Gateway at localhost:5000 (Swagger 2.0 upstream).
    Gateway,
}

impl Variant {
    /// Both variants, in generation order.
    pub const ALL: [Variant; 2] = [Variant::Web, Variant::Gateway];

    /// Parses a variant name given on the command line.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "web" => Ok(Variant::Web),
            "gateway" => Ok(Variant::Gateway),
            other => Err(XtaskError::InvalidArgument(format!(
                "unknown variant `{other}` (expected `web` or `gateway`)"
            ))),
        }
    }

    /// The variant's short name, used in file and module names.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Web => "web",
            Variant::Gateway => "gateway",
        }
    }

    /// `openapi/<name>.json` under `root`.
    pub fn spec_path(self, root: &Path) -> PathBuf {
        root.join("openapi").join(format!("{}.json", self.name()))
    }

    /// `openapi/<name>.lock.json` under `root`.
    pub fn lock_path(self, root: &Path) -> PathBuf {
        root.join("openapi")
            .join(format!("{}.lock.json", self.name()))
    }
}

/// A vendored spec, `openapi/<variant>.json`, read and parsed.
pub struct VendoredSpec {
    /// Which variant it is.
    pub variant: Variant,
    /// sha256 of the file's bytes (the generated files' headers name it).
    pub sha256: String,
    /// The document.
    pub doc: serde_json::Value,
}

impl Variant {
    /// Reads and parses `openapi/<name>.json` under `root`.
    pub fn load_spec(self, root: &Path) -> Result<VendoredSpec> {
        let path = self.spec_path(root);
        let bytes = std::fs::read(&path).map_err(|e| XtaskError::io(&path, e))?;
        let doc = serde_json::from_slice(&bytes).map_err(|e| XtaskError::BadSpec {
            source_name: path.display().to_string(),
            message: format!("invalid JSON: {e}"),
        })?;
        Ok(VendoredSpec {
            variant: self,
            sha256: crate::pipeline::sha256_hex(&bytes),
            doc,
        })
    }
}

/// Both vendored specs, in [`Variant::ALL`] order.
pub fn load_specs(root: &Path) -> Result<Vec<VendoredSpec>> {
    Variant::ALL.iter().map(|v| v.load_spec(root)).collect()
}

impl std::fmt::Display for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The workspace to work on: the nearest directory at or above the current
/// one that holds `xtask/Cargo.toml`, so that a copy of the workspace (for
/// example a scratch copy in CI) can be driven by an already-built xtask.
/// Falls back to the workspace this xtask was built from.
pub fn workspace_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("xtask").join("Cargo.toml").is_file() && dir.join("Cargo.toml").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    build_root()
}

/// The workspace this xtask binary was built from.
pub fn build_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
