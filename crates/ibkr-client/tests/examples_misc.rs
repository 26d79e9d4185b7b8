//! IBKR's own response examples (from the upstream specs) through the
//! facade, for alerts, FYI, the portfolio analyst, the scanner and
//! watchlists: each example is served by a mock at the operation's route
//! and must decode (or, for an error-shaped example, give IBKR's error).

mod common;

use std::fmt::Debug;
use std::future::Future;

use common::VARIANTS;
use common::examples::{self, shared_dir, skip_message};
use httpmock::MockServer;
use ibkr_client::areas::alerts::{AlertCondition, AlertRequest};
use ibkr_client::areas::fyi::DeliveryDevice;
use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::orders::{OrderState, SecurityType, TimeInForce};
use ibkr_client::areas::scanner::ScannerRequest;
use ibkr_client::pacing::PacingTable;
use ibkr_client::{Client, Error, Variant};
use ibkr_ops::Operation;
use ibkr_ops::areas::{alerts, analyst, fyi, scanner, watchlists};
use rust_decimal::Decimal;
use serde_json::Value;

/// A number or numeric string of the example, as the exact decimal its
/// text writes.
fn number(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The example's conid (a number or a numeric string).
fn conid(value: &Value) -> Option<Conid> {
    number(value).and_then(|d| i64::try_from(d).ok()).map(Conid)
}

/// `route` with its placeholders filled from `args`, in order.
fn fill(route: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = route;
    let mut args = args.iter();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push_str(args.next().expect("an argument per placeholder"));
        rest = &rest[open + rest[open..].find('}').expect("closed") + 1..];
    }
    out.push_str(rest);
    out
}

/// IBKR's error message when `value` is an error answer.
fn ibkr_error(value: &Value) -> Option<&str> {
    let object = match value {
        Value::Array(items) if items.len() == 1 => &items[0],
        other => other,
    };
    object.get("error")?.as_str()
}

/// The items of a list answer: a list, a single object, or nothing.
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// The length of the list at `value[key]`.
fn len(value: &Value, key: &str) -> usize {
    value[key].as_array().map_or(0, Vec::len)
}

fn variant_name(variant: Variant) -> &'static str {
    match variant {
        Variant::Web => "web",
        Variant::Gateway => "gateway",
    }
}

