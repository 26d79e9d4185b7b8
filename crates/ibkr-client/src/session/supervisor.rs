//! A keepalive supervisor: keeps an IBKR session alive and the brokerage
//! session up, and tells everyone interested how the session is doing.
//!
//! A session times out after about 6 minutes without requests, and the
//! brokerage session drops now and then (nightly resets, another login
//! taking over). [`Supervisor::spawn`] starts a tokio task that, every
//! [`SupervisorConfig::interval`] (60 s by default):
//!
//! 1. calls `tickle` to keep the session alive;
//! 2. checks the authentication status;
//! 3. when the brokerage session is down although the tickle succeeded
//!    (not authenticated, connected or not, or "no bridge"), calls
//!    `init_brokerage_session` and checks again; still not connected
//!    after that is [`SessionState::Expired`], and the next round tries
//!    again;
//! 4. publishes the resulting [`SessionState`] on a
//!    [`tokio::sync::watch`] channel ([`SupervisorHandle::subscribe`]).
//!
//! Transient errors (transport, timeouts, 5xx) never stop it: it retries
//! with exponential backoff (1 s, 2 s, 4 s, ... up to the interval) and
//! reports [`SessionState::Disconnected`] after
//! [`SupervisorConfig::disconnected_after`] failures in a row. It stops
//! when [`SupervisorHandle::shutdown`] is called or the handle is dropped;
//! after `shutdown` returns nothing more is sent.
//!
//! The supervisor only needs the three calls of [`SessionOps`], so any
//! client can be supervised. For the facade's client use
//! [`Client::keepalive`](crate::Client::keepalive): the supervisor then
//! also stops when the last clone of the client is dropped.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) {
//! use ibkr_client::supervisor::{SessionState, SupervisorConfig};
//!
//! let keepalive = client.keepalive(SupervisorConfig::default());
//! let mut states = keepalive.subscribe();
//! tokio::spawn(async move {
//!     while states.changed().await.is_ok() {
//!         let state = *states.borrow_and_update();
//!         if state == SessionState::Expired {
//!             eprintln!("log in to the gateway again");
//!         }
//!     }
//! });
//! // ... trade ...
//! keepalive.shutdown().await;
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::error::Error;

/// What the supervisor needs to know about the brokerage session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStatus {
    /// The brokerage session is authenticated.
    pub authenticated: bool,
    /// A connection to the brokerage backend exists.
    pub connected: bool,
    /// Another session (TWS, mobile, another web login) competes for the
    /// username.
    pub competing: bool,
}

/// The session calls the supervisor makes.
pub trait SessionOps: Send + Sync + 'static {
    /// Keeps the session alive (`/tickle`).
    fn tickle(&self) -> impl Future<Output = Result<(), Error>> + Send;
    /// The brokerage session's status (`/iserver/auth/status`).
    fn auth_status(&self) -> impl Future<Output = Result<SessionStatus, Error>> + Send;
    /// Opens a brokerage session (`/iserver/auth/ssodh/init`).
    fn init_brokerage_session(&self) -> impl Future<Output = Result<(), Error>> + Send;
    /// Whether the session's owner is gone, so the supervisor should stop.
    /// Checked before every round; the default is never.
    fn is_closed(&self) -> bool {
        false
    }
}

/// The session's state as the supervisor last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// The supervisor has not completed its first check yet.
    Starting,
    /// The brokerage session is up: trading and market data work.
    Authenticated,
    /// Connected, but the brokerage session is down; the supervisor is
    /// re-initialising it.
    Connected,
    /// Another session competes for the username.
    Competing,
    /// The session itself is gone (HTTP 401, or not connected): a new
    /// login (Gateway) or new credentials (Web API) are needed. The
    /// supervisor keeps checking.
    Expired,
    /// The server cannot be reached (several transient failures in a row).
    Disconnected,
    /// The supervisor has stopped.
    Stopped,
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// How the supervisor paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupervisorConfig {
    /// Time between two rounds (tickle + status check). Default 60 s; IBKR
    /// times a session out after about 6 minutes without requests.
    pub interval: Duration,
    /// First backoff after a transient failure; doubles on each further
    /// failure, up to `interval`. Default 1 s.
    pub backoff_base: Duration,
    /// Wait after `init_brokerage_session` before checking the status
    /// again. Default 2 s.
    pub settle: Duration,
    /// Consecutive transient failures before [`SessionState::Disconnected`]
    /// is published. Default 2.
    pub disconnected_after: u32,
}

