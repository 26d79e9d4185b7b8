//! The WebSocket stream through the public API, against the embedded mock
//! on both variants: the handshake, the ready gate, `tic` timing (paused
//! time), delta merging, reconnect and resubscribe (a dropped socket, close
//! code 1000), a competing or unauthenticated session, slow consumers,
//! malformed frames, unsubscribe on drop and every topic's decoding.
#![cfg(feature = "testing")]

use std::time::Duration;

use futures_util::{FutureExt, Stream, StreamExt};
use ibkr_client::stream::{
    Event, Field, FrameErrorKind, HistoryRequest, OrderStatus, PriceFlag, StatusEvent,
    StreamConfig, StreamError, StreamHandle, StreamState,
};
use ibkr_client::supervisor::{SessionState, SupervisorConfig};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{BearerToken, Client, Config, Error};
use rust_decimal::Decimal;

const AAPL: i64 = 265598;
const MSFT: i64 = 272093;
const ACCOUNT: &str = "DU1234567";
const VARIANTS: [MockVariant; 2] = [MockVariant::Gateway, MockVariant::Web];
/// A guard against a hang, not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(20);

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn client_for(mock: &MockIbkr) -> Client {
    let config = match mock.variant() {
        MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
        MockVariant::Web => {
            Config::web(BearerToken::new("bearer-token-secret")).base_url(mock.base_url())
        }
    };
    Client::new(config).unwrap()
}

/// Quick reconnects for tests.
fn config() -> StreamConfig {
    StreamConfig::new().reconnect_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

/// A mock with the brokerage session open, a client and an open stream.
async fn open(variant: MockVariant, config: StreamConfig) -> (MockIbkr, Client, StreamHandle) {
    let mock = MockIbkr::start(variant).await.unwrap();
    mock.authenticate();
    let client = client_for(&mock);
    let stream = client.stream_with(config).await.unwrap();
    (mock, client, stream)
}

/// The next item, within [`PATIENCE`].
async fn next<S: Stream + Unpin>(s: &mut S) -> S::Item {
    tokio::time::timeout(PATIENCE, s.next())
        .await
        .expect("an item in time")
        .expect("the stream goes on")
}

/// The next data item, skipping other events.
async fn data<T, S>(s: &mut S) -> T
where
    S: Stream<Item = Result<Event<T>, StreamError>> + Unpin,
{
    loop {
        match next(s).await {
            Ok(Event::Data(d)) => return d,
            Ok(_) => {}
            Err(e) => panic!("ended: {e}"),
        }
    }
}

/// The next status event matching `pick`.
async fn status_until<T>(
    s: &mut ibkr_client::stream::Subscription<StatusEvent>,
    mut pick: impl FnMut(&Event<StatusEvent>) -> Option<T>,
) -> T {
    loop {
        let event = next(s).await.expect("the status stream goes on");
        if let Some(t) = pick(&event) {
            return t;
        }
    }
}

/// Pushes a bulletin and waits for it on `status`: every frame the mock
/// sent before it has been routed when this returns.
async fn barrier(
    mock: &MockIbkr,
    status: &mut ibkr_client::stream::Subscription<StatusEvent>,
    id: &str,
) {
    mock.push_stream(format!(
        r#"{{"topic":"blt","args":{{"id":"{id}","message":"barrier"}}}}"#
    ));
    status_until(status, |e| match e {
        Event::Data(StatusEvent::Bulletin(b)) if b.id.as_deref() == Some(id) => Some(()),
        _ => None,
    })
    .await;
}

/// Waits (real time, bounded) until `check` holds.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !check() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn wait_state(stream: &StreamHandle, want: impl Fn(StreamState) -> bool) -> StreamState {
    let mut states = stream.states();
    let s = tokio::time::timeout(PATIENCE, states.wait_for(|s| want(*s)))
        .await
        .expect("the state in time")
        .expect("the stream is alive");
    *s
}

