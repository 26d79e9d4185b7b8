//! `cargo xtask coverage [--check]`: which operations of the vendored specs
//! the facade sends, as a Markdown table kept in README.md.
//!
//! Read from the facade's operation table (`crates/ibkr-ops`): each
//! operation's route on a variant binds to the spec operation with the same
//! method and template up to placeholder names (as `cargo xtask ops` shows).
//! A spec operation no facade operation binds to is reached only through
//! the generated client (the "escape hatch"); a documented route that is in
//! no spec is "missing"; a route marked undocumented is shown in the row of
//! the same endpoint (from the other variant's spec, or a row of its own)
//! with a footnote.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ibkr_ops::{Operation, Route};

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

/// A documented route no spec of its variant has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The facade operation.
    pub operation: &'static str,
    /// The variant.
    pub variant: Variant,
    /// `METHOD /path` as the table writes it.
    pub endpoint: String,
}

/// The table: rows, sorted by path then method, and the missing routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// One per spec operation, plus undocumented endpoints.
    pub rows: Vec<Row>,
    /// Documented routes their spec lacks.
    pub missing: Vec<Missing>,
}

/// Totals of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Spec operations a facade operation sends.
    pub facade: usize,
    /// Spec operations only the generated client reaches.
    pub escape_hatch: usize,
    /// Facade operations whose documented route the spec lacks.
    pub missing: usize,
    /// Endpoints the facade sends that the spec does not list.
    pub undocumented: usize,
}

impl Coverage {
    /// Totals of one variant.
    pub fn totals(&self, variant: Variant) -> Totals {
        let mut t = Totals::default();
        for cell in self.rows.iter().map(|r| r.cell(variant)) {
            match (cell.in_spec, cell.facade.is_empty()) {
                (true, false) => t.facade += 1,
                (true, true) => t.escape_hatch += 1,
                (false, false) => t.undocumented += 1,
                (false, true) => {}
            }
        }
        t.missing = self.missing.iter().filter(|m| m.variant == variant).count();
        t
    }
}

fn endpoint(route: &Route) -> String {
    format!("{} {}", route.method.as_str(), route.path)
}

