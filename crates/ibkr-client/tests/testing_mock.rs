//! The embedded mock's state machine and canned data, over plain reqwest.
#![cfg(feature = "testing")]

use ibkr_client::testing::{MockIbkr, MockVariant};
use serde_json::{Value, json};

const VARIANTS: [MockVariant; 2] = [MockVariant::Gateway, MockVariant::Web];

/// The `/v1/api` base of a mock, whatever its variant.
fn api(mock: &MockIbkr) -> String {
    format!("{}/v1/api", mock.host_url())
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http.request(method, url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("mock reachable");
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.expect("JSON body");
    (status, body)
}

async fn get(http: &reqwest::Client, url: String) -> (u16, Value) {
    call(http, reqwest::Method::GET, url, None).await
}

async fn post(http: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    call(http, reqwest::Method::POST, url, Some(body)).await
}

#[tokio::test]
async fn base_urls_follow_the_variant() {
    let gw = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    let web = MockIbkr::start(MockVariant::Web).await.unwrap();
    assert_eq!(gw.base_url(), format!("http://{}/v1/api", gw.addr()));
    assert_eq!(web.base_url(), format!("http://{}", web.addr()));
    assert!(gw.base_url().starts_with("http://127.0.0.1:"));
    let http = reqwest::Client::new();
    // The Web mock serves the account-management family, the Gateway does not.
    let (status, _) = get(&http, format!("{}/gw/api/v1/accounts", web.host_url())).await;
    assert_eq!(status, 404);
    assert_eq!(web.requests()[0].path, "/gw/api/v1/accounts");
    let (status, _) = get(&http, format!("{}/gw/api/v1/accounts", gw.host_url())).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn session_state_machine() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        let http = reqwest::Client::new();
        let base = api(&mock);

        // Connected, logged in, but no brokerage session yet.
        let (s, status) = post(&http, format!("{base}/iserver/auth/status"), json!({})).await;
        assert_eq!(s, 200);
        assert_eq!(status["connected"], true);
        assert_eq!(status["authenticated"], false);
        let (s, body) = get(&http, format!("{base}/iserver/accounts")).await;
        assert_eq!((s, body["error"].as_str()), (400, Some("no bridge")));
        // Non-iserver paths need only the login.
        let (s, _) = get(&http, format!("{base}/portfolio/accounts")).await;
        assert_eq!(s, 200);

        let (s, status) = post(
            &http,
            format!("{base}/iserver/auth/ssodh/init"),
            json!({"publish": true, "compete": true}),
        )
        .await;
        assert_eq!((s, status["authenticated"].as_bool()), (200, Some(true)));
        assert!(mock.is_authenticated());
        let (s, accounts) = get(&http, format!("{base}/iserver/accounts")).await;
        assert_eq!(s, 200);
        assert_eq!(accounts["accounts"], json!(["DU1234567", "DU7654321"]));

        // Tickle reports the session and counts.
        let (s, tickle) = post(&http, format!("{base}/tickle"), json!({})).await;
        assert_eq!(s, 200);
        assert_eq!(tickle["session"].as_str().unwrap(), mock.session_id());
        assert_eq!(tickle["iserver"]["authStatus"]["authenticated"], true);
        post(&http, format!("{base}/tickle"), json!({})).await;
        assert_eq!(mock.tickles(), 2);

        // Timeout: connected but not authenticated; no bridge again.
        mock.expire_session();
        let (_, status) = post(&http, format!("{base}/iserver/auth/status"), json!({})).await;
        assert_eq!(
            (
                status["connected"].as_bool(),
                status["authenticated"].as_bool()
            ),
            (Some(true), Some(false))
        );
        let (s, _) = get(&http, format!("{base}/iserver/account/orders")).await;
        assert_eq!(s, 400);
        let (s, status) = post(&http, format!("{base}/iserver/reauthenticate"), json!({})).await;
        assert_eq!(s, 200);
        assert_eq!(status["message"], "triggered");
        assert!(mock.is_authenticated());

        // Competing session: init without compete is refused, with compete wins.
        mock.compete();
        let (_, status) = post(&http, format!("{base}/iserver/auth/status"), json!({})).await;
        assert_eq!(
            (
                status["competing"].as_bool(),
                status["authenticated"].as_bool()
            ),
            (Some(true), Some(false))
        );
        let (_, status) = post(
            &http,
            format!("{base}/iserver/auth/ssodh/init"),
            json!({"publish": true, "compete": false}),
        )
        .await;
        assert_eq!(status["authenticated"], false);
        assert!(mock.is_competing());
        let (_, status) = post(
            &http,
            format!("{base}/iserver/auth/ssodh/init"),
            json!({"publish": true, "compete": true}),
        )
        .await;
        assert_eq!(
            (
                status["competing"].as_bool(),
                status["authenticated"].as_bool()
            ),
            (Some(false), Some(true))
        );

        // SSO validation while logged in.
        let (s, sso) = get(&http, format!("{base}/sso/validate")).await;
        assert_eq!((s, sso["RESULT"].as_bool()), (200, Some(true)));

        // Logout: everything answers 401 until the user logs in again.
        let old_session = mock.session_id();
        let (s, _) = post(&http, format!("{base}/logout"), json!({})).await;
        assert_eq!(s, 200);
        assert!(!mock.is_logged_in());
        for (m, path) in [
            (reqwest::Method::POST, "/iserver/auth/status"),
            (reqwest::Method::POST, "/tickle"),
            (reqwest::Method::GET, "/sso/validate"),
            (reqwest::Method::GET, "/portfolio/accounts"),
            (reqwest::Method::GET, "/iserver/accounts"),
        ] {
            let (s, _) = call(&http, m, format!("{base}{path}"), None).await;
            assert_eq!(s, 401, "{variant:?} {path}");
        }
        mock.login();
        assert_ne!(mock.session_id(), old_session);
        assert!(!mock.is_authenticated());
        let (s, _) = get(&http, format!("{base}/portfolio/accounts")).await;
        assert_eq!(s, 200);
    }
}