/// Places a limit buy through the REST mock (`POST .../orders`, then the
/// confirmation of its question), over plain HTTP without credentials.
async fn place_mock_order(mock: &MockIbkr, client: &Client, price: f64) {
    mock.require_credentials(false);
    let http = client.http_client();
    let base = format!("{}/v1/api", mock.host_url());
    let post = |path: String, body: serde_json::Value| {
        http.post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let order = serde_json::json!({"orders": [{"conid": AAPL, "side": "BUY", "orderType": "LMT",
        "quantity": 1, "price": price, "tif": "DAY"}]});
    let answer = post(format!("/iserver/account/{ACCOUNT}/orders"), order)
        .await
        .unwrap();
    let question: serde_json::Value =
        serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    let reply = question[0]["id"].as_str().unwrap().to_string();
    let confirmed = post(
        format!("/iserver/reply/{reply}"),
        serde_json::json!({"confirmed": true}),
    );
    assert!(confirmed.await.unwrap().status().is_success());
}

#[tokio::test]
async fn the_handshake_carries_the_session_on_each_variant() {
    for variant in VARIANTS {
        let (mock, _client, stream) =
            open(variant, config().oauth_token("oauth-access-token")).await;
        stream.ready().await.unwrap();
        let handshakes = mock.stream_handshakes();
        assert_eq!(handshakes.len(), 1, "{variant:?}");
        let h = &handshakes[0];
        assert!(h.accepted);
        let session = mock.session_id();
        match variant {
            MockVariant::Gateway => {
                // The `api` cookie, after the client's own cookies (the
                // session cookie the REST calls received).
                let cookie = h.cookie.as_deref().unwrap();
                let api = format!(r#"api={{"session":"{session}"}}"#);
                assert!(cookie.split("; ").any(|c| c == api), "{cookie}");
                assert_eq!(h.oauth_token, None, "the Gateway takes no token");
                assert!(h.user_agent.as_deref().unwrap().starts_with("ibkr-client/"));
            }
            MockVariant::Web => {
                assert_eq!(h.cookie.as_deref(), Some(format!("api={session}").as_str()));
                assert_eq!(h.oauth_token.as_deref(), Some("oauth-access-token"));
                assert!(h.authorization, "the provider's header goes along");
                assert_eq!(h.user_agent.as_deref(), Some("ClientPortalGW/1"));
            }
        }
        // The stream's REST call was the tickle for the session.
        assert_eq!(mock.count("POST", "/tickle"), 1);
        assert_eq!(stream.state(), StreamState::Ready);
        assert_eq!(stream.state().session_state(), SessionState::Authenticated);
    }
}

#[tokio::test]
async fn a_refused_upgrade_is_not_authenticated() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = client_for(&mock);
        mock.session_id();
        // Logged out: the tickle is refused before any socket.
        client.session().logout().await.unwrap();
        let e = client.stream().await.unwrap_err();
        assert!(matches!(e, Error::NotAuthenticated(_)), "{variant:?}: {e}");
        assert!(mock.stream_handshakes().is_empty());
    }
}

#[tokio::test]
async fn nothing_is_subscribed_before_the_ready_message() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        mock.hold_stream_ready(true);
        let client = client_for(&mock);
        let stream = client.stream_with(config()).await.unwrap();
        let mut status = stream.status();
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        let mut orders = stream.orders();
        // Every command above was handled before the barrier's frame.
        barrier(&mock, &mut status, "before-ready").await;
        assert_eq!(stream.state(), StreamState::WaitingForReady);
        assert!(
            mock.stream_frames().is_empty(),
            "{variant:?}: {:?}",
            mock.stream_frames()
        );

        mock.hold_stream_ready(false);
        let q = data(&mut quotes).await;
        assert_eq!(q.quote.last(), Some(dec("189.50")));
        stream.ready().await.unwrap();
        let frames = mock.stream_frames();
        assert!(frames.iter().any(|f| f.text.starts_with("smd+265598+")));
        assert!(frames.iter().any(|f| f.text == "sor+{}"));
        assert!(
            frames.iter().all(|f| !f.before_ready && f.served),
            "{frames:?}"
        );
        assert!(
            orders.next().now_or_never().is_none(),
            "no orders, no message"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn tic_is_sent_on_its_interval() {
    for variant in VARIANTS {
        let cfg = config().tic_interval(Duration::from_secs(30));
        let (mock, _client, stream) = open(variant, cfg).await;
        stream.ready().await.unwrap();
        let start = tokio::time::Instant::now();
        let mut status = stream.status();
        // Paused time: the clock jumps from timer to timer.
        tokio::time::sleep(Duration::from_secs(95)).await;
        let tics = mock.stream_frames_starting("tic");
        assert_eq!(tics.len(), 3, "{variant:?}: {tics:?}");
        for pair in tics.windows(2) {
            let gap = pair[1].at - pair[0].at;
            assert!(
                gap >= Duration::from_millis(29_990) && gap <= Duration::from_millis(30_010),
                "{gap:?}"
            );
        }
        assert!(start.elapsed() >= Duration::from_secs(95));
        // IBKR's answers and heartbeats reach the status stream.
        let beats = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Heartbeat { at }) => Some(*at),
            _ => None,
        })
        .await;
        assert!(beats.is_some());
    }
}

