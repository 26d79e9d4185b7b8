//! The facade's operation table (`crates/ibkr-ops`) against the specs.
//!
//! The facade builds every request from that table, so what matters when a
//! spec changes is whether each operation's route is still in it. For each
//! operation and each variant route marked `documented`:
//!
//! - the variant's spec must have an operation with the same method and the
//!   same template up to placeholder names ([`openapi::template_key`]:
//!   `/portfolio/{accountid}/…` matches `/portfolio/{accountId}/…`), else
//!   the route is **missing** (error level); what the facade then does
//!   follows the operation's `if_missing`;
//! - the table's `query` and `body` are one list for both variants (the
//!   names the facade *may* send; which variant gets which is the facade's
//!   business), so each query name must be a query parameter of the
//!   operation in at least one variant's spec, and `body` must match a
//!   `requestBody` in at least one; a variant whose spec requires a body
//!   the table does not declare is reported too (warning level).
//!
//! Routes marked undocumented (served although the spec never listed them)
//! are not checked; one the spec now lists is pointed out.
//!
//! Used by `import` and `generate` (one warning per operation the spec
//! lacks; they still succeed) and by `cargo xtask ops [--check]`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use ibkr_ops::{IfMissing, Operation, Route};
use serde_json::Value;

use crate::error::Result;
use crate::openapi::{self, OperationRef};
use crate::variant::{self, Variant, VendoredSpec};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The table names an endpoint the spec lacks.
    Error,
    /// The table and the spec disagree on a detail.
    Warning,
}

/// A variant route and the spec operation it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The variant.
    pub variant: Variant,
    /// `METHOD /path` as that variant's spec writes it.
    pub at: String,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A documented route is not in its variant's spec.
    Missing {
        /// The variant.
        variant: Variant,
        /// The route.
        route: Route,
        /// What the facade does about it.
        if_missing: IfMissing,
    },
    /// A declared query name is a query parameter of none of the
    /// operation's spec operations.
    UnknownQuery {
        /// The name the table declares.
        name: &'static str,
        /// The spec operations checked.
        bound: Vec<Bound>,
        /// Their query parameters.
        known: Vec<String>,
    },
    /// A variant's spec requires a query parameter the table does not
    /// declare.
    MissingQuery {
        /// The variant.
        variant: Variant,
        /// The route.
        route: Route,
        /// The required parameter.
        name: String,
    },
    /// The table declares a body none of the spec operations takes.
    UnexpectedBody {
        /// The spec operations checked.
        bound: Vec<Bound>,
    },
    /// A variant's spec requires a body the table does not declare.
    MissingBody {
        /// The variant.
        variant: Variant,
        /// The route.
        route: Route,
    },
    /// A route marked undocumented is in its variant's spec now.
    NowDocumented {
        /// The variant.
        variant: Variant,
        /// The route.
        route: Route,
    },
}

/// One disagreement between the table and the specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The facade operation (`Session::reauthenticate`).
    pub operation: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

impl Finding {
    /// Error for a missing route, warning otherwise.
    pub fn level(&self) -> Level {
        match self.problem {
            Problem::Missing { .. } => Level::Error,
            _ => Level::Warning,
        }
    }

    /// Whether `ops --check` fails on it: a missing route or an unknown
    /// query name.
    pub fn fails_check(&self) -> bool {
        matches!(
            self.problem,
            Problem::Missing { .. } | Problem::UnknownQuery { .. }
        )
    }

    /// The variant the finding is about; `None` when it is about all the
    /// operation's spec operations together.
    pub fn variant(&self) -> Option<Variant> {
        match &self.problem {
            Problem::Missing { variant, .. }
            | Problem::MissingQuery { variant, .. }
            | Problem::MissingBody { variant, .. }
            | Problem::NowDocumented { variant, .. } => Some(*variant),
            Problem::UnknownQuery { .. } | Problem::UnexpectedBody { .. } => None,
        }
    }
}

/// `METHOD /path` of a route, as the table writes it.
fn endpoint(route: &Route) -> String {
    format!("{} {}", route.method.as_str(), route.path)
}

