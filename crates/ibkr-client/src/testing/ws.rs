//! The mock's WebSocket (`/v1/api/ws`, both variants), as IBKR's behaves:
//!
//! - the upgrade needs the session: Gateway cookie `api={"session":"…"}`,
//!   Web API cookie `api=…` and an `oauth_token` query parameter or an
//!   `Authorization` header; anything else is HTTP 401;
//! - the ready message (`system` with `success`), then `sts` and `act`;
//!   subscriptions sent before it, or while the brokerage session is down
//!   or competing, are dropped silently (and logged as such);
//! - a `system` heartbeat every 10 s, an answer to each `tic`;
//! - market data (`smd`): the requested fields at once, then only changed
//!   fields, pushed by the test ([`MockIbkr::push_quote`]) or on a timer
//!   ([`MockIbkr::stream_market_data`]);
//! - live orders (`sor`): the orders placed through the REST mock, and a
//!   message whenever one is placed or changes;
//! - PnL, trades, account summary, ledger, historical bars and the book,
//!   canned;
//! - `sts` whenever the REST session changes ([`MockIbkr::compete`],
//!   [`MockIbkr::expire_session`], `ssodh/init`), a close on `/logout`;
//! - scripted faults: [`MockIbkr::drop_streams`] (the TCP connection
//!   ends without a close frame), [`MockIbkr::close_streams`] (a close
//!   frame with a code, 1000 as in IBKR's nightly reset),
//!   [`MockIbkr::push_stream`] (any frame, malformed ones included).
//!
//! Every frame a client sends is logged ([`MockIbkr::stream_frames`]) with
//! whether the mock served or dropped it.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};

use super::{Inner, MockIbkr, MockVariant, parse_query};
use crate::testing::data::{self, ACCOUNT, ACCOUNT_2, CONTRACTS};

/// One frame a client sent to the mock's WebSocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFrame {
    /// Which connection (1 for the first the mock accepted).
    pub connection: u64,
    /// The frame's text.
    pub text: String,
    /// Whether it arrived before the mock's ready message.
    pub before_ready: bool,
    /// Whether the mock acted on it (`false`: dropped, as IBKR drops a
    /// subscription before the ready message or without a brokerage
    /// session).
    pub served: bool,
    /// When it arrived, since the mock started (tokio's clock, so paused
    /// time applies).
    pub at: Duration,
}

/// One WebSocket upgrade request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamHandshake {
    /// The `Cookie` header.
    pub cookie: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `oauth_token` query parameter.
    pub oauth_token: Option<String>,
    /// Whether an `Authorization` header came along.
    pub authorization: bool,
    /// Whether the mock accepted it.
    pub accepted: bool,
}

enum Control {
    Push(String),
    Quote(i64, Vec<(String, String)>),
    Ready,
    Drop,
    Close(u16),
}

struct Settings {
    hold_ready: bool,
    heartbeat: Duration,
    market_every: Option<Duration>,
}

/// The WebSocket side of one mock.
pub(crate) struct Hub {
    started: Instant,
    connections: AtomicU64,
    sent: AtomicU64,
    live: Mutex<Vec<(u64, mpsc::UnboundedSender<Control>)>>,
    frames: Mutex<Vec<StreamFrame>>,
    handshakes: Mutex<Vec<StreamHandshake>>,
    settings: Mutex<Settings>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The hubs of the running mocks, by their shared state.
static HUBS: Mutex<Vec<(Weak<Inner>, Arc<Hub>)>> = Mutex::new(Vec::new());

fn hub_for(inner: &Arc<Inner>) -> Arc<Hub> {
    let mut hubs = lock(&HUBS);
    hubs.retain(|(weak, _)| weak.strong_count() > 0);
    if let Some((_, hub)) = hubs
        .iter()
        .find(|(weak, _)| std::ptr::eq(weak.as_ptr(), Arc::as_ptr(inner)))
    {
        return hub.clone();
    }
    let hub = Arc::new(Hub {
        started: Instant::now(),
        connections: AtomicU64::new(0),
        sent: AtomicU64::new(0),
        live: Mutex::new(Vec::new()),
        frames: Mutex::new(Vec::new()),
        handshakes: Mutex::new(Vec::new()),
        settings: Mutex::new(Settings {
            hold_ready: false,
            heartbeat: Duration::from_secs(10),
            market_every: None,
        }),
    });
    hubs.push((Arc::downgrade(inner), hub.clone()));
    hub
}

impl Hub {
    /// Sends `control` to every open connection; how many got it.
    fn broadcast(&self, control: impl Fn() -> Control) -> usize {
        let mut live = lock(&self.live);
        live.retain(|(_, tx)| !tx.is_closed());
        live.iter()
            .filter(|(_, tx)| tx.send(control()).is_ok())
            .count()
    }
}

impl MockIbkr {
    fn hub(&self) -> Arc<Hub> {
        hub_for(&self.inner)
    }