#[tokio::test]
async fn deltas_merge_into_the_full_quote() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let fields = [
            Field::Last,
            Field::Bid,
            Field::Ask,
            Field::Symbol,
            Field::Volume,
        ];
        let mut quotes = stream.market_data(AAPL, &fields);
        let first = data(&mut quotes).await;
        let q = &first.quote;
        assert_eq!(q.conid, AAPL);
        assert_eq!(
            (q.last(), q.bid(), q.ask()),
            (
                Some(dec("189.50")),
                Some(dec("189.49")),
                Some(dec("189.51"))
            )
        );
        assert_eq!(q.text(Field::Symbol), Some("AAPL"));
        assert_eq!(q.price(Field::Volume), Some(Decimal::from(52_100_000)));
        assert_eq!(first.skipped, 0);
        assert_eq!(first.since, 0);
        assert!(first.is_changed(Field::Bid));

        assert_eq!(mock.push_quote(AAPL, &[("31", "190.10")]), 1);
        let second = data(&mut quotes).await;
        assert_eq!(second.quote.last(), Some(dec("190.10")));
        assert_eq!(
            second.quote.bid(),
            Some(dec("189.49")),
            "kept from the first message"
        );
        let changed: Vec<Field> = second.changed().map(|f| f.field).collect();
        assert_eq!(changed, [Field::Last]);
        let bid = second.quote.get(Field::Bid).unwrap();
        let last = second.quote.get(Field::Last).unwrap();
        assert!(last.seq > bid.seq, "per-field freshness");

        mock.push_quote(AAPL, &[("84", "C190.00"), ("86", "H190.20")]);
        let third = data(&mut quotes).await;
        let bid = third.quote.get(Field::Bid).unwrap();
        assert_eq!(
            (bid.value, bid.flag),
            (Some(dec("190.00")), Some(PriceFlag::PriorClose))
        );
        assert_eq!(bid.raw, "C190.00");
        assert_eq!(
            third.quote.get(Field::Ask).unwrap().flag,
            Some(PriceFlag::Halted)
        );
        assert_eq!(third.quote.last(), Some(dec("190.10")));
        assert_eq!(third.since, second.quote.seq);
    }
}

#[tokio::test]
async fn reconnects_and_resubscribes_after_a_drop_and_after_close_1000() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        let mut orders = stream.orders();
        let mut states = stream.states();
        data(&mut quotes).await;
        for (round, fault) in ["drop", "close 1000"].into_iter().enumerate() {
            match fault {
                "drop" => mock.drop_streams(),
                _ => mock.close_streams(1000),
            }
            let mut saw_reconnecting = false;
            loop {
                tokio::time::timeout(PATIENCE, states.changed())
                    .await
                    .unwrap()
                    .unwrap();
                let s = *states.borrow_and_update();
                saw_reconnecting |= matches!(s, StreamState::Reconnecting { .. });
                if saw_reconnecting && s == StreamState::Ready {
                    break;
                }
            }
            assert!(
                matches!(next(&mut quotes).await, Ok(Event::Reconnected)),
                "{variant:?} {fault}"
            );
            assert!(
                matches!(next(&mut orders).await, Ok(Event::Reconnected)),
                "{variant:?} {fault}"
            );
            // The resubscription is served: a fresh quote.
            let q = data(&mut quotes).await;
            assert_eq!(q.quote.last(), Some(dec("189.50")));
            let connection = round as u64 + 2;
            assert_eq!(mock.stream_connects(), connection);
            let sent: Vec<String> = mock
                .stream_frames()
                .into_iter()
                .filter(|f| f.connection == connection && f.text != "tic")
                .map(|f| f.text)
                .collect();
            assert!(
                sent.iter().any(|t| t.starts_with("smd+265598+")),
                "{sent:?}"
            );
            assert!(sent.iter().any(|t| t == "sor+{}"), "{sent:?}");
        }
        // Each reconnection tickled again for a fresh session.
        assert_eq!(mock.count("POST", "/tickle"), 3);
    }
}

