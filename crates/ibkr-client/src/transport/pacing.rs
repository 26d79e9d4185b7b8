//! Client-side pacing: IBKR's documented request limits, enforced before a
//! request is sent.
//!
//! IBKR answers HTTP 429 when a limit is exceeded and blocks repeat
//! offenders for about ten minutes, so the facade paces itself instead of
//! finding the limits out the hard way. [`PacingTable`] holds the limits in
//! one place (users can override any of them), and a [`Pacer`] enforces
//! them:
//!
//! - a global rate for all requests (10/s through the Gateway, 50/s with
//!   OAuth on the Web API);
//! - a rate per endpoint, matched by path pattern (`/iserver/marketdata/snapshot`
//!   10/s, `/iserver/scanner/params` 1 per 15 min, `/pa/*` 1 per 15 min, ...);
//! - a concurrency limit per endpoint (`/iserver/marketdata/history`: at most
//!   5 requests in flight).
//!
//! # Using a pacer
//!
//! Acquire a [`Permit`] **before** sending, keep it until the response has
//! arrived (it holds the concurrency slot, if any), and report 429 answers
//! with [`Pacer::on_429`]:
//!
//! ```no_run
//! # async fn demo(http: reqwest::Client) -> Result<(), ibkr_client::Error> {
//! use ibkr_client::pacing::{Pacer, PacingTable};
//! use reqwest::Method;
//! use std::time::Duration;
//!
//! let pacer = Pacer::new(PacingTable::gateway()).with_max_wait(Duration::from_secs(10));
//! let path = "/iserver/marketdata/snapshot";
//! let permit = pacer.acquire(&Method::GET, path).await?; // waits here, if needed
//! // The request's own timeout starts only now, after the pacing wait.
//! let response = http
//!     .get(format!("https://localhost:5000/v1/api{path}?conids=265598&fields=31"))
//!     .timeout(Duration::from_secs(10))
//!     .send()
//!     .await
//!     .map_err(|e| ibkr_client::Error::Transport(e.to_string()))?;
//! if response.status() == 429 {
//!     pacer.on_429(path, ibkr_client::pacing::retry_after(response.headers()));
//! }
//! drop(permit);
//! # Ok(()) }
//! ```
//!
//! **The pacing wait happens before the request's own timeout starts**: a
//! caller acquires the permit, then sends the request with its timeout. A
//! request that has to wait 4 s for its slot still gets its full timeout.
//! The wait itself is bounded by [`Pacer::with_max_wait`]: when the next slot
//! is further away than that, [`Pacer::acquire`] fails at once with
//! [`Error::RateLimited`] (carrying the wait it would have needed) instead of
//! hanging.
//!
//! # How slots are spaced
//!
//! Rates are enforced with the [`governor`] crate's GCRA limiters, driven by
//! [`TokioClock`] (a clock over [`tokio::time::Instant`], so tests with
//! `tokio::time::pause` are deterministic). By default a rate of `n` per `T`
//! is spaced evenly, one request every `T / n`, with no burst: IBKR's limits
//! behave like sliding windows, and a burst of `n` followed by steady
//! traffic would put more than `n` requests in some window of length `T`.
//! [`Rate::with_burst`] allows bursts where that is known to be safe.
//!
//! The global and the endpoint limiter are passed at the same instant: a
//! permit is only issued when both allow it, so the time a request is
//! counted is the time it is sent. Waiters for the same endpoint are served
//! in arrival order.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Add;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::{Clock, ReasonablyRealtime, Reference};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use reqwest::Method;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::error::{Error, Variant};

/// A [`governor`] clock reading [`tokio::time::Instant`].
///
/// Governor's own clocks read the system's monotonic clock, which
/// `tokio::time::pause` does not stop; this one follows tokio's (possibly
/// paused) time, so paced code can be tested deterministically.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

/// A point in time of [`TokioClock`]: a [`tokio::time::Instant`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokioInstant(pub Instant);

