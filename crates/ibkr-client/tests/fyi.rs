//! `client.fyi()` on both variants.

mod common;

use common::{VARIANTS, client, path};
use httpmock::MockServer;
use ibkr_client::areas::fyi::DeliveryDevice;
use ibkr_client::{Error, Variant};
use serde_json::json;

#[tokio::test]
async fn read_operations() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/fyi/unreadnumber"));
                then.status(200).json_body(json!({"BN": 4}));
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/fyi/settings"));
                then.status(200).json_body(
                    json!([{"FC": "PF", "H": 0, "A": 1, "FD": "d", "FN": "Pattern Day Trader"}]),
                );
            })
            .await;
        let notifications = server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/fyi/notifications")).query_param("max", "5");
                then.status(200).json_body(json!([
                    {"R": "0", "D": "1704205800.0", "MS": "Title", "MD": "<p>x</p>", "ID": "8001", "FC": "PF"},
                    {"R": 1, "ID": 8002}
                ]));
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/fyi/disclaimer/PF"));
                then.status(200)
                    .json_body(json!({"FC": "PF", "DT": "Disclaimer text"}));
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(path(variant, "/fyi/deliveryoptions"));
                then.status(200).json_body(
                    json!({"M": 1, "E": [{"NM": "iPhone", "I": "d1", "UI": "d1", "A": "1"}]}),
                );
            })
            .await;
        let c = client(&server, variant);
        let fyi = c.fyi();
        assert_eq!(fyi.unread_count().await.unwrap(), 4, "{variant}");
        let settings = fyi.settings().await.unwrap();
        assert!(settings[0].enabled && !settings[0].hidden);
        assert_eq!(settings[0].code.as_deref(), Some("PF"));
        let list = fyi.notifications(5).await.unwrap();
        notifications.assert_async().await;
        assert_eq!(list.len(), 2);
        assert!(!list[0].read);
        assert_eq!(list[0].title.as_deref(), Some("Title"));
        assert!(list[1].read);
        assert_eq!(list[1].id.as_deref(), Some("8002"));
        let d = fyi.disclaimer("PF").await.unwrap();
        assert_eq!(d.text.as_deref(), Some("Disclaimer text"));
        let options = fyi.delivery_options().await.unwrap();
        assert!(options.email);
        assert_eq!(options.devices[0].name.as_deref(), Some("iPhone"));
        assert!(options.devices[0].enabled);
    }
}

#[tokio::test]
async fn write_operations() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let read = server
            .mock_async(|when, then| {
                when.method("PUT")
                    .path(path(variant, "/fyi/notifications/8001"));
                then.status(200)
                    .json_body(json!({"V": 1, "T": 5, "P": {"R": 1, "ID": "8001"}}));
            })
            .await;
        let setting = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/fyi/settings/PF"))
                    .json_body(json!({"enabled": false}));
                then.status(200).json_body(json!({"V": 1, "T": 10}));
            })
            .await;
        let c = client(&server, variant);
        c.fyi().mark_read("8001").await.unwrap();
        read.assert_async().await;
        c.fyi().set_enabled("PF", false).await.unwrap();
        setting.assert_async().await;
    }
}

#[tokio::test]
async fn unauthenticated_is_mapped() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path(path(variant, "/fyi/unreadnumber"));
                then.status(401).body("");
            })
            .await;
        let err = client(&server, variant)
            .fyi()
            .unread_count()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NotAuthenticated(_)),
            "{variant}: {err:?}"
        );
    }
}

#[tokio::test]
async fn delivery_options_and_disclaimer_writes() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let email = server
            .mock_async(|when, then| {
                when.method("PUT")
                    .path(path(variant, "/fyi/deliveryoptions/email"))
                    .query_param("enabled", "true");
                then.status(200).json_body(json!({"V": 1, "T": 5}));
            })
            .await;
        // Each spec names the device's name differently.
        let name_key = match variant {
            Variant::Web => "deviceName",
            Variant::Gateway => "devicename",
        };
        let device = server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/fyi/deliveryoptions/device"))
                    .json_body(json!({
                        "deviceId": "d1", name_key: "iPhone", "uiName": "u1", "enabled": false
                    }));
                then.status(200).json_body(json!({"V": 1, "T": 7}));
            })
            .await;
        let delete_named = server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/fyi/deliveryoptions/d1"));
                then.status(200).json_body(json!({}));
            })
            .await;
        let delete_numbered = server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/fyi/deliveryoptions/42"));
                then.status(200).body("");
            })
            .await;
        let disclaimer = server
            .mock_async(|when, then| {
                when.method("PUT").path(path(variant, "/fyi/disclaimer/PF"));
                then.status(200).json_body(json!({"V": 1, "T": 10}));
            })
            .await;
        // A type code the Web spec's list lacks is sent all the same.
        let new_code = server
            .mock_async(|when, then| {
                when.method("PUT").path(path(variant, "/fyi/disclaimer/ZQ"));
                then.status(200).json_body(json!({"V": 1}));
            })
            .await;
        let c = client(&server, variant);
        let fyi = c.fyi();
        fyi.set_email_delivery(true).await.unwrap();
        email.assert_async().await;
        let off = DeliveryDevice {
            name: Some("iPhone".into()),
            id: Some("d1".into()),
            ui_name: Some("u1".into()),
            enabled: false,
        };
        fyi.set_device_delivery(&off).await.unwrap();
        device.assert_async().await;
        fyi.delete_device("d1").await.unwrap();
        delete_named.assert_async().await;
        fyi.delete_device("42").await.unwrap();
        delete_numbered.assert_async().await;
        fyi.mark_disclaimer_read("PF").await.unwrap();
        disclaimer.assert_async().await;
        fyi.mark_disclaimer_read("ZQ").await.unwrap();
        new_code.assert_async().await;
    }
}

