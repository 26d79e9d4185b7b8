//! `cargo xtask coverage`: which operations of the vendored specs the facade
//! (`crates/ibkr-client`) calls, as a Markdown table kept in README.md.
//!
//! Every operation's generated method is named after its operation id
//! (`iserver_accounts_get`). The scanner reads `crates/ibkr-client/src/**/*.rs`
//! line by line and records each `.<operation_id>(` call together with the
//! enclosing `impl` type and `fn` (the facade method, e.g.
//! `Session::auth_status`). A call inside a `Backend::Web` arm counts for the
//! Web API only, one inside a `Backend::Gateway` arm for the Gateway only,
//! and one outside any arm for both.
//!
//! Requests the facade sends itself (where a spec is wrong, e.g.
//! `raw(OP, Method::GET, "/iserver/account/pnl/partitioned", None)`) count
//! too: a string literal naming a spec path, with the HTTP method named as
//! `Method::X` earlier in the same fn. In the literal, a `{…}` segment (a
//! `format!` argument) stands for any path parameter and a query string is
//! ignored, so `format!("/iserver/account/{account_id}/orders?x={y}")` is
//! `POST /iserver/account/{accountId}/orders` after a `Method::POST`. When
//! the literal is an argument of a call of a fn of the same file that names
//! `Method::X` itself (a helper such as `symbols_raw(OP, "/trsrv/stocks",
//! ..)`), that fn's method counts instead.
//!
//! Comments and `#[cfg(test)]` items are skipped. Operations the facade
//! does not call are reachable through the generated clients ("escape
//! hatch").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};
use crate::write_or_check::write_or_check;

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
    crate::openapi::operations(spec)
        .into_iter()
        .filter_map(|o| {
            Some(Operation {
                id: o.id()?.to_string(),
                method: o.method.to_ascii_uppercase(),
                path: o.path.to_string(),
            })
        })
        .collect()
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

/// Operation ids by `(METHOD, path pattern)` (see [`path_pattern`]), for
/// requests the facade sends itself. A pattern may stand for several
/// operations (`/iserver/account/alert/{alertId}` on the Web API and
/// `/iserver/account/alert/{id}` on the Gateway).
pub type Routes = BTreeMap<(String, String), BTreeSet<String>>;

/// A path with each `{…}` segment written `{}` and without its query
/// string: `/iserver/account/{account_id}/orders?x={y}` and
/// `/iserver/account/{accountId}/orders` are both
/// `/iserver/account/{}/orders`.
pub fn path_pattern(path: &str) -> String {
    crate::openapi::template_key(path.split_once('?').map_or(path, |(p, _)| p))
}

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

/// Whether `line` calls the fn `name` (`name(`, `.name(`, `name::<T>(`).
fn calls(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = &line[at + name.len()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && (after.starts_with('(') || after.starts_with("::<"))
    })
}

/// Lines of `source` that count: comments and `#[cfg(test)]` items (up to
/// the end of the item: its `;` line, or the next `}` at column 0) are
/// left out.
fn live_lines(source: &str) -> impl Iterator<Item = &str> {
    let mut in_test = false;
    let mut item_started = false;
    source.lines().filter(move |line| {
        if in_test {
            if !item_started && !line.trim().is_empty() && !line.starts_with("#[") {
                item_started = true;
                if line.trim_end().ends_with(';') {
                    in_test = false;
                }
            } else if item_started && *line == "}" {
                in_test = false;
            }
            return false;
        }
        if line.starts_with("#[cfg(test)]") {
            in_test = true;
            item_started = false;
            return false;
        }
        !line.trim_start().starts_with("//")
    })
}

/// For each line, the HTTP method its fn names: the last `Method::X` at or
/// before the line, else the first after it; and the fns that name one
/// (helpers), with the first named.
fn methods(lines: &[&str]) -> (Vec<Option<String>>, BTreeMap<String, String>) {
    let mut fns = vec![None; lines.len()];
    let mut current = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(name) = fn_name(line) {
            current = Some((i, name));
        }
        fns[i] = current.clone();
    }
    let mut before = vec![None; lines.len()];
    let mut last: Option<String> = None;
    for i in 0..lines.len() {
        if i == 0 || fns[i] != fns[i - 1] {
            last = None;
        }
        last = method_on(lines[i]).or(last);
        before[i] = last.clone();
    }
    let mut out = before.clone();
    let mut next: Option<String> = None;
    for i in (0..lines.len()).rev() {
        if i + 1 == lines.len() || fns[i] != fns[i + 1] {
            next = None;
        }
        next = method_on(lines[i]).or(next);
        if out[i].is_none() {
            out[i] = next.clone();
        }
    }
    let mut helpers = BTreeMap::new();
    for (i, f) in fns.iter().enumerate() {
        if let (Some((_, name)), Some(m)) = (f, method_on(lines[i])) {
            helpers.entry(name.clone()).or_insert(m);
        }
    }
    (out, helpers)
}

