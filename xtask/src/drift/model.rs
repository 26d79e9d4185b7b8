//! What a spec looks like to drift: its operations (parameters, request
//! body, responses) and its component schemas (type, properties, required
//! list, enum values, and where operations use them), read from a
//! `serde_json::Value`.
//!
//! Reading never fails: what is not shaped as OpenAPI 3.0 says is skipped
//! or read as `any`, so a document the strict parser refuses can still be
//! compared (see `drift::load`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::openapi::{self, resolve, template_key, template_names};

/// The prefix of a reference to a component schema.
const SCHEMA_REF: &str = "#/components/schemas/";

/// A spec as drift compares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    /// Operations by derived operation id (`METHOD path` when the document
    /// has none).
    pub operations: BTreeMap<String, Operation>,
    /// Component schemas by name.
    pub schemas: BTreeMap<String, Schema>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The path template as the spec writes it.
    pub path: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The parameters, path-level ones included.
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// Status (`200`, `default`) → body.
    pub responses: BTreeMap<String, Payload>,
}

/// A parameter reduced to what the comparison looks at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Param {
    /// The wire name.
    #[serde(rename = "parameter")]
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: String,
    /// Whether it must be sent.
    pub required: bool,
    /// Its type string ([`type_string`]).
    #[serde(rename = "type")]
    pub ty: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Whether it must be sent.
    pub required: bool,
    /// What it holds.
    pub payload: Payload,
}

/// The content of a request or response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// Its type ([`body_type`]), with the operation's own id written
    /// `{operation}` (the import pipeline names the schemas it makes for an
    /// operation `<id>_success` and `<id>_error`), so that the same change
    /// to many operations reads the same.
    pub ty: String,
    /// The `content` map as written (`null` when there is none).
    pub content: Value,
}

impl Payload {
    fn read(body: &Value, id: &str) -> Payload {
        Payload {
            ty: body_type(body).replace(&format!("{id}_"), "{operation}_"),
            content: body.get("content").cloned().unwrap_or(Value::Null),
        }
    }
}

/// A component schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Its own type ([`schema_kind`]).
    pub kind: String,
    /// Enum values of the schema (or of its items), as JSON.
    pub enum_values: BTreeSet<String>,
    /// Properties by name.
    pub properties: BTreeMap<String, Property>,
    /// The `required` list.
    pub required: BTreeSet<String>,
    /// Where operations use it, directly or through other schemas.
    pub usage: Usage,
}

/// A property of a component schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Its type string.
    pub ty: String,
    /// Its enum values (or its items'), as JSON.
    pub enum_values: BTreeSet<String>,
}

/// Where a schema is used: the breaking rules of schema changes depend on
/// whether the client sends the schema or decodes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usage {
    /// In a request body or parameter: the client sends it.
    pub request: bool,
    /// In a success (2xx) response: the client decodes it.
    pub success: bool,
    /// In an error (non-2xx) response only: kept as bytes, never decoded.
    pub error: bool,
}

impl Usage {
    /// Used in either spec.
    pub fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            success: self.success || other.success,
            error: self.error || other.error,
        }
    }
}

/// Whether a response status is a success: the generated client decodes
/// success bodies and keeps every other body (errors, `default`) as bytes.
pub fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

impl Operation {
    /// `GET /a/{}/b`: the method and the path template with placeholder
    /// names erased, so `{accountId}` and `{id}` are the same endpoint.
    pub fn endpoint(&self) -> String {
        endpoint(&self.method, &self.path)
    }

    /// The path parameters in template order.
    pub fn path_params(&self) -> Vec<Option<&Param>> {
        template_names(&self.path)
            .iter()
            .map(|name| {
                self.params
                    .iter()
                    .find(|p| p.location == "path" && &p.name == name)
            })
            .collect()
    }

    /// The query parameters.
    pub fn query_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == "query")
    }
}

/// `METHOD /a/{}/b` for a method and a path template.
pub fn endpoint(method: &str, path: &str) -> String {
    format!("{} {}", method.to_ascii_uppercase(), template_key(path))
}

