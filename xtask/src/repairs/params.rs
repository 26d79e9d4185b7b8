//! Repairs of path templates and parameters.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Report;
use super::shape::{self, Kind};
use crate::openapi::{self, for_each_operation_mut, location, template_names};

/// IBKR defect: some gateway snapshots write path parameters Express-style
/// (`/iserver/account/:accountId/alerts`) instead of as OpenAPI templates.
/// Rewrites every `:name` segment to `{name}`; if the repaired path already
/// exists, the operations are merged into it (existing ones win).
pub fn colon_path_params(doc: &mut Value, report: &mut Report) {
    rename_paths(doc, report, "colon_path_params", |old| {
        if !old.split('/').any(|s| s.starts_with(':') && s.len() > 1) {
            return None;
        }
        let new = old
            .split('/')
            .map(|s| match s.strip_prefix(':') {
                Some(name) if !name.is_empty() => format!("{{{name}}}"),
                _ => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        Some(new)
    });
}

/// IBKR defect: path templates the generator cannot read: a `{` never
/// closed, a `}` never opened, braces inside a placeholder (`{{id}}`), an
/// empty `{}`, spaces around the template or inside a placeholder
/// (`{ id }`). Stray braces are removed (`/a/{{id}}` → `/a/{id}`, `/a/}` →
/// `/a/`), placeholders and the template are trimmed; if the repaired
/// template exists already, the operations are merged into it (existing
/// ones win).
pub fn malformed_path_templates(doc: &mut Value, report: &mut Report) {
    rename_paths(doc, report, "malformed_path_templates", |old| {
        if !old.trim_start().starts_with('/') {
            return None;
        }
        let new = readable_template(old);
        (new != old).then_some(new)
    });
}

/// `path` with what keeps it from being a path template removed (see
/// [`malformed_path_templates`]).
fn readable_template(path: &str) -> String {
    let chars: Vec<char> = path.trim().chars().collect();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                let rest = &chars[i + 1..];
                if let Some(len) = rest.iter().position(|c| *c == '}') {
                    let name: String = rest[..len].iter().collect();
                    let name = name.trim();
                    if !name.is_empty() && !name.contains(['{', '/']) {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                        i += len + 2;
                        continue;
                    }
                }
                i += 1;
            }
            '}' => i += 1,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Renames every path for which `rename` gives a new template, reporting
/// each as `repair`; a path item renamed onto an existing one is merged
/// into it (the existing operations win).
fn rename_paths(
    doc: &mut Value,
    report: &mut Report,
    repair: &'static str,
    rename: impl Fn(&str) -> Option<String>,
) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let renames: Vec<(String, String)> = paths
        .keys()
        .filter_map(|old| rename(old).map(|new| (old.clone(), new)))
        .collect();
    for (old, new) in renames {
        let item = paths.remove(&old).unwrap_or(Value::Null);
        report.hit(repair, old.clone());
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
/// location (a query parameter with `style: simple`), and header or
/// encoding styles that are none of the styles those allow. The style is
/// removed, so the location's default (form for query, simple for path and
/// header) applies, which is how IBKR's servers read them. Operation
/// parameters are reported by operation, the others by JSON pointer.
pub fn fix_parameter_styles(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            if let Some(obj) = p.as_object_mut()
                && drop_invalid_style(obj, Kind::Parameter)
            {
                report.hit("fix_parameter_styles", location(path, method));
            }
        }
    });
    for kind in [Kind::Parameter, Kind::Header, Kind::Encoding] {
        shape::for_each_node_mut(doc, kind, &mut |obj, pointer| {
            if drop_invalid_style(obj, kind) {
                report.hit("fix_parameter_styles", format!("#{pointer}"));
            }
        });
    }
}

/// Removes `style` from a parameter, header or encoding object when its
/// location does not allow it; whether it did.
fn drop_invalid_style(obj: &mut Map<String, Value>, kind: Kind) -> bool {
    const QUERY: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];
    let allowed: &[&str] = match (kind, obj.get("in").and_then(Value::as_str)) {
        (Kind::Parameter, Some("query")) | (Kind::Encoding, _) => QUERY,
        (Kind::Parameter, Some("path")) => &["simple", "label", "matrix"],
        (Kind::Parameter, Some("header")) | (Kind::Header, _) => &["simple"],
        (Kind::Parameter, Some("cookie")) => &["form"],
        _ => return false,
    };
    let valid = match obj.get("style") {
        None => return false,
        Some(style) => style.as_str().is_some_and(|s| allowed.contains(&s)),
    };
    if !valid {
        obj.remove("style");
    }
    !valid
}