#[tokio::test]
async fn a_competing_session_is_a_state_and_resubscribes_when_back() {
    for variant in VARIANTS {
        let (mock, client, stream) = open(variant, config()).await;
        let keepalive = client.keepalive(SupervisorConfig {
            interval: Duration::from_millis(100),
            settle: Duration::from_millis(1),
            ..SupervisorConfig::default()
        });
        let mut status = stream.status();
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        data(&mut quotes).await;

        mock.compete();
        let competing = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Session(s)) if s.competing => Some(s.clone()),
            _ => None,
        })
        .await;
        assert!(!competing.authenticated);
        assert_eq!(
            wait_state(&stream, |s| s == StreamState::Competing).await,
            StreamState::Competing
        );
        // The supervisor sees the same.
        let mut supervised = keepalive.subscribe();
        tokio::time::timeout(
            PATIENCE,
            supervised.wait_for(|s| *s == SessionState::Competing),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(stream.state().session_state(), keepalive.state());
        // Nothing is served meanwhile, and nothing stalls silently.
        assert_eq!(mock.push_quote(AAPL, &[("31", "1.00")]), 1);

        // Taking the session back: the subscription is sent again.
        client
            .session()
            .init_brokerage_session(true, true)
            .await
            .unwrap();
        wait_state(&stream, |s| s == StreamState::Ready).await;
        assert!(matches!(next(&mut quotes).await, Ok(Event::Reconnected)));
        assert_eq!(data(&mut quotes).await.quote.last(), Some(dec("189.50")));
        tokio::time::timeout(
            PATIENCE,
            supervised.wait_for(|s| *s == SessionState::Authenticated),
        )
        .await
        .unwrap()
        .unwrap();

        // A session that times out: authenticated false, until the
        // keepalive opens it again.
        mock.expire_session();
        let s = wait_state(&stream, |s| s != StreamState::Ready).await;
        assert_eq!(s, StreamState::Unauthenticated);
        assert_eq!(s.session_state(), SessionState::Connected);
        wait_state(&stream, |s| s == StreamState::Ready).await;
        assert!(matches!(next(&mut quotes).await, Ok(Event::Reconnected)));
        keepalive.shutdown().await;
    }
}

#[tokio::test]
async fn a_slow_market_data_consumer_gets_the_newest_quote_and_a_skip_count() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut status = stream.status();
        let mut quotes = stream.market_data(AAPL, &[Field::Last, Field::Bid]);
        data(&mut quotes).await;
        for i in 1..=100 {
            mock.push_quote(AAPL, &[("31", &format!("{i}.00"))]);
        }
        barrier(&mock, &mut status, "after-100").await;
        let update = data(&mut quotes).await;
        assert_eq!(update.quote.last(), Some(dec("100.00")), "{variant:?}");
        assert_eq!(update.skipped, 99);
        assert_eq!(update.quote.bid(), Some(dec("189.49")));
        assert!(
            quotes.next().now_or_never().is_none(),
            "nothing else is queued"
        );
    }
}

fn sor(order_id: u64) -> String {
    format!(
        r#"{{"topic":"sor","args":[{{"acct":"DU1234567","orderId":{order_id},"conid":265598,"status":"Submitted","side":"BUY","price":"189.00","totalSize":"1"}}]}}"#
    )
}

