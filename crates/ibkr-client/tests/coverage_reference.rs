//! `client.symbols()` and `client.quotes()`, the HMDS scanner, older FYI
//! notifications and the analyst's all-periods performance: each on the
//! variants that serve it, IBKR's errors, `Unsupported` elsewhere.

mod common;
mod coverage_support;

use common::path;
use coverage_support::{answered, client, ibkr_errors, unsupported};
use httpmock::MockServer;
use ibkr_client::areas::hmds_scanner::HmdsScanRequest;
use ibkr_client::areas::market_data::fields;
use ibkr_client::areas::symbols::SymbolSearch;
use ibkr_client::{Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn symbol_search_bond_filters_and_exchange_listings() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let search = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/secdef/search"))
                .query_param("symbol", "IBM")
                .query_param("secType", "BOND")
                .query_param("name", "true");
            then.status(200).json_body(json!([
                {"conid": "8314", "companyHeader": "INTL BUSINESS MACHINES CORP - NYSE", "companyName": "INTL BUSINESS MACHINES CORP",
                 "symbol": "IBM", "description": "NYSE", "restricted": null, "fop": null,
                 "opt": "20240315;20240322", "war": "20240208",
                 "sections": [{"secType": "STK"}, {"secType": "OPT", "months": "MAR24;APR24", "exchange": "SMART;AMEX"},
                              {"secType": "CFD", "exchange": "SMART", "conid": "118239202"}]},
                {"issuers": [{"id": "e1400789", "name": "International Business Machines Corp"}], "bondid": 5,
                 "conid": "2147483647", "companyHeader": "Corporate Fixed Income", "sections": [{"secType": "BOND"}]}
            ]));
        })
        .await;
    let filters = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/secdef/bond-filters"))
                .query_param("symbol", "BOND")
                .query_param("issueId", "e1400789");
            then.status(200).json_body(json!({"bondFilters": [
                {"displayText": "Maturity Date", "columnId": 27, "options": [{"text": "Jan 2025", "value": "202501"}]},
                {"displayText": "Coupon", "columnId": 25, "options": [{"value": 1.301}]}
            ]}));
        })
        .await;
    let listed = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/trsrv/all-conids"))
                .query_param("exchange", "NYSE")
                .query_param("assetClass", "STK");
            then.status(200).json_body(json!([{"ticker": "BMO", "conid": 5094, "exchange": "NYSE"},
                                               {"ticker": "BNS", "conid": "15156975", "exchange": "NYSE"}]));
        })
        .await;
    let c = client(&server, web);
    let hits = c
        .symbols()
        .search(&SymbolSearch::new("IBM").sec_type("BOND").by_name())
        .await
        .unwrap();
    search.assert_async().await;
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].conid.map(|c| c.get()), Some(8314));
    assert_eq!(hits[0].option_expiries, ["20240315", "20240322"]);
    assert_eq!(hits[0].sections[1].months, ["MAR24", "APR24"]);
    assert_eq!(hits[0].sections[1].exchanges, ["SMART", "AMEX"]);
    assert_eq!(hits[0].sections[2].conid.map(|c| c.get()), Some(118239202));
    assert_eq!(hits[0].restricted, None);
    assert_eq!(hits[1].issuers[0].id.as_deref(), Some("e1400789"));
    assert_eq!(hits[1].bond_id, Some(5));
    let f = c.symbols().bond_filters("e1400789").await.unwrap();
    filters.assert_async().await;
    assert_eq!(f[0].display_text.as_deref(), Some("Maturity Date"));
    assert_eq!(f[0].options[0].text.as_deref(), Some("Jan 2025"));
    assert_eq!(f[1].options[0].value.as_deref(), Some("1.301"));
    let l = c.symbols().all_conids("NYSE", Some("STK")).await.unwrap();
    listed.assert_async().await;
    assert_eq!(l.len(), 2);
    assert_eq!(l[1].conid.map(|c| c.get()), Some(15156975));
    // Nothing sent without what the query needs.
    assert!(matches!(
        c.symbols().search(&SymbolSearch::new(" ")).await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        c.symbols().bond_filters("").await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        c.symbols().all_conids("", None).await,
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn symbols_errors_and_gateway() {
    let web = Variant::Web;
    ibkr_errors("Symbols::search", web, |c| async move {
        c.symbols().search(&SymbolSearch::new("IBM")).await
    })
    .await;
    ibkr_errors("Symbols::bond_filters", web, |c| async move {
        c.symbols().bond_filters("e1").await
    })
    .await;
    ibkr_errors("Symbols::all_conids", web, |c| async move {
        c.symbols().all_conids("NYSE", None).await
    })
    .await;
    let gw = Variant::Gateway;
    unsupported("Symbols::search", gw, |c| async move {
        c.symbols().search(&SymbolSearch::new("IBM")).await
    })
    .await;
    unsupported("Symbols::bond_filters", gw, |c| async move {
        c.symbols().bond_filters("e1").await
    })
    .await;
    unsupported("Symbols::all_conids", gw, |c| async move {
        c.symbols().all_conids("NYSE", None).await
    })
    .await;
}

#[tokio::test]
async fn regulatory_snapshot_is_sent_once() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let snapshot = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/md/regsnapshot"))
                .query_param("conid", "265598");
            then.status(200).json_body(
                json!({"conid": 265598, "conidEx": "265598", "84": "174.58", "86": "174.59",
                                              "88": 1, "31": "174.59", "HasDelayed": false}),
            );
        })
        .await;
    let c = client(&server, web);
    let s = c.quotes().regulatory_snapshot(265598).await.unwrap();
    snapshot.assert_async().await;
    assert_eq!(s.conid, Some(265598.into()));
    assert_eq!(s.field(fields::BID), Some("174.58"));
    assert_eq!(s.field(fields::BID_SIZE), Some("1"));
    assert!(matches!(
        c.quotes().regulatory_snapshot(0).await,
        Err(Error::InvalidArgument(_))
    ));
    // Billed per call: a 503 is returned, not retried.
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.path(path(web, "/md/regsnapshot"));
            then.status(503).body("busy");
        })
        .await;
    let err = client(&server, web)
        .quotes()
        .regulatory_snapshot(265598)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(busy.calls_async().await, 1, "never retried");
}