impl Add<Nanos> for TokioInstant {
    type Output = TokioInstant;

    fn add(self, other: Nanos) -> TokioInstant {
        TokioInstant(self.0 + Duration::from(other))
    }
}

impl Reference for TokioInstant {
    fn duration_since(&self, earlier: Self) -> Nanos {
        self.0.saturating_duration_since(earlier.0).into()
    }

    fn saturating_sub(&self, duration: Nanos) -> Self {
        self.0
            .checked_sub(duration.into())
            .map(TokioInstant)
            .unwrap_or(*self)
    }
}

impl Clock for TokioClock {
    type Instant = TokioInstant;

    fn now(&self) -> TokioInstant {
        TokioInstant(Instant::now())
    }
}

impl ReasonablyRealtime for TokioClock {}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<TokioInstant>>;

/// A request rate: `count` requests per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    count: u32,
    per: Duration,
    burst: u32,
}

impl Rate {
    /// `count` requests per `per`, evenly spaced (one every `per / count`).
    ///
    /// # Panics
    ///
    /// If `count` is zero or `per` is shorter than `count` nanoseconds.
    pub fn new(count: u32, per: Duration) -> Rate {
        assert!(count > 0, "a rate needs a positive count");
        assert!(
            per >= Duration::from_nanos(u64::from(count)),
            "a rate needs a period of at least one nanosecond per request"
        );
        Rate {
            count,
            per,
            burst: 1,
        }
    }

    /// `count` requests per second.
    pub fn per_second(count: u32) -> Rate {
        Rate::new(count, Duration::from_secs(1))
    }

    /// One request per `period`.
    pub fn one_per(period: Duration) -> Rate {
        Rate::new(1, period)
    }

    /// Allows up to `burst` requests back to back after a quiet period
    /// (default 1: evenly spaced). A burst above 1 can exceed a
    /// sliding-window limit; use it only where the server tolerates it.
    ///
    /// # Panics
    ///
    /// If `burst` is zero.
    pub fn with_burst(mut self, burst: u32) -> Rate {
        assert!(burst > 0, "a burst must be at least 1");
        self.burst = burst;
        self
    }

    /// The number of requests per [`Rate::period`].
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The period the count applies to.
    pub fn period(&self) -> Duration {
        self.per
    }

    /// The allowed burst.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The spacing between two requests: `period / count`.
    pub fn interval(&self) -> Duration {
        self.per / self.count
    }

    fn quota(&self) -> Quota {
        let quota =
            Quota::with_period(self.interval()).expect("Rate::new guarantees a positive interval");
        quota.allow_burst(NonZeroU32::new(self.burst).expect("burst is positive"))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} per {:?}", self.count, self.per)
    }
}

/// The limit a [`PacingRule`] applies to its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// A request rate.
    Rate(Rate),
    /// At most this many requests in flight at once.
    Concurrent(usize),
    /// No endpoint limit (the global limit still applies); use it to switch
    /// a default rule off.
    Unlimited,
}

/// One endpoint limit: a path pattern, optionally a method, and a [`Limit`].
///
/// Patterns are paths relative to `/v1/api` (`/tickle`). A `*` segment
/// matches any one segment; a trailing `*` matches one or more segments
/// (`/fyi/*` matches `/fyi/unreadnumber` and `/fyi/settings/TYPE`). Each
/// concrete path matched by a rule gets its own limiter: `/pa/*` limits
/// `/pa/performance` and `/pa/summary` separately, as IBKR does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacingRule {
    pattern: String,
    method: Option<Method>,
    limit: Limit,
}

impl PacingRule {
    /// A rule for every method.
    pub fn new(pattern: impl Into<String>, limit: Limit) -> PacingRule {
        PacingRule {
            pattern: normalize_path(&pattern.into()).into_owned(),
            method: None,
            limit,
        }
    }

    /// Restricts the rule to one HTTP method.
    pub fn for_method(mut self, method: Method) -> PacingRule {
        self.method = Some(method);
        self
    }

