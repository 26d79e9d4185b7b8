//! Tests of `diff`: one fixture document, varied one change at a time.

use serde_json::{Value, json};

use super::*;
use crate::drift::change::Section;

/// `diff` of two documents.
fn diff_docs(old: &Value, new: &Value) -> Report {
    diff(&Model::from_doc(old), &Model::from_doc(new))
}

fn operation(path: &str, method: &str, id: &str) -> Subject {
    Subject::Operation(Endpoint {
        path: path.into(),
        method: method.into(),
        id: id.into(),
    })
}

/// A small document with two operations and three schemas (`Order` and
/// `Status` sent and decoded, `Problem` only in an error response), to be
/// varied.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/orders/{accountId}": {
                "get": {
                    "operationId": "orders_account_id_get",
                    "parameters": [
                        {"name": "accountId", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}
                    ],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}},
                        "401": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
                    }
                },
                "post": {
                    "operationId": "orders_account_id_post",
                    "parameters": [
                        {"name": "accountId", "in": "path", "required": true, "schema": {"type": "string"}}
                    ],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                        "400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                    }
                }
            }
        },
        "components": {"schemas": {
            "Order": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "side": {"type": "string", "enum": ["BUY", "SELL"]},
                    "note": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"}
                }
            },
            "Status": {"type": "string", "enum": ["open", "filled"]},
            "Problem": {"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}}
        }}
    })
}

/// The changes of `base()` → `base()` modified by `edit`.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(Subject, Kind, bool)> {
    let old = base();
    let mut new = base();
    edit(&mut new);
    diff_docs(&old, &new)
        .changes
        .into_iter()
        .map(|c| (c.subject, c.kind, c.breaking))
        .collect()
}

fn param(name: &str, location: &str, required: bool, ty: &str) -> Param {
    Param {
        name: name.into(),
        location: location.into(),
        required,
        ty: ty.into(),
    }
}

fn get_op() -> Subject {
    operation("/orders/{accountId}", "GET", "orders_account_id_get")
}

fn post_op() -> Subject {
    operation("/orders/{accountId}", "POST", "orders_account_id_post")
}

fn schema(name: &str) -> Subject {
    Subject::Schema(name.into())
}

