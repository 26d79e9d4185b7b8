//! The mock server: session state machine, routing and the request log.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::data;

// The WebSocket (`/v1/api/ws`); a child module so it can reach the mock's state.
#[path = "ws.rs"]
pub(crate) mod ws;

/// Which IBKR variant the mock imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MockVariant {
    /// The Client Portal Gateway: everything under `/v1/api`.
    Gateway,
    /// The Web API: trading and session paths under `/v1/api`, account
    /// management under `/gw/api/v1`.
    Web,
}

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, upper case (`GET`, `POST`, ...).
    pub method: String,
    /// The API path without the base prefix, as the specs write it
    /// (`/iserver/accounts`; `/gw/api/v1/accounts` for the Web API's account
    /// management family).
    pub path: String,
    /// The path exactly as received (`/v1/api/iserver/accounts`).
    pub full_path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The body as text (empty when there was none).
    pub body: String,
}

impl RecordedRequest {
    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The value of query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        parse_query(self.query.as_deref().unwrap_or("")).remove(name)
    }
}

/// An order the mock accepted.
#[derive(Debug, Clone)]
pub(crate) struct LiveOrder {
    pub(crate) order_id: u64,
    pub(crate) account: String,
    pub(crate) conid: i64,
    pub(crate) side: String,
    pub(crate) order_type: String,
    pub(crate) quantity: f64,
    pub(crate) price: Option<f64>,
    pub(crate) tif: String,
    pub(crate) status: String,
    /// The stop price of a stop-limit (`auxPrice`).
    pub(crate) aux_price: Option<f64>,
    /// The client's `cOID` (shown as `order_ref`).
    pub(crate) coid: Option<String>,
    /// The filled quantity.
    pub(crate) filled: f64,
    /// The average fill price, once filled.
    pub(crate) avg_price: Option<f64>,
}

/// Orders waiting for the answers to their questions.
#[derive(Debug, Clone)]
struct Pending {
    placements: Vec<data::Placement>,
    /// The questions still to ask, after the one just asked.
    questions: VecDeque<String>,
}

/// An answer held back by [`MockIbkr::delay_next`].
#[derive(Debug, Clone)]
struct Delayed {
    method: Method,
    path: String,
    by: Duration,
}

/// A canned answer injected by [`MockIbkr::inject`].
#[derive(Debug, Clone)]
struct Injected {
    method: Method,
    path: String,
    status: StatusCode,
    body: Value,
}

/// Mutable state behind the server.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) logged_in: bool,
    pub(crate) brokerage: bool,
    pub(crate) competing: bool,
    pub(crate) tickles: u64,
    pub(crate) session: String,
    generation: u64,
    requests: Vec<RecordedRequest>,
    snapshot_seen: HashSet<i64>,
    suppressed: HashSet<String>,
    pending_replies: HashMap<String, Pending>,
    /// Every `cOID` the mock has taken (IBKR refuses one it has seen).
    client_order_ids: HashSet<String>,
    /// The questions a placement asks (`None`: `o163`, then `o354` when the
    /// request holds several orders).
    order_questions: Option<Vec<String>>,
    /// Executions (`/iserver/account/trades`).
    trades: Vec<data::Execution>,
    /// Whether order routes check the request's credentials.
    require_credentials: bool,
    /// Whether the request being routed carries them.
    request_credentials: bool,
    delays: Vec<Delayed>,
    next_reply: u64,
    pub(crate) orders: Vec<LiveOrder>,
    next_order_id: u64,
    pub(crate) alerts: Vec<data::Alert>,
    pub(crate) next_alert_id: u64,
    pub(crate) watchlists: Vec<data::Watchlist>,
    pub(crate) unread_fyis: Vec<String>,
    injected: VecDeque<Injected>,
}

