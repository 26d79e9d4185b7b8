//! The one path every request of a [`Client`](crate::Client) takes.
//!
//! `Transport::execute` (crate-internal) is that path. For one request, in order:
//!
//! 1. **Pacing** ([`pacing`]): [`Pacer::acquire`] waits for the endpoint's
//!    and the global rate (or fails with [`Error::RateLimited`] past the
//!    maximum wait). The request timeout has not started yet.
//! 2. **Authentication** ([`crate::auth`]): the Web API's
//!    [`AuthProvider`] signs the request.
//! 3. **Sending.** A 429 pauses that endpoint in the pacer for its
//!    `Retry-After`.
//! 4. **Retries** ([`retry`]), for reads only ([`Class::Read`]): after a
//!    connection error or a 429/502/503/504, with jittered backoff, each
//!    time through steps 1 and 2; after a 401, once, if the provider can
//!    renew its credentials. Writes and order writes are sent exactly once.
//! 5. **Reading** the whole body while the pacing permit is still held
//!    (history's 5-in-flight limit counts until the body is read).
//! 6. **Classifying** the outcome into [`Error`]s: 401 is
//!    [`Error::NotAuthenticated`], "no bridge" is
//!    [`Error::NoBrokerageSession`], other statuses are [`Error::Http`] with
//!    the body. For an order write, every outcome that leaves unknown
//!    whether IBKR acted (a timeout, a broken connection, a 502–504, a 2xx
//!    whose body is empty or cannot be read) is [`Error::Ambiguous`].
//!
//! The facade builds its requests (`request.rs`) from the operation table
//! (the `ibkr-ops` crate); the generated clients of the escape hatch
//! (feature `low-level`) reach the same path through the hook in `hook.rs`.

pub(crate) mod cookies;
#[cfg(feature = "low-level")]
pub(crate) mod hook;
pub(crate) mod http;
pub mod pacing;
pub(crate) mod request;
pub mod retry;
pub(crate) mod tls;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ibkr_ops::Class;
use reqwest::header::{COOKIE, HeaderValue};
use reqwest::{Method, Request, Response, StatusCode};

use crate::auth::AuthProvider;
use crate::error::{Error, Result};
use cookies::CookieJar;
use pacing::{Pacer, Permit, retry_after};
use retry::RetryPolicy;

/// Pacing, authentication and retries shared by all clones of a client.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// The cookies of the client's host, sent with every request of this
    /// path and stored from every answer.
    pub(crate) cookies: CookieJar,
    pub(crate) auth: Option<Arc<dyn AuthProvider>>,
    pub(crate) pacer: Arc<Pacer>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    /// The path of the trading base URL (`/v1/api`), stripped before a path
    /// is looked up in the pacing table.
    api_prefix: String,
}

/// Builds a request afresh for a retry (`None` if it cannot be built): a
/// copy of a request is a few allocations a first attempt need not make.
pub(crate) type Rebuild<'a> = Option<&'a (dyn Fn() -> Option<Request> + Send + Sync)>;

/// A response whose status and headers have arrived, with the permit it
/// was sent under.
pub(crate) struct Sent {
    pub(crate) response: Response,
    pub(crate) permit: Permit,
}

/// Why no response came back.
pub(crate) enum Failure {
    /// Refused before sending (pacing, credentials): nothing left.
    Local(Error),
    /// The request was (perhaps partly) sent and the exchange failed.
    Exchange(reqwest::Error),
}

