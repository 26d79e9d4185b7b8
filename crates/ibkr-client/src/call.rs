//! Running generated calls and mapping every failure into [`crate::Error`].
//!
//! Every facade method goes through [`run`] (a call of a generated client) or
//! [`run_raw`] (a request the generated client cannot express), then turns the
//! [`Outcome`] into its own type with [`Outcome::decode`]:
//!
//! - the generated, typed value is converted by a closure written in the
//!   facade (usually a `From` impl), so a regeneration that changes generated
//!   types breaks compilation here, not in users' code;
//! - when the generated decode fails (IBKR's numbers-as-strings, `"N/A"`),
//!   the raw body is decoded leniently into the facade type itself;
//! - a success without a body (204, or a status the spec does not list) is
//!   [`Outcome::Empty`], which [`Outcome::decode_or_default`] accepts.

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ibkr_api::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// What a call produced once transport and status errors are handled.
pub(crate) enum Outcome<T> {
    /// The generated client decoded the body.
    Typed(T),
    /// A success whose body the generated client could not decode (or a raw
    /// request): the body as received.
    Raw(Vec<u8>),
    /// A success without a body.
    Empty,
}

impl<T> Outcome<T> {
    /// Converts the outcome into the facade type `F`: a typed value through
    /// `convert`, a raw body through `F`'s lenient `Deserialize`. An empty
    /// success is a decode error.
    pub(crate) fn decode<F: DeserializeOwned>(
        self,
        operation: &'static str,
        convert: impl FnOnce(T) -> F,
    ) -> Result<F> {
        self.try_decode(operation, |t| Ok(convert(t)))
    }

    /// Like [`Outcome::decode`] with a fallible conversion.
    pub(crate) fn try_decode<F: DeserializeOwned>(
        self,
        operation: &'static str,
        convert: impl FnOnce(T) -> Result<F>,
    ) -> Result<F> {
        match self {
            Outcome::Typed(t) => convert(t),
            Outcome::Raw(bytes) => decode_raw(operation, &bytes),
            Outcome::Empty => Err(Error::Decode {
                operation,
                message: "the response has no body".into(),
                body: String::new(),
            }),
        }
    }

    /// Like [`Outcome::decode`], but an empty success gives `F::default()`.
    pub(crate) fn decode_or_default<F: DeserializeOwned + Default>(
        self,
        operation: &'static str,
        convert: impl FnOnce(T) -> F,
    ) -> Result<F> {
        match self {
            Outcome::Empty => Ok(F::default()),
            Outcome::Raw(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Ok(F::default()),
            other => other.decode(operation, convert),
        }
    }
}

/// Decodes a raw body leniently into a facade type.
pub(crate) fn decode_raw<F: DeserializeOwned>(operation: &'static str, bytes: &[u8]) -> Result<F> {
    serde_json::from_slice(bytes).map_err(|e| {
        let body = String::from_utf8_lossy(bytes).into_owned();
        if mentions_no_bridge(&body) {
            Error::NoBrokerageSession(body)
        } else {
            Error::Decode {
                operation,
                message: e.to_string(),
                body,
            }
        }
    })
}

/// An error body of a generated operation, as text.
pub(crate) trait ErrorBody: Sized {
    /// The body as text (empty when the generated client dropped it).
    fn into_text(self) -> impl Future<Output = String> + Send;
}

impl ErrorBody for ByteStream {
    async fn into_text(self) -> String {
        match ibkr_api::read_body(self).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => String::new(),
        }
    }
}

impl ErrorBody for () {
    async fn into_text(self) -> String {
        String::new()
    }
}

/// Implements [`ErrorBody`] for typed error bodies of generated operations by
/// serializing them back to JSON.
macro_rules! serialize_error_body {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ErrorBody for $ty {
                async fn into_text(self) -> String {
                    serde_json::to_string(&self).unwrap_or_default()
                }
            }
        )*
    };
}

#[cfg(feature = "gateway")]
serialize_error_body!(
    ibkr_api::gateway::types::IserverSecdefSearchPostResponse,
    ibkr_api::gateway::types::IserverSecdefInfoGetResponse,
    ibkr_api::gateway::types::IserverSecdefStrikesGetResponse,
    ibkr_api::gateway::types::TrsrvStocksGetResponse,
    ibkr_api::gateway::types::TrsrvFuturesGetResponse,
    ibkr_api::gateway::types::IserverMarketdataSnapshotGetResponse,
    ibkr_api::gateway::types::IserverMarketdataHistoryGetError,
    ibkr_api::gateway::types::IserverReplyReplyIdPostResponse,
);

/// Whether an error body is IBKR's "no bridge" (no brokerage session).
fn mentions_no_bridge(body: &str) -> bool {
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
        Error::Timeout {
            operation,
            after: timeout,
        }
    } else {
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
}