impl State {
    fn new(port: u16) -> State {
        State {
            logged_in: true,
            brokerage: false,
            competing: false,
            tickles: 0,
            session: session_id(port as u64, 0),
            generation: 0,
            requests: Vec::new(),
            snapshot_seen: HashSet::new(),
            suppressed: HashSet::new(),
            pending_replies: HashMap::new(),
            client_order_ids: HashSet::new(),
            order_questions: None,
            trades: Vec::new(),
            require_credentials: true,
            request_credentials: false,
            delays: Vec::new(),
            next_reply: 1,
            orders: Vec::new(),
            next_order_id: 1_000_001,
            alerts: data::initial_alerts(),
            next_alert_id: 9_000_101,
            watchlists: data::initial_watchlists(),
            unread_fyis: data::initial_fyis(),
            injected: VecDeque::new(),
        }
    }

    /// Ends the brokerage session; market data subscriptions die with it.
    fn drop_brokerage(&mut self) {
        self.brokerage = false;
        self.snapshot_seen.clear();
    }
}

fn session_id(seed: u64, generation: u64) -> String {
    format!(
        "{:016x}{:016x}",
        seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        generation
            .wrapping_add(1)
            .wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
    )
}

struct Inner {
    variant: MockVariant,
    state: Mutex<State>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in a handler must not poison the mock for the rest of a test.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An embedded mock IBKR server on `127.0.0.1`.
///
/// Starts logged in (the Gateway user logged in through the browser, or the
/// Web API's OAuth done) but without a brokerage session, exactly like a
/// fresh IBKR session: `/iserver/...` calls answer HTTP 400 `no bridge` until
/// `POST /iserver/auth/ssodh/init` (or `/iserver/reauthenticate`) opens one.
/// `POST /logout` ends the login; every call then answers 401 until
/// [`MockIbkr::login`].
///
/// Canned data (the same on both variants; shapes follow each variant's
/// spec where they differ): accounts `DU1234567` and `DU7654321`; contracts
/// AAPL (265598), MSFT (272093) and SPY (756733); two positions on
/// `DU1234567` and 205 SPY options on `DU7654321` (three pages); snapshots, history bars, what-if and placed orders, alerts,
/// scanner results, watchlists, partitioned PnL, FYI notifications and
/// portfolio analyst data.
///
/// The server stops when the value is dropped.
pub struct MockIbkr {
    variant: MockVariant,
    addr: SocketAddr,
    inner: Arc<Inner>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for MockIbkr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockIbkr")
            .field("variant", &self.variant)
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockIbkr {
    /// Binds an ephemeral port on `127.0.0.1` and starts serving on the
    /// current tokio runtime.
    pub async fn start(variant: MockVariant) -> std::io::Result<MockIbkr> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            variant,
            state: Mutex::new(State::new(addr.port())),
        });
        let router = axum::Router::new()
            .route("/v1/api/ws", axum::routing::get(ws::upgrade))
            .fallback(handle)
            .with_state(inner.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(MockIbkr {
            variant,
            addr,
            inner,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The variant this mock imitates.
    pub fn variant(&self) -> MockVariant {
        self.variant
    }

    /// The base URL to configure a client with: for the Gateway
    /// `http://127.0.0.1:PORT/v1/api`; for the Web API the host,
    /// `http://127.0.0.1:PORT`, which serves both `/v1/api/...` and
    /// `/gw/api/v1/...`.
    pub fn base_url(&self) -> String {
        match self.variant {
            MockVariant::Gateway => format!("http://{}/v1/api", self.addr),
            MockVariant::Web => self.host_url(),
        }
    }

    /// `http://127.0.0.1:PORT`, whatever the variant.
    pub fn host_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.lock().requests.clone()
    }

    /// How many requests went to `method` `path` (API path, as in
    /// [`RecordedRequest::path`]).
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.inner
            .lock()
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.inner.lock().requests.clear();
    }

    /// How many times `/tickle` was called.
    pub fn tickles(&self) -> u64 {
        self.inner.lock().tickles
    }

    /// The current session id (as `/tickle` reports it).
    pub fn session_id(&self) -> String {
        self.inner.lock().session.clone()
    }

    /// Whether a brokerage session exists (`authenticated` in
    /// `/iserver/auth/status`).
    pub fn is_authenticated(&self) -> bool {
        let st = self.inner.lock();
        st.logged_in && st.brokerage
    }

    /// Whether the user is logged in at all (false after `/logout`).
    pub fn is_logged_in(&self) -> bool {
        self.inner.lock().logged_in
    }

    /// Whether another platform holds the brokerage session.
    pub fn is_competing(&self) -> bool {
        self.inner.lock().competing
    }

    /// Opens a brokerage session directly, as if `ssodh/init` had succeeded.
    pub fn authenticate(&self) {
        let mut st = self.inner.lock();
        st.logged_in = true;
        st.competing = false;
        st.brokerage = true;
    }

    /// Simulates a session timeout: the brokerage session is gone
    /// (`connected: true, authenticated: false`) and `/iserver` answers
    /// `no bridge` until the session is opened again.
    pub fn expire_session(&self) {
        self.inner.lock().drop_brokerage();
    }

    /// Simulates another platform (TWS, mobile) taking the brokerage
    /// session: `competing: true, authenticated: false`. `ssodh/init` with
    /// `compete: true` (or `/iserver/reauthenticate`) takes it back.
    pub fn compete(&self) {
        let mut st = self.inner.lock();
        st.drop_brokerage();
        st.competing = true;
    }

    /// Simulates the user logging in again after `/logout` (a new session
    /// id, still without a brokerage session).
    pub fn login(&self) {
        let mut st = self.inner.lock();
        st.logged_in = true;
        st.generation += 1;
        st.session = session_id(self.addr.port() as u64, st.generation);
    }

    /// Makes the next request to `method` `path` (API path) answer `status`
    /// with `body` instead of the canned answer, whatever the session state.
    /// Several injections for the same route are used in order.
    pub fn inject(&self, method: &str, path: &str, status: u16, body: Value) {
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap_or_default();
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.inner.lock().injected.push_back(Injected {
            method,
            path: path.to_string(),
            status,
            body,
        });
    }

    /// Sets the questions every order placement asks, in order, each after
    /// the answer to the previous one (message ids such as `o163`; empty:
    /// none, the order is placed at once). By default a placement asks
    /// `o163`, and a request of several orders (a bracket, an OCA group)
    /// then `o354`. Suppressed questions are skipped.
    pub fn set_order_questions(&self, message_ids: &[&str]) {
        self.inner.lock().order_questions =
            Some(message_ids.iter().map(|s| s.to_string()).collect());
    }

    /// Makes the order routes (placing, replying, modifying, cancelling,
    /// previews, live orders, status, trades, question suppression) check
    /// credentials as IBKR does: on the Web API an `Authorization` header
    /// (`Bearer …`, or an OAuth signature), on the Gateway the session
    /// cookie (`x-sess-uuid`) that the mock then sets on every answer, so
    /// that a client keeping its cookies has it from its first call on
    /// (anything before an order: the auth status, a tickle). Without them
    /// the route answers 401. On by default, as on IBKR; `false` lets a
    /// test drive the order routes with a bare HTTP client.
    pub fn require_credentials(&self, on: bool) {
        self.inner.lock().require_credentials = on;
    }

    /// Makes the next request to `method` `path` (API path) be handled as
    /// usual (an order is placed, a reply confirms), but its answer held
    /// back for `by`: a client with a shorter timeout does not learn the
    /// outcome.
    pub fn delay_next(&self, method: &str, path: &str, by: Duration) {
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap_or_default();
        self.inner.lock().delays.push(Delayed {
            method,
            path: path.to_string(),
            by,
        });
    }

    /// Fills the working order `order_id` completely (at its limit price,
    /// or the contract's last): its status becomes `Filled` and an
    /// execution with its `cOID` appears in the trades. `false` when there
    /// is no such working order.
    pub fn fill(&self, order_id: &str) -> bool {
        let mut st = self.inner.lock();
        let st = &mut *st;
        let Some(o) = st.orders.iter_mut().find(|o| {
            o.order_id.to_string() == order_id
                && !matches!(o.status.as_str(), "Filled" | "Cancelled")
        }) else {
            return false;
        };
        let price = o.price.or_else(|| data::last_price(o.conid)).unwrap_or(1.0);
        let size = o.quantity - o.filled;
        o.filled = o.quantity;
        o.avg_price = Some(price);
        o.status = "Filled".into();
        let execution_id = format!("0000e0d5.{:08x}.01.01", o.order_id);
        st.trades.push(data::Execution {
            execution_id,
            account: o.account.clone(),
            conid: o.conid,
            side: o.side.clone(),
            size,
            price,
            coid: o.coid.clone(),
        });
        true
    }

    /// The `cOID`s of the orders the mock has placed, oldest first.
    pub fn placed_client_order_ids(&self) -> Vec<String> {
        self.inner
            .lock()
            .orders
            .iter()
            .filter_map(|o| o.coid.clone())
            .collect()
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockIbkr {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn handle(
    AxumState(inner): AxumState<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let full_path = uri.path().to_string();
    let api_path = match (inner.variant, full_path.strip_prefix("/v1/api")) {
        (_, Some(rest)) if rest.starts_with('/') => Some(rest.to_string()),
        (MockVariant::Web, _) if full_path.starts_with("/gw/api/v1/") => Some(full_path.clone()),
        _ => None,
    };
    // Everything but the wait runs under the lock, in this block: the guard
    // is gone before the handler awaits.
    let (status, value, delay, set_cookie) = {
        let body_text = String::from_utf8_lossy(&body).into_owned();
        let mut st = inner.lock();
        st.requests.push(RecordedRequest {
            method: method.as_str().to_string(),
            path: api_path.clone().unwrap_or_else(|| full_path.clone()),
            full_path: full_path.clone(),
            query: uri.query().map(str::to_string),
            body: body_text,
        });
        let routed_path = api_path.clone();
        let (status, value) = match api_path {
            None => (
                StatusCode::NOT_FOUND,
                json!({"error": format!("no such path {full_path}")}),
            ),
            Some(path) => {
                let injected = st
                    .injected
                    .iter()
                    .position(|i| i.method == method && i.path == path);
                match injected.and_then(|i| st.injected.remove(i)) {
                    Some(inj) => (inj.status, inj.body),
                    None => {
                        let query = parse_query(uri.query().unwrap_or(""));
                        let body = if body.is_empty() {
                            Value::Null
                        } else {
                            serde_json::from_slice(&body).unwrap_or(Value::Null)
                        };
                        let req = Req {
                            variant: inner.variant,
                            method: &method,
                            path: &path,
                            query: &query,
                            body: &body,
                        };
                        st.request_credentials = credentials(inner.variant, &st, &headers);
                        route(&mut st, &req)
                    }
                }
            }
        };
        // Order parts: a held-back answer, the Gateway's session cookie.
        let delay = st
            .delays
            .iter()
            .position(|d| d.method == method && routed_path.as_deref() == Some(d.path.as_str()))
            .map(|i| st.delays.remove(i).by);
        let set_cookie = (inner.variant == MockVariant::Gateway
            && st.require_credentials
            && !credentials(inner.variant, &st, &headers))
        .then(|| format!("{SESSION_COOKIE}={}; Path=/; HttpOnly", session_cookie(&st)));
        (status, value, delay, set_cookie)
    };
    if let Some(by) = delay {
        tokio::time::sleep(by).await;
    }
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response();
    if let Some(cookie) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// The Gateway's session cookie.
const SESSION_COOKIE: &str = "x-sess-uuid";

/// The session cookie's value: derived from the session (a new login, a
/// new cookie), not the session id itself.
fn session_cookie(st: &State) -> String {
    let h = st.session.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    format!("0.{h:016x}")
}

/// Whether the request carries what the variant authenticates with: an
/// `Authorization` header with a bearer token or an OAuth signature (Web
/// API), the session cookie (Gateway).
fn credentials(variant: MockVariant, st: &State, headers: &HeaderMap) -> bool {
    match variant {
        MockVariant::Web => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.strip_prefix("Bearer ")
                    .is_some_and(|t| !t.trim().is_empty())
                    || (v.starts_with("OAuth ") && v.contains("oauth_signature="))
            }),
        MockVariant::Gateway => {
            let expected = session_cookie(st);
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .any(|(name, value)| name == SESSION_COOKIE && value == expected)
        }
    }
}

/// What a route needs to know about the request.
pub(crate) struct Req<'a> {
    pub(crate) variant: MockVariant,
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) query: &'a HashMap<String, String>,
    pub(crate) body: &'a Value,
}

impl Req<'_> {
    /// A parameter from the query string, or else from a JSON object body.
    pub(crate) fn param(&self, name: &str) -> Option<String> {
        if let Some(v) = self.query.get(name) {
            return Some(v.clone());
        }
        match self.body.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

pub(crate) type Answer = (StatusCode, Value);

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Answer {
    (
        status,
        json!({"error": message.into(), "statusCode": status.as_u16()}),
    )
}

fn not_logged_in() -> Answer {
    error(StatusCode::UNAUTHORIZED, "not authenticated")
}

fn route(st: &mut State, req: &Req<'_>) -> Answer {
    let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
    let m = req.method.as_str();
    let variant = req.variant;
    // Session endpoints check the login themselves.
    match (m, segs.as_slice()) {
        ("POST" | "GET", ["tickle"]) => {
            st.tickles += 1;
            if !st.logged_in {
                return not_logged_in();
            }
            return (StatusCode::OK, data::tickle(st));
        }
        ("POST" | "GET", ["iserver", "auth", "status"]) => {
            if !st.logged_in {
                return not_logged_in();
            }
            return (StatusCode::OK, data::auth_status(st, ""));
        }
        ("POST", ["iserver", "auth", "ssodh", "init"]) => {
            if !st.logged_in {
                return not_logged_in();
            }
            let compete = req.body.get("compete").and_then(Value::as_bool) == Some(true);
            if st.competing && !compete {
                return (
                    StatusCode::OK,
                    data::auth_status(st, "competing session: send compete=true to take it over"),
                );
            }
            st.competing = false;
            st.brokerage = true;
            return (StatusCode::OK, data::auth_status(st, ""));
        }
        ("POST" | "GET", ["iserver", "reauthenticate"]) => {
            if !st.logged_in {
                return not_logged_in();
            }
            st.competing = false;
            st.brokerage = true;
            return (StatusCode::OK, data::auth_status(st, "triggered"));
        }
        ("POST", ["logout"]) => {
            if !st.logged_in {
                return not_logged_in();
            }
            st.logged_in = false;
            st.drop_brokerage();
            return (
                StatusCode::OK,
                match variant {
                    MockVariant::Web => json!({"status": true}),
                    MockVariant::Gateway => json!({"confirmed": true}),
                },
            );
        }
        ("GET", ["sso", "validate"]) => {
            if !st.logged_in {
                return not_logged_in();
            }
            return (StatusCode::OK, data::sso_validate(variant));
        }
        _ => {}
    }
    if !st.logged_in {
        return not_logged_in();
    }
    if segs.first() == Some(&"iserver") && !st.brokerage {
        return error(StatusCode::BAD_REQUEST, "no bridge");
    }
    if st.require_credentials && is_order_route(&segs) && !st.request_credentials {
        return error(StatusCode::UNAUTHORIZED, "not authenticated");
    }
    match (m, segs.as_slice()) {
        ("GET", ["iserver", "accounts"]) => (StatusCode::OK, data::iserver_accounts(st)),
        ("GET", ["portfolio", "accounts"]) | ("GET", ["portfolio", "subaccounts"]) => {
            (StatusCode::OK, data::portfolio_accounts())
        }
        ("GET", ["portfolio", account, "positions", page]) => {
            data::positions(variant, account, page)
        }
        ("GET" | "POST", ["iserver", "secdef", "search"]) => data::secdef_search(req),
        ("GET", ["iserver", "contract", conid, "info"]) => data::contract_info(variant, conid),
        ("GET" | "POST", ["trsrv", "secdef"]) => data::trsrv_secdef(req),
        ("GET", ["iserver", "marketdata", "snapshot"]) => {
            data::snapshot(req, &mut st.snapshot_seen)
        }
        ("GET", ["iserver", "marketdata", "history"]) => data::history(req),
        ("POST", ["iserver", "account", account, "orders", "whatif"]) => {
            match data::order_tickets(account, req.body) {
                Ok(tickets) => (StatusCode::OK, data::what_if(&tickets)),
                Err(e) => e,
            }
        }
        ("POST", ["iserver", "account", account, "orders"]) => {
            let placements = match data::order_placements(account, req.body) {
                Ok(placements) => placements,
                Err(e) => return e,
            };
            if let Some(coid) = placements
                .iter()
                .filter_map(|p| p.coid.as_ref())
                .find(|c| st.client_order_ids.contains(*c))
            {
                return (StatusCode::OK, data::duplicate_coid(coid));
            }
            let asked = st.order_questions.clone().unwrap_or_else(|| {
                let mut q = vec![data::ORDER_QUESTION_ID.to_string()];
                if placements.len() > 1 {
                    q.push(data::LINKED_ORDERS_QUESTION_ID.to_string());
                }
                q
            });
            let questions: VecDeque<String> = asked
                .into_iter()
                .filter(|q| !st.suppressed.contains(q))
                .collect();
            ask_or_submit(st, placements, questions)
        }
        ("POST", ["iserver", "reply", reply_id]) => {
            let Some(pending) = st.pending_replies.remove(*reply_id) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("reply id {reply_id} not found"),
                );
            };
            if req.body.get("confirmed").and_then(Value::as_bool) == Some(true) {
                ask_or_submit(st, pending.placements, pending.questions)
            } else {
                (StatusCode::OK, json!({"error": "order not confirmed"}))
            }
        }
        ("POST", ["iserver", "questions", "suppress"]) => {
            let ids = req
                .body
                .get("messageIds")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for id in ids.iter().filter_map(Value::as_str) {
                st.suppressed.insert(id.to_string());
            }
            (StatusCode::OK, json!({"status": "submitted"}))
        }
        ("POST", ["iserver", "questions", "suppress", "reset"]) => {
            st.suppressed.clear();
            (StatusCode::OK, json!({"status": "submitted"}))
        }
        ("GET", ["iserver", "account", "orders"]) => {
            (StatusCode::OK, data::live_orders(variant, &st.orders))
        }
        ("GET", ["iserver", "account", "trades"]) => {
            (StatusCode::OK, data::trades(variant, &st.trades))
        }
        ("GET", ["iserver", "account", "order", "status", order_id]) => {
            match st
                .orders
                .iter()
                .find(|o| o.order_id.to_string() == *order_id)
            {
                Some(order) => (StatusCode::OK, data::order_status(variant, order)),
                None => error(
                    StatusCode::BAD_REQUEST,
                    format!("OrderID {order_id} doesn't exist"),
                ),
            }
        }
        ("POST", ["iserver", "account", account, "order", order_id]) => {
            // A modification: the new terms of one order, checked like a placement.
            let wrapped = json!({"orders": [req.body.clone()]});
            let placement = match data::order_placements(account, &wrapped) {
                Ok(mut p) => p.remove(0),
                Err(e) => return e,
            };
            let found = st.orders.iter_mut().find(|o| {
                o.account == *account
                    && o.order_id.to_string() == *order_id
                    && !matches!(o.status.as_str(), "Filled" | "Cancelled")
            });
            match found {
                Some(order) => {
                    let t = placement.ticket;
                    order.quantity = t.quantity;
                    order.price = t.price;
                    order.aux_price = placement.aux_price;
                    order.order_type = t.order_type;
                    order.tif = t.tif;
                    (
                        StatusCode::OK,
                        json!([{"order_id": order.order_id.to_string(), "order_status": order.status, "encrypt_message": "1"}]),
                    )
                }
                None => error(
                    StatusCode::BAD_REQUEST,
                    format!("OrderID {order_id} doesn't exist or can no longer be modified"),
                ),
            }
        }
        ("DELETE", ["iserver", "account", account, "order", order_id]) => {
            let found = st
                .orders
                .iter_mut()
                .find(|o| o.account == *account && o.order_id.to_string() == *order_id);
            match found {
                Some(order) => {
                    order.status = "Cancelled".into();
                    (StatusCode::OK, data::cancelled(variant, order))
                }
                None => error(
                    StatusCode::BAD_REQUEST,
                    format!("OrderID {order_id} doesn't exist"),
                ),
            }
        }
        _ => super::data::areas_route(st, req, &segs),
    }
}

