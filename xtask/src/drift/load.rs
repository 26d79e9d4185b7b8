//! Reading the two sides of a comparison.
//!
//! An upstream spec goes through the import pipeline. When the pipeline
//! refuses it only because the repaired document is not valid OpenAPI 3.0
//! (a `null` where a string is required, say), the repaired document is
//! compared as read, since the model needs no validity, with a one-line
//! warning naming the offending node's JSON pointer when it can be found.
//! Any other failure (unreadable, not JSON or YAML, unknown version, no
//! `paths`) stays an error.

use std::path::Path;

use serde_json::{Value, json};

use super::render::Side;
use crate::error::{Result, XtaskError};
use crate::source::{Source, parse_document};
use crate::variant::Variant;
use crate::{canonical, pipeline, repairs, swagger2};

/// One side, ready to compare.
#[derive(Debug)]
pub struct Loaded {
    /// What the user named, or the vendored file's relative path.
    pub name: String,
    /// The (repaired) document.
    pub doc: Value,
    /// Its `info.version`.
    pub info_version: String,
    /// Set when the document is compared as read.
    pub warning: Option<String>,
}

impl Loaded {
    /// The side as the report names it.
    pub fn side(&self) -> Side {
        Side {
            source: self.name.clone(),
            info_version: self.info_version.clone(),
        }
    }
}

fn info_version(doc: &Value) -> String {
    doc.pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string()
}

/// The vendored `openapi/<variant>.json`.
pub fn vendored(root: &Path, variant: Variant) -> Result<Loaded> {
    let path = variant.spec_path(root);
    let bytes = std::fs::read(&path).map_err(|e| XtaskError::io(&path, e))?;
    let name = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .display()
        .to_string();
    let doc = parse_document(&name, &bytes)?;
    Ok(Loaded {
        name,
        info_version: info_version(&doc),
        doc,
        warning: None,
    })
}

/// A file or URL, imported in memory.
pub fn imported(location: &str) -> Result<Loaded> {
    let source = Source::load(location)?;
    match pipeline::import(&source) {
        Ok(imported) => Ok(Loaded {
            name: location.to_string(),
            doc: imported.spec,
            info_version: imported.info_version,
            warning: None,
        }),
        Err(error) => as_read(&source).ok_or(error),
    }
}

/// The pipeline's steps without its final validation, for a document that
/// fails only there; `None` when it fails earlier (the pipeline's error
/// then stands).
fn as_read(source: &Source) -> Option<Loaded> {
    let raw = source.parse().ok()?;
    let swagger = raw.get("swagger").and_then(Value::as_str) == Some("2.0");
    let mut doc = if swagger {
        swagger2::convert(&raw).ok()?
    } else if raw
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v == "3.0" || v.starts_with("3.0."))
    {
        raw
    } else {
        return None;
    };
    if !doc.get("paths").is_some_and(Value::is_object) {
        return None;
    }
    let info_version = info_version(&doc);
    repairs::apply_all(&mut doc, &mut repairs::Report::default());
    canonical::strip_prose(&mut doc);
    doc["openapi"] = json!("3.0.3");
    let error = pipeline::to_openapi(&doc).err()?;
    let at = locate(&doc).map_or_else(String::new, |p| format!(" at {p}"));
    Some(Loaded {
        name: source.name.clone(),
        warning: Some(format!(
            "{}: not a valid OpenAPI 3.0 document after repairs ({error}{at}); compared as read",
            source.name
        )),
        doc,
        info_version,
    })
}

/// Most validations [`locate`] runs before giving up.
const MAX_PROBES: usize = 400;

