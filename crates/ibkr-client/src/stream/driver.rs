//! The connection task: owns the socket, holds subscriptions until the
//! ready message, sends `tic`, routes messages to subscriptions, and
//! reconnects (with jittered backoff) and resubscribes when the socket is
//! lost.

use std::collections::HashMap;
use std::pin::pin;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::channel::{Delivered, Sink};
use super::connect::{self, Secrets, Socket};
use super::market::{Field, QuoteBook};
use super::protocol::{self, Frames, Inbound, Item, Route};
use super::status::{SessionStatus, StatusEvent};
use super::{FrameError, StreamConfig, StreamError, StreamState};
use crate::client::Client;

/// What a handle or a subscription asks of the connection task.
pub(crate) enum Command {
    Subscribe(Subscribe),
    Unsubscribe(u64),
    Shutdown,
}

/// A new subscription.
pub(crate) struct Subscribe {
    pub(crate) id: u64,
    pub(crate) route: Route,
    pub(crate) frames: Frames,
    /// Market data: the fields asked for.
    pub(crate) fields: Vec<Field>,
    pub(crate) sink: Box<dyn Sink>,
}

struct Sub {
    route: Route,
    sink: Box<dyn Sink>,
    /// Sent to IBKR at least once (so a later resend is a reconnection).
    sent: bool,
}

/// One server-side subscription and its consumers.
struct Topic {
    frames: Frames,
    fields: Vec<Field>,
    exchange: Option<String>,
    /// Historical bars: IBKR's id, needed to cancel.
    server_id: Option<String>,
    ids: Vec<u64>,
}

struct Driver {
    client: Client,
    config: StreamConfig,
    secrets: Secrets,
    subs: HashMap<u64, Sub>,
    topics: HashMap<Route, Topic>,
    book: QuoteBook,
    state: watch::Sender<StreamState>,
    ready: bool,
    session: Option<SessionStatus>,
    /// Frames waiting to be written (the socket is written only in
    /// [`Driver::flush`]).
    outbox: Vec<String>,
}

/// How a connection ended.
enum Exit {
    Shutdown,
    Lost(String),
}

pub(crate) fn spawn(
    client: Client,
    config: StreamConfig,
    socket: Socket,
    secrets: Secrets,
    commands: mpsc::UnboundedReceiver<Command>,
    state: watch::Sender<StreamState>,
) {
    let driver = Driver {
        client,
        config,
        secrets,
        subs: HashMap::new(),
        topics: HashMap::new(),
        book: QuoteBook::default(),
        state,
        ready: false,
        session: None,
        outbox: Vec::new(),
    };
    tokio::spawn(driver.run(socket, commands));
}

impl Driver {
    async fn run(mut self, first: Socket, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut socket = Some(first);
        let mut attempt = 0u32;
        loop {
            let ws = match socket.take() {
                Some(ws) => ws,
                None => {
                    attempt += 1;
                    self.set_state(StreamState::Reconnecting { attempt });
                    let delay = self.config.backoff(attempt);
                    tracing::debug!(attempt, ?delay, "stream: reconnecting");
                    let wait = tokio::time::sleep(delay);
                    if self.offline(wait, &mut commands).await.is_none() {
                        break;
                    }
                    let (client, config) = (self.client.clone(), self.config.clone());
                    let opening = async move { connect::open(&client, &config).await };
                    match self.offline(opening, &mut commands).await {
                        None => break,
                        Some(Ok((ws, secrets))) => {
                            self.secrets.extend(secrets);
                            tracing::info!(url = %connect::display_url(&self.client), attempt, "stream reconnected");
                            ws
                        }
                        Some(Err(e)) => {
                            let reason = self.secrets.redact(&e.to_string());
                            tracing::warn!(%reason, attempt, "stream: cannot reconnect");
                            self.status(StatusEvent::Disconnected { reason });
                            continue;
                        }
                    }
                }
            };
            let (exit, was_ready) = self.connection(ws, &mut commands).await;
            match exit {
                Exit::Shutdown => break,
                Exit::Lost(reason) => {
                    tracing::warn!(%reason, "stream: socket lost");
                    self.status(StatusEvent::Disconnected { reason });
                    if was_ready {
                        attempt = 0;
                    }
                }
            }
        }
        self.set_state(StreamState::Closed);
        for (_, mut sub) in self.subs.drain() {
            sub.sink.end(None);
        }
    }