    /// The path pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The method the rule is restricted to, if any.
    pub fn method(&self) -> Option<&Method> {
        self.method.as_ref()
    }

    /// The limit.
    pub fn limit(&self) -> Limit {
        self.limit
    }

    /// Whether the rule applies to `method` and the (normalised) `path`.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|m| m != method) {
            return false;
        }
        let pattern: Vec<&str> = self.pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        for (i, part) in pattern.iter().enumerate() {
            let last = i + 1 == pattern.len();
            match path.get(i) {
                None => return false,
                Some(_) if *part == "*" && last => return true,
                Some(segment) if *part == "*" => {
                    if segment.is_empty() {
                        return false;
                    }
                }
                Some(segment) if segment != part => return false,
                Some(_) => {}
            }
        }
        pattern.len() == path.len()
    }
}

/// IBKR's request limits, in one table users can override.
///
/// [`PacingTable::gateway`] and [`PacingTable::web`] hold the documented
/// limits (see the module docs); [`PacingTable::with_rule`] replaces or
/// adds a rule, [`PacingTable::with_global`] changes the global rate. The
/// first matching rule applies; rules added with `with_rule` are consulted
/// before the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacingTable {
    global: Option<Rate>,
    rules: Vec<PacingRule>,
}

impl PacingTable {
    /// A table without any limit.
    pub fn unlimited() -> PacingTable {
        PacingTable {
            global: None,
            rules: Vec::new(),
        }
    }

    /// The documented limits with the Client Portal Gateway's global rate
    /// (10 requests/s).
    pub fn gateway() -> PacingTable {
        PacingTable::documented(Rate::per_second(10))
    }

    /// The documented limits with the Web API's global rate with OAuth
    /// (50 requests/s).
    pub fn web() -> PacingTable {
        PacingTable::documented(Rate::per_second(50))
    }

    /// The documented limits for `variant`.
    pub fn for_variant(variant: Variant) -> PacingTable {
        match variant {
            Variant::Web => PacingTable::web(),
            Variant::Gateway => PacingTable::gateway(),
        }
    }

    fn documented(global: Rate) -> PacingTable {
        let five_s = Rate::one_per(Duration::from_secs(5));
        let fifteen_min = Rate::one_per(Duration::from_secs(15 * 60));
        let rules = [
            (
                "/iserver/marketdata/snapshot",
                Limit::Rate(Rate::per_second(10)),
            ),
            ("/iserver/scanner/params", Limit::Rate(fifteen_min)),
            ("/iserver/scanner/run", Limit::Rate(Rate::per_second(1))),
            ("/iserver/account/orders", Limit::Rate(five_s)),
            ("/iserver/account/trades", Limit::Rate(five_s)),
            ("/iserver/account/pnl/partitioned", Limit::Rate(five_s)),
            ("/portfolio/accounts", Limit::Rate(five_s)),
            ("/portfolio/subaccounts", Limit::Rate(five_s)),
            ("/pa/*", Limit::Rate(fifteen_min)),
            ("/fyi/*", Limit::Rate(Rate::per_second(1))),
            ("/tickle", Limit::Rate(Rate::per_second(1))),
            (
                "/sso/validate",
                Limit::Rate(Rate::one_per(Duration::from_secs(60))),
            ),
            ("/iserver/marketdata/history", Limit::Concurrent(5)),
        ];
        PacingTable {
            global: Some(global),
            rules: rules
                .into_iter()
                .map(|(pattern, limit)| PacingRule::new(pattern, limit))
                .collect(),
        }
    }

    /// Replaces the global rate (`None`: no global limit).
    pub fn with_global(mut self, global: Option<Rate>) -> PacingTable {
        self.global = global;
        self
    }

    /// Sets the limit of `pattern` (for every method), replacing a rule with
    /// the same pattern or adding one in front of the others.
    pub fn with_rule(self, pattern: &str, limit: Limit) -> PacingTable {
        self.with(PacingRule::new(pattern, limit))
    }