#[tokio::test]
async fn snapshot_preflight_then_values_as_strings() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        let http = reqwest::Client::new();
        let url = format!(
            "{}/iserver/marketdata/snapshot?conids=265598,272093&fields=31,84,86",
            api(&mock)
        );
        let (s, first) = get(&http, url.clone()).await;
        assert_eq!(s, 200);
        assert_eq!(first.as_array().unwrap().len(), 2);
        assert!(first[0].get("31").is_none(), "pre-flight has no values");
        let (_, second) = get(&http, url.clone()).await;
        assert_eq!(second[0]["conid"], 265598);
        assert_eq!(second[0]["31"], "189.50");
        assert_eq!(second[0]["84"], "189.49");
        assert_eq!(second[0]["86"], "189.51");
        assert_eq!(second[1]["31"], "415.20");
        // A new brokerage session subscribes again.
        mock.expire_session();
        mock.authenticate();
        let (_, third) = get(&http, url).await;
        assert!(third[0].get("31").is_none());
    }
}

#[tokio::test]
async fn canned_data_is_consistent_across_variants() {
    let mut seen = Vec::new();
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        let http = reqwest::Client::new();
        let base = api(&mock);
        let (_, accounts) = get(&http, format!("{base}/portfolio/accounts")).await;
        let (_, subaccounts) = get(&http, format!("{base}/portfolio/subaccounts")).await;
        assert_eq!(accounts, subaccounts);
        let (_, positions) = get(&http, format!("{base}/portfolio/DU1234567/positions/0")).await;
        let (_, page1) = get(&http, format!("{base}/portfolio/DU1234567/positions/1")).await;
        assert_eq!(page1, json!([]));
        let (s, _) = get(&http, format!("{base}/portfolio/XX/positions/0")).await;
        assert_eq!(s, 400);
        let (_, search) = post(
            &http,
            format!("{base}/iserver/secdef/search"),
            json!({"symbol": "AAPL"}),
        )
        .await;
        let (_, search_get) = get(&http, format!("{base}/iserver/secdef/search?symbol=aapl")).await;
        assert_eq!(search, search_get);
        let (_, info) = get(&http, format!("{base}/iserver/contract/265598/info")).await;
        let (s, _) = get(&http, format!("{base}/iserver/contract/1/info")).await;
        assert_eq!(s, 400);
        let (_, secdef) = get(&http, format!("{base}/trsrv/secdef?conids=265598,756733")).await;
        let (_, secdef_post) = post(
            &http,
            format!("{base}/trsrv/secdef"),
            json!({"conids": [265598, 756733]}),
        )
        .await;
        assert_eq!(secdef, secdef_post);
        let secdef_items = secdef
            .get("secdef")
            .cloned()
            .unwrap_or(secdef.clone())
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ticker"].as_str().unwrap().to_string())
            .collect::<Vec<_>>();
        let (_, history) = get(
            &http,
            format!("{base}/iserver/marketdata/history?conid=265598&period=1d&bar=1h"),
        )
        .await;
        assert_eq!(history["data"].as_array().unwrap().len(), 5);
        seen.push((
            accounts
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].clone())
                .collect::<Vec<_>>(),
            positions
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["conid"].clone(),
                        p["position"].clone(),
                        p["mktPrice"].clone(),
                    )
                })
                .collect::<Vec<_>>(),
            search[0]["conid"].to_string().trim_matches('"').to_string(),
            info["symbol"].clone(),
            secdef_items,
            history["symbol"].clone(),
        ));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0].2, "265598");
}

