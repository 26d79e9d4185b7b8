//! Streaming over IBKR's WebSocket: quotes, orders, PnL and more as typed
//! async streams, on both variants.
//!
//! [`Client::stream`] opens the socket with the client's own configuration
//! (the session of a `/tickle`, the Gateway's cookie or the Web API's
//! `oauth_token`, the same TLS policy and self-signed opt-in as REST) and
//! hands back a [`StreamHandle`]. Each subscription is a
//! [`futures_util::Stream`] of [`Event`]s:
//!
//! ```no_run
//! # async fn f() -> ibkr_client::Result<()> {
//! use futures_util::StreamExt;
//! use ibkr_client::stream::{Event, Field};
//! use ibkr_client::{Client, Config};
//!
//! let client = Client::new(Config::gateway().accept_self_signed_certificate())?;
//! let keepalive = client.keepalive(Default::default()); // REST keeps its own keep-alive
//! let stream = client.stream().await?;
//! let mut quotes = stream.market_data(265598, &[Field::Last, Field::Bid, Field::Ask]);
//! let mut orders = stream.orders();
//! loop {
//!     tokio::select! {
//!         Some(Ok(event)) = quotes.next() => match event {
//!             Event::Data(update) => println!(
//!                 "last {:?} bid {:?} ask {:?} ({} skipped)",
//!                 update.quote.last(), update.quote.bid(), update.quote.ask(), update.skipped
//!             ),
//!             Event::Reconnected => println!("reconnected: there may be a gap"),
//!             Event::Error(e) => eprintln!("bad frame: {e}"),
//!             _ => {}
//!         },
//!         Some(event) = orders.next() => match event {
//!             Ok(Event::Data(order)) => println!("order {:?}: {:?}", order.order_id, order.status),
//!             Ok(_) => {}
//!             Err(e) => { eprintln!("{e}"); break } // the order stream ended
//!         },
//!     }
//! }
//! # keepalive.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # What it does for you
//!
//! - **Ready gate.** Nothing is subscribed before IBKR's ready message
//!   (`system` with `success`); earlier subscriptions are held, not lost.
//! - **Keep-alive.** `tic` every [`StreamConfig::tic_interval`] (30 s).
//!   The REST session still needs [`Client::keepalive`].
//! - **Merged quotes.** Market data messages carry only what changed; each
//!   [`QuoteUpdate`] is the full [`Quote`] with per-field freshness.
//! - **Reconnect.** A lost socket (an error, or a close, code 1000
//!   included) is reopened with jittered backoff, every live subscription
//!   is sent again after the ready message, and each subscription gets
//!   [`Event::Reconnected`]: there may be a gap before it. A competing
//!   session or `authenticated: false` is a [`StreamState`], and
//!   subscriptions are sent again when the session is back.
//! - **Backpressure, nothing silently lost.** Market data is coalesced:
//!   a slow consumer gets the newest quote and [`QuoteUpdate::skipped`].
//!   Every other subscription is a bounded queue
//!   ([`StreamConfig::buffer`]) that never drops: when it would overflow,
//!   that subscription ends with [`StreamError::Overflow`] after the events
//!   already queued.
//! - **Bad input** (a malformed frame, an unknown topic, an unexpected
//!   shape) is an [`Event::Error`] with the raw text, on the subscription
//!   it belongs to or on the [status stream](StreamHandle::status); the
//!   stream goes on.
//! - **Unsubscribe on drop.** Dropping a subscription's stream cancels it
//!   at IBKR (when it was the last one on that topic).
//! - **No secret in logs.** The session, the token and the cookie never
//!   appear in logs, `Debug` output or errors.

mod channel;
mod connect;
mod decode;
mod driver;
mod protocol;

pub mod account;
pub mod bars;
pub mod market;
pub mod orders;
pub mod status;

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use tokio::sync::{mpsc, watch};

pub use account::{AccountSummary, Ledger, LedgerEntry, PnlUpdate, SummaryEntry};
pub use bars::{Bar, BookRow, BookUpdate, HistoryBars, HistoryRequest};
pub use market::{Field, PriceFlag, Quote, QuoteBook, QuoteField, QuoteUpdate};
pub use orders::{OrderStatus, OrderUpdate, Trade};
pub use status::{AccountsInfo, Bulletin, Notification, SessionStatus, StatusEvent};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::supervisor::SessionState;
use channel::{EventSource, QuoteSource, Sink};
use driver::{Command, Subscribe};
use protocol::{Frames, Route};

