//! Tests of the three renderings on small fixtures.

use serde_json::{Value, json};

use super::super::Drift;
use super::*;
use crate::variant::Variant;

fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn get(id: &str, params: Value, unauthorized: Value) -> Value {
    json!({"get": {
        "operationId": id,
        "parameters": params,
        "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "string"}}}},
            "401": {"content": unauthorized}
        }
    }})
}

fn drift(old: &Value, new: &Value) -> Drift {
    let side = |source: &str, v: &str| Side {
        source: source.into(),
        info_version: v.into(),
    };
    Drift::compare(
        Variant::Web,
        side("openapi/web.json", "1"),
        old,
        side("up.json", "2"),
        new,
    )
}

/// 100 operations (`/op000` … `/op099`) with a `limit` query parameter.
fn many(unauthorized: Value, limit: bool) -> Value {
    let params = if limit {
        json!([{"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}])
    } else {
        json!([])
    };
    let paths: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let id = format!("op{i:03}_get");
            (
                format!("/op{i:03}"),
                get(&id, params.clone(), unauthorized.clone()),
            )
        })
        .collect();
    doc(Value::Object(paths), json!({}))
}

fn text_plain() -> Value {
    json!({"text/plain": {"schema": {"type": "string"}}})
}

fn binary() -> Value {
    json!({"*/*": {"schema": {"type": "string", "format": "binary"}}})
}

#[test]
fn a_repeated_change_is_one_line_with_its_count() {
    let d = drift(&many(text_plain(), true), &many(binary(), true));
    let text = text(&d);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "drift web: 0 operations added, 0 removed; 0 breaking, 1 compatible changes (100 before grouping)"
    );
    assert_eq!(lines[3], "Facade: no route of the facade is affected");
    assert_eq!(
        lines[5],
        "Operations changed (100 changes in 100 operations, 1 distinct):"
    );
    assert!(
        lines[6].starts_with(
            "[compatible] response 401 retyped: string as text/plain → string(binary) as */* (100 operations: GET /op000 (op000_get), GET /op001 (op001_get), "
        ),
        "{}",
        lines[6]
    );
    assert!(
        lines[6].ends_with(", GET /op099 (op099_get))"),
        "{}",
        lines[6]
    );
    assert_eq!(lines.len(), 7, "{text}");
    let json: Value = serde_json::from_str(&json(&d).unwrap()).unwrap();
    assert_eq!(json["summary"]["changes"], 1);
    assert_eq!(json["summary"]["changes_before_grouping"], 100);
    assert_eq!(json["summary"]["breaking"], 0);
    let group = &json["changes"][0];
    assert_eq!(group["kind"], "response_type_changed");
    assert_eq!(group["status"], "401");
    assert_eq!(group["count"], 100);
    assert_eq!(group["breaking"], false);
    assert_eq!(group["operations"].as_array().unwrap().len(), 100);
    assert_eq!(group["operations"][0]["operation"], "op000_get");
    let md = markdown(&d);
    assert!(
        md.contains("| compatible | response 401 retyped: string as text/plain → string(binary) as */* | 100 | `GET /op000 (op000_get)`, "),
        "{md}"
    );
}

#[test]
fn renderings_are_stable_and_classified() {
    let old = doc(
        json!({"/orders": get("orders_get", json!([{"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}]), binary())}),
        json!({}),
    );
    let new = doc(
        json!({"/orders": get("orders_get", json!([]), binary())}),
        json!({"Fill": {"type": "object"}}),
    );
    let d = drift(&old, &new);
    assert_eq!(
        text(&d),
        "drift web: 0 operations added, 0 removed; 1 breaking, 1 compatible changes\n\
         baseline openapi/web.json (1) → upstream up.json (2)\n\
         \n\
         Facade: no route of the facade is affected\n\
         \n\
         Operations changed (1 change in 1 operation):\n\
         [breaking] GET /orders (orders_get): query parameter `limit` removed (was optional, integer(int32))\n\
         \n\
         Schemas added (1):\n\
         [compatible] Fill\n"
    );
    let json: Value = serde_json::from_str(&json(&d).unwrap()).unwrap();
    assert_eq!(json["variant"], "web");
    assert_eq!(json["baseline"]["info_version"], "1");
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["operations_changed"], 1);
    assert_eq!(json["summary"]["schemas_added"], 1);
    assert_eq!(json["facade"], json!([]));
    assert_eq!(json["changes"][0]["kind"], "parameter_removed");
    assert_eq!(json["changes"][0]["parameter"], "limit");
    assert_eq!(json["changes"][0]["in"], "query");
    assert_eq!(json["changes"][0]["section"], "operations_changed");
    assert_eq!(json["changes"][1]["kind"], "schema_added");
    assert_eq!(json["changes"][1]["schemas"], json!(["Fill"]));
    let md = markdown(&d);
    assert!(md.starts_with("# Drift web: 0 operations added"), "{md}");
    assert!(
        md.contains("| breaking | query parameter `limit` removed (was optional, integer(int32)) | 1 | `GET /orders (orders_get)` |"),
        "{md}"
    );
    assert!(md.contains("| compatible | `Fill` | added |"), "{md}");
    let same = drift(&old, &old);
    assert!(text(&same).ends_with("no structural drift\n"));
    assert!(markdown(&same).ends_with("\nNo structural drift.\n"));
}

#[test]
fn added_operations_are_listed_one_per_line() {
    let old = doc(json!({}), json!({}));
    let new = many(binary(), false);
    let text = text(&d_text(&old, &new));
    assert!(text.contains("\nOperations added (100):\n[compatible] GET /op000 (op000_get)\n[compatible] GET /op001 (op001_get)\n"), "{text}");
    let md = markdown(&drift(&old, &new));
    assert!(md.contains("\n## Operations added (100)\n\n| Class | Method | Path | Operation | Change |\n|---|---|---|---|---|\n| compatible | GET | `/op000` | `op000_get` | added |\n"), "{md}");
}

fn d_text(old: &Value, new: &Value) -> Drift {
    drift(old, new)
}