/// Finds calls of the given operation ids in one Rust source: calls of the
/// generated method (`.iserver_accounts_get(`), and requests the facade
/// sends itself (see the module documentation).
pub fn scan_source(
    source: &str,
    ids: &BTreeSet<String>,
    routes: &Routes,
) -> BTreeMap<String, BTreeSet<Call>> {
    let lines: Vec<&str> = live_lines(source).collect();
    let (line_methods, helpers) = methods(&lines);
    let mut found: BTreeMap<String, BTreeSet<Call>> = BTreeMap::new();
    let mut current_impl: Option<String> = None;
    let mut current_fn: Option<String> = None;
    let mut side: Option<Side> = None;
    for (line, method) in lines.iter().copied().zip(&line_methods) {
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
        }
        let facade = || match (&current_impl, &current_fn) {
            (Some(t), Some(f)) => format!("{t}::{f}"),
            (None, Some(f)) => f.clone(),
            (Some(t), None) => t.clone(),
            (None, None) => "?".to_string(),
        };
        if line.contains("Backend::Web") {
            side = Some(Side::Web);
        } else if line.contains("Backend::Gateway") {
            side = Some(Side::Gateway);
        }
        let helper_method = helpers
            .iter()
            .find(|(name, _)| current_fn.as_ref() != Some(*name) && calls(line, name))
            .map(|(_, m)| m);
        if let Some(m) = helper_method.or(method.as_ref()) {
            for path in path_literals(line) {
                let key = (m.clone(), path_pattern(path));
                for id in routes.get(&key).into_iter().flatten() {
                    found.entry(id.clone()).or_default().insert(Call {
                        facade: facade(),
                        side,
                    });
                }
            }
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

/// The `(METHOD, path pattern)` → ids map of the operations.
pub fn routes_of<'a>(ops: impl Iterator<Item = &'a Operation>) -> Routes {
    let mut routes = Routes::new();
    for o in ops {
        routes
            .entry((o.method.clone(), path_pattern(&o.path)))
            .or_default()
            .insert(o.id.clone());
    }
    routes
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
    if !check {
        print!("{section}");
    }
    let outcome = write_or_check(root, &[("README.md", &updated)], check)?;
    if check && !outcome.is_current() {
        print!("{}", outcome.diff);
        eprintln!("{summary}");
        eprintln!("error: README.md's coverage table is stale; run `cargo xtask coverage`");
        return Ok(true);
    }
    let state = match (check, outcome.is_current()) {
        (true, _) => "README.md is up to date",
        (false, true) => "README.md already up to date",
        (false, false) => "README.md updated",
    };
    eprintln!("{summary}; {state}");
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

    const SPEC_ORDERS: &str = r#"{"paths": {
        "/iserver/account/{accountId}/orders": {"post": {"operationId": "place_post"}},
        "/iserver/account/{accountId}/order/{orderId}": {
            "post": {"operationId": "modify_post"},
            "delete": {"operationId": "cancel_delete"}
        },
        "/iserver/marketdata/snapshot": {"get": {"operationId": "snapshot_get"}},
        "/trsrv/stocks": {"get": {"operationId": "stocks_get"}},
        "/trsrv/futures": {"get": {"operationId": "futures_get"}},
        "/iserver/account/alert/{alertId}": {"get": {"operationId": "alert_get"}},
        "/iserver/account/alert/{id}": {"get": {"operationId": "alert_id_get"}}
    }}"#;
    const FACADE_RAW: &str = r#"
