//! `cargo xtask coverage`: which operations of the vendored specs the facade
//! (`crates/ibkr-client`) calls, as a Markdown table kept in README.md.
//!
//! Every operation's generated method is named after its operation id
//! (`iserver_accounts_get`). The scanner reads `crates/ibkr-client/src/**/*.rs`
//! line by line and records each `.<operation_id>(` call together with the
//! enclosing `impl` type and `fn` (the facade method, e.g.
//! `Session::auth_status`). A call inside a `Backend::Web` arm counts for the
//! Web API only, one inside a `Backend::Gateway` arm for the Gateway only,
//! and one outside any arm for both. Requests the facade sends itself (where a
//! spec is wrong, e.g. `raw(OP, Method::GET, "/iserver/account/pnl/partitioned")`)
//! count too: a `Method::X` followed in the same fn by a literal spec path
//! without parameters. Operations the facade does not call are reachable
//! through the generated clients ("escape hatch").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};

/// Start marker of the generated section in README.md.
pub const START: &str = "<!-- coverage:start -->";
/// End marker of the generated section in README.md.
pub const END: &str = "<!-- coverage:end -->";

/// Which variants an operation or a call belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// The Web API.
    Web,
    /// The Client Portal Gateway.
    Gateway,
}

/// One operation of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operation id (= the generated method name).
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as the spec writes it.
    pub path: String,
}

/// A call of a generated method found in the facade's sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    /// The facade method, `Type::method` (or just `method` outside an impl).
    pub facade: String,
    /// The variant arm the call sits in; `None` when it is in neither.
    pub side: Option<Side>,
}

/// Reads the operations of an OpenAPI document.
pub fn operations(spec: &serde_json::Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace"
            ) {
                continue;
            }
            if let Some(id) = op.get("operationId").and_then(|i| i.as_str()) {
                out.push(Operation {
                    id: id.to_string(),
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                });
            }
        }
    }
    out
}

/// The name of the fn declared on `line`, if it declares one.
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    // `pub async fn`: strip again after `pub `.
    rest = rest.strip_prefix("async ").unwrap_or(rest);
    let name = rest.strip_prefix("fn ")?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (end > 0).then(|| name[..end].to_string())
}

/// The type an `impl` line (at column 0) implements for, if it is one.
fn impl_type(line: &str) -> Option<String> {
    let rest = line.strip_prefix("impl")?;
    if !(rest.starts_with(' ') || rest.starts_with('<')) {
        return None;
    }
    let mut rest = rest.trim_start();
    if rest.starts_with('<') {
        // Skip the impl's generics, which may nest.
        let mut depth = 0usize;
        let mut cut = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        cut = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = rest[cut..].trim_start();
    }
    if let Some((_, target)) = rest.split_once(" for ") {
        rest = target.trim_start();
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    let path = &rest[..end];
    let name = path.rsplit("::").next().unwrap_or(path);
    (!name.is_empty()).then(|| name.to_string())
}

/// Operation ids by `(METHOD, path)`, for requests the facade sends itself.
pub type Routes = BTreeMap<(String, String), String>;

/// The HTTP method named on `line` as `Method::X`, if any.
fn method_on(line: &str) -> Option<String> {
    ["GET", "POST", "PUT", "DELETE", "PATCH"]
        .into_iter()
        .find(|m| line.contains(&format!("Method::{m}")))
        .map(str::to_string)
}

/// String literals on `line` that look like API paths.
fn path_literals(line: &str) -> Vec<&str> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with('/') && !s.contains(' '))
        .collect()
}