/// Whether a path is one of the order routes ([`MockIbkr::require_credentials`]).
fn is_order_route(segs: &[&str]) -> bool {
    matches!(
        segs,
        ["iserver", "account", _, "orders", ..]
            | ["iserver", "account", _, "order", ..]
            | ["iserver", "account", "orders"]
            | ["iserver", "account", "trades"]
            | ["iserver", "account", "order", "status", _]
            | ["iserver", "reply", _]
            | ["iserver", "questions", ..]
    )
}

/// Asks the next question about `placements`, or places them when none is
/// left.
fn ask_or_submit(
    st: &mut State,
    placements: Vec<data::Placement>,
    mut questions: VecDeque<String>,
) -> Answer {
    let Some(question) = questions.pop_front() else {
        if let Some(coid) = placements
            .iter()
            .filter_map(|p| p.coid.as_ref())
            .find(|c| st.client_order_ids.contains(*c))
        {
            return (StatusCode::OK, data::duplicate_coid(coid));
        }
        return (StatusCode::OK, submit_placements(st, placements));
    };
    let reply_id = format!(
        "{:08x}-{:04x}-4000-8000-{:012x}",
        st.next_reply,
        st.generation & 0xffff,
        st.next_reply * 7919
    );
    st.next_reply += 1;
    st.pending_replies.insert(
        reply_id.clone(),
        Pending {
            placements,
            questions,
        },
    );
    (StatusCode::OK, data::order_question(&reply_id, &question))
}

