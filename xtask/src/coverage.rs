//! `cargo xtask coverage [--check]`: which operations of the vendored specs
//! the facade sends, as a Markdown table kept in README.md.
//!
//! Read from the facade's operation table (`crates/ibkr-ops`): each
//! operation's route on a variant binds to the spec operation with the same
//! method and template up to placeholder names (as `cargo xtask ops` shows).
//! A spec operation no facade operation binds to is either declared in
//! `ibkr_ops::ESCAPE_HATCH` (left to the generated clients on purpose, with
//! the reason the table writes) or **missing**. Each row says who the
//! operation is for (`Operation::audience`: everyone, advisors, brokers).
//! A route marked undocumented is shown in the row of the same endpoint
//! (from the other variant's spec, or a row of its own) with a footnote; a
//! documented route its spec lacks is listed after the totals (`cargo xtask
//! ops --check` fails on it).
//!
//! `--check` fails (exit 1) when README.md's section is stale or when a
//! vendored spec has a missing operation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ibkr_ops::{Audience, Escape, Operation, Route};

use crate::error::{Result, XtaskError};
use crate::facade_ops::{self, Spec};
use crate::openapi;
use crate::variant::{self, Variant};
use crate::write_or_check::write_or_check;

/// Start marker of the generated section in README.md.
pub const START: &str = "<!-- coverage:start -->";
/// End marker of the generated section in README.md.
pub const END: &str = "<!-- coverage:end -->";

/// One variant's column of a row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Whether the variant's spec has the operation.
    pub in_spec: bool,
    /// The facade operations sending it on this variant.
    pub facade: BTreeSet<&'static str>,
    /// Whether they send it although the variant's spec does not list it.
    pub undocumented: bool,
    /// The declared escape-hatch entry covering it on this variant, if
    /// any.
    pub escape: Option<&'static Escape>,
}

/// Where a spec operation stands on one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A facade method sends it.
    Facade,
    /// Left to the generated client, with a declared reason.
    EscapeHatch,
    /// In the spec, neither sent by the facade nor declared.
    Missing,
    /// Sent by the facade, not in the spec.
    Undocumented,
    /// Not in the spec, not sent.
    Absent,
}

impl Cell {
    /// Where the operation stands on this variant.
    pub fn status(&self) -> Status {
        match (self.in_spec, !self.facade.is_empty(), self.escape.is_some()) {
            (true, true, _) => Status::Facade,
            (true, false, true) => Status::EscapeHatch,
            (true, false, false) => Status::Missing,
            (false, true, _) => Status::Undocumented,
            (false, false, _) => Status::Absent,
        }
    }
}

/// One row of the table: one spec operation (or one undocumented endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The operation id; `None` for an endpoint no spec lists.
    pub id: Option<String>,
    /// `METHOD /path` (the Web API's spelling when both specs have it).
    pub endpoint: String,
    /// The Web API's column.
    pub web: Cell,
    /// The Gateway's column.
    pub gateway: Cell,
    /// Who the facade operations sending it are for.
    pub audience: BTreeSet<Audience>,
}

impl Row {
    fn cell(&self, variant: Variant) -> &Cell {
        match variant {
            Variant::Web => &self.web,
            Variant::Gateway => &self.gateway,
        }
    }

    fn cell_mut(&mut self, variant: Variant) -> &mut Cell {
        match variant {
            Variant::Web => &mut self.web,
            Variant::Gateway => &mut self.gateway,
        }
    }
}

/// A documented route of the facade's table that its variant's spec lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlisted {
    /// The facade operation.
    pub operation: &'static str,
    /// The variant.
    pub variant: Variant,
    /// `METHOD /path` as the table writes it.
    pub endpoint: String,
}

/// The table: rows, sorted by path then method, the facade routes their
/// spec lacks, and the escape-hatch entries that match no spec operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// One per spec operation, plus undocumented endpoints.
    pub rows: Vec<Row>,
    /// Documented facade routes their spec lacks.
    pub unlisted: Vec<Unlisted>,
    /// Declared escape-hatch entries no spec operation of their variants
    /// matches (stale declarations).
    pub unused_escapes: Vec<&'static Escape>,
}