/// Finds calls of the given operation ids in one Rust source: calls of the
/// generated method (`.iserver_accounts_get(`), and requests the facade
/// sends itself (a `Method::GET` followed, within the same fn, by the
/// literal path `"/iserver/account/pnl/partitioned"`).
pub fn scan_source(
    source: &str,
    ids: &BTreeSet<String>,
    routes: &Routes,
) -> BTreeMap<String, BTreeSet<Call>> {
    let mut found: BTreeMap<String, BTreeSet<Call>> = BTreeMap::new();
    let mut current_impl: Option<String> = None;
    let mut current_fn: Option<String> = None;
    let mut side: Option<Side> = None;
    let mut method: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(t) = impl_type(line) {
            current_impl = Some(t);
            current_fn = None;
            side = None;
        } else if line == "}" {
            // rustfmt closes an impl block (or a free fn) at column 0.
            current_impl = None;
        } else if !line.starts_with([' ', '#', '/', '}']) && !line.is_empty() {
            // Another item at column 0 (a free fn, a struct) is outside any impl.
            current_impl = None;
        }
        if let Some(name) = fn_name(line) {
            current_fn = Some(name);
            side = None;
            method = None;
        }
        let facade = || match (&current_impl, &current_fn) {
            (Some(t), Some(f)) => format!("{t}::{f}"),
            (None, Some(f)) => f.clone(),
            (Some(t), None) => t.clone(),
            (None, None) => "?".to_string(),
        };
        if let Some(m) = method_on(line) {
            method = Some(m);
        }
        if let Some(m) = &method {
            for path in path_literals(line) {
                if let Some(id) = routes.get(&(m.clone(), path.to_string())) {
                    found.entry(id.clone()).or_default().insert(Call {
                        facade: facade(),
                        side,
                    });
                }
            }
        }
        if line.contains("Backend::Web") {
            side = Some(Side::Web);
        } else if line.contains("Backend::Gateway") {
            side = Some(Side::Gateway);
        }
        let mut rest = line;
        while let Some(pos) = rest.find('.') {
            rest = &rest[pos + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let ident = &rest[..end];
            if rest[end..].starts_with('(') && ids.contains(ident) {
                found.entry(ident.to_string()).or_default().insert(Call {
                    facade: facade(),
                    side,
                });
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| XtaskError::io(dir, e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The operation id.
    pub id: String,
    /// `METHOD /path` (the Web API's spelling when both variants have it).
    pub endpoint: String,
    /// Whether the Web API spec has it.
    pub web: bool,
    /// Whether the Gateway spec has it.
    pub gateway: bool,
    /// Facade methods covering it on the Web API.
    pub web_facade: BTreeSet<String>,
    /// Facade methods covering it on the Gateway.
    pub gateway_facade: BTreeSet<String>,
}

impl Row {
    fn covered_web(&self) -> bool {
        self.web && !self.web_facade.is_empty()
    }

    fn covered_gateway(&self) -> bool {
        self.gateway && !self.gateway_facade.is_empty()
    }
}

/// Joins the two specs' operations with the calls found.
pub fn rows(
    web: &[Operation],
    gateway: &[Operation],
    calls: &BTreeMap<String, BTreeSet<Call>>,
) -> Vec<Row> {
    let mut by_id: BTreeMap<String, Row> = BTreeMap::new();
    for (ops, is_web) in [(web, true), (gateway, false)] {
        for op in ops {
            let row = by_id.entry(op.id.clone()).or_insert_with(|| Row {
                id: op.id.clone(),
                endpoint: format!("{} {}", op.method, op.path),
                web: false,
                gateway: false,
                web_facade: BTreeSet::new(),
                gateway_facade: BTreeSet::new(),
            });
            if is_web {
                row.web = true;
            } else {
                row.gateway = true;
            }
        }
    }
    for row in by_id.values_mut() {
        for call in calls.get(&row.id).into_iter().flatten() {
            if row.web && call.side != Some(Side::Gateway) {
                row.web_facade.insert(call.facade.clone());
            }
            if row.gateway && call.side != Some(Side::Web) {
                row.gateway_facade.insert(call.facade.clone());
            }
        }
    }
    let mut rows: Vec<Row> = by_id.into_values().collect();
    rows.sort_by(|a, b| {
        let key = |r: &Row| {
            let (m, p) = r.endpoint.split_once(' ').unwrap_or(("", ""));
            (p.to_ascii_lowercase(), m.to_string())
        };
        key(a).cmp(&key(b))
    });
    rows
}

/// Coverage counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Web API operations the facade calls.
    pub web_covered: usize,
    /// Web API operations.
    pub web_total: usize,
    /// Gateway operations the facade calls.
    pub gateway_covered: usize,
    /// Gateway operations.
    pub gateway_total: usize,
    /// Operations in both specs that the facade calls on both variants.
    pub shared_covered: usize,
    /// Operations in both specs.
    pub shared_total: usize,
}

/// Counts covered operations per variant.
pub fn counts(rows: &[Row]) -> Counts {
    let mut c = Counts::default();
    for r in rows {
        c.web_total += r.web as usize;
        c.gateway_total += r.gateway as usize;
        c.web_covered += r.covered_web() as usize;
        c.gateway_covered += r.covered_gateway() as usize;
        if r.web && r.gateway {
            c.shared_total += 1;
            c.shared_covered += (r.covered_web() && r.covered_gateway()) as usize;
        }
    }
    c
}

fn facade_cell(r: &Row) -> String {
    let all: BTreeSet<&String> = r.web_facade.iter().chain(&r.gateway_facade).collect();
    if all.is_empty() {
        return "escape hatch".into();
    }
    let list = |set: &BTreeSet<String>| {
        set.iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Mention the variant only when the two differ.
    if r.web && r.gateway && r.web_facade != r.gateway_facade {
        let web = if r.web_facade.is_empty() {
            "escape hatch".to_string()
        } else {
            list(&r.web_facade)
        };
        let gw = if r.gateway_facade.is_empty() {
            "escape hatch".to_string()
        } else {
            list(&r.gateway_facade)
        };
        format!("web: {web}; gateway: {gw}")
    } else {
        all.iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn mark(has: bool, covered: bool) -> &'static str {
    match (has, covered) {
        (false, _) => "–",
        (true, true) => "✔",
        (true, false) => "○",
    }
}

/// Renders the Markdown section (without the markers).
pub fn render(rows: &[Row]) -> String {
    let c = counts(rows);
    let mut out = String::new();
    out.push_str(&format!(
        "Facade coverage of the vendored specs (generated by `cargo xtask coverage`; \
         ✔ called by the facade, ○ in the spec but reached only through the generated \
         client, – not in that variant's spec):\n\n\
         - Web API: {} / {} operations\n\
         - Gateway: {} / {} operations\n\
         - in both specs: {} / {} covered on both variants\n\n",
        c.web_covered,
        c.web_total,
        c.gateway_covered,
        c.gateway_total,
        c.shared_covered,
        c.shared_total
    ));
    out.push_str("| operation | method + path | web | gateway | facade method |\n");
    out.push_str("|---|---|:-:|:-:|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} |\n",
            r.id,
            r.endpoint,
            mark(r.web, r.covered_web()),
            mark(r.gateway, r.covered_gateway()),
            facade_cell(r)
        ));
    }
    out
}

/// Replaces the text between the markers; `None` when they are missing.
pub fn splice(readme: &str, section: &str) -> Option<String> {
    let start = readme.find(START)?;
    let after_start = start + START.len();
    let end = after_start + readme[after_start..].find(END)?;
    Some(format!(
        "{}\n\n{}\n{}",
        &readme[..after_start],
        section.trim_end(),
        &readme[end..]
    ))
}

/// The `(METHOD, path)` → id map of operations whose path has no parameter.
pub fn routes_of<'a>(ops: impl Iterator<Item = &'a Operation>) -> Routes {
    ops.filter(|o| !o.path.contains('{'))
        .map(|o| ((o.method.clone(), o.path.clone()), o.id.clone()))
        .collect()
}

fn read_spec(root: &Path, name: &str) -> Result<Vec<Operation>> {
    let path = root.join("openapi").join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| XtaskError::io(&path, e))?;
    let spec: serde_json::Value = serde_json::from_str(&text).map_err(|e| XtaskError::BadSpec {
        source_name: path.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(operations(&spec))
}

/// Computes the table from the workspace; returns the section and counts.
pub fn compute(root: &Path) -> Result<(String, Counts)> {
    let web = read_spec(root, "web.json")?;
    let gateway = read_spec(root, "gateway.json")?;
    let ids: BTreeSet<String> = web.iter().chain(&gateway).map(|o| o.id.clone()).collect();
    let routes = routes_of(web.iter().chain(&gateway));
    let mut files = Vec::new();
    rust_files(&root.join("crates/ibkr-client/src"), &mut files)?;
    let mut calls: BTreeMap<String, BTreeSet<Call>> = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).map_err(|e| XtaskError::io(&file, e))?;
        for (id, found) in scan_source(&source, &ids, &routes) {
            calls.entry(id).or_default().extend(found);
        }
    }
    let rows = rows(&web, &gateway, &calls);
    Ok((render(&rows), counts(&rows)))
}

/// Runs the command: prints the table and writes it into README.md, or with
/// `check` only compares. Returns whether the README is stale (check mode) .
pub fn run(root: &Path, check: bool) -> Result<bool> {
    let (section, c) = compute(root)?;
    let readme_path = root.join("README.md");
    let readme =
        std::fs::read_to_string(&readme_path).map_err(|e| XtaskError::io(&readme_path, e))?;
    let updated = splice(&readme, &section).ok_or_else(|| {
        XtaskError::InvalidArgument(format!("README.md lacks the markers {START} and {END}"))
    })?;
    let summary = format!(
        "coverage: web {}/{}, gateway {}/{}, shared {}/{}",
        c.web_covered,
        c.web_total,
        c.gateway_covered,
        c.gateway_total,
        c.shared_covered,
        c.shared_total
    );
    if check {
        if updated != readme {
            eprintln!("{summary}");
            eprintln!("error: README.md's coverage table is stale; run `cargo xtask coverage`");
            return Ok(true);
        }
        eprintln!("{summary}; README.md is up to date");
        return Ok(false);
    }
    print!("{section}");
    if updated != readme {
        std::fs::write(&readme_path, &updated).map_err(|e| XtaskError::io(&readme_path, e))?;
        eprintln!("{summary}; README.md updated");
    } else {
        eprintln!("{summary}; README.md already up to date");
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_WEB: &str = r#"{"paths": {
        "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
        "/tickle": {"post": {"operationId": "tickle_post"}, "parameters": []},
        "/iserver/watchlists": {"get": {"operationId": "iserver_watchlists_get"}},
        "/iserver/auth/status": {"post": {"operationId": "iserver_auth_status_post"}}
    }}"#;
    const SPEC_GW: &str = r#"{"paths": {
        "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
        "/tickle": {"post": {"operationId": "tickle_post"}},
        "/pa/summary": {"post": {"operationId": "pa_summary_post"}},
        "/iserver/auth/status": {"post": {"operationId": "iserver_auth_status_post"}}
    }}"#;
    const FACADE: &str = r#"