/// Binds `ops` to the specs.
pub fn compute<'o>(ops: impl IntoIterator<Item = &'o Operation>, specs: &[Spec<'_>]) -> Coverage {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    // Rows are keyed by operation id; an endpoint no spec lists by `METHOD path`.
    let mut by_endpoint: BTreeMap<(&'static str, String), String> = BTreeMap::new();
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
            });
            row.cell_mut(*variant).in_spec = true;
        }
    }
    let mut missing = Vec::new();
    for op in ops {
        for (variant, index) in specs {
            let Some(route) = op.route(variant.name()) else {
                continue;
            };
            let key = match index.find(&route) {
                Some(found) => found.id().map_or_else(|| found.location(), str::to_string),
                None if route.documented => {
                    missing.push(Missing {
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
            });
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
    Coverage { rows, missing }
}

fn mark(cell: &Cell) -> &'static str {
    match (cell.in_spec, cell.facade.is_empty()) {
        (true, false) => "✔",
        (true, true) => "○",
        (false, false) => "✔¹",
        (false, true) => "–",
    }
}

fn names(set: &BTreeSet<&str>) -> String {
    if set.is_empty() {
        return "escape hatch".into();
    }
    set.iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn facade_cell(r: &Row) -> String {
    let (web, gw) = (&r.web, &r.gateway);
    let on_both = (web.in_spec || !web.facade.is_empty()) && (gw.in_spec || !gw.facade.is_empty());
    // Name the variant only when the two differ.
    if on_both && web.facade != gw.facade {
        format!(
            "web: {}; gateway: {}",
            names(&web.facade),
            names(&gw.facade)
        )
    } else {
        names(&web.facade.union(&gw.facade).copied().collect())
    }
}

/// Renders the Markdown section (without the markers).
pub fn render(coverage: &Coverage) -> String {
    let mut out = String::from(
        "Facade coverage of the vendored specs (generated by `cargo xtask coverage` from the \
         facade's operation table, `crates/ibkr-ops`): ✔ a facade method sends it, ○ in the \
         spec but reached only through the generated client (escape hatch), – not in that \
         variant's spec, ✔¹ not in that variant's spec but sent by the facade.\n\n",
    );
    out.push_str("| operation | method + path | web | gateway | facade method |\n");
    out.push_str("|---|---|:-:|:-:|---|\n");
    for r in &coverage.rows {
        let id =
            r.id.as_deref()
                .map_or("—".to_string(), |id| format!("`{id}`"));
        out.push_str(&format!(
            "| {id} | `{}` | {} | {} | {} |\n",
            r.endpoint,
            mark(&r.web),
            mark(&r.gateway),
            facade_cell(r)
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
    out.push_str("\nTotals (facade / escape hatch / missing):\n\n");
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
    for m in &coverage.missing {
        out.push_str(&format!(
            "- missing from the {} spec: `{}` (`{}`)\n",
            label(m.variant),
            m.operation,
            m.endpoint
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
/// `check` only compares. Returns whether the README is stale (check mode).
pub fn run(root: &Path, check: bool) -> Result<bool> {
    let specs = variant::load_specs(root)?;
    let indexes = facade_ops::index_all(&facade_ops::docs(&specs));
    let coverage = compute(ibkr_ops::all(), &indexes);
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
    use ibkr_ops::Method::{Get, Post};
    use serde_json::json;

    fn fixture() -> Coverage {
        let web = json!({"paths": {
            "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
            "/tickle": {"post": {"operationId": "tickle_post"}},
            "/iserver/watchlists": {"get": {"operationId": "iserver_watchlists_get"}},
            "/iserver/auth/ssodh/init": {"post": {"operationId": "iserver_auth_ssodh_init_post"}},
            "/portfolio/{accountId}/meta": {"get": {"operationId": "portfolio_account_id_meta_get"}}
        }});
        let gateway = json!({"paths": {
            "/iserver/accounts": {"get": {"operationId": "iserver_accounts_get"}},
            "/tickle": {"post": {"operationId": "tickle_post"}},
            "/pa/summary": {"post": {"operationId": "pa_summary_post"}},
            "/portfolio/{acctId}/meta": {"get": {"operationId": "portfolio_acct_id_meta_get"}}
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
        ];
        let specs = facade_ops::index_all(&[(Variant::Web, &web), (Variant::Gateway, &gateway)]);
        compute(&ops, &specs)
    }

    #[test]
    fn rows_bind_the_table_to_both_specs() {
        let c = fixture();
        let row = |id: &str| c.rows.iter().find(|r| r.id.as_deref() == Some(id)).unwrap();
        let accounts = row("iserver_accounts_get");
        assert_eq!(accounts.web.facade, BTreeSet::from(["Accounts::list"]));
        assert_eq!(accounts.gateway.facade, accounts.web.facade);
        let tickle = row("tickle_post");
        assert!(tickle.web.in_spec && tickle.gateway.in_spec && tickle.gateway.facade.is_empty());
        // A placeholder spelled differently on the Gateway still binds.
        let meta_gw = row("portfolio_acct_id_meta_get");
        assert_eq!(meta_gw.gateway.facade, BTreeSet::from(["Accounts::meta"]));
        assert!(!meta_gw.web.in_spec);
        // An undocumented Gateway route joins the Web API's row.
        let init = row("iserver_auth_ssodh_init_post");
        assert!(init.gateway.undocumented && !init.gateway.in_spec);
        assert!(!init.web.undocumented && init.web.in_spec);
        // One no spec has gets its own row.
        let hidden = c.rows.iter().find(|r| r.id.is_none()).unwrap();
        assert_eq!(hidden.endpoint, "POST /hidden");
        assert_eq!(
            c.missing,
            [Missing {
                operation: "Session::gone",
                variant: Variant::Gateway,
                endpoint: "GET /gone".into()
            }]
        );
        assert_eq!(
            c.totals(Variant::Web),
            Totals {
                facade: 4,
                escape_hatch: 1,
                missing: 0,
                undocumented: 0
            }
        );
        assert_eq!(
            c.totals(Variant::Gateway),
            Totals {
                facade: 2,
                escape_hatch: 2,
                missing: 1,
                undocumented: 2
            }
        );
    }

    #[test]
    fn render_marks_rows_and_ends_with_totals() {
        let table = render(&fixture());
        for line in [
            "| `iserver_accounts_get` | `GET /iserver/accounts` | ✔ | ✔ | `Accounts::list` |",
            "| `tickle_post` | `POST /tickle` | ✔ | ○ | web: `Session::tickle`; gateway: escape hatch |",
            "| `iserver_watchlists_get` | `GET /iserver/watchlists` | ○ | – | escape hatch |",
            "| `iserver_auth_ssodh_init_post` | `POST /iserver/auth/ssodh/init` | ✔ | ✔¹ | `Session::init` |",
            "| — | `POST /hidden` | – | ✔¹ | `Session::hidden` |",
            "| `pa_summary_post` | `POST /pa/summary` | – | ○ | escape hatch |",
        ] {
            assert!(table.contains(line), "{line}\n{table}");
        }
        assert!(
            table.contains("¹ Undocumented: the facade sends `POST /hidden` on the Gateway, `POST /iserver/auth/ssodh/init` on the Gateway"),
            "{table}"
        );
        assert!(
            table.ends_with(
                "Totals (facade / escape hatch / missing):\n\n\
                 - Web API: 4 facade / 1 escape hatch / 0 missing\n\
                 - Gateway: 2 facade / 2 escape hatch / 1 missing, plus 2 undocumented¹\n\
                 - missing from the Gateway spec: `Session::gone` (`GET /gone`)\n"
            ),
            "{table}"
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
