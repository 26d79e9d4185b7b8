//! Repairs of nodes that do not fit the OpenAPI 3.0 model (see
//! [`super::shape`]): `null`s, scalars of the wrong type, values of the
//! wrong shape, objects without what they cannot do without, and
//! references that point nowhere. Each either coerces the node to what the
//! model expects there or drops it, and reports the JSON pointer.

use serde_json::{Map, Value, json};

use super::Report;
use super::shape::{self, Fix, Kind, Shape};
use crate::openapi::resolve_ref;

/// Runs one walk of the document as a repair named `name`: every node
/// `fix` changes is reported at its pointer.
fn repair(
    doc: &mut Value,
    report: &mut Report,
    name: &'static str,
    mut fix: impl FnMut(&Value, Shape, &str) -> Fix,
) {
    shape::fit(doc, &mut |value, shape, pointer| {
        let out = fix(value, shape, pointer);
        if out != Fix::Keep {
            report.hit(name, format!("#{pointer}"));
        }
        out
    });
}

/// IBKR defect: `null` where a value is required (`"tags": [null]`, a
/// security requirement's scope list `[null]`, `"required": ["id", null]`,
/// `"enum": null` on a server variable, `"schema": null`). OpenAPI has no
/// `null` in those places and the generator refuses the document; IBKR's
/// generator writes it for an unset field, so the node is dropped: an
/// absent field means the same. Examples, defaults, enum values and
/// extensions keep their `null`s.
pub fn null_values(doc: &mut Value, report: &mut Report) {
    repair(doc, report, "null_values", |value, shape, _| {
        if value.is_null() && shape != Shape::Any {
            Fix::Drop
        } else {
            Fix::Keep
        }
    });
}

/// IBKR defect: a scalar of the wrong JSON type (`"required": "true"` on a
/// parameter, `"minLength": "5"`, `"operationId": 12`, `"maxItems": 5.0`,
/// `"tags": "portfolio"` where a list is required). The value is converted
/// to the type the model requires when it converts without guessing
/// (numbers and booleans to strings, `"true"`/`"false"`/`0`/`1` to
/// booleans, numeric strings to numbers, one scalar to a one-item list);
/// anything else is left to [`drop_misshapen_values`].
pub fn coerce_scalar_types(doc: &mut Value, report: &mut Report) {
    repair(
        doc,
        report,
        "coerce_scalar_types",
        |value, shape, _| match coerced(value, shape) {
            Some(new) => Fix::Replace(new),
            None => Fix::Keep,
        },
    );
}

/// `value` converted to `shape`, when it is a scalar of another type that
/// converts without loss of meaning; `None` when it already fits or cannot
/// be converted.
fn coerced(value: &Value, shape: Shape) -> Option<Value> {
    if value.is_null() || fits(value, shape) {
        return None;
    }
    match (shape, value) {
        (Shape::Str, Value::Number(n)) => Some(json!(n.to_string())),
        (Shape::Str, Value::Bool(b)) => Some(json!(b.to_string())),
        (Shape::Bool | Shape::BoolOr(_), Value::String(s)) => {
            match s.trim().to_ascii_lowercase().as_str() {
                "true" => Some(json!(true)),
                "false" => Some(json!(false)),
                _ => None,
            }
        }
        (Shape::Bool, Value::Number(n)) => match n.as_u64() {
            Some(0) => Some(json!(false)),
            Some(1) => Some(json!(true)),
            _ => None,
        },
        (Shape::Num, Value::String(s)) => number(s.trim()),
        (Shape::Count, Value::String(s)) => s.trim().parse::<u64>().ok().map(|n| json!(n)),
        (Shape::Count, Value::Number(n)) => n
            .as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f <= u32::MAX as f64)
            .map(|f| json!(f as u64)),
        (Shape::List(inner), scalar) if is_scalar(scalar) && is_scalar_shape(*inner) => {
            let item = if fits(scalar, *inner) {
                scalar.clone()
            } else {
                coerced(scalar, *inner)?
            };
            Some(json!([item]))
        }
        (Shape::Enum, scalar) if is_scalar(scalar) => Some(json!([scalar])),
        _ => None,
    }
}