//! Docs mentioning .tickle_post( in a comment do not count.
use crate::client::Backend;

impl<'a> Accounts<'a> {
    /// Lists accounts.
    pub async fn list(&self) -> Result<Vec<String>> {
        self.client.call(OP, api.iserver_accounts_get()).await
    }
}

impl Session<'_> {
    pub async fn tickle(&self) -> Result<Tickle> {
        match self.client.backend() {
            Backend::Web { api, .. } => self.client.call(OP, api.tickle_post()).await,
            Backend::Gateway(_) => self.client.raw(OP, "/tickle").await,
        }
    }

    pub async fn auth_status(&self) -> Result<AuthStatus> {
        match self.client.backend() {
            Backend::Web { api, .. } => {
                api.iserver_auth_status_post()
            }
            Backend::Gateway(api) => {
                api.iserver_auth_status_post()
            }
        }
    }
}

fn helper() { let _ = x.pa_summary_post(); let _ = y.not_an_operation(); }

impl Pnl<'_> {
    pub async fn partitioned(&self) -> Result<Vec<AccountPnl>> {
        self.client
            .raw(OP, reqwest::Method::GET, "/iserver/watchlists", None)
            .await
    }
}
"#;

    fn fixture() -> Vec<Row> {
        let web = operations(&serde_json::from_str(SPEC_WEB).unwrap());
        let gw = operations(&serde_json::from_str(SPEC_GW).unwrap());
        let ids: BTreeSet<String> = web.iter().chain(&gw).map(|o| o.id.clone()).collect();
        let routes = routes_of(web.iter().chain(&gw));
        let calls = scan_source(FACADE, &ids, &routes);
        rows(&web, &gw, &calls)
    }

    #[test]
    fn helpers_parse_items() {
        assert_eq!(
            fn_name("    pub async fn list(&self)").as_deref(),
            Some("list")
        );
        assert_eq!(fn_name("pub(crate) fn x<T>()").as_deref(), Some("x"));
        assert_eq!(fn_name("    let f = 1;"), None);
        assert_eq!(
            impl_type("impl<'a> Accounts<'a> {").as_deref(),
            Some("Accounts")
        );
        assert_eq!(
            impl_type("impl From<a::B> for crate::x::Tickle {").as_deref(),
            Some("Tickle")
        );
        assert_eq!(impl_type("implement"), None);
    }

    #[test]
    fn scanner_finds_calls_and_arms() {
        let ids: BTreeSet<String> = ["tickle_post", "iserver_accounts_get", "pa_summary_post"]
            .into_iter()
            .map(String::from)
            .collect();
        let calls = scan_source(FACADE, &ids, &Routes::new());
        assert_eq!(calls.len(), 3);
        let tickle: Vec<_> = calls["tickle_post"].iter().collect();
        assert_eq!(
            tickle,
            [&Call {
                facade: "Session::tickle".into(),
                side: Some(Side::Web)
            }]
        );
        let accounts: Vec<_> = calls["iserver_accounts_get"].iter().collect();
        assert_eq!(accounts[0].facade, "Accounts::list");
        assert_eq!(accounts[0].side, None);
        assert_eq!(
            calls["pa_summary_post"].iter().next().unwrap().facade,
            "helper"
        );
    }

    #[test]
    fn rows_and_counts() {
        let rows = fixture();
        assert_eq!(rows.len(), 5);
        let tickle = rows.iter().find(|r| r.id == "tickle_post").unwrap();
        assert!(tickle.covered_web() && !tickle.covered_gateway());
        let c = counts(&rows);
        let watch = rows
            .iter()
            .find(|r| r.id == "iserver_watchlists_get")
            .unwrap();
        assert_eq!(
            watch.web_facade.iter().collect::<Vec<_>>(),
            ["Pnl::partitioned"],
            "a raw request with a literal path counts"
        );
        assert_eq!(
            c,
            Counts {
                web_covered: 4,
                web_total: 4,
                gateway_covered: 3,
                gateway_total: 4,
                shared_covered: 2,
                shared_total: 3,
            }
        );
        let table = render(&rows);
        assert!(table.contains("- Web API: 4 / 4 operations"));
        assert!(table.contains(
            "| `iserver_watchlists_get` | `GET /iserver/watchlists` | ✔ | – | `Pnl::partitioned` |"
        ));
        assert!(table.contains("| `tickle_post` | `POST /tickle` | ✔ | ○ | web: `Session::tickle`; gateway: escape hatch |"));
        assert!(table.contains(
            "| `iserver_accounts_get` | `GET /iserver/accounts` | ✔ | ✔ | `Accounts::list` |"
        ));
    }

    #[test]
    fn splice_replaces_between_markers() {
        let readme = format!("# T\n\n{START}\nold\n{END}\n\nafter\n");
        let out = splice(&readme, "new table\n").unwrap();
        assert_eq!(
            out,
            format!("# T\n\n{START}\n\nnew table\n{END}\n\nafter\n")
        );
        assert_eq!(splice(&out, "new table\n").unwrap(), out, "idempotent");
        assert_eq!(splice("no markers", "x"), None);
    }
}
