//! Canonical form of a vendored spec: IBKR's prose removed, keys sorted,
//! pretty-printed. The same input always gives byte-identical output.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Keys that hold IBKR's own prose or sample data rather than structure.
const PROSE_KEYS: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "x-codeSamples",
];

/// Objects whose keys are names chosen by the spec's author (a property
/// called `description`, a media type, a status code, ...), not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "paths",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "content",
    "headers",
    "encoding",
    "links",
    "callbacks",
    "definitions",
    "patternProperties",
    "variables",
    "mapping",
    "scopes",
];

/// Removes prose (description, summary, example, examples, x-codeSamples)
/// everywhere they are keywords, leaving properties of those names alone.
/// Returns how many fields were removed.
pub fn strip_prose(doc: &mut Value) -> usize {
    strip(doc, false)
}

fn strip(value: &mut Value, keys_are_names: bool) -> usize {
    let mut removed = 0;
    match value {
        Value::Object(map) => {
            if !keys_are_names {
                let before = map.len();
                map.retain(|k, _| !PROSE_KEYS.contains(&k.as_str()));
                removed += before - map.len();
            }
            for (key, child) in map.iter_mut() {
                let child_is_name_map = !keys_are_names && NAME_MAPS.contains(&key.as_str());
                // `parameters` inside an operation is a list; inside
                // `components` it is a map of names. Both are handled: a
                // list never has keys, and the map case is covered above.
                removed += strip(child, child_is_name_map);
            }
        }
        Value::Array(items) => {
            for item in items {
                removed += strip(item, false);
            }
        }
        _ => {}
    }
    removed
}

/// Serialises `doc` as pretty JSON with sorted keys and a final newline.
pub fn to_canonical_string(doc: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"  "),
    );
    Sorted(doc)
        .serialize(&mut ser)
        .expect("serialising a JSON value to memory cannot fail");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// Serialises a value with object keys in byte order, whatever map type
/// serde_json was built with.
struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut m = s.serialize_map(Some(keys.len()))?;
                for k in keys {
                    m.serialize_entry(k, &Sorted(&map[k]))?;
                }
                m.end()
            }
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Sorted(item))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strips_prose_but_keeps_properties_named_like_prose() {
        let mut doc = json!({
            "info": {"title": "t", "description": "IBKR text", "version": "1"},
            "paths": {"/a": {"get": {"summary": "s", "description": "d",
                "responses": {"200": {"description": "ok", "content": {"application/json":
                    {"example": {"x": 1}, "examples": {"e": {}}, "schema": {"$ref": "#/components/schemas/S"}}}}},
                "x-codeSamples": []}}},
            "components": {"schemas": {"S": {"type": "object", "description": "d",
                "properties": {"description": {"type": "string", "description": "d", "example": "e"},
                               "summary": {"type": "string"}}}},
                "parameters": {"description": {"name": "description", "in": "query", "schema": {"type": "string"}}}}
        });
        let removed = strip_prose(&mut doc);
        assert_eq!(removed, 10);
        assert_eq!(
            doc,
            json!({
                "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {
                    "responses": {"200": {"content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/S"}}}}}}}},
                "components": {"schemas": {"S": {"type": "object",
                    "properties": {"description": {"type": "string"}, "summary": {"type": "string"}}}},
                    "parameters": {"description": {"name": "description", "in": "query", "schema": {"type": "string"}}}}
            })
        );
    }

    #[test]
    fn canonical_output_sorts_keys_and_is_stable() {
        let a: Value =
            serde_json::from_str(r#"{"b": 1, "a": {"d": [3, {"z": 1, "y": 2}], "c": null}}"#)
                .unwrap();
        let text = to_canonical_string(&a);
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": null,\n    \"d\": [\n      3,\n      {\n        \"y\": 2,\n        \"z\": 1\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
        let again: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(to_canonical_string(&again), text);
    }
}
