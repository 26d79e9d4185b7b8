//! `client.scanner()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::scanner::ScannerRequest;
use ibkr_client::{Error, Variant};
use serde_json::json;

#[tokio::test]
async fn params_and_run() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let params = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/scanner/params"));
                then.status(200).json_body(json!({
                    "scan_type_list": [{"display_name": "Top % Gainers", "code": "TOP_PERC_GAIN", "instruments": ["STK"]}],
                    "instrument_list": [{"display_name": "US Stocks", "type": "STK", "filters": ["priceAbove"]}],
                    "filter_list": [{"group": "g", "display_name": "Price Above", "code": "priceAbove", "type": "non-range"}],
                    "location_tree": [{"display_name": "US", "type": "STK", "locations": []}]
                }));
            })
            .await;
        let rows = json!([
            {"symbol": "AAPL", "con_id": 265598, "conidex": "265598", "company_name": "APPLE INC",
             "listing_exchange": "NASDAQ", "sec_type": "STK", "column_name": "Chg%"},
            {"symbol": "MSFT", "con_id": "272093", "company_name": ""}
        ]);
        let body = if variant == Variant::Web {
            json!({"contracts": rows, "scan_data_column_name": "Chg%"})
        } else {
            rows
        };
        let run = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/scanner/run"))
                    .json_body_includes(r#"{"instrument": "STK", "location": "STK.US.MAJOR", "type": "TOP_PERC_GAIN"}"#);
                then.status(200).json_body(body);
            })
            .await;
        let c = client(&server, variant);
        let p = c.scanner().params().await.unwrap();
        params.assert_async().await;
        assert_eq!(
            p.scan_types[0].code.as_deref(),
            Some("TOP_PERC_GAIN"),
            "{variant}"
        );
        assert_eq!(p.instruments[0].kind.as_deref(), Some("STK"));
        assert_eq!(p.filters[0].code.as_deref(), Some("priceAbove"));
        assert!(p.locations.is_array());
        let hits = c
            .scanner()
            .run(
                &ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN")
                    .filter("priceAbove", 5),
            )
            .await
            .unwrap();
        run.assert_async().await;
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].conid, Some(265598));
        assert_eq!(hits[1].conid, Some(272093));
        assert_eq!(hits[1].company_name, None);
    }
}

#[tokio::test]
async fn no_bridge_is_mapped() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/scanner/params"));
                then.status(400)
                    .json_body(json!({"error": "no bridge", "statusCode": 400}));
            })
            .await;
        let err = client(&server, variant)
            .scanner()
            .params()
            .await
            .unwrap_err();
        // The Gateway's spec drops error bodies: an HTTP error with status 400.
        assert!(
            matches!(
                err,
                Error::NoBrokerageSession(_) | Error::Http { status: 400, .. }
            ),
            "{variant}: {err:?}"
        );
    }
}
