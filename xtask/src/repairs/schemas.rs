//! Repairs inside schemas.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::Report;
use super::shape::{self, Kind};

/// IBKR defect: enum values whose JSON type contradicts the schema's `type`
/// (a `string` enum listing `1, 0`; a `number` enum listing `"0", "1"`).
/// Values are converted to the declared type, which is what the server
/// sends. An object or a list in the enum of a string, number, integer or
/// boolean can never be such a value and is removed (the `enum` too, when
/// nothing is left); other values that cannot be converted are left for
/// the generator to reject with a clear message.
pub fn enum_value_type_mismatch(doc: &mut Value, report: &mut Report) {
    for_each_object(doc, String::new(), &mut |map, pointer| {
        let declared = map.get("type").and_then(Value::as_str).map(str::to_string);
        if let (Some(ty), Some(Value::Array(values))) = (declared, map.get_mut("enum")) {
            let mut changed = false;
            let scalar = matches!(ty.as_str(), "string" | "number" | "integer" | "boolean");
            let before = values.len();
            values.retain(|v| !(scalar && (v.is_object() || v.is_array())));
            changed |= values.len() != before;
            for v in values.iter_mut() {
                if let Some(fixed) = convert(v, &ty) {
                    *v = fixed;
                    changed = true;
                }
            }
            if values.is_empty() {
                map.remove("enum");
            }
            if changed {
                report.hit("enum_value_type_mismatch", format!("#{pointer}"));
            }
        }
    });
}