    /// Adds `rule`, replacing a rule with the same pattern and method.
    pub fn with(mut self, rule: PacingRule) -> PacingTable {
        match self
            .rules
            .iter_mut()
            .find(|r| r.pattern == rule.pattern && r.method == rule.method)
        {
            Some(existing) => *existing = rule,
            None => self.rules.insert(0, rule),
        }
        self
    }

    /// Removes every rule with this pattern.
    pub fn without_rule(mut self, pattern: &str) -> PacingTable {
        let pattern = normalize_path(pattern);
        self.rules.retain(|r| r.pattern != pattern);
        self
    }

    /// The global rate.
    pub fn global(&self) -> Option<Rate> {
        self.global
    }

    /// The endpoint rules, in matching order.
    pub fn rules(&self) -> &[PacingRule] {
        &self.rules
    }

    /// The rule that applies to a request, if any. `path` may carry the
    /// `/v1/api` prefix and a query string.
    pub fn rule_for(&self, method: &Method, path: &str) -> Option<&PacingRule> {
        let path = normalize_path(path);
        self.rules.iter().find(|r| r.matches(method, &path))
    }
}

impl Default for PacingTable {
    /// The Gateway's limits, the stricter of the two.
    fn default() -> Self {
        PacingTable::gateway()
    }
}

/// Strips a query string, the `/v1/api` prefix and a trailing slash.
/// Byte by byte: it runs before every request.
fn normalize_path(path: &str) -> Cow<'_, str> {
    let bytes = path.as_bytes();
    let end = bytes
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(bytes.len());
    let path = &path[..end];
    let path = path.strip_prefix("/v1/api").unwrap_or(path);
    let end = path.len() - path.bytes().rev().take_while(|b| *b == b'/').count();
    let path = &path[..end];
    if path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("/{path}"))
    }
}

/// Reads a `Retry-After` header given in seconds (the HTTP-date form is
/// not used by IBKR and yields `None`).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Permission to send one request, from [`Pacer::acquire`].
///
/// Keep it until the response has arrived: dropping it frees the
/// endpoint's concurrency slot, if it has one.
#[derive(Debug)]
pub struct Permit {
    endpoint: Option<Arc<str>>,
    waited: Duration,
    _slot: Option<OwnedSemaphorePermit>,
}

impl Permit {
    /// The endpoint limit that applied (its concrete path), if any.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// How long [`Pacer::acquire`] waited.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

/// A rate limiter plus the FIFO queue of its waiters.
struct Gate {
    limiter: Limiter,
    interval: Duration,
    /// Serialises waiters (tokio's mutex is fair) and remembers when the
    /// limiter is known to allow the next request.
    queue: tokio::sync::Mutex<Option<Instant>>,
    waiting: AtomicUsize,
    burst_one: bool,
}

impl Gate {
    fn new(rate: Rate) -> Gate {
        Gate {
            limiter: RateLimiter::direct_with_clock(rate.quota(), TokioClock),
            interval: rate.interval(),
            queue: tokio::sync::Mutex::new(None),
            waiting: AtomicUsize::new(0),
            burst_one: rate.burst() == 1,
        }
    }
}

/// The state of one concrete endpoint.
struct Endpoint {
    key: Arc<str>,
    rate: Option<Gate>,
    slots: Option<Arc<Semaphore>>,
    paused_until: Mutex<Option<Instant>>,
}

impl Endpoint {
    fn paused_until(&self) -> Option<Instant> {
        let until = *lock(&self.paused_until);
        until.filter(|t| *t > Instant::now())
    }