#[cfg(feature = "testing")]
pub(crate) use connect::accept_key;

/// At most this many historical bar subscriptions at a time (IBKR's limit).
pub const MAX_HISTORY_SUBSCRIPTIONS: usize = 5;

/// How the stream behaves. [`StreamConfig::default`] suits most uses.
#[derive(Clone)]
pub struct StreamConfig {
    pub(crate) tic_interval: Duration,
    pub(crate) ready_timeout: Duration,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) backoff_base: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) buffer: usize,
    pub(crate) oauth_token: Option<Secret>,
    pub(crate) user_agent: Option<String>,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            tic_interval: Duration::from_secs(30),
            ready_timeout: Duration::from_secs(30),
            connect_timeout: None,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            buffer: 1024,
            oauth_token: None,
            user_agent: None,
        }
    }
}

impl StreamConfig {
    /// The defaults: `tic` every 30 s, 30 s for the ready message,
    /// reconnects from 1 s to 60 s, buffers of 1024 events.
    pub fn new() -> Self {
        Self::default()
    }

    /// How often `tic` is sent (default 30 s; IBKR wants one at least every
    /// minute).
    pub fn tic_interval(mut self, interval: Duration) -> Self {
        self.tic_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// How long to wait for IBKR's ready message after connecting before
    /// the connection is given up and opened again (default 30 s).
    pub fn ready_timeout(mut self, timeout: Duration) -> Self {
        self.ready_timeout = timeout;
        self
    }

    /// The longest a connection attempt (tickle, TCP, TLS, upgrade) may
    /// take (default: the client's request timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The reconnect backoff: the first wait after a lost socket is about
    /// `base` (jittered), doubling up to `max` while connecting fails.
    pub fn reconnect_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max.max(base);
        self
    }

    /// The capacity of each lossless subscription (orders, trades, PnL,
    /// account, history, book, status; default 1024 events).
    pub fn buffer(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// The Web API's `oauth_token` query parameter, instead of the
    /// provider's [`stream_token`](crate::AuthProvider::stream_token) (the
    /// OAuth access token). Some setups want the live session token here.
    /// A secret: never logged, redacted in `Debug`.
    pub fn oauth_token(mut self, token: impl Into<String>) -> Self {
        self.oauth_token = Some(Secret(token.into()));
        self
    }

    /// The `User-Agent` of the upgrade request (default: `ClientPortalGW/1`
    /// on the Web API, the client's own on the Gateway).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
        let full = self
            .backoff_base
            .checked_mul(factor)
            .unwrap_or(self.backoff_max)
            .min(self.backoff_max);
        // Jitter: between half and all of it.
        let nanos = full.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(nanos / 2 + rand::random_range(0..=nanos / 2))
    }
}

impl fmt::Debug for StreamConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamConfig")
            .field("tic_interval", &self.tic_interval)
            .field("ready_timeout", &self.ready_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("backoff", &(self.backoff_base, self.backoff_max))
            .field("buffer", &self.buffer)
            .field(
                "oauth_token",
                &self.oauth_token.as_ref().map(|_| "<redacted>"),
            )
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// A credential, redacted in `Debug`.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// One item of a subscription.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<T> {
    /// A decoded message.
    Data(T),
    /// The socket was reopened (or the brokerage session came back) and the
    /// subscription sent again: updates may be missing before this.
    Reconnected,
    /// A frame for this subscription (or, on the status stream, a frame of
    /// no subscription) could not be decoded. The stream goes on.
    Error(FrameError),
}

/// What kind of bad input a [`FrameError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// Not JSON, or not an object.
    Malformed,
    /// A topic the stream does not know.
    UnknownTopic,
    /// JSON of an unexpected shape (a missing conid, a list where an object
    /// belongs).
    UnexpectedShape,
    /// IBKR's own error answer (`{"error": "unable to subscribe"}`).
    Server,
}

/// A frame that could not be decoded, with its raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    /// What went wrong, in kind.
    pub kind: FrameErrorKind,
    /// What went wrong.
    pub message: String,
    /// The frame's text (for a bad row of a list, the row's).
    pub raw: String,
    /// The frame's topic, when known.
    pub topic: Option<String>,
    /// Market data only: errors of this subscription dropped before this
    /// one because the consumer was slow (at most 32 are queued).
    pub skipped: u64,
}

