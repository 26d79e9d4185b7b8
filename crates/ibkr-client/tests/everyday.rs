//! Everyday reads without boilerplate, on both variants: every position
//! page (`Portfolio::all_positions`) and a snapshot past IBKR's pre-flight
//! (`MarketData::snapshot_ready`), against the embedded mock and against
//! answers shaped to hit the edges.
#![cfg(feature = "testing")]

mod common;

use common::{VARIANTS, path};
use futures_util::StreamExt;
use httpmock::MockServer;
use ibkr_client::areas::contracts::Right;
use ibkr_client::areas::ids::Conid;
use ibkr_client::areas::market_data::{SnapshotPrice, fields};
use ibkr_client::areas::orders::SecurityType;
use ibkr_client::pacing::PacingTable;
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{BearerToken, Client, Config, Error, Variant};
use rust_decimal::Decimal;
use serde_json::{Value, json};

const MOCKS: [MockVariant; 2] = [MockVariant::Gateway, MockVariant::Web];

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A client of the embedded mock, authenticated.
fn mock_client(mock: &MockIbkr) -> Client {
    mock.authenticate();
    let config = match mock.variant() {
        MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
        MockVariant::Web => Config::web(BearerToken::new("t")).base_url(mock.base_url()),
    };
    Client::new(config).unwrap()
}

/// The paths the mock saw, in order, that start with `prefix`.
fn paths(mock: &MockIbkr, prefix: &str) -> Vec<String> {
    mock.requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn all_positions_reads_three_pages_and_stops_at_the_short_one() {
    for variant in MOCKS {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = mock_client(&mock);
        let all = client
            .portfolio()
            .all_positions("DU7654321")
            .collect_all()
            .await
            .unwrap();
        assert_eq!(all.len(), 205, "{variant:?}");
        assert_eq!(
            paths(&mock, "/portfolio/"),
            [
                "/portfolio/DU7654321/positions/0",
                "/portfolio/DU7654321/positions/1",
                "/portfolio/DU7654321/positions/2",
            ],
            "{variant:?}: pages 0 to 2, nothing after the short page"
        );
        // Every position once, in IBKR's order, typed and exact.
        let conids: Vec<i64> = all.iter().map(|p| p.conid.unwrap().get()).collect();
        assert_eq!(conids, (800_000_000..800_000_205).collect::<Vec<_>>());
        let first = &all[0];
        assert_eq!(first.account_id.as_deref(), Some("DU7654321"));
        assert_eq!(first.asset_class, Some(SecurityType::Option));
        assert_eq!(first.put_or_call, Some(Right::Call));
        assert_eq!(first.strike, Some(Decimal::from(400)));
        assert_eq!(first.multiplier, Some(Decimal::from(100)));
        assert_eq!(first.position, Some(Decimal::from(-1)));
        assert_eq!(first.mkt_price, Some(dec("1.05")), "{variant:?}");
        assert_eq!(first.mkt_value, Some(Decimal::from(-105)));
        assert_eq!(first.und_conid, Some(Conid(756733)));
        assert_eq!(first.und_sym.as_deref(), Some("SPY"));
        assert_eq!(first.last_trading_day.as_deref(), Some("20250117"));
        assert_eq!(all[1].put_or_call, Some(Right::Put));
        assert_eq!(all[204].strike, Some(Decimal::from(910)));
        assert_eq!(all[204].mkt_price, Some(dec("2.05")));

        // Page by page: 100, 100, 5, then nothing (and no request).
        mock.clear_requests();
        let mut pages = client.portfolio().all_positions("DU7654321");
        let mut sizes = Vec::new();
        while let Some(page) = pages.next_page().await {
            sizes.push(page.unwrap().len());
        }
        assert_eq!(sizes, [100, 100, 5]);
        assert!(pages.next_page().await.is_none());
        assert_eq!(pages.page(), 3);
        assert_eq!(paths(&mock, "/portfolio/").len(), 3);

        // As a stream.
        let pages: Vec<_> = client
            .portfolio()
            .all_positions("DU7654321")
            .collect()
            .await;
        assert_eq!(pages.len(), 3);
        assert!(pages.iter().all(Result::is_ok));

        // One short page: one request.
        mock.clear_requests();
        let first_account = client
            .portfolio()
            .all_positions("DU1234567")
            .collect_all()
            .await
            .unwrap();
        assert_eq!(first_account.len(), 2);
        assert_eq!(first_account[0].conid, Some(Conid(265598)));
        assert_eq!(first_account[0].position, Some(Decimal::from(100)));
        assert_eq!(
            paths(&mock, "/portfolio/"),
            ["/portfolio/DU1234567/positions/0"]
        );
    }
}

/// `n` positions with conids from `from`, in IBKR's shape.
fn page(from: i64, n: i64) -> Value {
    Value::Array(
        (from..from + n)
            .map(|conid| {
                json!({"acctId": "U1", "conid": conid, "position": "1", "mktPrice": 10.25,
                       "assetClass": "STK", "pageSize": 100})
            })
            .collect(),
    )
}

fn unpaced(server: &MockServer, variant: Variant) -> Client {
    Client::new(common::config(server, variant).pacing(PacingTable::unlimited())).unwrap()
}

/// Serves `body` as page `n` of `U1`'s positions.
async fn serve_page(
    server: &MockServer,
    variant: Variant,
    n: u32,
    body: Value,
) -> httpmock::Mock<'_> {
    let p = path(variant, &format!("/portfolio/U1/positions/{n}"));
    server
        .mock_async(|when, then| {
            when.method("GET").path(p.as_str());
            then.status(200).json_body(body);
        })
        .await
}