impl Model {
    /// Reads a document (canonical or not; nothing is required).
    pub fn from_doc(doc: &Value) -> Model {
        let mut model = Model::default();
        let mut seeds: Vec<(Usage, BTreeSet<String>)> = Vec::new();
        for op_ref in openapi::operations(doc) {
            let (path, method, op) = (op_ref.path, op_ref.method, op_ref.op);
            let id = op_ref
                .id()
                .map_or_else(|| op_ref.location(), str::to_string);
            let params = op_ref.params.iter().copied().map(read_param).collect();
            let request = Usage {
                request: true,
                ..Usage::default()
            };
            let mut sent = BTreeSet::new();
            for p in &op_ref.params {
                refs(p, &mut sent);
            }
            let body = op.get("requestBody").map(|b| {
                let b = resolve(doc, b);
                refs(b, &mut sent);
                Body {
                    required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
                    payload: Payload::read(b, &id),
                }
            });
            seeds.push((request, sent));
            let mut responses = BTreeMap::new();
            for (status, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let r = resolve(doc, r);
                let mut used = BTreeSet::new();
                refs(r, &mut used);
                let usage = if is_success(status) {
                    Usage {
                        success: true,
                        ..Usage::default()
                    }
                } else {
                    Usage {
                        error: true,
                        ..Usage::default()
                    }
                };
                seeds.push((usage, used));
                responses.insert(status.clone(), Payload::read(r, &id));
            }
            model.operations.insert(
                id,
                Operation {
                    path: path.to_string(),
                    method: method.to_ascii_uppercase(),
                    params,
                    body,
                    responses,
                },
            );
        }
        let raw = component_schemas(doc);
        for (name, schema) in &raw {
            model.schemas.insert(name.to_string(), read_schema(schema));
        }
        // Usage flows from the operations through schema references.
        let graph: BTreeMap<&str, BTreeSet<String>> = raw
            .iter()
            .map(|(name, schema)| {
                let mut out = BTreeSet::new();
                refs(schema, &mut out);
                (*name, out)
            })
            .collect();
        for (usage, roots) in seeds {
            let mut todo: Vec<String> = roots.into_iter().collect();
            while let Some(name) = todo.pop() {
                let Some(schema) = model.schemas.get_mut(&name) else {
                    continue;
                };
                let merged = schema.usage.union(usage);
                if merged == schema.usage {
                    continue;
                }
                schema.usage = merged;
                todo.extend(graph.get(name.as_str()).into_iter().flatten().cloned());
            }
        }
        model
    }
}

fn read_param(p: &Value) -> Param {
    let schema = p.get("schema").or_else(|| {
        p.get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
    });
    Param {
        name: str_of(p, "name"),
        location: str_of(p, "in"),
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        ty: schema.map_or_else(|| "any".to_string(), type_string),
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Adds the names of the component schemas `v` refers to, at any depth.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMA_REF))
            {
                out.insert(name.to_string());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The type of a body (request or response): the schema's type string, with
/// the media type appended when it is not `application/json`; several media
/// types are listed in name order. `none` when there is no content.
pub fn body_type(body: &Value) -> String {
    let Some(content) = body
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return "none".to_string();
    };
    let mut parts: Vec<String> = content
        .iter()
        .map(|(media, m)| {
            let ty = m
                .get("schema")
                .map_or_else(|| "any".to_string(), type_string);
            if media == "application/json" {
                ty
            } else {
                format!("{ty} as {media}")
            }
        })
        .collect();
    parts.sort();
    parts.join(", ")
}

fn component_schemas(doc: &Value) -> BTreeMap<&str, &Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

fn read_schema(schema: &Value) -> Schema {
    Schema {
        kind: schema_kind(schema),
        enum_values: enum_values(schema),
        properties: properties(schema)
            .into_iter()
            .map(|(name, p)| {
                let property = Property {
                    ty: type_string(p),
                    enum_values: enum_values(p),
                };
                (name.to_string(), property)
            })
            .collect(),
        required: required(schema).into_iter().map(str::to_string).collect(),
        usage: Usage::default(),
    }
}