/// What a failed attempt allows.
enum Retry {
    No,
    Transient,
    Unauthorized,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        cookies: CookieJar,
        auth: Option<Arc<dyn AuthProvider>>,
        pacer: Arc<Pacer>,
        retry: RetryPolicy,
        timeout: Duration,
        api_prefix: String,
    ) -> Transport {
        Transport {
            http,
            cookies,
            auth,
            pacer,
            retry,
            timeout,
            api_prefix: api_prefix.trim_end_matches('/').to_string(),
        }
    }

    /// The one request path: paces, authenticates, sends, retries reads,
    /// reads the body and classifies the outcome. Returns the body of a
    /// 2xx answer.
    pub(crate) async fn execute(
        &self,
        operation: &'static str,
        class: Class,
        request: Request,
        rebuild: Rebuild<'_>,
    ) -> Result<Bytes> {
        let order = class == Class::Order;
        let ambiguous = |e: Error| {
            if order {
                retry::order_error(operation, e)
            } else {
                e
            }
        };
        let Sent { response, permit } = match self.send(operation, class, request, rebuild).await {
            Ok(sent) => sent,
            Err(Failure::Local(e)) => return Err(e),
            Err(Failure::Exchange(e)) => return Err(ambiguous(self.exchange_error(operation, &e))),
        };
        let status = response.status();
        let body = response.bytes().await;
        drop(permit);
        let body = match body {
            Ok(body) => body,
            Err(e) if order && status.is_success() => {
                return Err(Error::Ambiguous {
                    operation,
                    reason: format!(
                        "HTTP {status} arrived but its body could not be read: {}",
                        self.exchange_error(operation, &e)
                    ),
                    client_order_ids: Vec::new(),
                });
            }
            Err(e) => return Err(ambiguous(self.exchange_error(operation, &e))),
        };
        if status.is_success() {
            if order && body.iter().all(u8::is_ascii_whitespace) {
                return Err(Error::Ambiguous {
                    operation,
                    reason: format!("HTTP {status} with an empty body"),
                    client_order_ids: Vec::new(),
                });
            }
            return Ok(body);
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        Err(ambiguous(status_error(operation, status.as_u16(), text)))
    }

    /// Steps 1 to 4: sends `request` and retries it if it is a read and the
    /// failure is transient. The body is not read. A retry sends
    /// `rebuild()`, or without `rebuild` a copy of `request` kept before
    /// sending it (none if its body cannot be copied: no retry then).
    pub(crate) async fn send(
        &self,
        operation: &'static str,
        class: Class,
        mut request: Request,
        rebuild: Rebuild<'_>,
    ) -> std::result::Result<Sent, Failure> {
        let retryable = class == Class::Read;
        let mut attempt = 1u32;
        let mut reauthenticated = false;
        let mut permit = self.admit(&mut request).await.map_err(Failure::Local)?;
        // A `Cookie` the request came with (from the escape hatch) goes
        // before the jar's on every attempt.
        let own_cookie = request.headers_mut().remove(COOKIE);
        loop {
            self.add_cookies(&mut request, own_cookie.as_ref());
            let spare = match rebuild {
                None if retryable => request.try_clone(),
                _ => None,
            };
            let resendable = retryable && (spare.is_some() || rebuild.is_some());
            let result = self.http.execute(request).await;
            if let Ok(response) = &result {
                self.cookies.store(response.url(), response.headers());
            }
            let verdict = match &result {
                Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after(response.headers());
                    let path = self.relative(response.url().path());
                    tracing::warn!(endpoint = %path, retry_after = ?wait, "HTTP 429: endpoint paused");
                    self.pacer.on_429(path, wait);
                    Retry::Transient
                }
                Ok(response) if matches!(response.status().as_u16(), 502..=504) => Retry::Transient,
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                    Retry::Unauthorized
                }
                Ok(_) => Retry::No,
                Err(e) if is_connection_error(e) => Retry::Transient,
                Err(_) => Retry::No,
            };
            let finish = |result: reqwest::Result<Response>, permit: Permit| match result {
                Ok(response) => Ok(Sent { response, permit }),
                Err(e) => Err(Failure::Exchange(e)),
            };
            if !resendable {
                return finish(result, permit);
            }
            let again = match verdict {
                Retry::Transient => attempt < self.retry.max_attempts,
                Retry::Unauthorized => !reauthenticated && self.can_renew().await,
                Retry::No => false,
            };
            if !again {
                return finish(result, permit);
            }
            let Some(mut next) = spare.or_else(|| rebuild.and_then(|build| build())) else {
                return finish(result, permit);
            };
            drop(permit);
            if let Retry::Unauthorized = verdict {
                tracing::debug!(
                    operation,
                    "HTTP 401: credentials renewed, sending the read again"
                );
                reauthenticated = true;
            } else {
                let delay = self.retry.delay(attempt);
                tracing::debug!(
                    operation,
                    attempt,
                    ?delay,
                    "transient failure of a read; retrying"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            drop(result);
            permit = self.admit(&mut next).await.map_err(Failure::Local)?;
            request = next;
        }
    }

    /// Sets `request`'s `Cookie` header: `own` (the one it came with), then
    /// the jar's cookies for its URL.
    fn add_cookies(&self, request: &mut Request, own: Option<&HeaderValue>) {
        let jar = self.cookies.header(request.url());
        let value = match (own, jar) {
            (Some(own), Some(jar)) => {
                let mut both = own.as_bytes().to_vec();
                both.extend_from_slice(b"; ");
                both.extend_from_slice(jar.as_bytes());
                HeaderValue::from_bytes(&both).ok().map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            }
            (own, jar) => jar.or_else(|| own.cloned()),
        };
        match value {
            Some(value) => request.headers_mut().insert(COOKIE, value),
            None => request.headers_mut().remove(COOKIE),
        };
    }

    /// Whether the provider forgot its credentials and can obtain new ones.
    async fn can_renew(&self) -> bool {
        match &self.auth {
            Some(auth) => auth.invalidate().await,
            None => false,
        }
    }

    /// Steps 1 and 2: waits for a pacing permit, then authenticates.
    async fn admit(&self, request: &mut Request) -> Result<Permit> {
        let permit = self
            .pacer
            .acquire(request.method(), self.relative_path(request))
            .await?;
        if let Some(auth) = &self.auth {
            prepare_web_request(request);
            auth.authorize(request).await?;
        }
        Ok(permit)
    }

    /// The request's path relative to the trading base, for the pacer.
    pub(crate) fn relative_path<'r>(&self, request: &'r Request) -> &'r str {
        self.relative(request.url().path())
    }

    /// `path` relative to the trading base.
    fn relative<'p>(&self, path: &'p str) -> &'p str {
        if self.api_prefix.is_empty() {
            return path;
        }
        match path.strip_prefix(self.api_prefix.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => path,
        }
    }

    /// Maps a reqwest error of an exchange.
    fn exchange_error(&self, operation: &'static str, e: &reqwest::Error) -> Error {
        transport_error(operation, self.timeout, e)
    }
}

