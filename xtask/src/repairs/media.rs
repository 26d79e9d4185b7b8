//! Repairs of request and response media types.

use serde_json::{Map, Value, json};

use super::Report;
use crate::openapi::{for_each_operation_mut, location, resolve_ref};

/// Request media types progenitor can send.
const SENDABLE: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
];

fn base_type(media: &str) -> &str {
    media.split(';').next().unwrap_or(media).trim()
}

fn is_json_type(media: &str) -> bool {
    let base = base_type(media);
    base == "application/json" || base.ends_with("+json")
}

/// IBKR defect (class): request bodies shared through
/// `components/requestBodies`, whose media types the repairs below must
/// adjust per operation. They are copied into each operation.
pub fn inline_request_body_refs(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    for_each_operation_mut(doc, |path, method, op| {
        let Some(reference) = op
            .get("requestBody")
            .and_then(|b| b.get("$ref"))
            .and_then(Value::as_str)
        else {
            return;
        };
        if let Some(target) = resolve_ref(&snapshot, reference) {
            op.insert("requestBody".into(), target.clone());
            report.hit("inline_request_body_refs", location(path, method));
        }
    });
}

/// IBKR defect: a request body offered in several media types. A client sends
/// one; JSON is preferred, then form encoding, then the first in name order.
pub fn single_request_media_type(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(content) = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        if content.len() <= 1 {
            return;
        }
        let mut keys: Vec<String> = content.keys().cloned().collect();
        keys.sort();
        let keep = keys
            .iter()
            .find(|k| is_json_type(k))
            .or_else(|| {
                keys.iter()
                    .find(|k| base_type(k) == "application/x-www-form-urlencoded")
            })
            .unwrap_or(&keys[0])
            .clone();
        content.retain(|k, _| *k == keep);
        report.hit("single_request_media_type", location(path, method));
    });
}

/// IBKR defect: request bodies in media types no generated client can send
/// as such (`application/jwt`, a signed token). JSON-like types become
/// `application/json`; anything else is sent as a plain string body (a JWT
/// is text). The original type is kept in `x-ibkr-media-type` so a caller
/// can set the header itself.
pub fn unsupported_request_media_type(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(content) = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let Some(media) = content.keys().next().cloned() else {
            return;
        };
        if SENDABLE.contains(&base_type(&media)) {
            return;
        }
        let mut body = content.remove(&media).unwrap_or_else(|| json!({}));
        if is_json_type(&media) {
            content.insert("application/json".into(), body);
        } else {
            if let Some(obj) = body.as_object_mut() {
                obj.insert("schema".into(), json!({"type": "string"}));
                obj.insert("x-ibkr-media-type".into(), json!(media));
            }
            content.insert("text/plain".into(), body);
        }
        report.hit("unsupported_request_media_type", location(path, method));
    });
}

/// IBKR defect: JSON responses declared as `application/problem+json`,
/// `*/*` or `application/json; charset=utf-8`, so a generator does not know
/// to decode them. A response carrying a non-binary schema under such a type
/// is declared `application/json`.
pub fn json_response_media_types(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for response in responses.values_mut() {
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            if content.contains_key("application/json") {
                continue;
            }
            let candidate = content
                .iter()
                .filter(|(k, v)| {
                    (is_json_type(k) || base_type(k) == "*/*") && has_structured_schema(v)
                })
                .map(|(k, _)| k.clone())
                .min();
            if let Some(key) = candidate {
                let media = content.remove(&key).unwrap_or_else(|| json!({}));
                content.insert("application/json".into(), media);
                report.hit("json_response_media_types", location(path, method));
            }
        }
    });
}

fn has_structured_schema(media: &Value) -> bool {
    let Some(schema) = media.get("schema").and_then(Value::as_object) else {
        return false;
    };
    let binary = schema.get("format").and_then(Value::as_str) == Some("binary");
    !binary && !schema.is_empty()
}

/// Whether a response's content will be decoded as JSON by the client.
pub(crate) fn json_schema_of(response: &Value) -> Option<&Value> {
    let content = response.get("content")?.as_object()?;
    content
        .get("application/json")
        .and_then(|m| m.get("schema"))
}

/// Replaces a response's content with an opaque body, read as bytes.
pub(crate) fn make_raw(response: &mut Map<String, Value>) {
    let keep: Map<String, Value> = response
        .get("content")
        .and_then(Value::as_object)
        .map(|c| {
            c.iter()
                .filter(|(k, _)| !is_json_type(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    let content = if keep.is_empty() {
        json!({"*/*": {"schema": {"type": "string", "format": "binary"}}})
    } else {
        Value::Object(keep)
    };
    response.insert("content".into(), content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_body_refs_are_inlined() {
        let mut doc = json!({
            "components": {"requestBodies": {"Jwt": {"content": {"application/jwt": {"schema": {"type": "string"}}}}}},
            "paths": {"/e": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Jwt"}}}}
        });
        let mut r = Report::default();
        inline_request_body_refs(&mut doc, &mut r);
        assert_eq!(
            doc["paths"]["/e"]["post"]["requestBody"],
            json!({"content": {"application/jwt": {"schema": {"type": "string"}}}})
        );
        assert_eq!(r.count("inline_request_body_refs"), 1);
    }

    #[test]
    fn one_request_media_type_is_kept() {
        let mut doc = json!({"paths": {"/a": {"post": {"requestBody": {"content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}}}}},
            "put": {"requestBody": {"content": {"application/json": {}}}}}}});
        let mut r = Report::default();
        single_request_media_type(&mut doc, &mut r);
        let content = doc["paths"]["/a"]["post"]["requestBody"]["content"]
            .as_object()
            .unwrap();
        assert_eq!(content.keys().collect::<Vec<_>>(), vec!["application/json"]);
        assert_eq!(r.count("single_request_media_type"), 1);
    }

    #[test]
    fn jwt_bodies_are_sent_as_text() {
        let mut doc = json!({"paths": {"/acc": {"post": {"requestBody": {"required": true, "content": {
            "application/jwt": {"schema": {"$ref": "#/components/schemas/Payload"}}}}},
            "patch": {"requestBody": {"content": {"application/vnd.x+json": {"schema": {"type": "object"}}}}}}}});
        let mut r = Report::default();
        unsupported_request_media_type(&mut doc, &mut r);
        assert_eq!(
            doc["paths"]["/acc"]["post"]["requestBody"],
            json!({"required": true, "content": {"text/plain": {
                "schema": {"type": "string"}, "x-ibkr-media-type": "application/jwt"}}})
        );
        assert!(
            doc["paths"]["/acc"]["patch"]["requestBody"]["content"]["application/json"].is_object()
        );
        assert_eq!(r.count("unsupported_request_media_type"), 2);
    }

    #[test]
    fn json_like_response_types_become_application_json() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"content": {"application/json; charset=utf-8": {"schema": {"type": "object"}}}},
            "400": {"content": {"application/problem+json": {"schema": {"type": "object"}}}},
            "415": {"content": {"*/*": {"schema": {"type": "object"}}}},
            "201": {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
            "202": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
            "401": {"content": {"text/plain; charset=utf-8": {"schema": {"type": "string"}}}}
        }}}}});
        let mut r = Report::default();
        json_response_media_types(&mut doc, &mut r);
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        for code in ["200", "400", "415"] {
            assert!(json_schema_of(&responses[code]).is_some(), "{code}");
        }
        for code in ["201", "202", "401"] {
            assert!(json_schema_of(&responses[code]).is_none(), "{code}");
        }
        assert_eq!(r.count("json_response_media_types"), 3);
    }
}