impl Orders<'_> {
    pub async fn place(&self, account_id: &str) -> Result<Value> {
        let path = format!("/iserver/account/{account_id}/orders");
        self.client.raw(OP, reqwest::Method::POST, &path, None).await
    }

    pub async fn cancel(&self, account_id: &str, order_id: &str) -> Result<Value> {
        self.client
            .raw(OP, Method::DELETE, &format!("/iserver/account/{}/order/{order_id}", account_id), None)
            .await
    }

    pub async fn not_a_path(&self) -> Result<Value> {
        let _ = Method::POST;
        // "/iserver/account/{accountId}/orders" in a comment does not count.
        let path = format!("/iserver/account/U1/orders");
        self.client.raw(OP, Method::POST, &path, None).await
    }

    pub async fn snapshot(&self, conids: &str) -> Result<Value> {
        match self.client.backend() {
            Backend::Web { .. } => {
                let path = format!("/iserver/marketdata/snapshot?conids={conids}");
                self.client.raw(OP, reqwest::Method::GET, &path, None).await
            }
            Backend::Gateway(api) => todo!(),
        }
    }

    pub async fn alert(&self, id: i64) -> Result<Value> {
        self.client.raw(OP, Method::GET, &format!("/iserver/account/alert/{id}"), None).await
    }
}

impl Contracts<'_> {
    pub async fn stocks(&self, symbols: &str) -> Result<Value> {
        match self.client.backend() {
            Backend::Web { api, .. } => todo!(),
            Backend::Gateway(_) => self.symbols_raw(OP, "/trsrv/stocks", symbols).await,
        }
    }

    pub async fn futures(&self, symbols: &str) -> Result<Value> {
        self.symbols_raw(OP, "/trsrv/futures", symbols).await
    }

    async fn symbols_raw(&self, op: &'static str, path: &str, symbols: &str) -> Result<Value> {
        let path = format!("{path}?symbols={symbols}");
        self.client.raw(op, reqwest::Method::GET, &path, None).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sends() {
        let _ = (Method::DELETE, "/iserver/account/{id}/order/{id}");
        let _ = x.snapshot_get();
    }
}

#[cfg(test)]
use something::Method;

fn after_tests() { let _ = (Method::GET, "/trsrv/futures"); }
"#;

    #[test]
    fn raw_requests_with_templates_and_helpers() {
        assert_eq!(
            path_pattern("/iserver/account/{account_id}/order/{}?a={b}"),
            "/iserver/account/{}/order/{}"
        );
        assert_eq!(
            path_pattern("/iserver/account/{accountId}/order/{orderId}"),
            "/iserver/account/{}/order/{}"
        );
        assert_eq!(path_pattern("/trsrv/stocks"), "/trsrv/stocks");
        assert!(calls("    self.symbols_raw(OP, x)", "symbols_raw"));
        assert!(calls("raw::<Value>(OP)", "raw"));
        assert!(!calls("self.symbols_raw_all(OP)", "symbols_raw"));
        assert!(!calls("fn_raw(OP)", "raw"));

        let ops = operations(&serde_json::from_str(SPEC_ORDERS).unwrap());
        let ids: BTreeSet<String> = ops.iter().map(|o| o.id.clone()).collect();
        let routes = routes_of(ops.iter());
        assert_eq!(
            routes[&("GET".to_string(), "/iserver/account/alert/{}".to_string())].len(),
            2,
            "both spellings of a parameter share a pattern"
        );
        let calls = scan_source(FACADE_RAW, &ids, &routes);
        let by = |id: &str| -> Vec<(String, Option<Side>)> {
            calls
                .get(id)
                .into_iter()
                .flatten()
                .map(|c| (c.facade.clone(), c.side))
                .collect()
        };
        assert_eq!(by("place_post"), [("Orders::place".to_string(), None)]);
        assert_eq!(by("cancel_delete"), [("Orders::cancel".to_string(), None)]);
        assert_eq!(by("modify_post"), [], "the method must match");
        assert_eq!(
            by("snapshot_get"),
            [("Orders::snapshot".to_string(), Some(Side::Web))],
            "the query string is ignored; test code does not count"
        );
        assert_eq!(by("alert_get"), [("Orders::alert".to_string(), None)]);
        assert_eq!(by("alert_id_get"), [("Orders::alert".to_string(), None)]);
        assert_eq!(
            by("stocks_get"),
            [("Contracts::stocks".to_string(), Some(Side::Gateway))],
            "a literal passed to a helper takes the helper's method"
        );
        assert_eq!(
            by("futures_get"),
            [
                ("Contracts::futures".to_string(), None),
                ("after_tests".to_string(), None)
            ],
            "code after a `#[cfg(test)]` module and a `#[cfg(test)]` use counts"
        );
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
