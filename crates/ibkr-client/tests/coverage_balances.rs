//! `client.balances()` (Web API) and `client.fx()` (Web API): answers,
//! IBKR's errors, and `Unsupported` on the Gateway.

mod common;
mod coverage_support;

use common::path;
use coverage_support::{client, ibkr_errors, unsupported};
use httpmock::MockServer;
use ibkr_client::{Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn summary_and_sections_on_the_web_api() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let summary = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/U1/summary"));
            then.status(200).json_body(json!({
                "accountType": "", "status": "", "balance": 825903.0, "SMA": "368538", "buyingPower": 3307124.25,
                "netLiquidationValue": 1290490, "totalCashValue": -401846.0, "regTLoan": "N/A",
                "cashBalances": [{"currency": "EUR", "balance": 194.0, "settledCash": 194.0},
                                 {"currency": "Total (in USD)", "balance": -401846.0, "settledCash": "-401,846"}]
            }));
        })
        .await;
    let funds = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/U1/summary/available_funds"));
            then.status(200).json_body(json!({
                "total": {"current_available": "825,208 USD", "SMA": "368,538 USD", "Lk Ahd Avlbl Fnds": "821,067 USD",
                          "leverage": "n/a", "Lk Ahd Nxt Chng": "@ 16:00:00", "day_trades_left": "Unlimited"},
                "securities": {"current_available": "802,725 USD", "leverage": "1.43"},
                "note": "not a segment"
            }));
        })
        .await;
    let balances = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/U1/summary/balances"));
            then.status(200).json_body(json!({
                "total": {"net_liquidation": "1,288,301 USD", "cash": "-401,693 USD", "MTD Interest": "-549 USD",
                          "Prvs Dy Eqty Wth Ln Vl": "1,275,902 USD"}
            }));
        })
        .await;
    let margins = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/U1/summary/margins"));
            then.status(200).json_body(json!({
                "total": {"RegT Margin": "896,255 USD", "current_initial": "468,562 USD", "current_maint": "467,308 USD",
                          "projected_liquidity_inital_margin": "468,562 USD", "Prjctd Ovrnght Mntnnc Mrgn": "467,308 USD"},
                "commodities": {"current_initial": "13,794 USD"}
            }));
        })
        .await;
    let market_value = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/U1/summary/market_value"));
            then.status(200).json_body(json!({
                "USD": {"total_cash": "-401,958", "stock": "1,691,668", "Exchange Rate": "1.00", "unrealized_pnl": "253,275"},
                "EUR": {"total_cash": "194", "Exchange Rate": "1.092525", "Govt Bonds": "0"}
            }));
        })
        .await;
    let c = client(&server, web);
    let b = c.balances();

    let s = b.summary("U1").await.unwrap();
    summary.assert_async().await;
    assert_eq!(s.balance, Some(dec("825903")));
    assert_eq!(s.sma, Some(dec("368538")));
    assert_eq!(s.buying_power, Some(dec("3307124.25")));
    assert_eq!(s.net_liquidation_value, Some(dec("1290490")));
    assert_eq!(s.total_cash_value, Some(dec("-401846")));
    assert_eq!(s.reg_t_loan, None);
    assert_eq!(s.account_type, None);
    assert_eq!(s.cash_balances.len(), 2);
    assert_eq!(s.cash_balances[1].settled_cash, Some(dec("-401846")));

    let f = b.available_funds("U1").await.unwrap();
    funds.assert_async().await;
    assert_eq!(f.len(), 2, "a non-object value is not a segment");
    let total = &f["total"];
    let available = total.current_available.as_ref().unwrap();
    assert_eq!(available.value, dec("825208"));
    assert_eq!(available.currency.as_deref(), Some("USD"));
    assert_eq!(
        total.look_ahead_available.as_ref().unwrap().value,
        dec("821067")
    );
    assert_eq!(total.leverage, None);
    assert_eq!(total.look_ahead_next_change.as_deref(), Some("@ 16:00:00"));
    assert_eq!(total.day_trades_left.as_deref(), Some("Unlimited"));
    assert_eq!(f["securities"].leverage, Some(dec("1.43")));

    let bal = b.balances("U1").await.unwrap();
    balances.assert_async().await;
    let total = &bal["total"];
    assert_eq!(
        total.net_liquidation.as_ref().unwrap().value,
        dec("1288301")
    );
    assert_eq!(total.cash.as_ref().unwrap().value, dec("-401693"));
    assert_eq!(total.mtd_interest.as_ref().unwrap().value, dec("-549"));
    assert_eq!(
        total.previous_day_equity_with_loan.as_ref().unwrap().value,
        dec("1275902")
    );

    let m = b.margins("U1").await.unwrap();
    margins.assert_async().await;
    assert_eq!(
        m["total"].reg_t_margin.as_ref().unwrap().value,
        dec("896255")
    );
    assert_eq!(
        m["total"]
            .projected_look_ahead_initial
            .as_ref()
            .unwrap()
            .value,
        dec("468562")
    );
    assert_eq!(
        m["total"].projected_overnight_maint.as_ref().unwrap().value,
        dec("467308")
    );
    assert_eq!(
        m["commodities"].current_initial.as_ref().unwrap().value,
        dec("13794")
    );

    let mv = b.market_value("U1").await.unwrap();
    market_value.assert_async().await;
    assert_eq!(mv["USD"].stock, Some(dec("1691668")));
    assert_eq!(mv["USD"].total_cash, Some(dec("-401958")));
    assert_eq!(mv["EUR"].exchange_rate, Some(dec("1.092525")));
    assert_eq!(mv["EUR"].govt_bonds, Some(Decimal::ZERO));
}

