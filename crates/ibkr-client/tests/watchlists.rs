//! `client.watchlists()`: Web API only.

mod common;

use common::{gateway, path, web};
use httpmock::MockServer;
use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::orders::SecurityType;
use ibkr_client::{Client, Error, Variant};
use serde_json::json;

#[tokio::test]
async fn web_list_get_create_delete() {
    let server = MockServer::start_async().await;
    let v = Variant::Web;
    let list = server
        .mock_async(|when, then| {
            when.method("GET").path(path(v, "/iserver/watchlists"));
            then.status(200).json_body(json!({"action": "content", "MID": "1", "data": {
                "scanners_only": false, "show_scanners": false, "bulk_delete": false,
                "user_lists": [{"id": "100", "name": "Tech", "modified": 1704205800000u64, "read_only": false, "is_open": false, "type": "watchlist"},
                               {"id": -1, "name": "IBKR", "read_only": true}]}}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(path(v, "/iserver/watchlist")).query_param("id", "100");
            then.status(200).json_body(json!({"id": "100", "hash": "1", "name": "Tech", "readOnly": false,
                "instruments": [{"ST": "STK", "C": "265598", "conid": 265598, "name": "APPLE INC", "ticker": "AAPL", "assetClass": "STK"}]}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(v, "/iserver/watchlist"))
                .json_body_includes(r#"{"id": "200", "name": "New", "rows": [{"C": 265598}]}"#);
            then.status(200).json_body(json!({"id": "200", "hash": "2", "name": "New", "readOnly": false, "instruments": []}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method("DELETE")
                .path(path(v, "/iserver/watchlist"))
                .query_param("id", "200");
            then.status(200)
                .json_body(json!({"data": {"deleted": "200"}, "action": "context", "MID": "2"}));
        })
        .await;
    let c = web(&server);
    let lists = c.watchlists().list().await.unwrap();
    list.assert_async().await;
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].id.as_deref(), Some("100"));
    assert_eq!(lists[1].id.as_deref(), Some("-1"));
    assert!(lists[1].read_only);
    let tech = c.watchlists().get("100").await.unwrap();
    get.assert_async().await;
    assert_eq!(tech.instruments[0].conid, Some(Conid(265598)));
    assert_eq!(tech.instruments[0].ticker.as_deref(), Some("AAPL"));
    let created = c
        .watchlists()
        .create("200", "New", &[265598])
        .await
        .unwrap();
    create.assert_async().await;
    assert_eq!(created.name.as_deref(), Some("New"));
    assert_eq!(c.watchlists().delete("200").await.unwrap(), "200");
    delete.assert_async().await;
}

#[tokio::test]
async fn web_error_is_http() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(Variant::Web, "/iserver/watchlist"));
            then.status(404).json_body(json!({"error": "not found"}));
        })
        .await;
    let err = web(&server).watchlists().get("9").await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
}

/// Each method's operation name and outcome.
async fn every_method(c: &Client) -> [(&'static str, ibkr_client::Result<()>); 4] {
    let lists = c.watchlists();
    [
        ("Watchlists::list", lists.list().await.map(drop)),
        ("Watchlists::get", lists.get("1").await.map(drop)),
        (
            "Watchlists::create",
            lists.create("1", "x", &[1]).await.map(drop),
        ),
        ("Watchlists::delete", lists.delete("1").await.map(drop)),
    ]
}

#[tokio::test]
async fn gateway_sends_nothing_and_names_the_operation() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let c = gateway(&server);
    let results = every_method(&c).await;
    for (name, result) in results {
        assert!(
            matches!(&result, Err(Error::Unsupported { operation, variant: Variant::Gateway }) if *operation == name),
            "{name}: {result:?}"
        );
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn web_answers_without_the_expected_parts() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(Variant::Web, "/iserver/watchlists"));
            then.status(200)
                .json_body(json!({"action": "content", "MID": "1"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("DELETE")
                .path(path(Variant::Web, "/iserver/watchlist"));
            then.status(200).body("");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(Variant::Web, "/iserver/watchlist"));
            then.status(200).json_body(
                json!({"id": "7", "instruments": ["265598", {"C": "8314", "ST": "STK"}]}),
            );
        })
        .await;
    let c = web(&server);
    assert!(c.watchlists().list().await.unwrap().is_empty());
    // An empty answer to a delete: the id asked for.
    assert_eq!(c.watchlists().delete("7").await.unwrap(), "7");
    let w = c.watchlists().get("7").await.unwrap();
    assert_eq!(w.instruments.len(), 1);
    assert_eq!(w.instruments[0].conid, Some(Conid(8314)));
    assert_eq!(w.instruments[0].asset_class, Some(SecurityType::Stock));
}

/// Every method, given IBKR's error-shaped 200, fails with `Error::Api`
/// naming its operation.
#[tokio::test]
async fn error_answers_name_the_operation() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"error": "boom"}));
        })
        .await;
    let c = web(&server);
    let results = every_method(&c).await;
    for (name, result) in results {
        assert!(
            matches!(&result, Err(Error::Api { operation, message, .. }) if *operation == name && message == "boom"),
            "{name}: {result:?}"
        );
    }
}