#[tokio::test]
async fn order_events_are_never_dropped_an_overflow_ends_the_stream() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config().buffer(4)).await;
        let mut status = stream.status();
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        let mut orders = stream.orders();
        data(&mut quotes).await;
        // As many as the buffer holds: all delivered.
        for id in 1..=4 {
            mock.push_stream(sor(id));
        }
        barrier(&mock, &mut status, "four").await;
        for id in 1..=4 {
            assert_eq!(data(&mut orders).await.order_id, Some(id));
        }
        // One more than it holds: the four, then a clear error, then the end.
        for id in 5..=9 {
            mock.push_stream(sor(id));
        }
        barrier(&mock, &mut status, "five").await;
        for id in 5..=8 {
            assert_eq!(data(&mut orders).await.order_id, Some(id), "{variant:?}");
        }
        match next(&mut orders).await {
            Err(StreamError::Overflow { topic, capacity }) => {
                assert_eq!((topic.as_str(), capacity), ("sor", 4));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            tokio::time::timeout(PATIENCE, orders.next())
                .await
                .unwrap()
                .is_none()
        );
        eventually("uor sent", || {
            mock.stream_frames().iter().any(|f| f.text == "uor+{}")
        })
        .await;
        // The rest of the stream goes on.
        mock.push_quote(AAPL, &[("31", "191.00")]);
        assert_eq!(data(&mut quotes).await.quote.last(), Some(dec("191.00")));
    }
}

#[tokio::test]
async fn an_order_placed_through_rest_streams_its_update() {
    for variant in VARIANTS {
        let (mock, client, stream) = open(variant, config()).await;
        let mut orders = stream.orders();
        stream.ready().await.unwrap();
        place_mock_order(&mock, &client, 189.25).await;
        let order = data(&mut orders).await;
        assert_eq!(order.account.as_deref(), Some(ACCOUNT), "{variant:?}");
        assert_eq!(order.conid, Some(AAPL));
        assert_eq!(order.status, Some(OrderStatus::Submitted));
        assert!(order.status.as_ref().unwrap().is_active());
        assert_eq!(order.price, Some(dec("189.25")));
        assert_eq!(order.total_size, Some(Decimal::ONE));
        assert_eq!(order.side.as_deref(), Some("BUY"));
        assert!(order.order_id.is_some());
        assert!(
            order.other.contains_key("companyName"),
            "unmodelled fields are kept"
        );
        place_mock_order(&mock, &client, 188.00).await;
        let second = data(&mut orders).await;
        assert_ne!(second.order_id, order.order_id);
        assert_eq!(second.price, Some(dec("188")));
    }
}

