//! Repairs of path templates and parameters.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Report;
use crate::openapi::{self, for_each_operation_mut, location, template_names};

/// IBKR defect: some gateway snapshots write path parameters Express-style
/// (`/iserver/account/:accountId/alerts`) instead of as OpenAPI templates.
/// Rewrites every `:name` segment to `{name}`; if the repaired path already
/// exists, the operations are merged into it (existing ones win).
pub fn colon_path_params(doc: &mut Value, report: &mut Report) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let colon: Vec<String> = paths
        .keys()
        .filter(|p| p.split('/').any(|s| s.starts_with(':') && s.len() > 1))
        .cloned()
        .collect();
    for old in colon {
        let new: String = old
            .split('/')
            .map(|s| match s.strip_prefix(':') {
                Some(name) if !name.is_empty() => format!("{{{name}}}"),
                _ => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let item = paths.remove(&old).unwrap_or(Value::Null);
        report.hit("colon_path_params", old.clone());
        match paths.get_mut(&new).and_then(Value::as_object_mut) {
            Some(existing) => {
                if let Value::Object(moved) = item {
                    for (k, v) in moved {
                        existing.entry(k).or_insert(v);
                    }
                }
            }
            None => {
                paths.insert(new, item);
            }
        }
    }
}

/// IBKR defect: parameters are shared through `components/parameters` and
/// path-level lists even where their location is wrong for one path (a
/// `clientId` "path" parameter on a path without `{clientId}`). Copies every
/// referenced and path-level parameter into each operation, so the later
/// repairs can correct one operation without touching the others.
/// Operation-level parameters override path-level ones of the same name and
/// location, as OpenAPI specifies.
pub fn inline_parameter_refs(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    for o in openapi::operations(&snapshot) {
        let own = o.op.get("parameters").and_then(Value::as_array);
        let own_refs = own
            .into_iter()
            .flatten()
            .filter(|p| p.get("$ref").is_some())
            .count();
        let inherited = o.params.len() - own.map_or(0, Vec::len);
        for _ in 0..own_refs + inherited {
            report.hit("inline_parameter_refs", o.location());
        }
        let target = doc
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(o.path))
            .and_then(|item| item.get_mut(o.method))
            .and_then(Value::as_object_mut);
        if let Some(op) = target
            && !o.params.is_empty()
        {
            let params = o.params.iter().map(|p| (*p).clone()).collect();
            op.insert("parameters".into(), Value::Array(params));
        }
    }
    let items = doc.get_mut("paths").and_then(Value::as_object_mut);
    for item in items.into_iter().flat_map(|paths| paths.values_mut()) {
        if let Some(item) = item.as_object_mut() {
            item.remove("parameters");
        }
    }
}

fn params_mut(op: &mut Map<String, Value>) -> Option<&mut Vec<Value>> {
    op.get_mut("parameters").and_then(Value::as_array_mut)
}

fn is_in(p: &Value, location: &str) -> bool {
    p.get("in").and_then(Value::as_str) == Some(location)
}

fn name_of(p: &Value) -> &str {
    p.get("name").and_then(Value::as_str).unwrap_or_default()
}

/// IBKR defect: the Web API's websocket path declares a `cookie` parameter
/// (the session cookie). Cookies belong to the session, not to a call, and
/// progenitor cannot generate cookie parameters; they are removed.
pub fn drop_cookie_params(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        if let Some(params) = params_mut(op) {
            let before = params.len();
            params.retain(|p| !is_in(p, "cookie"));
            for _ in params.len()..before {
                report.hit("drop_cookie_params", location(path, method));
            }
        }
    });
}

/// IBKR defect: a path parameter is declared with a spelling that differs
/// from the template only in letter case (`{notificationID}` declared as
/// `notificationId`, `{accountid}` as `accountId`). The declaration takes the
/// template's spelling, which is shared by all methods of the path.
pub fn align_path_template_spelling(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let names = template_names(path);
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut().filter(|p| is_in(p, "path")) {
            let declared = name_of(p).to_string();
            if names.contains(&declared) {
                continue;
            }
            if let Some(t) = names.iter().find(|t| t.eq_ignore_ascii_case(&declared)) {
                p["name"] = json!(t);
                report.hit("align_path_template_spelling", location(path, method));
            }
        }
    });
}

