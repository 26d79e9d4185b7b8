//! Accounts, portfolio, contracts and market data on both variants.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::contracts::SecdefInfoQuery;
use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::market_data::{SnapshotPrice, fields};
use ibkr_client::areas::orders::{OrderType, SecurityType};
use ibkr_client::{Error, Variant};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Mocks `method path` on a fresh server answering `body`; returns the server.
fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn serve(variant: Variant, method: &str, p: &str, body: Value) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(method).path(path(variant, p));
            then.status(200).json_body(body);
        })
        .await;
    server
}

#[tokio::test]
async fn brokerage_accounts() {
    for variant in VARIANTS {
        let s = serve(variant, "GET", "/iserver/accounts", json!({
            "accounts": ["U1", "U2"], "selectedAccount": "U1", "aliases": {"U1": "main", "U2": "U2"}
        }))
        .await;
        let r = client(&s, variant)
            .accounts()
            .brokerage_accounts()
            .await
            .unwrap();
        assert_eq!(r.accounts, vec!["U1", "U2"], "{variant}");
        assert_eq!(r.selected_account.as_deref(), Some("U1"));
        assert_eq!(r.aliases["U1"], "main");
    }
}

#[tokio::test]
async fn portfolio_accounts_subaccounts_and_meta() {
    let account = json!({
        "id": "U1", "accountId": "U1", "accountTitle": "Jane", "displayName": "U1",
        "currency": "USD", "type": "INDIVIDUAL", "tradingType": "STKNOPT", "faclient": false, "covestor": false
    });
    for variant in VARIANTS {
        let s = serve(variant, "GET", "/portfolio/accounts", json!([account])).await;
        let r = client(&s, variant)
            .accounts()
            .portfolio_accounts()
            .await
            .unwrap();
        assert_eq!(r.len(), 1, "{variant}");
        assert_eq!(r[0].id.as_deref(), Some("U1"));
        assert_eq!(r[0].currency.as_deref(), Some("USD"));

        // A list (what IBKR sends), or one account (what the Gateway's
        // spec describes).
        for (body, count) in [(json!([account, account]), 2), (account.clone(), 1)] {
            let s = serve(variant, "GET", "/portfolio/subaccounts", body).await;
            let r = client(&s, variant).accounts().subaccounts().await.unwrap();
            assert_eq!(r.len(), count, "{variant}");
            assert_eq!(r[0].title.as_deref(), Some("Jane"), "{variant}");
        }

        // One account (what IBKR sends), or a list of one (what the
        // Gateway's spec describes).
        for body in [account.clone(), json!([account])] {
            let s = serve(variant, "GET", "/portfolio/U1/meta", body).await;
            let r = client(&s, variant).accounts().meta("U1").await.unwrap();
            assert_eq!(r.title.as_deref(), Some("Jane"), "{variant}");
        }
        let s = serve(
            variant,
            "GET",
            "/portfolio/U1/meta",
            json!([account, account]),
        )
        .await;
        let err = client(&s, variant).accounts().meta("U1").await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Decode {
                    operation: "Accounts::meta",
                    ..
                }
            ),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn account_summary_leniently() {
    for variant in VARIANTS {
        let s = serve(variant, "GET", "/portfolio/U1/summary", json!({
            "netliquidation": {"amount": 1000.5, "currency": "USD", "isNull": false, "timestamp": 1700000000000i64},
            "availablefunds": {"amount": "250.25", "currency": "USD", "isNull": false, "timestamp": "N/A"},
            "accounttype": {"amount": 0, "value": "INDIVIDUAL", "isNull": false}
        }))
        .await;
        let r = client(&s, variant).accounts().summary("U1").await.unwrap();
        assert_eq!(r["netliquidation"].amount, Some(d("1000.5")), "{variant}");
        assert_eq!(r["availablefunds"].amount, Some(d("250.25")));
        assert_eq!(r["availablefunds"].timestamp, None);
        assert_eq!(r["accounttype"].value.as_deref(), Some("INDIVIDUAL"));
    }
}

#[tokio::test]
async fn ledger() {
    for variant in VARIANTS {
        let s = serve(variant, "GET", "/portfolio/U1/ledger", json!({
            "BASE": {"currency": "BASE", "cashbalance": 100.0, "netliquidationvalue": "2,000.5", "exchangerate": 1}
        }))
        .await;
        let r = client(&s, variant).accounts().ledger("U1").await.unwrap();
        assert_eq!(r["BASE"].cash_balance, Some(d("100.0")), "{variant}");
        assert_eq!(r["BASE"].net_liquidation_value, Some(d("2000.5")));
    }
}

#[tokio::test]
async fn allocation() {
    let one = json!({
        "assetClass": {"long": {"STK": 1000.0}, "short": {"OPT": "-10"}},
        "sector": {"long": {"Technology": 1000.0}, "short": {}},
        "group": {"long": {"Computers": 1000.0}, "short": {}}
    });
    // One allocation (what IBKR sends), or a list of one (what the
    // Gateway's spec describes), on each variant.
    for (variant, body) in VARIANTS
        .into_iter()
        .flat_map(|v| [(v, one.clone()), (v, json!([one]))])
    {
        let s = serve(variant, "GET", "/portfolio/U1/allocation", body).await;
        let r = client(&s, variant)
            .accounts()
            .allocation("U1")
            .await
            .unwrap();
        assert_eq!(r.asset_class.long["STK"], d("1000.0"), "{variant}");
        assert_eq!(r.asset_class.short["OPT"], d("-10.0"));
        assert_eq!(r.sector.long["Technology"], d("1000.0"));
    }
}

#[tokio::test]
async fn switch_account() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account"))
                    .json_body(json!({"acctId": "U2"}));
                then.status(200)
                    .json_body(json!({"set": true, "acctId": "U2"}));
            })
            .await;
        let r = client(&server, variant)
            .accounts()
            .switch_account("U2")
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.set, Some(true), "{variant}");
        assert_eq!(r.account_id.as_deref(), Some("U2"));
        assert_eq!(r.message, None);
    }
}