/// Totals of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Spec operations a facade operation sends.
    pub facade: usize,
    /// Spec operations declared as left to the escape hatch, with a reason.
    pub escape_hatch: usize,
    /// Spec operations neither sent by the facade nor declared.
    pub missing: usize,
    /// Endpoints the facade sends that the spec does not list.
    pub undocumented: usize,
    /// Documented facade routes the spec lacks.
    pub unlisted: usize,
}

impl Coverage {
    /// Totals of one variant.
    pub fn totals(&self, variant: Variant) -> Totals {
        let mut t = Totals::default();
        for cell in self.rows.iter().map(|r| r.cell(variant)) {
            match cell.status() {
                Status::Facade => t.facade += 1,
                Status::EscapeHatch => t.escape_hatch += 1,
                Status::Missing => t.missing += 1,
                Status::Undocumented => t.undocumented += 1,
                Status::Absent => {}
            }
        }
        t.unlisted = self
            .unlisted
            .iter()
            .filter(|m| m.variant == variant)
            .count();
        t
    }

    /// The rows missing on `variant`.
    pub fn missing(&self, variant: Variant) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(move |r| r.cell(variant).status() == Status::Missing)
    }

    /// Why `--check` fails on the coverage itself (one line per variant
    /// with missing operations); empty when it does not.
    pub fn failures(&self) -> Vec<String> {
        Variant::ALL
            .into_iter()
            .filter_map(|variant| {
                let ids: Vec<String> = self
                    .missing(variant)
                    .map(|r| r.id.clone().unwrap_or_else(|| r.endpoint.clone()))
                    .collect();
                (!ids.is_empty()).then(|| {
                    format!(
                        "{} operation(s) of openapi/{}.json neither sent by the facade nor declared in ibkr_ops::ESCAPE_HATCH: {}",
                        ids.len(),
                        variant.name(),
                        ids.join(", ")
                    )
                })
            })
            .collect()
    }
}

fn endpoint(route: &Route) -> String {
    format!("{} {}", route.method.as_str(), route.path)
}

/// Binds `ops` and the declared `escapes` to the specs.
pub fn compute<'o>(
    ops: impl IntoIterator<Item = &'o Operation>,
    escapes: &'static [Escape],
    specs: &[Spec<'_>],
) -> Coverage {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    // Rows are keyed by operation id; an endpoint no spec lists by `METHOD path`.
    let mut by_endpoint: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    let mut used = BTreeSet::new();
    for (variant, index) in specs {
        for op in index.operations() {
            let id = op.id().map_or_else(|| op.location(), str::to_string);
            by_endpoint
                .entry((op.method, openapi::template_key(op.path)))
                .or_insert_with(|| id.clone());
            let row = rows.entry(id.clone()).or_insert_with(|| Row {
                id: op.id().map(str::to_string),
                endpoint: op.location(),
                web: Cell::default(),
                gateway: Cell::default(),
                audience: BTreeSet::new(),
            });
            let cell = row.cell_mut(*variant);
            cell.in_spec = true;
            let found = escapes
                .iter()
                .enumerate()
                .find(|(_, e)| e.covers(variant.name(), op.method, op.path));
            if let Some((i, escape)) = found {
                used.insert(i);
                cell.escape = Some(escape);
            }
        }
    }
    let mut unlisted = Vec::new();
    for op in ops {
        for (variant, index) in specs {
            let Some(route) = op.route(variant.name()) else {
                continue;
            };
            let key = match index.find(&route) {
                Some(found) => found.id().map_or_else(|| found.location(), str::to_string),
                None if route.documented => {
                    unlisted.push(Unlisted {
                        operation: op.name,
                        variant: *variant,
                        endpoint: endpoint(&route),
                    });
                    continue;
                }
                None => by_endpoint
                    .get(&(
                        route.method.openapi_key(),
                        openapi::template_key(route.path),
                    ))
                    .cloned()
                    .unwrap_or_else(|| endpoint(&route)),
            };
            let row = rows.entry(key).or_insert_with(|| Row {
                id: None,
                endpoint: endpoint(&route),
                web: Cell::default(),
                gateway: Cell::default(),
                audience: BTreeSet::new(),
            });
            row.audience.insert(op.audience);
            let cell = row.cell_mut(*variant);
            cell.facade.insert(op.name);
            cell.undocumented |= !cell.in_spec;
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_by_cached_key(|r| {
        let (method, path) = r.endpoint.split_once(' ').unwrap_or(("", &r.endpoint));
        (path.to_ascii_lowercase(), method.to_string(), r.id.clone())
    });
    let unused_escapes = escapes
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, e)| e)
        .collect();
    Coverage {
        rows,
        unlisted,
        unused_escapes,
    }
}

