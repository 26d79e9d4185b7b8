//! `client.pnl()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::Error;
use rust_decimal::Decimal;
use serde_json::json;

#[tokio::test]
async fn partitioned_keeps_every_account() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/account/pnl/partitioned"));
                then.status(200).json_body(json!({"upnl": {
                    "DU1.Core": {"rowType": 1, "dpl": 125.5, "nl": "1000000", "upl": 5922.5, "el": 900000, "mv": 400000},
                    "DU2.Core": {"rowType": 1, "dpl": "", "nl": 250000}
                }}));
            })
            .await;
        let rows = client(&server, variant).pnl().partitioned().await.unwrap();
        mock.assert_async().await;
        assert_eq!(rows.len(), 2, "{variant}");
        assert_eq!(rows[0].account_id, "DU1");
        assert_eq!(rows[0].key, "DU1.Core");
        assert_eq!(rows[0].daily_pnl, Some(Decimal::new(1255, 1)));
        assert_eq!(rows[0].net_liquidation, Some(Decimal::from(1_000_000)));
        assert_eq!(rows[0].unrealized_pnl, Some("5922.5".parse().unwrap()));
        assert_eq!(rows[1].daily_pnl, None);
    }
}

#[tokio::test]
async fn no_bridge_is_mapped() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/pnl/partitioned"));
                then.status(400).json_body(json!({"error": "no bridge"}));
            })
            .await;
        let err = client(&server, variant)
            .pnl()
            .partitioned()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NoBrokerageSession(_)),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn empty_and_error_answers() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/pnl/partitioned"));
                then.status(200).json_body(json!({"upnl": {}}));
            })
            .await;
        let c = client(&server, variant);
        assert!(c.pnl().partitioned().await.unwrap().is_empty(), "{variant}");
        m.delete_async().await;

        let m = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/pnl/partitioned"));
                then.status(200).body("");
            })
            .await;
        assert!(c.pnl().partitioned().await.unwrap().is_empty(), "{variant}");
        m.assert_async().await;

        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/pnl/partitioned"));
                then.status(200)
                    .json_body(json!({"error": "Please query /accounts first"}));
            })
            .await;
        match client(&server, variant).pnl().partitioned().await {
            Err(Error::Api {
                operation, message, ..
            }) => {
                assert_eq!(operation, "Pnl::partitioned");
                assert_eq!(message, "Please query /accounts first");
            }
            other => panic!("{variant}: {other:?}"),
        }
    }
}