fn properties(schema: &Value) -> BTreeMap<&str, &Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The enum values of a schema, or of its items when it is an array, each
/// written as JSON (`"LMT"`, `1`, `null`).
fn enum_values(schema: &Value) -> BTreeSet<String> {
    schema
        .get("enum")
        .or_else(|| schema.get("items").and_then(|i| i.get("enum")))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(Value::to_string)
        .collect()
}

/// Whether a body whose content changed from `old` to `new` (same media
/// types) still works for a client built for `old`: a `request` the client
/// sends is still accepted (the new type adds only optional properties), a
/// response it decodes still decodes (the new type adds properties, or
/// drops optional ones). Only inline objects and arrays are looked into;
/// any other difference is not an extension.
pub fn extends(old: &Value, new: &Value, request: bool) -> bool {
    let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else {
        return false;
    };
    a.len() == b.len()
        && a.iter().all(|(media, m)| {
            b.get(media)
                .is_some_and(|n| match (m.get("schema"), n.get("schema")) {
                    (Some(x), Some(y)) => schema_extends(x, y, request),
                    (x, y) => x == y,
                })
        })
}

fn schema_extends(old: &Value, new: &Value, request: bool) -> bool {
    if old == new {
        return true;
    }
    // Everything but `keys` must be the same.
    let rest_equal = |keys: &[&str]| {
        let strip = |v: &Value| {
            let mut v = v.clone();
            if let Some(o) = v.as_object_mut() {
                keys.iter().for_each(|k| {
                    o.remove(*k);
                });
            }
            v
        };
        strip(old) == strip(new)
    };
    if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
        return rest_equal(&["items"]) && schema_extends(a, b, request);
    }
    let (Some(a), Some(b)) = (
        old.get("properties").and_then(Value::as_object),
        new.get("properties").and_then(Value::as_object),
    ) else {
        return false;
    };
    if !rest_equal(&["properties", "required"]) {
        return false;
    }
    let (req_a, req_b) = (required(old), required(new));
    let kept = a.iter().all(|(name, p)| {
        let (was, is) = (req_a.contains(name.as_str()), req_b.contains(name.as_str()));
        match b.get(name) {
            // A request may not drop what the client sends; a response may
            // drop what the client does without.
            None => !request && !was,
            Some(q) => {
                schema_extends(p, q, request) && if request { was || !is } else { is || !was }
            }
        }
    });
    // New properties: a request may not require them.
    kept && (!request
        || b.keys()
            .all(|n| a.contains_key(n) || !req_b.contains(n.as_str())))
}

/// A schema's own type: `object` for any object with properties (their
/// changes are reported one by one), the full type string otherwise.
pub fn schema_kind(schema: &Value) -> String {
    if schema.get("properties").is_some_and(Value::is_object) {
        let object = match schema.get("additionalProperties") {
            Some(extra) if extra.is_object() => format!("object+map<{}>", type_string(extra)),
            _ => "object".to_string(),
        };
        nullable(schema, object)
    } else {
        type_string(schema)
    }
}