/// IBKR answers `{"success": "…"}` when the account is already selected;
/// the message is kept (it used to be dropped).
#[tokio::test]
async fn switch_account_keeps_ibkrs_message() {
    for variant in VARIANTS {
        let s = serve(
            variant,
            "POST",
            "/iserver/account",
            json!({"success": "Account already set"}),
        )
        .await;
        let r = client(&s, variant)
            .accounts()
            .switch_account("U2")
            .await
            .unwrap();
        assert_eq!(
            r.message.as_deref(),
            Some("Account already set"),
            "{variant}"
        );
        assert_eq!(r.set, None);
    }
}

fn position(conid: i64) -> Value {
    json!({
        "acctId": "U1", "conid": conid, "contractDesc": "AAPL", "position": 10.0, "mktPrice": 190.5,
        "mktValue": 1905.0, "currency": "USD", "avgCost": 150.0, "avgPrice": 150.0,
        "realizedPnl": 0.0, "unrealizedPnl": 405.0, "assetClass": "STK"
    })
}

#[tokio::test]
async fn positions_typed_and_lenient() {
    for variant in VARIANTS {
        let s = serve(
            variant,
            "GET",
            "/portfolio/U1/positions/0",
            json!([position(265598)]),
        )
        .await;
        let r = client(&s, variant)
            .portfolio()
            .positions("U1", 0)
            .await
            .unwrap();
        assert_eq!(r.len(), 1, "{variant}");
        assert_eq!(r[0].conid, Some(Conid(265598)));
        assert_eq!(r[0].mkt_price, Some(d("190.5")));

        // Numbers as strings, "N/A" and "".
        let mut odd = position(265598);
        odd["position"] = json!("10");
        odd["mktPrice"] = json!("N/A");
        odd["unrealizedPnl"] = json!("");
        odd["conid"] = json!("265598");
        let s = serve(variant, "GET", "/portfolio/U1/positions/1", json!([odd])).await;
        let r = client(&s, variant)
            .portfolio()
            .positions("U1", 1)
            .await
            .unwrap();
        assert_eq!(r[0].position, Some(d("10.0")), "{variant}");
        assert_eq!(r[0].mkt_price, None);
        assert_eq!(r[0].unrealized_pnl, None);
        assert_eq!(r[0].conid, Some(Conid(265598)));
    }
}

#[tokio::test]
async fn position_by_conid_and_across_accounts() {
    for variant in VARIANTS {
        let s = serve(
            variant,
            "GET",
            "/portfolio/U1/position/265598",
            json!([position(265598)]),
        )
        .await;
        let r = client(&s, variant)
            .portfolio()
            .position("U1", 265598)
            .await
            .unwrap();
        assert_eq!(r[0].contract_desc.as_deref(), Some("AAPL"), "{variant}");

        // Each account's positions as a list (IBKR's answer) or as one
        // position (the Web spec's description), on each variant.
        let body = json!({"U1": [position(265598)], "U2": position(265598), "U3": []});
        let s = serve(variant, "GET", "/portfolio/positions/265598", body).await;
        let r = client(&s, variant)
            .portfolio()
            .positions_by_conid(265598)
            .await
            .unwrap();
        assert_eq!(r["U1"][0].position, Some(d("10.0")), "{variant}");
        assert_eq!(r["U2"][0].position, Some(d("10.0")), "{variant}");
        assert!(r["U3"].is_empty());
        assert_eq!(r.len(), 3);
    }
}