/// `web: GET /a; gateway: GET /b`.
fn list_bound(bound: &[Bound]) -> String {
    bound
        .iter()
        .map(|b| format!("{}: {}", b.variant, b.at))
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.operation;
        match &self.problem {
            Problem::Missing {
                variant,
                route,
                if_missing,
            } => {
                let does = match if_missing {
                    IfMissing::Unsupported => "returns Unsupported for it",
                    IfMissing::Send => "sends it anyway",
                };
                write!(
                    f,
                    "facade operation {op} ({variant}): {} is not in this spec; the facade {does}",
                    endpoint(route)
                )
            }
            Problem::UnknownQuery { name, bound, known } => {
                let known = if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                };
                write!(
                    f,
                    "facade operation {op}: query parameter `{name}` is not a query parameter of its spec operations ({}; their query parameters: {known})",
                    list_bound(bound)
                )
            }
            Problem::MissingQuery {
                variant,
                route,
                name,
            } => write!(
                f,
                "facade operation {op} ({variant}): {} requires query parameter `{name}` in this spec but the table does not declare it",
                endpoint(route)
            ),
            Problem::UnexpectedBody { bound } => write!(
                f,
                "facade operation {op}: the table declares a JSON body but none of its spec operations takes one ({})",
                list_bound(bound)
            ),
            Problem::MissingBody { variant, route } => write!(
                f,
                "facade operation {op} ({variant}): {} requires a request body in this spec but the table declares none",
                endpoint(route)
            ),
            Problem::NowDocumented { variant, route } => write!(
                f,
                "facade operation {op} ({variant}): {} is marked undocumented but this spec has it",
                endpoint(route)
            ),
        }
    }
}

/// A spec's operations by `(method, template key)`.
pub struct SpecIndex<'a> {
    doc: &'a Value,
    by_key: BTreeMap<(&'static str, String), Vec<OperationRef<'a>>>,
}

impl<'a> SpecIndex<'a> {
    /// Indexes `doc`'s operations.
    pub fn new(doc: &'a Value) -> Self {
        let mut by_key: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for op in openapi::operations(doc) {
            by_key
                .entry((op.method, openapi::template_key(op.path)))
                .or_default()
                .push(op);
        }
        SpecIndex { doc, by_key }
    }

    /// Every operation of the spec, in path, then method order.
    pub fn operations(&self) -> impl Iterator<Item = &OperationRef<'a>> {
        let mut all: Vec<&OperationRef<'a>> = self.by_key.values().flatten().collect();
        all.sort_by_key(|op| (op.path, op.method));
        all.into_iter()
    }

    /// The spec operation a route names: same method, same template up to
    /// placeholder names; the one spelled exactly like the route if several
    /// match.
    pub fn find(&self, route: &Route) -> Option<&OperationRef<'a>> {
        let key = (
            route.method.openapi_key(),
            openapi::template_key(route.path),
        );
        let candidates = self.by_key.get(&key)?;
        candidates
            .iter()
            .find(|op| op.path == route.path)
            .or_else(|| candidates.first())
    }
}

/// The names of the operation's required query parameters.
fn required_query<'a>(op: &OperationRef<'a>) -> impl Iterator<Item = &'a str> + use<'a> {
    let params = op.params.clone();
    params.into_iter().filter_map(|p| {
        let required = p.get("required") == Some(&Value::Bool(true));
        let query = p.get("in").and_then(Value::as_str) == Some("query");
        p.get("name")
            .and_then(Value::as_str)
            .filter(|_| required && query)
    })
}

/// The spec of one variant, indexed.
pub type Spec<'a> = (Variant, SpecIndex<'a>);

/// Checks `ops` against the specs given (one per variant, or only one).
pub fn check_ops<'o>(
    ops: impl IntoIterator<Item = &'o Operation>,
    specs: &[Spec<'_>],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for op in ops {
        let mut push = |problem| {
            out.push(Finding {
                operation: op.name,
                problem,
            })
        };
        let mut bound = Vec::new();
        let mut known = BTreeSet::new();
        let mut takes_body = false;
        for (variant, spec) in specs {
            let variant = *variant;
            let Some(route) = op.route(variant.name()) else {
                continue;
            };
            let Some(spec_op) = spec.find(&route) else {
                if route.documented {
                    push(Problem::Missing {
                        variant,
                        route,
                        if_missing: op.if_missing,
                    });
                }
                continue;
            };
            if !route.documented {
                push(Problem::NowDocumented { variant, route });
                continue;
            }
            bound.push(Bound {
                variant,
                at: spec_op.location(),
            });
            known.extend(spec_op.param_names("query"));
            for name in required_query(spec_op) {
                if !op.query.contains(&name) {
                    let name = name.to_string();
                    push(Problem::MissingQuery {
                        variant,
                        route,
                        name,
                    });
                }
            }
            let body = spec_op.request_body(spec.doc);
            takes_body |= body.is_some();
            let required = body.and_then(|b| b.get("required")) == Some(&Value::Bool(true));
            if required && !op.body {
                push(Problem::MissingBody { variant, route });
            }
        }
        if bound.is_empty() {
            continue;
        }
        for &name in op.query {
            if !known.contains(name) {
                push(Problem::UnknownQuery {
                    name,
                    bound: bound.clone(),
                    known: known.iter().map(|k| k.to_string()).collect(),
                });
            }
        }
        if op.body && !takes_body {
            push(Problem::UnexpectedBody { bound });
        }
    }
    out
}

