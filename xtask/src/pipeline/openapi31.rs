//! OpenAPI 3.1 → 3.0.3, in place, before the repairs.
//!
//! 3.1 schemas are JSON Schema 2020-12; the generator reads 3.0's subset.
//! What changes:
//!
//! * `type` lists: `null` among them becomes `nullable: true`; one other
//!   type stays the `type`; several become an `anyOf` of one schema per
//!   type, each taking the keywords (and `enum` values) that apply to its
//!   type.
//! * `const: v` becomes `enum: [v]`.
//! * Numeric `exclusiveMinimum: n` becomes `minimum: n` with
//!   `exclusiveMinimum: true` (and likewise for the maximum), unless an
//!   inclusive bound is already stricter.
//! * `examples` lists in schemas, `$schema`, `$id`, `$anchor`, `$comment`,
//!   `$defs`, `contentMediaType` and `contentEncoding` are dropped, as are
//!   `jsonSchemaDialect`, `webhooks` and `components.pathItems`.
//! * `true` and `false` as schemas become `{}` and `{"not": {}}`.
//! * A missing `paths` (optional in 3.1) becomes an empty one, and
//!   `openapi` becomes `3.0.3`.
//!
//! Every change is recorded in the import's [`Report`] under an
//! `openapi31_…` name.

use serde_json::{Map, Value, json};

use crate::repairs::Report;
use crate::repairs::schemas::type_list_as_30;
use crate::repairs::shape::{self, Fix, Kind, Shape};

/// Schema keywords of JSON Schema 2020-12 that 3.0 has no use for.
const DROPPED_SCHEMA_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$defs",
    "contentMediaType",
    "contentEncoding",
];

/// Converts a 3.1 document to 3.0.3.
pub fn convert(doc: &mut Value, report: &mut Report) {
    if let Some(root) = doc.as_object_mut() {
        for key in ["jsonSchemaDialect", "webhooks"] {
            if root.remove(key).is_some() {
                report.hit("openapi31_keywords", format!("#/{key}"));
            }
        }
        if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut)
            && components.remove("pathItems").is_some()
        {
            report.hit("openapi31_keywords", "#/components/pathItems");
        }
        if !root.contains_key("paths") {
            root.insert("paths".into(), json!({}));
            report.hit("openapi31_keywords", "#/paths");
        }
        root.insert("openapi".into(), json!("3.0.3"));
    }
    shape::fit(doc, &mut |value, shape, pointer| match (shape, value) {
        (Shape::RefOr(Kind::Schema), Value::Bool(b)) => {
            report.hit("openapi31_boolean_schemas", format!("#{pointer}"));
            Fix::Replace(if *b { json!({}) } else { json!({"not": {}}) })
        }
        _ => Fix::Keep,
    });
    shape::for_each_node_mut(doc, Kind::Schema, &mut |schema, pointer| {
        convert_schema(schema, pointer, report);
    });
}

/// Converts one schema object (not its subschemas).
fn convert_schema(schema: &mut Map<String, Value>, pointer: &str, report: &mut Report) {
    let at = format!("#{pointer}");
    for key in DROPPED_SCHEMA_KEYWORDS {
        if schema.remove(*key).is_some() {
            report.hit("openapi31_keywords", format!("{at}/{key}"));
        }
    }
    if schema.get("examples").is_some_and(Value::is_array) {
        schema.remove("examples");
        report.hit("openapi31_examples", at.clone());
    }
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), json!([value]));
        report.hit("openapi31_const", at.clone());
    }
    let min = exclusive_bound(
        schema,
        "exclusiveMinimum",
        "minimum",
        |inclusive, exclusive| inclusive > exclusive,
    );
    let max = exclusive_bound(
        schema,
        "exclusiveMaximum",
        "maximum",
        |inclusive, exclusive| inclusive < exclusive,
    );
    if min || max {
        report.hit("openapi31_exclusive_bounds", at.clone());
    }
    if type_list_as_30(schema) {
        report.hit("openapi31_type_arrays", at);
    }
}

/// A numeric `exclusive` bound (3.1) as 3.0's boolean flag on the
/// `inclusive` bound; `stricter(inclusive, exclusive)` tells whether an
/// inclusive bound already present makes the exclusive one redundant.
/// Whether anything changed.
fn exclusive_bound(
    schema: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) -> bool {
    let Some(bound) = schema.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return false;
    };
    schema.remove(exclusive);
    let n = bound.as_f64().unwrap_or_default();
    match schema.get(inclusive).and_then(Value::as_f64) {
        Some(m) if stricter(m, n) => {}
        _ => {
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), json!(true));
        }
    }
    true
}

