//! No credential of the stream in a TRACE capture: everything the crate and
//! its dependencies log (tracing, and `log` records such as tungstenite's
//! through the `tracing-log` bridge) while streaming on both variants,
//! through a reconnect, bad frames and an overflow, plus the `Debug` and
//! `Display` output of every stream value. Its own test binary: the
//! subscriber is global.
#![cfg(feature = "testing")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use ibkr_client::stream::{Event, Field, StreamConfig, StreamState};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{BearerToken, Client, Config};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

const BEARER: &str = "bearer-SECRET-7c1f0e";
const OAUTH_TOKEN: &str = "oauth-SECRET-9a4b2d";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

async fn next<S: futures_util::Stream + Unpin>(s: &mut S) -> S::Item {
    tokio::time::timeout(Duration::from_secs(20), s.next())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn no_credential_in_a_trace_capture() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish()
        .init();

    let mut secrets = vec![BEARER.to_string(), OAUTH_TOKEN.to_string()];
    let mut shown = String::new();
    for variant in [MockVariant::Gateway, MockVariant::Web] {
        let mock = MockIbkr::start(variant).await.unwrap();
        mock.authenticate();
        let config = match variant {
            MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
            MockVariant::Web => Config::web(BearerToken::new(BEARER)).base_url(mock.base_url()),
        };
        let client = Client::new(config).unwrap();
        let stream_config = StreamConfig::new()
            .oauth_token(OAUTH_TOKEN)
            .buffer(1)
            .reconnect_backoff(Duration::from_millis(5), Duration::from_millis(10));
        let stream = client.stream_with(stream_config.clone()).await.unwrap();
        secrets.push(mock.session_id());
        let mut quotes = stream.market_data(265598, &[Field::Last, Field::Bid]);
        let mut orders = stream.orders();
        let first = next(&mut quotes).await.unwrap();
        mock.push_stream("not json at all");
        mock.push_stream(r#"{"topic":"sor","args":[1]}"#);
        let bad = next(&mut orders).await.unwrap();
        // A drop, a reconnect (a new tickle, the same session).
        mock.drop_streams();
        let mut states = stream.states();
        states
            .wait_for(|s| matches!(s, StreamState::Reconnecting { .. }))
            .await
            .unwrap();
        states.wait_for(|s| *s == StreamState::Ready).await.unwrap();
        let again = next(&mut quotes).await.unwrap();
        // An overflow of the one-event order buffer.
        for id in 1..=3 {
            mock.push_stream(format!(r#"{{"topic":"sor","args":[{{"orderId":{id}}}]}}"#));
        }
        let mut ended = None;
        while let Some(item) = tokio::time::timeout(Duration::from_secs(20), orders.next())
            .await
            .unwrap()
        {
            if let Err(e) = item {
                ended = Some(e);
            }
        }
        let ended = ended.expect("the order stream overflowed");
        shown.push_str(&format!(
            "{stream:?} {stream_config:?} {first:?} {bad:?} {again:?} {ended} {ended:?} {quotes:?} {client:?}"
        ));
        if let Event::Error(e) = bad {
            shown.push_str(&e.to_string());
        }
        // A refused connection's error.
        stream.shutdown().await;
        client.session().logout().await.unwrap();
        let e = client.stream().await.map(|_| ()).unwrap_err();
        shown.push_str(&format!("{e} {e:?}"));
    }

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture is real: the stream's own TRACE lines and tungstenite's.
    assert!(log.contains("stream: send"), "{log}");
    assert!(log.contains("stream state changed"));
    assert!(log.contains("tungstenite"), "log records are captured too");
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "{secret} in the log");
        assert!(
            !shown.contains(secret.as_str()),
            "{secret} in Debug/Display: {shown}"
        );
    }
    assert!(
        !log.contains("Cookie:") && !log.contains("api={"),
        "no cookie in the log"
    );
}
