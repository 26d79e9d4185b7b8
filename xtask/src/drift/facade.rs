//! What a spec change does to the facade: the routes of `ibkr-ops`'s
//! operation table, looked up in both specs.
//!
//! A route matches a spec operation by method and path template with
//! placeholder names erased (`{accountId}` ≡ `{id}`). Only routes marked
//! `documented` count: the others were never in the spec.

use std::collections::{BTreeMap, BTreeSet};

use ibkr_ops::IfMissing;
use serde::Serialize;

use super::model::{Model, Operation, endpoint};
use crate::openapi::template_names;

/// One effect of the spec change on one facade operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The facade operation (`Session::reauthenticate`).
    pub operation: &'static str,
    /// `web` or `gateway`.
    pub variant: &'static str,
    /// The route's method.
    pub method: &'static str,
    /// The route's path template, as the table writes it.
    pub path: &'static str,
    /// What changed.
    #[serde(flatten)]
    pub effect: Effect,
    /// Whether a facade caller's call that worked can now fail.
    pub breaking: bool,
    /// The effect in words (`GET /x removed upstream; ...`).
    pub detail: String,
}

/// What the facade does with an endpoint the spec dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// `Error::Unsupported`, nothing sent.
    ReturnsUnsupported,
    /// The request is sent anyway.
    SendsAnyway,
}

/// A change to a facade route; `sent` says whether the facade sends the
/// parameter or body concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Effect {
    /// The endpoint is no longer in the spec. Breaking.
    Removed { facade: Fallback },
    /// The endpoint is in the new spec only. Compatible.
    Added,
    /// A placeholder is spelled differently. Compatible: the facade fills
    /// placeholders by position.
    PathParameterRenamed {
        position: usize,
        from: String,
        to: String,
    },
    /// A path parameter changed type. Breaking.
    PathParameterRetyped {
        parameter: String,
        from: String,
        to: String,
    },
    /// A query parameter is newly declared. Breaking when it is required and
    /// the facade does not send it.
    QueryParameterAdded {
        parameter: String,
        required: bool,
        sent: bool,
    },
    /// A query parameter is no longer declared. Breaking when the facade
    /// sends it.
    QueryParameterRemoved { parameter: String, sent: bool },
    /// The endpoint now takes a body. Breaking when it is required and the
    /// facade sends none.
    RequestBodyAdded { required: bool, sent: bool },
    /// The endpoint no longer takes a body. Breaking when the facade sends
    /// one.
    RequestBodyRemoved { sent: bool },
}

impl Effect {
    fn is_breaking(&self) -> bool {
        match self {
            Effect::Removed { .. } | Effect::PathParameterRetyped { .. } => true,
            Effect::Added | Effect::PathParameterRenamed { .. } => false,
            Effect::QueryParameterAdded { required, sent, .. }
            | Effect::RequestBodyAdded { required, sent } => *required && !*sent,
            Effect::QueryParameterRemoved { sent, .. } | Effect::RequestBodyRemoved { sent } => {
                *sent
            }
        }
    }

    /// The effect in words, after `METHOD path`.
    fn words(&self) -> String {
        let sends = |sent: bool, what: &str| {
            if sent {
                format!("the facade sends {what}")
            } else {
                format!("the facade does not send {what}")
            }
        };
        let opt = |required: bool| if required { "required" } else { "optional" };
        match self {
            Effect::Removed {
                facade: Fallback::ReturnsUnsupported,
            } => " removed upstream; the facade returns Unsupported".into(),
            Effect::Removed {
                facade: Fallback::SendsAnyway,
            } => " removed upstream; the facade sends it anyway".into(),
            Effect::Added => " now documented upstream".into(),
            Effect::PathParameterRenamed { position, from, to } => format!(
                ": path parameter {position} renamed `{from}` → `{to}` (filled by position: no effect)"
            ),
            Effect::PathParameterRetyped {
                parameter,
                from,
                to,
            } => format!(": path parameter `{parameter}` retyped: {from} → {to}"),
            Effect::QueryParameterAdded {
                parameter,
                required,
                sent,
            } => format!(
                ": query parameter `{parameter}` added ({}); {}",
                opt(*required),
                sends(*sent, "it")
            ),
            Effect::QueryParameterRemoved { parameter, sent } => format!(
                ": query parameter `{parameter}` removed; {}",
                sends(*sent, "it")
            ),
            Effect::RequestBodyAdded { required, sent } => format!(
                ": request body added ({}); {}",
                opt(*required),
                sends(*sent, "one")
            ),
            Effect::RequestBodyRemoved { sent } => {
                format!(": request body removed; {}", sends(*sent, "one"))
            }
        }
    }
}