impl Default for SupervisorConfig {
    fn default() -> Self {
        SupervisorConfig {
            interval: Duration::from_secs(60),
            backoff_base: Duration::from_secs(1),
            settle: Duration::from_secs(2),
            disconnected_after: 2,
        }
    }
}

impl SupervisorConfig {
    /// The default configuration with another interval.
    pub fn with_interval(interval: Duration) -> SupervisorConfig {
        SupervisorConfig {
            interval,
            ..SupervisorConfig::default()
        }
    }

    fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(31));
        self.backoff_base
            .checked_mul(factor)
            .unwrap_or(self.interval)
            .min(self.interval)
    }
}

/// Starts keepalive supervisors.
#[derive(Debug)]
pub struct Supervisor;

impl Supervisor {
    /// Spawns the supervisor task on the current tokio runtime. The first
    /// round runs at once.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn spawn<S: SessionOps>(ops: Arc<S>, config: SupervisorConfig) -> SupervisorHandle {
        let (state_tx, state_rx) = watch::channel(SessionState::Starting);
        let (stop_tx, stop_rx) = oneshot::channel();
        let task = tokio::spawn(run(ops, config, state_tx, stop_rx));
        SupervisorHandle {
            state: state_rx,
            stop: Some(stop_tx),
            task: Some(task),
        }
    }
}

/// Owns a running supervisor: dropping it stops the supervisor.
pub struct SupervisorHandle {
    state: watch::Receiver<SessionState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for SupervisorHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupervisorHandle")
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

impl SupervisorHandle {
    /// The current state.
    pub fn state(&self) -> SessionState {
        *self.state.borrow()
    }

    /// A receiver of state changes.
    pub fn subscribe(&self) -> watch::Receiver<SessionState> {
        self.state.clone()
    }

