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

/// The `content` of an operation's request body.
fn request_content_mut(op: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    op.get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut)
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
        let Some(content) = request_content_mut(op) else {
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
        let Some(content) = request_content_mut(op) else {
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

/// IBKR defect: a JSON request or response media type without `schema`
/// (`"application/json": {}`), which the generator cannot type. The body
/// is declared as any JSON value (`schema: {}`).
pub fn media_type_without_schema(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        for_each_media_type_mut(op, |_, media, object| {
            if is_json_type(media) && !object.contains_key("schema") {
                object.insert("schema".into(), json!({}));
                report.hit("media_type_without_schema", location(path, method));
            }
        });
    });
}

/// IBKR defect: `encoding` on a JSON or form-encoded body (it only means
/// something for multipart parts), which the generator cannot honour. It is
/// removed.
pub fn media_type_encoding(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        for_each_media_type_mut(op, |request, media, object| {
            let form = request && base_type(media) == "application/x-www-form-urlencoded";
            if (is_json_type(media) || form) && object.remove("encoding").is_some() {
                report.hit("media_type_encoding", location(path, method));
            }
        });
    });
}

/// Calls `f(is_request, media type, media type object)` for every media
/// type of an operation's request body and responses.
fn for_each_media_type_mut(
    op: &mut Map<String, Value>,
    mut f: impl FnMut(bool, &str, &mut Map<String, Value>),
) {
    for (key, value) in op.iter_mut() {
        let bodies: Vec<&mut Value> = match key.as_str() {
            "requestBody" => vec![value],
            "responses" => value
                .as_object_mut()
                .map(|r| r.values_mut().collect())
                .unwrap_or_default(),
            _ => continue,
        };
        for body in bodies {
            let content = body.get_mut("content").and_then(Value::as_object_mut);
            for (media, object) in content.into_iter().flat_map(|c| c.iter_mut()) {
                if let Some(object) = object.as_object_mut() {
                    f(key == "requestBody", media, object);
                }
            }
        }
    }
}

/// IBKR defect: a plain-text or octet-stream request body whose schema is
/// not a bare string (an object, a number, a string with a pattern or a
/// length), which the generator refuses for such a body: it sends the
/// caller's text or bytes as they are. The schema becomes the one the
/// generator expects (`{"type": "string"}`, with `format: binary` for
/// octet streams).
pub fn raw_request_body_schemas(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    for_each_operation_mut(doc, |path, method, op| {
        let Some(content) = request_content_mut(op) else {
            return;
        };
        for (media, object) in content.iter_mut() {
            let wanted = match base_type(media) {
                "text/plain" | "text/x-markdown" => json!({"type": "string"}),
                "application/octet-stream" => json!({"type": "string", "format": "binary"}),
                _ => continue,
            };
            let Some(object) = object.as_object_mut() else {
                continue;
            };
            let schema = object
                .get("schema")
                .map(|s| crate::openapi::resolve(&snapshot, s));
            let fits = schema.and_then(Value::as_object).is_some_and(|s| {
                s.get("type") == wanted.get("type")
                    && s.get("format") == wanted.get("format")
                    && s.get("nullable").is_none_or(|n| n == &json!(false))
                    && [
                        "discriminator",
                        "default",
                        "pattern",
                        "minLength",
                        "maxLength",
                    ]
                    .iter()
                    .all(|k| !s.contains_key(*k))
                    && s.get("enum")
                        .is_none_or(|e| e.as_array().is_some_and(Vec::is_empty))
            });
            if !fits {
                object.insert("schema".into(), wanted);
                report.hit("raw_request_body_schemas", location(path, method));
            }
        }
    });
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
    fn json_bodies_without_schema_take_any_value() {
        let mut doc = json!({"paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"200": {"content": {"application/json": {}, "text/plain": {}}},
                "400": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}}});
        let mut r = Report::default();
        media_type_without_schema(&mut doc, &mut r);
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(op["responses"]["200"]["content"]["text/plain"], json!({}));
        assert_eq!(r.count("media_type_without_schema"), 2);
    }

    #[test]
    fn encoding_is_removed_from_json_and_form_bodies() {
        let mut doc = json!({"paths": {"/a": {"post": {
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {},
                "encoding": {"f": {"contentType": "text/plain"}}}}},
            "responses": {"200": {"content": {"application/json": {"schema": {}, "encoding": {}}}}}},
            "put": {"requestBody": {"content": {"multipart/form-data": {"encoding": {"f": {}}}}}}}}});
        let mut r = Report::default();
        media_type_encoding(&mut doc, &mut r);
        let a = &doc["paths"]["/a"];
        assert_eq!(
            a["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"],
            json!({"schema": {}})
        );
        assert_eq!(
            a["post"]["responses"]["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert!(a["put"]["requestBody"]["content"]["multipart/form-data"]["encoding"].is_object());
        assert_eq!(r.count("media_type_encoding"), 2);
    }

    #[test]
    fn raw_bodies_get_the_schema_the_generator_expects() {
        let mut doc = json!({
            "components": {"schemas": {"Jwt": {"type": "string"}}},
            "paths": {"/a": {
                "post": {"requestBody": {"content": {"text/plain": {"schema": {"type": "object"}}}}},
                "put": {"requestBody": {"content": {"text/plain; charset=utf-8": {"schema": {"$ref": "#/components/schemas/Jwt"}}}}},
                "patch": {"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}},
                "delete": {"requestBody": {"content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}}}});
        let mut r = Report::default();
        raw_request_body_schemas(&mut doc, &mut r);
        let a = &doc["paths"]["/a"];
        assert_eq!(
            a["post"]["requestBody"]["content"]["text/plain"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            a["put"]["requestBody"]["content"]["text/plain; charset=utf-8"]["schema"],
            json!({"$ref": "#/components/schemas/Jwt"})
        );
        assert_eq!(
            a["patch"]["requestBody"]["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(r.count("raw_request_body_schemas"), 2);
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