/// Every position of `U1`, with an unpaced client.
async fn all_of_u1(
    server: &MockServer,
    variant: Variant,
) -> ibkr_client::Result<Vec<ibkr_client::areas::portfolio::Position>> {
    unpaced(server, variant)
        .portfolio()
        .all_positions("U1")
        .collect_all()
        .await
}

#[tokio::test]
async fn all_positions_edges() {
    for variant in VARIANTS {
        // Full pages, then an empty one: three requests.
        let server = MockServer::start_async().await;
        let mut mocks = Vec::new();
        for (n, body) in [(0, page(1, 100)), (1, page(101, 100)), (2, json!([]))] {
            mocks.push(serve_page(&server, variant, n, body).await);
        }
        let all = all_of_u1(&server, variant).await.unwrap();
        assert_eq!(all.len(), 200, "{variant}");
        assert_eq!(all[199].mkt_price, Some(dec("10.25")));
        for m in &mocks {
            m.assert_calls_async(1).await;
        }

        // IBKR answering every page number with the same page: given
        // once, then the pages end.
        let server = MockServer::start_async().await;
        let same = server
            .mock_async(|when, then| {
                when.method("GET").path_includes("/portfolio/U1/positions/");
                then.status(200).json_body(page(1, 100));
            })
            .await;
        let all = all_of_u1(&server, variant).await.unwrap();
        assert_eq!(all.len(), 100, "{variant}: no position twice");
        same.assert_calls_async(2).await;

        // An error on the second page: the first page, the error, the end.
        let server = MockServer::start_async().await;
        serve_page(&server, variant, 0, page(1, 100)).await;
        serve_page(&server, variant, 1, json!({"error": "account not ready"})).await;
        let c = unpaced(&server, variant);
        let mut pages = c.portfolio().all_positions("U1");
        assert_eq!(pages.next_page().await.unwrap().unwrap().len(), 100);
        let e = pages.next_page().await.unwrap().unwrap_err();
        assert!(
            matches!(&e, Error::Api { message, .. } if message == "account not ready"),
            "{e:?}"
        );
        assert!(pages.next_page().await.is_none());
        let e = all_of_u1(&server, variant).await.unwrap_err();
        assert!(matches!(e, Error::Api { .. }), "{e:?}");

        // A bad account id is refused before anything is sent.
        let e = c
            .portfolio()
            .all_positions("")
            .collect_all()
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
}

#[tokio::test]
async fn snapshot_ready_waits_out_the_preflight() {
    for variant in MOCKS {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = mock_client(&mock);
        let md = client.market_data();
        let quote_fields = [fields::LAST, fields::BID, fields::ASK];
        // A plain snapshot: IBKR's pre-flight answer, no values.
        let preflight = md.snapshot(&[265598], &quote_fields).await.unwrap();
        assert!(!preflight[0].has_values(&quote_fields), "{variant:?}");
        assert_eq!(preflight[0].last(), None);

        // AAPL is subscribed now, MSFT is not: the first request answers
        // AAPL, the second asks for MSFT only.
        mock.clear_requests();
        let snaps = md
            .snapshot_ready(&[265598, 272093], &quote_fields, 5)
            .await
            .unwrap();
        let snapshot_requests: Vec<_> = mock
            .requests()
            .into_iter()
            .filter(|r| r.path == "/iserver/marketdata/snapshot")
            .collect();
        assert_eq!(snapshot_requests.len(), 2, "{variant:?}");
        assert_eq!(
            snapshot_requests[0].query_param("conids").as_deref(),
            Some("265598,272093")
        );
        assert_eq!(
            snapshot_requests[1].query_param("conids").as_deref(),
            Some("272093")
        );
        assert_eq!(snaps.len(), 2);
        assert_eq!(snaps[0].conid, Some(Conid(265598)), "in the order asked");
        assert_eq!(snaps[1].conid, Some(Conid(272093)));
        assert_eq!(snaps[0].last(), Some(SnapshotPrice::Live(dec("189.50"))));
        assert_eq!(snaps[0].bid(), Some(SnapshotPrice::Live(dec("189.49"))));
        assert_eq!(snaps[0].ask(), Some(SnapshotPrice::Live(dec("189.51"))));
        assert_eq!(snaps[1].live_price(fields::LAST), Some(dec("415.2")));

        // A fresh contract from scratch: pre-flight, then values.
        mock.clear_requests();
        let spy = md.snapshot_ready(&[756733], &[], 3).await.unwrap();
        assert_eq!(mock.count("GET", "/iserver/marketdata/snapshot"), 2);
        assert_eq!(spy[0].live_price(fields::LAST), Some(dec("510.35")));
        assert_eq!(spy[0].number(fields::ASK_SIZE), Some(Decimal::from(300)));
    }
}

#[tokio::test]
async fn snapshot_ready_is_bounded_and_reads_prefixed_prices() {
    for variant in VARIANTS {
        let server = MockServer::start_async().await;
        let p = path(variant, "/iserver/marketdata/snapshot");
        // A contract that never gets values: exactly max_attempts requests,
        // and the last (empty) answer.
        let never = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(p.as_str())
                    .query_param("conids", "1");
                then.status(200)
                    .json_body(json!([{"conid": 1, "conidEx": "1", "_updated": 5, "6509": "RpB"}]));
            })
            .await;
        let c = unpaced(&server, variant);
        let snaps = c
            .market_data()
            .snapshot_ready(&[1], &[fields::LAST], 3)
            .await
            .unwrap();
        never.assert_calls_async(3).await;
        assert_eq!(snaps.len(), 1);
        assert!(!snaps[0].has_values(&[fields::LAST]));
        assert_eq!(snaps[0].field(fields::AVAILABILITY), Some("RpB"));

        // A closed market: the prior close, at once, never as a live price.
        let closed = server
            .mock_async(|when, then| {
                when.method("GET")
                    .path(p.as_str())
                    .query_param("conids", "2");
                then.status(200).json_body(
                    json!([{"conid": "2", "31": "C189.50", "84": "H189.40", "86": 189.6}]),
                );
            })
            .await;
        let snaps = c
            .market_data()
            .snapshot_ready(&[2], &[fields::LAST], 3)
            .await
            .unwrap();
        closed.assert_calls_async(1).await;
        let s = &snaps[0];
        assert_eq!(
            s.last(),
            Some(SnapshotPrice::PriorClose(dec("189.50"))),
            "{variant}"
        );
        assert_eq!(s.live_price(fields::LAST), None);
        assert_eq!(s.bid(), Some(SnapshotPrice::Halted(dec("189.40"))));
        assert_eq!(s.ask().and_then(SnapshotPrice::live), Some(dec("189.6")));

        // No attempts: refused, nothing sent.
        let e = c
            .market_data()
            .snapshot_ready(&[2], &[fields::LAST], 0)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
        let e = c
            .market_data()
            .snapshot_ready(&[], &[], 2)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
        closed.assert_calls_async(1).await;

        // IBKR's error answer stops it.
        let server = MockServer::start_async().await;
        let failing = server
            .mock_async(|when, then| {
                when.method("GET").path(p.as_str());
                then.status(200)
                    .json_body(json!({"error": "no market data permissions"}));
            })
            .await;
        let e = unpaced(&server, variant)
            .market_data()
            .snapshot_ready(&[3], &[], 4)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Api { .. }), "{e:?}");
        failing.assert_calls_async(1).await;
    }
}