/// IBKR defect: a path parameter is declared under a different name than the
/// template uses (`/enumerations/{enumerationType}` declares `type`). When
/// exactly one template name is undeclared and exactly one declared path
/// parameter is not in the template, they are the same parameter.
pub fn rename_unmatched_path_param(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let names = template_names(path);
        let Some(params) = params_mut(op) else { return };
        let declared: BTreeSet<String> = params
            .iter()
            .filter(|p| is_in(p, "path"))
            .map(|p| name_of(p).to_string())
            .collect();
        let undeclared: Vec<&String> = names.iter().filter(|n| !declared.contains(*n)).collect();
        let stray: Vec<&String> = declared.iter().filter(|d| !names.contains(d)).collect();
        if let ([wanted], [stray]) = (undeclared.as_slice(), stray.as_slice()) {
            let (wanted, stray) = (wanted.to_string(), stray.to_string());
            for p in params.iter_mut() {
                if is_in(p, "path") && name_of(p) == stray {
                    p["name"] = json!(wanted);
                }
            }
            report.hit("rename_unmatched_path_param", location(path, method));
        }
    });
}

/// IBKR defect: parameters declared `in: path` that do not appear in the path
/// template at all (`/portfolio/{accountId}/positions/{pageId}` declares
/// `model`, `sort`, `direction` as path parameters). A client can only send
/// them in the query string, which is what the server reads.
pub fn demote_untemplated_path_params(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let names = template_names(path);
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            if is_in(p, "path") && !names.iter().any(|n| n == name_of(p)) {
                p["in"] = json!("query");
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("style");
                    if obj.get("required") != Some(&Value::Bool(true)) {
                        obj.remove("required");
                    }
                }
                report.hit("demote_untemplated_path_params", location(path, method));
            }
        }
    });
}

/// IBKR defect: a template name with no parameter declaration at all. The
/// client must still fill it in, so a required string parameter is declared.
pub fn declare_missing_path_params(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let names = template_names(path);
        let declared: BTreeSet<String> = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| is_in(p, "path"))
            .map(|p| name_of(p).to_string())
            .collect();
        for n in names.iter().filter(|n| !declared.contains(*n)) {
            let params = op
                .entry("parameters")
                .or_insert_with(|| Value::Array(vec![]));
            if let Some(list) = params.as_array_mut() {
                list.push(json!({"name": n, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
            report.hit("declare_missing_path_params", location(path, method));
        }
    });
}

/// IBKR defect: path parameters not marked `required` (OpenAPI requires
/// `required: true` for every path parameter; a URL cannot omit one).
pub fn require_path_params(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut().filter(|p| is_in(p, "path")) {
            if p.get("required") != Some(&Value::Bool(true)) {
                p["required"] = json!(true);
                report.hit("require_path_params", location(path, method));
            }
        }
    });
}

/// IBKR defect: parameter styles that are invalid for the parameter's
/// location (a query parameter with `style: simple`). The style is removed,
/// so the location's default (form for query, simple for path and header)
/// applies, which is how IBKR's servers read them.
pub fn fix_parameter_styles(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            let allowed: &[&str] = match p.get("in").and_then(Value::as_str) {
                Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                Some("path") => &["simple", "label", "matrix"],
                Some("header") => &["simple"],
                _ => continue,
            };
            let Some(style) = p.get("style").and_then(Value::as_str) else {
                continue;
            };
            if !allowed.contains(&style) {
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("style");
                }
                report.hit("fix_parameter_styles", location(path, method));
            }
        }
    });
}

/// IBKR defect: parameters with neither `schema` nor `content`, so their
/// type is unknown (`/trsrv/secdef`'s `criteria`). They are sent as
/// strings, the only type a query string or path has.
pub fn parameter_without_schema(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            let Some(obj) = p.as_object_mut() else {
                continue;
            };
            if obj.contains_key("$ref") || obj.contains_key("schema") || obj.contains_key("content")
            {
                continue;
            }
            obj.insert("schema".into(), json!({"type": "string"}));
            report.hit("parameter_without_schema", location(path, method));
        }
    });
}

/// IBKR defect: a request object declared as one query parameter of object
/// type (`accountStatusRequest` on `/gw/api/v1/accounts/status`), as
/// springdoc writes a Java parameter object. The server binds each property
/// from its own query parameter, so the object is replaced by one optional
/// query parameter per property (required where the object lists it and
/// the object itself is required).
pub fn flatten_object_query_params(doc: &mut Value, report: &mut Report) {
    let snapshot = doc.clone();
    let resolve = |schema: &Value| openapi::resolve(&snapshot, schema).clone();
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        let mut out = Vec::with_capacity(params.len());
        for p in params.drain(..) {
            let schema = p.get("schema").map(&resolve).unwrap_or(Value::Null);
            let props = schema.get("properties").and_then(Value::as_object);
            let (true, Some(props)) = (is_in(&p, "query"), props) else {
                out.push(p);
                continue;
            };
            let object_required = p.get("required") == Some(&Value::Bool(true));
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut names: Vec<&String> = props.keys().collect();
            names.sort();
            for name in names {
                let mut q = json!({"name": name, "in": "query", "schema": props[name]});
                if object_required && required.contains(&name.as_str()) {
                    q["required"] = json!(true);
                }
                out.push(q);
            }
            report.hit("flatten_object_query_params", location(path, method));
        }
        *params = out;
    });
}

