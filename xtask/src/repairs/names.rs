//! Repairs of names: operation ids and schema names.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Value, json};

use super::Report;
use crate::openapi::{for_each_operation_mut, location};

/// The operation id of `method path`, the same in every variant and version:
/// path segments and parameter names in snake_case joined by `_`, then the
/// method (`POST /iserver/reply/{replyId}` → `iserver_reply_reply_id_post`).
pub fn operation_id(path: &str, method: &str) -> String {
    let mut words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => param_words(param),
                None => segment.to_snake_case(),
            },
        )
        .filter(|w| !w.is_empty())
        .collect();
    words.push(method.to_lowercase());
    words.join("_")
}

/// A parameter name in snake_case. IBKR writes the same identifier as
/// `replyId` in one spec and `replyid` in another; an all-lowercase name that
/// ends in `id` after a word of four or more letters is read as `<word>_id`,
/// so both spell `reply_id` (while `conid`, one IBKR word, stays).
fn param_words(name: &str) -> String {
    let is_flat_lowercase = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if is_flat_lowercase
        && let Some(stem) = name.strip_suffix("id")
        && stem.len() >= 4
    {
        return format!("{stem}_id");
    }
    name.to_snake_case()
}

/// IBKR defect: two operations with the same `operationId` (an endpoint
/// copied to a new path with its id, or one id reused for the GET and POST
/// of a path). A generated client cannot have two methods of one name, so
/// every repeat of an id already seen (in path, then method order) loses
/// it; [`synthesize_operation_ids`] then gives it its own.
pub fn duplicate_operation_ids(doc: &mut Value, report: &mut Report) {
    let mut seen = BTreeSet::new();
    for_each_operation_mut(doc, |path, method, op| {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            return;
        };
        if !seen.insert(id.to_string()) {
            op.remove("operationId");
            report.hit("duplicate_operation_ids", location(path, method));
        }
    });
}

/// IBKR defect: operations without `operationId` (all of the Gateway's, all
/// but one of the Web API's), which progenitor needs to name methods.
/// Every operation gets the id [`operation_id`] derives from its method and
/// path, replacing any id IBKR supplied, so that the same endpoint has the
/// same method name in both variants and across releases. Should two paths
/// derive the same id, later ones get a numeric suffix.
pub fn synthesize_operation_ids(doc: &mut Value, report: &mut Report) {
    let mut used = BTreeSet::new();
    for_each_operation_mut(doc, |path, method, op| {
        let base = operation_id(path, method);
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        if op.get("operationId").and_then(Value::as_str) != Some(id.as_str()) {
            op.insert("operationId".into(), json!(id));
            report.hit("synthesize_operation_ids", location(path, method));
        }
        if id != base {
            report.hit("operation_id_collision", location(path, method));
        }
    });
}

/// IBKR defect: schema names that differ only in case or punctuation
/// (`errorResponse` and `ErrorResponse`) and so become the same Rust type
/// name. The first name in byte order keeps it; the others get a numeric
/// suffix (`errorResponse2`), and every `$ref` to them is rewritten.
pub fn dedupe_colliding_schema_names(doc: &mut Value, report: &mut Report) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut by_rust_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in schemas.keys() {
        by_rust_name
            .entry(name.to_upper_camel_case())
            .or_default()
            .push(name.clone());
    }
    let taken: BTreeSet<String> = by_rust_name.keys().cloned().collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for mut names in by_rust_name.into_values() {
        names.sort();
        for (i, old) in names.iter().enumerate().skip(1) {
            let mut n = i + 1;
            let mut new = format!("{old}{n}");
            while taken.contains(&new.to_upper_camel_case()) {
                n += 1;
                new = format!("{old}{n}");
            }
            renames.insert(old.clone(), new);
        }
    }
    if renames.is_empty() {
        return;
    }
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("checked above");
    for (old, new) in &renames {
        if let Some(s) = schemas.remove(old) {
            schemas.insert(new.clone(), s);
        }
        report.hit(
            "dedupe_colliding_schema_names",
            format!("#/components/schemas/{old}"),
        );
    }
    let refs: BTreeMap<String, String> = renames
        .iter()
        .map(|(o, n)| {
            (
                format!("#/components/schemas/{o}"),
                format!("#/components/schemas/{n}"),
            )
        })
        .collect();
    rewrite_refs(doc, &refs);
}