#[tokio::test]
async fn invalidate_positions() {
    for variant in VARIANTS {
        let s = serve(
            variant,
            "POST",
            "/portfolio/U1/positions/invalidate",
            json!({"message": "success"}),
        )
        .await;
        let r = client(&s, variant)
            .portfolio()
            .invalidate_positions("U1")
            .await
            .unwrap();
        assert_eq!(r.message.as_deref(), Some("success"), "{variant}");
    }
}

#[tokio::test]
async fn contract_search() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/secdef/search"))
                    .json_body_includes(r#"{"symbol": "AAPL", "secType": "STK"}"#);
                then.status(200).json_body(json!([{
                    "conid": "265598", "companyName": "APPLE INC", "symbol": "AAPL",
                    "description": "NASDAQ", "sections": [{"secType": "STK"}]
                }]));
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .search("AAPL", Some("STK"), false)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r[0].conid, Some(Conid(265598)), "{variant}");
        assert_eq!(r[0].company_name.as_deref(), Some("APPLE INC"));

        // By name, without a security type.
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/secdef/search"))
                    .json_body(json!({"symbol": "apple", "name": true}));
                then.status(200)
                    .json_body(json!({"conid": 265598, "sections": null}));
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .search("apple", None, true)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.len(), 1, "{variant}");
        assert!(r[0].sections.is_empty());
    }
}

#[tokio::test]
async fn secdef_info_and_strikes() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/secdef/info"))
                    .query_param("conid", "265598")
                    .query_param("sectype", "OPT")
                    .query_param("month", "JAN26");
                then.status(200).json_body(json!([{
                    "conid": 123, "symbol": "AAPL", "secType": "OPT", "strike": "200", "right": "C",
                    "maturityDate": "20260116", "multiplier": "100"
                }]));
            })
            .await;
        let q = SecdefInfoQuery {
            conid: Conid(265598),
            sec_type: "OPT".into(),
            month: Some("JAN26".into()),
            right: Some("C".into()),
            strike: Some(d("200.0")),
            ..Default::default()
        };
        let r = client(&server, variant)
            .contracts()
            .secdef_info(&q)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r[0].strike, Some(d("200.0")), "{variant}");
        assert_eq!(r[0].multiplier, Some(d("100.0")));

        let body = match variant {
            Variant::Web => json!({"call": [195.0, 200.0], "put": [195.0]}),
            Variant::Gateway => json!({"call": ["195", "200"], "put": ["195"]}),
        };
        let s = serve(variant, "GET", "/iserver/secdef/strikes", body).await;
        let r = client(&s, variant)
            .contracts()
            .strikes(265598, "OPT", "JAN26", None)
            .await
            .unwrap();
        assert_eq!(r.call, vec![d("195.0"), d("200.0")], "{variant}");
        assert_eq!(r.put, vec![d("195.0")]);
    }
}

#[tokio::test]
async fn contract_info_rules_and_algos() {
    for variant in VARIANTS {
        let s = serve(
            variant,
            "GET",
            "/iserver/contract/265598/info",
            json!({
                "con_id": 265598, "symbol": "AAPL", "instrument_type": "STK", "exchange": "SMART",
                "currency": "USD", "company_name": "APPLE INC", "multiplier": ""
            }),
        )
        .await;
        let r = client(&s, variant).contracts().info(265598).await.unwrap();
        assert_eq!(r.conid, Some(Conid(265598)), "{variant}");
        assert_eq!(r.sec_type, Some(SecurityType::Stock));
        assert_eq!(r.multiplier, None);

        let s = MockServer::start_async().await;
        let m = s
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/contract/265598/info-and-rules"))
                    .query_param("isBuy", "false");
                then.status(200).json_body(json!({
                    "con_id": 265598, "symbol": "AAPL", "rules": {"defaultSize": 100}
                }));
            })
            .await;
        let r = client(&s, variant)
            .contracts()
            .info_and_rules(265598, false)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.rules.unwrap()["defaultSize"], 100, "{variant}");

        // Older Gateways send both spellings of the company name: the
        // answer still decodes.
        let s = serve(
            variant,
            "GET",
            "/iserver/contract/265598/info",
            json!({"con_id": "265598", "company_name": "APPLE INC", "companyName": "APPLE INC"}),
        )
        .await;
        let r = client(&s, variant).contracts().info(265598).await.unwrap();
        assert_eq!(r.company_name.as_deref(), Some("APPLE INC"), "{variant}");
        assert_eq!(r.conid, Some(Conid(265598)));

        // `{"algos": […]}` (the Web API) or the list (the Gateway), on
        // each variant.
        let algos = json!([{"name": "Adaptive", "id": "Adaptive"}, {"name": "VWAP", "id": "Vwap"}]);
        for body in [json!({"algos": algos}), algos.clone()] {
            let server = MockServer::start_async().await;
            let m = server
                .mock_async(|when, then| {
                    when.method("GET")
                        .path(path(variant, "/iserver/contract/265598/algos"))
                        .query_param("addDescription", "true")
                        .query_param("addParams", "true");
                    then.status(200).json_body(body);
                })
                .await;
            let r = client(&server, variant)
                .contracts()
                .algos(265598, true)
                .await
                .unwrap();
            m.assert_async().await;
            assert_eq!(r.len(), 2, "{variant}");
            assert_eq!(r[1].id.as_deref(), Some("Vwap"));
        }
    }
}