/// IBKR defect: parameters with neither `schema` nor `content`, so their
/// type is unknown (`/trsrv/secdef`'s `criteria`). They are sent as
/// strings, the only type a query string or path has. Operation
/// parameters are reported by operation, the others (in `components`) by
/// JSON pointer.
pub fn parameter_without_schema(doc: &mut Value, report: &mut Report) {
    for_each_operation_mut(doc, |path, method, op| {
        let Some(params) = params_mut(op) else { return };
        for p in params.iter_mut() {
            if let Some(obj) = p.as_object_mut()
                && add_string_schema(obj)
            {
                report.hit("parameter_without_schema", location(path, method));
            }
        }
    });
    shape::for_each_node_mut(doc, Kind::Parameter, &mut |obj, pointer| {
        if add_string_schema(obj) {
            report.hit("parameter_without_schema", format!("#{pointer}"));
        }
    });
}

/// Gives a parameter without `schema` or `content` a string schema;
/// whether it did.
fn add_string_schema(obj: &mut Map<String, Value>) -> bool {
    if obj.contains_key("$ref") || obj.contains_key("schema") || obj.contains_key("content") {
        return false;
    }
    obj.insert("schema".into(), json!({"type": "string"}));
    true
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
    fn unreadable_templates_lose_their_stray_braces() {
        for (old, new) in [
            ("/a/{", "/a/"),
            ("/a/}", "/a/"),
            ("/a/{}", "/a/"),
            ("/a/{{id}}", "/a/{id}"),
            ("/a/{ id }/b", "/a/{id}/b"),
            ("/a/{x}{y}", "/a/{x}{y}"),
            (" /a/{id} ", "/a/{id}"),
            ("/a/{b/c}", "/a/b/c"),
        ] {
            assert_eq!(readable_template(old), new, "{old}");
        }
        let mut doc = json!({"paths": {
            "/a/{id}": {"get": {"operationId": "kept"}},
            "/a/{{id}}": {"get": {"operationId": "old"}, "put": {}},
            "/b/{": {"get": {}},
            "/c/{id}": {"get": {}},
            "x-extension": {}
        }});
        let mut r = Report::default();
        malformed_path_templates(&mut doc, &mut r);
        let mut keys: Vec<_> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, vec!["/a/{id}", "/b/", "/c/{id}", "x-extension"]);
        assert_eq!(doc["paths"]["/a/{id}"]["get"]["operationId"], "kept");
        assert!(doc["paths"]["/a/{id}"]["put"].is_object());
        assert_eq!(r.count("malformed_path_templates"), 2);
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
        doc["components"] = json!({
            "parameters": {"P": {"name": "p", "in": "path", "style": "form"}},
            "headers": {"H": {"style": "form", "schema": {"type": "string"}}}
        });
        doc["paths"]["/a"]["get"]["requestBody"] = json!({"content": {"multipart/form-data":
            {"encoding": {"f": {"style": "simple"}, "g": {"style": "form"}}}}});
        let mut r = Report::default();
        fix_parameter_styles(&mut doc, &mut r);
        let params = &op(&doc, "/a", "get")["parameters"];
        assert!(params[0].get("style").is_none());
        assert_eq!(params[1]["style"], "form");
        assert!(params[2].get("style").is_none());
        assert!(doc["components"]["parameters"]["P"].get("style").is_none());
        assert!(doc["components"]["headers"]["H"].get("style").is_none());
        let encoding =
            &op(&doc, "/a", "get")["requestBody"]["content"]["multipart/form-data"]["encoding"];
        assert_eq!(encoding, &json!({"f": {}, "g": {"style": "form"}}));
        assert_eq!(r.count("fix_parameter_styles"), 5);
    }

    #[test]
    fn untyped_parameters_become_strings() {
        let mut doc = json!({"paths": {"/s": {"get": {"parameters": [
            {"name": "criteria", "in": "query"},
            {"name": "conids", "in": "query", "schema": {"type": "array"}}]}}}});
        doc["components"] = json!({"parameters": {"C": {"name": "c", "in": "query"}}});
        let mut r = Report::default();
        parameter_without_schema(&mut doc, &mut r);
        let params = &op(&doc, "/s", "get")["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(params[1]["schema"], json!({"type": "array"}));
        assert_eq!(
            doc["components"]["parameters"]["C"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(r.count("parameter_without_schema"), 2);
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
