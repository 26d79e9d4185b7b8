//! The import pipeline: upstream bytes → OpenAPI 3.0 → repairs → prose
//! stripped → canonical JSON. Used by `import` (which writes the result) and
//! by `drift` (which only compares it).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::canonical;
use crate::error::{Result, XtaskError};
use crate::openapi;
use crate::repairs::{self, Report};
use crate::source::Source;
use crate::swagger2;

/// The result of importing one upstream spec, in memory.
pub struct Imported {
    /// The canonical, repaired OpenAPI 3.0 document.
    pub spec: Value,
    /// `spec` serialised canonically: what `openapi/<variant>.json` holds.
    pub text: String,
    /// Which repairs fired.
    pub report: Report,
    /// sha256 of the upstream bytes.
    pub upstream_sha256: String,
    /// The upstream `info.version`.
    pub info_version: String,
    /// Whether the upstream was Swagger 2.0 (and so was converted).
    pub converted_from_swagger2: bool,
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the whole pipeline on a loaded source.
pub fn import(source: &Source) -> Result<Imported> {
    let bad = |message: String| XtaskError::BadSpec {
        source_name: source.name.clone(),
        message,
    };
    let doc = source.parse()?;
    let (mut doc, converted) = match spec_version(&doc) {
        SpecVersion::Swagger2 => (
            swagger2::convert(&doc).map_err(|e| bad(format!("cannot convert Swagger 2.0: {e}")))?,
            true,
        ),
        SpecVersion::OpenApi30 => (doc, false),
        SpecVersion::OpenApi31(v) => {
            return Err(bad(format!(
                "OpenAPI {v} is not supported: progenitor generates from OpenAPI 3.0.x; convert the document to 3.0 first"
            )));
        }
        SpecVersion::Unknown(v) => {
            return Err(bad(format!(
                "unknown spec version {v}: expected `swagger: \"2.0\"` or `openapi: 3.0.x`"
            )));
        }
    };
    if !doc.get("paths").is_some_and(Value::is_object) {
        return Err(bad("the document has no `paths` object".into()));
    }
    let info_version = doc
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string();
    let mut report = Report::default();
    repairs::apply_all(&mut doc, &mut report);
    canonical::strip_prose(&mut doc);
    doc["openapi"] = json!("3.0.3");
    // Fail here, with the source named, rather than later in `generate`.
    to_openapi(&doc).map_err(|e| {
        bad(format!(
            "not a valid OpenAPI 3.0 document after repairs: {e}"
        ))
    })?;
    let text = canonical::to_canonical_string(&doc);
    Ok(Imported {
        spec: doc,
        text,
        report,
        upstream_sha256: sha256_hex(&source.bytes),
        info_version,
        converted_from_swagger2: converted,
    })
}

enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31(String),
    Unknown(String),
}

fn spec_version(doc: &Value) -> SpecVersion {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(v) = doc.get("swagger") {
        let v = text(v);
        return if v == "2.0" {
            SpecVersion::Swagger2
        } else {
            SpecVersion::Unknown(format!("swagger {v}"))
        };
    }
    match doc.get("openapi").map(text) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => SpecVersion::OpenApi30,
        Some(v) if v.starts_with("3.1") => SpecVersion::OpenApi31(v),
        Some(v) => SpecVersion::Unknown(format!("openapi {v}")),
        None => SpecVersion::Unknown("(neither `swagger` nor `openapi` field)".into()),
    }
}

/// Parses a vendored document into progenitor's input type. Response
/// descriptions are required by the OpenAPI schema but are prose, so the
/// vendored files omit them; they are filled with empty strings here.
pub fn to_openapi(doc: &Value) -> std::result::Result<openapiv3::OpenAPI, serde_json::Error> {
    let mut doc = doc.clone();
    fill_response_descriptions(&mut doc);
    serde_json::from_value(doc)
}

fn fill_response_descriptions(doc: &mut Value) {
    let fill = |responses: Option<&mut Value>| {
        if let Some(map) = responses.and_then(Value::as_object_mut) {
            for r in map.values_mut() {
                if let Some(obj) = r.as_object_mut()
                    && !obj.contains_key("$ref")
                {
                    obj.entry("description").or_insert_with(|| json!(""));
                }
            }
        }
    };
    fill(doc.pointer_mut("/components/responses"));
    openapi::for_each_operation_mut(doc, |_, _, op| fill(op.get_mut("responses")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            name: "t.json".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn openapi_31_is_refused_with_a_message() {
        let e = import(&source(
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
        ))
        .err()
        .unwrap();
        assert!(
            e.to_string().contains("OpenAPI 3.1.0 is not supported"),
            "{e}"
        );
    }

    #[test]
    fn unknown_versions_are_refused() {
        for doc in [
            r#"{"swagger": "1.2", "paths": {}}"#,
            r#"{"openapi": "4.0", "paths": {}}"#,
            r#"{"paths": {}}"#,
        ] {
            let e = import(&source(doc)).err().unwrap();
            assert!(e.to_string().contains("unknown spec version"), "{e}");
        }
    }

    #[test]
    fn a_small_swagger_spec_imports_repaired_and_stripped() {
        let input = source(
            r#"{"swagger": "2.0", "info": {"title": "gw", "version": "1.0.0", "description": "prose"},
                "host": "localhost:5000", "basePath": "/v1/api",
                "paths": {"/iserver/reply/{replyid}": {"post": {"summary": "s",
                    "parameters": [{"name": "replyid", "in": "path", "type": "string", "required": true},
                                   {"name": "body", "in": "body", "schema": {"type": "object"}}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "object"}}, "401": {"description": "no"}}}}}}"#,
        );
        let imported = import(&input).unwrap();
        // The same input gives byte-identical output.
        assert_eq!(import(&input).unwrap().text, imported.text);
        assert!(imported.converted_from_swagger2);
        assert_eq!(imported.info_version, "1.0.0");
        let op = &imported.spec["paths"]["/iserver/reply/{replyid}"]["post"];
        assert_eq!(op["operationId"], "iserver_reply_reply_id_post");
        assert!(!imported.text.contains("prose") && !imported.text.contains("\"summary\""));
        assert_eq!(imported.report.count("synthesize_operation_ids"), 1);
        assert_eq!(imported.report.count("schemaless_error_bodies"), 1);
    }
}
