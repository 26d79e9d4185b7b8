//! `client.scanner()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::ids::Conid;
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
        assert_eq!(hits[0].conid, Some(Conid(265598)));
        assert_eq!(hits[1].conid, Some(Conid(272093)));
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

/// A client without IBKR's pacing (`/iserver/scanner/params` is one call
/// per 15 minutes).
fn unpaced(server: &MockServer, variant: Variant) -> ibkr_client::Client {
    let config =
        common::config(server, variant).pacing(ibkr_client::pacing::PacingTable::unlimited());
    ibkr_client::Client::new(config).unwrap()
}

#[tokio::test]
async fn run_sends_the_request_as_is_and_reads_every_answer_shape() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let request = ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN")
            .filter("priceAbove", 5)
            .filter("stkTypes", "inc:CORP");
        let c = unpaced(&server, variant);
        for (answer, expected) in [
            (json!([]), 0),
            (json!(null), 0),
            (json!({"contracts": []}), 0),
            (json!({"contracts": null, "scan_data_column_name": "x"}), 0),
            (json!({"contracts": [{"con_id": 1}, {"con_id": 2}]}), 2),
            (json!([{"con_id": 1}]), 1),
            (json!({"con_id": 1, "symbol": "A"}), 1),
        ] {
            let run = server
                .mock_async(|when, then| {
                    when.method("POST")
                        .path(path(variant, "/iserver/scanner/run"))
                        .json_body(json!({
                            "instrument": "STK", "location": "STK.US.MAJOR", "type": "TOP_PERC_GAIN",
                            "filter": [{"code": "priceAbove", "value": 5}, {"code": "stkTypes", "value": "inc:CORP"}]
                        }));
                    then.status(200).json_body(answer.clone());
                })
                .await;
            let hits = c.scanner().run(&request).await.unwrap();
            run.assert_async().await;
            assert_eq!(hits.len(), expected, "{variant} {answer}");
            if expected > 0 {
                assert_eq!(hits[0].conid, Some(Conid(1)));
            }
            run.delete_async().await;
        }
    }
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
        let request = ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN");
        let results = [
            ("Scanner::params", c.scanner().params().await.map(drop)),
            ("Scanner::run", c.scanner().run(&request).await.map(drop)),
        ];
        for (name, result) in results {
            assert!(
                matches!(&result, Err(Error::Api { operation, message, .. }) if *operation == name && message == "boom"),
                "{variant} {name}: {result:?}"
            );
        }
    }
}
