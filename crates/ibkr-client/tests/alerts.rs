//! `client.alerts()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::Error;
use ibkr_client::areas::alerts::{AlertCondition, AlertRequest};
use ibkr_client::areas::orders::OrderState;
use serde_json::json;

#[tokio::test]
async fn list_and_get() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let list = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/account/DU1/alerts"));
                then.status(200).json_body(json!([
                    {"order_id": 9001, "account": "DU1", "alert_name": "AAPL", "alert_active": 1,
                     "alert_repeatable": 0, "alert_triggered": false, "order_time": "20240102-14:30:00"},
                    {"order_id": "9002", "account": "DU1", "alert_name": "", "alert_active": "0"}
                ]));
            })
            .await;
        let get = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/alert/9001"));
                then.status(200).json_body(json!({
                    "order_id": 9001, "account": "DU1", "alertName": "AAPL", "alert_name": "AAPL",
                    "alert_active": 1, "tif": "GTC", "alert_triggered": false,
                    "conditions": [{"condition_type": 1, "conidex": "265598@SMART",
                        "condition_operator": ">=", "condition_value": "200",
                        "contract_description_1": "AAPL"}]
                }));
            })
            .await;
        let c = client(&server, variant);
        let alerts = c.alerts().list("DU1").await.unwrap();
        list.assert_async().await;
        assert_eq!(alerts.len(), 2, "{variant}");
        assert_eq!(alerts[0].id, Some(9001));
        assert!(alerts[0].active);
        assert_eq!(alerts[1].id, Some(9002));
        assert!(!alerts[1].active);
        assert_eq!(alerts[1].name, None);
        let details = c.alerts().get(9001).await.unwrap();
        get.assert_async().await;
        assert_eq!(details.name.as_deref(), Some("AAPL"));
        assert_eq!(details.conditions.len(), 1);
        assert_eq!(details.conditions[0].operator.as_deref(), Some(">="));
        assert_eq!(details.conditions[0].value.as_deref(), Some("200"));
    }
}

#[tokio::test]
async fn create_modify_activate_delete() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let create = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/DU1/alert"))
                    .json_body_includes(r#"{"alertName": "AAPL above 200", "orderId": 0, "tif": "GTC"}"#);
                then.status(200)
                    .json_body(json!({"request_id": null, "order_id": 9005, "success": true, "text": "Submitted", "warning_message": ""}));
            })
            .await;
        let modify = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/DU1/alert"))
                    .json_body_includes(r#"{"orderId": 9005}"#);
                then.status(200)
                    .json_body(json!({"order_id": 9005, "success": true}));
            })
            .await;
        let activate = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/iserver/account/DU1/alert/activate"))
                    .json_body(json!({"alertId": 9005, "alertActive": 0}));
                then.status(200)
                    .json_body(json!({"order_id": 9005, "success": true, "failure_list": ""}));
            })
            .await;
        let delete = server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/iserver/account/DU1/alert/9005"));
                then.status(200)
                    .json_body(json!({"order_id": 9005, "success": true, "text": "deleted"}));
            })
            .await;
        let c = client(&server, variant);
        let request = AlertRequest::new("AAPL above 200").condition(AlertCondition::price(
            "265598@SMART",
            ">=",
            "200",
        ));
        let created = c.alerts().create("DU1", &request).await.unwrap();
        create.assert_async().await;
        assert!(created.success, "{variant}");
        assert_eq!(created.id, Some(9005));
        assert_eq!(created.warning, None);
        let modified = c.alerts().modify("DU1", 9005, &request).await.unwrap();
        modify.assert_async().await;
        assert!(modified.success);
        assert!(
            c.alerts()
                .activate("DU1", 9005, false)
                .await
                .unwrap()
                .success
        );
        activate.assert_async().await;
        let deleted = c.alerts().delete("DU1", 9005).await.unwrap();
        delete.assert_async().await;
        assert_eq!(deleted.text.as_deref(), Some("deleted"));
    }
}

