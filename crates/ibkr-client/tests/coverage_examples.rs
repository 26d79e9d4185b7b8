//! IBKR's own response examples (from the upstream specs in
//! `../shared/ibkr-openapi`) through the facade methods added for
//! coverage: each example is served at the operation's route on each
//! variant that has one, and must decode into what it says (or, for an
//! error-shaped example, give IBKR's error). Prints how many were checked.

mod common;
mod coverage_support;

use std::fmt::Debug;
use std::future::Future;

use common::examples::{self, shared_dir, skip_message};
use httpmock::MockServer;
use ibkr_client::areas::advisor::AllocationMethod;
use ibkr_client::areas::hmds_scanner::HmdsScanRequest;
use ibkr_client::areas::symbols::SymbolSearch;
use ibkr_client::{Client, Error, Variant};
use ibkr_ops::Operation;
use ibkr_ops::areas::{advisor, analyst_more, balances, fx, hmds_scanner, quotes, symbols};
use rust_decimal::Decimal;
use serde_json::Value;

/// The route's template with its placeholders filled from `args`.
fn fill(template: &str, args: &[&str]) -> String {
    let mut args = args.iter();
    template
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                args.next().copied().unwrap_or(seg)
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A JSON number or numeric string as a decimal.
fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.replace(',', "").split(' ').next()?.parse().ok(),
        _ => None,
    }
}

/// Serves each upstream example of `op` and checks the facade's answer
/// with `spot`; the number of examples checked.
async fn check<T, F, Fut, S>(op: &'static Operation, args: &[&str], call: F, spot: S) -> usize
where
    T: Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = ibkr_client::Result<T>>,
    S: Fn(&T, &Value) -> bool,
{
    let mut checked = 0;
    for (variant, name) in [(Variant::Web, "web"), (Variant::Gateway, "gateway")] {
        let Some(route) = op.route(name) else {
            continue;
        };
        let at = common::path(variant, &fill(route.path, args));
        for example in examples::for_route(name, &route) {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(route.method.as_str()).path(at.as_str());
                    then.status(example.status)
                        .header("content-type", "application/json")
                        .body(&example.body);
                })
                .await;
            let value: Value = serde_json::from_str(&example.body).expect("example JSON");
            let result = call(coverage_support::client(&server, variant)).await;
            mock.assert_async().await;
            match value.get("error").and_then(Value::as_str) {
                Some(expected) => assert!(
                    matches!(&result, Err(Error::Api { message, .. }) if message == expected),
                    "{}: {result:?}",
                    example.origin
                ),
                None => {
                    let decoded = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.origin));
                    assert!(spot(&decoded, &value), "{}: {decoded:?}", example.origin);
                }
            }
            checked += 1;
        }
    }
    eprintln!("{}: {checked} upstream examples checked", op.name);
    checked
}

fn ok<T>(_: &T, _: &Value) -> bool {
    true
}

#[tokio::test]
async fn advisor_examples() {
    if shared_dir().is_none() {
        return skip_message("advisor_examples");
    }
    let mut total = 0;
    total += check(
        &advisor::ALLOCATION_ACCOUNTS,
        &[],
        |c| async move { c.advisor().allocation_accounts().await },
        |v, ex| {
            let accounts = ex["accounts"].as_array().unwrap();
            v.len() == accounts.len()
                && v.iter().zip(accounts).all(|(a, e)| {
                    a.name.as_deref() == e["name"].as_str()
                        && a.values.len() == e["data"].as_array().map_or(0, Vec::len)
                })
                && v[0].net_liquidation.is_some()
        },
    )
    .await;
    total += check(
        &advisor::GROUPS,
        &[],
        |c| async move { c.advisor().groups().await },
        |v, ex| {
            let groups = ex["data"].as_array().unwrap();
            v.len() == groups.len()
                && v.iter().zip(groups).all(|(g, e)| {
                    g.name.as_deref() == e["name"].as_str()
                        && g.size == e["size"].as_i64()
                        && g.method.as_ref().map(AllocationMethod::code)
                            == e["allocation_method"].as_str()
                })
        },
    )
    .await;
    total += check(
        &advisor::GROUP,
        &[],
        |c| async move { c.advisor().group("group1").await },
        |g, ex| {
            g.name.as_deref() == ex["name"].as_str()
                && g.accounts.len() == ex["accounts"].as_array().map_or(0, Vec::len)
                && g.default_method.as_ref().map(AllocationMethod::code)
                    == ex["default_method"].as_str()
        },
    )
    .await;
    total += check(
        &advisor::DELETE_GROUP,
        &[],
        |c| async move { c.advisor().delete_group("group1").await },
        ok,
    )
    .await;
    total += check(
        &advisor::PRESETS,
        &[],
        |c| async move { c.advisor().presets().await },
        |p, ex| {
            p.strict_credit_check == ex["strict_credit_check"].as_bool()
                && p.group_auto_close_positions == ex["group_auto_close_positions"].as_bool()
                && p.default_method_for_all
                    == ex["default_method_for_all"]
                        .as_str()
                        .map(AllocationMethod::from)
        },
    )
    .await;
    total += check(
        &advisor::SEARCH_ACCOUNTS,
        &["U1"],
        |c| async move { c.advisor().search_accounts("U1").await },
        |v, ex| {
            let matched = ex["matchedAccounts"].as_array().unwrap();
            v.len() == matched.len()
                && v.iter()
                    .zip(matched)
                    .all(|(a, e)| a.account_id.as_deref() == e["accountId"].as_str())
        },
    )
    .await;
    total += check(
        &advisor::SET_DYNAMIC_ACCOUNT,
        &[],
        |c| async move { c.advisor().set_dynamic_account("U2234567").await },
        |s, ex| s.set == ex["set"].as_bool() && s.account_id.as_deref() == ex["acctId"].as_str(),
    )
    .await;
    total += check(
        &advisor::SIGNATURES_AND_OWNERS,
        &["U1234567"],
        |c| async move { c.advisor().signatures_and_owners("U1234567").await },
        |s, ex| {
            s.account_id.as_deref() == ex["accountId"].as_str()
                && s.users.len() == ex["users"].as_array().map_or(0, Vec::len)
                && s.users[0].entity.entity_name.as_deref()
                    == ex["users"][0]["entity"]["entityName"].as_str()
                && s.signatures.len()
                    == ex["applicant"]["signatures"].as_array().map_or(0, Vec::len)
        },
    )
    .await;
    eprintln!("advisor: {total} upstream examples checked");
    assert!(total > 0);
}