/// The impacts of `old` → `new` on the facade's operations for `variant`.
pub fn impacts(variant: &'static str, old: &Model, new: &Model) -> Vec<Impact> {
    impacts_of(ibkr_ops::all(), variant, old, new)
}

/// [`impacts`] for any list of facade operations.
pub fn impacts_of<'a>(
    ops: impl IntoIterator<Item = &'a ibkr_ops::Operation>,
    variant: &'static str,
    old: &Model,
    new: &Model,
) -> Vec<Impact> {
    let (old_index, new_index) = (index(old), index(new));
    let mut out = Vec::new();
    for op in ops {
        let Some(route) = op.route(variant).filter(|r| r.documented) else {
            continue;
        };
        let method = route.method.as_str();
        let key = endpoint(method, route.path);
        let effects = match (old_index.get(&key), new_index.get(&key)) {
            (None, None) => Vec::new(),
            (Some(_), None) => vec![Effect::Removed {
                facade: match op.if_missing {
                    IfMissing::Unsupported => Fallback::ReturnsUnsupported,
                    IfMissing::Send => Fallback::SendsAnyway,
                },
            }],
            (None, Some(_)) => vec![Effect::Added],
            (Some(a), Some(b)) => compare(op, a, b),
        };
        for effect in effects {
            out.push(Impact {
                operation: op.name,
                variant,
                method,
                path: route.path,
                breaking: effect.is_breaking(),
                detail: format!("{method} {}{}", route.path, effect.words()),
                effect,
            });
        }
    }
    out
}

/// Endpoint (`GET /a/{}`) → operation; the first one when two spellings
/// of a template share an endpoint.
fn index(model: &Model) -> BTreeMap<String, &Operation> {
    let mut out = BTreeMap::new();
    for op in model.operations.values() {
        out.entry(op.endpoint()).or_insert(op);
    }
    out
}