fn mark(cell: &Cell) -> &'static str {
    match cell.status() {
        Status::Facade => "✔",
        Status::EscapeHatch => "○",
        Status::Missing => "✗",
        Status::Undocumented => "✔¹",
        Status::Absent => "–",
    }
}

/// What a cell says in the last columns: the facade methods, the escape
/// hatch's reason, or that it is missing.
fn what(cell: &Cell) -> String {
    if !cell.facade.is_empty() {
        return cell
            .facade
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
    }
    match cell.escape {
        Some(e) => format!("escape hatch: {}", e.reason),
        None => "**missing**".into(),
    }
}

fn facade_cell(r: &Row) -> String {
    let shown = |c: &Cell| c.status() != Status::Absent;
    match (shown(&r.web), shown(&r.gateway)) {
        (true, true) if what(&r.web) != what(&r.gateway) => {
            format!("web: {}; gateway: {}", what(&r.web), what(&r.gateway))
        }
        (false, true) => what(&r.gateway),
        _ => what(&r.web),
    }
}

fn audience_cell(r: &Row) -> String {
    if r.audience.is_empty() {
        return "—".into();
    }
    r.audience
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders the Markdown section (without the markers).
pub fn render(coverage: &Coverage) -> String {
    let mut out = String::from(
        "Facade coverage of the vendored specs (generated by `cargo xtask coverage` from the \
         facade's operation table, `crates/ibkr-ops`): ✔ a facade method sends it, ○ in the \
         spec and left to the generated client (escape hatch) for the reason given \
         (`ibkr_ops::ESCAPE_HATCH`), ✗ missing: in the spec but neither sent by the facade nor \
         declared, – not in that variant's spec, ✔¹ not in that variant's spec but sent by the \
         facade. \"For\" is who the facade method is for (`Operation::audience`).\n\n",
    );
    out.push_str("| operation | method + path | web | gateway | facade method | for |\n");
    out.push_str("|---|---|:-:|:-:|---|---|\n");
    for r in &coverage.rows {
        let id =
            r.id.as_deref()
                .map_or("—".to_string(), |id| format!("`{id}`"));
        out.push_str(&format!(
            "| {id} | `{}` | {} | {} | {} | {} |\n",
            r.endpoint,
            mark(&r.web),
            mark(&r.gateway),
            facade_cell(r),
            audience_cell(r)
        ));
    }
    let undocumented: Vec<String> = coverage
        .rows
        .iter()
        .flat_map(|r| {
            [(Variant::Web, &r.web), (Variant::Gateway, &r.gateway)]
                .into_iter()
                .filter(|(_, c)| c.undocumented)
                .map(move |(v, _)| format!("`{}` on the {}", r.endpoint, label(v)))
        })
        .collect();
    if !undocumented.is_empty() {
        out.push_str(&format!(
            "\n¹ Undocumented: the facade sends {}, which that spec does not list \
             (the endpoint is served all the same).\n",
            undocumented.join(", ")
        ));
    }
    out.push_str("\nTotals (facade / escape hatch with reason / missing):\n\n");
    for variant in Variant::ALL {
        let t = coverage.totals(variant);
        let mut line = format!(
            "- {}: {} facade / {} escape hatch / {} missing",
            label(variant),
            t.facade,
            t.escape_hatch,
            t.missing
        );
        if t.undocumented > 0 {
            line.push_str(&format!(", plus {} undocumented¹", t.undocumented));
        }
        out.push_str(&line);
        out.push('\n');
    }
    for variant in Variant::ALL {
        for r in coverage.missing(variant) {
            out.push_str(&format!(
                "- missing on the {}: {} (`{}`)\n",
                label(variant),
                r.id.as_deref().map_or("—".into(), |id| format!("`{id}`")),
                r.endpoint
            ));
        }
    }
    for m in &coverage.unlisted {
        out.push_str(&format!(
            "- in the facade's table but not in the {} spec: `{}` (`{}`)\n",
            label(m.variant),
            m.operation,
            m.endpoint
        ));
    }
    for e in &coverage.unused_escapes {
        let method = e.method.map_or("any method", |m| m.as_str());
        out.push_str(&format!(
            "- declared escape hatch matching no spec operation: {method} `{}` ({})\n",
            e.path,
            e.variants.join(", ")
        ));
    }
    out
}

fn label(variant: Variant) -> &'static str {
    match variant {
        Variant::Web => "Web API",
        Variant::Gateway => "Gateway",
    }
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

/// Runs the command: prints the table and writes it into README.md, or with
/// `check` only compares. Returns whether the check fails: README.md's
/// section is stale, or a vendored spec has missing operations.
pub fn run(root: &Path, check: bool) -> Result<bool> {
    let specs = variant::load_specs(root)?;
    let indexes = facade_ops::index_all(&facade_ops::docs(&specs));
    let coverage = compute(ibkr_ops::all(), ibkr_ops::ESCAPE_HATCH, &indexes);
    let section = render(&coverage);
    let readme_path = root.join("README.md");
    let readme =
        std::fs::read_to_string(&readme_path).map_err(|e| XtaskError::io(&readme_path, e))?;
    let updated = splice(&readme, &section).ok_or_else(|| {
        XtaskError::InvalidArgument(format!("README.md lacks the markers {START} and {END}"))
    })?;
    let summary: Vec<String> = Variant::ALL
        .iter()
        .map(|v| {
            let t = coverage.totals(*v);
            format!(
                "{v} {} facade / {} escape hatch / {} missing",
                t.facade, t.escape_hatch, t.missing
            )
        })
        .collect();
    let summary = format!("coverage: {}", summary.join("; "));
    if !check {
        print!("{section}");
    }
    let outcome = write_or_check(root, &[("README.md", &updated)], check)?;
    let failures = coverage.failures();
    let stale = check && !outcome.is_current();
    if stale {
        print!("{}", outcome.diff);
    }
    let state = match (check, outcome.is_current()) {
        (true, true) => "README.md is up to date",
        (true, false) => "README.md is stale",
        (false, true) => "README.md already up to date",
        (false, false) => "README.md updated",
    };
    eprintln!("{summary}; {state}");
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    if stale {
        eprintln!("error: README.md's coverage table is stale; run `cargo xtask coverage`");
    }
    Ok(check && (stale || !failures.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibkr_ops::Method::{Get, Post};
    use serde_json::json;

    /// Declared escapes of the fixture: every `/ccp` path of either
    /// variant, the Web API's `POST /oauth/token`, and one that no spec
    /// has.
    static ESCAPES: &[Escape] = &[
        Escape {
            method: None,
            path: "/ccp/*",
            variants: &["web", "gateway"],
            reason: "deprecated CCP",
        },
        Escape {
            method: Some(Post),
            path: "/oauth/token",
            variants: &["web"],
            reason: "the provider sends it",
        },
        Escape {
            method: Some(Get),
            path: "/gone/{id}",
            variants: &["gateway"],
            reason: "no longer anywhere",
        },
    ];

    fn fixture() -> Coverage {
        let web = json!({"paths": {
            "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
            "/tickle": {"post": {"operationId": "tickle_post"}},
            "/iserver/watchlists": {"get": {"operationId": "iserver_watchlists_get"}},
            "/iserver/auth/ssodh/init": {"post": {"operationId": "iserver_auth_ssodh_init_post"}},
            "/portfolio/{accountId}/meta": {"get": {"operationId": "portfolio_account_id_meta_get"}},
            "/oauth/token": {"post": {"operationId": "oauth_token_post"}},
            "/gw/api/v1/accounts": {"get": {"operationId": "gw_accounts_get"}}
        }});
        let gateway = json!({"paths": {
            "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
            "/tickle": {"post": {"operationId": "tickle_post"}},
            "/pa/summary": {"post": {"operationId": "pa_summary_post"}},
            "/portfolio/{acctId}/meta": {"get": {"operationId": "portfolio_acct_id_meta_get"}},
            "/ccp/order": {"post": {"operationId": "ccp_order_post"}, "delete": {"operationId": "ccp_order_delete"}},
            "/oauth/token": {"post": {"operationId": "oauth_token_post"}}
        }});
        let ops = [
            Operation::read("Accounts::list").both(Get, "/iserver/accounts"),
            Operation::read("Session::tickle").web(Post, "/tickle"),
            Operation::write("Session::init")
                .web(Post, "/iserver/auth/ssodh/init")
                .gateway_undocumented(Post, "/iserver/auth/ssodh/init"),
            Operation::write("Session::hidden").gateway_undocumented(Post, "/hidden"),
            Operation::read("Accounts::meta").both(Get, "/portfolio/{accountId}/meta"),
            Operation::read("Session::gone").gateway(Get, "/gone"),
            Operation::read("Brokers::accounts")
                .web(Get, "/gw/api/v1/accounts")
                .audience(Audience::Brokers),
        ];
        let specs = facade_ops::index_all(&[(Variant::Web, &web), (Variant::Gateway, &gateway)]);
        compute(&ops, ESCAPES, &specs)
    }

    fn row<'c>(c: &'c Coverage, id: &str) -> &'c Row {
        c.rows.iter().find(|r| r.id.as_deref() == Some(id)).unwrap()
    }

    #[test]
    fn rows_bind_the_table_and_the_escapes_to_both_specs() {
        let c = fixture();
        let accounts = row(&c, "iserver_accounts_get");
        assert_eq!(accounts.web.facade, BTreeSet::from(["Accounts::list"]));
        assert_eq!(accounts.gateway.facade, accounts.web.facade);
        assert_eq!(accounts.audience, BTreeSet::from([Audience::Everyone]));
        let tickle = row(&c, "tickle_post");
        assert_eq!(tickle.web.status(), Status::Facade);
        assert_eq!(tickle.gateway.status(), Status::Missing);
        // A placeholder spelled differently on the Gateway still binds.
        let meta_gw = row(&c, "portfolio_acct_id_meta_get");
        assert_eq!(meta_gw.gateway.facade, BTreeSet::from(["Accounts::meta"]));
        assert!(!meta_gw.web.in_spec);
        // An undocumented Gateway route joins the Web API's row.
        let init = row(&c, "iserver_auth_ssodh_init_post");
        assert_eq!(init.gateway.status(), Status::Undocumented);
        assert_eq!(init.web.status(), Status::Facade);
        // One no spec has gets its own row.
        let hidden = c.rows.iter().find(|r| r.id.is_none()).unwrap();
        assert_eq!(hidden.endpoint, "POST /hidden");
        // Escapes: by prefix and any method, by method and variant.
        for id in ["ccp_order_post", "ccp_order_delete"] {
            let ccp = row(&c, id);
            assert_eq!(ccp.gateway.status(), Status::EscapeHatch, "{id}");
            assert_eq!(ccp.gateway.escape.unwrap().reason, "deprecated CCP");
        }
        let oauth = row(&c, "oauth_token_post");
        assert_eq!(oauth.web.status(), Status::EscapeHatch);
        assert_eq!(
            oauth.gateway.status(),
            Status::Missing,
            "declared for the Web API only"
        );
        assert_eq!(
            row(&c, "gw_accounts_get").audience,
            BTreeSet::from([Audience::Brokers])
        );
        assert_eq!(
            c.unlisted,
            [Unlisted {
                operation: "Session::gone",
                variant: Variant::Gateway,
                endpoint: "GET /gone".into()
            }]
        );
        assert_eq!(c.unused_escapes, [&ESCAPES[2]]);
    }

    #[test]
    fn totals_count_facade_escape_hatch_and_missing() {
        let c = fixture();
        assert_eq!(
            c.totals(Variant::Web),
            Totals {
                facade: 5,
                escape_hatch: 1,
                missing: 1,
                undocumented: 0,
                unlisted: 0
            }
        );
        assert_eq!(
            c.totals(Variant::Gateway),
            Totals {
                facade: 2,
                escape_hatch: 2,
                missing: 3,
                undocumented: 2,
                unlisted: 1
            }
        );
        let web_missing: Vec<_> = c
            .missing(Variant::Web)
            .map(|r| r.endpoint.as_str())
            .collect();
        assert_eq!(web_missing, ["GET /iserver/watchlists"]);
        assert_eq!(
            c.failures(),
            [
                "1 operation(s) of openapi/web.json neither sent by the facade nor declared in ibkr_ops::ESCAPE_HATCH: iserver_watchlists_get",
                "3 operation(s) of openapi/gateway.json neither sent by the facade nor declared in ibkr_ops::ESCAPE_HATCH: oauth_token_post, pa_summary_post, tickle_post",
            ]
        );
    }

    #[test]
    fn nothing_missing_means_no_failure() {
        let web = json!({"paths": {
            "/a": {"get": {"operationId": "a_get"}},
            "/ccp/x": {"get": {"operationId": "ccp_x_get"}}
        }});
        let ops = [Operation::read("A::a").web(Get, "/a")];
        let specs = facade_ops::index_all(&[(Variant::Web, &web)]);
        let c = compute(&ops, ESCAPES, &specs);
        assert_eq!(c.totals(Variant::Web).missing, 0);
        assert_eq!(c.totals(Variant::Web).escape_hatch, 1);
        assert!(c.failures().is_empty());
    }

    #[test]
    fn render_marks_rows_reasons_audiences_and_ends_with_totals() {
        let table = render(&fixture());
        for line in [
            "| operation | method + path | web | gateway | facade method | for |",
            "| `iserver_accounts_get` | `GET /iserver/accounts` | ✔ | ✔ | `Accounts::list` | everyone |",
            "| `tickle_post` | `POST /tickle` | ✔ | ✗ | web: `Session::tickle`; gateway: **missing** | everyone |",
            "| `iserver_watchlists_get` | `GET /iserver/watchlists` | ✗ | – | **missing** | — |",
            "| `iserver_auth_ssodh_init_post` | `POST /iserver/auth/ssodh/init` | ✔ | ✔¹ | `Session::init` | everyone |",
            "| — | `POST /hidden` | – | ✔¹ | `Session::hidden` | everyone |",
            "| `ccp_order_post` | `POST /ccp/order` | – | ○ | escape hatch: deprecated CCP | — |",
            "| `oauth_token_post` | `POST /oauth/token` | ○ | ✗ | web: escape hatch: the provider sends it; gateway: **missing** | — |",
            "| `gw_accounts_get` | `GET /gw/api/v1/accounts` | ✔ | – | `Brokers::accounts` | brokers |",
        ] {
            assert!(table.contains(line), "{line}\n{table}");
        }
        assert!(
            table.contains("¹ Undocumented: the facade sends `POST /hidden` on the Gateway, `POST /iserver/auth/ssodh/init` on the Gateway"),
            "{table}"
        );
        assert!(
            table.ends_with(
                "Totals (facade / escape hatch with reason / missing):\n\n\
                 - Web API: 5 facade / 1 escape hatch / 1 missing\n\
                 - Gateway: 2 facade / 2 escape hatch / 3 missing, plus 2 undocumented¹\n\
                 - missing on the Web API: `iserver_watchlists_get` (`GET /iserver/watchlists`)\n\
                 - missing on the Gateway: `oauth_token_post` (`POST /oauth/token`)\n\
                 - missing on the Gateway: `pa_summary_post` (`POST /pa/summary`)\n\
                 - missing on the Gateway: `tickle_post` (`POST /tickle`)\n\
                 - in the facade's table but not in the Gateway spec: `Session::gone` (`GET /gone`)\n\
                 - declared escape hatch matching no spec operation: GET `/gone/{id}` (gateway)\n"
            ),
            "{table}"
        );
    }

    #[test]
    fn every_declared_escape_matches_a_vendored_operation_the_facade_does_not_send() {
        // Every declared entry matches an operation of a vendored spec.
        let root = crate::variant::workspace_root();
        let specs = variant::load_specs(&root).unwrap();
        let indexes = facade_ops::index_all(&facade_ops::docs(&specs));
        let c = compute(ibkr_ops::all(), ibkr_ops::ESCAPE_HATCH, &indexes);
        assert!(c.unused_escapes.is_empty(), "{:?}", c.unused_escapes);
        // The escape hatch never covers what the facade sends.
        for r in &c.rows {
            for cell in [&r.web, &r.gateway] {
                assert!(
                    cell.facade.is_empty() || cell.escape.is_none(),
                    "{} is sent by the facade and declared as escape hatch",
                    r.endpoint
                );
            }
        }
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