impl FrameError {
    pub(crate) fn new(kind: FrameErrorKind, message: String, raw: &str) -> FrameError {
        FrameError {
            kind,
            message,
            raw: raw.to_string(),
            topic: None,
            skipped: 0,
        }
    }

    pub(crate) fn on(mut self, topic: &str) -> FrameError {
        self.topic = Some(topic.to_string());
        self
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.topic {
            Some(topic) => write!(f, "{:?} frame on {topic}: {}", self.kind, self.message),
            None => write!(f, "{:?} frame: {}", self.kind, self.message),
        }
    }
}

impl std::error::Error for FrameError {}

/// Why a subscription ended. Always its last item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The consumer fell so far behind that the subscription's buffer was
    /// full. Every event before this one was delivered; later ones were not
    /// received, and the subscription was cancelled. Subscribe again (and
    /// reconcile through REST) or raise [`StreamConfig::buffer`].
    #[error(
        "the {topic} subscription ended: its consumer fell {capacity} events behind (nothing before this was dropped; later events were not received)"
    )]
    Overflow {
        /// The topic (`sor`, `str`, ...).
        topic: String,
        /// The buffer's capacity.
        capacity: usize,
    },
    /// The stream stopped for good.
    #[error("the stream is closed: {reason}")]
    Closed {
        /// Why.
        reason: String,
    },
}

/// The stream's state ([`StreamHandle::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamState {
    /// Connected, waiting for IBKR's ready message.
    WaitingForReady,
    /// Ready: subscriptions are sent and served.
    Ready,
    /// Connected, but the brokerage session is not authenticated (`sts`
    /// with `authenticated: false`): nothing is served until it is opened
    /// again (`ssodh/init`, as [`Client::keepalive`] does).
    Unauthenticated,
    /// Another session holds the brokerage session (`sts` with
    /// `competing: true`).
    Competing,
    /// The socket is lost; reconnecting.
    Reconnecting {
        /// Consecutive attempts so far.
        attempt: u32,
    },
    /// Shut down.
    Closed,
}

impl StreamState {
    /// The keepalive supervisor's state that corresponds to this one, so
    /// both can be shown as one: ready is
    /// [`Authenticated`](SessionState::Authenticated), unauthenticated is
    /// [`Connected`](SessionState::Connected) (connected, brokerage session
    /// down), competing is [`Competing`](SessionState::Competing),
    /// reconnecting is [`Disconnected`](SessionState::Disconnected).
    pub fn session_state(self) -> SessionState {
        match self {
            StreamState::WaitingForReady => SessionState::Starting,
            StreamState::Ready => SessionState::Authenticated,
            StreamState::Unauthenticated => SessionState::Connected,
            StreamState::Competing => SessionState::Competing,
            StreamState::Reconnecting { .. } => SessionState::Disconnected,
            StreamState::Closed => SessionState::Stopped,
        }
    }
}

impl fmt::Display for StreamState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl Client {
    /// Opens IBKR's WebSocket with [`StreamConfig::default`]; see
    /// [`Client::stream_with`].
    pub async fn stream(&self) -> Result<StreamHandle> {
        self.stream_with(StreamConfig::default()).await
    }

    /// Opens IBKR's WebSocket: a `/tickle` for the session, then the
    /// upgrade with the client's TLS policy and credentials. Returns once
    /// the socket is open; subscriptions made before IBKR's ready message
    /// are held until it arrives ([`StreamHandle::ready`] waits for it).
    ///
    /// Fails with the tickle's error, [`Error::NotAuthenticated`] when the
    /// upgrade is refused (HTTP 401/403), [`Error::Timeout`] or
    /// [`Error::Transport`]. Later losses are reconnected in the
    /// background. The connection task runs until
    /// [`StreamHandle::shutdown`] or until the handle and every
    /// subscription are dropped.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub async fn stream_with(&self, config: StreamConfig) -> Result<StreamHandle> {
        let (socket, secrets) = connect::open(self, &config).await?;
        tracing::info!(url = %connect::display_url(self), "stream connected");
        let (commands, receiver) = mpsc::unbounded_channel();
        let (state_tx, state) = watch::channel(StreamState::WaitingForReady);
        let buffer = config.buffer;
        driver::spawn(self.clone(), config, socket, secrets, receiver, state_tx);
        Ok(StreamHandle {
            commands,
            state,
            shared: Arc::new(Shared {
                next_id: AtomicU64::new(1),
                history: Arc::new(AtomicUsize::new(0)),
                buffer,
            }),
        })
    }
}