fn compare(facade: &ibkr_ops::Operation, old: &Operation, new: &Operation) -> Vec<Effect> {
    let mut out = Vec::new();
    let names = template_names(&old.path)
        .into_iter()
        .zip(template_names(&new.path));
    let params = old.path_params().into_iter().zip(new.path_params());
    for (position, ((from, to), (a, b))) in names.zip(params).enumerate() {
        if from != to {
            out.push(Effect::PathParameterRenamed {
                position: position + 1,
                from: from.clone(),
                to: to.clone(),
            });
        }
        if let (Some(a), Some(b)) = (a, b)
            && a.ty != b.ty
        {
            out.push(Effect::PathParameterRetyped {
                parameter: to,
                from: a.ty.clone(),
                to: b.ty.clone(),
            });
        }
    }
    let sent = |name: &str| facade.query.contains(&name);
    let old_query: BTreeSet<&str> = old.query_params().map(|p| p.name.as_str()).collect();
    let mut added: Vec<_> = new.query_params().collect();
    added.sort_by(|a, b| a.name.cmp(&b.name));
    for p in added {
        if !old_query.contains(p.name.as_str()) {
            out.push(Effect::QueryParameterAdded {
                parameter: p.name.clone(),
                required: p.required,
                sent: sent(&p.name),
            });
        }
    }
    let new_query: BTreeSet<&str> = new.query_params().map(|p| p.name.as_str()).collect();
    for name in old_query.difference(&new_query) {
        out.push(Effect::QueryParameterRemoved {
            parameter: name.to_string(),
            sent: sent(name),
        });
    }
    match (&old.body, &new.body) {
        (None, Some(b)) => out.push(Effect::RequestBodyAdded {
            required: b.required,
            sent: facade.body,
        }),
        (Some(_), None) => out.push(Effect::RequestBodyRemoved { sent: facade.body }),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use ibkr_ops::Method::{Get, Post};
    use serde_json::json;

    use super::*;

    const OPS: &[ibkr_ops::Operation] = &[
        ibkr_ops::Operation::write("Session::reauthenticate")
            .web(Get, "/iserver/reauthenticate")
            .unsupported_if_missing(),
        ibkr_ops::Operation::write("Session::logout").web(Post, "/logout"),
        ibkr_ops::Operation::read("Portfolio::positions")
            .web(Get, "/portfolio/{accountId}/positions")
            .query(&["page", "sort"]),
        ibkr_ops::Operation::write("Orders::place")
            .web(Post, "/iserver/account/{accountId}/orders")
            .body(),
        ibkr_ops::Operation::read("Session::hidden")
            .gateway_undocumented(Get, "/hidden")
            .web(Get, "/hidden"),
    ];

    fn model(paths: serde_json::Value) -> Model {
        Model::from_doc(&json!({ "paths": paths }))
    }

    fn run(old: serde_json::Value, new: serde_json::Value) -> Vec<(String, bool)> {
        impacts_of(OPS, "web", &model(old), &model(new))
            .into_iter()
            .map(|i| (format!("`{}` (web): {}", i.operation, i.detail), i.breaking))
            .collect()
    }

    fn positions(name: &str, query: &[&str]) -> serde_json::Value {
        let mut params = vec![
            json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        params.extend(
            query
                .iter()
                .map(|q| json!({"name": q, "in": "query", "schema": {"type": "string"}})),
        );
        json!({"get": {"parameters": params, "responses": {}}})
    }

    #[test]
    fn removed_endpoints_say_what_the_facade_does() {
        let both = json!({
            "/iserver/reauthenticate": {"get": {"responses": {}}},
            "/logout": {"post": {"responses": {}}}
        });
        assert_eq!(
            run(both.clone(), json!({})),
            [
                (
                    "`Session::reauthenticate` (web): GET /iserver/reauthenticate removed upstream; the facade returns Unsupported".to_string(),
                    true
                ),
                (
                    "`Session::logout` (web): POST /logout removed upstream; the facade sends it anyway".to_string(),
                    true
                ),
            ]
        );
        assert_eq!(
            run(json!({}), both),
            [
                (
                    "`Session::reauthenticate` (web): GET /iserver/reauthenticate now documented upstream".to_string(),
                    false
                ),
                (
                    "`Session::logout` (web): POST /logout now documented upstream".to_string(),
                    false
                ),
            ]
        );
    }

    #[test]
    fn routes_match_with_placeholder_names_erased() {
        let old = json!({"/portfolio/{accountId}/positions": positions("accountId", &["page", "period"])});
        let new = json!({"/portfolio/{acctId}/positions": positions("acctId", &["page", "sort", "model"])});
        let got = run(old, new);
        let p = "`Portfolio::positions` (web): GET /portfolio/{accountId}/positions";
        assert_eq!(
            got,
            [
                (
                    format!(
                        "{p}: path parameter 1 renamed `accountId` → `acctId` (filled by position: no effect)"
                    ),
                    false
                ),
                (
                    format!(
                        "{p}: query parameter `model` added (optional); the facade does not send it"
                    ),
                    false
                ),
                (
                    format!("{p}: query parameter `sort` added (optional); the facade sends it"),
                    false
                ),
                (
                    format!("{p}: query parameter `period` removed; the facade does not send it"),
                    false
                ),
            ]
        );
        let old = json!({"/portfolio/{accountId}/positions": positions("accountId", &["sort"])});
        let new = json!({"/portfolio/{accountId}/positions": positions("accountId", &[])});
        assert_eq!(
            run(old, new),
            [(
                format!("{p}: query parameter `sort` removed; the facade sends it"),
                true
            )]
        );
    }

    #[test]
    fn request_body_presence_against_what_the_facade_sends() {
        let with = json!({"/iserver/account/{accountId}/orders": {"post": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": {}}}},
            "responses": {}
        }}});
        let without = json!({"/iserver/account/{id}/orders": {"post": {"responses": {}}}});
        let p = "`Orders::place` (web): POST /iserver/account/{accountId}/orders";
        assert_eq!(
            run(with.clone(), without.clone()),
            [
                (
                    format!(
                        "{p}: path parameter 1 renamed `accountId` → `id` (filled by position: no effect)"
                    ),
                    false
                ),
                (
                    format!("{p}: request body removed; the facade sends one"),
                    true
                ),
            ]
        );
        assert_eq!(
            run(without, with)[1],
            (
                format!("{p}: request body added (required); the facade sends one"),
                false
            )
        );
    }

    #[test]
    fn undocumented_routes_and_unchanged_specs_report_nothing() {
        let spec =
            json!({"/hidden": {"get": {"responses": {}}}, "/logout": {"post": {"responses": {}}}});
        assert!(run(spec.clone(), spec).is_empty());
        // `/hidden` is documented on web only: its removal counts there.
        let gone = impacts_of(
            OPS,
            "gateway",
            &model(json!({"/hidden": {"get": {"responses": {}}}})),
            &model(json!({})),
        );
        assert!(gone.is_empty(), "{gone:?}");
    }
}