    fn has_limits(&self) -> bool {
        self.rate.is_some() || self.slots.is_some()
    }
}

/// Counts a waiter for as long as it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    /// Registers a waiter; returns the guard and how many were ahead.
    fn enter(counter: &'a AtomicUsize) -> (Waiting<'a>, usize) {
        let ahead = counter.fetch_add(1, Ordering::SeqCst);
        (Waiting(counter), ahead)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Enforces a [`PacingTable`]; share it (in an `Arc`) among all callers
/// that use the same username.
pub struct Pacer {
    table: PacingTable,
    max_wait: Duration,
    default_pause: Duration,
    global: Option<Gate>,
    endpoints: Mutex<HashMap<String, Arc<Endpoint>>>,
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
            .field("table", &self.table)
            .field("max_wait", &self.max_wait)
            .field("default_pause", &self.default_pause)
            .finish_non_exhaustive()
    }
}

/// What to report when a wait would be too long.
struct Budget<'a> {
    start: Instant,
    deadline: Instant,
    endpoint: &'a str,
}

impl Budget<'_> {
    /// The error for a call whose next slot is at `at`.
    fn exceeded_at(&self, at: Instant) -> Error {
        Error::RateLimited {
            endpoint: self.endpoint.to_string(),
            wait: at.saturating_duration_since(self.start),
        }
    }

    /// Sleeps until `at`, or fails at once if `at` is past the deadline.
    async fn sleep_until(&self, at: Instant) -> Result<(), Error> {
        if at > self.deadline {
            return Err(self.exceeded_at(at));
        }
        tokio::time::sleep_until(at).await;
        Ok(())
    }
}

impl Pacer {
    /// The default longest wait: 30 s.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(30);
    /// The default pause after a 429 without `Retry-After`: 60 s.
    pub const DEFAULT_PAUSE: Duration = Duration::from_secs(60);

    /// A pacer enforcing `table`.
    pub fn new(table: PacingTable) -> Pacer {
        Pacer {
            global: table.global.map(Gate::new),
            table,
            max_wait: Pacer::DEFAULT_MAX_WAIT,
            default_pause: Pacer::DEFAULT_PAUSE,
            endpoints: Mutex::new(HashMap::new()),
        }
    }

    /// Sets the longest time [`Pacer::acquire`] may wait; a call whose slot
    /// is further away fails at once with [`Error::RateLimited`]. Zero means
    /// "never wait".
    pub fn with_max_wait(mut self, max_wait: Duration) -> Pacer {
        self.max_wait = max_wait;
        self
    }

    /// Sets the pause [`Pacer::on_429`] applies when the answer has no
    /// `Retry-After`.
    pub fn with_default_pause(mut self, pause: Duration) -> Pacer {
        self.default_pause = pause;
        self
    }

    /// The table being enforced.
    pub fn table(&self) -> &PacingTable {
        &self.table
    }

    /// The longest wait of [`Pacer::acquire`].
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The endpoint state for a request, creating it if a rule applies.
    fn endpoint(&self, method: &Method, path: &str) -> Option<Arc<Endpoint>> {
        let mut endpoints = lock(&self.endpoints);
        if let Some(existing) = endpoints.get(path) {
            if existing.has_limits() || existing.paused_until().is_some() {
                return Some(existing.clone());
            }
            // A pause-only entry whose pause is over.
            endpoints.remove(path);
        }
        let rule = self.table.rules.iter().find(|r| r.matches(method, path))?;
        let (rate, slots) = match rule.limit {
            Limit::Rate(rate) => (Some(Gate::new(rate)), None),
            Limit::Concurrent(n) => (None, Some(Arc::new(Semaphore::new(n)))),
            Limit::Unlimited => (None, None),
        };
        let endpoint = Arc::new(Endpoint {
            key: path.into(),
            rate,
            slots,
            paused_until: Mutex::new(None),
        });
        if endpoint.has_limits() {
            endpoints.insert(path.to_string(), endpoint.clone());
        }
        Some(endpoint)
    }

