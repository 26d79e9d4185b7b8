//! Repairs inside schemas.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::Report;

/// IBKR defect: enum values whose JSON type contradicts the schema's `type`
/// (a `string` enum listing `1, 0`; a `number` enum listing `"0", "1"`).
/// Values are converted to the declared type, which is what the server
/// sends; values that cannot be converted are left for the generator to
/// reject with a clear message.
pub fn enum_value_type_mismatch(doc: &mut Value, report: &mut Report) {
    for_each_object(doc, String::new(), &mut |map, pointer| {
        let declared = map.get("type").and_then(Value::as_str).map(str::to_string);
        if let (Some(ty), Some(Value::Array(values))) = (declared, map.get_mut("enum")) {
            let mut changed = false;
            for v in values.iter_mut() {
                if let Some(fixed) = convert(v, &ty) {
                    *v = fixed;
                    changed = true;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_take_the_declared_type() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"x": {"type": "string", "enum": [1, 0]}}},
            "B": {"properties": {"y": {"type": "number", "enum": ["0", "1", "2.5"]}}},
            "C": {"type": "string", "enum": ["ok"]},
            "D": {"type": "integer", "enum": ["n/a"]}
        }}});
        let mut r = Report::default();
        enum_value_type_mismatch(&mut doc, &mut r);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"]["properties"]["x"]["enum"], json!(["1", "0"]));
        assert_eq!(s["B"]["properties"]["y"]["enum"], json!([0, 1, 2.5]));
        assert_eq!(s["C"]["enum"], json!(["ok"]));
        assert_eq!(s["D"]["enum"], json!(["n/a"]));
        assert_eq!(r.count("enum_value_type_mismatch"), 2);
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