#[tokio::test]
async fn balances_and_fx_examples() {
    if shared_dir().is_none() {
        return skip_message("balances_and_fx_examples");
    }
    let mut total = 0;
    total += check(
        &balances::SUMMARY,
        &["U1"],
        |c| async move { c.balances().summary("U1").await },
        |s, ex| {
            s.balance == dec(&ex["balance"])
                && s.sma == dec(&ex["SMA"])
                && s.buying_power == dec(&ex["buyingPower"])
                && s.net_liquidation_value == dec(&ex["netLiquidationValue"])
                && s.maintenance_margin == dec(&ex["maintenanceMargin"])
                && s.cash_balances.len() == ex["cashBalances"].as_array().map_or(0, Vec::len)
                && s.cash_balances
                    .iter()
                    .zip(ex["cashBalances"].as_array().unwrap())
                    .all(|(c, e)| c.balance == dec(&e["balance"]))
        },
    )
    .await;
    /// Each segment of `ex` is in `v`, with the value of `field` (IBKR's key).
    fn segments<T>(
        v: &std::collections::BTreeMap<String, T>,
        ex: &Value,
        field: &str,
        get: impl Fn(&T) -> Option<Decimal>,
    ) -> bool {
        let ex = ex.as_object().unwrap();
        v.len() == ex.len()
            && ex
                .iter()
                .all(|(name, seg)| v.get(name).is_some_and(|s| get(s) == dec(&seg[field])))
    }
    total += check(
        &balances::AVAILABLE_FUNDS,
        &["U1"],
        |c| async move { c.balances().available_funds("U1").await },
        |v, ex| {
            segments(v, ex, "current_available", |s| {
                s.current_available.as_ref().map(|a| a.value)
            }) && segments(v, ex, "Lk Ahd Avlbl Fnds", |s| {
                s.look_ahead_available.as_ref().map(|a| a.value)
            }) && v["total"]
                .current_available
                .as_ref()
                .and_then(|a| a.currency.as_deref())
                == Some("USD")
        },
    )
    .await;
    total += check(
        &balances::BALANCES,
        &["U1"],
        |c| async move { c.balances().balances("U1").await },
        |v, ex| {
            segments(v, ex, "net_liquidation", |s| {
                s.net_liquidation.as_ref().map(|a| a.value)
            }) && segments(v, ex, "cash", |s| s.cash.as_ref().map(|a| a.value))
        },
    )
    .await;
    total += check(
        &balances::MARGINS,
        &["U1"],
        |c| async move { c.balances().margins("U1").await },
        |v, ex| {
            segments(v, ex, "current_initial", |s| {
                s.current_initial.as_ref().map(|a| a.value)
            }) && segments(v, ex, "current_maint", |s| {
                s.current_maint.as_ref().map(|a| a.value)
            })
        },
    )
    .await;
    total += check(
        &balances::MARKET_VALUE,
        &["U1"],
        |c| async move { c.balances().market_value("U1").await },
        |v, ex| {
            segments(v, ex, "total_cash", |s| s.total_cash)
                && segments(v, ex, "stock", |s| s.stock)
                && segments(v, ex, "Exchange Rate", |s| s.exchange_rate)
        },
    )
    .await;
    total += check(
        &fx::PAIRS,
        &[],
        |c| async move { c.fx().pairs("USD").await },
        |v, ex| {
            let pairs = ex["USD"].as_array().unwrap();
            v.len() == pairs.len()
                && v.iter().zip(pairs).all(|(p, e)| {
                    p.symbol.as_deref() == e["symbol"].as_str()
                        && p.conid.map(i64::from) == e["conid"].as_i64()
                })
        },
    )
    .await;
    total += check(
        &fx::EXCHANGE_RATE,
        &[],
        |c| async move { c.fx().exchange_rate("USD", "EUR").await },
        |r, ex| *r == dec(&ex["rate"]),
    )
    .await;
    eprintln!("balances and fx: {total} upstream examples checked");
    assert!(total > 0);
}

