//! Walking an OpenAPI 3.0 document held as a `serde_json::Value`: the one
//! place the xtask knows how operations, parameters, local `$ref`s and path
//! templates are laid out.
//!
//! - [`operations`]: every operation (path, method, operation object, its
//!   parameters with path-level ones merged in and `$ref`s resolved), in
//!   path order, then in [`METHODS`] order; [`for_each_operation_mut`] is
//!   the same walk for code that edits the document.
//! - [`resolve`] / [`resolve_ref`]: local `$ref`s (`#/components/...`),
//!   followed through chains with a cycle and depth guard.
//! - [`template_key`]: a path template with its placeholder names erased
//!   (`/portfolio/{accountId}/meta` and `/portfolio/{acctId}/meta` are the
//!   same endpoint), used to match routes across spellings;
//!   [`template_names`] lists the names.
//!
//! Nothing here panics on a malformed document: what is not shaped as
//! OpenAPI says is skipped.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The HTTP methods an OpenAPI 3.0 path item can hold, as its (lowercase)
/// keys. Walks visit them in this order.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Longest `$ref` chain [`resolve_ref`] follows.
const MAX_REF_DEPTH: usize = 32;

/// One operation of a document, borrowed from it.
#[derive(Debug, Clone)]
pub struct OperationRef<'a> {
    /// The path item key, i.e. the template as the spec writes it.
    pub path: &'a str,
    /// The method: one of [`METHODS`] (lowercase).
    pub method: &'static str,
    /// The operation object.
    pub op: &'a Value,
    /// The parameters, resolved: the operation's own, then the path item's
    /// that the operation does not override (same `name` and `in`), as
    /// OpenAPI specifies.
    pub params: Vec<&'a Value>,
}

impl<'a> OperationRef<'a> {
    /// The `operationId`, if any.
    pub fn id(&self) -> Option<&'a str> {
        self.op.get("operationId").and_then(Value::as_str)
    }

    /// `GET /path`, the way reports name an operation.
    pub fn location(&self) -> String {
        location(self.path, self.method)
    }

    /// The names of the parameters in one location (`query`, `path`, ...).
    pub fn param_names(&self, location: &str) -> BTreeSet<&'a str> {
        self.params
            .iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some(location))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect()
    }

    /// The request body, resolved, if the operation declares one.
    pub fn request_body(&self, doc: &'a Value) -> Option<&'a Value> {
        self.op
            .get("requestBody")
            .map(|b| resolve(doc, b))
            .filter(|b| b.is_object())
    }
}

/// `GET /path`: an operation named by its upper-case method and path.
pub fn location(path: &str, method: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

/// Every operation of `doc`, in path order, then in [`METHODS`] order.
/// Method keys whose value is not an object are skipped.
pub fn operations(doc: &Value) -> Vec<OperationRef<'_>> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    for path in keys {
        let item = &paths[path.as_str()];
        for &method in METHODS {
            let Some(op) = item.get(method).filter(|op| op.is_object()) else {
                continue;
            };
            out.push(OperationRef {
                path,
                method,
                op,
                params: merged_params(doc, item, op),
            });
        }
    }
    out
}

/// The operation's parameters followed by the path item's it does not
/// override, all resolved.
fn merged_params<'a>(doc: &'a Value, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let list = |v: &'a Value| {
        v.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p))
    };
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut out: Vec<&Value> = list(op).collect();
    for p in list(item) {
        if !out.iter().any(|q| key(q) == key(p)) {
            out.push(p);
        }
    }
    out
}

/// Calls `f(path, method, operation)` for every operation, in the order of
/// [`operations`], with the operation object mutable.
pub fn for_each_operation_mut(
    doc: &mut Value,
    mut f: impl FnMut(&str, &str, &mut Map<String, Value>),
) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut keys: Vec<String> = paths.keys().cloned().collect();
    keys.sort();
    for path in keys {
        let Some(item) = paths.get_mut(&path).and_then(Value::as_object_mut) else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) {
                f(&path, method, op);
            }
        }
    }
}

/// The target of a local reference (`#/components/schemas/Order`), following
/// a target that is itself a `$ref`. `None` when the reference is not local,
/// points nowhere, or the chain loops or is longer than 32 links.
pub fn resolve_ref<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let lookup = |reference: &str| doc.pointer(reference.strip_prefix('#')?);
    let mut target = lookup(reference)?;
    // A cycle never reaches a non-reference; the guard ends it too.
    for _ in 0..MAX_REF_DEPTH {
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => target = lookup(next)?,
            None => return Some(target),
        }
    }
    None
}

/// `v` with its local `$ref` followed (see [`resolve_ref`]); `v` itself
/// when it is not a reference or the reference cannot be resolved.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve_ref(doc, r))
        .unwrap_or(v)
}

/// The byte ranges of the `{…}` placeholders of a path template, braces
/// included, in order. An unclosed `{` ends the search.
fn placeholders(path: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = path[from..].find('{').map(|i| from + i) {
        let Some(len) = path[start..].find('}') else {
            break;
        };
        out.push(start..start + len + 1);
        from = start + len + 1;
    }
    out
}

/// The path template with every placeholder name erased:
/// `/portfolio/{accountId}/positions/{pageId}` → `/portfolio/{}/positions/{}`.
/// Two templates that differ only in placeholder names are the same
/// endpoint. An unclosed `{` is kept as written.
pub fn template_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut from = 0;
    for range in placeholders(path) {
        out.push_str(&path[from..range.start]);
        out.push_str("{}");
        from = range.end;
    }
    out.push_str(&path[from..]);
    out
}

