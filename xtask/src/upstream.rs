//! Where IBKR publishes each variant's spec, as recorded in
//! `openapi/upstream.json`. `import` and `drift` read it when no source is
//! given on the command line.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Result, XtaskError};
use crate::variant::Variant;

/// `openapi/upstream.json` under `root`.
pub fn config_path(root: &Path) -> PathBuf {
    root.join("openapi").join("upstream.json")
}

/// The upstream location (normally a URL) configured for `variant`.
pub fn upstream_url(root: &Path, variant: Variant) -> Result<String> {
    let path = config_path(root);
    let bytes = std::fs::read(&path).map_err(|e| XtaskError::io(&path, e))?;
    let bad = |message: String| XtaskError::BadSpec {
        source_name: path.display().to_string(),
        message,
    };
    let config: Value =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    url_in(&config, variant).map_err(bad)
}

fn url_in(config: &Value, variant: Variant) -> std::result::Result<String, String> {
    match config.get(variant.name()) {
        Some(Value::String(url)) if !url.trim().is_empty() => Ok(url.trim().to_string()),
        Some(_) => Err(format!(
            "`{variant}` must be a non-empty string (the spec's URL)"
        )),
        None => Err(format!(
            "no `{variant}` entry; add its URL or pass a source on the command line"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_entry_of_the_variant() {
        let config = json!({"_comment": "x", "web": " https://a/web ", "gateway": "https://b/gw"});
        assert_eq!(url_in(&config, Variant::Web).unwrap(), "https://a/web");
        assert_eq!(url_in(&config, Variant::Gateway).unwrap(), "https://b/gw");
        let e = url_in(&json!({"web": 3}), Variant::Web).unwrap_err();
        assert!(e.contains("non-empty string"), "{e}");
        let e = url_in(&json!({}), Variant::Gateway).unwrap_err();
        assert!(e.contains("no `gateway` entry"), "{e}");
    }

    #[test]
    fn the_committed_config_names_both_variants() {
        let root = crate::variant::workspace_root();
        for variant in Variant::ALL {
            let url = upstream_url(&root, variant).unwrap();
            assert!(url.starts_with("https://"), "{variant}: {url}");
        }
    }
}