#[tokio::test]
async fn trsrv_secdef_stocks_futures() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                match variant {
                    Variant::Web => when
                        .method("GET")
                        .path("/v1/api/trsrv/secdef")
                        .query_param("conids", "1,2"),
                    Variant::Gateway => when
                        .method("POST")
                        .path("/v1/api/trsrv/secdef")
                        .json_body(json!({"conids": [1, 2]})),
                };
                then.status(200).json_body(json!({"secdef": [
                    {"conid": 1, "ticker": "A", "currency": "USD"}, {"conid": "2", "ticker": "B"}
                ]}));
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .secdef(&[1, 2])
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.len(), 2, "{variant}");
        assert_eq!(r[1].conid, Some(Conid(2)));
        assert_eq!(r[0].symbol.as_deref(), Some("A"));

        // The plain list the Gateway's spec describes is read too.
        let method = if variant == Variant::Web {
            "GET"
        } else {
            "POST"
        };
        let s = serve(
            variant,
            method,
            "/trsrv/secdef",
            json!([{"conid": 1, "ticker": "A"}, {"conid": 2, "name": "B INC", "assetClass": "STK"}]),
        )
        .await;
        let r = client(&s, variant)
            .contracts()
            .secdef(&[1, 2])
            .await
            .unwrap();
        assert_eq!(r.len(), 2, "{variant}");
        assert_eq!(r[1].company_name.as_deref(), Some("B INC"));
        assert_eq!(r[1].sec_type, Some(SecurityType::Stock));

        let s = serve(variant, "GET", "/trsrv/stocks", json!({
            "AAPL": [{"name": "APPLE INC", "assetClass": "STK", "contracts": [{"conid": 265598, "exchange": "NASDAQ", "isUS": true}]}]
        }))
        .await;
        let r = client(&s, variant)
            .contracts()
            .stocks(&["AAPL"])
            .await
            .unwrap();
        assert_eq!(
            r["AAPL"][0].contracts[0].conid,
            Some(Conid(265598)),
            "{variant}"
        );

        // One listing instead of a list, and a symbol with a space (sent
        // encoded).
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/trsrv/stocks"))
                    .query_param("symbols", "BRK B,AAPL");
                then.status(200).json_body(json!({
                    "BRK B": {"name": "BERKSHIRE HATHAWAY INC-CL B", "contracts": {"conid": 72063691}},
                    "AAPL": []
                }));
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .stocks(&["BRK B", "AAPL"])
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(
            r["BRK B"][0].contracts[0].conid,
            Some(Conid(72063691)),
            "{variant}"
        );
        assert!(r["AAPL"].is_empty());

        let s = serve(variant, "GET", "/trsrv/futures", json!({
            "ES": [{"symbol": "ES", "conid": 495512557, "underlyingConid": 11004968, "expirationDate": 20251219, "ltd": 20251219}]
        }))
        .await;
        let r = client(&s, variant)
            .contracts()
            .futures(&["ES"])
            .await
            .unwrap();
        assert_eq!(
            r["ES"][0].expiration_date.as_deref(),
            Some("20251219"),
            "{variant}"
        );
    }
    let server = MockServer::start_async().await;
    let many: Vec<i64> = (0..201).collect();
    assert!(matches!(
        common::gateway(&server).contracts().secdef(&many).await,
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn snapshot_with_fields() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/marketdata/snapshot"))
                    .query_param("conids", "265598,8314")
                    .query_param("fields", "31,84,86")
                    // Sent as IBKR writes them, commas unencoded.
                    .is_true(|req| {
                        req.uri_str()
                            .ends_with("?conids=265598,8314&fields=31,84,86")
                    });
                then.status(200).json_body(json!([
                    {"conid": 265598, "conidEx": "265598", "_updated": 1700000000000i64, "31": "C190.5", "84": "190.4", "86": "N/A", "6509": "RpB"},
                    {"conid": "8314", "31": 12.5}
                ]));
            })
            .await;
        let r = client(&server, variant)
            .market_data()
            .snapshot(&[265598, 8314], &[fields::LAST, fields::BID, fields::ASK])
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.len(), 2, "{variant}");
        assert_eq!(r[0].conid, Some(Conid(265598)));
        // `C190.5` is the prior close, never a live price.
        assert_eq!(r[0].last(), Some(SnapshotPrice::PriorClose(d("190.5"))));
        assert_eq!(r[0].live_price(fields::LAST), None);
        assert_eq!(r[0].bid(), Some(SnapshotPrice::Live(d("190.4"))));
        assert_eq!(r[0].ask(), None);
        assert_eq!(r[0].field(fields::AVAILABILITY), Some("RpB"));
        assert_eq!(r[1].conid, Some(Conid(8314)));
        assert_eq!(r[1].last(), Some(SnapshotPrice::Live(d("12.5"))));
    }
}