fn number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(json!(n));
    }
    let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn is_scalar_shape(shape: Shape) -> bool {
    matches!(shape, Shape::Str | Shape::Bool | Shape::Num | Shape::Count)
}

/// Whether `value` has the JSON type `shape` requires (not looking inside).
fn fits(value: &Value, shape: Shape) -> bool {
    match shape {
        Shape::Any => true,
        Shape::Str => value.is_string(),
        Shape::Bool => value.is_boolean(),
        Shape::Num => value.is_number(),
        Shape::Count => value.is_u64(),
        Shape::List(_) | Shape::Enum => value.is_array(),
        Shape::Map(_) | Shape::Node(_) | Shape::RefOr(_) => value.is_object(),
        Shape::BoolOr(_) => value.is_boolean() || value.is_object(),
    }
}

/// IBKR defect: a value of the wrong shape that no conversion makes right
/// (an object where a string is required, a string where an object or a
/// list of objects is, `"minLength": -1`, `"parameters": {...}` as a map).
/// The node is dropped: the generator would refuse the whole document for
/// it. Runs after [`null_values`] and [`coerce_scalar_types`].
pub fn drop_misshapen_values(doc: &mut Value, report: &mut Report) {
    repair(doc, report, "drop_misshapen_values", |value, shape, _| {
        if fits(value, shape) {
            Fix::Keep
        } else {
            Fix::Drop
        }
    });
}