fn get_params(doc: &mut Value) -> &mut Vec<Value> {
    doc["paths"]["/orders/{accountId}"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
}

fn order(doc: &mut Value) -> &mut Value {
    &mut doc["components"]["schemas"]["Order"]
}

#[test]
fn identical_documents_have_no_drift() {
    assert_eq!(diff_docs(&base(), &base()), Report::default());
}

#[test]
fn operation_added_is_compatible() {
    let c = changes(|d| {
        d["paths"]["/tickle"] = json!({"post": {"operationId": "tickle_post", "responses": {}}});
    });
    let tickle = operation("/tickle", "POST", "tickle_post");
    assert_eq!(
        c,
        vec![(tickle, Kind::OperationAdded { replaces: None }, false)]
    );
}

#[test]
fn operation_removed_is_breaking() {
    let c = changes(|d| {
        d["paths"]["/orders/{accountId}"]
            .as_object_mut()
            .unwrap()
            .remove("post");
    });
    assert_eq!(
        c,
        vec![(
            post_op(),
            Kind::OperationRemoved { replaced_by: None },
            true
        )]
    );
}

#[test]
fn operation_with_a_renamed_path_parameter_is_paired_with_its_counterpart() {
    let c = changes(|d| {
        let item = d["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/orders/{accountId}")
            .unwrap();
        let mut post = item["post"].clone();
        post["operationId"] = json!("orders_acct_post");
        post["parameters"][0]["name"] = json!("acct");
        d["paths"]["/orders/{acct}"] = json!({"post": post});
        d["paths"]["/orders/{accountId}"] = json!({"get": item["get"].clone()});
    });
    let new = operation("/orders/{acct}", "POST", "orders_acct_post");
    // The URL is built the same way: compatible, and the pair is compared.
    assert_eq!(
        c,
        vec![
            (
                new.clone(),
                Kind::OperationAdded {
                    replaces: Some("orders_account_id_post".into())
                },
                false
            ),
            (
                post_op(),
                Kind::OperationRemoved {
                    replaced_by: Some("orders_acct_post".into())
                },
                false
            ),
            (
                new,
                Kind::ParameterRenamed {
                    from: "accountId".into(),
                    to: "acct".into()
                },
                false
            ),
        ]
    );
}

#[test]
fn required_parameter_added_is_breaking_optional_is_compatible() {
    let c = changes(|d| {
        get_params(d).push(
            json!({"name": "side", "in": "query", "required": true, "schema": {"type": "string"}}),
        );
        get_params(d)
            .push(json!({"name": "X-Trace", "in": "header", "schema": {"type": "string"}}));
    });
    assert_eq!(
        c,
        vec![
            (
                get_op(),
                Kind::ParameterAdded(param("X-Trace", "header", false, "string")),
                false
            ),
            (
                get_op(),
                Kind::ParameterAdded(param("side", "query", true, "string")),
                true
            ),
        ]
    );
}

#[test]
fn parameter_removed_is_breaking() {
    let c = changes(|d| {
        get_params(d).remove(1);
    });
    assert_eq!(
        c,
        vec![(
            get_op(),
            Kind::ParameterRemoved(param("limit", "query", false, "integer(int32)")),
            true
        )]
    );
}

#[test]
fn parameter_location_changed_is_breaking() {
    let c = changes(|d| get_params(d)[1]["in"] = json!("header"));
    assert_eq!(
        c,
        vec![(
            get_op(),
            Kind::ParameterLocationChanged {
                name: "limit".into(),
                from: "query".into(),
                to: "header".into()
            },
            true
        )]
    );
}

#[test]
fn parameter_becoming_required_is_breaking_becoming_optional_is_not() {
    let c = changes(|d| get_params(d)[1]["required"] = json!(true));
    let kind = |to| Kind::ParameterRequiredChanged {
        name: "limit".into(),
        location: "query".into(),
        to,
    };
    assert_eq!(c, vec![(get_op(), kind(true), true)]);
    // The other direction: new → old.
    let mut required = base();
    get_params(&mut required)[1]["required"] = json!(true);
    let back = diff_docs(&required, &base()).changes;
    assert_eq!(back.len(), 1);
    assert_eq!(
        (back[0].kind.clone(), back[0].breaking),
        (kind(false), false)
    );
}

#[test]
fn parameter_type_changed_is_breaking() {
    let c = changes(|d| {
        get_params(d)[1]["schema"] = json!({"type": "array", "items": {"type": "string"}})
    });
    assert_eq!(
        c,
        vec![(
            get_op(),
            Kind::ParameterTypeChanged {
                name: "limit".into(),
                location: "query".into(),
                from: "integer(int32)".into(),
                to: "array<string>".into()
            },
            true
        )]
    );
}

#[test]
fn path_parameter_respelled_is_a_compatible_rename() {
    let c = changes(|d| {
        let paths = d["paths"].as_object_mut().unwrap();
        let item = paths.remove("/orders/{accountId}").unwrap();
        paths.insert("/orders/{accountid}".into(), item);
        get_params_at(d, "/orders/{accountid}")[0]["name"] = json!("accountid");
    });
    let subject = operation("/orders/{accountid}", "GET", "orders_account_id_get");
    assert!(c.contains(&(
        subject,
        Kind::ParameterRenamed {
            from: "accountId".into(),
            to: "accountid".into()
        },
        false
    )));
    // Only the GET's parameter was respelled; the POST's path parameter
    // is still `accountId`, matched by position all the same.
    assert_eq!(c.len(), 1, "{c:?}");
}

fn get_params_at<'a>(doc: &'a mut Value, path: &str) -> &'a mut Vec<Value> {
    doc["paths"][path]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
}

#[test]
fn request_body_added_required_is_breaking_optional_is_compatible() {
    for required in [true, false] {
        let c = changes(|d| {
            d["paths"]["/orders/{accountId}"]["get"]["requestBody"] = json!({
                "required": required,
                "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}
            });
        });
        assert_eq!(
            c,
            vec![(
                get_op(),
                Kind::RequestBodyAdded {
                    required,
                    ty: "{q?: string} as application/x-www-form-urlencoded".into()
                },
                required
            )]
        );
    }
}

#[test]
fn request_body_removed_retyped_or_required_changed() {
    let c = changes(|d| {
        d["paths"]["/orders/{accountId}"]["post"]
            .as_object_mut()
            .unwrap()
            .remove("requestBody");
    });
    assert_eq!(
        c,
        vec![(
            post_op(),
            Kind::RequestBodyRemoved { ty: "Order".into() },
            true
        )]
    );
    let c = changes(|d| {
        d["paths"]["/orders/{accountId}"]["post"]["requestBody"] = json!({
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}
        });
    });
    assert_eq!(
        c,
        vec![
            (
                post_op(),
                Kind::RequestBodyRequiredChanged { to: false },
                false
            ),
            (
                post_op(),
                Kind::RequestBodyTypeChanged {
                    from: "Order".into(),
                    to: "array<Order>".into(),
                    extended: false,
                },
                true
            ),
        ]
    );
}