#[tokio::test]
async fn malformed_frames_are_error_events_and_the_stream_goes_on() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut status = stream.status();
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        let mut orders = stream.orders();
        data(&mut quotes).await;
        let bad = [
            ("this is not json", FrameErrorKind::Malformed),
            (r#"{"topic":"zzz","args":{}}"#, FrameErrorKind::UnknownTopic),
            ("[1,2,3]", FrameErrorKind::Malformed),
            (r#"{"no":"topic"}"#, FrameErrorKind::UnexpectedShape),
        ];
        for (frame, _) in bad {
            mock.push_stream(frame);
        }
        for (frame, kind) in bad {
            let e = status_until(&mut status, |e| match e {
                Event::Error(e) => Some(e.clone()),
                _ => None,
            })
            .await;
            assert_eq!((e.raw.as_str(), e.kind), (frame, kind), "{variant:?}");
        }
        // Errors of a subscription's own topic go to that subscription.
        let truncated = r#"{"topic":"smd+265598","31":"1"#;
        mock.push_stream(truncated);
        match next(&mut quotes).await {
            Ok(Event::Error(e)) => assert_eq!(
                (e.kind, e.raw.as_str()),
                (FrameErrorKind::Malformed, truncated)
            ),
            other => panic!("{other:?}"),
        }
        mock.push_stream(
            r#"{"topic":"smd+265598","conid":265598,"error":"no market data permissions"}"#,
        );
        match next(&mut quotes).await {
            Ok(Event::Error(e)) => {
                assert_eq!(e.kind, FrameErrorKind::Server);
                assert!(e.message.contains("no market data permissions"));
                assert_eq!(e.topic.as_deref(), Some("smd+265598"));
            }
            other => panic!("{other:?}"),
        }
        mock.push_stream(r#"{"topic":"sor","args":[7, {"orderId":"42","status":"Filled"}]}"#);
        match next(&mut orders).await {
            Ok(Event::Error(e)) => assert_eq!(
                (e.kind, e.raw.as_str()),
                (FrameErrorKind::UnexpectedShape, "7")
            ),
            other => panic!("{other:?}"),
        }
        let good = data(&mut orders).await;
        assert_eq!(
            (good.order_id, good.status),
            (Some(42), Some(OrderStatus::Filled))
        );
        mock.push_stream(r#"{"topic":"sor","error":"unable to subscribe","code":500}"#);
        match next(&mut orders).await {
            Ok(Event::Error(e)) => {
                assert_eq!(e.kind, FrameErrorKind::Server);
                assert!(e.message.contains("unable to subscribe") && e.message.contains("500"));
            }
            other => panic!("{other:?}"),
        }
        // And everything still works.
        mock.push_quote(AAPL, &[("31", "192.00")]);
        assert_eq!(data(&mut quotes).await.quote.last(), Some(dec("192.00")));
        assert_eq!(stream.state(), StreamState::Ready);
    }
}

#[tokio::test]
async fn dropping_a_subscription_unsubscribes() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut status = stream.status();
        let mut a = stream.market_data(AAPL, &[Field::Last]);
        let mut b = stream.market_data(AAPL, &[Field::Last, Field::Bid]);
        let mut msft = stream.market_data(MSFT, &[Field::Last]);
        let orders = stream.orders();
        let pnl = stream.pnl();
        let mut history = stream
            .history(AAPL, &HistoryRequest::new("1d", "5min"))
            .unwrap();
        data(&mut a).await;
        data(&mut b).await;
        data(&mut msft).await;
        let bars = data(&mut history).await;
        assert_eq!(bars.server_id.as_deref(), Some("smh-1"));
        // One server-side subscription for both, with the union of their fields.
        let smd: Vec<String> = mock
            .stream_frames_starting("smd+265598")
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(smd, [r#"smd+265598+{"fields":["31","84"]}"#]);
        // A later subscriber with a new field widens it.
        let mut c = stream.market_data(AAPL, &[Field::Ask]);
        assert_eq!(
            data(&mut c).await.quote.last(),
            Some(dec("189.50")),
            "the current quote at once"
        );
        eventually("widened", || {
            mock.stream_frames_starting("smd+265598").len() == 2
        })
        .await;
        assert_eq!(
            mock.stream_frames_starting("smd+265598")[1].text,
            r#"smd+265598+{"fields":["31","84","86"]}"#
        );
        drop(c);

        drop(a);
        barrier(&mock, &mut status, "one of two").await;
        assert!(
            mock.stream_frames_starting("umd").is_empty(),
            "{variant:?}: b still listens"
        );
        drop(b);
        drop(msft);
        drop(orders);
        drop(pnl);
        drop(history);
        eventually("all cancels", || {
            let texts: Vec<String> = mock.stream_frames().into_iter().map(|f| f.text).collect();
            [
                "umd+265598+{}",
                "umd+272093+{}",
                "uor+{}",
                "upl+{}",
                "umh+smh-1",
            ]
            .iter()
            .all(|c| texts.iter().any(|t| t == c))
        })
        .await;
        assert_eq!(mock.stream_frames_starting("umd+265598").len(), 1);
    }
}

#[tokio::test]
async fn at_most_five_history_subscriptions() {
    let (_mock, _client, stream) = open(MockVariant::Gateway, config()).await;
    let request = HistoryRequest::new("1d", "1min");
    let mut live: Vec<_> = (0..5)
        .map(|_| stream.history(AAPL, &request).unwrap())
        .collect();
    let e = stream.history(AAPL, &request).unwrap_err();
    assert!(
        matches!(e, Error::InvalidArgument(ref m) if m.contains("at most 5")),
        "{e}"
    );
    live.pop();
    assert!(stream.history(AAPL, &request).is_ok());
    assert!(
        stream.account_summary("DU1+evil").is_err(),
        "no frame injection"
    );
}

#[tokio::test]
async fn every_topic_decodes_into_typed_values() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut status = stream.status();
        let mut pnl = stream.pnl();
        let mut trades = stream.trades(false, 1);
        let mut summary = stream.account_summary(ACCOUNT).unwrap();
        let mut ledger = stream.ledger(ACCOUNT).unwrap();
        let mut history = stream
            .history(AAPL, &HistoryRequest::new("1d", "5min"))
            .unwrap();
        let mut book = stream.book(ACCOUNT, AAPL, Some("SMART")).unwrap();

        let ready = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Ready { username, paper }) => Some((username.clone(), *paper)),
            _ => None,
        })
        .await;
        assert_eq!(ready, (Some("mockuser".into()), Some(true)));
        let session = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Session(s)) => Some(s.clone()),
            _ => None,
        })
        .await;
        assert!(session.authenticated && !session.competing);
        assert_eq!(session.server_name.as_deref(), Some("MockIbkr"));
        let accounts = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Accounts(a)) => Some(a.clone()),
            _ => None,
        })
        .await;
        assert_eq!(accounts.accounts, ["DU1234567", "DU7654321"]);
        assert_eq!(accounts.selected.as_deref(), Some(ACCOUNT));

        let mut by_account = Vec::new();
        for _ in 0..2 {
            let p = data(&mut pnl).await;
            by_account.push((
                p.account.clone(),
                p.model.clone(),
                p.daily,
                p.net_liquidation,
                p.unrealized,
            ));
        }
        by_account.sort();
        assert_eq!(
            by_account[0],
            (
                "DU1234567".into(),
                Some("Core".into()),
                Some(dec("125")),
                Some(dec("1000000")),
                Some(dec("5922.5"))
            )
        );
        let trade = data(&mut trades).await;
        assert_eq!(
            (trade.price, trade.size, trade.commission),
            (Some(dec("189.49")), Some(dec("10")), Some(dec("1.00")))
        );
        assert_eq!(trade.net_amount, Some(dec("1894.9")));
        assert_eq!(trade.conid, Some(AAPL));

        let s = data(&mut summary).await;
        assert_eq!(s.account, ACCOUNT);
        assert_eq!(
            s.get("NetLiquidation").unwrap().amount,
            Some(dec("1000000"))
        );
        assert_eq!(
            s.get("availablefunds").unwrap().amount,
            Some(dec("850000.50"))
        );
        assert_eq!(s.get("accountcode").unwrap().text.as_deref(), Some(ACCOUNT));

        let l = data(&mut ledger).await;
        let base = l.currency("BASE").unwrap();
        assert_eq!(base.cash_balance, Some(dec("215000.25")));
        assert_eq!(base.net_liquidation, Some(dec("1000000")));
        assert_eq!(
            l.currency("usd").unwrap().cash_balance,
            Some(dec("215000.25"))
        );

        let h = data(&mut history).await;
        assert_eq!((h.conid, h.data.len(), h.bar_length), (AAPL, 3, Some(300)));
        assert_eq!(h.data[0].open, Some(dec("189.5")));
        assert_eq!(h.data[2].volume, Some(dec("1400")));

        let b = data(&mut book).await;
        assert_eq!(b.account, ACCOUNT);
        assert_eq!(b.data.len(), 3);
        assert_eq!(
            (b.data[0].price, b.data[0].ask_size),
            (Some(dec("189.52")), Some(dec("300")))
        );
        assert_eq!(b.data[1].price, Some(dec("189.50")), "a price with a count");
        assert_eq!(b.data[2].bid_size, Some(dec("200")));

        mock.push_stream(r#"{"topic":"ntf","args":{"id":"n1","title":"FYI","text":"Dividend","url":"https://x"}}"#);
        let n = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::Notification(n)) => Some(n.clone()),
            _ => None,
        })
        .await;
        assert_eq!(
            (n.id.as_deref(), n.title.as_deref(), n.text.as_deref()),
            (Some("n1"), Some("FYI"), Some("Dividend"))
        );
        mock.push_stream("waiting for session");
        let waiting = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::WaitingForSession(t)) => Some(t.clone()),
            _ => None,
        })
        .await;
        assert_eq!(waiting, "waiting for session");
        mock.push_stream(r#"{"topic":"system","message":"maintenance at 01:00"}"#);
        let system = status_until(&mut status, |e| match e {
            Event::Data(StatusEvent::System(m)) => Some(m.clone()),
            _ => None,
        })
        .await;
        assert_eq!(system["message"], "maintenance at 01:00");
    }
}