#[tokio::test]
async fn balances_errors_and_empty_answers() {
    let web = Variant::Web;
    ibkr_errors("Balances::summary", web, |c| async move {
        c.balances().summary("U1").await
    })
    .await;
    ibkr_errors("Balances::available_funds", web, |c| async move {
        c.balances().available_funds("U1").await
    })
    .await;
    ibkr_errors("Balances::balances", web, |c| async move {
        c.balances().balances("U1").await
    })
    .await;
    ibkr_errors("Balances::margins", web, |c| async move {
        c.balances().margins("U1").await
    })
    .await;
    ibkr_errors("Balances::market_value", web, |c| async move {
        c.balances().market_value("U1").await
    })
    .await;
    // An empty section is empty; an empty summary is an error, not zeros.
    let empty =
        coverage_support::answered(
            web,
            200,
            "",
            |c| async move { c.balances().margins("U1").await },
        )
        .await;
    assert!(empty.unwrap().is_empty());
    let empty =
        coverage_support::answered(
            web,
            200,
            "",
            |c| async move { c.balances().summary("U1").await },
        )
        .await;
    assert!(matches!(empty, Err(Error::Decode { .. })), "{empty:?}");
    // The account id is one path segment.
    let server = MockServer::start_async().await;
    let encoded = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/account/U%201%2F2/summary/margins"));
            then.status(200).json_body(json!({}));
        })
        .await;
    client(&server, web)
        .balances()
        .margins("U 1/2")
        .await
        .unwrap();
    encoded.assert_async().await;
}

#[tokio::test]
async fn balances_are_unsupported_on_the_gateway() {
    let gw = Variant::Gateway;
    unsupported("Balances::summary", gw, |c| async move {
        c.balances().summary("U1").await
    })
    .await;
    unsupported("Balances::available_funds", gw, |c| async move {
        c.balances().available_funds("U1").await
    })
    .await;
    unsupported("Balances::balances", gw, |c| async move {
        c.balances().balances("U1").await
    })
    .await;
    unsupported("Balances::margins", gw, |c| async move {
        c.balances().margins("U1").await
    })
    .await;
    unsupported("Balances::market_value", gw, |c| async move {
        c.balances().market_value("U1").await
    })
    .await;
}

#[tokio::test]
async fn currency_pairs_and_exchange_rates() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let pairs = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/currency/pairs"))
                .query_param("currency", "USD");
            then.status(200).json_body(json!({"USD": [
                {"symbol": "USD.SGD", "conid": 37928772, "ccyPair": "SGD"},
                {"symbol": "USD.RON", "conid": "38231133", "ccyPair": "RON"}
            ]}));
        })
        .await;
    let rate = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/exchangerate"))
                .query_param("source", "USD")
                .query_param("target", "EUR");
            then.status(200).json_body(json!({"rate": 0.91324199}));
        })
        .await;
    let c = client(&server, web);
    let p = c.fx().pairs("usd").await.unwrap();
    pairs.assert_async().await;
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].symbol.as_deref(), Some("USD.SGD"));
    assert_eq!(p[1].conid.map(|c| c.get()), Some(38231133));
    assert_eq!(p[1].counter_currency.as_deref(), Some("RON"));
    assert_eq!(
        c.fx().exchange_rate("USD", "EUR").await.unwrap(),
        Some(dec("0.91324199"))
    );
    rate.assert_async().await;
    // Nothing sent for a malformed code.
    for bad in ["", "US", "US D", "USD&x=1"] {
        assert!(
            matches!(c.fx().pairs(bad).await, Err(Error::InvalidArgument(_))),
            "{bad:?}"
        );
        assert!(
            matches!(
                c.fx().exchange_rate("USD", bad).await,
                Err(Error::InvalidArgument(_))
            ),
            "{bad:?}"
        );
    }
    let none = coverage_support::answered(web, 200, r#"{"rate": null}"#, |c| async move {
        c.fx().exchange_rate("USD", "XAU").await
    })
    .await;
    assert_eq!(none.unwrap(), None);
}

#[tokio::test]
async fn fx_errors_and_gateway() {
    ibkr_errors("Fx::pairs", Variant::Web, |c| async move {
        c.fx().pairs("USD").await
    })
    .await;
    ibkr_errors("Fx::exchange_rate", Variant::Web, |c| async move {
        c.fx().exchange_rate("USD", "EUR").await
    })
    .await;
    unsupported("Fx::pairs", Variant::Gateway, |c| async move {
        c.fx().pairs("USD").await
    })
    .await;
    unsupported("Fx::exchange_rate", Variant::Gateway, |c| async move {
        c.fx().exchange_rate("USD", "EUR").await
    })
    .await;
}