/// The reverse conversion, for tests: a 3.0 document written as 3.1.
#[cfg(test)]
pub(super) fn to_openapi31(doc: &mut Value) {
    doc["openapi"] = json!("3.1.0");
    doc["jsonSchemaDialect"] = json!("https://spec.openapis.org/oas/3.1/dialect/base");
    doc["webhooks"] =
        json!({"orderFilled": {"post": {"responses": {"200": {"description": "ok"}}}}});
    let mut first = true;
    shape::for_each_node_mut(doc, Kind::Schema, &mut |schema, _| {
        if first {
            schema.insert(
                "$schema".into(),
                json!("https://json-schema.org/draft/2020-12/schema"),
            );
            first = false;
        }
        if schema.get("nullable") == Some(&json!(true))
            && let Some(Value::String(ty)) = schema.get("type")
        {
            let ty = json!([ty, "null"]);
            schema.insert("type".into(), ty);
            schema.remove("nullable");
        }
        if let Some(Value::Array(values)) = schema.get("enum")
            && let [value] = values.as_slice()
            && !value.is_null()
        {
            let value = value.clone();
            schema.remove("enum");
            schema.insert("const".into(), value);
        }
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if schema.get(exclusive) == Some(&json!(true))
                && let Some(bound) = schema.remove(inclusive)
            {
                schema.insert(exclusive.into(), bound);
            }
        }
        if let Some(example) = schema.remove("example") {
            schema.insert("examples".into(), json!([example]));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(schema: Value) -> (Value, Report) {
        let mut doc =
            json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"S": schema}}});
        let mut r = Report::default();
        convert(&mut doc, &mut r);
        (doc["components"]["schemas"]["S"].take(), r)
    }

    #[test]
    fn the_document_becomes_3_0() {
        let mut doc = json!({"openapi": "3.1.1", "jsonSchemaDialect": "d",
            "webhooks": {"w": {}}, "components": {"pathItems": {"p": {}}}});
        let mut r = Report::default();
        convert(&mut doc, &mut r);
        assert_eq!(
            doc,
            json!({"openapi": "3.0.3", "paths": {}, "components": {}})
        );
        assert_eq!(r.count("openapi31_keywords"), 4);
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        let (s, r) = converted(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        let (s, _) = converted(json!({"type": ["null"]}));
        assert_eq!(s, json!({"nullable": true}));
        let (s, _) = converted(json!({"type": ["integer"]}));
        assert_eq!(s, json!({"type": "integer"}));
        assert_eq!(r.count("openapi31_type_arrays"), 1);
    }

    #[test]
    fn several_types_become_an_any_of_with_their_keywords() {
        let (s, _) = converted(json!({
            "type": ["string", "integer", "null"], "maxLength": 8, "minimum": 0,
            "format": "int64", "enum": ["a", 1, null, 2.5], "readOnly": true
        }));
        assert_eq!(
            s,
            json!({"nullable": true, "readOnly": true, "anyOf": [
                {"type": "string", "maxLength": 8, "format": "int64", "enum": ["a"]},
                {"type": "integer", "minimum": 0, "format": "int64", "enum": [1]}
            ]})
        );
        let (s, _) = converted(json!({"type": ["array", "object"],
            "items": {"type": "string"}, "required": ["a"], "anyOf": [{"required": ["b"]}]}));
        assert_eq!(
            s,
            json!({"anyOf": [{"required": ["b"]}], "allOf": [{"anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "required": ["a"]}
            ]}]})
        );
    }

    #[test]
    fn const_examples_and_dialect_keywords() {
        let (s, r) = converted(json!({"const": "LMT", "examples": ["LMT"], "$schema": "x",
            "$comment": "c", "contentMediaType": "text/plain", "properties": {
                "a": {"const": 3}, "b": true, "c": false}}));
        assert_eq!(
            s,
            json!({"enum": ["LMT"], "properties": {"a": {"enum": [3]}, "b": {}, "c": {"not": {}}}})
        );
        assert_eq!(r.count("openapi31_const"), 2);
        assert_eq!(r.count("openapi31_examples"), 1);
        assert_eq!(r.count("openapi31_keywords"), 3);
        assert_eq!(r.count("openapi31_boolean_schemas"), 2);
    }

    #[test]
    fn numeric_exclusive_bounds_become_flags() {
        let (s, r) =
            converted(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                "maximum": 10, "exclusiveMaximum": true})
        );
        // An inclusive bound that is stricter already says it all.
        let (s, _) = converted(
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 1,
            "maximum": 20, "exclusiveMaximum": 10}),
        );
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 5, "maximum": 10, "exclusiveMaximum": true})
        );
        // 3.0-style flags are left alone.
        let (s, _) = converted(json!({"minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(s, json!({"minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(r.count("openapi31_exclusive_bounds"), 1);
    }

    #[test]
    fn the_reverse_conversion_is_undone() {
        let original = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
            "S": {"type": "string", "nullable": true, "enum": ["only"], "example": "only"},
            "N": {"type": "number", "minimum": 1, "exclusiveMinimum": true}}}});
        let mut doc = original.clone();
        to_openapi31(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["S"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(doc["components"]["schemas"]["N"]["exclusiveMinimum"], 1);
        convert(&mut doc, &mut Report::default());
        let mut expected = original;
        expected["components"]["schemas"]["S"]
            .as_object_mut()
            .unwrap()
            .remove("example");
        assert_eq!(doc, expected);
    }
}