    /// Every frame clients sent to the WebSocket, oldest first.
    pub fn stream_frames(&self) -> Vec<StreamFrame> {
        lock(&self.hub().frames).clone()
    }

    /// The texts of the frames clients sent that start with `prefix`
    /// (`"smd+"`, `"tic"`), oldest first.
    pub fn stream_frames_starting(&self, prefix: &str) -> Vec<StreamFrame> {
        let frames = self.stream_frames();
        frames
            .into_iter()
            .filter(|f| f.text.starts_with(prefix))
            .collect()
    }

    /// Every WebSocket upgrade request, oldest first.
    pub fn stream_handshakes(&self) -> Vec<StreamHandshake> {
        lock(&self.hub().handshakes).clone()
    }

    /// How many WebSocket connections are open.
    pub fn stream_connections(&self) -> usize {
        let hub = self.hub();
        let mut live = lock(&hub.live);
        live.retain(|(_, tx)| !tx.is_closed());
        live.len()
    }

    /// How many WebSocket connections the mock accepted so far.
    pub fn stream_connects(&self) -> u64 {
        self.hub().connections.load(Ordering::Relaxed)
    }

    /// How many frames the mock sent on its WebSockets so far.
    pub fn stream_frames_sent(&self) -> u64 {
        self.hub().sent.load(Ordering::Relaxed)
    }

    /// Sends `text` as a frame on every open WebSocket (any text:
    /// malformed frames and unknown topics too); how many got it.
    pub fn push_stream(&self, text: impl Into<String>) -> usize {
        let text = text.into();
        self.hub().broadcast(|| Control::Push(text.clone()))
    }

    /// Sends a market data message for `conid` carrying only `fields`
    /// (`[("31", "190.10")]`) to every connection subscribed to it; how
    /// many got it.
    pub fn push_quote(&self, conid: i64, fields: &[(&str, &str)]) -> usize {
        let fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.hub()
            .broadcast(|| Control::Quote(conid, fields.clone()))
    }

    /// Ends every WebSocket connection without a close frame (a network
    /// failure).
    pub fn drop_streams(&self) {
        self.hub().broadcast(|| Control::Drop);
    }

    /// Closes every WebSocket connection with a close frame of `code`
    /// (IBKR closes with 1000 at its nightly reset).
    pub fn close_streams(&self, code: u16) {
        self.hub().broadcast(|| Control::Close(code));
    }

    /// While `hold` is true, new WebSocket connections get no ready
    /// message; setting it back to false sends it to those waiting.
    pub fn hold_stream_ready(&self, hold: bool) {
        let hub = self.hub();
        lock(&hub.settings).hold_ready = hold;
        if !hold {
            hub.broadcast(|| Control::Ready);
        }
    }

    /// The interval of the `system` heartbeat of connections opened from now
    /// on (default 10 s).
    pub fn set_stream_heartbeat(&self, every: Duration) {
        lock(&self.hub().settings).heartbeat = every.max(Duration::from_millis(1));
    }