#[test]
fn error_status_added_and_any_status_removed_are_compatible() {
    let c = changes(|d| {
        let responses = d["paths"]["/orders/{accountId}"]["get"]["responses"]
            .as_object_mut()
            .unwrap();
        responses.remove("401");
        responses.insert("403".into(), json!({}));
    });
    assert_eq!(
        c,
        vec![
            (
                get_op(),
                Kind::ResponseAdded {
                    status: "403".into(),
                    ty: "none".into()
                },
                false
            ),
            (
                get_op(),
                Kind::ResponseRemoved {
                    status: "401".into(),
                    ty: "string(binary) as */*".into()
                },
                false
            ),
        ]
    );
}

#[test]
fn response_schema_changed_is_breaking() {
    let c = changes(|d| {
        d["paths"]["/orders/{accountId}"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"] = json!({"$ref": "#/components/schemas/Status"});
    });
    assert_eq!(
        c,
        vec![(
            get_op(),
            Kind::ResponseTypeChanged {
                status: "200".into(),
                from: "array<Order>".into(),
                to: "Status".into(),
                extended: false,
            },
            true
        )]
    );
}

#[test]
fn schema_added_and_removed_are_compatible_their_uses_are_not() {
    let c = changes(|d| {
        let schemas = d["components"]["schemas"].as_object_mut().unwrap();
        schemas.remove("Status");
        schemas.insert("Fill".into(), json!({"type": "object"}));
        order(d)["properties"]["status"] = json!({"type": "string"});
    });
    assert_eq!(
        c,
        vec![
            (schema("Fill"), Kind::SchemaAdded, false),
            (schema("Status"), Kind::SchemaRemoved, false),
            (
                schema("Order"),
                Kind::PropertyTypeChanged {
                    property: "status".into(),
                    from: "Status".into(),
                    to: "string".into()
                },
                true
            ),
        ]
    );
}

#[test]
fn schema_retyped_is_breaking() {
    let c = changes(|d| {
        d["components"]["schemas"]["Status"] =
            json!({"type": "integer", "enum": ["open", "filled"]})
    });
    assert_eq!(
        c,
        vec![(
            schema("Status"),
            Kind::SchemaTypeChanged {
                from: "string".into(),
                to: "integer".into()
            },
            true
        )]
    );
}

#[test]
fn property_added_is_compatible_removed_and_retyped_are_breaking() {
    let c = changes(|d| {
        let props = order(d)["properties"].as_object_mut().unwrap();
        props.remove("note");
        props.insert("price".into(), json!({"type": "number", "nullable": true}));
        props.insert("id".into(), json!({"type": "string"}));
    });
    assert_eq!(
        c,
        vec![
            (
                schema("Order"),
                Kind::PropertyAdded {
                    property: "price".into(),
                    ty: "number | null".into()
                },
                false
            ),
            (
                schema("Order"),
                Kind::PropertyRemoved {
                    property: "note".into(),
                    ty: "string".into(),
                    required: false
                },
                true
            ),
            (
                schema("Order"),
                Kind::PropertyTypeChanged {
                    property: "id".into(),
                    from: "integer(int64)".into(),
                    to: "string".into()
                },
                true
            ),
        ]
    );
}

#[test]
fn required_changes_are_breaking_either_way() {
    let c = changes(|d| order(d)["required"] = json!(["note"]));
    assert_eq!(
        c,
        vec![
            (
                schema("Order"),
                Kind::RequiredAdded {
                    property: "note".into()
                },
                true
            ),
            (
                schema("Order"),
                Kind::RequiredRemoved {
                    property: "id".into()
                },
                true
            ),
        ]
    );
    // A removed property is reported once, not also as "no longer required".
    let c = changes(|d| {
        order(d)["properties"].as_object_mut().unwrap().remove("id");
        order(d).as_object_mut().unwrap().remove("required");
    });
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(matches!(c[0].1, Kind::PropertyRemoved { .. }));
}

#[test]
fn enum_values_of_a_schema_sent_and_decoded_are_breaking_either_way() {
    let c = changes(|d| {
        d["components"]["schemas"]["Status"]["enum"] =
            json!(["open", "filled", "cancelled", "expired"]);
        order(d)["properties"]["side"]["enum"] = json!(["BUY"]);
    });
    assert_eq!(
        c,
        vec![
            (
                schema("Order"),
                Kind::EnumValuesRemoved {
                    property: Some("side".into()),
                    values: vec!["\"SELL\"".into()]
                },
                true
            ),
            (
                schema("Status"),
                Kind::EnumValuesAdded {
                    property: None,
                    values: vec!["\"cancelled\"".into(), "\"expired\"".into()]
                },
                true
            ),
        ]
    );
    assert_eq!(
        c[1].1.detail(),
        "schema enum values \"cancelled\", \"expired\" added"
    );
    assert_eq!(
        c[0].1.detail(),
        "property `side` enum value \"SELL\" removed"
    );
}

#[test]
fn changes_to_a_schema_only_errors_use_are_compatible() {
    let c = changes(|d| {
        let problem = &mut d["components"]["schemas"]["Problem"];
        problem["properties"] = json!({"code": {"type": "string"}});
        problem["required"] = json!([]);
    });
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(c.iter().all(|(_, _, breaking)| !breaking), "{c:?}");
}

#[test]
fn success_status_added_is_breaking() {
    let c = changes(|d| {
        d["paths"]["/orders/{accountId}"]["post"]["responses"]["201"] = json!({});
    });
    let added = Kind::ResponseAdded {
        status: "201".into(),
        ty: "none".into(),
    };
    assert_eq!(c, vec![(post_op(), added, true)]);
}

/// 100 operations whose 401 body goes from `text/plain` to binary.
fn many(media: &str, ty: Value) -> Value {
    let paths: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let op = json!({"get": {
                "operationId": format!("op{i:03}_get"),
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "string"}}}},
                    "401": {"content": {media: {"schema": ty.clone()}}}
                }
            }});
            (format!("/op{i:03}"), op)
        })
        .collect();
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
}

