//! Repairs of operation responses, so that every response of an operation
//! can be decoded by one generated client method.
//!
//! A generated method has one success type and one error type. IBKR's specs
//! give different statuses of one operation different bodies: several JSON
//! schemas, JSON next to plain text, or no body at all. The rules are:
//! - several JSON schemas → an untagged enum of the alternatives (`oneOf`),
//!   stored as a named component schema;
//! - an error status without JSON next to JSON ones, or error statuses with
//!   no body declared → every error of the operation is kept as raw bytes
//!   with its status, so no message is lost to a failed decode;
//! - a success without a body next to a JSON success (200 or 204) → the
//!   empty one is removed from the spec: the client then reports it as an
//!   unexpected response that still carries the status.

use serde_json::{Map, Value, json};

use super::Report;
use super::media::{json_schema_of, make_raw};
use crate::openapi::{for_each_operation_mut, location, resolve_ref};

/// IBKR defect (class): responses shared through `components/responses`
/// whose content differs per use in practice. They are copied into each
/// operation so the repairs below can adjust one operation at a time.
pub fn inline_response_refs(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    for_each_operation_mut(doc, |path, method, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for response in responses.values_mut() {
            let Some(reference) = response.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            if let Some(target) = resolve_ref(&snapshot, reference) {
                *response = target.clone();
                report.hit("inline_response_refs", location(path, method));
            }
        }
    });
}

fn is_success(code: &str) -> bool {
    code.starts_with('2')
}

fn is_error(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5') || code == "default"
}

#[derive(PartialEq)]
enum Kind {
    Json,
    Other,
    Empty,
}

fn kind(response: &Value) -> Kind {
    if json_schema_of(response).is_some() {
        Kind::Json
    } else if response
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty())
    {
        Kind::Other
    } else {
        Kind::Empty
    }
}

fn group(responses: &mut Map<String, Value>, pick: fn(&str) -> bool) -> Vec<(&String, &mut Value)> {
    let mut items: Vec<(&String, &mut Value)> =
        responses.iter_mut().filter(|(k, _)| pick(k)).collect();
    items.sort_by(|a, b| a.0.cmp(b.0));
    items
}

/// IBKR defect: an operation documents a JSON success and also a success
/// without a body (`/trsrv/secdef`: 200 with data, 204 without). The empty
/// alternative is removed; see the module documentation.
pub fn drop_empty_success_alternative(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let kinds: Vec<(String, Kind)> = responses
            .iter()
            .filter(|(k, _)| is_success(k))
            .map(|(k, v)| (k.clone(), kind(v)))
            .collect();
        let has_json = kinds.iter().any(|(_, k)| *k == Kind::Json);
        let has_other = kinds.iter().any(|(_, k)| *k == Kind::Other);
        if has_json && !has_other {
            for (code, k) in &kinds {
                if *k == Kind::Empty {
                    responses.remove(code);
                    report.hit("drop_empty_success_alternative", location(path, method));
                }
            }
        }
    });
}

/// IBKR defect: several success statuses of one operation with different
/// JSON schemas (200 `StatusResponse`, 202 `RequestInfoResponse`), or a JSON
/// success next to a binary one. See the module documentation.
pub fn unify_success_responses(doc: &mut Value, report: &mut Report) {
    unify(
        doc,
        report,
        is_success,
        "success",
        "unify_success_responses",
    );
}

/// IBKR defect: several error statuses of one operation with different
/// bodies (400 `errorResponse` JSON, 401 plain text, 500 another schema).
/// See the module documentation.
pub fn unify_error_responses(doc: &mut Value, report: &mut Report) {
    unify(doc, report, is_error, "error", "unify_error_responses");
}

fn unify(
    doc: &mut Value,
    report: &mut Report,
    pick: fn(&str) -> bool,
    suffix: &str,
    repair: &'static str,
) {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    for_each_operation_mut(doc, |path, method, op| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let mut items = group(responses, pick);
        let kinds: Vec<Kind> = items.iter().map(|(_, v)| kind(v)).collect();
        let json_count = kinds.iter().filter(|k| **k == Kind::Json).count();
        if json_count == kinds.len() {
            let mut alternatives: Vec<Value> = Vec::new();
            for (_, v) in &items {
                let schema = json_schema_of(v).cloned().unwrap_or_else(|| json!({}));
                if !alternatives.contains(&schema) {
                    alternatives.push(schema);
                }
            }
            if alternatives.len() <= 1 {
                return;
            }
            let name = format!("{op_id}_{suffix}");
            new_schemas.push((name.clone(), json!({"oneOf": alternatives})));
            for (_, v) in items.iter_mut() {
                v["content"] = json!({"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{name}")}}});
            }
            report.hit(repair, location(path, method));
        } else if json_count > 0 {
            for (_, v) in items.iter_mut() {
                if let Some(obj) = v.as_object_mut() {
                    make_raw(obj);
                }
            }
            report.hit(repair, location(path, method));
        }
    });
    if new_schemas.is_empty() {
        return;
    }
    let components = doc
        .as_object_mut()
        .expect("an OpenAPI document is an object")
        .entry("components")
        .or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .expect("components is an object")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, schema) in new_schemas {
            schemas.insert(name, schema);
        }
    }
}