    /// Waits until a request `method path` may be sent, and returns the
    /// permit to send it.
    ///
    /// Call it right before sending; the request's own timeout starts after
    /// it returns. `path` is relative to the API base (`/tickle`), with or
    /// without the `/v1/api` prefix and a query string.
    ///
    /// # Errors
    ///
    /// [`Error::RateLimited`] when the wait would exceed the maximum wait
    /// (returned at once, without waiting), naming the endpoint and the
    /// wait it would have needed.
    pub async fn acquire(&self, method: &Method, path: &str) -> Result<Permit, Error> {
        let start = Instant::now();
        let path = normalize_path(path);
        let endpoint = self.endpoint(method, &path);
        let budget = Budget {
            start,
            deadline: start + self.max_wait,
            endpoint: endpoint.as_ref().map_or("(global)", |e| &*e.key),
        };

        let Some(endpoint) = endpoint.as_deref() else {
            self.pass_global(&budget).await?;
            return Ok(Permit {
                endpoint: None,
                waited: start.elapsed(),
                _slot: None,
            });
        };

        if let Some(until) = endpoint.paused_until() {
            budget.sleep_until(until).await?;
        }

        let slot = match &endpoint.slots {
            Some(slots) => {
                match tokio::time::timeout_at(budget.deadline, slots.clone().acquire_owned()).await
                {
                    Ok(Ok(slot)) => Some(slot),
                    Ok(Err(_closed)) => None,
                    Err(_elapsed) => return Err(budget.exceeded_at(budget.deadline)),
                }
            }
            None => None,
        };

        match &endpoint.rate {
            Some(gate) => self.pass_endpoint(endpoint, gate, &budget).await?,
            None => self.pass_global(&budget).await?,
        }

        Ok(Permit {
            endpoint: Some(endpoint.key.clone()),
            waited: start.elapsed(),
            _slot: slot,
        })
    }

    /// Waits for the endpoint's rate and the global rate together.
    async fn pass_endpoint(
        &self,
        endpoint: &Endpoint,
        gate: &Gate,
        budget: &Budget<'_>,
    ) -> Result<(), Error> {
        let (_waiting, ahead) = Waiting::enter(&gate.waiting);
        if ahead > 0 {
            // Everyone ahead needs a slot first: fail at once if that alone
            // is too long.
            let estimate = Instant::now() + gate.interval * ahead as u32;
            if estimate > budget.deadline {
                return Err(budget.exceeded_at(estimate));
            }
        }
        let mut known_ready = tokio::time::timeout_at(budget.deadline, gate.queue.lock())
            .await
            .map_err(|_| budget.exceeded_at(budget.deadline))?;
        loop {
            if let Some(until) = endpoint.paused_until() {
                budget.sleep_until(until).await?;
            }
            if let Some(at) = *known_ready
                && at > Instant::now()
            {
                budget.sleep_until(at).await?;
            }
            // Take a global slot first, then the endpoint's at the same
            // instant: if the endpoint is not ready after all, only a global
            // slot is lost (a request less, never one too many).
            self.pass_global(budget).await?;
            match gate.limiter.check() {
                Ok(()) => {
                    *known_ready = gate.burst_one.then(|| Instant::now() + gate.interval);
                    return Ok(());
                }
                Err(not_until) => {
                    let at = not_until.earliest_possible().0;
                    *known_ready = Some(at);
                    if at > budget.deadline {
                        return Err(budget.exceeded_at(at));
                    }
                }
            }
        }
    }

    /// Waits for the global rate.
    async fn pass_global(&self, budget: &Budget<'_>) -> Result<(), Error> {
        let Some(gate) = &self.global else {
            return Ok(());
        };
        let (_waiting, ahead) = Waiting::enter(&gate.waiting);
        if ahead > 0 {
            let estimate = Instant::now() + gate.interval * ahead as u32;
            if estimate > budget.deadline {
                return Err(budget.exceeded_at(estimate));
            }
        }
        let mut known_ready = tokio::time::timeout_at(budget.deadline, gate.queue.lock())
            .await
            .map_err(|_| budget.exceeded_at(budget.deadline))?;
        loop {
            if let Some(at) = *known_ready
                && at > Instant::now()
            {
                budget.sleep_until(at).await?;
            }
            match gate.limiter.check() {
                Ok(()) => {
                    *known_ready = gate.burst_one.then(|| Instant::now() + gate.interval);
                    return Ok(());
                }
                Err(not_until) => *known_ready = Some(not_until.earliest_possible().0),
            }
        }
    }