/// IBKR defect (with a generator limit): array query parameters declared
/// `explode: false`, which OpenAPI sends as one comma-separated value
/// (`formNo=1,2,3`). progenitor would send them exploded and its mocks
/// cannot match arrays, so they are declared as the string that goes on the
/// wire; the caller joins the values with commas.
pub fn csv_array_query_params(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            let is_array = p.pointer("/schema/type").and_then(Value::as_str) == Some("array");
            if is_in(p, "query") && is_array && p.get("explode") == Some(&Value::Bool(false)) {
                p["schema"] = json!({"type": "string"});
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("explode");
                    obj.remove("style");
                }
                report.hit("csv_array_query_params", location(path, method));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
        &doc["paths"][path][method]
    }

    #[test]
    fn colon_segments_become_templates_and_merge() {
        let mut doc = json!({"paths": {
            "/a/:id/b": {"get": {"responses": {}}},
            "/c/:x": {"get": {"operationId": "old"}},
            "/c/{x}": {"get": {"operationId": "kept"}, "post": {}},
            "/d/:": {"get": {}}
        }});
        let mut r = Report::default();
        colon_path_params(&mut doc, &mut r);
        let paths = doc["paths"].as_object().unwrap();
        let mut keys: Vec<_> = paths.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, vec!["/a/{id}/b", "/c/{x}", "/d/:"]);
        assert_eq!(doc["paths"]["/c/{x}"]["get"]["operationId"], "kept");
        assert_eq!(r.count("colon_path_params"), 2);
    }

    #[test]
    fn parameter_refs_and_path_level_params_are_copied_into_operations() {
        let mut doc = json!({
            "components": {"parameters": {"Acct": {"name": "accountId", "in": "path", "required": true}}},
            "paths": {"/x/{accountId}": {
                "parameters": [{"name": "q", "in": "query"}, {"name": "h", "in": "header"}],
                "get": {"parameters": [{"$ref": "#/components/parameters/Acct"}, {"name": "q", "in": "query", "required": true}]}
            }}
        });
        let mut r = Report::default();
        inline_parameter_refs(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/x/{accountId}", "get")["parameters"],
            json!([
                {"name": "accountId", "in": "path", "required": true},
                {"name": "q", "in": "query", "required": true},
                {"name": "h", "in": "header"}
            ])
        );
        assert!(doc["paths"]["/x/{accountId}"].get("parameters").is_none());
        assert_eq!(r.count("inline_parameter_refs"), 2);
    }

    #[test]
    fn cookie_params_are_dropped() {
        let mut doc = json!({"paths": {"/ws": {"get": {"parameters": [
            {"name": "api", "in": "cookie"}, {"name": "oauth_token", "in": "query"}]}}}});
        let mut r = Report::default();
        drop_cookie_params(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/ws", "get")["parameters"],
            json!([{"name": "oauth_token", "in": "query"}])
        );
        assert_eq!(r.count("drop_cookie_params"), 1);
    }

    #[test]
    fn declared_spelling_follows_the_template() {
        let mut doc = json!({"paths": {
            "/n/{notificationID}": {"put": {"parameters": [{"name": "notificationId", "in": "path", "required": true}]}},
            "/p/{accountid}/q/{conid}": {"get": {"parameters": [
                {"name": "accountId", "in": "path", "required": true},
                {"name": "conid", "in": "path", "required": true}]}}
        }});
        let mut r = Report::default();
        align_path_template_spelling(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/n/{notificationID}", "put")["parameters"][0]["name"],
            "notificationID"
        );
        assert_eq!(
            op(&doc, "/p/{accountid}/q/{conid}", "get")["parameters"][0]["name"],
            "accountid"
        );
        assert_eq!(r.count("align_path_template_spelling"), 2);
    }

    #[test]
    fn one_stray_and_one_undeclared_name_are_paired() {
        let mut doc = json!({"paths": {
            "/e/{enumerationType}": {"get": {"parameters": [
                {"name": "type", "in": "path", "required": true}, {"name": "currency", "in": "query"}]}},
            "/two/{a}/{b}": {"get": {"parameters": [
                {"name": "x", "in": "path"}, {"name": "y", "in": "path"}]}}
        }});
        let mut r = Report::default();
        rename_unmatched_path_param(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/e/{enumerationType}", "get")["parameters"][0]["name"],
            "enumerationType"
        );
        // Ambiguous: two of each, left for the next repairs.
        assert_eq!(
            op(&doc, "/two/{a}/{b}", "get")["parameters"][0]["name"],
            "x"
        );
        assert_eq!(r.count("rename_unmatched_path_param"), 1);
    }

    #[test]
    fn untemplated_path_params_move_to_the_query() {
        let mut doc = json!({"paths": {"/p/{pageId}": {"get": {"parameters": [
            {"name": "pageId", "in": "path", "required": false},
            {"name": "sort", "in": "path", "required": false, "style": "simple"},
            {"name": "must", "in": "path", "required": true}]}}}});
        let mut r = Report::default();
        demote_untemplated_path_params(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/p/{pageId}", "get")["parameters"],
            json!([
                {"name": "pageId", "in": "path", "required": false},
                {"name": "sort", "in": "query"},
                {"name": "must", "in": "query", "required": true}
            ])
        );
        assert_eq!(r.count("demote_untemplated_path_params"), 2);
    }

    #[test]
    fn undeclared_template_names_are_declared() {
        let mut doc = json!({"paths": {"/a/{id}/{other}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": true}]}}, "/b/{z}": {"get": {}}}});
        let mut r = Report::default();
        declare_missing_path_params(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/a/{id}/{other}", "get")["parameters"][1],
            json!({"name": "other", "in": "path", "required": true, "schema": {"type": "string"}})
        );
        assert_eq!(op(&doc, "/b/{z}", "get")["parameters"][0]["name"], "z");
        assert_eq!(r.count("declare_missing_path_params"), 2);
    }

    #[test]
    fn path_params_become_required() {
        let mut doc = json!({"paths": {"/a/{id}/{n}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": false}, {"name": "n", "in": "path"},
            {"name": "q", "in": "query"}]}}}});
        let mut r = Report::default();
        require_path_params(&mut doc, &mut r);
        let params = &op(&doc, "/a/{id}/{n}", "get")["parameters"];
        assert_eq!(params[0]["required"], true);
        assert_eq!(params[1]["required"], true);
        assert!(params[2].get("required").is_none());
        assert_eq!(r.count("require_path_params"), 2);
    }

    #[test]
    fn invalid_styles_fall_back_to_the_default() {
        let mut doc = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "style": "simple"},
            {"name": "f", "in": "query", "style": "form"},
            {"name": "h", "in": "header", "style": "form"}]}}}});
        let mut r = Report::default();
        fix_parameter_styles(&mut doc, &mut r);
        let params = &op(&doc, "/a", "get")["parameters"];
        assert!(params[0].get("style").is_none());
        assert_eq!(params[1]["style"], "form");
        assert!(params[2].get("style").is_none());
        assert_eq!(r.count("fix_parameter_styles"), 2);
    }

    #[test]
    fn untyped_parameters_become_strings() {
        let mut doc = json!({"paths": {"/s": {"get": {"parameters": [
            {"name": "criteria", "in": "query"},
            {"name": "conids", "in": "query", "schema": {"type": "array"}}]}}}});
        let mut r = Report::default();
        parameter_without_schema(&mut doc, &mut r);
        let params = &op(&doc, "/s", "get")["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[1]["schema"], json!({"type": "array"}));
        assert_eq!(r.count("parameter_without_schema"), 1);
    }

    #[test]
    fn object_query_params_are_flattened() {
        let mut doc = json!({
            "components": {"schemas": {"StatusRequest": {"type": "object", "required": ["startDate"],
                "properties": {"startDate": {"type": "string"}, "limit": {"type": "integer"}}}}},
            "paths": {"/s": {"get": {"parameters": [
                {"name": "accountStatusRequest", "in": "query", "required": true, "style": "form", "explode": false,
                 "schema": {"$ref": "#/components/schemas/StatusRequest"}},
                {"name": "other", "in": "query", "schema": {"type": "string"}}]}}}
        });
        let mut r = Report::default();
        flatten_object_query_params(&mut doc, &mut r);
        assert_eq!(
            op(&doc, "/s", "get")["parameters"],
            json!([
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "startDate", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "other", "in": "query", "schema": {"type": "string"}}
            ])
        );
        assert_eq!(r.count("flatten_object_query_params"), 1);
    }

    #[test]
    fn unexploded_query_arrays_become_comma_separated_strings() {
        let mut doc = json!({"paths": {"/f": {"get": {"parameters": [
            {"name": "formNo", "in": "query", "style": "form", "explode": false,
             "schema": {"type": "array", "items": {"type": "integer"}}},
            {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}]}}}});
        let mut r = Report::default();
        csv_array_query_params(&mut doc, &mut r);
        let params = &op(&doc, "/f", "get")["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "formNo", "in": "query", "schema": {"type": "string"}})
        );
        assert_eq!(params[1]["schema"]["type"], "array");
        assert_eq!(r.count("csv_array_query_params"), 1);
    }
}