/// Reads a response that the generated client did not handle (or a raw
/// request's response) into an [`Outcome`] or an error.
pub(crate) async fn read_response<T>(
    operation: &'static str,
    timeout: Duration,
    response: reqwest::Response,
) -> Result<Outcome<T>> {
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| transport_error(operation, timeout, &e))?;
    if status.is_success() {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(Outcome::Empty)
        } else {
            Ok(Outcome::Raw(Vec::from(bytes)))
        }
    } else {
        Err(status_error(
            operation,
            status.as_u16(),
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }
}

/// Runs a call of a generated client and maps its result.
pub(crate) async fn run<T, E, Fut>(
    operation: &'static str,
    timeout: Duration,
    call: Fut,
) -> Result<Outcome<T>>
where
    E: ErrorBody,
    Fut: Future<Output = std::result::Result<ResponseValue<T>, ibkr_api::Error<E>>>,
{
    match call.await {
        Ok(value) => Ok(Outcome::Typed(value.into_inner())),
        Err(e) => map_error(operation, timeout, e).await,
    }
}

/// Maps a progenitor error; a few are successes in disguise.
async fn map_error<T, E: ErrorBody>(
    operation: &'static str,
    timeout: Duration,
    e: ibkr_api::Error<E>,
) -> Result<Outcome<T>> {
    use ibkr_api::Error as P;
    match e {
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            Err(transport_error(operation, timeout, &e))
        }
        P::ErrorResponse(rv) => {
            let status = rv.status().as_u16();
            let body = rv.into_inner().into_text().await;
            Err(status_error(operation, status, body))
        }
        P::InvalidResponsePayload(bytes, _) => {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                Ok(Outcome::Empty)
            } else {
                Ok(Outcome::Raw(Vec::from(bytes)))
            }
        }
        P::UnexpectedResponse(response) => read_response(operation, timeout, response).await,
        P::InvalidRequest(message) => Err(Error::InvalidArgument(message)),
        P::Custom(message) => Err(take_hook_error(&message)
            .unwrap_or_else(|| Error::Transport(format!("request refused: {message}")))),
    }
}

// Hooks can only fail with a `String`; to hand a typed error through the
// generated client, a hook stores it here and returns a key.

const HOOK_ERROR_PREFIX: &str = "ibkr-client hook error #";

static HOOK_ERRORS: Mutex<Option<HashMap<u64, Error>>> = Mutex::new(None);
static NEXT_HOOK_ERROR: AtomicU64 = AtomicU64::new(0);

/// Stores `error` raised inside a [`ibkr_api::RequestHook`] and returns the
/// string the hook must fail with; [`run`] turns it back into `error`.
pub(crate) fn stash_hook_error(error: Error) -> String {
    let id = NEXT_HOOK_ERROR.fetch_add(1, Ordering::Relaxed);
    let mut map = lock(&HOOK_ERRORS);
    map.get_or_insert_with(HashMap::new).insert(id, error);
    format!("{HOOK_ERROR_PREFIX}{id}")
}

/// Locks a mutex, recovering it if a holder panicked (the data is plain
/// bookkeeping, valid at every step).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn take_hook_error(message: &str) -> Option<Error> {
    let id: u64 = message.strip_prefix(HOOK_ERROR_PREFIX)?.parse().ok()?;
    let mut map = lock(&HOOK_ERRORS);
    map.as_mut()?.remove(&id)
}

/// Converts a value decoded by a generated client into a facade type by
/// re-encoding it: generated types serialize with IBKR's wire names, so the
/// facade type's lenient `Deserialize` maps both variants. Used for bag-like
/// responses (account summaries, ledgers, snapshots) where a field-by-field
/// `From` would mirror hundreds of generated fields.
pub(crate) fn via_json<G: serde::Serialize, F: DeserializeOwned>(
    operation: &'static str,
    generated: &G,
) -> Result<F> {
    let bytes = serde_json::to_vec(generated).map_err(|e| Error::Decode {
        operation,
        message: e.to_string(),
        body: String::new(),
    })?;
    decode_raw(operation, &bytes)
}

/// Builds a generated request body from the facade's JSON form.
pub(crate) fn to_body<B: DeserializeOwned>(
    operation: &'static str,
    value: serde_json::Value,
) -> Result<B> {
    serde_json::from_value(value).map_err(|e| Error::InvalidArgument(format!("{operation}: {e}")))
}

impl<T: serde::Serialize> Outcome<T> {
    /// Decodes through [`via_json`] for a typed value, leniently for a raw
    /// body; an empty success gives `F::default()`.
    pub(crate) fn json<F: DeserializeOwned + Default>(self, operation: &'static str) -> Result<F> {
        match self {
            Outcome::Typed(t) => via_json(operation, &t),
            other => other.decode_or_default(operation, |_| unreachable!("typed handled above")),
        }
    }
}

impl<T: serde::Serialize> Outcome<T> {
    /// Decodes a list leniently (a single object becomes a one-element
    /// list, `null` or an empty body an empty list), in one pass over the
    /// bytes.
    pub(crate) fn json_list<F: DeserializeOwned>(self, operation: &'static str) -> Result<Vec<F>> {
        let bytes = match self {
            Outcome::Typed(t) => serde_json::to_vec(&t).map_err(|e| Error::Decode {
                operation,
                message: e.to_string(),
                body: String::new(),
            })?,
            Outcome::Raw(bytes) => bytes,
            Outcome::Empty => return Ok(Vec::new()),
        };
        decode_raw::<List<F>>(operation, &bytes).map(|list| list.0)
    }
}

/// A list read by [`crate::lenient::vec_or_single`].
struct List<F>(Vec<F>);

impl<'de, F: DeserializeOwned> serde::Deserialize<'de> for List<F> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::lenient::vec_or_single(d).map(List)
    }
}