/// What `import` and `generate` print about the specs: one `warning:` line
/// per facade operation a spec of one of `variants` lacks, then one per
/// other finding about them (query names, bodies).
pub fn impact_lines(specs: &[Spec<'_>], variants: &[Variant]) -> Vec<String> {
    let mut findings: Vec<Finding> = check_ops(ibkr_ops::all(), specs)
        .into_iter()
        .filter(|f| f.variant().is_none_or(|v| variants.contains(&v)))
        .collect();
    findings.sort_by_key(Finding::level);
    findings.iter().map(|f| format!("warning: {f}")).collect()
}

/// `(variant, document)` of each vendored spec.
pub fn docs(specs: &[VendoredSpec]) -> Vec<(Variant, &Value)> {
    specs.iter().map(|s| (s.variant, &s.doc)).collect()
}

/// Prints the facade impact of a newly imported spec of `variant` on
/// stderr. The table's query and body lists span both variants, so the
/// other variant's vendored spec is checked alongside (when readable).
pub fn print_import_impact(root: &Path, variant: Variant, doc: &Value) {
    let others: Vec<VendoredSpec> = Variant::ALL
        .into_iter()
        .filter(|v| *v != variant)
        .filter_map(|v| v.load_spec(root).ok())
        .collect();
    let mut all = vec![(variant, doc)];
    all.extend(docs(&others));
    print_impact(&all, &[variant]);
}

/// Indexes each `(variant, document)`.
pub fn index_all<'a>(docs: &[(Variant, &'a Value)]) -> Vec<Spec<'a>> {
    docs.iter()
        .map(|(v, doc)| (*v, SpecIndex::new(doc)))
        .collect()
}

/// Prints [`impact_lines`] of the documents on stderr: `generate` passes
/// the vendored specs, `import` the new spec and the other variant's
/// vendored one, with `variants` naming the spec(s) the lines are about.
pub fn print_impact(docs: &[(Variant, &Value)], variants: &[Variant]) {
    for line in impact_lines(&index_all(docs), variants) {
        eprintln!("{line}");
    }
}

/// One line of `cargo xtask ops`: how an operation's route binds to a spec.
fn binding_line(op: &Operation, variant: Variant, route: &Route, spec: &SpecIndex<'_>) -> String {
    let bound = match (spec.find(route), route.documented) {
        (Some(s), documented) => {
            let mut text = s.id().unwrap_or("(no operationId)").to_string();
            if s.path != route.path {
                text.push_str(&format!(" as {}", s.location()));
            }
            let known = s.param_names("query");
            let elsewhere: Vec<&str> = op
                .query
                .iter()
                .copied()
                .filter(|q| !known.contains(q))
                .collect();
            if !elsewhere.is_empty() {
                text.push_str(&format!(
                    " (query not in this spec: {})",
                    elsewhere.join(", ")
                ));
            }
            if !documented {
                text.push_str(" (marked undocumented)");
            }
            text
        }
        (None, false) => "undocumented: not in the spec, sent anyway".to_string(),
        (None, true) => match op.if_missing {
            IfMissing::Send => "MISSING: sent anyway".to_string(),
            IfMissing::Unsupported => "MISSING: Unsupported".to_string(),
        },
    };
    format!(
        "{:<40} {:<8} {:<58} -> {bound}",
        op.name,
        variant.name(),
        endpoint(route)
    )
}