/// A required field and the neutral value it gets when missing.
type Filler = (&'static str, fn() -> Value);

/// IBKR defect: a required field missing where a neutral value exists
/// (no `info`, an `info` without `title` or `version`, an operation without
/// `responses`, a header without `schema` or `content`, a Swagger 2.0 body
/// parameter without `schema`). The field is filled: empty strings, no
/// responses (every status is then unexpected), a header read as a string,
/// a body of any JSON value.
pub fn fill_required_fields(doc: &mut Value, report: &mut Report) {
    if let Some(root) = doc.as_object_mut()
        && root.contains_key("paths")
        && !root.get("info").is_some_and(Value::is_object)
    {
        root.insert("info".into(), json!({"title": "", "version": ""}));
        report.hit("fill_required_fields", "#/info");
    }
    repair(doc, report, "fill_required_fields", |value, shape, _| {
        let (Shape::Node(kind) | Shape::RefOr(kind), Value::Object(map)) = (shape, value) else {
            return Fix::Keep;
        };
        if shape::is_reference(map) {
            return Fix::Keep;
        }
        let missing: &[Filler] = match kind {
            Kind::Info => &[("title", || json!("")), ("version", || json!(""))],
            Kind::Operation => &[("responses", || json!({}))],
            Kind::Header if !map.contains_key("content") => {
                &[("schema", || json!({"type": "string"}))]
            }
            Kind::SwParameter if map.get("in").and_then(Value::as_str) == Some("body") => {
                &[("schema", || json!({}))]
            }
            _ => &[],
        };
        let mut filled: Option<Map<String, Value>> = None;
        for (key, value) in missing {
            if !map.contains_key(*key) {
                filled
                    .get_or_insert_with(|| map.clone())
                    .insert(key.to_string(), value());
            }
        }
        filled.map_or(Fix::Keep, |m| Fix::Replace(Value::Object(m)))
    });
}

/// IBKR defect: an object without a field it cannot do without, or with a
/// discriminating value the model does not know: a parameter without
/// `name` or with `in: body` left over from Swagger, a tag or license
/// without `name`, a server without `url`, a server variable without
/// `default`, external docs without `url`, a discriminator without
/// `propertyName`, a link naming no operation, a security scheme of an unknown `type` or missing what
/// its type needs, an OAuth flow without its URLs or scopes (and the same
/// in Swagger 2.0 documents, before they are converted). Such an object
/// cannot be used as written, so it is dropped.
pub fn drop_incomplete_objects(doc: &mut Value, report: &mut Report) {
    repair(doc, report, "drop_incomplete_objects", |value, shape, _| {
        let (Shape::Node(kind) | Shape::RefOr(kind), Value::Object(map)) = (shape, value) else {
            return Fix::Keep;
        };
        if shape::is_reference(map) || is_complete(kind, map) {
            Fix::Keep
        } else {
            Fix::Drop
        }
    });
}

fn is_complete(kind: Kind, map: &Map<String, Value>) -> bool {
    let text = |key: &str| map.get(key).and_then(Value::as_str);
    let has = |keys: &[&str]| keys.iter().all(|k| text(k).is_some());
    let scopes = map.get("scopes").is_some_and(Value::is_object);
    match kind {
        Kind::Parameter => {
            has(&["name"]) && matches!(text("in"), Some("query" | "header" | "path" | "cookie"))
        }
        Kind::Tag | Kind::License => has(&["name"]),
        Kind::Server | Kind::ExternalDocs => has(&["url"]),
        Kind::ServerVariable => has(&["default"]),
        Kind::Discriminator => has(&["propertyName"]),
        Kind::Link => text("operationRef").is_some() || text("operationId").is_some(),
        Kind::SecurityScheme => match text("type") {
            Some("apiKey") => {
                has(&["name"]) && matches!(text("in"), Some("query" | "header" | "cookie"))
            }
            Some("http") => has(&["scheme"]),
            Some("oauth2") => map.get("flows").is_some_and(Value::is_object),
            Some("openIdConnect") => has(&["openIdConnectUrl"]),
            _ => false,
        },
        Kind::SwParameter => {
            has(&["name"])
                && matches!(
                    text("in"),
                    Some("query" | "header" | "path" | "formData" | "body")
                )
        }
        Kind::SwSecurityScheme => match text("type") {
            Some("basic") => true,
            Some("apiKey") => has(&["name"]) && matches!(text("in"), Some("query" | "header")),
            Some("oauth2") => match text("flow") {
                Some("implicit") => has(&["authorizationUrl"]),
                Some("password" | "application") => has(&["tokenUrl"]),
                Some("accessCode") => has(&["authorizationUrl", "tokenUrl"]),
                _ => false,
            },
            _ => false,
        },
        Kind::ImplicitFlow => has(&["authorizationUrl"]) && scopes,
        Kind::TokenFlow => has(&["tokenUrl"]) && scopes,
        Kind::AuthorizationCodeFlow => has(&["authorizationUrl", "tokenUrl"]) && scopes,
        _ => true,
    }
}

/// IBKR defect: a `$ref` that points nowhere (a component that was renamed
/// or never published), outside the document (`other.yaml#/...`), into a
/// loop of references, or — for schemas — anywhere but a named schema of
/// `components/schemas`, the only schema references the generator
/// resolves. A schema reference becomes `{}` (any value: the data is still
/// decoded); a parameter, response, header, example, link or request body
/// reference is dropped. (Path item references: [`path_item_refs`].)
pub fn dangling_refs(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    repair(doc, report, "dangling_refs", |value, shape, _| {
        let Shape::RefOr(kind) = shape else {
            return Fix::Keep;
        };
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Fix::Keep;
        };
        if matches!(kind, Kind::PathItem | Kind::SwPathItem) || resolves(&snapshot, kind, reference)
        {
            Fix::Keep
        } else if matches!(kind, Kind::Schema | Kind::SwSchema) {
            Fix::Replace(json!({}))
        } else {
            Fix::Drop
        }
    });
}

/// IBKR defect: a path item that is a `$ref` (`"/v2/x": {"$ref":
/// "#/paths/~1v1~1x"}`), which the generator cannot follow. A local
/// reference to a path item is replaced by a copy of it; any other is
/// dropped with its path.
pub fn path_item_refs(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    repair(doc, report, "path_item_refs", |value, shape, _| {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Fix::Keep;
        };
        if !matches!(shape, Shape::RefOr(Kind::PathItem | Kind::SwPathItem)) {
            return Fix::Keep;
        }
        match resolve_ref(&snapshot, reference).and_then(Value::as_object) {
            Some(target) if !shape::is_reference(target) => {
                Fix::Replace(Value::Object(target.clone()))
            }
            _ => Fix::Drop,
        }
    });
}

