//! Retries of failed calls, and the one rule that matters most: **order
//! requests are never sent twice**.
//!
//! An operation is either an idempotent read ([`OperationKind::Read`]:
//! every `GET`, plus the few `POST`s listed in [`SAFE_POSTS`]), a write that
//! is not retried ([`OperationKind::Write`]), or an order-affecting request
//! ([`OperationKind::Order`]: placing, modifying, cancelling an order and
//! answering an order question). [`OperationKind::classify`] decides from
//! the method and path.
//!
//! [`run_with_retry`] runs a call and retries reads only, only after a
//! connection error or HTTP 429, 502, 503 or 504, with exponential backoff
//! and full jitter ([`RetryPolicy`]). Order requests run exactly once; when
//! their outcome is unknown (a timeout, a broken connection, a 502/503/504
//! from a proxy) the error becomes [`Error::Ambiguous`], telling the caller
//! to look at the live orders before sending the order again.
//!
//! ```no_run
//! # async fn send() -> Result<String, ibkr_client::Error> { Ok(String::new()) }
//! # async fn demo() -> Result<(), ibkr_client::Error> {
//! use ibkr_client::retry::{OperationKind, RetryPolicy, run_with_retry};
//! use reqwest::Method;
//!
//! let op = OperationKind::classify("accounts", &Method::GET, "/iserver/accounts");
//! let body = run_with_retry(&RetryPolicy::default(), &op, || send()).await?;
//! # Ok(()) }
//! ```

use std::future::Future;
use std::time::Duration;

use reqwest::Method;

use crate::error::Error;

/// `POST` endpoints that only read, and so may be retried.
pub const SAFE_POSTS: &[&str] = &[
    "/iserver/auth/status",
    "/tickle",
    "/iserver/marketdata/snapshot",
];

/// What an operation does, as far as retrying it is concerned. Each variant
/// carries the operation's name (for errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// An idempotent read: retried on transient errors.
    Read(&'static str),
    /// A write that does not affect orders (for example a what-if preview
    /// or a watchlist change): not retried.
    Write(&'static str),
    /// Places, modifies or cancels an order, or answers an order question:
    /// sent exactly once; an unknown outcome is [`Error::Ambiguous`].
    Order(&'static str),
}

impl OperationKind {
    /// Classifies a request by method and path (relative to `/v1/api`, with
    /// or without that prefix and a query string).
    ///
    /// Order-affecting: `POST /iserver/account/{id}/orders`,
    /// `POST /iserver/account/{id}/order`,
    /// `POST`/`DELETE /iserver/account/{id}/order/{orderId}` (but not
    /// `…/order/whatif`), `POST /iserver/reply/{replyId}`,
    /// `POST /iserver/account/orders/{faGroup}`,
    /// `POST /iserver/notification` and `POST`/`PUT`/`DELETE /ccp/order`.
    /// Reads: `GET`, `HEAD`,
    /// `OPTIONS` and the [`SAFE_POSTS`]. Everything else is a write.
    pub fn classify(operation: &'static str, method: &Method, path: &str) -> OperationKind {
        if is_order_request(method, path) {
            OperationKind::Order(operation)
        } else if method == Method::GET
            || method == Method::HEAD
            || method == Method::OPTIONS
            || (method == Method::POST && SAFE_POSTS.contains(&normalize(path).as_str()))
        {
            OperationKind::Read(operation)
        } else {
            OperationKind::Write(operation)
        }
    }

    /// The operation's name.
    pub fn operation(&self) -> &'static str {
        match self {
            OperationKind::Read(op) | OperationKind::Write(op) | OperationKind::Order(op) => op,
        }
    }

    /// Whether transient failures may be retried (reads only).
    pub fn is_retryable(&self) -> bool {
        matches!(self, OperationKind::Read(_))
    }

    /// Whether this places, modifies or cancels an order.
    pub fn is_order(&self) -> bool {
        matches!(self, OperationKind::Order(_))
    }
}

fn normalize(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("/v1/api").unwrap_or(path);
    let path = path.trim_end_matches('/');
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// Whether `method path` affects orders (see [`OperationKind::classify`]).
pub fn is_order_request(method: &Method, path: &str) -> bool {
    let path = normalize(path);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let post = method == Method::POST;
    let put = method == Method::PUT;
    let delete = method == Method::DELETE;
    match segments.as_slice() {
        // POST /iserver/account/orders/{faGroup}
        ["iserver", "account", "orders", _group] => post,
        // POST /iserver/account/{accountId}/orders
        ["iserver", "account", _account, "orders"] => post,
        // POST /iserver/account/{accountId}/order (the Gateway's single order)
        ["iserver", "account", _account, "order"] => post,
        // The Gateway's single-order preview: a write, not an order.
        ["iserver", "account", _account, "order", "whatif"] => false,
        // POST (modify) / DELETE (cancel) /iserver/account/{accountId}/order/{orderId}
        ["iserver", "account", _account, "order", _order] => post || delete,
        // POST /iserver/reply/{replyId}
        ["iserver", "reply", _reply] => post,
        // POST /iserver/notification: the answer to an order's server
        // prompt (an advanced order reject), which may submit the order.
        ["iserver", "notification"] => post,
        // POST (place) / PUT (modify) / DELETE (cancel) /ccp/order
        ["ccp", "order"] => post || put || delete,
        _ => false,
    }
}

/// How often and how fast to retry reads.
///
/// The delay before retry `n` (1-based) is drawn uniformly from
/// `0..=min(max_delay, base_delay * 2^(n-1))` ("full jitter").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (1: no retry).
    pub max_attempts: u32,
    /// The backoff of the first retry, before jitter.
    pub base_delay: Duration,
    /// The cap of the backoff, before jitter.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms base delay, 5 s cap.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The backoff cap before retry `retry` (1-based), before jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The jittered delay before retry `retry` (1-based).
    pub fn delay(&self, retry: u32) -> Duration {
        let cap = self.backoff(retry);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rand::random_range(0..=nanos))
    }
}