/// A connection that could not be made or broke before an answer arrived.
/// Timeouts are not retried: the caller's timeout is the caller's budget.
fn is_connection_error(e: &reqwest::Error) -> bool {
    !e.is_timeout() && (e.is_connect() || e.is_request())
}

/// The Web API's front end rejects a POST without a body unless it carries
/// `Content-Length: 0`.
fn prepare_web_request(request: &mut Request) {
    if request.body().is_none()
        && matches!(
            *request.method(),
            Method::POST | Method::PUT | Method::PATCH
        )
    {
        request.headers_mut().insert(
            reqwest::header::CONTENT_LENGTH,
            HeaderValue::from_static("0"),
        );
    }
}

/// Whether a body is IBKR's "no bridge" (no brokerage session).
pub(crate) fn mentions_no_bridge(body: &str) -> bool {
    body.to_ascii_lowercase().contains("no bridge")
}

/// Classifies an error status with its body.
pub(crate) fn status_error(operation: &'static str, status: u16, body: String) -> Error {
    if status == 401 {
        return Error::NotAuthenticated(if body.is_empty() {
            format!("HTTP 401 from {operation}")
        } else {
            body
        });
    }
    if mentions_no_bridge(&body) {
        return Error::NoBrokerageSession(body);
    }
    Error::Http {
        operation,
        status,
        body,
    }
}

/// Maps a transport-level reqwest error.
pub(crate) fn transport_error(
    operation: &'static str,
    timeout: Duration,
    e: &reqwest::Error,
) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            operation,
            after: timeout,
        };
    }
    // The message may carry the URL (never credentials: those travel in
    // headers); the source chain tells what failed.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Transport(message)
}