#[tokio::test]
async fn gateway_md_snapshot() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let snapshot = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(gw, "/md/snapshot"))
                .query_param("conids", "265598@SMART:CS,8314")
                .query_param("fields", "31,84");
            then.status(200).json_body(
                json!([{"conid": 265598, "31": "189.5", "84": 189.4, "_updated": 1712000000000i64},
                                              {"conid": "8314", "31": "C185.0"}]),
            );
        })
        .await;
    let c = client(&server, gw);
    let q = c
        .quotes()
        .snapshot(&["265598@SMART:CS", "8314"], &[fields::LAST, fields::BID])
        .await
        .unwrap();
    snapshot.assert_async().await;
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].field(fields::BID), Some("189.4"));
    assert_eq!(q[0].updated, Some(1712000000000));
    assert_eq!(q[1].conid, Some(8314.into()));
    for (contracts, fields) in [
        (&[][..], &["31"][..]),
        (&["1,2"][..], &[][..]),
        (&["1"][..], &["3&1"][..]),
    ] {
        assert!(
            matches!(
                c.quotes().snapshot(contracts, fields).await,
                Err(Error::InvalidArgument(_))
            ),
            "{contracts:?} {fields:?}"
        );
    }
}

#[tokio::test]
async fn quotes_errors_and_other_variant() {
    ibkr_errors(
        "Quotes::regulatory_snapshot",
        Variant::Web,
        |c| async move { c.quotes().regulatory_snapshot(265598).await },
    )
    .await;
    ibkr_errors("Quotes::snapshot", Variant::Gateway, |c| async move {
        c.quotes().snapshot(&["265598"], &[]).await
    })
    .await;
    unsupported(
        "Quotes::regulatory_snapshot",
        Variant::Gateway,
        |c| async move { c.quotes().regulatory_snapshot(265598).await },
    )
    .await;
    unsupported("Quotes::snapshot", Variant::Web, |c| async move {
        c.quotes().snapshot(&["265598"], &[]).await
    })
    .await;
}

