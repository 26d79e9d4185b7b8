//! The quickstart workflow (the example's code) against both mocks.
#![cfg(feature = "testing")]

use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::market_data::SnapshotPrice;
use ibkr_client::testing::{MockIbkr, MockVariant, quickstart};
use ibkr_client::{BearerToken, Client, Config, Error};

fn client_for(mock: &MockIbkr) -> Client {
    let config = match mock.variant() {
        MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
        MockVariant::Web => Config::web(BearerToken::new("t")).base_url(mock.base_url()),
    };
    Client::new(config).unwrap()
}

#[tokio::test]
async fn workflow_runs_on_both_mocks() {
    let mut last_prices = Vec::new();
    for variant in [MockVariant::Gateway, MockVariant::Web] {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = client_for(&mock);
        let report = quickstart(&client, 265598).await.unwrap();
        assert!(!report.initial_status.authenticated, "{variant:?}");
        assert!(report.initial_status.connected);
        assert!(report.status.authenticated);
        assert_eq!(report.accounts, ["DU1234567", "DU7654321"]);
        assert_eq!(report.account, "DU1234567");
        assert_eq!(report.positions.len(), 2);
        assert_eq!(report.positions[0].conid, Some(Conid(265598)));
        assert_eq!(report.positions[0].position, Some(100.into()));
        assert_eq!(report.snapshot_attempts, 2, "pre-flight, then values");
        assert_eq!(
            report.snapshot.live_price("84"),
            Some("189.49".parse().unwrap())
        );
        last_prices.push(report.snapshot.last());

        // What went over the wire, in order.
        let sent: Vec<(String, String)> = mock
            .requests()
            .into_iter()
            .map(|r| (r.method, r.path))
            .collect();
        let expected = [
            ("POST", "/iserver/auth/status"),
            ("POST", "/iserver/auth/ssodh/init"),
            ("GET", "/iserver/accounts"),
            ("GET", "/portfolio/DU1234567/positions/0"),
            ("GET", "/iserver/marketdata/snapshot"),
            ("GET", "/iserver/marketdata/snapshot"),
            ("POST", "/iserver/account/DU1234567/orders/whatif"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(sent, expected, "{variant:?}");
        let what_if = report.what_if.amount.as_ref().unwrap();
        // IBKR's "189.49 USD" and "1.00 USD", exactly.
        assert_eq!(what_if.amount, Some(rust_decimal::Decimal::new(18949, 2)));
        assert_eq!(what_if.commission, Some(rust_decimal::Decimal::new(100, 2)));
        assert_eq!(what_if.currency.as_deref(), Some("USD"));
        assert_eq!(mock.count("POST", "/iserver/account/DU1234567/orders"), 0);
        let init = &mock.requests()[1];
        assert_eq!(init.json().unwrap()["compete"], true);
    }
    let live = Some(SnapshotPrice::Live("189.50".parse().unwrap()));
    assert_eq!(last_prices, [live, live]);
}

#[tokio::test]
async fn workflow_skips_init_when_already_authenticated() {
    let mock = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    mock.authenticate();
    let report = quickstart(&client_for(&mock), 272093).await.unwrap();
    assert!(report.initial_status.authenticated);
    assert_eq!(mock.count("POST", "/iserver/auth/ssodh/init"), 0);
    assert_eq!(
        report.snapshot.live_price("31"),
        Some("415.2".parse().unwrap())
    );
}

#[tokio::test]
async fn workflow_reports_a_logged_out_session() {
    for variant in [MockVariant::Gateway, MockVariant::Web] {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = client_for(&mock);
        client.session().logout().await.unwrap();
        let err = quickstart(&client, 265598).await.unwrap_err();
        assert!(
            matches!(err, Error::NotAuthenticated(_)),
            "{variant:?}: {err:?}"
        );
    }
}
