//! The import pipeline: upstream bytes → OpenAPI 3.0 → repairs → prose
//! stripped → canonical JSON. Used by `import` (which writes the result) and
//! by `drift` (which only compares it).
//!
//! Swagger 2.0 is repaired on its own model, then converted
//! (`crate::swagger2`); OpenAPI 3.1 is converted ([`openapi31`]). The
//! result must parse as OpenAPI 3.0; when it does not, [`parse_strict`]
//! names the offending node's JSON pointer.

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::canonical;
use crate::error::{Result, XtaskError};
use crate::openapi;
use crate::repairs::shape::{self, Kind, Shape};
use crate::repairs::{self, Report};
use crate::source::Source;
use crate::swagger2;

#[path = "pipeline/openapi31.rs"]
mod openapi31;

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
    let mut report = Report::default();
    let (mut doc, converted) = match spec_version(&doc) {
        SpecVersion::Swagger2 => {
            let mut doc = doc;
            repairs::apply_to_swagger2(&mut doc, &mut report);
            let converted = swagger2::convert(&doc)
                .map_err(|e| bad(format!("cannot convert Swagger 2.0: {e}")))?;
            (converted, true)
        }
        SpecVersion::OpenApi30 => (doc, false),
        SpecVersion::OpenApi31 => {
            let mut doc = doc;
            openapi31::convert(&mut doc, &mut report);
            (doc, false)
        }
        SpecVersion::Unknown(v) => {
            // The place: the version field, or the root's `openapi` field
            // when neither is there.
            let at = if doc.get("swagger").is_some() {
                "/swagger"
            } else {
                "/openapi"
            };
            return Err(bad(format!(
                "unknown spec version {v} at {at}: expected `swagger: \"2.0\"` or `openapi: 3.0.x` (or 3.1.x)"
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
    repairs::apply_all(&mut doc, &mut report);
    canonical::strip_prose(&mut doc);
    doc["openapi"] = json!("3.0.3");
    // Fail here, with the source and the node named, rather than later in
    // `generate`.
    parse_strict(&doc).map_err(|e| {
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
    OpenApi31,
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
        Some(v) if v == "3.1" || v.starts_with("3.1.") => SpecVersion::OpenApi31,
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

/// Longest message [`one_line`] keeps.
const MAX_MESSAGE: usize = 400;

/// A message (such as a generator's panic, which may print a whole schema)
/// as one line for the user: every run of whitespace, newlines included,
/// becomes one space, and past 400 characters it is cut with `…`.
pub fn one_line(message: &str) -> String {
    let mut out = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = out.char_indices().nth(MAX_MESSAGE) {
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// Why a document is not valid OpenAPI 3.0: the parser's message and the
/// JSON pointer of the node it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The JSON pointer (RFC 6901) of the offending node; empty for the
    /// document itself.
    pub pointer: String,
    /// What the parser said.
    pub message: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{} (in the document root)", self.message)
        } else {
            write!(f, "{} at {}", self.message, self.pointer)
        }
    }
}

/// Parses a document the way [`to_openapi`] does; when that fails, finds
/// the node the failure is about.
///
/// The parser's own errors name no place, so the document is narrowed
/// down along the OpenAPI 3.0 model ([`shape`]): from the root, into the
/// first child object or list that does not parse on its own as what the
/// model expects there; at the last such node, the child whose removal
/// makes it parse, or else the first scalar child of the wrong type, or
/// else the node itself. Each step parses one subtree, so locating costs a
/// few parses of the document at most.
pub fn parse_strict(doc: &Value) -> std::result::Result<openapiv3::OpenAPI, Invalid> {
    let mut filled = doc.clone();
    fill_response_descriptions(&mut filled);
    openapiv3::OpenAPI::deserialize(&filled).map_err(|e| Invalid {
        pointer: locate(&filled),
        message: e.to_string(),
    })
}

/// The JSON pointer of the node that keeps `doc` from parsing (see
/// [`parse_strict`]).
fn locate(doc: &Value) -> String {
    let mut node = doc;
    let mut shape = Shape::Node(Kind::Document);
    let mut pointer = String::new();
    'descend: loop {
        let kids: Vec<(String, Shape, &Value)> = shape::children(node, shape)
            .into_iter()
            .filter_map(|(token, s)| child(node, &token).map(|c| (token, s, c)))
            .collect();
        for (token, child_shape, value) in &kids {
            if (value.is_object() || value.is_array()) && !parses(value, *child_shape) {
                pointer = format!("{pointer}/{}", shape::escape(token));
                node = value;
                shape = *child_shape;
                continue 'descend;
            }
        }
        let culprit = kids
            .iter()
            .find(|(token, ..)| parses(&without(node, token), shape))
            .or_else(|| kids.iter().find(|(_, s, value)| !parses(value, *s)));
        if let Some((token, ..)) = culprit {
            pointer = format!("{pointer}/{}", shape::escape(token));
        }
        return pointer;
    }
}

fn child<'a>(node: &'a Value, token: &str) -> Option<&'a Value> {
    match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

/// A copy of `node` without its child `token`.
fn without(node: &Value, token: &str) -> Value {
    let mut out = node.clone();
    match &mut out {
        Value::Object(map) => {
            map.remove(token);
        }
        Value::Array(items) => {
            if let Some(i) = token.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
    out
}

/// Whether `value` parses as what `shape` says, with the parser's own
/// types for OpenAPI objects.
fn parses(value: &Value, shape: Shape) -> bool {
    use openapiv3 as o;
    fn ok<'a, T: serde::Deserialize<'a>>(v: &'a Value) -> bool {
        T::deserialize(v).is_ok()
    }
    match shape {
        Shape::Any => true,
        Shape::Str => value.is_string(),
        Shape::Bool => value.is_boolean(),
        Shape::Num => value.is_number(),
        Shape::Count => ok::<usize>(value),
        Shape::Enum => value.is_array(),
        Shape::BoolOr(_) => ok::<o::AdditionalProperties>(value),
        Shape::List(inner) => value
            .as_array()
            .is_some_and(|items| items.iter().all(|v| parses(v, *inner))),
        Shape::Map(inner) => value
            .as_object()
            .is_some_and(|map| map.values().all(|v| parses(v, *inner))),
        Shape::RefOr(kind) => {
            value.as_object().is_some_and(shape::is_reference) || parses(value, Shape::Node(kind))
        }
        Shape::Node(kind) => match kind {
            Kind::Document => ok::<o::OpenAPI>(value),
            Kind::Info => ok::<o::Info>(value),
            Kind::Contact => ok::<o::Contact>(value),
            Kind::License => ok::<o::License>(value),
            Kind::Server => ok::<o::Server>(value),
            Kind::ServerVariable => ok::<o::ServerVariable>(value),
            Kind::Paths => ok::<o::Paths>(value),
            Kind::PathItem => ok::<o::PathItem>(value),
            Kind::Operation => ok::<o::Operation>(value),
            Kind::Parameter => ok::<o::Parameter>(value),
            Kind::RequestBody => ok::<o::RequestBody>(value),
            Kind::Responses => ok::<o::Responses>(value),
            Kind::Response => ok::<o::Response>(value),
            Kind::MediaType => ok::<o::MediaType>(value),
            Kind::Encoding => ok::<o::Encoding>(value),
            Kind::Header => ok::<o::Header>(value),
            Kind::Components => ok::<o::Components>(value),
            Kind::SecurityScheme => ok::<o::SecurityScheme>(value),
            Kind::OAuthFlows => ok::<o::OAuth2Flows>(value),
            Kind::ImplicitFlow => ok::<o::ImplicitOAuth2Flow>(value),
            Kind::TokenFlow => ok::<o::PasswordOAuth2Flow>(value),
            Kind::AuthorizationCodeFlow => ok::<o::AuthorizationCodeOAuth2Flow>(value),
            Kind::SecurityRequirement => ok::<o::SecurityRequirement>(value),
            Kind::Tag => ok::<o::Tag>(value),
            Kind::ExternalDocs => ok::<o::ExternalDocumentation>(value),
            Kind::Schema => ok::<o::Schema>(value),
            Kind::Discriminator => ok::<o::Discriminator>(value),
            Kind::Example => ok::<o::Example>(value),
            Kind::Link => ok::<o::Link>(value),
            Kind::Callback => ok::<o::Callback>(value),
            // Swagger 2.0 documents are converted before they are parsed.
            _ => true,
        },
    }
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
    fn openapi_31_is_converted() {
        let imported = import(&source(
            r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
                "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}}}}"#,
        ))
        .unwrap();
        assert_eq!(imported.spec["openapi"], "3.0.3");
        assert!(imported.spec.get("jsonSchemaDialect").is_none());
        assert_eq!(
            imported.spec["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(imported.report.count("openapi31_type_arrays"), 1);
    }

    #[test]
    fn messages_become_one_short_line() {
        assert_eq!(
            one_line("not yet implemented: invalid schema:\n{\n  \"format\": \"int32\"\n}"),
            "not yet implemented: invalid schema: { \"format\": \"int32\" }"
        );
        let long = one_line(&"ab ".repeat(500));
        assert_eq!(long.chars().count(), MAX_MESSAGE + 1);
        assert!(long.ends_with('…'));
    }

    fn invalid(doc: Value) -> Invalid {
        parse_strict(&doc).expect_err("invalid")
    }

    fn minimal(paths: Value, components: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": paths, "components": components})
    }

    #[test]
    fn a_strict_parse_names_the_offending_node() {
        let e = invalid(minimal(
            json!({}),
            json!({"schemas": {"A": {"type": "object"}, "B": {"required": ["x", null]}}}),
        ));
        assert_eq!(e.pointer, "/components/schemas/B/required/1");
        assert_eq!(
            e.to_string(),
            "invalid type: null, expected a string at /components/schemas/B/required/1"
        );
        let mut doc = minimal(
            json!({"/a/b": {"get": {"tags": ["t"], "responses": {}}}}),
            json!({}),
        );
        doc["security"] = json!([{"oauth": [null]}]);
        assert_eq!(invalid(doc.clone()).pointer, "/security/0/oauth/0");
        doc["security"] = json!([]);
        doc["paths"]["/a/b"]["get"]["tags"] = json!(["t", 5]);
        assert_eq!(invalid(doc.clone()).pointer, "/paths/~1a~1b/get/tags/1");
        doc["paths"]["/a/b"]["get"] = json!({"parameters": [{"name": "q", "in": "query",
            "schema": {"type": "string"}}]});
        let e = invalid(doc.clone());
        assert_eq!(e.pointer, "/paths/~1a~1b/get");
        assert!(e.message.contains("responses"), "{e}");
        doc["paths"]["/a/b"]["get"] = json!({"responses": {"200": {"content":
            {"application/json": {"schema": {"properties": {"p": {"minLength": -2}}}}}}}});
        assert_eq!(
            invalid(doc.clone()).pointer,
            "/paths/~1a~1b/get/responses/200/content/application~1json/schema/properties/p/minLength"
        );
        assert!(parse_strict(&minimal(json!({}), json!({}))).is_ok());
        let e = invalid(json!({"openapi": "3.0.3", "paths": {}}));
        assert_eq!(e.to_string(), "missing field `info` (in the document root)");
    }

    /// Every shared 3.0 spec (the Gateway's after their Swagger 2.0
    /// conversion), written as OpenAPI 3.1 by the reverse conversion,
    /// imports to exactly the text the spec itself imports to.
    #[test]
    fn shared_specs_round_trip_through_openapi_31() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/ibkr-openapi");
        let Ok(variants) = std::fs::read_dir(&dir) else {
            eprintln!(
                "skipping: {} is absent (IBKR's upstream specs are not checked in)",
                dir.display()
            );
            return;
        };
        let mut files: Vec<_> = variants
            .flatten()
            .filter(|d| d.path().is_dir())
            .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
            .map(|f| f.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no specs in {}", dir.display());
        for path in files {
            let name = path.display().to_string();
            let original = Source {
                name: name.clone(),
                bytes: std::fs::read(&path).unwrap(),
            };
            let expected = import(&original).unwrap().text;
            let mut doc = original.parse().unwrap();
            if doc.get("swagger").is_some() {
                doc = swagger2::convert(&doc).unwrap();
            }
            let mut nullable = 0;
            shape::for_each_node_mut(&mut doc, Kind::Schema, &mut |schema, _| {
                let typed = schema.get("type").is_some_and(Value::is_string);
                nullable += usize::from(typed && schema.get("nullable") == Some(&json!(true)));
            });
            openapi31::to_openapi31(&mut doc);
            assert_eq!(doc["openapi"], "3.1.0");
            let as_31 = Source {
                name: name.clone(),
                bytes: serde_json::to_vec(&doc).unwrap(),
            };
            let back = import(&as_31).unwrap_or_else(|e| panic!("{name} as 3.1: {e}"));
            if back.text != expected {
                let first = back
                    .text
                    .lines()
                    .zip(expected.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                panic!(
                    "{name}: importing it as 3.1 differs from line {}: {:?} vs {:?}",
                    first + 1,
                    back.text.lines().nth(first),
                    expected.lines().nth(first)
                );
            }
            assert!(back.report.count("openapi31_keywords") >= 2, "{name}");
            let type_lists = back.report.count("openapi31_type_arrays");
            assert_eq!(type_lists, nullable, "{name}: type lists converted back");
            eprintln!(
                "{name}: 3.1 round trip identical ({} bytes; {type_lists} type lists, {} consts, \
                 {} examples lists converted back)",
                expected.len(),
                back.report.count("openapi31_const"),
                back.report.count("openapi31_examples"),
            );
        }
    }

    #[test]
    fn unknown_versions_are_refused() {
        for (doc, at) in [
            (r#"{"swagger": "1.2", "paths": {}}"#, " at /swagger:"),
            (r#"{"openapi": "4.0", "paths": {}}"#, " at /openapi:"),
            (r#"{"paths": {}}"#, " at /openapi:"),
        ] {
            let e = import(&source(doc)).err().unwrap().to_string();
            assert!(e.contains("unknown spec version"), "{e}");
            // It names the place, on one line.
            assert!(e.contains(at) && !e.contains('\n'), "{e}");
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
