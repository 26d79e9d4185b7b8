//! Repairs inside schemas.

use serde_json::{Value, json};

use super::Report;

/// IBKR defect: enum values whose JSON type contradicts the schema's `type`
/// (a `string` enum listing `1, 0`; a `number` enum listing `"0", "1"`).
/// Values are converted to the declared type, which is what the server
/// sends; values that cannot be converted are left for the generator to
/// reject with a clear message.
pub fn enum_value_type_mismatch(doc: &mut Value, report: &mut Report) {
    walk(doc, String::new(), report);
}

fn walk(value: &mut Value, pointer: String, report: &mut Report) {
    match value {
        Value::Object(map) => {
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
            for (k, v) in map.iter_mut() {
                walk(v, format!("{pointer}/{k}"), report);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, format!("{pointer}/{i}"), report);
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
}