/// Places orders without questions (the committed testing/ws.rs's
/// `place_order` uses it).
#[allow(dead_code)]
fn submit(st: &mut State, tickets: Vec<data::OrderTicket>) -> Value {
    let placements = tickets
        .into_iter()
        .map(|ticket| data::Placement {
            ticket,
            coid: None,
            parent_id: None,
            aux_price: None,
        })
        .collect();
    submit_placements(st, placements)
}

fn submit_placements(st: &mut State, placements: Vec<data::Placement>) -> Value {
    let mut out = Vec::new();
    for p in placements {
        let t = p.ticket;
        let order_id = st.next_order_id;
        st.next_order_id += 1;
        if let Some(coid) = &p.coid {
            st.client_order_ids.insert(coid.clone());
        }
        // A bracket's children wait for their parent to fill.
        let status = if p.parent_id.is_some() {
            "PreSubmitted"
        } else {
            "Submitted"
        };
        st.orders.push(LiveOrder {
            order_id,
            account: t.account,
            conid: t.conid,
            side: t.side,
            order_type: t.order_type,
            quantity: t.quantity,
            price: t.price,
            tif: t.tif,
            status: status.into(),
            aux_price: p.aux_price,
            coid: p.coid.clone(),
            filled: 0.0,
            avg_price: None,
        });
        let mut ack = json!({
            "order_id": order_id.to_string(),
            "order_status": status,
            "encrypt_message": "1",
        });
        if let Some(coid) = p.coid {
            ack["local_order_id"] = json!(coid);
        }
        out.push(ack);
    }
    Value::Array(out)
}

/// Splits a query string into decoded pairs (the last value wins).
pub(crate) fn parse_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_decoded() {
        let q = parse_query("conids=265598%2C272093&fields=31,84&name=a+b&x");
        assert_eq!(q["conids"], "265598,272093");
        assert_eq!(q["fields"], "31,84");
        assert_eq!(q["name"], "a b");
        assert_eq!(q["x"], "");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