#[tokio::test]
async fn delivery_and_disclaimer_errors() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("PUT")
                    .path(path(variant, "/fyi/deliveryoptions/email"));
                then.status(500).body("email service down");
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("POST")
                    .path(path(variant, "/fyi/deliveryoptions/device"));
                then.status(503).body("try later");
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/fyi/deliveryoptions/d1"));
                then.status(404).body("no such device");
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("PUT").path(path(variant, "/fyi/disclaimer/PF"));
                then.status(200).body("{not json");
            })
            .await;
        let c = client(&server, variant);
        let fyi = c.fyi();
        let err = fyi.set_email_delivery(false).await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 500, body, .. } if body == "email service down"),
            "{variant}: {err:?}"
        );
        let err = fyi
            .set_device_delivery(&DeliveryDevice::default())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 503, body, .. } if body == "try later"),
            "{variant}: {err:?}"
        );
        let err = fyi.delete_device("d1").await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 404, body, .. } if body == "no such device"),
            "{variant}: {err:?}"
        );
        let err = fyi.mark_disclaimer_read("PF").await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { body, .. } if body == "{not json"),
            "{variant}: {err:?}"
        );
    }
}

/// A client without IBKR's pacing (one `/fyi` call a second per path).
fn unpaced(server: &MockServer, variant: Variant) -> ibkr_client::Client {
    let config =
        common::config(server, variant).pacing(ibkr_client::pacing::PacingTable::unlimited());
    ibkr_client::Client::new(config).unwrap()
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
        let fyi = c.fyi();
        let results = [
            ("Fyi::unread_count", fyi.unread_count().await.map(drop)),
            ("Fyi::settings", fyi.settings().await.map(drop)),
            ("Fyi::set_enabled", fyi.set_enabled("PF", true).await),
            ("Fyi::notifications", fyi.notifications(1).await.map(drop)),
            ("Fyi::mark_read", fyi.mark_read("1").await),
            ("Fyi::disclaimer", fyi.disclaimer("PF").await.map(drop)),
            (
                "Fyi::mark_disclaimer_read",
                fyi.mark_disclaimer_read("PF").await,
            ),
            (
                "Fyi::delivery_options",
                fyi.delivery_options().await.map(drop),
            ),
            (
                "Fyi::set_email_delivery",
                fyi.set_email_delivery(false).await,
            ),
            (
                "Fyi::set_device_delivery",
                fyi.set_device_delivery(&DeliveryDevice::default()).await,
            ),
            ("Fyi::delete_device", fyi.delete_device("d1").await),
        ];
        for (name, result) in results {
            assert!(
                matches!(&result, Err(Error::Api { operation, message, .. }) if *operation == name && message == "boom"),
                "{variant} {name}: {result:?}"
            );
        }
    }
}

/// Ids go into the path percent-encoded; ids that would change the path
/// are refused without sending anything (`?`, `#` and `/` are encoded).
#[tokio::test]
async fn path_ids_are_encoded_or_refused() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let any = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).json_body(json!({"V": 1}));
            })
            .await;
        let c = unpaced(&server, variant);
        for bad in ["", ".", "..", "a\nb"] {
            let err = c.fyi().mark_read(bad).await.unwrap_err();
            assert!(
                matches!(&err, Error::InvalidArgument(m) if m.contains("Fyi::mark_read")),
                "{variant} {bad:?}: {err:?}"
            );
        }
        any.assert_calls_async(0).await;
        any.delete_async().await;
        let sent = server
            .mock_async(|when, then| {
                when.method("PUT")
                    .path(path(variant, "/fyi/disclaimer/A%20B"));
                then.status(200).json_body(json!({"V": 1}));
            })
            .await;
        c.fyi().mark_disclaimer_read("A B").await.unwrap();
        sent.assert_async().await;
    }
}

/// IBKR's device ids are URIs (`apn://mtws@…`, as in its own delivery
/// options example): the old facade sent them with `/` as `%2F`.
#[tokio::test]
async fn device_ids_with_slashes_are_sent_encoded() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let device = server
            .mock_async(|when, then| {
                when.method("DELETE")
                    .path(path(variant, "/fyi/deliveryoptions/apn:%2F%2Fmtws%40X"));
                then.status(200).body("");
            })
            .await;
        unpaced(&server, variant)
            .fyi()
            .delete_device("apn://mtws@X")
            .await
            .unwrap();
        device.assert_async().await;
    }
}
