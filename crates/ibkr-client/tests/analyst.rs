//! `client.analyst()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::{Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn performance_and_transactions() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let perf = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/pa/performance"))
                    .json_body_includes(r#"{"acctIds": ["DU1"]}"#);
                then.status(200).json_body(json!({
                    "currencyType": "base", "rc": 0, "nd": 3, "pm": "TWR", "id": "getPerformanceData",
                    "included": ["DU1"],
                    "nav": {"dates": ["20240102", "20240103"], "freq": "D",
                            "data": [{"id": "DU1", "idType": "acctid", "baseCurrency": "USD", "start": "20240102", "end": "20240103",
                                      "navs": [1000000, "1000100.5"], "startNAV": {"date": "20240101", "val": 1000000}}]},
                    "cps": {"dates": ["20240102"], "freq": "D", "data": [{"id": "DU1", "returns": [0.0012]}]},
                    "tpps": {"dates": [], "freq": "D", "data": []}
                }));
            })
            .await;
        let tx = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/pa/transactions"))
                    .json_body_includes(r#"{"acctIds": ["DU1"], "conids": [265598], "currency": "USD", "days": 30}"#);
                then.status(200).json_body(json!({
                    "id": "getTransactions", "currency": "USD", "from": 1, "to": 2, "includesRealTime": true,
                    "transactions": [{"acctid": "DU1", "conid": 265598, "cur": "USD", "date": "d", "desc": "APPLE INC",
                                      "type": "Buy", "qty": 100, "pr": "189.5", "amt": -18950, "fxRate": 1}]
                }));
            })
            .await;
        let c = client(&server, variant);
        let p = c.analyst().performance(&["DU1"], "1M").await.unwrap();
        perf.assert_async().await;
        assert_eq!(p.included, ["DU1"], "{variant}");
        assert_eq!(p.nav.dates.len(), 2);
        assert_eq!(
            p.nav.data[0].navs,
            [Some(d("1000000.0")), Some(d("1000100.5"))]
        );
        assert_eq!(p.cumulative.data[0].returns, [Some(d("0.0012"))]);
        let t = c
            .analyst()
            .transactions(&["DU1"], &[265598], "USD", 30)
            .await
            .unwrap();
        tx.assert_async().await;
        assert!(t.includes_real_time);
        assert_eq!(t.transactions[0].price, Some(d("189.5")));
        assert_eq!(t.transactions[0].kind.as_deref(), Some("Buy"));
    }
}

#[tokio::test]
async fn summary_is_gateway_only() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(Variant::Gateway, "/pa/summary"))
                .json_body(json!({"acctIds": ["DU1"]}));
            then.status(200).json_body(json!({"currency": "USD", "amount": 1000000.0, "value": "1,000,000.00", "isNull": false, "timestamp": 1}));
        })
        .await;
    let s = client(&server, Variant::Gateway)
        .analyst()
        .summary(&["DU1"])
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(s.amount, Some(d("1000000.0")));
    let err = client(&server, Variant::Web)
        .analyst()
        .summary(&["DU1"])
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unsupported {
                operation: "Analyst::summary",
                variant: Variant::Web,
            }
        ),
        "{err:?}"
    );
    // Nothing was sent for the Web API's call.
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn server_error_is_http() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path(path(variant, "/pa/performance"));
                then.status(500).body("oops");
            })
            .await;
        let err = client(&server, variant)
            .analyst()
            .performance(&["DU1"], "1D")
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Http { status: 500, .. }),
            "{variant}: {err:?}"
        );
    }
}

/// A client without IBKR's pacing (one call per 15 minutes to each `/pa`
/// endpoint).
fn unpaced(server: &MockServer, variant: Variant) -> ibkr_client::Client {
    let config =
        common::config(server, variant).pacing(ibkr_client::pacing::PacingTable::unlimited());
    ibkr_client::Client::new(config).unwrap()
}

#[tokio::test]
async fn bodies_are_sent_as_ibkr_expects() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        // `period` on both variants, integer conids and days.
        let perf = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/pa/performance"))
                    .json_body(json!({"acctIds": ["DU1", "DU2"], "period": "YTD"}));
                then.status(200).json_body(json!({"pm": "TWR"}));
            })
            .await;
        let tx = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/pa/transactions"))
                    .json_body(json!({"acctIds": ["DU1"], "conids": [265598, 8314], "currency": "EUR", "days": 7}));
                then.status(200).json_body(json!({"currency": "EUR", "transactions": []}));
            })
            .await;
        let c = unpaced(&server, variant);
        let p = c
            .analyst()
            .performance(&["DU1", "DU2"], "YTD")
            .await
            .unwrap();
        perf.assert_async().await;
        assert_eq!(p.method.as_deref(), Some("TWR"), "{variant}");
        let t = c
            .analyst()
            .transactions(&["DU1"], &[265598, 8314], "EUR", 7)
            .await
            .unwrap();
        tx.assert_async().await;
        assert!(t.transactions.is_empty());
    }
}

#[tokio::test]
async fn series_keep_unreadable_values_in_place() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(Variant::Web, "/pa/performance"));
            then.status(200).json_body(json!({
                "nav": {"dates": ["1", "2", "3"], "data": [{"navs": [1, "N/A", "1,000.5"]}]},
                "cps": {"data": [{"returns": null}]}
            }));
        })
        .await;
    let p = unpaced(&server, Variant::Web)
        .analyst()
        .performance(&["DU1"], "1M")
        .await
        .unwrap();
    assert_eq!(
        p.nav.data[0].navs,
        [Some(d("1.0")), None, Some(d("1000.5"))]
    );
    assert!(p.cumulative.data[0].returns.is_empty());
}

/// Every method, given IBKR's error-shaped 200, fails with `Error::Api`
/// naming its operation.
#[tokio::test]
async fn error_answers_name_the_operation() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).json_body(json!({"error": "boom"}));
            })
            .await;
        let c = unpaced(&server, variant);
        let analyst = c.analyst();
        let mut results = vec![
            (
                "Analyst::performance",
                analyst.performance(&["DU1"], "1M").await.map(drop),
            ),
            (
                "Analyst::transactions",
                analyst
                    .transactions(&["DU1"], &[1], "USD", 1)
                    .await
                    .map(drop),
            ),
        ];
        if variant == Variant::Gateway {
            results.push((
                "Analyst::summary",
                analyst.summary(&["DU1"]).await.map(drop),
            ));
        }
        for (name, result) in results {
            assert!(
                matches!(&result, Err(Error::Api { operation, message, .. }) if *operation == name && message == "boom"),
                "{variant} {name}: {result:?}"
            );
        }
    }
}