/// The placeholder names of a path template, in order: `/a/{b}/c/{d}` →
/// `[b, d]`.
pub fn template_names(path: &str) -> Vec<String> {
    placeholders(path)
        .into_iter()
        .map(|r| path[r.start + 1..r.end - 1].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "components": {"parameters": {
                "Acct": {"name": "accountId", "in": "path", "required": true},
                "Alias": {"$ref": "#/components/parameters/Acct"},
                "Loop": {"$ref": "#/components/parameters/Loop"}
            }},
            "paths": {
                "/b/{accountId}": {
                    "parameters": [
                        {"$ref": "#/components/parameters/Alias"},
                        {"name": "q", "in": "query"},
                        {"name": "shared", "in": "query"}
                    ],
                    "post": {"operationId": "b_post", "requestBody": {"content": {}},
                        "parameters": [{"name": "q", "in": "query", "required": true}]},
                    "get": {"operationId": "b_get"},
                    "x-extension": {"not": "an operation"},
                    "trace": "not an object"
                },
                "/a": {"delete": {}}
            }
        })
    }

    #[test]
    fn operations_in_path_then_method_order() {
        let doc = doc();
        let ops = operations(&doc);
        let seen: Vec<(&str, &str, Option<&str>)> =
            ops.iter().map(|o| (o.method, o.path, o.id())).collect();
        assert_eq!(
            seen,
            [
                ("delete", "/a", None),
                ("get", "/b/{accountId}", Some("b_get")),
                ("post", "/b/{accountId}", Some("b_post")),
            ]
        );
        assert_eq!(ops[2].location(), "POST /b/{accountId}");
        assert!(ops[2].request_body(&doc).is_some());
        assert!(ops[1].request_body(&doc).is_none());
        assert!(operations(&json!({"paths": []})).is_empty());
        assert!(operations(&json!(null)).is_empty());
    }

    #[test]
    fn parameters_are_merged_and_resolved() {
        let doc = doc();
        let ops = operations(&doc);
        let post = &ops[2];
        // The operation's `q` overrides the path item's; the path-level
        // `$ref` is followed through the alias.
        assert_eq!(post.params.len(), 3);
        assert_eq!(post.params[0]["required"], true);
        assert_eq!(post.params[1]["name"], "accountId");
        assert_eq!(post.params[2]["name"], "shared");
        assert_eq!(
            post.param_names("query").into_iter().collect::<Vec<_>>(),
            ["q", "shared"]
        );
        assert_eq!(
            post.param_names("path").into_iter().collect::<Vec<_>>(),
            ["accountId"]
        );
        assert_eq!(ops[1].params.len(), 3, "GET inherits all three");
    }

    #[test]
    fn refs_resolve_through_chains_and_stop_on_cycles() {
        let doc = doc();
        let acct = &doc["components"]["parameters"]["Acct"];
        assert_eq!(
            resolve_ref(&doc, "#/components/parameters/Alias"),
            Some(acct)
        );
        assert_eq!(resolve_ref(&doc, "#/components/parameters/Loop"), None);
        assert_eq!(resolve_ref(&doc, "#/components/parameters/Nope"), None);
        assert_eq!(resolve_ref(&doc, "other.json#/x"), None);
        let looped = json!({"$ref": "#/components/parameters/Loop"});
        assert_eq!(
            resolve(&doc, &looped),
            &looped,
            "a cycle resolves to itself"
        );
        let plain = json!({"name": "x"});
        assert_eq!(resolve(&doc, &plain), &plain);
        assert_eq!(
            resolve(&doc, &json!({"$ref": "#/components/parameters/Alias"})),
            acct
        );
        // A long but finite chain is cut off by the depth guard.
        let mut long = json!({"c": {"n0": {"name": "end"}}});
        for i in 1..=40 {
            long["c"][format!("n{i}")] = json!({"$ref": format!("#/c/n{}", i - 1)});
        }
        assert_eq!(resolve_ref(&long, "#/c/n10"), Some(&long["c"]["n0"]));
        assert_eq!(resolve_ref(&long, "#/c/n40"), None);
    }

    #[test]
    fn for_each_operation_mut_visits_in_order_and_edits() {
        let mut doc = doc();
        let mut seen = Vec::new();
        for_each_operation_mut(&mut doc, |path, method, op| {
            seen.push(location(path, method));
            op.insert("x-seen".into(), json!(true));
        });
        assert_eq!(
            seen,
            ["DELETE /a", "GET /b/{accountId}", "POST /b/{accountId}"]
        );
        assert_eq!(doc["paths"]["/a"]["delete"]["x-seen"], true);
        assert!(
            doc["paths"]["/b/{accountId}"]["x-extension"]
                .get("x-seen")
                .is_none()
        );
    }

    #[test]
    fn template_keys_erase_placeholder_names() {
        assert_eq!(
            template_key("/portfolio/{accountId}/positions/{pageId}"),
            "/portfolio/{}/positions/{}"
        );
        assert_eq!(
            template_key("/portfolio/{accountid}/positions/{page}"),
            template_key("/portfolio/{accountId}/positions/{pageId}")
        );
        assert_eq!(template_key("/hmds/{a}-{b}.json"), "/hmds/{}-{}.json");
        assert_eq!(template_key("/tickle"), "/tickle");
        assert_eq!(template_key("/broken/{x"), "/broken/{x");
        assert_ne!(template_key("/a/{x}"), template_key("/b/{x}"));
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{b}/c/{d}"), vec!["b", "d"]);
        assert!(template_names("/a/b").is_empty());
        assert!(template_names("/a/{b").is_empty());
    }

    #[test]
    fn methods_are_the_openapi_path_item_keys() {
        assert_eq!(METHODS.len(), 8);
        assert!(
            METHODS
                .iter()
                .all(|m| m.chars().all(|c| c.is_ascii_lowercase()))
        );
    }
}