/// `cargo xtask ops [--check]`: prints the binding of every facade operation
/// to each vendored spec, then every finding. Returns whether `check` fails
/// (a documented route missing from its vendored spec, or an unknown query
/// name).
pub fn run(root: &Path, check: bool) -> Result<bool> {
    let specs = variant::load_specs(root)?;
    let indexes = index_all(&docs(&specs));
    println!(
        "{:<40} {:<8} {:<58} -> operation of openapi/<variant>.json",
        "facade operation", "variant", "route (crates/ibkr-ops)"
    );
    for op in ibkr_ops::all() {
        for (variant, index) in &indexes {
            if let Some(route) = op.route(variant.name()) {
                println!("{}", binding_line(op, *variant, &route, index));
            }
        }
    }
    let findings = check_ops(ibkr_ops::all(), &indexes);
    for f in &findings {
        let level = if f.fails_check() { "error" } else { "warning" };
        eprintln!("{level}: {f}");
    }
    let per_variant: Vec<String> = indexes
        .iter()
        .map(|(variant, _)| {
            let routes = ibkr_ops::all()
                .filter(|op| op.route(variant.name()).is_some())
                .count();
            let missing = findings
                .iter()
                .filter(|f| f.level() == Level::Error && f.variant() == Some(*variant))
                .count();
            format!("{variant}: {routes} routes, {missing} missing")
        })
        .collect();
    let failing = findings.iter().filter(|f| f.fails_check()).count();
    eprintln!(
        "ops: {} facade operations; {}; {} problem(s), {} warning(s)",
        ibkr_ops::all().count(),
        per_variant.join("; "),
        failing,
        findings.len() - failing
    );
    if check && failing > 0 {
        eprintln!(
            "error: the facade's operation table (crates/ibkr-ops) does not match the vendored specs"
        );
        return Ok(true);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibkr_ops::Method::{Delete, Get, Post};
    use serde_json::json;

    fn web_doc() -> Value {
        json!({"paths": {
            "/portfolio/{accountId}/summary": {"get": {"operationId": "summary_get",
                "parameters": [{"name": "accountId", "in": "path", "required": true}]}},
            "/iserver/marketdata/snapshot": {
                "parameters": [{"name": "conids", "in": "query"}],
                "get": {"operationId": "snapshot_get",
                    "parameters": [{"name": "fields", "in": "query"}]}},
            "/iserver/account": {"post": {"operationId": "account_post",
                "requestBody": {"$ref": "#/components/requestBodies/Acct"}}},
            "/iserver/auth/ssodh/init": {"post": {"operationId": "init_post"}},
            "/alert/{alertId}": {"delete": {"operationId": "alert_delete",
                "requestBody": {"content": {}}}}
        }, "components": {"requestBodies": {"Acct": {"required": true, "content": {}}}}})
    }

    fn gateway_doc() -> Value {
        json!({"paths": {
            "/iserver/marketdata/snapshot": {"get": {"operationId": "snapshot_get",
                "parameters": [{"name": "since", "in": "query"}]}},
            "/alert/{id}": {"delete": {"operationId": "alert_id_delete"}},
            "/trsrv/stocks": {"get": {"operationId": "stocks_get",
                "parameters": [{"name": "symbols", "in": "query", "required": true}]}}
        }})
    }

    /// The findings of `ops` against the web fixture only.
    fn web_findings(ops: &[Operation]) -> Vec<Finding> {
        let doc = web_doc();
        check_ops(ops, &index_all(&[(Variant::Web, &doc)]))
    }

    fn text(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_operation_in_the_spec_has_no_findings() {
        let ops = [
            Operation::read("A::summary").both(Get, "/portfolio/{accountId}/summary"),
            Operation::read("A::snapshot")
                .both(Get, "/iserver/marketdata/snapshot")
                .query(&["conids", "fields"]),
            Operation::write("A::switch")
                .both(Post, "/iserver/account")
                .body(),
        ];
        assert_eq!(text(&web_findings(&ops)), Vec::<String>::new());
    }

    #[test]
    fn a_missing_operation_says_what_the_facade_does() {
        let ops = [
            Operation::write("Session::reauthenticate")
                .web(Get, "/iserver/reauthenticate")
                .unsupported_if_missing(),
            Operation::write("Session::logout").web(Post, "/logout"),
            // The same path with another method is still missing.
            Operation::read("A::summary").web(Post, "/portfolio/{accountId}/summary"),
        ];
        let found = web_findings(&ops);
        assert!(
            found
                .iter()
                .all(|f| f.level() == Level::Error && f.fails_check())
        );
        assert_eq!(
            text(&found),
            [
                "facade operation Session::reauthenticate (web): GET /iserver/reauthenticate is not in this spec; the facade returns Unsupported for it",
                "facade operation Session::logout (web): POST /logout is not in this spec; the facade sends it anyway",
                "facade operation A::summary (web): POST /portfolio/{accountId}/summary is not in this spec; the facade sends it anyway",
            ]
        );
    }

    #[test]
    fn import_and_generate_warn_once_per_missing_operation() {
        let empty = json!({"paths": {}});
        let specs = index_all(&[(Variant::Gateway, &empty)]);
        let lines = impact_lines(&specs, &[Variant::Gateway]);
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with("warning: facade operation ") && l.contains("(gateway)")),
            "{lines:?}"
        );
        let documented = ibkr_ops::all()
            .filter(|op| op.gateway.is_some_and(|r| r.documented))
            .count();
        assert_eq!(lines.len(), documented);
        // Lines about a variant not asked for are left out.
        assert!(impact_lines(&specs, &[Variant::Web]).is_empty());
    }

    #[test]
    fn a_renamed_placeholder_still_matches() {
        let ops = [Operation::read("A::summary").web(Get, "/portfolio/{accountid}/summary")];
        assert_eq!(text(&web_findings(&ops)), Vec::<String>::new());
        let doc = web_doc();
        let index = SpecIndex::new(&doc);
        let line = binding_line(&ops[0], Variant::Web, &ops[0].web.unwrap(), &index);
        assert!(
            line.ends_with("-> summary_get as GET /portfolio/{accountId}/summary"),
            "{line}"
        );
    }

    #[test]
    fn an_undocumented_route_is_skipped() {
        let ops = [
            Operation::write("A::hidden").gateway_undocumented(Post, "/not/in/the/spec"),
            Operation::write("A::init").gateway_undocumented(Post, "/iserver/auth/ssodh/init"),
        ];
        let gw = gateway_doc();
        let specs = index_all(&[(Variant::Gateway, &gw)]);
        assert!(check_ops(&ops, &specs).is_empty());
        let line = binding_line(
            &ops[0],
            Variant::Gateway,
            &ops[0].gateway.unwrap(),
            &specs[0].1,
        );
        assert!(line.ends_with("-> undocumented: not in the spec, sent anyway"));
        // One the spec lists now is pointed out, without failing the check.
        let web = web_doc();
        let ops = [Operation::write("A::init")
            .web(Post, "/x")
            .gateway_undocumented(Post, "/iserver/auth/ssodh/init")];
        let found = check_ops(&ops, &index_all(&[(Variant::Gateway, &web)]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(found[0].problem, Problem::NowDocumented { .. }));
        assert!(!found[0].fails_check());
    }

    #[test]
    fn query_names_and_bodies_span_both_variants() {
        let (web, gw) = (web_doc(), gateway_doc());
        let both = index_all(&[(Variant::Web, &web), (Variant::Gateway, &gw)]);
        let ops = [
            // `since` is the Gateway's only: fine, the lists span variants.
            Operation::read("A::snapshot")
                .both(Get, "/iserver/marketdata/snapshot")
                .query(&["conids", "since", "conid"]),
            // A required body the table does not declare.
            Operation::write("A::switch").web(Post, "/iserver/account"),
            // A body on one variant only is fine.
            Operation::write("A::delete")
                .web(Delete, "/alert/{alertId}")
                .gateway(Delete, "/alert/{id}")
                .body(),
            // A required query parameter the table does not declare.
            Operation::read("A::stocks").gateway(Get, "/trsrv/stocks"),
            // A body no variant takes.
            Operation::write("A::init")
                .web(Post, "/iserver/auth/ssodh/init")
                .body(),
        ];
        let found = check_ops(&ops, &both);
        let kinds: Vec<(&str, bool)> = found
            .iter()
            .map(|f| (f.operation, f.fails_check()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("A::snapshot", true),
                ("A::switch", false),
                ("A::stocks", false),
                ("A::init", false)
            ]
        );
        assert_eq!(
            text(&found),
            [
                "facade operation A::snapshot: query parameter `conid` is not a query parameter of its spec operations (web: GET /iserver/marketdata/snapshot; gateway: GET /iserver/marketdata/snapshot; their query parameters: conids, fields, since)",
                "facade operation A::switch (web): POST /iserver/account requires a request body in this spec but the table declares none",
                "facade operation A::stocks (gateway): GET /trsrv/stocks requires query parameter `symbols` in this spec but the table does not declare it",
                "facade operation A::init: the table declares a JSON body but none of its spec operations takes one (web: POST /iserver/auth/ssodh/init)",
            ]
        );
        let line = binding_line(&ops[0], Variant::Web, &ops[0].web.unwrap(), &both[0].1);
        assert!(
            line.ends_with("-> snapshot_get (query not in this spec: since, conid)"),
            "{line}"
        );
    }

    #[test]
    fn the_vendored_specs_match_the_table() {
        let root = crate::variant::workspace_root();
        let specs = variant::load_specs(&root).unwrap();
        let failing: Vec<String> = check_ops(ibkr_ops::all(), &index_all(&docs(&specs)))
            .iter()
            .filter(|f| f.fails_check())
            .map(ToString::to_string)
            .collect();
        assert!(failing.is_empty(), "{failing:#?}");
    }
}
