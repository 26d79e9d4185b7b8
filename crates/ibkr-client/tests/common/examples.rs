//! IBKR's own response examples, read from the upstream specs in
//! `../shared/ibkr-openapi` (they are stripped from the vendored copies).
//!
//! Tests that use them call [`for_route`] and skip, with a message, when the
//! shared directory is absent.
#![allow(dead_code)]

use std::path::PathBuf;

use ibkr_ops::Route;
use serde_json::Value;

/// One 2xx example of an upstream spec.
#[derive(Debug, Clone)]
pub struct Example {
    /// Which spec file and example (`ibkr-web-2.20.0.json GET /iserver/accounts 200 success`).
    pub origin: String,
    /// The status the example is documented under.
    pub status: u16,
    /// The example body, as JSON text.
    pub body: String,
}

/// `../shared/ibkr-openapi`, if present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ibkr-openapi");
    dir.is_dir().then_some(dir)
}

/// Every upstream spec file of a variant (`web` or `gateway`).
fn spec_files(variant: &str) -> Vec<PathBuf> {
    let Some(dir) = shared_dir() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(variant))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The template with its placeholder names erased (`{accountId}`, `{id}`
/// and `:accountId` all become `{}`).
pub fn template_key(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if (seg.starts_with('{') && seg.ends_with('}')) || seg.starts_with(':') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..8 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => v = target,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

/// Every 2xx example documented for `route` in the upstream specs of
/// `variant` (`web` or `gateway`). Empty when `../shared` is absent.
pub fn for_route(variant: &str, route: &Route) -> Vec<Example> {
    let key = template_key(route.path);
    let method = route.method.openapi_key();
    let mut out = Vec::new();
    for file in spec_files(variant) {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (path, item) in paths {
            if template_key(path) != key {
                continue;
            }
            let Some(responses) = item
                .get(method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (code, response) in responses {
                let Ok(status) = code.parse::<u16>() else {
                    continue;
                };
                if !(200..300).contains(&status) {
                    continue;
                }
                let response = resolve(&doc, response);
                let mut push = |label: &str, value: &Value| {
                    out.push(Example {
                        origin: format!("{name} {} {path} {code} {label}", route.method.as_str()),
                        status,
                        body: value.to_string(),
                    });
                };
                // OpenAPI 3: content.<media>.example / examples.<name>.value
                if let Some(content) = response.get("content").and_then(Value::as_object) {
                    for (media, m) in content {
                        if !media.contains("json") {
                            continue;
                        }
                        if let Some(e) = m.get("example") {
                            push("example", e);
                        }
                        if let Some(examples) = m.get("examples").and_then(Value::as_object) {
                            for (label, e) in examples {
                                if let Some(value) = resolve(&doc, e).get("value") {
                                    push(label, value);
                                }
                            }
                        }
                    }
                }
                // Swagger 2: examples.<media>
                if let Some(examples) = response.get("examples").and_then(Value::as_object) {
                    for (media, e) in examples {
                        if media.contains("json") {
                            push(media, e);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Prints why a test found nothing to check.
pub fn skip_message(test: &str) {
    eprintln!(
        "{test}: skipped, ../shared/ibkr-openapi is absent (IBKR's upstream specs carry the examples)"
    );
}