#[tokio::test]
async fn reference_and_market_examples() {
    if shared_dir().is_none() {
        return skip_message("reference_and_market_examples");
    }
    let mut total = 0;
    total += check(
        &symbols::SEARCH,
        &[],
        |c| async move { c.symbols().search(&SymbolSearch::new("IBM")).await },
        |v, ex| {
            let hits = ex.as_array().unwrap();
            v.len() == hits.len()
                && v.iter().zip(hits).all(|(h, e)| {
                    h.conid.map(|c| c.get().to_string()).as_deref() == e["conid"].as_str()
                        && h.sections.len() == e["sections"].as_array().map_or(0, Vec::len)
                        && h.issuers.len() == e["issuers"].as_array().map_or(0, Vec::len)
                })
        },
    )
    .await;
    total += check(
        &symbols::BOND_FILTERS,
        &[],
        |c| async move { c.symbols().bond_filters("e1400715").await },
        |v, ex| {
            let filters = ex["bondFilters"].as_array().unwrap();
            v.len() == filters.len()
                && v.iter().zip(filters).all(|(f, e)| {
                    f.display_text.as_deref() == e["displayText"].as_str()
                        && f.options.len() == e["options"].as_array().map_or(0, Vec::len)
                })
        },
    )
    .await;
    total += check(
        &symbols::ALL_CONIDS,
        &[],
        |c| async move { c.symbols().all_conids("NYSE", None).await },
        |v, ex| {
            let listed = ex.as_array().unwrap();
            v.len() == listed.len()
                && v.iter().zip(listed).all(|(l, e)| {
                    l.ticker.as_deref() == e["ticker"].as_str()
                        && l.conid.map(i64::from) == e["conid"].as_i64()
                })
        },
    )
    .await;
    total += check(
        &quotes::REGULATORY_SNAPSHOT,
        &[],
        |c| async move { c.quotes().regulatory_snapshot(265598).await },
        |s, ex| {
            s.conid.map(i64::from) == ex["conid"].as_i64()
                && s.field("84") == ex["84"].as_str()
                && s.field("31") == ex["31"].as_str()
        },
    )
    .await;
    let scan = || {
        HmdsScanRequest::new("BOND", "BOND.US", "HIGH_BOND_ASK_YIELD_ALL", "BOND")
            .filter("bondAskYieldBelow", 15.819)
    };
    total += check(
        &hmds_scanner::HMDS_RUN,
        &[],
        |c| async move { c.scanner().hmds_run(&scan()).await },
        |s, ex| {
            let contracts = ex["Contracts"]["Contract"].as_array().unwrap();
            s.id.as_deref() == ex["id"].as_str()
                && s.contracts.len() == contracts.len()
                && s.contracts
                    .iter()
                    .zip(contracts)
                    .all(|(c, e)| c.conid.map(i64::from) == e["contractID"].as_i64())
                && s.warning_text.as_deref() == ex["warningText"].as_str()
        },
    )
    .await;
    total += check(
        &hmds_scanner::HMDS_PARAMS,
        &[],
        |c| async move { c.scanner().hmds_params().await },
        |p, ex| {
            p.instruments.len() == ex["instrument_list"].as_array().map_or(0, Vec::len)
                && p.scan_types.len() == ex["scan_type_list"].as_array().map_or(0, Vec::len)
                && p.locations.len() == ex["location_tree"].as_array().map_or(0, Vec::len)
                && p.locations[0].locations[0].code.as_deref()
                    == ex["location_tree"][0]["locations"][0]["locationCode"].as_str()
        },
    )
    .await;
    total += check(
        &analyst_more::ALL_PERIODS,
        &[],
        |c| async move { c.analyst().all_periods(&["DU123456"]).await },
        |p, ex| {
            let account = &p.accounts["DU123456"];
            let periods = ex["DU123456"]["periods"].as_array().unwrap();
            p.method.as_deref() == ex["pm"].as_str()
                && p.accounts.len() == 1
                && account.period_names.len() == periods.len()
                && periods.iter().all(|name| {
                    let name = name.as_str().unwrap();
                    let e = &ex["DU123456"][name];
                    account.periods.get(name).is_some_and(|s| {
                        s.nav.len() == e["nav"].as_array().map_or(0, Vec::len)
                            && s.nav.last().copied().flatten()
                                == e["nav"].as_array().and_then(|n| n.last()).and_then(dec)
                            && s.start_nav.as_ref().and_then(|n| n.value)
                                == dec(&e["startNAV"]["val"])
                    })
                })
        },
    )
    .await;
    eprintln!("reference and market data: {total} upstream examples checked");
    assert!(total > 0);
}