#[tokio::test]
async fn orders_ask_a_question_then_submit() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        // A bare HTTP client, without IBKR's credentials.
        mock.require_credentials(false);
        let http = reqwest::Client::new();
        let base = api(&mock);
        let order = json!({"conid": 265598, "side": "BUY", "orderType": "LMT", "price": 180.0, "quantity": 10, "tif": "DAY"});

        let (s, whatif) = post(
            &http,
            format!("{base}/iserver/account/DU1234567/orders/whatif"),
            json!({"orders": [order.clone()]}),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(whatif["amount"]["amount"], "1,800.00 USD");
        assert_eq!(whatif["position"]["after"], "110");

        let (s, question) = post(
            &http,
            format!("{base}/iserver/account/DU1234567/orders"),
            json!({"orders": [order.clone()]}),
        )
        .await;
        assert_eq!(s, 200);
        let reply_id = question[0]["id"].as_str().unwrap().to_string();
        assert_eq!(question[0]["messageIds"], json!(["o163"]));
        assert_eq!(question[0]["isSuppressed"], false);
        assert_eq!(reply_id.len(), 36, "uuid-shaped: {reply_id}");

        let (s, placed) = post(
            &http,
            format!("{base}/iserver/reply/{reply_id}"),
            json!({"confirmed": true}),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(placed[0]["order_status"], "Submitted");
        let order_id = placed[0]["order_id"].as_str().unwrap().to_string();
        // A reply id answers once.
        let (s, _) = post(
            &http,
            format!("{base}/iserver/reply/{reply_id}"),
            json!({"confirmed": true}),
        )
        .await;
        assert_eq!(s, 400);

        let (_, live) = get(&http, format!("{base}/iserver/account/orders")).await;
        assert_eq!(live["orders"].as_array().unwrap().len(), 1);
        assert_eq!(live["orders"][0]["status"], "Submitted");
        assert_eq!(
            live["orders"][0]["orderId"].to_string().trim_matches('"'),
            order_id
        );

        let (s, cancelled) = call(
            &http,
            reqwest::Method::DELETE,
            format!("{base}/iserver/account/DU1234567/order/{order_id}"),
            None,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(cancelled["order_id"], order_id.as_str());
        let (_, live) = get(&http, format!("{base}/iserver/account/orders")).await;
        assert_eq!(live["orders"][0]["status"], "Cancelled");
        let (s, _) = call(
            &http,
            reqwest::Method::DELETE,
            format!("{base}/iserver/account/DU1234567/order/42"),
            None,
        )
        .await;
        assert_eq!(s, 400);

        // Suppressed questions go straight through; bad orders are refused.
        post(
            &http,
            format!("{base}/iserver/questions/suppress"),
            json!({"messageIds": ["o163"]}),
        )
        .await;
        let (_, placed) = post(
            &http,
            format!("{base}/iserver/account/DU1234567/orders"),
            json!({"orders": [order]}),
        )
        .await;
        assert_eq!(placed[0]["order_status"], "Submitted");
        let (s, _) = post(
            &http,
            format!("{base}/iserver/account/DU1234567/orders"),
            json!({"orders": [{"conid": 265598, "side": "HOLD", "quantity": 1}]}),
        )
        .await;
        assert_eq!(s, 400);
    }
}

#[tokio::test]
async fn request_log_and_injection() {
    let mock = MockIbkr::start(MockVariant::Web).await.unwrap();
    let http = reqwest::Client::new();
    let base = api(&mock);
    post(
        &http,
        format!("{base}/iserver/auth/ssodh/init"),
        json!({"publish": true, "compete": true}),
    )
    .await;
    get(
        &http,
        format!("{base}/iserver/marketdata/snapshot?conids=265598%2C272093&fields=31"),
    )
    .await;
    let log = mock.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("POST", "/iserver/auth/ssodh/init")
    );
    assert_eq!(log[0].full_path, "/v1/api/iserver/auth/ssodh/init");
    assert_eq!(log[0].json().unwrap()["compete"], true);
    assert_eq!(
        log[1].query_param("conids").as_deref(),
        Some("265598,272093")
    );
    assert_eq!(mock.count("get", "/iserver/marketdata/snapshot"), 1);

    mock.inject(
        "GET",
        "/iserver/accounts",
        503,
        json!({"error": "maintenance"}),
    );
    let (s, body) = get(&http, format!("{base}/iserver/accounts")).await;
    assert_eq!((s, body["error"].as_str()), (503, Some("maintenance")));
    let (s, _) = get(&http, format!("{base}/iserver/accounts")).await;
    assert_eq!(s, 200, "an injection answers once");
    mock.clear_requests();
    assert!(mock.requests().is_empty());
    mock.shutdown().await;
}

#[tokio::test]
async fn secondary_areas_are_served() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        let http = reqwest::Client::new();
        let base = api(&mock);
        let (s, alerts) = get(&http, format!("{base}/iserver/account/DU1234567/alerts")).await;
        assert_eq!((s, alerts.as_array().unwrap().len()), (200, 1));
        let (s, _) = get(&http, format!("{base}/iserver/scanner/params")).await;
        assert_eq!(s, 200);
        let (s, _) = get(&http, format!("{base}/iserver/account/pnl/partitioned")).await;
        assert_eq!(s, 200);
        let (_, unread) = get(&http, format!("{base}/fyi/unreadnumber")).await;
        assert_eq!(unread["BN"], 2);
        let (s, _) = post(
            &http,
            format!("{base}/pa/performance"),
            json!({"acctIds": ["DU1234567"], "period": "1M"}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, _) = get(&http, format!("{base}/iserver/watchlists")).await;
        assert_eq!(
            s,
            if variant == MockVariant::Web {
                200
            } else {
                404
            }
        );
    }
}