    /// Places an order through the REST mock's own route, as `POST
    /// /iserver/account/{account}/orders` and the confirmation of its
    /// question do (a limit order when `price` is given, else a market
    /// order, day); live order streams report it. The order id, or `None`
    /// when the REST mock refused it.
    pub fn place_order(
        &self,
        account: &str,
        conid: i64,
        side: &str,
        quantity: Decimal,
        price: Option<Decimal>,
    ) -> Option<u64> {
        // Exact decimals as JSON numbers, as the facade sends them.
        let number = |d: Decimal| -> Value {
            d.normalize()
                .to_string()
                .parse::<serde_json::Number>()
                .map_or(Value::Null, Value::Number)
        };
        let mut order = json!({"conid": conid, "side": side.to_ascii_uppercase(), "quantity": number(quantity), "tif": "DAY",
            "orderType": if price.is_some() { "LMT" } else { "MKT" }});
        if let Some(p) = price {
            order["price"] = number(p);
        }
        let no_query = HashMap::new();
        let mut st = self.inner.lock();
        // The mock itself places it: no client credentials to check.
        st.request_credentials = true;
        let mut post = |path: String, body: Value| {
            let req = super::Req {
                variant: self.variant,
                method: &axum::http::Method::POST,
                path: &path,
                query: &no_query,
                body: &body,
            };
            super::route(&mut st, &req).1
        };
        let mut answer = post(
            format!("/iserver/account/{account}/orders"),
            json!({"orders": [order]}),
        );
        // Confirm IBKR's questions.
        for _ in 0..5 {
            let Some(reply) = answer[0]["id"].as_str().map(str::to_string) else {
                break;
            };
            answer = post(
                format!("/iserver/reply/{reply}"),
                json!({"confirmed": true}),
            );
        }
        answer[0]["order_id"].as_str()?.parse().ok()
    }

    /// Market data updates on a timer for connections opened from now on:
    /// every `every`, one message per subscribed conid changing its last,
    /// bid and ask (`None`, the default: only [`MockIbkr::push_quote`]).
    pub fn stream_market_data(&self, every: Option<Duration>) {
        lock(&self.hub().settings).market_every = every;
    }
}

/// `GET /v1/api/ws`: checks the session and upgrades.
pub(super) async fn upgrade(
    AxumState(inner): AxumState<Arc<Inner>>,
    mut request: Request,
) -> Response {
    let hub = hub_for(&inner);
    let headers = request.headers();
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let cookie = text(header::COOKIE);
    let key = text(header::SEC_WEBSOCKET_KEY);
    let query = parse_query(request.uri().query().unwrap_or(""));
    let oauth_token = query.get("oauth_token").cloned().filter(|t| !t.is_empty());
    let authorization = headers.contains_key(header::AUTHORIZATION);
    let is_upgrade = text(header::UPGRADE).is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    let (logged_in, session) = {
        let st = inner.lock();
        (st.logged_in, st.session.clone())
    };
    let api_cookie = cookie.as_deref().and_then(|c| {
        c.split(';')
            .map(str::trim)
            .find_map(|c| c.strip_prefix("api="))
            .map(str::to_string)
    });
    let session_ok = match inner.variant {
        MockVariant::Gateway => api_cookie
            .as_deref()
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
            .is_some_and(|v| v["session"] == session.as_str()),
        MockVariant::Web => {
            api_cookie.as_deref() == Some(session.as_str())
                && (oauth_token.is_some() || authorization)
        }
    };
    let accepted = is_upgrade && key.is_some() && logged_in && session_ok;
    lock(&hub.handshakes).push(StreamHandshake {
        cookie,
        user_agent: text(header::USER_AGENT),
        oauth_token,
        authorization,
        accepted,
    });
    let Some(key) = key.filter(|_| accepted) else {
        let status = if is_upgrade {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        return (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"error":"not authenticated"}"#,
        )
            .into_response();
    };
    let on_upgrade = hyper::upgrade::on(&mut request);
    let connection = hub.connections.fetch_add(1, Ordering::Relaxed) + 1;
    let (tx, rx) = mpsc::unbounded_channel();
    lock(&hub.live).push((connection, tx));
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return;
        };
        let ws = WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
        let conn = Conn::new(connection, inner, hub);
        conn.run(ws, rx).await;
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "Upgrade")
        .header(
            header::SEC_WEBSOCKET_ACCEPT,
            crate::stream::accept_key(&key),
        )
        .body(Body::empty())
        .unwrap_or_default()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn price_text(x: f64) -> String {
    format!("{x:.2}")
}