#[tokio::test]
async fn history() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/marketdata/history"))
                    .query_param("conid", "265598")
                    .query_param("period", "1d")
                    .query_param("bar", "5min");
                then.status(200).json_body(json!({
                    "symbol": "AAPL", "text": "APPLE INC", "barLength": 300, "mdAvailability": "S",
                    "data": [{"t": 1700000000000i64, "o": 190.0, "h": "191.5", "l": 189.5, "c": 191.0, "v": 1000}]
                }));
            })
            .await;
        let r = client(&server, variant)
            .market_data()
            .history(265598, "1d", "5min", false)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.symbol.as_deref(), Some("AAPL"), "{variant}");
        assert_eq!(r.data.len(), 1);
        assert_eq!(r.data[0].h, Some(d("191.5")));
        assert_eq!(r.bar_length, Some(300));
    }
}

#[tokio::test]
async fn unsubscribe_and_unsubscribe_all() {
    let server = MockServer::start_async().await;
    let web = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/api/iserver/marketdata/unsubscribe")
                .json_body(json!({"conid": 265598}));
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let r = common::web(&server)
        .market_data()
        .unsubscribe(265598)
        .await
        .unwrap();
    web.assert_async().await;
    assert_eq!(r.confirmed, Some(true));

    let s = serve(
        Variant::Gateway,
        "GET",
        "/iserver/marketdata/265598/unsubscribe",
        json!({"confirmed": "true"}),
    )
    .await;
    let r = common::gateway(&s)
        .market_data()
        .unsubscribe(265598)
        .await
        .unwrap();
    assert_eq!(r.confirmed, Some(true));

    for (variant, body) in [
        (Variant::Web, json!({"unsubscribed": true})),
        (Variant::Gateway, json!({"confirmed": true})),
    ] {
        let s = serve(variant, "GET", "/iserver/marketdata/unsubscribeall", body).await;
        let r = client(&s, variant)
            .market_data()
            .unsubscribe_all()
            .await
            .unwrap();
        assert_eq!(r.confirmed, Some(true), "{variant}");
    }
}

/// IBKR's flat answer to `/iserver/contract/rules`, numbers partly as text.
fn contract_rules() -> Value {
    json!({
        "algoEligible": true, "overnightEligible": false, "canTradeAcctIds": ["DU1"],
        "orderTypes": ["limit", "market", "stop"], "orderTypesOutside": ["limit"],
        "tifTypes": ["DAY/o,a", "GTC/o,a"], "ibAlgoTypes": ["Adaptive"],
        "defaultSize": 100, "sizeIncrement": "1", "cashSize": 0.0, "cashCcy": "USD",
        "increment": 0.01, "incrementDigits": 2, "limitPrice": "190.5", "stopprice": 188,
        "preview": true, "negativeCapable": false,
        "incrementRules": [{"lowerEdge": 0.0, "increment": 0.01}],
        "orderDefaults": {"LMT": {"LP": "190.50"}}
    })
}