#[test]
fn a_repeated_error_body_change_is_one_compatible_group() {
    let old = many("text/plain", json!({"type": "string"}));
    let new = many("*/*", json!({"type": "string", "format": "binary"}));
    let report = diff_docs(&old, &new);
    assert_eq!(report.changes.len(), 100);
    let groups = report.groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let g = &groups[0];
    assert_eq!(
        (g.section, g.count, g.breaking),
        (Section::OperationsChanged, 100, false)
    );
    assert_eq!(
        g.detail,
        "response 401 retyped: string as text/plain → string(binary) as */*"
    );
}

/// `POST /q` with an inline request body and an inline 200 body.
fn inline(request: Value, response: Value) -> Value {
    let body = |schema: Value| json!({"content": {"application/json": {"schema": schema}}});
    json!({"paths": {"/q": {"post": {
        "operationId": "q_post",
        "requestBody": body(request),
        "responses": {"200": body(response)}
    }}}})
}

fn object(required: &[&str], props: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = props
        .iter()
        .map(|p| (p.to_string(), json!({"type": "string"})))
        .collect();
    json!({"type": "object", "required": required, "properties": props})
}

/// Each change in words, with its classification.
fn details(old: &Value, new: &Value) -> Vec<(String, bool)> {
    diff_docs(old, new)
        .changes
        .iter()
        .map(|c| (c.kind.detail(), c.breaking))
        .collect()
}

#[test]
fn inline_bodies_that_only_grow_compatibly_are_extended() {
    let old = inline(object(&["a"], &["a"]), object(&["a"], &["a", "b"]));
    // Request: an optional property more; response: one more property,
    // the optional `b` dropped.
    let new = inline(
        object(&["a"], &["a", "c"]),
        json!({"type": "array", "items": object(&["a"], &["a"])}),
    );
    let kinds = details(&old, &new);
    assert_eq!(
        kinds,
        [
            (
                "request body extended: {a: string} → {a: string, c?: string}".to_string(),
                false
            ),
            (
                "response 200 retyped: {a: string, b?: string} → array<{a: string}>".to_string(),
                true
            ),
        ]
    );
    let new = inline(
        object(&["a", "c"], &["a", "c"]),
        object(&["a"], &["a", "d"]),
    );
    let kinds = details(&old, &new);
    assert_eq!(
        kinds,
        [
            (
                "request body retyped: {a: string} → {a: string, c: string}".to_string(),
                true
            ),
            (
                "response 200 extended: {a: string, b?: string} → {a: string, d?: string}"
                    .to_string(),
                false
            ),
        ]
    );
}

#[test]
fn pipeline_made_schemas_are_named_after_the_operation_once() {
    let ops = |with_error: bool| {
        let paths: serde_json::Map<String, Value> = ["a", "b"]
            .iter()
            .map(|p| {
                let mut responses = json!({"200": {}});
                if with_error {
                    responses["401"] = json!({"content": {"application/json": {"schema": {
                        "$ref": format!("#/components/schemas/{p}_get_error")
                    }}}});
                }
                (
                    format!("/{p}"),
                    json!({"get": {"operationId": format!("{p}_get"), "responses": responses}}),
                )
            })
            .collect();
        json!({ "paths": paths })
    };
    let groups = diff_docs(&ops(false), &ops(true)).groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].count, 2);
    assert_eq!(groups[0].detail, "response 401 added ({operation}_error)");
}