#[tokio::test]
async fn shutdown_ends_every_subscription_and_closes_with_1000() {
    for variant in VARIANTS {
        let (mock, _client, stream) = open(variant, config()).await;
        let mut quotes = stream.market_data(AAPL, &[Field::Last]);
        let mut orders = stream.orders();
        data(&mut quotes).await;
        stream.shutdown().await;
        assert_eq!(stream.state(), StreamState::Closed);
        assert!(
            tokio::time::timeout(PATIENCE, quotes.next())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            tokio::time::timeout(PATIENCE, orders.next())
                .await
                .unwrap()
                .is_none()
        );
        eventually("the mock sees the close", || mock.stream_connections() == 0).await;
        assert_eq!(
            mock.stream_connects(),
            1,
            "{variant:?}: no reconnect after shutdown"
        );
        // A subscription on a closed stream ends at once.
        let mut late = stream.orders();
        assert!(matches!(
            next(&mut late).await,
            Err(StreamError::Closed { .. })
        ));
    }
}

#[tokio::test]
async fn the_quickstart_streams_quotes_and_an_order_update() {
    for variant in VARIANTS {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        mock.stream_market_data(Some(Duration::from_millis(5)));
        let order_id = mock
            .place_order(ACCOUNT, AAPL, "buy", 2.into(), Some(150.into()))
            .unwrap();
        let client = client_for(&mock);
        let report = ibkr_client::testing::stream_quickstart(&client, AAPL, 3, true)
            .await
            .unwrap();
        assert_eq!(report.quotes.len(), 3, "{variant:?}");
        // Full quotes (coalesced: the timer may have moved them already).
        let q = &report.quotes[0].quote;
        assert!(
            q.last() >= Some(dec("189.50")) && q.bid().is_some() && q.ask().is_some(),
            "{q:?}"
        );
        assert!(
            report
                .quotes
                .windows(2)
                .all(|w| w[0].quote.seq < w[1].quote.seq)
        );
        let order = &report.order_updates[0];
        assert_eq!(order.order_id, Some(order_id as i64));
        assert_eq!(
            (order.total_size, order.price),
            (Some(dec("2")), Some(dec("150")))
        );
        assert_eq!(report.state, StreamState::Ready);
        // Nothing was placed by the workflow.
        assert_eq!(mock.count("POST", "/iserver/account/DU1234567/orders"), 0);
    }
}