/// Serves every upstream example of `op`, on each variant that has a route
/// for it, at the route filled with `args`; calls the facade with `call`
/// and checks the result against the example with `spot`. Returns how many
/// examples were checked.
async fn check<T, F, Fut, S>(
    label: &str,
    op: &'static Operation,
    args: &[&str],
    call: F,
    spot: S,
) -> usize
where
    T: Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = ibkr_client::Result<T>>,
    S: Fn(&T, &Value) -> bool,
{
    let mut checked = 0;
    for variant in VARIANTS {
        let name = variant_name(variant);
        let Some(route) = op.route(name) else {
            continue;
        };
        let path = common::path(variant, &fill(route.path, args));
        for example in examples::for_route(name, &route) {
            let server = MockServer::start_async().await;
            let mock = server
                .mock_async(|when, then| {
                    when.method(route.method.as_str()).path(path.as_str());
                    then.status(example.status)
                        .header("content-type", "application/json")
                        .body(&example.body);
                })
                .await;
            let config = common::config(&server, variant).pacing(PacingTable::unlimited());
            let client = Client::new(config).expect("client");
            let value: Value = serde_json::from_str(&example.body).expect("example JSON");
            let result = call(client).await;
            mock.assert_async().await;
            match ibkr_error(&value) {
                Some(expected) => assert!(
                    matches!(&result, Err(Error::Api { operation, message, .. })
                        if *operation == op.name && message == expected),
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
    eprintln!("{label}: {checked} upstream examples checked");
    checked
}

/// Whatever a write's acknowledgement holds, `Ok(())` is all there is to check.
fn acknowledged(_: &(), _: &Value) -> bool {
    true
}

#[tokio::test]
async fn alerts_examples() {
    if shared_dir().is_none() {
        return skip_message("alerts_examples");
    }
    let request =
        || AlertRequest::new("IBM").condition(AlertCondition::price("8314@NYSE", ">=", "500"));
    let result_matches = |r: &ibkr_client::areas::alerts::AlertResult, ex: &Value| {
        r.success == ex["success"].as_bool().unwrap_or(false) && r.id == ex["order_id"].as_i64()
    };
    let details_match = |d: &ibkr_client::areas::alerts::AlertDetails, ex: &Value| {
        d.id == ex["order_id"].as_i64()
            && d.name.as_deref() == ex["alert_name"].as_str()
            && d.account.as_deref() == ex["account"].as_str()
            && d.tif.as_ref().map(TimeInForce::as_str) == ex["tif"].as_str()
            && d.status == ex["order_status"].as_str().map(OrderState::from)
            && d.email.as_deref() == ex["alert_email"].as_str()
            && d.mta_defaults.as_deref() == ex["alert_mta_defaults"].as_str()
            && d.tool_id == ex["tool_id"].as_i64()
            && d.outside_rth == ex["condition_outside_rth"].as_i64().map(|v| v == 1)
            && d.conditions.len() == len(ex, "conditions")
            && d.conditions
                .iter()
                .zip(items(&ex["conditions"]))
                .all(|(c, e)| {
                    c.kind == e["condition_type"].as_i64()
                        && c.conidex.as_deref() == e["conidex"].as_str()
                })
    };
    let mut total = 0;
    total += check(
        "Alerts::list",
        &alerts::LIST,
        &["DU1"],
        |c| async move { c.alerts().list("DU1").await },
        |v, ex| {
            let expected = items(ex);
            v.len() == expected.len()
                && v.iter()
                    .zip(expected)
                    .all(|(a, e)| a.id == e["order_id"].as_i64())
        },
    )
    .await;
    total += check(
        "Alerts::get",
        &alerts::GET,
        &["42"],
        |c| async move { c.alerts().get(42).await },
        details_match,
    )
    .await;
    total += check(
        "Alerts::mta",
        &alerts::MTA,
        &[],
        |c| async move { c.alerts().mta().await },
        details_match,
    )
    .await;
    total += check(
        "Alerts::send (create)",
        &alerts::SEND,
        &["DU1"],
        |c| async move { c.alerts().create("DU1", &request()).await },
        result_matches,
    )
    .await;
    total += check(
        "Alerts::send (modify)",
        &alerts::SEND,
        &["DU1"],
        |c| async move { c.alerts().modify("DU1", 7, &request()).await },
        result_matches,
    )
    .await;
    total += check(
        "Alerts::activate",
        &alerts::ACTIVATE,
        &["DU1"],
        |c| async move { c.alerts().activate("DU1", 7, true).await },
        result_matches,
    )
    .await;
    total += check(
        "Alerts::delete",
        &alerts::DELETE,
        &["DU1", "7"],
        |c| async move { c.alerts().delete("DU1", 7).await },
        result_matches,
    )
    .await;
    eprintln!("alerts: {total} upstream examples checked");
}

#[tokio::test]
async fn fyi_examples() {
    if shared_dir().is_none() {
        return skip_message("fyi_examples");
    }
    let mut total = 0;
    total += check(
        "Fyi::unread_count",
        &fyi::UNREAD_COUNT,
        &[],
        |c| async move { c.fyi().unread_count().await },
        |n, ex| Some(*n) == ex["BN"].as_i64(),
    )
    .await;
    total += check(
        "Fyi::settings",
        &fyi::SETTINGS,
        &[],
        |c| async move { c.fyi().settings().await },
        |v, ex| {
            let expected = items(ex);
            v.len() == expected.len()
                && v.iter().zip(expected).all(|(s, e)| {
                    s.code.as_deref() == e["FC"].as_str() && s.name.as_deref() == e["FN"].as_str()
                })
        },
    )
    .await;
    total += check(
        "Fyi::set_enabled",
        &fyi::SET_ENABLED,
        &["PF"],
        |c| async move { c.fyi().set_enabled("PF", true).await },
        acknowledged,
    )
    .await;
    total += check(
        "Fyi::notifications",
        &fyi::NOTIFICATIONS,
        &[],
        |c| async move { c.fyi().notifications(10).await },
        |v, ex| {
            let expected = items(ex);
            v.len() == expected.len()
                && v.iter().zip(expected).all(|(n, e)| {
                    n.id.as_deref() == e["ID"].as_str() && n.read == (e["R"].as_i64() == Some(1))
                })
        },
    )
    .await;
    total += check(
        "Fyi::mark_read",
        &fyi::MARK_READ,
        &["2024031947509444"],
        |c| async move { c.fyi().mark_read("2024031947509444").await },
        acknowledged,
    )
    .await;
    total += check(
        "Fyi::disclaimer",
        &fyi::DISCLAIMER,
        &["BA"],
        |c| async move { c.fyi().disclaimer("BA").await },
        |d, ex| d.code.as_deref() == ex["FC"].as_str() && d.text.as_deref() == ex["DT"].as_str(),
    )
    .await;
    total += check(
        "Fyi::mark_disclaimer_read",
        &fyi::MARK_DISCLAIMER_READ,
        &["BA"],
        |c| async move { c.fyi().mark_disclaimer_read("BA").await },
        acknowledged,
    )
    .await;
    total += check(
        "Fyi::delivery_options",
        &fyi::DELIVERY_OPTIONS,
        &[],
        |c| async move { c.fyi().delivery_options().await },
        |o, ex| {
            o.email == (ex["M"].as_i64() == Some(1))
                && o.devices.len() == len(ex, "E")
                && o.devices
                    .iter()
                    .zip(items(&ex["E"]))
                    .all(|(d, e)| d.id.as_deref() == e["I"].as_str())
        },
    )
    .await;
    total += check(
        "Fyi::set_email_delivery",
        &fyi::SET_EMAIL_DELIVERY,
        &[],
        |c| async move { c.fyi().set_email_delivery(true).await },
        acknowledged,
    )
    .await;
    total += check(
        "Fyi::set_device_delivery",
        &fyi::SET_DEVICE_DELIVERY,
        &[],
        |c| async move {
            let device = DeliveryDevice {
                id: Some("d1".into()),
                ..DeliveryDevice::default()
            };
            c.fyi().set_device_delivery(&device).await
        },
        acknowledged,
    )
    .await;
    total += check(
        "Fyi::delete_device",
        &fyi::DELETE_DEVICE,
        &["d1"],
        |c| async move { c.fyi().delete_device("d1").await },
        acknowledged,
    )
    .await;
    eprintln!("fyi: {total} upstream examples checked");
}

#[tokio::test]
async fn analyst_examples() {
    if shared_dir().is_none() {
        return skip_message("analyst_examples");
    }
    let mut total = 0;
    total += check(
        "Analyst::performance",
        &analyst::PERFORMANCE,
        &[],
        |c| async move { c.analyst().performance(&["U1234567"], "1Y").await },
        |p, ex| {
            let navs = items(&ex["nav"]["data"][0]["navs"]);
            p.included.len() == len(ex, "included")
                && p.nav.dates.len() == len(&ex["nav"], "dates")
                && p.nav.data[0].navs.len() == navs.len()
                && p.nav.data[0].navs[0] == number(navs[0])
                && p.nav.data[0].start_nav.as_ref().and_then(|v| v.value)
                    == number(&ex["nav"]["data"][0]["startNAV"]["val"])
                && p.per_period.data[0].returns[0] == number(&ex["tpps"]["data"][0]["returns"][0])
                && p.per_period.data[0].returns.len() == len(&ex["tpps"]["data"][0], "returns")
        },
    )
    .await;
    total += check(
        "Analyst::summary",
        &analyst::SUMMARY,
        &[],
        |c| async move { c.analyst().summary(&["U1234567"]).await },
        |s, ex| s.currency.as_deref() == ex["currency"].as_str(),
    )
    .await;
    total += check(
        "Analyst::transactions",
        &analyst::TRANSACTIONS,
        &[],
        |c| async move {
            c.analyst()
                .transactions(&["U1234567"], &[265598], "USD", 7)
                .await
        },
        |t, ex| {
            t.currency.as_deref() == ex["currency"].as_str()
                && t.transactions.len() == len(ex, "transactions")
                && t.transactions
                    .iter()
                    .zip(items(&ex["transactions"]))
                    .all(|(t, e)| {
                        t.price == number(&e["pr"])
                            && t.quantity == number(&e["qty"])
                            && t.amount == number(&e["amt"])
                            && t.conid == conid(&e["conid"])
                    })
                && t.rpnl.as_ref().and_then(|r| r.amount) == number(&ex["rpnl"]["amt"])
                && t.rpnl.as_ref().map_or(0, |r| r.data.len()) == items(&ex["rpnl"]["data"]).len()
        },
    )
    .await;
    eprintln!("analyst: {total} upstream examples checked");
}

#[tokio::test]
async fn scanner_examples() {
    if shared_dir().is_none() {
        return skip_message("scanner_examples");
    }
    let mut total = 0;
    total += check(
        "Scanner::params",
        &scanner::PARAMS,
        &[],
        |c| async move { c.scanner().params().await },
        |p, ex| {
            p.scan_types.len() == len(ex, "scan_type_list")
                && p.instruments.len() == len(ex, "instrument_list")
                && p.filters.len() == len(ex, "filter_list")
                && p.scan_types[0].code.as_deref() == ex["scan_type_list"][0]["code"].as_str()
                && p.locations == ex["location_tree"]
        },
    )
    .await;
    total += check(
        "Scanner::run",
        &scanner::RUN,
        &[],
        |c| async move {
            let request = ScannerRequest::new("STK", "STK.US.MAJOR", "SCAN_tradeCount_DESC");
            c.scanner().run(&request).await
        },
        |v, ex| {
            // `{"contracts": [...]}` on the Web API, a list on the Gateway.
            let expected = match ex.get("contracts") {
                Some(contracts) => items(contracts),
                None => items(ex),
            };
            v.len() == expected.len()
                && v.iter().zip(expected).all(|(r, e)| {
                    r.conid == conid(&e["con_id"])
                        && r.symbol.as_deref() == e["symbol"].as_str()
                        && r.sec_type.as_ref().map(SecurityType::as_str) == e["sec_type"].as_str()
                        && r.contract_description.as_deref() == e["contract_description_1"].as_str()
                })
        },
    )
    .await;
    eprintln!("scanner: {total} upstream examples checked");
}

#[tokio::test]
async fn watchlists_examples() {
    if shared_dir().is_none() {
        return skip_message("watchlists_examples");
    }
    let mut total = 0;
    total += check(
        "Watchlists::list",
        &watchlists::LIST,
        &[],
        |c| async move { c.watchlists().list().await },
        |v, ex| {
            let expected = items(&ex["data"]["user_lists"]);
            v.len() == expected.len()
                && v.iter().zip(expected).all(|(w, e)| {
                    w.id.as_deref() == e["id"].as_str() && w.modified == e["modified"].as_i64()
                })
        },
    )
    .await;
    total += check(
        "Watchlists::get",
        &watchlists::GET,
        &[],
        |c| async move { c.watchlists().get("1234").await },
        |w, ex| {
            w.id.as_deref() == ex["id"].as_str()
                && w.instruments.len() == len(ex, "instruments")
                && w.instruments
                    .iter()
                    .zip(items(&ex["instruments"]))
                    .all(|(i, e)| {
                        i.conid == conid(&e["conid"])
                            && i.asset_class.as_ref().map(SecurityType::as_str)
                                == e["assetClass"].as_str()
                            && i.ticker.as_deref() == e["ticker"].as_str()
                    })
        },
    )
    .await;
    total += check(
        "Watchlists::create",
        &watchlists::CREATE,
        &[],
        |c| async move {
            c.watchlists()
                .create("1234", "Test Watchlist", &[8314])
                .await
        },
        |w, ex| w.name.as_deref() == ex["name"].as_str(),
    )
    .await;
    total += check(
        "Watchlists::delete",
        &watchlists::DELETE,
        &[],
        // Another id than the example's, so the answer's id is what is returned.
        |c| async move { c.watchlists().delete("9999").await },
        |id, ex| Some(id.as_str()) == ex["data"]["deleted"].as_str(),
    )
    .await;
    eprintln!("watchlists: {total} upstream examples checked");
}