/// A short, comparable description of a schema's type:
/// - a `$ref` is the referenced name (`Order`);
/// - `type` with `format` is `integer(int64)`, without it `string`;
/// - arrays are `array<T>`, maps (`additionalProperties`) `map<T>`;
/// - inline objects list their properties in name order,
///   `{id: integer, name?: string}` (`?` marks an optional property);
/// - `oneOf`/`anyOf`/`allOf` list their alternatives;
/// - `nullable` adds ` | null`; a schema without any of these is `any`.
///
/// Enum values are not part of it (they are compared on their own).
pub fn type_string(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return nullable(schema, r.rsplit('/').next().unwrap_or(r).to_string());
    }
    for (keyword, sep) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")] {
        if let Some(items) = schema.get(keyword).and_then(Value::as_array) {
            let parts: Vec<String> = items.iter().map(type_string).collect();
            return nullable(schema, format!("{keyword}<{}>", parts.join(sep)));
        }
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let props = properties(schema);
    let base = match ty {
        Some("array") => format!(
            "array<{}>",
            schema
                .get("items")
                .map_or_else(|| "any".to_string(), type_string)
        ),
        Some("object") | None if !props.is_empty() => {
            let req = required(schema);
            let fields: Vec<String> = props
                .iter()
                .map(|(name, s)| {
                    let mark = if req.contains(name) { "" } else { "?" };
                    format!("{name}{mark}: {}", type_string(s))
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Some("object") | None => match schema.get("additionalProperties") {
            Some(extra) if extra.is_object() => format!("map<{}>", type_string(extra)),
            _ if ty.is_some() => "object".to_string(),
            _ => "any".to_string(),
        },
        Some(t) => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{t}({f})"),
            None => t.to_string(),
        },
    };
    nullable(schema, base)
}

fn nullable(schema: &Value, ty: String) -> String {
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        format!("{ty} | null")
    } else {
        ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_strings_are_short_and_structural() {
        let cases = [
            (json!({"$ref": "#/components/schemas/Order"}), "Order"),
            (
                json!({"type": "string", "format": "date-time"}),
                "string(date-time)",
            ),
            (
                json!({"type": "array", "items": {"type": "integer"}}),
                "array<integer>",
            ),
            (
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
                "map<string>",
            ),
            (json!({"type": "object"}), "object"),
            (json!({}), "any"),
            (
                json!({"type": "object", "required": ["a"], "properties": {"b": {"type": "boolean"}, "a": {"$ref": "#/x/A"}}}),
                "{a: A, b?: boolean}",
            ),
            (
                json!({"oneOf": [{"$ref": "#/x/A"}, {"type": "string"}]}),
                "oneOf<A | string>",
            ),
            (
                json!({"allOf": [{"$ref": "#/x/A"}], "nullable": true}),
                "allOf<A> | null",
            ),
        ];
        for (schema, expected) in cases {
            assert_eq!(type_string(&schema), expected, "{schema}");
        }
    }

    #[test]
    fn usage_follows_references_from_requests_successes_and_errors() {
        let doc = json!({
            "paths": {"/a": {"post": {
                "operationId": "a_post",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}},
                    "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}}
                }
            }}},
            "components": {"schemas": {
                "In": {"type": "object", "properties": {"leg": {"$ref": "#/components/schemas/Leg"}}},
                "Out": {"type": "array", "items": {"$ref": "#/components/schemas/Leg"}},
                "Err": {"type": "object", "properties": {"error": {"type": "string"}}},
                "Leg": {"type": "string"},
                "Unused": {"type": "string"}
            }}
        });
        let m = Model::from_doc(&doc);
        let usage = |name: &str| m.schemas[name].usage;
        let (request, success, error) = (
            Usage {
                request: true,
                ..Usage::default()
            },
            Usage {
                success: true,
                ..Usage::default()
            },
            Usage {
                error: true,
                ..Usage::default()
            },
        );
        assert_eq!(usage("In"), request);
        assert_eq!(usage("Out"), success);
        assert_eq!(usage("Leg"), request.union(success));
        assert_eq!(usage("Err"), error);
        assert_eq!(usage("Unused"), Usage::default());
        let op = &m.operations["a_post"];
        assert_eq!(op.endpoint(), "POST /a");
        assert_eq!(op.responses["200"].ty, "Out");
        assert_eq!(op.body.as_ref().map(|b| b.payload.ty.as_str()), Some("In"));
    }

    #[test]
    fn anything_reads_without_panicking() {
        for doc in [
            json!(null),
            json!([1, 2]),
            json!({"paths": {"/a": null, "/b": {"get": 3}, "/c": {"get": {"parameters": [null, {"name": 1}], "responses": []}}}}),
            json!({"paths": {"/{x}": {"get": {"requestBody": null}}}, "components": {"schemas": {"A": null, "B": {"enum": [null]}}}}),
        ] {
            let m = Model::from_doc(&doc);
            let _ = m.operations.values().map(Operation::path_params).count();
        }
    }
}