#[tokio::test]
async fn no_bridge_is_mapped() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/DU1/alerts"));
                then.status(401).body("");
            })
            .await;
        let err = client(&server, variant)
            .alerts()
            .list("DU1")
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NotAuthenticated(_)),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn mta_alert() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let mta = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/iserver/account/mta"));
                then.status(200).json_body(json!({
                    "account": "DU1", "order_id": "1700000001", "alert_name": "MTA",
                    "alert_active": "1", "alert_triggered": false, "tif": "GTC",
                    "alert_play_audio": null, "order_status": "Presubmitted",
                    "conditions": [{"condition_type": 7, "conidex": "*", "condition_operator": null}]
                }));
            })
            .await;
        let details = client(&server, variant).alerts().mta().await.unwrap();
        mta.assert_async().await;
        assert_eq!(details.id, Some(1_700_000_001), "{variant}");
        assert_eq!(details.name.as_deref(), Some("MTA"));
        assert!(details.active);
        assert_eq!(details.status, Some(OrderState::PreSubmitted));
        assert_eq!(details.conditions.len(), 1);
        assert_eq!(details.conditions[0].conidex.as_deref(), Some("*"));
    }
}

#[tokio::test]
async fn mta_alert_errors() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let failing = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/mta"));
                then.status(500).body(r#"{"error": "internal"}"#);
            })
            .await;
        let c = client(&server, variant);
        let err = c.alerts().mta().await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 500, body, .. } if body.contains("internal")),
            "{variant}: {err:?}"
        );
        failing.delete_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/mta"));
                then.status(200).body("[1, 2");
            })
            .await;
        let err = c.alerts().mta().await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { body, .. } if body == "[1, 2"),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn get_sends_type_q_and_delete_an_empty_object() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let get = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/alert/42"))
                    .query_param("type", "Q");
                then.status(200).json_body(json!({"order_id": 42}));
            })
            .await;
        let delete = server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/iserver/account/DU1/alert/0"))
                    .json_body(json!({}));
                then.status(200).json_body(json!({"success": true}));
            })
            .await;
        let c = client(&server, variant);
        assert_eq!(c.alerts().get(42).await.unwrap().id, Some(42), "{variant}");
        get.assert_async().await;
        assert!(c.alerts().delete("DU1", 0).await.unwrap().success);
        delete.assert_async().await;
    }
}

#[tokio::test]
async fn invalid_account_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    for variant in VARIANTS {
        let c = client(&server, variant);
        for bad in ["", ".", "..", "DU1\n"] {
            let err = c.alerts().list(bad).await.unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument(m) if m.contains("Alerts::list")),
                "{variant} {bad:?}: {err:?}"
            );
        }
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn separators_in_account_ids_stay_in_their_segment() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let encoded = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/iserver/account/DU1%2Falert%3Fx%3D1/alerts"));
                then.status(200).json_body(json!([]));
            })
            .await;
        let c = client(&server, variant);
        assert!(
            c.alerts().list("DU1/alert?x=1").await.unwrap().is_empty(),
            "{variant}"
        );
        encoded.assert_async().await;
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
        let c = client(&server, variant);
        let alerts = c.alerts();
        let request = AlertRequest::new("x");
        let results = [
            ("Alerts::list", alerts.list("DU1").await.map(drop)),
            ("Alerts::get", alerts.get(1).await.map(drop)),
            ("Alerts::mta", alerts.mta().await.map(drop)),
            (
                "Alerts::send",
                alerts.create("DU1", &request).await.map(drop),
            ),
            (
                "Alerts::send",
                alerts.modify("DU1", 1, &request).await.map(drop),
            ),
            (
                "Alerts::activate",
                alerts.activate("DU1", 1, true).await.map(drop),
            ),
            ("Alerts::delete", alerts.delete("DU1", 1).await.map(drop)),
        ];
        for (name, result) in results {
            assert!(
                matches!(&result, Err(Error::Api { operation, message, .. }) if *operation == name && message == "boom"),
                "{variant} {name}: {result:?}"
            );
        }
    }
}