    /// Reports an HTTP 429 answer for `path`: pauses that endpoint (and only
    /// that one) for `retry_after`, or the default pause (60 s) when the
    /// answer had no `Retry-After`. Requests already holding a permit are
    /// not recalled.
    pub fn on_429(&self, path: &str, retry_after: Option<Duration>) {
        let path = normalize_path(path);
        let until = Instant::now() + retry_after.unwrap_or(self.default_pause);
        let existing = lock(&self.endpoints).get(&*path).cloned();
        let endpoint = match existing {
            Some(endpoint) => endpoint,
            None => {
                // The pause is per path, whatever the method of the rule.
                let method = self
                    .table
                    .rules
                    .iter()
                    .find(|r| r.matches(r.method.as_ref().unwrap_or(&Method::GET), &path))
                    .map(|r| r.method.clone().unwrap_or(Method::GET));
                let created = method
                    .and_then(|m| self.endpoint(&m, &path))
                    .filter(|e| e.has_limits());
                match created {
                    Some(endpoint) => endpoint,
                    None => lock(&self.endpoints)
                        .entry(path.to_string())
                        .or_insert_with(|| {
                            Arc::new(Endpoint {
                                key: path.as_ref().into(),
                                rate: None,
                                slots: None,
                                paused_until: Mutex::new(None),
                            })
                        })
                        .clone(),
                }
            }
        };
        let mut paused = lock(&endpoint.paused_until);
        if paused.is_none_or(|t| t < until) {
            *paused = Some(until);
        }
        tracing::debug!(endpoint = %path, pause = ?(until - Instant::now()), "endpoint paused after HTTP 429");
    }

    /// When the endpoint of `path` is paused by [`Pacer::on_429`], the end
    /// of the pause.
    pub fn paused_until(&self, path: &str) -> Option<Instant> {
        let path = normalize_path(path);
        lock(&self.endpoints).get(&*path)?.paused_until()
    }
}

/// Locks a mutex, recovering it if a holder panicked (the data is plain
/// bookkeeping, valid at every step).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalize_path("/v1/api/tickle"), "/tickle");
        assert_eq!(normalize_path("/tickle/"), "/tickle");
        assert_eq!(
            normalize_path("/iserver/marketdata/snapshot?conids=1&fields=31"),
            "/iserver/marketdata/snapshot"
        );
        assert_eq!(normalize_path("tickle"), "/tickle");
        assert_eq!(normalize_path("/v1/api/tickle//?a=/#x"), "/tickle");
        assert_eq!(normalize_path("/v1/api"), "/");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/iserver/é/x#frag"), "/iserver/é/x");
    }

    #[test]
    fn patterns_match_segments() {
        let fyi = PacingRule::new("/fyi/*", Limit::Unlimited);
        assert!(fyi.matches(&Method::GET, "/fyi/unreadnumber"));
        assert!(fyi.matches(&Method::GET, "/fyi/settings/M8"));
        assert!(!fyi.matches(&Method::GET, "/fyi"));
        assert!(!fyi.matches(&Method::GET, "/fyix/a"));
        let mid = PacingRule::new("/iserver/account/*/orders", Limit::Unlimited);
        assert!(mid.matches(&Method::POST, "/iserver/account/U1/orders"));
        assert!(!mid.matches(&Method::POST, "/iserver/account/U1/orders/whatif"));
        let exact = PacingRule::new("/iserver/account/orders", Limit::Unlimited);
        assert!(exact.matches(&Method::GET, "/iserver/account/orders"));
        assert!(!exact.matches(&Method::POST, "/iserver/account/orders/group1"));
        let get_only = exact.clone().for_method(Method::GET);
        assert!(!get_only.matches(&Method::POST, "/iserver/account/orders"));
    }
}
