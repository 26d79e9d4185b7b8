//! The keepalive supervisor driving a real `Client` against the embedded
//! mock, on both variants: it opens the brokerage session, re-opens it after
//! a drop, reports a competing session and a logout, and stops with the
//! client. (Paused-time runs over simulated days are in `supervisor.rs`.)
#![cfg(feature = "testing")]

use std::time::Duration;

use ibkr_client::pacing::PacingTable;
use ibkr_client::supervisor::{SessionState, SupervisorConfig};
use ibkr_client::testing::{MockIbkr, MockVariant};
use ibkr_client::{BearerToken, Client, Config};
use tokio::sync::watch;

fn client_for(mock: &MockIbkr) -> Client {
    let config = match mock.variant() {
        MockVariant::Gateway => Config::gateway().base_url(mock.base_url()),
        MockVariant::Web => Config::web(BearerToken::new("t")).base_url(mock.base_url()),
    };
    // The supervisor ticks every 100 ms here; IBKR's 1/s tickle limit
    // would stretch the test to seconds.
    Client::new(config.pacing(PacingTable::unlimited())).unwrap()
}

fn fast() -> SupervisorConfig {
    SupervisorConfig {
        interval: Duration::from_millis(100),
        backoff_base: Duration::from_millis(20),
        settle: Duration::from_millis(10),
        disconnected_after: 2,
    }
}

/// Waits (at most 10 s, a hang guard, not a speed check) for `state`.
async fn reach(rx: &mut watch::Receiver<SessionState>, state: SessionState) {
    let reached = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(|s| *s == state))
        .await
        .map(|r| r.is_ok());
    assert_eq!(
        reached,
        Ok(true),
        "never reached {state}; last {}",
        *rx.borrow()
    );
}

#[tokio::test]
async fn the_supervisor_keeps_a_client_session_up() {
    for variant in [MockVariant::Gateway, MockVariant::Web] {
        let mock = MockIbkr::start(variant).await.unwrap();
        let client = client_for(&mock);
        let keepalive = client.keepalive(fast());
        let mut states = keepalive.subscribe();

        // Logged in without a brokerage session: it opens one.
        reach(&mut states, SessionState::Authenticated).await;
        assert!(mock.is_authenticated(), "{variant:?}");
        assert_eq!(mock.count("POST", "/iserver/auth/ssodh/init"), 1);

        // A drop (nightly reset): re-opened.
        // (The brief `Connected` in between is not awaited: a watch
        // receiver may see only the latest state.)
        mock.expire_session();
        tokio::time::timeout(Duration::from_secs(10), async {
            while mock.count("POST", "/iserver/auth/ssodh/init") < 2 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("re-opened after the drop");
        reach(&mut states, SessionState::Authenticated).await;
        assert!(mock.is_authenticated());

        // It keeps tickling.
        let tickles = mock.tickles();
        tokio::time::timeout(Duration::from_secs(10), async {
            while mock.tickles() < tickles + 3 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("tickles continue");

        // Another platform takes the session: reported, not fought over
        // (the supervisor's ssodh/init does not compete).
        mock.compete();
        reach(&mut states, SessionState::Competing).await;
        assert!(mock.is_competing());

        keepalive.shutdown().await;
        assert_eq!(*states.borrow(), SessionState::Stopped);
        let sent = mock.requests().len();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            mock.requests().len(),
            sent,
            "{variant:?}: sent after shutdown"
        );
    }
}

#[tokio::test]
async fn the_supervisor_stops_with_the_last_clone_of_the_client() {
    let mock = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    let client = client_for(&mock);
    let clone = client.clone();
    let keepalive = client.keepalive(fast());
    let mut states = keepalive.subscribe();
    reach(&mut states, SessionState::Authenticated).await;

    drop(client);
    // A clone still lives: it keeps going.
    let tickles = mock.tickles();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(mock.tickles() > tickles);

    drop(clone);
    reach(&mut states, SessionState::Stopped).await;
    let sent = mock.requests().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        mock.requests().len(),
        sent,
        "sent after the client was dropped"
    );
    drop(keepalive);
}

#[tokio::test]
async fn a_logout_is_reported_as_expired() {
    let mock = MockIbkr::start(MockVariant::Gateway).await.unwrap();
    let client = client_for(&mock);
    let keepalive = client.keepalive(fast());
    let mut states = keepalive.subscribe();
    reach(&mut states, SessionState::Authenticated).await;
    client.session().logout().await.unwrap();
    reach(&mut states, SessionState::Expired).await;
    // After a new login the supervisor brings the brokerage session back.
    mock.login();
    reach(&mut states, SessionState::Authenticated).await;
    keepalive.shutdown().await;
}