#[tokio::test]
async fn contract_rules_for_a_side() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/contract/rules"))
                    .json_body_includes(r#"{"conid": 265598, "isBuy": false}"#);
                then.status(200).json_body(contract_rules());
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .rules(265598, false)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(
            r.order_types,
            [OrderType::Limit, OrderType::Market, OrderType::Stop],
            "{variant}"
        );
        assert_eq!(r.tif_types.len(), 2);
        assert_eq!(r.ib_algo_types, [OrderType::Other("Adaptive".into())]);
        assert_eq!(r.can_trade_account_ids, ["DU1"]);
        assert_eq!(r.default_size, Some(d("100.0")));
        assert_eq!(r.size_increment, Some(d("1.0")));
        assert_eq!(r.increment, Some(d("0.01")));
        assert_eq!(r.increment_digits, Some(2));
        assert_eq!(r.limit_price, Some(d("190.5")));
        assert_eq!(r.stop_price, Some(d("188.0")));
        assert_eq!(r.algo_eligible, Some(true));
        assert_eq!(r.increment_rules[0].increment, Some(d("0.01")));
        assert_eq!(r.cash_currency.as_deref(), Some("USD"));
        assert!(r.order_defaults.is_some());
    }
    // The shape the Gateway spec describes is read too, on each variant;
    // two rule sets where one is expected are an error, not a drop.
    for variant in VARIANTS {
        let s = serve(
            variant,
            "POST",
            "/iserver/contract/rules",
            json!({"rules": [contract_rules()]}),
        )
        .await;
        let r = client(&s, variant)
            .contracts()
            .rules(265598, true)
            .await
            .unwrap();
        assert_eq!(
            r.order_types,
            [OrderType::Limit, OrderType::Market, OrderType::Stop],
            "{variant}"
        );

        let s = serve(
            variant,
            "POST",
            "/iserver/contract/rules",
            json!({"rules": [contract_rules(), contract_rules()]}),
        )
        .await;
        let err = client(&s, variant)
            .contracts()
            .rules(265598, true)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Decode {
                    operation: "Contracts::rules",
                    ..
                }
            ),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn trading_schedule() {
    let venue = json!({
        "id": "p101781", "tradeVenueId": "v13038", "exchange": "NASDAQ",
        "description": "Nasdaq", "timezone": "America/New_York",
        "schedules": [{
            "clearingCycleEndTime": "2000", "tradingScheduleDate": 20000101,
            "sessions": [{"openingTime": "0930", "closingTime": "1600", "prop": "LIQUID"}],
            "tradingtimes": [{"openingTime": "0400", "closingTime": "2000", "cancelDayOrders": "Y"}]
        }]
    });
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/trsrv/secdef/schedule"))
                    .query_param("assetClass", "STK")
                    .query_param("symbol", "AAPL")
                    .query_param("exchange", "NASDAQ");
                then.status(200).json_body(json!([venue]));
            })
            .await;
        let r = client(&server, variant)
            .contracts()
            .trading_schedule("STK", "AAPL", Some("NASDAQ"))
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.len(), 1, "{variant}");
        assert_eq!(r[0].exchange.as_deref(), Some("NASDAQ"));
        assert_eq!(r[0].timezone.as_deref(), Some("America/New_York"));
        let day = &r[0].schedules[0];
        assert_eq!(day.date.as_deref(), Some("20000101"));
        assert_eq!(day.sessions[0].opening_time.as_deref(), Some("0930"));
        assert_eq!(day.sessions[0].prop.as_deref(), Some("LIQUID"));
        assert_eq!(day.trading_times[0].closing_time.as_deref(), Some("2000"));
        assert_eq!(day.trading_times[0].cancel_day_orders.as_deref(), Some("Y"));
    }
    // One venue as the Gateway spec describes it (`tradingTimes`, objects).
    let s = serve(
        Variant::Gateway,
        "GET",
        "/trsrv/secdef/schedule",
        json!({"id": "p1", "tradeVenueId": "v1", "schedules": [{
            "clearingCycleEndTime": 2000, "tradingScheduleDate": 20240102,
            "sessions": {"openingTime": 930, "closingTime": 1600},
            "tradingTimes": {"openingTime": 400, "closingTime": 2000, "cancelDayOrders": "N"}
        }]}),
    )
    .await;
    let r = common::gateway(&s)
        .contracts()
        .trading_schedule("STK", "AAPL", None)
        .await
        .unwrap();
    assert_eq!(r[0].trade_venue_id.as_deref(), Some("v1"));
    assert_eq!(
        r[0].schedules[0].sessions[0].closing_time.as_deref(),
        Some("1600")
    );
    assert_eq!(
        r[0].schedules[0].trading_times[0]
            .cancel_day_orders
            .as_deref(),
        Some("N")
    );
    // Both specs list the asset classes; others are refused before
    // anything is sent.
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let err = client(&server, variant)
            .contracts()
            .trading_schedule("XYZ", "AAPL", None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument(_)),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn contract_rules_and_schedule_errors() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/contract/rules"));
                then.status(500).body(r#"{"error": "contract not found"}"#);
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/trsrv/secdef/schedule"));
                then.status(200).body("<html>gateway page</html>");
            })
            .await;
        let c = client(&server, variant);
        let err = c.contracts().rules(1, true).await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 500, body, .. } if body.contains("contract not found")),
            "{variant}: {err:?}"
        );
        let err = c
            .contracts()
            .trading_schedule("STK", "AAPL", None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { body, .. } if body.contains("gateway page")),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn hmds_history() {
    let bars = json!({
        "startTime": "20240102-14:30:00", "startTimeVal": 1704205800000i64,
        "endTime": "20240109-21:00:00", "endTimeVal": 1704834000000i64,
        "points": 2, "mktDataDelay": 0,
        "data": [
            {"t": 1704205800000i64, "o": 187.15, "h": "188.44", "l": 183.89, "c": 185.64, "v": 82488700},
            {"t": 1704292200000i64, "o": "184.22", "h": 185.88, "l": 183.43, "c": 184.25, "v": "N/A"}
        ]
    });
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/hmds/history"))
                    .query_param("conid", "265598")
                    .query_param("period", "1w")
                    .query_param("bar", "1d")
                    .query_param("outsideRth", "true");
                then.status(200).json_body(bars.clone());
            })
            .await;
        let r = client(&server, variant)
            .market_data()
            .hmds_history(265598, "1w", "1d", true)
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(r.points, Some(2), "{variant}");
        assert_eq!(r.start_time.as_deref(), Some("20240102-14:30:00"));
        assert_eq!(r.end_time_val, Some(1_704_834_000_000));
        assert_eq!(r.mkt_data_delay, Some(0));
        assert_eq!(r.data.len(), 2);
        assert_eq!(r.data[0].h, Some(d("188.44")));
        assert_eq!(r.data[1].o, Some(d("184.22")));
        assert_eq!(r.data[1].v, None);
    }
    // The shape the Gateway spec describes is read too, on each variant.
    for variant in VARIANTS {
        let s = serve(variant, "GET", "/hmds/history", json!({"bars": bars})).await;
        let r = client(&s, variant)
            .market_data()
            .hmds_history(265598, "1w", "1d", false)
            .await
            .unwrap();
        assert_eq!(r.data.len(), 2, "{variant}");
        assert_eq!(r.points, Some(2));
    }
}