/// The README's streaming example is the stream module's doctest, which
/// `cargo test --doc` compiles.
#[test]
fn the_readme_example_is_the_compiled_doctest() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/../../README.md")).unwrap();
    let section = readme.split("\n## Streaming\n").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    let example = section
        .split("```rust,no_run\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    let module = std::fs::read_to_string(format!("{root}/src/stream/mod.rs")).unwrap();
    let doc: Vec<&str> = module
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect();
    let doc = doc.join("\n");
    assert!(example.lines().count() > 10);
    assert!(
        doc.contains(example),
        "README's example differs from src/stream/mod.rs's doctest"
    );
}

/// OAuth 1.0a's stream token is its access token (the default `oauth_token`).
#[test]
fn oauth1_streams_with_its_access_token() {
    use ibkr_client::AuthProvider;
    use ibkr_client::oauth1::{OAuth1, OAuth1Config};
    let dir = format!("{}/tests/fixtures/oauth1", env!("CARGO_MANIFEST_DIR"));
    let inputs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/inputs.json")).unwrap())
            .unwrap();
    let s = |k: &str| inputs[k].as_str().unwrap().to_string();
    let config = OAuth1Config::new(
        s("consumer_key"),
        s("access_token"),
        s("access_token_secret"),
    )
    .signature_key_file(format!("{dir}/TEST_ONLY_signature_key.pem"))
    .encryption_key_pem(
        std::fs::read_to_string(format!("{dir}/TEST_ONLY_encryption_key.pem")).unwrap(),
    )
    .dh_prime_hex(s("dh_prime"))
    .dh_generator(2)
    .realm(s("realm"));
    let provider = OAuth1::new(config).unwrap();
    assert_eq!(provider.stream_token(), Some(s("access_token")));
    assert_eq!(BearerToken::new("t").stream_token(), None);
}