struct Shared {
    next_id: AtomicU64,
    history: Arc<AtomicUsize>,
    buffer: usize,
}

/// The open stream: subscribe with its methods. Cheap to clone; the
/// connection lives while a handle or a subscription does.
#[derive(Clone)]
pub struct StreamHandle {
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<StreamState>,
    shared: Arc<Shared>,
}

impl fmt::Debug for StreamHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamHandle")
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

/// Checks an account id, exchange or filter before it goes into a frame.
fn word(what: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!("invalid {what} {value:?}")))
    }
}

impl StreamHandle {
    /// The current state.
    pub fn state(&self) -> StreamState {
        *self.state.borrow()
    }

    /// A receiver of state changes.
    pub fn states(&self) -> watch::Receiver<StreamState> {
        self.state.clone()
    }

    /// Waits until the stream is [`Ready`](StreamState::Ready). Fails when
    /// it closes first.
    pub async fn ready(&self) -> std::result::Result<(), StreamError> {
        let mut states = self.state.clone();
        let result = states
            .wait_for(|s| matches!(s, StreamState::Ready | StreamState::Closed))
            .await
            .map(|s| *s);
        match result {
            Ok(StreamState::Ready) => Ok(()),
            _ => Err(StreamError::Closed {
                reason: "the stream closed before it was ready".into(),
            }),
        }
    }

    /// Closes the socket (close code 1000) and ends every subscription, then
    /// waits until the connection task has stopped.
    pub async fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
        let mut states = self.state.clone();
        let _ = states.wait_for(|s| *s == StreamState::Closed).await;
    }

    fn subscribe(
        &self,
        route: Route,
        frames: Frames,
        fields: Vec<Field>,
        sink: Box<dyn Sink>,
    ) -> Guard {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let command = Command::Subscribe(Subscribe {
            id,
            route,
            frames,
            fields,
            sink,
        });
        if let Err(mpsc::error::SendError(Command::Subscribe(mut s))) = self.commands.send(command)
        {
            s.sink.end(Some(StreamError::Closed {
                reason: "the connection task has stopped".into(),
            }));
        }
        Guard {
            id,
            commands: self.commands.clone(),
            history: None,
        }
    }

    fn events<T: Clone + Send + 'static>(&self, route: Route, frames: Frames) -> Subscription<T> {
        let (sink, source) = channel::events::<T>(self.shared.buffer);
        let guard = self.subscribe(route, frames, Vec::new(), Box::new(sink));
        Subscription { source, guard }
    }

    /// Market data of `conid` (`smd`), merged into full quotes. Coalesced:
    /// a slow consumer gets the newest quote and the count of updates it
    /// skipped. `fields` as in [`MarketData::snapshot`](crate::areas::market_data::MarketData::snapshot).
    pub fn market_data(&self, conid: i64, fields: &[Field]) -> QuoteStream {
        self.market(conid, None, fields)
    }

    /// Like [`StreamHandle::market_data`] on one exchange
    /// (`smd+<conid>@<exchange>`).
    pub fn market_data_on(
        &self,
        conid: i64,
        exchange: &str,
        fields: &[Field],
    ) -> Result<QuoteStream> {
        word("exchange", exchange)?;
        Ok(self.market(conid, Some(exchange), fields))
    }

    fn market(&self, conid: i64, exchange: Option<&str>, fields: &[Field]) -> QuoteStream {
        let (sink, source) = channel::quotes();
        let frames = protocol::market(conid, exchange, fields);
        let guard = self.subscribe(
            Route::Market(conid),
            frames,
            fields.to_vec(),
            Box::new(sink),
        );
        QuoteStream {
            conid,
            source,
            guard,
        }
    }

    /// Live orders (`sor`): one [`OrderUpdate`] per order per message. Never
    /// drops an update (see [`StreamError::Overflow`]).
    pub fn orders(&self) -> Subscription<OrderUpdate> {
        self.events(Route::Orders, protocol::orders(&[]))
    }

    /// Live orders with IBKR's status filters (`{"filters": [...]}`, e.g.
    /// `filled`, `cancelled`).
    pub fn orders_filtered(&self, filters: &[&str]) -> Result<Subscription<OrderUpdate>> {
        for f in filters {
            word("order filter", f)?;
        }
        let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
        Ok(self.events(Route::Orders, protocol::orders(&filters)))
    }

    /// PnL (`spl`): one [`PnlUpdate`] per account entry per message.
    pub fn pnl(&self) -> Subscription<PnlUpdate> {
        self.events(Route::Pnl, protocol::pnl())
    }

    /// Trades (`str`): executions of the last `days` days (unless
    /// `realtime_only`), then new ones as they happen.
    pub fn trades(&self, realtime_only: bool, days: u32) -> Subscription<Trade> {
        self.events(Route::Trades, protocol::trades(realtime_only, days))
    }

    /// The account summary of `account` (`ssd`).
    pub fn account_summary(&self, account: &str) -> Result<Subscription<AccountSummary>> {
        word("account", account)?;
        Ok(self.events(Route::Summary(account.into()), protocol::summary(account)))
    }

    /// The ledger of `account` (`sld`, about every 10 s).
    pub fn ledger(&self, account: &str) -> Result<Subscription<Ledger>> {
        word("account", account)?;
        Ok(self.events(Route::Ledger(account.into()), protocol::ledger(account)))
    }

    /// Historical bars of `conid` (`smh`), then updates. At most
    /// [`MAX_HISTORY_SUBSCRIPTIONS`] at a time: the sixth fails with
    /// [`Error::InvalidArgument`] until one is dropped.
    pub fn history(
        &self,
        conid: i64,
        request: &HistoryRequest,
    ) -> Result<Subscription<HistoryBars>> {
        for (what, v) in [("period", &request.period), ("bar", &request.bar)] {
            word(what, v)?;
        }
        let live = &self.shared.history;
        if live
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_HISTORY_SUBSCRIPTIONS).then_some(n + 1)
            })
            .is_err()
        {
            return Err(Error::InvalidArgument(format!(
                "at most {MAX_HISTORY_SUBSCRIPTIONS} historical bar subscriptions at a time; drop one first"
            )));
        }
        let mut sub = self.events(Route::History(conid), protocol::history(conid, request));
        sub.guard.history = Some(live.clone());
        Ok(sub)
    }

    /// The book of `conid` for `account` (`sbd`; needs market depth
    /// permissions). One book per account at a time.
    pub fn book(
        &self,
        account: &str,
        conid: i64,
        exchange: Option<&str>,
    ) -> Result<Subscription<BookUpdate>> {
        word("account", account)?;
        if let Some(ex) = exchange {
            word("exchange", ex)?;
        }
        Ok(self.events(
            Route::Book(account.into()),
            protocol::book(account, conid, exchange),
        ))
    }

    /// The unsolicited messages ([`StatusEvent`]: ready, session status
    /// including `competing`, accounts, bulletins, notifications,
    /// heartbeats, the stream's own state changes) and the frames that
    /// belong to no subscription, as [`Event::Error`]s. Never drops.
    pub fn status(&self) -> Subscription<StatusEvent> {
        self.events(
            Route::Status,
            Frames {
                subscribe: None,
                unsubscribe: None,
            },
        )
    }
}