fn bond_scan() -> HmdsScanRequest {
    HmdsScanRequest::new("BOND", "BOND.US", "HIGH_BOND_ASK_YIELD_ALL", "BOND")
        .max_items(25)
        .delayed_locations("SMART")
        .filter("bondAskYieldBelow", 15.819)
}

#[tokio::test]
async fn hmds_scan_on_both_variants() {
    for (variant, route, filters) in [
        (
            Variant::Web,
            "/hmds/scanner/run",
            json!([{"bondAskYieldBelow": 15.819}]),
        ),
        (
            Variant::Gateway,
            "/hmds/scanner",
            json!([{"code": "bondAskYieldBelow", "value": 15.819}]),
        ),
    ] {
        let server = MockServer::start_async().await;
        let run = server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, route)).json_body(json!({
                    "instrument": "BOND", "locations": "BOND.US", "scanCode": "HIGH_BOND_ASK_YIELD_ALL", "secType": "BOND",
                    "delayedLocations": "SMART", "maxItems": 25, "filters": filters
                }));
                then.status(200).json_body(json!({"total": 17616, "size": 250, "offset": 0, "scanTime": "20240403-20:31:48",
                    "id": "scanner20", "position": "v1:AAAAAQABG3gAAAAAAAAA+g==",
                    "Contracts": {"Contract": [{"inScanTime": "20240403-20:31:48", "contractID": 403154854},
                                               {"inScanTime": "20240403-20:31:48", "contractID": "460655952"}]}}));
            })
            .await;
        let found = client(&server, variant)
            .scanner()
            .hmds_run(&bond_scan())
            .await
            .unwrap();
        run.assert_async().await;
        assert_eq!(found.total, Some(17616), "{variant}");
        assert_eq!(found.id.as_deref(), Some("scanner20"));
        assert_eq!(found.contracts.len(), 2);
        assert_eq!(found.contracts[1].conid.map(|c| c.get()), Some(460655952));
        ibkr_errors("Scanner::hmds_run", variant, |c| async move {
            c.scanner().hmds_run(&bond_scan()).await
        })
        .await;
    }
    // One contract alone, or none.
    let one = answered(
        Variant::Gateway,
        200,
        r#"{"id": 7, "Contracts": {"Contract": {"contractID": 1}}}"#,
        |c| async move { c.scanner().hmds_run(&bond_scan()).await },
    )
    .await
    .unwrap();
    assert_eq!((one.id.as_deref(), one.contracts.len()), (Some("7"), 1));
    let none = answered(
        Variant::Web,
        200,
        r#"{"scanTime": "x", "Contracts": {}}"#,
        |c| async move { c.scanner().hmds_run(&bond_scan()).await },
    )
    .await
    .unwrap();
    assert!(none.contracts.is_empty());
}

#[tokio::test]
async fn hmds_params_on_the_web_api() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let params = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/hmds/scanner/params"));
            then.status(200).json_body(json!({
                "instrument_list": [{"display_name": "US Bonds", "type": "BOND", "filters": ["bondAskYieldBelow"]}],
                "scan_type_list": [{"display_name": "High Yield", "code": "HIGH_BOND_ASK_YIELD_ALL", "instruments": ["BOND"]}],
                "location_tree": [{"display_name": "Bonds", "type": "BOND",
                                   "locations": [{"display_name": "US", "locationCode": "BOND.US", "locations": []}]}]
            }));
        })
        .await;
    let p = client(&server, web).scanner().hmds_params().await.unwrap();
    params.assert_async().await;
    assert_eq!(p.instruments[0].kind.as_deref(), Some("BOND"));
    assert_eq!(
        p.scan_types[0].code.as_deref(),
        Some("HIGH_BOND_ASK_YIELD_ALL")
    );
    assert_eq!(p.locations[0].locations[0].code.as_deref(), Some("BOND.US"));
    ibkr_errors("Scanner::hmds_params", web, |c| async move {
        c.scanner().hmds_params().await
    })
    .await;
    unsupported("Scanner::hmds_params", Variant::Gateway, |c| async move {
        c.scanner().hmds_params().await
    })
    .await;
}