#[tokio::test]
async fn hmds_history_errors() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/hmds/history"));
                then.status(500).body("HMDS unavailable");
            })
            .await;
        let c = client(&server, variant);
        let err = c
            .market_data()
            .hmds_history(265598, "1d", "5min", false)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 500, body, .. } if body == "HMDS unavailable"),
            "{variant}: {err:?}"
        );
        mock.assert_async().await;
        for (period, bar) in [("1 d", "5min"), ("1d", "5min&x=1"), ("", "1h")] {
            let err = c
                .market_data()
                .hmds_history(265598, period, bar, false)
                .await
                .unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgument(_)),
                "{variant}: {err:?}"
            );
        }
        // Nothing else was sent.
        mock.assert_calls_async(1).await;
    }
}

/// Asserts that `result` is IBKR's `{"error": "boom"}` as `Error::Api`
/// naming `operation`.
fn is_boom<T: std::fmt::Debug>(variant: Variant, operation: &str, result: Result<T, Error>) {
    match result {
        Err(Error::Api {
            operation: op,
            message,
            body,
        }) => {
            assert_eq!(op, operation, "{variant}");
            assert_eq!(message, "boom", "{variant} {operation}");
            assert!(body.contains("boom"), "{variant} {operation}");
        }
        other => panic!("{variant} {operation}: expected Error::Api, got {other:?}"),
    }
}

/// Every method of the four areas, on each variant, turns IBKR's
/// error-shaped 200 answer into `Error::Api` naming its operation.
#[tokio::test]
async fn every_method_reports_ibkrs_error_answers() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.path_prefix("/v1/api/");
                then.status(200).json_body(json!({"error": "boom"}));
            })
            .await;
        let c = client(&server, variant);
        let (a, p, k, m) = (c.accounts(), c.portfolio(), c.contracts(), c.market_data());
        is_boom(
            variant,
            "Accounts::brokerage_accounts",
            a.brokerage_accounts().await,
        );
        is_boom(
            variant,
            "Accounts::portfolio_accounts",
            a.portfolio_accounts().await,
        );
        is_boom(variant, "Accounts::subaccounts", a.subaccounts().await);
        is_boom(variant, "Accounts::summary", a.summary("U1").await);
        is_boom(variant, "Accounts::ledger", a.ledger("U1").await);
        is_boom(variant, "Accounts::meta", a.meta("U1").await);
        is_boom(variant, "Accounts::allocation", a.allocation("U1").await);
        is_boom(
            variant,
            "Accounts::switch_account",
            a.switch_account("U1").await,
        );
        is_boom(variant, "Portfolio::positions", p.positions("U1", 0).await);
        is_boom(variant, "Portfolio::position", p.position("U1", 1).await);
        is_boom(
            variant,
            "Portfolio::positions_by_conid",
            p.positions_by_conid(1).await,
        );
        is_boom(
            variant,
            "Portfolio::invalidate_positions",
            p.invalidate_positions("U1").await,
        );
        is_boom(
            variant,
            "Contracts::search",
            k.search("AAPL", None, false).await,
        );
        let q = SecdefInfoQuery {
            conid: Conid(1),
            sec_type: "OPT".into(),
            ..Default::default()
        };
        is_boom(variant, "Contracts::secdef_info", k.secdef_info(&q).await);
        is_boom(
            variant,
            "Contracts::strikes",
            k.strikes(1, "OPT", "JAN26", None).await,
        );
        is_boom(variant, "Contracts::info", k.info(1).await);
        is_boom(
            variant,
            "Contracts::info_and_rules",
            k.info_and_rules(1, true).await,
        );
        is_boom(variant, "Contracts::algos", k.algos(1, false).await);
        is_boom(variant, "Contracts::rules", k.rules(1, true).await);
        is_boom(
            variant,
            "Contracts::trading_schedule",
            k.trading_schedule("STK", "A", None).await,
        );
        is_boom(variant, "Contracts::secdef", k.secdef(&[1]).await);
        is_boom(variant, "Contracts::stocks", k.stocks(&["A"]).await);
        is_boom(variant, "Contracts::futures", k.futures(&["ES"]).await);
        is_boom(
            variant,
            "MarketData::snapshot",
            m.snapshot(&[1], &[fields::LAST]).await,
        );
        is_boom(
            variant,
            "MarketData::history",
            m.history(1, "1d", "1h", false).await,
        );
        is_boom(
            variant,
            "MarketData::hmds_history",
            m.hmds_history(1, "1d", "1h", false).await,
        );
        is_boom(variant, "MarketData::unsubscribe", m.unsubscribe(1).await);
        is_boom(
            variant,
            "MarketData::unsubscribe_all",
            m.unsubscribe_all().await,
        );
        any.assert_calls_async(28).await;
    }
}