/// Whether an error is transient: a connection error, or HTTP 429, 502,
/// 503 or 504.
pub fn is_transient(error: &Error) -> bool {
    match error {
        Error::Transport(_) => true,
        Error::Http { status, .. } => matches!(status, 429 | 502 | 503 | 504),
        _ => false,
    }
}

/// Turns the error of an order request whose outcome is unknown into
/// [`Error::Ambiguous`]: timeouts, connection errors and HTTP 502, 503 and
/// 504 (a proxy or the gateway may have passed the order on). Other errors
/// are definite answers and are returned as they are.
pub fn order_error(operation: &'static str, error: Error) -> Error {
    let reason = match &error {
        Error::Timeout { after, .. } => format!("no response within {after:?}"),
        Error::Transport(message) => format!("the connection failed: {message}"),
        Error::Http { status, .. } if matches!(status, 502..=504) => {
            format!("HTTP {status} from the server or a proxy in front of it")
        }
        _ => return error,
    };
    Error::Ambiguous {
        operation,
        reason,
        client_order_ids: Vec::new(),
    }
}

/// Runs `call`, retrying it per `policy` if `op` is a read and the error is
/// transient ([`is_transient`]).
///
/// Writes and orders run exactly once. For orders, an error that leaves the
/// outcome unknown becomes [`Error::Ambiguous`] ([`order_error`]): check the
/// live orders (`/iserver/account/orders`) before sending the order again.
///
/// Each attempt should acquire its own pacing permit inside `call`.
pub async fn run_with_retry<T, F, Fut>(
    policy: &RetryPolicy,
    op: &OperationKind,
    mut call: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    match op {
        OperationKind::Order(operation) => call().await.map_err(|e| order_error(operation, e)),
        OperationKind::Write(_) => call().await,
        OperationKind::Read(operation) => {
            let mut attempt = 1;
            loop {
                match call().await {
                    Ok(value) => return Ok(value),
                    Err(error) if attempt < policy.max_attempts && is_transient(&error) => {
                        let delay = policy.delay(attempt);
                        tracing::debug!(
                            operation = *operation,
                            attempt,
                            ?delay,
                            error = %error,
                            "transient failure, retrying"
                        );
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    Err(error) => return Err(error),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use tokio::time::Instant;

    fn http(status: u16) -> Error {
        Error::Http {
            operation: "op",
            status,
            body: String::new(),
        }
    }

    /// A call failing with `errors` in turn, then succeeding; counts attempts.
    fn flaky(
        counter: Arc<AtomicU32>,
        errors: Vec<fn() -> Error>,
    ) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = Result<u32, Error>> + Send>> {
        move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let result = match errors.get(n as usize) {
                Some(make) => Err(make()),
                None => Ok(n + 1),
            };
            Box::pin(async move { result })
        }
    }

    #[test]
    fn classification() {
        use OperationKind::*;
        let c = |m: Method, p: &str| OperationKind::classify("x", &m, p);
        assert_eq!(c(Method::GET, "/iserver/accounts"), Read("x"));
        assert_eq!(c(Method::GET, "/iserver/account/orders"), Read("x"));
        assert_eq!(c(Method::POST, "/tickle"), Read("x"));
        assert_eq!(c(Method::POST, "/v1/api/iserver/auth/status"), Read("x"));
        assert_eq!(c(Method::POST, "/iserver/marketdata/snapshot"), Read("x"));
        assert_eq!(c(Method::POST, "/iserver/account/U1/orders"), Order("x"));
        assert_eq!(
            c(Method::POST, "/v1/api/iserver/account/U1/orders/"),
            Order("x")
        );
        assert_eq!(c(Method::POST, "/iserver/account/U1/order/123"), Order("x"));
        assert_eq!(
            c(Method::DELETE, "/iserver/account/U1/order/123"),
            Order("x")
        );
        assert_eq!(c(Method::POST, "/iserver/reply/abc-1"), Order("x"));
        assert_eq!(
            c(Method::POST, "/iserver/account/orders/FAGROUP"),
            Order("x")
        );
        assert_eq!(
            c(Method::POST, "/iserver/account/U1/orders/whatif"),
            Write("x")
        );
        // The Gateway's single order and its preview.
        assert_eq!(c(Method::POST, "/iserver/account/U1/order"), Order("x"));
        assert_eq!(
            c(Method::POST, "/v1/api/iserver/account/U1/order/"),
            Order("x")
        );
        assert_eq!(
            c(Method::POST, "/iserver/account/U1/order/whatif"),
            Write("x")
        );
        assert_eq!(c(Method::GET, "/iserver/account/U1/order"), Read("x"));
        // The Gateway's CCP orders: place, modify, cancel; listing is a read.
        for m in [Method::POST, Method::PUT, Method::DELETE] {
            assert_eq!(c(m.clone(), "/ccp/order"), Order("x"), "{m}");
            assert_eq!(c(m.clone(), "/v1/api/ccp/order?id=1"), Order("x"), "{m}");
        }
        assert_eq!(c(Method::GET, "/ccp/orders"), Read("x"));
        assert_eq!(c(Method::POST, "/ccp/auth/init"), Write("x"));
        // Answering an order's server prompt.
        assert_eq!(c(Method::POST, "/iserver/notification"), Order("x"));
        assert_eq!(c(Method::POST, "/iserver/auth/ssodh/init"), Write("x"));
        assert_eq!(c(Method::DELETE, "/iserver/watchlist"), Write("x"));
        assert!(c(Method::GET, "/x").is_retryable());
        assert!(!c(Method::POST, "/iserver/reply/1").is_retryable());
        assert!(c(Method::POST, "/iserver/reply/1").is_order());
        assert_eq!(c(Method::POST, "/iserver/reply/1").operation(), "x");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(4), Duration::from_millis(800));
        assert_eq!(p.backoff(5), Duration::from_secs(1));
        assert_eq!(p.backoff(100), Duration::from_secs(1));
        for retry in 1..8 {
            for _ in 0..50 {
                assert!(p.delay(retry) <= p.backoff(retry));
            }
        }
        // Jitter actually varies.
        let draws: std::collections::HashSet<Duration> = (0..20).map(|_| p.delay(5)).collect();
        assert!(draws.len() > 1);
    }

    #[tokio::test(start_paused = true)]
    async fn reads_are_retried_on_transient_errors() {
        let policy = RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
        };
        let counter = Arc::new(AtomicU32::new(0));
        let start = Instant::now();
        let call = flaky(
            counter.clone(),
            vec![
                || http(503),
                || Error::Transport("connection reset".into()),
                || http(429),
            ],
        );
        let value = run_with_retry(&policy, &OperationKind::Read("accounts"), call)
            .await
            .unwrap();
        assert_eq!(value, 4);
        assert_eq!(counter.load(Ordering::SeqCst), 4);
        // Three jittered delays, each at most its backoff: 100 + 200 + 400 ms.
        assert!(start.elapsed() <= Duration::from_millis(700));
    }

    #[tokio::test(start_paused = true)]
    async fn reads_give_up_after_max_attempts_and_on_other_errors() {
        let policy = RetryPolicy::default();
        let counter = Arc::new(AtomicU32::new(0));
        let call = flaky(counter.clone(), vec![|| http(502); 10]);
        let err = run_with_retry(&policy, &OperationKind::Read("r"), call)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Http { status: 502, .. }));
        assert_eq!(counter.load(Ordering::SeqCst), 3);

        for make in [
            (|| http(500)) as fn() -> Error,
            || http(400),
            || http(401),
            || Error::Timeout {
                operation: "r",
                after: Duration::from_secs(1),
            },
            || Error::RateLimited {
                endpoint: "/x".into(),
                wait: Duration::from_secs(9),
            },
        ] {
            let counter = Arc::new(AtomicU32::new(0));
            let call = flaky(counter.clone(), vec![make]);
            assert!(
                run_with_retry(&policy, &OperationKind::Read("r"), call)
                    .await
                    .is_err()
            );
            assert_eq!(counter.load(Ordering::SeqCst), 1);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_order_request_is_sent_exactly_once_even_when_the_server_answers_503() {
        let policy = RetryPolicy {
            max_attempts: 5,
            ..RetryPolicy::default()
        };
        let counter = Arc::new(AtomicU32::new(0));
        let call = flaky(counter.clone(), vec![|| http(503); 5]);
        let op =
            OperationKind::classify("place_order", &Method::POST, "/iserver/account/U1/orders");
        let err = run_with_retry(&policy, &op, call).await.unwrap_err();
        assert_eq!(counter.load(Ordering::SeqCst), 1, "sent exactly once");
        match err {
            Error::Ambiguous {
                operation, reason, ..
            } => {
                assert_eq!(operation, "place_order");
                assert!(reason.contains("503"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_order_timeout_is_ambiguous() {
        let counter = Arc::new(AtomicU32::new(0));
        let c = counter.clone();
        let op = OperationKind::Order("cancel_order");
        let err = run_with_retry(&RetryPolicy::default(), &op, || {
            c.fetch_add(1, Ordering::SeqCst);
            async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Err::<(), _>(Error::Timeout {
                    operation: "cancel_order",
                    after: Duration::from_secs(30),
                })
            }
        })
        .await
        .unwrap_err();
        assert_eq!(counter.load(Ordering::SeqCst), 1);
        assert!(matches!(
            err,
            Error::Ambiguous {
                operation: "cancel_order",
                ..
            }
        ));
        assert!(err.to_string().contains("live orders"));

        // A definite rejection stays what it is.
        let err = run_with_retry(&RetryPolicy::default(), &op, || async {
            Err::<(), _>(http(400))
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Http { status: 400, .. }));
        // Connection errors are ambiguous too.
        let err = run_with_retry(&RetryPolicy::default(), &op, || async {
            Err::<(), _>(Error::Transport("reset".into()))
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Ambiguous { .. }));
    }

    #[tokio::test(start_paused = true)]
    async fn writes_run_once_and_keep_their_error() {
        let counter = Arc::new(AtomicU32::new(0));
        let call = flaky(counter.clone(), vec![|| http(503); 3]);
        let err = run_with_retry(
            &RetryPolicy::default(),
            &OperationKind::Write("whatif"),
            call,
        )
        .await
        .unwrap_err();
        assert_eq!(counter.load(Ordering::SeqCst), 1);
        assert!(matches!(err, Error::Http { status: 503, .. }));
    }
}