/// One connection's subscriptions.
struct Conn {
    number: u64,
    inner: Arc<Inner>,
    hub: Arc<Hub>,
    ready: bool,
    /// `(authenticated, competing)` as last reported in `sts`.
    reported: Option<(bool, bool)>,
    market: BTreeMap<i64, Vec<String>>,
    ticks: u64,
    /// Live orders: the status last sent per order id.
    orders: Option<HashMap<u64, String>>,
    next_history: u64,
    out: Vec<Message>,
}

impl Conn {
    fn new(number: u64, inner: Arc<Inner>, hub: Arc<Hub>) -> Conn {
        Conn {
            number,
            inner,
            hub,
            ready: false,
            reported: None,
            market: BTreeMap::new(),
            ticks: 0,
            orders: None,
            next_history: 1,
            out: Vec::new(),
        }
    }

    fn send(&mut self, value: Value) {
        self.out.push(Message::Text(value.to_string().into()));
    }

    /// `(logged in, authenticated, competing)`.
    fn session(&self) -> (bool, bool, bool) {
        let st = self.inner.lock();
        (st.logged_in, st.logged_in && st.brokerage, st.competing)
    }

    async fn run(
        mut self,
        ws: WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>,
        mut control: mpsc::UnboundedReceiver<Control>,
    ) {
        let (mut tx, mut rx) = ws.split();
        let (hold, heartbeat, market_every) = {
            let s = lock(&self.hub.settings);
            (s.hold_ready, s.heartbeat, s.market_every)
        };
        if !hold {
            self.send_ready();
        }
        let mut hb = tokio::time::interval_at(Instant::now() + heartbeat, heartbeat);
        let mut poll = tokio::time::interval(Duration::from_millis(20));
        poll.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let market_period = market_every.unwrap_or(Duration::from_secs(3600));
        let mut market = tokio::time::interval_at(Instant::now() + market_period, market_period);
        market.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            let mut close = None;
            tokio::select! {
                c = control.recv() => match c {
                    None | Some(Control::Drop) => return,
                    Some(Control::Close(code)) => close = Some(code),
                    Some(Control::Push(text)) => self.out.push(Message::Text(text.into())),
                    Some(Control::Quote(conid, fields)) => {
                        if self.ready && self.market.contains_key(&conid) {
                            let mut msg = json!({"topic": format!("smd+{conid}"), "conid": conid, "_updated": now_ms()});
                            for (k, v) in fields {
                                msg[k] = Value::String(v);
                            }
                            self.send(msg);
                        }
                    }
                    Some(Control::Ready) => {
                        if !self.ready {
                            self.send_ready();
                        }
                    }
                },
                m = rx.next() => match m {
                    Some(Ok(Message::Text(text))) => self.frame(text.as_str()),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => {}
                },
                _ = hb.tick() => self.send(json!({"topic": "system", "hb": now_ms()})),
                _ = poll.tick() => {
                    if !self.poll() {
                        close = Some(1000);
                    }
                }
                _ = market.tick(), if market_every.is_some() => self.market_tick(),
            }
            let count = self.out.len() as u64;
            for m in self.out.drain(..) {
                if tx.feed(m).await.is_err() {
                    return;
                }
            }
            if tx.flush().await.is_err() {
                return;
            }
            self.hub.sent.fetch_add(count, Ordering::Relaxed);
            if let Some(code) = close {
                let frame = CloseFrame {
                    code: CloseCode::from(code),
                    reason: "".into(),
                };
                let _ = tx.send(Message::Close(Some(frame))).await;
                return;
            }
        }
    }

    fn send_ready(&mut self) {
        self.ready = true;
        self.send(
            json!({"topic": "system", "success": "mockuser", "isFT": false, "isPaper": true}),
        );
        self.report_session(true);
        self.send(json!({"topic": "act", "args": {
            "accounts": [ACCOUNT, ACCOUNT_2],
            "acctProps": {ACCOUNT: {"hasChildAccounts": false, "supportsCashQty": true}},
            "aliases": {ACCOUNT: ACCOUNT, ACCOUNT_2: ACCOUNT_2},
            "allowFeatures": {"showGFIS": true},
            "selectedAccount": ACCOUNT,
            "isFT": false,
            "isPaper": true,
        }}));
    }

    /// Sends `sts` when the session changed (or `always`).
    fn report_session(&mut self, always: bool) {
        let (_, authenticated, competing) = self.session();
        if !always && self.reported == Some((authenticated, competing)) {
            return;
        }
        self.reported = Some((authenticated, competing));
        let message = if competing { "competing session" } else { "" };
        self.send(json!({"topic": "sts", "args": {
            "authenticated": authenticated,
            "competing": competing,
            "message": message,
            "fail": "",
            "serverName": "MockIbkr",
            "serverVersion": "Build 10.25.0p",
            "username": "mockuser",
        }}));
        if !authenticated {
            // IBKR forgets the subscriptions of a session that went away.
            self.market.clear();
            self.orders = None;
        }
    }

    /// Session changes and order updates; `false` when the login is gone.
    fn poll(&mut self) -> bool {
        let (logged_in, _, _) = self.session();
        if !logged_in {
            return false;
        }
        if self.ready {
            self.report_session(false);
        }
        if self.orders.is_some() {
            self.order_updates();
        }
        true
    }

    fn order_updates(&mut self) {
        let variant = self.inner.variant;
        let orders = self.inner.lock().orders.clone();
        let Some(seen) = self.orders.as_mut() else {
            return;
        };
        let changed: Vec<_> = orders
            .into_iter()
            .filter(|o| seen.get(&o.order_id) != Some(&o.status))
            .collect();
        if changed.is_empty() {
            return;
        }
        for o in &changed {
            seen.insert(o.order_id, o.status.clone());
        }
        let rows = data::live_orders(variant, &changed)["orders"].clone();
        self.send(json!({"topic": "sor", "args": rows}));
    }

    fn market_tick(&mut self) {
        self.ticks += 1;
        let step = (self.ticks % 20) as f64 * 0.01;
        let conids: Vec<i64> = self.market.keys().copied().collect();
        for conid in conids {
            let last = CONTRACTS
                .iter()
                .find(|c| c.conid == conid)
                .map_or(100.0, |c| c.last)
                + step;
            self.send(json!({
                "topic": format!("smd+{conid}"), "conid": conid, "_updated": now_ms(),
                "31": price_text(last), "84": price_text(last - 0.01), "86": price_text(last + 0.01),
            }));
        }
    }

    /// Logs and serves one frame from the client.
    fn frame(&mut self, text: &str) {
        let (_, authenticated, competing) = self.session();
        let serving = self.ready && authenticated && !competing;
        let served = self.serve(text, serving);
        lock(&self.hub.frames).push(StreamFrame {
            connection: self.number,
            text: text.to_string(),
            before_ready: !self.ready,
            served,
            at: self.hub.started.elapsed(),
        });
    }

    /// Answers one frame; whether it was acted on.
    fn serve(&mut self, text: &str, serving: bool) -> bool {
        let mut parts = text.splitn(3, '+');
        let topic = parts.next().unwrap_or_default();
        let first = parts.next().unwrap_or_default();
        let rest = parts.next().unwrap_or_default();
        match topic {
            "tic" => {
                self.send(json!({"topic": "tic", "alive": true, "lastAccessed": now_ms()}));
                true
            }
            "ech" => {
                self.out.push(Message::Text(text.to_string().into()));
                true
            }
            _ if !serving => false,
            "smd" => {
                let Ok(conid) = first.split('@').next().unwrap_or_default().parse::<i64>() else {
                    return false;
                };
                let fields: Vec<String> = serde_json::from_str::<Value>(rest)
                    .ok()
                    .and_then(|v| serde_json::from_value(v["fields"].clone()).ok())
                    .unwrap_or_default();
                let mut msg = json!({
                    "topic": format!("smd+{conid}"), "conid": conid, "conidEx": first,
                    "_updated": now_ms(), "server_id": format!("q{conid}"), "6509": "RpB",
                });
                if let Some(c) = CONTRACTS.iter().find(|c| c.conid == conid) {
                    for f in &fields {
                        let v = match f.as_str() {
                            "31" => price_text(c.last),
                            "55" => c.symbol.to_string(),
                            "70" => price_text(c.last * 1.01),
                            "71" => price_text(c.last * 0.99),
                            "84" => price_text(c.last - 0.01),
                            "85" => "300".into(),
                            "86" => price_text(c.last + 0.01),
                            "87" => "52.1M".into(),
                            "88" => "200".into(),
                            "7051" => c.name.to_string(),
                            _ => continue,
                        };
                        msg[f.as_str()] = Value::String(v);
                    }
                }
                self.market.insert(conid, fields);
                self.send(msg);
                true
            }
            "umd" => first
                .parse()
                .is_ok_and(|c: i64| self.market.remove(&c).is_some()),
            "sor" => {
                self.orders = Some(HashMap::new());
                self.order_updates();
                true
            }
            "uor" => self.orders.take().is_some(),
            "spl" => {
                let row = |nl: f64, upl: f64, dpl: f64| json!({"rowType": 1, "dpl": dpl, "nl": nl, "upl": upl, "el": nl * 0.9, "mv": nl * 0.4, "uel": 0.0});
                self.send(json!({"topic": "spl", "args": {
                    format!("{ACCOUNT}.Core"): row(1_000_000.0, 5_922.5, 125.0),
                    format!("{ACCOUNT_2}.Core"): row(250_000.0, 0.0, 0.0),
                }}));
                true
            }
            "str" => {
                self.send(json!({"topic": "str", "args": [{
                    "execution_id": "0000e0d5.6576fd38.01.01", "symbol": "AAPL", "side": "B",
                    "order_description": "Bought 10 @ 189.49 on ISLAND", "trade_time_r": 1_704_205_800_000i64,
                    "size": 10.0, "price": "189.49", "commission": "1.00", "net_amount": 1894.9,
                    "account": ACCOUNT, "exchange": "ISLAND", "conid": "265598", "sec_type": "STK",
                }]}));
                true
            }
            "ssd" => {
                self.send(json!({"topic": format!("ssd+{first}"), "result": [
                    {"key": "netliquidation", "monetaryValue": 1_000_000.0, "currency": "USD", "timestamp": now_ms()},
                    {"key": "availablefunds", "monetaryValue": "850,000.50", "currency": "USD", "timestamp": now_ms()},
                    {"key": "accountcode", "value": first},
                ]}));
                true
            }
            "sld" => {
                self.send(json!({"topic": format!("sld+{first}"), "result": [
                    {"key": "LedgerListBASE", "currency": "BASE", "cashbalance": 215_000.25, "settledcash": 215_000.25,
                     "netliquidationvalue": 1_000_000.0, "stockmarketvalue": 785_000.0, "unrealizedpnl": 5922.5,
                     "realizedpnl": 0.0, "exchangerate": 1, "timestamp": 1_704_205_800},
                    {"key": "LedgerListUSD", "currency": "USD", "cashbalance": "215000.25", "exchangerate": 1},
                ]}));
                true
            }
            "smh" => {
                let Ok(conid) = first.parse::<i64>() else {
                    return false;
                };
                let server_id = format!("smh-{}", self.next_history);
                self.next_history += 1;
                let last = CONTRACTS
                    .iter()
                    .find(|c| c.conid == conid)
                    .map_or(100.0, |c| c.last);
                let bars: Vec<Value> = (0..3)
                    .map(|i| {
                        let o = last + i as f64 * 0.1;
                        json!({"o": o, "c": o + 0.05, "h": o + 0.2, "l": o - 0.2, "v": 1200 + i * 100, "t": 1_704_205_800_000i64 + i * 300_000})
                    })
                    .collect();
                self.send(json!({"topic": format!("smh+{conid}"), "serverId": server_id,
                    "symbol": "AAPL", "text": "APPLE INC", "data": bars, "barLength": 300, "points": 3}));
                true
            }
            "umh" => true,
            "sbd" => {
                self.send(json!({"topic": format!("sbd+{first}+{rest}"), "data": [
                    {"row": 0, "focus": 0, "price": "189.52", "ask": "300"},
                    {"row": 1, "focus": 1, "price": "189.50 (3)"},
                    {"row": 2, "focus": 0, "price": "189.49", "bid": "200"},
                ]}));
                true
            }
            "usd" | "uld" | "ubd" | "upl" | "utr" => true,
            _ => false,
        }
    }
}