/// Calls `f(object, pointer)` on every object in `value`, parents first.
fn for_each_object(
    value: &mut Value,
    pointer: String,
    f: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    match value {
        Value::Object(map) => {
            f(map, &pointer);
            for (k, v) in map.iter_mut() {
                for_each_object(v, format!("{pointer}/{k}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                for_each_object(v, format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn convert(v: &Value, ty: &str) -> Option<Value> {
    match (ty, v) {
        ("string", Value::Number(n)) => Some(json!(n.to_string())),
        ("string", Value::Bool(b)) => Some(json!(b.to_string())),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(|n| json!(n)),
        ("number", Value::String(s)) => {
            if let Ok(n) = s.trim().parse::<i64>() {
                Some(json!(n))
            } else {
                s.trim().parse::<f64>().ok().map(|n| json!(n))
            }
        }
        ("boolean", Value::String(s)) => s.trim().parse::<bool>().ok().map(|b| json!(b)),
        _ => None,
    }
}

/// IBKR defect: integers declared `format: int32` that carry larger values
/// in practice (epoch-millisecond times such as `/sso/validate`'s
/// `AUTH_TIME`, ids). A client that decodes them as 32-bit fails on real
/// responses, so every 32-bit integer is widened to 64 bits; a 64-bit
/// field accepts everything the 32-bit one did.
pub fn widen_int32(doc: &mut Value, report: &mut Report) {
    for_each_object(doc, String::new(), &mut |map, pointer| {
        let is_int32 = map.get("type").and_then(Value::as_str) == Some("integer")
            && map.get("format").and_then(Value::as_str) == Some("int32");
        if is_int32 {
            map.insert("format".into(), json!("int64"));
            report.hit("widen_int32", format!("#{pointer}"));
        }
    });
}

/// IBKR defect: one object declaring the same field twice under spellings
/// that become the same Rust field name (`companyName` and `company_name`
/// on a gateway `contract`). A generated struct cannot hold both, so the
/// first spelling in byte order is kept and the others are removed (serde
/// then ignores them in responses); the report names every removal.
pub fn colliding_property_names(doc: &mut Value, report: &mut Report) {
    for_each_object(doc, String::new(), &mut |map, pointer| {
        let mut removed: Vec<String> = Vec::new();
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for name in props.keys() {
                by_field
                    .entry(name.to_snake_case())
                    .or_default()
                    .push(name.clone());
            }
            for mut names in by_field.into_values().filter(|n| n.len() > 1) {
                names.sort();
                for extra in &names[1..] {
                    props.remove(extra);
                    report.hit(
                        "colliding_property_names",
                        format!("#{pointer}/properties/{extra}"),
                    );
                    removed.push(extra.clone());
                }
            }
        }
        if let Some(Value::Array(required)) = map.get_mut("required") {
            required.retain(|r| !r.as_str().is_some_and(|r| removed.iter().any(|x| x == r)));
        }
    });
}

/// The type of a typeless `enum` whose values are of several JSON types
/// (`["31", "55", true]`), which the generator cannot decide on: the type
/// most of them have (a string on a tie); `None` when they agree.
fn enum_type(values: &Value) -> Option<&'static str> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for v in values.as_array()? {
        let ty = match v {
            Value::String(_) => "string",
            Value::Number(n) if n.is_f64() => "number",
            Value::Number(_) => "integer",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => continue,
        };
        *counts.entry(ty).or_default() += 1;
    }
    if counts.len() < 2 {
        return None;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    ["string", "integer", "number", "boolean", "object", "array"]
        .into_iter()
        .find(|ty| counts.get(ty) == Some(&most))
}

/// The type names JSON Schema defines.
const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// IBKR defect: schema `type` values that are not JSON Schema type names as
/// written (`"Object"` with a capital O in a gateway response). A generator
/// reads such a schema as "any value"; the type is lower-cased when that
/// gives a real type name.
pub fn schema_type_case(doc: &mut Value, report: &mut Report) {
    for_each_object(doc, String::new(), &mut |map, pointer| {
        if let Some(Value::String(ty)) = map.get_mut("type") {
            let lower = ty.to_ascii_lowercase();
            if *ty != lower && TYPES.contains(&lower.as_str()) {
                *ty = lower;
                report.hit("schema_type_case", format!("#{pointer}"));
            }
        }
    });
}

/// IBKR defect: a `type` list (`"type": ["string", "null"]`), JSON Schema
/// 2020-12's way to allow several types, which OpenAPI 3.0 does not have.
/// It is written as 3.0 writes it (see [`type_list_as_30`]).
pub fn schema_type_lists(doc: &mut Value, report: &mut Report) {
    shape::for_each_node_mut(doc, Kind::Schema, &mut |schema, pointer| {
        if type_list_as_30(schema) {
            report.hit("schema_type_lists", format!("#{pointer}"));
        }
    });
}

/// A `type` list as OpenAPI 3.0 writes it: `null` among the types becomes
/// `nullable: true`; one other type stays the `type`; several become an
/// `anyOf` of one schema per type, each taking the keywords (and `enum`
/// values) that apply to its type (an `anyOf` already there is kept, both
/// then apply through `allOf`). Whether the schema had a type list.
pub(crate) fn type_list_as_30(schema: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(types)) = schema.get("type") else {
        return false;
    };
    let mut names: Vec<String> = Vec::new();
    let mut nullable = false;
    for t in types.iter().filter_map(Value::as_str) {
        if t == "null" {
            nullable = true;
        } else if !names.iter().any(|n| n == t) {
            names.push(t.to_string());
        }
    }
    schema.remove("type");
    if nullable {
        schema.insert("nullable".into(), json!(true));
    }
    match names.as_slice() {
        [] => {}
        [one] => {
            schema.insert("type".into(), json!(one));
        }
        several => {
            let values = schema.remove("enum");
            let mut branches = Vec::new();
            for ty in several {
                let mut branch = Map::new();
                branch.insert("type".into(), json!(ty));
                for key in keywords_of(ty) {
                    if let Some(v) = schema.get(*key) {
                        branch.insert(key.to_string(), v.clone());
                    }
                }
                if let Some(Value::Array(values)) = &values {
                    let own: Vec<Value> = values
                        .iter()
                        .filter(|v| is_of_type(v, ty))
                        .cloned()
                        .collect();
                    if own.is_empty() {
                        continue;
                    }
                    branch.insert("enum".into(), Value::Array(own));
                }
                branches.push(Value::Object(branch));
            }
            for ty in several {
                for key in keywords_of(ty) {
                    schema.remove(*key);
                }
            }
            if branches.is_empty() {
                // Only `null` is allowed.
                if let Some(values) = values {
                    schema.insert("enum".into(), values);
                }
            } else if schema.contains_key("anyOf") {
                let all_of = schema.entry("allOf").or_insert_with(|| json!([]));
                if let Some(list) = all_of.as_array_mut() {
                    list.push(json!({"anyOf": branches}));
                }
            } else {
                schema.insert("anyOf".into(), Value::Array(branches));
            }
        }
    }
    true
}

/// The keywords that only constrain values of one JSON type.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "number" | "integer" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

/// Whether `value` is of the JSON Schema type `ty`.
fn is_of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// IBKR defect: a schema `type` that names no JSON Schema type (`"7"`,
/// `"long"`, `"date"`), after [`schema_type_case`]. The generator cannot
/// generate such a schema; without the `type`, the schema's other keywords
/// still say what they can ([`infer_missing_schema_type`]).
pub fn unknown_schema_types(doc: &mut Value, report: &mut Report) {
    shape::for_each_node_mut(doc, Kind::Schema, &mut |schema, pointer| {
        if schema
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| !TYPES.contains(&t))
        {
            schema.remove("type");
            report.hit("unknown_schema_types", format!("#{pointer}"));
        }
    });
}

/// IBKR defect: a schema without `type` but with keywords of one type
/// (`{"format": "int64"}`, `{"maxLength": 20}`, `{"minimum": 0}`), which
/// the generator cannot turn into a type. The type those keywords belong
/// to is declared (`format` `int32`/`int64` → integer, `float`/`double` →
/// number, any other format → string); when they belong to several types
/// they are removed, leaving a schema of any value. A typeless `enum` of
/// values of several JSON types gets the type most of them have
/// ([`enum_value_type_mismatch`] then converts the others). Typeless schemas with
/// only array or object keywords (`items`, `properties`) are read well by
/// the generator and stay as they are.
pub fn infer_missing_schema_type(doc: &mut Value, report: &mut Report) {
    const FAMILIES: [&str; 3] = ["string", "number", "array"];
    shape::for_each_node_mut(doc, Kind::Schema, &mut |schema, pointer| {
        if schema.contains_key("type") {
            return;
        }
        let mut types: Vec<&str> = FAMILIES
            .into_iter()
            .filter(|ty| {
                keywords_of(ty)
                    .iter()
                    .any(|k| *k != "format" && schema.contains_key(*k))
            })
            .collect();
        if let Some(format) = schema.get("format") {
            let by_format = match format.as_str() {
                Some("int32" | "int64") => "integer",
                Some("float" | "double") => "number",
                _ => "string",
            };
            match types.iter().position(|t| *t == "number") {
                Some(i) if by_format == "integer" => types[i] = "integer",
                _ if !types.contains(&by_format) => types.push(by_format),
                _ => {}
            }
        }
        if types.is_empty()
            && let Some(ty) = schema.get("enum").and_then(enum_type)
        {
            types.push(ty);
        }
        match types.as_slice() {
            // The generator reads typeless array and object keywords well.
            [] | ["array"] => return,
            [one] => {
                schema.insert("type".into(), json!(one));
            }
            several => {
                for ty in several {
                    for key in keywords_of(ty) {
                        schema.remove(*key);
                    }
                }
            }
        }
        report.hit("infer_missing_schema_type", format!("#{pointer}"));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_take_the_declared_type() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"x": {"type": "string", "enum": [1, 0]}}},
            "B": {"properties": {"y": {"type": "number", "enum": ["0", "1", "2.5"]}}},
            "C": {"type": "string", "enum": ["ok"]},
            "D": {"type": "integer", "enum": ["n/a"]},
            "E": {"type": "string", "enum": ["a", {"value": "b"}, ["c"]]},
            "F": {"type": "boolean", "enum": [{}]}
        }}});
        let mut r = Report::default();
        enum_value_type_mismatch(&mut doc, &mut r);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"]["properties"]["x"]["enum"], json!(["1", "0"]));
        assert_eq!(s["B"]["properties"]["y"]["enum"], json!([0, 1, 2.5]));
        assert_eq!(s["C"]["enum"], json!(["ok"]));
        assert_eq!(s["D"]["enum"], json!(["n/a"]));
        assert_eq!(s["E"]["enum"], json!(["a"]));
        assert_eq!(s["F"], json!({"type": "boolean"}));
        assert_eq!(r.count("enum_value_type_mismatch"), 4);
    }

    #[test]
    fn type_names_are_lower_cased() {
        let mut doc = json!({"paths": {"/sso/validate": {"get": {"responses": {"200": {"content":
            {"application/json": {"schema": {"type": "Object", "properties": {
                "type": {"type": "String"}, "n": {"type": "Whatever"}}}}}}}}}}});
        let mut r = Report::default();
        schema_type_case(&mut doc, &mut r);
        let schema = &doc["paths"]["/sso/validate"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["properties"]["type"]["type"], "string");
        assert_eq!(schema["properties"]["n"]["type"], "Whatever");
        assert_eq!(r.count("schema_type_case"), 2);
    }

    fn schemas_after(repair: fn(&mut Value, &mut Report), schemas: Value) -> (Value, Report) {
        let mut doc = json!({"components": {"schemas": schemas}});
        let mut r = Report::default();
        repair(&mut doc, &mut r);
        (doc["components"]["schemas"].take(), r)
    }

    #[test]
    fn type_lists_are_written_as_in_3_0() {
        let (s, r) = schemas_after(
            schema_type_lists,
            json!({"A": {"type": ["string", "null"]}, "B": {"type": ["integer", "string"],
                "enum": [1, "x"], "maxLength": 2}, "C": {"type": "string"}}),
        );
        assert_eq!(s["A"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            s["B"],
            json!({"anyOf": [{"type": "integer", "enum": [1]},
                {"type": "string", "enum": ["x"], "maxLength": 2}]})
        );
        assert_eq!(s["C"], json!({"type": "string"}));
        assert_eq!(r.count("schema_type_lists"), 2);
    }

    #[test]
    fn unknown_type_names_are_removed() {
        let (s, r) = schemas_after(
            unknown_schema_types,
            json!({"A": {"type": "long", "format": "int64"}, "B": {"type": "integer"},
                "C": {"properties": {"d": {"type": "7"}}}}),
        );
        assert_eq!(s["A"], json!({"format": "int64"}));
        assert_eq!(s["B"], json!({"type": "integer"}));
        assert_eq!(s["C"]["properties"]["d"], json!({}));
        assert_eq!(r.count("unknown_schema_types"), 2);
    }

    #[test]
    fn missing_types_are_inferred_from_keywords() {
        let (s, r) = schemas_after(
            infer_missing_schema_type,
            json!({
                "Id": {"format": "int64"}, "Rate": {"minimum": 0, "format": "double"},
                "Count": {"minimum": 0, "format": "int32"}, "When": {"format": "date-time"},
                "Name": {"maxLength": 20}, "List": {"items": {"type": "string"}},
                "Odd": {"items": {}, "maxLength": 3, "nullable": true},
                "Obj": {"properties": {"a": {}}}, "Any": {}, "Typed": {"type": "string", "format": "x"},
                "Mixed": {"enum": ["31", "55", true, null]}, "Same": {"enum": ["a", "b"]}
            }),
        );
        assert_eq!(s["Id"], json!({"type": "integer", "format": "int64"}));
        assert_eq!(
            s["Rate"],
            json!({"type": "number", "minimum": 0, "format": "double"})
        );
        assert_eq!(
            s["Count"],
            json!({"type": "integer", "minimum": 0, "format": "int32"})
        );
        assert_eq!(s["When"], json!({"type": "string", "format": "date-time"}));
        assert_eq!(s["Name"], json!({"type": "string", "maxLength": 20}));
        assert_eq!(s["List"], json!({"items": {"type": "string"}}));
        assert_eq!(s["Odd"], json!({"nullable": true}));
        assert_eq!(s["Obj"], json!({"properties": {"a": {}}}));
        assert_eq!(s["Any"], json!({}));
        assert_eq!(s["Mixed"]["type"], "string");
        assert_eq!(s["Same"], json!({"enum": ["a", "b"]}));
        assert_eq!(r.count("infer_missing_schema_type"), 7);
    }

    #[test]
    fn int32_is_widened() {
        let mut doc = json!({"components": {"schemas": {"SsoValidate": {"properties": {
            "AUTH_TIME": {"type": "integer", "format": "int32"},
            "EXPIRES": {"type": "integer", "format": "int64"},
            "n": {"type": "number", "format": "int32"}}}}}});
        let mut r = Report::default();
        widen_int32(&mut doc, &mut r);
        let p = &doc["components"]["schemas"]["SsoValidate"]["properties"];
        assert_eq!(p["AUTH_TIME"]["format"], "int64");
        assert_eq!(p["EXPIRES"]["format"], "int64");
        assert_eq!(p["n"]["format"], "int32");
        assert_eq!(r.count("widen_int32"), 1);
    }

    #[test]
    fn colliding_property_spellings_keep_one() {
        let mut doc = json!({"definitions": {"contract": {"type": "object", "required": ["company_name"],
            "properties": {"company_name": {"type": "string"}, "companyName": {"type": "string"},
                           "conid": {"type": "integer"}}}}});
        let mut r = Report::default();
        colliding_property_names(&mut doc, &mut r);
        let c = &doc["definitions"]["contract"];
        assert_eq!(
            c["properties"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>()
                .len(),
            2
        );
        assert!(c["properties"].get("companyName").is_some());
        assert!(c["properties"].get("company_name").is_none());
        assert_eq!(c["required"], json!([]));
        assert_eq!(r.count("colliding_property_names"), 1);
    }
}