    /// Runs `future` while handling commands without a socket; `None` on
    /// shutdown.
    async fn offline<F: Future>(
        &mut self,
        future: F,
        commands: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Option<F::Output> {
        let mut future = pin!(future);
        loop {
            tokio::select! {
                biased;
                command = commands.recv() => {
                    if !self.command(command) {
                        return None;
                    }
                    self.outbox.clear();
                }
                out = &mut future => return Some(out),
            }
        }
    }

    /// Applies a command; `false` on shutdown (or when every handle is gone).
    fn command(&mut self, command: Option<Command>) -> bool {
        match command {
            None | Some(Command::Shutdown) => false,
            Some(Command::Subscribe(s)) => {
                self.add(s);
                true
            }
            Some(Command::Unsubscribe(id)) => {
                self.remove(id, None);
                true
            }
        }
    }

    /// One connection, until it is lost or the stream shuts down. Also
    /// says whether it got ready.
    async fn connection(
        &mut self,
        mut ws: Socket,
        commands: &mut mpsc::UnboundedReceiver<Command>,
    ) -> (Exit, bool) {
        self.ready = false;
        self.session = None;
        self.outbox.clear();
        self.set_state(StreamState::WaitingForReady);
        let ready_by = tokio::time::sleep(self.config.ready_timeout);
        let mut ready_by = pin!(ready_by);
        let period = self.config.tic_interval;
        let mut tic = tokio::time::interval_at(Instant::now() + period, period);
        tic.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let exit = loop {
            let step = tokio::select! {
                biased;
                command = commands.recv() => {
                    if self.command(command) {
                        Ok(())
                    } else {
                        let close = CloseFrame { code: CloseCode::Normal, reason: "".into() };
                        let _ = ws.close(Some(close)).await;
                        break Exit::Shutdown;
                    }
                }
                message = ws.next() => match message {
                    Some(Ok(Message::Text(text))) => {
                        self.inbound(text.as_str());
                        Ok(())
                    }
                    Some(Ok(Message::Binary(bytes))) => {
                        match std::str::from_utf8(&bytes) {
                            Ok(text) => self.inbound(text),
                            Err(_) => self.unroutable(FrameError::new(
                                super::FrameErrorKind::Malformed,
                                "a binary frame that is not UTF-8".into(),
                                &String::from_utf8_lossy(&bytes),
                            )),
                        }
                        Ok(())
                    }
                    Some(Ok(Message::Close(frame))) => Err(match frame {
                        Some(f) => format!("closed by the server (code {}{})", u16::from(f.code),
                            if f.reason.is_empty() { String::new() } else { format!(": {}", f.reason) }),
                        None => "closed by the server".to_string(),
                    }),
                    Some(Ok(_)) => Ok(()),
                    Some(Err(e)) => Err(format!("socket error: {e}")),
                    None => Err("the connection ended".to_string()),
                },
                _ = tic.tick() => {
                    self.outbox.push(protocol::TIC.to_string());
                    Ok(())
                }
                () = &mut ready_by, if !self.ready => {
                    Err(format!("no ready message within {:?}", self.config.ready_timeout))
                }
            };
            let step = match step {
                Ok(()) => self.flush(&mut ws).await,
                Err(reason) => Err(reason),
            };
            if let Err(reason) = step {
                break Exit::Lost(self.secrets.redact(&reason));
            }
        };
        let was_ready = self.ready;
        self.ready = false;
        (exit, was_ready)
    }

    /// Writes the frames queued by the last step.
    async fn flush(&mut self, ws: &mut Socket) -> Result<(), String> {
        if self.outbox.is_empty() {
            return Ok(());
        }
        for frame in self.outbox.drain(..) {
            tracing::trace!(%frame, "stream: send");
            ws.feed(Message::Text(frame.into()))
                .await
                .map_err(|e| format!("cannot send: {e}"))?;
        }
        ws.flush().await.map_err(|e| format!("cannot send: {e}"))
    }

    /// Whether subscriptions are served now.
    fn serving(&self) -> bool {
        self.ready
            && self
                .session
                .as_ref()
                .is_none_or(|s| s.authenticated && !s.competing)
    }

    fn current_state(&self) -> StreamState {
        match &self.session {
            _ if !self.ready => StreamState::WaitingForReady,
            Some(s) if s.competing => StreamState::Competing,
            Some(s) if !s.authenticated => StreamState::Unauthenticated,
            _ => StreamState::Ready,
        }
    }

    fn set_state(&mut self, new: StreamState) {
        let changed = self.state.send_if_modified(|current| {
            if *current == new {
                return false;
            }
            tracing::info!(from = %current, to = %new, "stream state changed");
            *current = new;
            true
        });
        if changed {
            self.status(StatusEvent::State(new));
        }
    }

    /// Sends every subscription (after the ready message, or when the
    /// brokerage session is back) and tells those sent before that there
    /// may be a gap.
    fn resubscribe(&mut self) {
        for topic in self.topics.values() {
            if let Some(frame) = &topic.frames.subscribe {
                self.outbox.push(frame.clone());
            }
        }
        let mut overflowed = Vec::new();
        for (id, sub) in &mut self.subs {
            if sub.sent && sub.sink.reconnected() == Delivered::Overflow {
                overflowed.push(*id);
            }
            sub.sent = true;
        }
        self.overflow(overflowed);
    }

    fn inbound(&mut self, text: &str) {
        tracing::trace!(frame = %text, "stream: received");
        match protocol::decode(text, &mut self.book) {
            Inbound::Ready(event) => {
                self.ready = true;
                self.status(event);
                self.set_state(self.current_state());
                if self.serving() {
                    self.resubscribe();
                }
            }
            Inbound::Session(status) => {
                let was = self.serving();
                self.session = Some(status.clone());
                self.status(StatusEvent::Session(status));
                if self.ready {
                    self.set_state(self.current_state());
                }
                if !was && self.serving() {
                    self.resubscribe();
                }
            }
            Inbound::Status(event) => self.status(event),
            Inbound::Market(conid) => {
                if let Some(quote) = self.book.get(conid) {
                    let route = Route::Market(conid);
                    let overflowed =
                        deliver(&self.topics, &mut self.subs, &route, |s| s.data(quote));
                    self.overflow(overflowed);
                }
            }
            Inbound::Items(route, items) => self.items(route, items),
            Inbound::Unroutable(error) => self.unroutable(error),
            Inbound::Ignore => {}
        }
    }

    fn items(&mut self, route: Route, items: Vec<Item>) {
        if let (Route::History(_), Some(topic)) = (&route, self.topics.get_mut(&route)) {
            let id = items.iter().find_map(|i| {
                i.as_ref()
                    .ok()?
                    .downcast_ref::<super::HistoryBars>()?
                    .server_id
                    .clone()
            });
            if id.is_some() {
                topic.server_id = id;
            }
        }
        if !self.topics.contains_key(&route) {
            tracing::debug!(topic = %route.name(), "stream: a message for no subscription");
            return;
        }
        let mut overflowed = Vec::new();
        for item in items {
            let ended = match item {
                Ok(value) => deliver(&self.topics, &mut self.subs, &route, |s| s.data(&*value)),
                Err(error) => {
                    tracing::debug!(%error, "stream: undecodable frame");
                    deliver(&self.topics, &mut self.subs, &route, |s| {
                        s.error(error.clone())
                    })
                }
            };
            overflowed.extend(ended);
        }
        self.overflow(overflowed);
    }

    fn unroutable(&mut self, error: FrameError) {
        tracing::warn!(kind = ?error.kind, message = %error.message, "stream: a frame of no subscription");
        let overflowed = deliver(&self.topics, &mut self.subs, &Route::Status, |s| {
            s.error(error.clone())
        });
        self.overflow(overflowed);
    }

    /// Sends `event` to the status subscribers.
    fn status(&mut self, event: StatusEvent) {
        let overflowed = deliver(&self.topics, &mut self.subs, &Route::Status, |s| {
            s.data(&event)
        });
        self.overflow(overflowed);
    }

    /// Ends the subscriptions whose buffer is full.
    fn overflow(&mut self, ids: Vec<u64>) {
        for id in ids {
            let Some(route) = self.subs.get(&id).map(|s| s.route.clone()) else {
                continue;
            };
            let error = StreamError::Overflow {
                topic: route.name(),
                capacity: self.config.buffer,
            };
            tracing::warn!(%error, "stream: a slow consumer's subscription ended");
            self.remove(id, Some(error));
        }
    }

    /// Registers a subscription; queues its frame when serving.
    fn add(&mut self, s: Subscribe) {
        let serving = self.serving();
        let exchange = match &s.route {
            Route::Market(_) => s
                .frames
                .subscribe
                .as_deref()
                .and_then(|f| f.split('+').nth(1))
                .and_then(|t| t.split_once('@'))
                .map(|(_, ex)| ex.to_string()),
            _ => None,
        };
        let mut send = None;
        let mut current = None;
        match self.topics.get_mut(&s.route) {
            None => {
                send = s.frames.subscribe.clone();
                self.topics.insert(
                    s.route.clone(),
                    Topic {
                        frames: s.frames,
                        fields: s.fields,
                        exchange,
                        server_id: None,
                        ids: vec![s.id],
                    },
                );
            }
            Some(topic) => {
                topic.ids.push(s.id);
                if let Route::Market(conid) = s.route {
                    let missing: Vec<Field> = s
                        .fields
                        .iter()
                        .filter(|f| !topic.fields.contains(f))
                        .copied()
                        .collect();
                    if !missing.is_empty() {
                        topic.fields.extend(missing);
                        topic.frames =
                            protocol::market(conid, topic.exchange.as_deref(), &topic.fields);
                        send = topic.frames.subscribe.clone();
                    }
                    current = self.book.get(conid).cloned();
                } else if topic.frames.subscribe != s.frames.subscribe {
                    // Other arguments for the same topic: IBKR takes the newest.
                    topic.frames = s.frames;
                    send = topic.frames.subscribe.clone();
                }
            }
        }
        let mut sub = Sub {
            route: s.route,
            sink: s.sink,
            sent: serving,
        };
        if let Some(quote) = &current {
            sub.sink.data(quote);
        }
        self.subs.insert(s.id, sub);
        if let (true, Some(frame)) = (serving, send) {
            self.outbox.push(frame);
        }
    }

    /// Removes a subscription (ending it with `error`); queues the cancel
    /// when it was the last on its topic.
    fn remove(&mut self, id: u64, error: Option<StreamError>) {
        let Some(mut sub) = self.subs.remove(&id) else {
            return;
        };
        sub.sink.end(error);
        let Some(topic) = self.topics.get_mut(&sub.route) else {
            return;
        };
        topic.ids.retain(|i| *i != id);
        if !topic.ids.is_empty() {
            return;
        }
        let topic = self.topics.remove(&sub.route).expect("present");
        if let Route::Market(conid) = sub.route {
            self.book.remove(conid);
        }
        let cancel = match (&sub.route, &topic.server_id) {
            (Route::History(_), Some(server_id)) => Some(protocol::history_cancel(server_id)),
            _ => topic.frames.unsubscribe,
        };
        if let (true, Some(frame)) = (self.ready, cancel) {
            self.outbox.push(frame);
        }
    }
}

/// Delivers to every subscription of `route`; returns those that
/// overflowed.
fn deliver(
    topics: &HashMap<Route, Topic>,
    subs: &mut HashMap<u64, Sub>,
    route: &Route,
    mut f: impl FnMut(&mut dyn Sink) -> Delivered,
) -> Vec<u64> {
    let Some(topic) = topics.get(route) else {
        return Vec::new();
    };
    let mut overflowed = Vec::new();
    for id in &topic.ids {
        if let Some(sub) = subs.get_mut(id)
            && f(sub.sink.as_mut()) == Delivered::Overflow
        {
            overflowed.push(*id);
        }
    }
    overflowed
}