/// Unsubscribes when dropped.
struct Guard {
    id: u64,
    commands: mpsc::UnboundedSender<Command>,
    history: Option<Arc<AtomicUsize>>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Unsubscribe(self.id));
        if let Some(live) = &self.history {
            live.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// A lossless subscription: a [`Stream`] of events that ends with an error
/// only if its consumer fell [`StreamConfig::buffer`] events behind or the
/// stream closed. Dropping it unsubscribes.
pub struct Subscription<T> {
    source: EventSource<T>,
    guard: Guard,
}

impl<T> fmt::Debug for Subscription<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.guard.id)
            .finish_non_exhaustive()
    }
}

impl<T> Stream for Subscription<T> {
    type Item = std::result::Result<Event<T>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.source).poll_next(cx)
    }
}

/// A market data subscription: a [`Stream`] of merged quotes, coalesced
/// for slow consumers. Dropping it unsubscribes (`umd`).
pub struct QuoteStream {
    conid: i64,
    source: QuoteSource,
    guard: Guard,
}

impl QuoteStream {
    /// The subscribed conid.
    pub fn conid(&self) -> i64 {
        self.conid
    }
}

impl fmt::Debug for QuoteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QuoteStream")
            .field("conid", &self.conid)
            .field("id", &self.guard.id)
            .finish_non_exhaustive()
    }
}

impl Stream for QuoteStream {
    type Item = std::result::Result<Event<QuoteUpdate>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.source).poll_next(cx)
    }
}