#[tokio::test]
async fn more_notifications_on_the_gateway() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let more = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(gw, "/fyi/notifications/more"))
                .query_param("id", "n10");
            then.status(200).json_body(
                json!([{"R": 0, "D": "1710847062.0", "MS": "FYI: Older", "MD": "<html>…</html>",
                                               "ID": "n9", "FC": "PF"}]),
            );
        })
        .await;
    let c = client(&server, gw);
    let older = c.fyi().more_notifications("n10").await.unwrap();
    more.assert_async().await;
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].id.as_deref(), Some("n9"));
    assert!(!older[0].read);
    assert!(matches!(
        c.fyi().more_notifications(" ").await,
        Err(Error::InvalidArgument(_))
    ));
    let none = answered(gw, 200, "[]", |c| async move {
        c.fyi().more_notifications("n1").await
    })
    .await;
    assert!(none.unwrap().is_empty());
    ibkr_errors("Fyi::more_notifications", gw, |c| async move {
        c.fyi().more_notifications("n1").await
    })
    .await;
    unsupported("Fyi::more_notifications", Variant::Web, |c| async move {
        c.fyi().more_notifications("n1").await
    })
    .await;
}

#[tokio::test]
async fn all_periods_on_the_web_api() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let all = server
        .mock_async(|when, then| {
            when.method("POST").path(path(web, "/pa/allperiods")).json_body(json!({"acctIds": ["DU1"]}));
            then.status(200).json_body(json!({
                "currencyType": "base", "rc": 0, "view": ["DU1"], "nd": 368, "id": "getPerformanceAllPeriods",
                "included": ["DU1"], "pm": "TWR",
                "DU1": {"baseCurrency": "USD", "start": "20230426", "end": "20240426", "periods": ["1D", "YTD"],
                        "lastSuccessfulUpdate": "2024-04-26 16:46:42",
                        "1D": {"nav": [1390987.0689], "cps": [0.0072], "freq": "D", "dates": ["20240426"],
                               "startNAV": {"date": "20240425", "val": 1381022.2557}},
                        "YTD": {"nav": [1282878.735, "N/A"], "cps": [0, -0.0047], "freq": "D", "dates": ["20240101", "20240102"]}}
            }));
        })
        .await;
    let c = client(&server, web);
    let p = c.analyst().all_periods(&["DU1"]).await.unwrap();
    all.assert_async().await;
    assert_eq!(p.method.as_deref(), Some("TWR"));
    assert_eq!(p.view, ["DU1"]);
    assert_eq!(p.nd, Some(368));
    let du1 = &p.accounts["DU1"];
    assert_eq!(du1.base_currency.as_deref(), Some("USD"));
    assert_eq!(du1.period_names, ["1D", "YTD"]);
    assert_eq!(du1.periods["1D"].nav, [Some(dec("1390987.0689"))]);
    assert_eq!(
        du1.periods["1D"].start_nav.as_ref().unwrap().value,
        Some(dec("1381022.2557"))
    );
    assert_eq!(du1.periods["YTD"].nav, [Some(dec("1282878.735")), None]);
    assert_eq!(
        du1.periods["YTD"].returns,
        [Some(Decimal::ZERO), Some(dec("-0.0047"))]
    );
    // What it serializes to reads back.
    let back: ibkr_client::areas::analyst_more::AllPeriods =
        serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
    assert_eq!(back, p);
    assert!(matches!(
        c.analyst().all_periods(&[]).await,
        Err(Error::InvalidArgument(_))
    ));
    ibkr_errors("Analyst::all_periods", web, |c| async move {
        c.analyst().all_periods(&["DU1"]).await
    })
    .await;
    unsupported("Analyst::all_periods", Variant::Gateway, |c| async move {
        c.analyst().all_periods(&["DU1"]).await
    })
    .await;
}