/// The JSON pointer of a node that makes the document invalid: the
/// document is narrowed down, one level at a time, to the child whose
/// removal makes the validation error go away or change (halving the
/// candidates each time). `None` when the document is valid, or no single
/// node could be singled out within [`MAX_PROBES`] validations.
pub fn locate(doc: &Value) -> Option<String> {
    let target = pipeline::to_openapi(doc).err()?.to_string();
    let mut probes = 0;
    let mut fails_the_same = |d: &Value| {
        probes += 1;
        (probes <= MAX_PROBES).then(|| {
            pipeline::to_openapi(d)
                .err()
                .is_some_and(|e| e.to_string() == target)
        })
    };
    // Object members found innocent are dropped from `work` for good;
    // array elements are only ever removed from a copy, so that indices
    // keep meaning the same elements.
    let mut work = doc.clone();
    let mut pointer = String::new();
    loop {
        let keys = children(work.pointer(&pointer)?);
        if keys.is_empty() {
            return Some(pointer);
        }
        let mut candidates = keys;
        while candidates.len() > 1 {
            let second = candidates.split_off(candidates.len() / 2);
            if fails_the_same(&without(&work, &pointer, &second))? {
                if work.pointer(&pointer).is_some_and(Value::is_object) {
                    work = without(&work, &pointer, &second);
                }
            } else {
                candidates = second;
            }
        }
        let only = candidates.remove(0);
        if fails_the_same(&without(&work, &pointer, std::slice::from_ref(&only)))? {
            // The error is not inside any one child: it is this node.
            return Some(pointer);
        }
        pointer = format!("{pointer}/{}", only.replace('~', "~0").replace('/', "~1"));
    }
}

/// The keys of an object or the indices of an array, as pointer tokens
/// (unescaped).
fn children(node: &Value) -> Vec<String> {
    match node {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// A copy of `doc` with the children `keys` of the node at `pointer` removed.
fn without(doc: &Value, pointer: &str, keys: &[String]) -> Value {
    let mut out = doc.clone();
    match out.pointer_mut(pointer) {
        Some(Value::Object(map)) => {
            for k in keys {
                map.remove(k);
            }
        }
        Some(Value::Array(items)) => {
            let mut indices: Vec<usize> = keys.iter().filter_map(|k| k.parse().ok()).collect();
            indices.sort_unstable();
            for i in indices.into_iter().rev() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(doc: &Value) -> Source {
        Source {
            name: "new.json".into(),
            bytes: doc.to_string().into_bytes(),
        }
    }

    fn spec(extra: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "9"},
            "paths": {
                "/a/{id}": {"get": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}}
                }},
                "/b": {"post": {"responses": {"200": {"description": "ok"}}}}
            },
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"x": {"type": "string"}}}
            }}
        });
        if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
            doc.extend(extra.clone());
        }
        doc
    }

    #[test]
    fn a_null_in_security_is_repaired_and_still_locatable() {
        let doc = spec(json!({"security": [{"x": [null]}]}));
        // The import repairs it (`null_values`), so nothing is compared
        // as read ...
        let imported = pipeline::import(&source(&doc)).expect("repaired");
        assert_eq!(imported.spec["security"], json!([{"x": []}]));
        assert!(as_read(&source(&doc)).is_none());
        // ... and the document as written is still located exactly.
        assert_eq!(locate(&doc).as_deref(), Some("/security/0/x/0"));
        let model = super::super::model::Model::from_doc(&imported.spec);
        let ids: Vec<&str> = model.operations.keys().map(String::as_str).collect();
        assert_eq!(ids, ["a_id_get", "b_post"]);
    }

    #[test]
    fn a_null_deep_in_a_schema_is_located() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["A"]["required"] = json!(["x", null]);
        assert_eq!(
            locate(&doc).as_deref(),
            Some("/components/schemas/A/required/1")
        );
        assert!(pipeline::import(&source(&doc)).is_ok(), "repaired");
    }

    #[test]
    fn other_failures_stay_errors() {
        for doc in [
            json!({"openapi": "3.1.0", "info": {}, "paths": {}}),
            json!({"openapi": "3.0.3", "info": {}}),
            json!({"swagger": "1.2", "paths": {}}),
        ] {
            assert!(as_read(&source(&doc)).is_none(), "{doc}");
        }
        assert!(locate(&spec(json!({}))).is_none());
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let mut doc = spec(json!({}));
        doc["paths"]["/b"]["post"]["tags"] = json!(["t", null]);
        assert_eq!(locate(&doc).as_deref(), Some("/paths/~1b/post/tags/1"));
    }
}