/// Path arguments are checked before anything is sent, and encoded.
#[tokio::test]
async fn path_arguments_are_checked_and_encoded() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let encoded = server
            .mock_async(|when, then| {
                when.path(path(variant, "/portfolio/U%201%2F..%3Fx/summary"));
                then.status(200).json_body(json!({}));
            })
            .await;
        let c = client(&server, variant);
        // One path segment, whatever it holds.
        assert!(c.accounts().summary("U 1/..?x").await.unwrap().is_empty());
        encoded.assert_async().await;
        for bad in ["", ".", ".."] {
            let err = c.portfolio().positions(bad, 0).await.unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgument(_)),
                "{variant} {bad:?}: {err:?}"
            );
        }
    }
}

/// Every operation of the four areas is served on both variants (none is
/// `Unsupported`).
#[test]
fn every_operation_is_served_on_both_variants() {
    let server = MockServer::start();
    for variant in VARIANTS {
        let c = client(&server, variant);
        for area in ["Accounts", "Portfolio", "Contracts", "MarketData"] {
            let ops: Vec<_> = ibkr_ops::all()
                .filter(|op| op.name.starts_with(&format!("{area}::")))
                .collect();
            assert!(!ops.is_empty(), "{area}");
            for op in ops {
                assert!(c.supports(op.name), "{variant}: {}", op.name);
            }
        }
    }
}

/// A server that sends each answer's headers at once and its body only
/// after `delay`, counting the requests whose body has not been sent yet.
async fn slow_body_server(
    delay: std::time::Duration,
) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, max) = (in_flight.clone(), most.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (now, max) = (now.clone(), max.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut chunk = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&chunk[..n]),
                    }
                }
                let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(current, Ordering::SeqCst);
                let body = r#"{"symbol":"AAPL","data":[{"t":1,"c":1.5}]}"#;
                let headers = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(headers.as_bytes()).await;
                let _ = socket.flush().await;
                tokio::time::sleep(delay).await;
                // Counted out before the body leaves: once the client has
                // the body, the request no longer counts.
                now.fetch_sub(1, Ordering::SeqCst);
                let _ = socket.write_all(body.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (base, in_flight, most)
}

/// IBKR allows 5 history requests in flight. The pacer's slot is held
/// until the body has been read, so a server that sends the headers at
/// once and the body later never sees a sixth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_five_history_requests_are_in_flight_until_their_bodies_are_read() {
    use ibkr_client::pacing::PacingTable;
    use ibkr_client::{BearerToken, Client, Config};
    for variant in VARIANTS {
        let (base, in_flight, most) = slow_body_server(std::time::Duration::from_millis(300)).await;
        let config = match variant {
            Variant::Web => Config::web(BearerToken::new("t")).base_url(&base),
            Variant::Gateway => Config::gateway().base_url(format!("{base}/v1/api")),
        };
        // IBKR's documented limits without the global rate, so that the
        // five are sent at once.
        let pacing = PacingTable::for_variant(variant).with_global(None);
        let config = config
            .pacing(pacing)
            .max_pacing_wait(std::time::Duration::from_secs(10));
        let c = Client::new(config).unwrap();
        let calls = (0..12).map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.market_data().history(i, "1d", "1h", false).await })
        });
        for call in calls.collect::<Vec<_>>() {
            let h = call.await.unwrap().unwrap();
            assert_eq!(h.symbol.as_deref(), Some("AAPL"), "{variant}");
            assert_eq!(h.data[0].c, Some(d("1.5")));
        }
        assert_eq!(most.load(Ordering::SeqCst), 5, "{variant}: most in flight");
        assert_eq!(in_flight.load(Ordering::SeqCst), 0);
    }
}