    /// Stops the supervisor and waits until it has stopped: once this
    /// returns, the supervisor sends nothing more. A call in flight is
    /// abandoned.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SupervisorHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// What one round found.
enum Round {
    /// A definite state; the next round follows at the regular interval.
    State(SessionState),
    /// A transient failure: retry after a backoff.
    Failed(Error),
}

async fn run<S: SessionOps>(
    ops: Arc<S>,
    config: SupervisorConfig,
    state: watch::Sender<SessionState>,
    mut stop: oneshot::Receiver<()>,
) {
    let publish = |new: SessionState| {
        state.send_if_modified(|current| {
            if *current == new {
                return false;
            }
            tracing::info!(from = %current, to = %new, "session state changed");
            *current = new;
            true
        });
    };
    let mut failures = 0u32;
    let mut next = Instant::now();
    loop {
        tokio::select! {
            biased;
            _ = &mut stop => break,
            _ = tokio::time::sleep_until(next) => {}
        }
        if ops.is_closed() {
            tracing::debug!("the supervised client is gone; stopping");
            break;
        }
        let started = Instant::now();
        let round = tokio::select! {
            biased;
            _ = &mut stop => break,
            round = one_round(ops.as_ref(), &config, &publish) => round,
        };
        match round {
            Round::State(new) => {
                failures = 0;
                publish(new);
                next = (started + config.interval).max(Instant::now());
            }
            Round::Failed(error) => {
                failures += 1;
                let delay = config.backoff(failures);
                tracing::warn!(%error, failures, ?delay, "session keepalive failed; retrying");
                if failures >= config.disconnected_after {
                    publish(SessionState::Disconnected);
                }
                next = Instant::now() + delay;
            }
        }
    }
    publish(SessionState::Stopped);
}

/// Tickle, check, re-initialise if needed.
async fn one_round<S: SessionOps>(
    ops: &S,
    config: &SupervisorConfig,
    publish: &impl Fn(SessionState),
) -> Round {
    let mut dropped = false;
    match ops.tickle().await {
        Ok(()) => {}
        Err(Error::NotAuthenticated(_)) => return Round::State(SessionState::Expired),
        Err(Error::NoBrokerageSession(_)) => dropped = true,
        Err(e) => return Round::Failed(e),
    }
    if !dropped {
        match ops.auth_status().await {
            Ok(status) => match classify(status) {
                Some(state) => return Round::State(state),
                None => dropped = true,
            },
            Err(Error::NotAuthenticated(_)) => return Round::State(SessionState::Expired),
            Err(Error::NoBrokerageSession(_)) => dropped = true,
            Err(e) => return Round::Failed(e),
        }
    }
    debug_assert!(dropped);
    tracing::info!("brokerage session dropped; re-initialising it");
    publish(SessionState::Connected);
    match ops.init_brokerage_session().await {
        Ok(()) => {}
        Err(Error::NotAuthenticated(_)) => return Round::State(SessionState::Expired),
        Err(e) => return Round::Failed(e),
    }
    tokio::time::sleep(config.settle).await;
    match ops.auth_status().await {
        Ok(status) => match classify(status) {
            Some(state) => Round::State(state),
            // Still no bridge: a new login is needed; the next round tries
            // `ssodh/init` again.
            None if !status.connected => Round::State(SessionState::Expired),
            None => Round::Failed(Error::NoBrokerageSession(
                "the brokerage session did not come up after ssodh/init".into(),
            )),
        },
        Err(Error::NotAuthenticated(_)) => Round::State(SessionState::Expired),
        Err(e) => Round::Failed(e),
    }
}

/// The state a status shows, or `None` when the brokerage session is down
/// and should be re-initialised. The caller's tickle succeeded, so the
/// session itself is alive: `connected: false` means the bridge to the
/// brokerage backend is gone, which `ssodh/init` restores (a dead session
/// shows as a 401 instead, [`SessionState::Expired`]).
fn classify(status: SessionStatus) -> Option<SessionState> {
    match status {
        SessionStatus {
            competing: true, ..
        } => Some(SessionState::Competing),
        SessionStatus {
            authenticated: true,
            ..
        } => Some(SessionState::Authenticated),
        _ => None,
    }
}

/// The facade's client as the supervisor sees it: a weak reference, so the
/// supervisor never keeps the client alive.
struct WeakClient(std::sync::Weak<crate::client::Shared>);

impl WeakClient {
    fn client(&self) -> Result<crate::Client, Error> {
        crate::Client::from_shared(&self.0)
            .ok_or_else(|| Error::Transport("the client has been dropped".into()))
    }
}

impl SessionOps for WeakClient {
    async fn tickle(&self) -> Result<(), Error> {
        self.client()?.session().tickle().await.map(drop)
    }

    async fn auth_status(&self) -> Result<SessionStatus, Error> {
        let status = self.client()?.session().auth_status().await?;
        Ok(SessionStatus {
            authenticated: status.authenticated,
            connected: status.connected,
            competing: status.competing,
        })
    }

    async fn init_brokerage_session(&self) -> Result<(), Error> {
        self.client()?
            .session()
            .init_brokerage_session(true, false)
            .await
            .map(drop)
    }

    fn is_closed(&self) -> bool {
        self.0.strong_count() == 0
    }
}

impl crate::Client {
    /// Starts a keepalive [`Supervisor`] for this client's session: it
    /// tickles every `config.interval`, re-opens the brokerage session
    /// (`ssodh/init` with `publish: true, compete: false`) when it drops,
    /// and publishes [`SessionState`]s. Its requests are paced like all
    /// others.
    ///
    /// It stops when the handle is shut down or dropped, or when the last
    /// clone of the client is dropped (it holds no strong reference).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn keepalive(&self, config: SupervisorConfig) -> SupervisorHandle {
        Supervisor::spawn(Arc::new(WeakClient(self.downgrade())), config)
    }
}