/// Whether `reference` leads, through `components/<section of kind>` (in
/// Swagger 2.0 `definitions`, `parameters` or `responses`), to an object.
fn resolves(doc: &Value, kind: Kind, reference: &str) -> bool {
    let section = match kind {
        Kind::SwSchema => "#/definitions/",
        Kind::SwParameter => "#/parameters/",
        Kind::SwResponse => "#/responses/",
        Kind::Schema => "schemas",
        Kind::Response => "responses",
        Kind::Parameter => "parameters",
        Kind::Example => "examples",
        Kind::RequestBody => "requestBodies",
        Kind::Header => "headers",
        Kind::SecurityScheme => "securitySchemes",
        Kind::Link => "links",
        Kind::Callback => "callbacks",
        _ => return false,
    };
    let prefix = if section.starts_with('#') {
        section.to_string()
    } else {
        format!("#/components/{section}/")
    };
    let Some(name) = reference.strip_prefix(&prefix) else {
        return false;
    };
    let is_schema = matches!(kind, Kind::Schema | Kind::SwSchema);
    if is_schema && (name.is_empty() || name.contains('/')) {
        return false;
    }
    resolve_ref(doc, reference).is_some_and(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(repair: fn(&mut Value, &mut Report), mut doc: Value) -> (Value, Report) {
        let mut r = Report::default();
        repair(&mut doc, &mut r);
        (doc, r)
    }

    #[test]
    fn nulls_are_dropped_where_a_value_is_required() {
        let (doc, r) = run(
            null_values,
            json!({
                "security": [{"oauth": [null]}, null],
                "tags": [null, {"name": "t"}],
                "servers": [{"url": "u", "variables": {"v": {"default": "d", "enum": null}}}],
                "paths": {"/a": {"get": {"tags": ["x", null], "operationId": null,
                    "responses": {"200": {"content": {"application/json": {"schema": null,
                        "example": {"n": null}}}}}}}},
                "components": {"schemas": {"A": {"required": ["id", null], "default": null,
                    "enum": ["a", null], "x-note": null, "properties": {"b": null}}}}
            }),
        );
        assert_eq!(doc["security"], json!([{"oauth": []}]));
        assert_eq!(doc["tags"], json!([{"name": "t"}]));
        assert_eq!(doc["servers"][0]["variables"]["v"], json!({"default": "d"}));
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["tags"], json!(["x"]));
        assert!(op.get("operationId").is_none());
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"],
            json!({"example": {"n": null}})
        );
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"required": ["id"], "default": null, "enum": ["a", null], "x-note": null,
                "properties": {}})
        );
        assert_eq!(r.count("null_values"), 9);
        // A reference whose target is `null` is no reference: what is left
        // is the object itself.
        let (doc, _) = run(
            null_values,
            json!({"paths": {"/a": {"get": {"responses": {"400": {"$ref": null}}}}}}),
        );
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["400"], json!({}));
    }

    #[test]
    fn scalars_take_the_required_type() {
        let (doc, r) = run(
            coerce_scalar_types,
            json!({"paths": {"/a/{id}": {"get": {"operationId": 12, "tags": "portfolio",
                "parameters": [{"name": "id", "in": "path", "required": "true",
                    "schema": {"type": "string", "minLength": "5", "maxLength": 9.0,
                        "minimum": "1.5", "nullable": 0, "enum": "only"}},
                    {"name": 7, "in": "query", "deprecated": "maybe", "schema": {"maxItems": -1}}],
                "responses": {}}}}}),
        );
        let op = &doc["paths"]["/a/{id}"]["get"];
        assert_eq!(op["operationId"], "12");
        assert_eq!(op["tags"], json!(["portfolio"]));
        let p = &op["parameters"][0];
        assert_eq!(p["required"], true);
        assert_eq!(
            p["schema"],
            json!({"type": "string", "minLength": 5, "maxLength": 9, "minimum": 1.5,
                "nullable": false, "enum": ["only"]})
        );
        let q = &op["parameters"][1];
        assert_eq!(q["name"], "7");
        assert_eq!(q["deprecated"], "maybe", "left for drop_misshapen_values");
        assert_eq!(q["schema"]["maxItems"], -1);
        assert_eq!(r.count("coerce_scalar_types"), 9);
    }

    #[test]
    fn misshapen_values_are_dropped() {
        let (doc, r) = run(
            drop_misshapen_values,
            json!({"info": {"title": {"text": "t"}, "version": "1"},
                "paths": {"/a": {"get": {"parameters": {"q": {"name": "q", "in": "query"}},
                    "deprecated": "maybe", "responses": {"200": "ok"}},
                    "post": {"requestBody": [1], "responses": {}}}},
                "components": {"schemas": {"A": {"maxItems": -1, "items": "string",
                    "additionalProperties": "no", "properties": {"b": {"type": "string"}}}}}}),
        );
        assert_eq!(doc["info"], json!({"version": "1"}));
        assert_eq!(doc["paths"]["/a"]["get"], json!({"responses": {}}));
        assert_eq!(doc["paths"]["/a"]["post"], json!({"responses": {}}));
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"properties": {"b": {"type": "string"}}})
        );
        assert_eq!(r.count("drop_misshapen_values"), 8);
    }

    #[test]
    fn required_fields_are_filled() {
        let (doc, r) = run(
            fill_required_fields,
            json!({"paths": {"/a": {"get": {"operationId": "a"}, "post": {"responses": {
                "200": {"headers": {"X-Rate": {"required": true}, "X-C": {"content": {}}}}}}}}}),
        );
        assert_eq!(doc["info"], json!({"title": "", "version": ""}));
        assert_eq!(
            doc["paths"]["/a"]["get"],
            json!({"operationId": "a", "responses": {}})
        );
        let headers = &doc["paths"]["/a"]["post"]["responses"]["200"]["headers"];
        assert_eq!(
            headers["X-Rate"],
            json!({"required": true, "schema": {"type": "string"}})
        );
        assert_eq!(headers["X-C"], json!({"content": {}}));
        assert_eq!(r.count("fill_required_fields"), 3);
    }

    #[test]
    fn incomplete_objects_are_dropped() {
        let (doc, r) = run(
            drop_incomplete_objects,
            json!({"tags": [{"description": "no name"}, {"name": "t"}],
                "servers": [{"description": "no url"}],
                "paths": {"/a": {"get": {"parameters": [
                    {"name": "body", "in": "body"}, {"in": "query"}, {"name": "q", "in": "query"},
                    {"$ref": "#/components/parameters/P"}], "responses": {}}}},
                "components": {"securitySchemes": {
                    "a": {"type": "apiKey", "name": "k", "in": "header"},
                    "b": {"type": "apiKey", "name": "k", "in": "body"},
                    "c": {"type": "basic"},
                    "d": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "u"},
                        "clientCredentials": {"tokenUrl": "t", "scopes": {}}}}},
                    "schemas": {"S": {"discriminator": {"mapping": {}}}},
                    "links": {"L": {"parameters": {}}, "M": {"operationId": "a_get"}}}}),
        );
        assert_eq!(doc["tags"], json!([{"name": "t"}]));
        assert_eq!(doc["servers"], json!([]));
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "q", "in": "query"}, {"$ref": "#/components/parameters/P"}])
        );
        let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
        assert_eq!(schemes.keys().collect::<Vec<_>>(), ["a", "d"]);
        assert_eq!(
            schemes["d"]["flows"],
            json!({"clientCredentials": {"tokenUrl": "t", "scopes": {}}})
        );
        assert_eq!(doc["components"]["schemas"]["S"], json!({}));
        assert_eq!(
            doc["components"]["links"],
            json!({"M": {"operationId": "a_get"}})
        );
        assert_eq!(r.count("drop_incomplete_objects"), 9);
    }

    #[test]
    fn swagger_documents_are_repaired_on_their_own_model() {
        let swagger = json!({"swagger": "2.0", "info": {"title": "t", "version": 1},
            "definitions": {"A": {"discriminator": "kind", "properties": {
                "b": {"$ref": "#/definitions/Gone"}, "c": {"$ref": "#/definitions/A"}}}},
            "paths": {"/a": {"get": {"parameters": [
                {"in": "query", "name": "q", "type": "integer", "maximum": "10", "enum": null},
                {"in": "body", "name": "b"},
                {"in": "cookie", "name": "c"},
                {"$ref": "#/parameters/Gone"}],
                "responses": {"200": {"schema": {"type": "array", "items": null}}}}}},
            "securityDefinitions": {"k": {"type": "apiKey", "name": "k", "in": "cookie"},
                "b": {"type": "basic"}}});
        let mut doc = swagger.clone();
        let mut r = Report::default();
        for repair in [
            null_values,
            coerce_scalar_types,
            drop_misshapen_values,
            fill_required_fields,
            drop_incomplete_objects,
            dangling_refs,
        ] {
            repair(&mut doc, &mut r);
        }
        assert_eq!(doc["info"]["version"], "1");
        assert_eq!(
            doc["definitions"]["A"]["discriminator"], "kind",
            "a string in 2.0"
        );
        assert_eq!(doc["definitions"]["A"]["properties"]["b"], json!({}));
        assert_eq!(
            doc["definitions"]["A"]["properties"]["c"],
            json!({"$ref": "#/definitions/A"})
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"in": "query", "name": "q", "type": "integer", "maximum": 10},
                {"in": "body", "name": "b", "schema": {}}])
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["schema"],
            json!({"type": "array"})
        );
        let schemes = doc["securityDefinitions"].as_object().unwrap();
        assert_eq!(schemes.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(r.count("null_values"), 2);
        assert_eq!(r.count("coerce_scalar_types"), 2);
        assert_eq!(r.count("fill_required_fields"), 1);
        assert_eq!(r.count("drop_incomplete_objects"), 2);
        assert_eq!(r.count("dangling_refs"), 2);
    }

    #[test]
    fn path_item_refs_are_copied_or_dropped() {
        let (doc, r) = run(
            path_item_refs,
            json!({"paths": {"/v1/x": {"get": {"responses": {}}},
                "/v2/x": {"$ref": "#/paths/~1v1~1x"},
                "/ext": {"$ref": "other.yaml#/paths/~1x"}}}),
        );
        assert_eq!(doc["paths"]["/v2/x"], doc["paths"]["/v1/x"]);
        assert!(doc["paths"].get("/ext").is_none());
        assert_eq!(r.count("path_item_refs"), 2);
    }

    #[test]
    fn dangling_refs_become_any_or_are_dropped() {
        let (doc, r) = run(
            dangling_refs,
            json!({
                "components": {
                    "schemas": {"A": {"type": "object", "properties": {
                        "ok": {"$ref": "#/components/schemas/B"},
                        "gone": {"$ref": "#/components/schemas/Nope"},
                        "deep": {"$ref": "#/components/schemas/B/properties/x"},
                        "far": {"$ref": "other.yaml#/components/schemas/B"}}},
                        "B": {"type": "object", "properties": {"x": {"type": "string"}}},
                        "Loop": {"$ref": "#/components/schemas/Loop"}},
                    "parameters": {"P": {"name": "p", "in": "query"}}
                },
                "paths": {"/a": {"get": {
                    "parameters": [{"$ref": "#/components/parameters/P"},
                        {"$ref": "#/components/parameters/Q"},
                        {"$ref": "#/components/schemas/B"}],
                    "requestBody": {"$ref": "#/components/requestBodies/None"},
                    "responses": {"200": {"$ref": "#/components/responses/None"},
                        "400": {"content": {"application/json": {"schema":
                            {"$ref": "#/components/schemas/A"}}}}}}}}
            }),
        );
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["ok"], json!({"$ref": "#/components/schemas/B"}));
        for key in ["gone", "deep", "far"] {
            assert_eq!(props[key], json!({}), "{key}");
        }
        assert_eq!(doc["components"]["schemas"]["Loop"], json!({}));
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(
            op["parameters"],
            json!([{"$ref": "#/components/parameters/P"}])
        );
        assert!(op.get("requestBody").is_none());
        let responses = op["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["400"]);
        assert_eq!(r.count("dangling_refs"), 8);
    }
}
