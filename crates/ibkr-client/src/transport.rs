//! The one path every request of a [`Client`](crate::Client) takes:
//! pacing, authentication, sending, retrying.
//!
//! Generated calls reach it through the request hook the facade installs in
//! the generated clients ([`ibkr_api::RequestHook`]): `on_request` waits for
//! a pacing permit and authenticates, `execute` sends (and retries reads).
//! Requests the facade builds itself ([`Client::raw`](crate::Client)) call
//! [`Transport::admit`] and [`Transport::send`] directly.
//!
//! In order, for one request:
//!
//! 1. [`Pacer::acquire`] waits for the endpoint's and the global rate (or
//!    fails with [`Error::RateLimited`] past the maximum wait). The request
//!    timeout has not started yet: reqwest starts it when sending.
//! 2. The [`AuthProvider`] signs the request (Web API).
//! 3. The request is sent. A 429 pauses that endpoint in the pacer for the
//!    `Retry-After` it names.
//! 4. Reads ([`OperationKind::Read`]) are sent again after a connection
//!    error or a 429/502/503/504, with jittered backoff
//!    ([`RetryPolicy`]), each time through steps 1 and 2; after a 401, once,
//!    if the provider can obtain new credentials. Writes and order requests
//!    are sent exactly once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::header::HeaderValue;
use reqwest::{Method, Request, Response};

use crate::auth::AuthProvider;
use crate::call;
use crate::error::{Error, Result};
use crate::pacing::{Pacer, Permit, retry_after};
use crate::retry::{OperationKind, RetryPolicy};

/// Carries a permit from `on_request` to `execute` of the same request;
/// removed before the request leaves.
const PERMIT_HEADER: &str = "x-ibkr-client-permit";