/// Replaces every `$ref` whose value is a key of `renames`.
pub(crate) fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = renames.get(r.as_str())
            {
                *r = new.clone();
            }
            for v in map.values_mut() {
                rewrite_refs(v, renames);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_seed_documents() {
        assert_eq!(
            operation_id("/iserver/auth/ssodh/init", "post"),
            "iserver_auth_ssodh_init_post"
        );
        assert_eq!(
            operation_id("/iserver/auth/status", "POST"),
            "iserver_auth_status_post"
        );
        assert_eq!(
            operation_id("/iserver/reauthenticate", "get"),
            "iserver_reauthenticate_get"
        );
        assert_eq!(operation_id("/logout", "post"), "logout_post");
        assert_eq!(operation_id("/sso/validate", "get"), "sso_validate_get");
        assert_eq!(operation_id("/tickle", "post"), "tickle_post");
    }

    #[test]
    fn parameter_spellings_agree_across_variants() {
        assert_eq!(
            operation_id("/iserver/reply/{replyid}", "post"),
            "iserver_reply_reply_id_post"
        );
        assert_eq!(
            operation_id("/iserver/reply/{replyId}", "post"),
            "iserver_reply_reply_id_post"
        );
        assert_eq!(
            operation_id("/portfolio/{accountid}/position/{conid}", "get"),
            "portfolio_account_id_position_conid_get"
        );
        assert_eq!(
            operation_id("/fyi/notifications/{notificationID}", "put"),
            "fyi_notifications_notification_id_put"
        );
        assert_eq!(
            operation_id("/iserver/contract/{conid}/info-and-rules", "get"),
            "iserver_contract_conid_info_and_rules_get"
        );
        assert_eq!(
            operation_id("/fyi/disclaimer/{typecode}", "get"),
            "fyi_disclaimer_typecode_get"
        );
    }

    #[test]
    fn every_operation_gets_a_derived_unique_id() {
        let mut doc = json!({"paths": {
            "/a/{b}": {"get": {}, "post": {"operationId": "a_b_post"}},
            "/a/b": {"get": {"operationId": "customName"}},
            "/tickle": {"post": {}}
        }});
        let mut r = Report::default();
        synthesize_operation_ids(&mut doc, &mut r);
        // Paths are visited in sorted order: "/a/b" < "/a/{b}".
        assert_eq!(doc["paths"]["/a/b"]["get"]["operationId"], "a_b_get");
        assert_eq!(doc["paths"]["/a/{b}"]["get"]["operationId"], "a_b_get_2");
        assert_eq!(doc["paths"]["/a/{b}"]["post"]["operationId"], "a_b_post");
        assert_eq!(
            doc["paths"]["/tickle"]["post"]["operationId"],
            "tickle_post"
        );
        assert_eq!(r.count("synthesize_operation_ids"), 3);
        assert_eq!(r.count("operation_id_collision"), 1);
    }

    #[test]
    fn repeated_operation_ids_are_removed() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "getThing"}, "post": {"operationId": "getThing"}},
            "/b": {"get": {"operationId": "getThing"}, "put": {"operationId": "putB"}}
        }});
        let mut r = Report::default();
        duplicate_operation_ids(&mut doc, &mut r);
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], "getThing");
        assert!(doc["paths"]["/a"]["post"].get("operationId").is_none());
        assert!(doc["paths"]["/b"]["get"].get("operationId").is_none());
        assert_eq!(doc["paths"]["/b"]["put"]["operationId"], "putB");
        assert_eq!(r.count("duplicate_operation_ids"), 2);
    }

    #[test]
    fn colliding_schema_names_are_renamed_with_their_refs() {
        let mut doc = json!({
            "components": {"schemas": {
                "ErrorResponse": {"type": "object"},
                "errorResponse": {"type": "string"},
                "User": {"properties": {"e": {"$ref": "#/components/schemas/errorResponse"}}}
            }},
            "paths": {"/a": {"get": {"responses": {"500": {"content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/errorResponse"}}}}}}}}
        });
        let mut r = Report::default();
        dedupe_colliding_schema_names(&mut doc, &mut r);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("ErrorResponse"));
        assert!(schemas.contains_key("errorResponse2"));
        assert!(!schemas.contains_key("errorResponse"));
        assert_eq!(
            schemas["User"]["properties"]["e"]["$ref"],
            "#/components/schemas/errorResponse2"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["500"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/errorResponse2"
        );
        assert_eq!(r.count("dedupe_colliding_schema_names"), 1);
    }
}