/// IBKR defect: error statuses documented without any body (the Gateway's
/// 401 and 500), which a generated client would discard. They are declared
/// as raw bodies so the caller gets the status and the server's message.
/// Also covers success statuses without a body next to non-JSON ones.
pub fn schemaless_error_bodies(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for pick in [is_error as fn(&str) -> bool, is_success] {
            let mut items = group(responses, pick);
            let kinds: Vec<Kind> = items.iter().map(|(_, v)| kind(v)).collect();
            let empty = kinds.iter().filter(|k| **k == Kind::Empty).count();
            let all_empty_errors = pick("400") && empty == kinds.len();
            let mixed_with_other = empty > 0 && kinds.contains(&Kind::Other);
            if empty == 0 || !(all_empty_errors || mixed_with_other) {
                continue;
            }
            for ((_, v), k) in items.iter_mut().zip(&kinds) {
                if *k == Kind::Empty
                    && let Some(obj) = v.as_object_mut()
                {
                    make_raw(obj);
                }
            }
            report.hit("schemaless_error_bodies", location(path, method));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responses(doc: &Value) -> &Value {
        &doc["paths"]["/a"]["post"]["responses"]
    }

    #[test]
    fn response_refs_are_inlined() {
        let mut doc = json!({
            "components": {"responses": {"Unauthorized": {"content": {"text/plain": {"schema": {"type": "string"}}}}}},
            "paths": {"/a": {"post": {"responses": {"401": {"$ref": "#/components/responses/Unauthorized"}}}}}
        });
        let mut r = Report::default();
        inline_response_refs(&mut doc, &mut r);
        assert_eq!(
            responses(&doc)["401"],
            json!({"content": {"text/plain": {"schema": {"type": "string"}}}})
        );
        assert_eq!(r.count("inline_response_refs"), 1);
    }

    #[test]
    fn empty_success_next_to_json_is_dropped() {
        let mut doc = json!({"paths": {"/a": {"post": {"responses": {
            "200": {"content": {"application/json": {"schema": {"type": "array"}}}},
            "204": {},
            "500": {}
        }}}}});
        let mut r = Report::default();
        drop_empty_success_alternative(&mut doc, &mut r);
        assert!(responses(&doc).get("204").is_none());
        assert!(responses(&doc).get("500").is_some());
        assert_eq!(r.count("drop_empty_success_alternative"), 1);
    }

    #[test]
    fn several_success_schemas_become_one_enum() {
        let mut doc = json!({"paths": {"/a": {"post": {"operationId": "a_post", "responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
            "202": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Info"}}}},
            "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}
        }}}}});
        let mut r = Report::default();
        unify_success_responses(&mut doc, &mut r);
        assert_eq!(
            doc["components"]["schemas"]["a_post_success"],
            json!({"oneOf": [{"$ref": "#/components/schemas/Status"}, {"$ref": "#/components/schemas/Info"}]})
        );
        for code in ["200", "201", "202"] {
            assert_eq!(
                json_schema_of(&responses(&doc)[code]).unwrap(),
                &json!({"$ref": "#/components/schemas/a_post_success"})
            );
        }
        assert_eq!(r.count("unify_success_responses"), 1);
    }

    #[test]
    fn several_error_schemas_become_one_enum() {
        let mut doc = json!({"paths": {"/a": {"post": {"operationId": "a_post", "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "429": {"content": {"application/json": {"schema": {"properties": {"error": {"type": "string"}}, "type": "object"}}}},
            "500": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/system-error"}}}}
        }}}}});
        let mut r = Report::default();
        unify_error_responses(&mut doc, &mut r);
        let union = &doc["components"]["schemas"]["a_post_error"]["oneOf"];
        assert_eq!(union.as_array().unwrap().len(), 2);
        assert_eq!(
            json_schema_of(&responses(&doc)["200"]).unwrap(),
            &json!({"type": "object"})
        );
        assert_eq!(r.count("unify_error_responses"), 1);
    }

    #[test]
    fn text_errors_next_to_json_errors_make_all_errors_raw() {
        let mut doc = json!({"paths": {"/a": {"post": {"operationId": "a_post", "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/errorResponse"}}}},
            "401": {"content": {"text/plain; charset=utf-8": {"schema": {"type": "string"}}}}
        }}}}});
        let mut r = Report::default();
        unify_error_responses(&mut doc, &mut r);
        let resp = responses(&doc);
        assert!(json_schema_of(&resp["400"]).is_none());
        assert_eq!(
            resp["400"]["content"],
            json!({"*/*": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(
            resp["401"]["content"],
            json!({"text/plain; charset=utf-8": {"schema": {"type": "string"}}})
        );
        assert!(json_schema_of(&resp["200"]).is_some());
        assert_eq!(r.count("unify_error_responses"), 1);
    }

    #[test]
    fn bodiless_errors_get_a_readable_body() {
        let mut doc = json!({"paths": {"/a": {"post": {"responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {},
            "500": {}
        }}}}});
        let mut r = Report::default();
        schemaless_error_bodies(&mut doc, &mut r);
        for code in ["401", "500"] {
            assert_eq!(
                responses(&doc)[code]["content"],
                json!({"*/*": {"schema": {"type": "string", "format": "binary"}}})
            );
        }
        assert_eq!(r.count("schemaless_error_bodies"), 1);
    }
}