/// Pacing, authentication and retries shared by all clones of a client.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) auth: Option<Arc<dyn AuthProvider>>,
    pub(crate) pacer: Arc<Pacer>,
    pub(crate) retry: RetryPolicy,
    /// The path of the trading base URL (`/v1/api`), stripped before a path
    /// is looked up in the pacing table.
    pub(crate) api_prefix: String,
    permits: Mutex<HashMap<u64, Permit>>,
    next_permit: AtomicU64,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        auth: Option<Arc<dyn AuthProvider>>,
        pacer: Arc<Pacer>,
        retry: RetryPolicy,
        api_prefix: String,
    ) -> Transport {
        Transport {
            http,
            auth,
            pacer,
            retry,
            api_prefix: api_prefix.trim_end_matches('/').to_string(),
            permits: Mutex::new(HashMap::new()),
            next_permit: AtomicU64::new(0),
        }
    }

    /// The request's path relative to the trading base, for the pacer and
    /// the retry classification.
    fn relative_path<'r>(&self, request: &'r Request) -> &'r str {
        let path = request.url().path();
        if self.api_prefix.is_empty() {
            return path;
        }
        match path.strip_prefix(self.api_prefix.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => path,
        }
    }

    /// Steps 1 and 2: waits for a pacing permit, then authenticates.
    pub(crate) async fn admit(&self, request: &mut Request) -> Result<Permit> {
        let permit = {
            let method = request.method().clone();
            let path = self.relative_path(request).to_string();
            self.pacer.acquire(&method, &path).await?
        };
        if let Some(auth) = &self.auth {
            prepare_web_request(request);
            auth.authorize(request).await?;
        }
        Ok(permit)
    }

    /// Steps 3 and 4: sends `request` (admitted with `permit`) and retries
    /// it if it is a read and the failure is transient.
    pub(crate) async fn send(
        &self,
        operation: &'static str,
        mut request: Request,
        permit: Permit,
    ) -> reqwest::Result<Response> {
        let method = request.method().clone();
        let path = self.relative_path(&request).to_string();
        let kind = OperationKind::classify(operation, &method, &path);
        let mut permit = Some(permit);
        let mut attempt = 1u32;
        let mut reauthenticated = false;
        loop {
            let spare = if kind.is_retryable() {
                request.try_clone()
            } else {
                None
            };
            let result = self.http.execute(request).await;
            drop(permit.take());
            let retry = match &result {
                Ok(response) if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after(response.headers());
                    tracing::warn!(endpoint = %path, retry_after = ?wait, "HTTP 429: endpoint paused");
                    self.pacer.on_429(&path, wait);
                    Retry::Transient
                }
                Ok(response) if matches!(response.status().as_u16(), 502..=504) => Retry::Transient,
                Ok(response) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                    Retry::Unauthorized
                }
                Ok(_) => Retry::No,
                Err(e) if is_connection_error(e) => Retry::Transient,
                Err(_) => Retry::No,
            };
            let Some(mut next) = spare else {
                return result;
            };
            match retry {
                Retry::No => return result,
                Retry::Transient if attempt < self.retry.max_attempts => {
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
                Retry::Unauthorized if !reauthenticated => {
                    let renewable = match &self.auth {
                        Some(auth) => auth.invalidate().await,
                        None => false,
                    };
                    if !renewable {
                        return result;
                    }
                    tracing::debug!(
                        operation,
                        "HTTP 401: credentials renewed, sending the read again"
                    );
                    reauthenticated = true;
                }
                _ => return result,
            }
            match self.admit(&mut next).await {
                Ok(p) => permit = Some(p),
                // No permit in time (or no credentials): the last answer
                // stands.
                Err(e) => {
                    tracing::debug!(operation, error = %e, "not retried");
                    return result;
                }
            }
            request = next;
        }
    }

    /// Admits a request inside the generated client's `on_request` hook and
    /// parks its permit in a header for [`Transport::execute_parked`].
    async fn admit_and_park(&self, request: &mut Request) -> Result<()> {
        let permit = self.admit(request).await?;
        let id = self.next_permit.fetch_add(1, Ordering::Relaxed);
        call::lock(&self.permits).insert(id, permit);
        request
            .headers_mut()
            .insert(PERMIT_HEADER, HeaderValue::from(id));
        Ok(())
    }

    /// Sends a request admitted by [`Transport::admit_and_park`].
    async fn execute_parked(
        &self,
        operation: &'static str,
        mut request: Request,
    ) -> reqwest::Result<Response> {
        let parked = request
            .headers_mut()
            .remove(PERMIT_HEADER)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .and_then(|id| call::lock(&self.permits).remove(&id));
        let permit = match parked {
            Some(permit) => permit,
            // Not admitted by the hook (cannot happen with the facade's
            // hooks installed): admit now, sending it unpaced on failure.
            None => match self.admit(&mut request).await {
                Ok(permit) => permit,
                Err(_) => return self.http.execute(request).await,
            },
        };
        self.send(operation, request, permit).await
    }
}

/// What a failed attempt allows.
enum Retry {
    No,
    Transient,
    Unauthorized,
}

/// A connection that could not be made or broke before an answer arrived.
/// Timeouts are not retried: the caller's timeout is the caller's budget.
fn is_connection_error(e: &reqwest::Error) -> bool {
    !e.is_timeout() && (e.is_connect() || e.is_request())
}

/// The Web API's front end rejects a POST without a body unless it carries
/// `Content-Length: 0`.
pub(crate) fn prepare_web_request(request: &mut Request) {
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

/// The facade's hook in the generated clients: everything goes through the
/// client's [`Transport`].
pub(crate) struct TransportHook {
    pub(crate) transport: Arc<Transport>,
}

impl ibkr_api::RequestHook for TransportHook {
    fn on_request<'a>(
        &'a self,
        request: &'a mut Request,
        _operation_id: &'static str,
    ) -> ibkr_api::BoxFuture<'a, std::result::Result<(), String>> {
        Box::pin(async move {
            self.transport
                .admit_and_park(request)
                .await
                .map_err(call::stash_hook_error)
        })
    }

    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> ibkr_api::BoxFuture<'a, reqwest::Result<Response>> {
        Box::pin(self.transport.execute_parked(operation_id, request))
    }
}

/// Maps the error of a request whose outcome may be unknown: for order
/// requests a timeout, broken connection or 502/503/504 becomes
/// [`Error::Ambiguous`].
pub(crate) fn order_safe(method: &Method, path: &str, operation: &'static str, e: Error) -> Error {
    if crate::retry::is_order_request(method, path) {
        crate::retry::order_error(operation, e)
    } else {
        e
    }
}
