//! The facade's one error type.

use std::time::Duration;

/// Which IBKR REST variant a client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The Web API at api.ibkr.com.
    Web,
    /// The Client Portal Gateway.
    Gateway,
}

impl std::fmt::Display for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Variant::Web => "Web API",
            Variant::Gateway => "Client Portal Gateway",
        })
    }
}

/// Everything that can go wrong in a call through the facade.
///
/// No variant ever carries a token, key, cookie or signature.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the connection failed.
    #[error("transport error: {0}")]
    Transport(String),
    /// No response within the configured timeout.
    #[error("{operation} timed out after {after:?}")]
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
        /// How long it waited.
        after: Duration,
    },
    /// The server answered with an error status.
    #[error("HTTP {status} from {operation}: {body}")]
    Http {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The server's body, as text.
        body: String,
    },
    /// IBKR answered with an error message, possibly under a 2xx status
    /// (`{"error": "…"}`); the body is kept.
    #[error("{operation} failed: {message}")]
    Api {
        /// The operation.
        operation: &'static str,
        /// IBKR's message.
        message: String,
        /// The body as received.
        body: String,
    },
    /// The server's body could not be decoded; the raw body is kept.
    #[error("cannot decode the response of {operation}: {message}")]
    Decode {
        /// The operation.
        operation: &'static str,
        /// What failed.
        message: String,
        /// The body as received.
        body: String,
    },
    /// The session is not authenticated (HTTP 401, or `authenticated: false`).
    #[error("not authenticated: {0}")]
    NotAuthenticated(String),
    /// There is no brokerage session (IBKR's "no bridge"): call
    /// `init_brokerage_session` first.
    #[error("no brokerage session: {0}")]
    NoBrokerageSession(String),
    /// The operation is not served by this variant.
    #[error("{operation} is not available on the {variant}")]
    Unsupported {
        /// The operation.
        operation: &'static str,
        /// The variant that lacks it.
        variant: Variant,
    },
    /// An argument was rejected before anything was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The pacing limit would make the call wait longer than allowed.
    #[error("rate limited on {endpoint}: next slot in {wait:?}")]
    RateLimited {
        /// The endpoint family whose limit applies.
        endpoint: String,
        /// How long the call would have had to wait.
        wait: Duration,
    },
    /// An order request may or may not have reached IBKR (for example it
    /// timed out after being sent). Never retried: look the orders up with
    /// `Orders::reconcile` (by their `cOID`s, listed here) before sending
    /// them again.
    #[error(
        "outcome of {operation} is unknown ({reason}){}; check the live orders before retrying",
        coids_note(.client_order_ids)
    )]
    Ambiguous {
        /// The order operation.
        operation: &'static str,
        /// Why the outcome is unknown.
        reason: String,
        /// The client order ids (`cOID`) of the orders concerned, when the
        /// request carried them (placing, and answering the questions that
        /// placing asked); empty for a cancel or a bare reply.
        client_order_ids: Vec<String>,
    },
    /// IBKR refused an order request (an `{"error": …}` answer or an order
    /// reject); nothing was placed, modified or cancelled.
    #[error("{operation} rejected: {message}")]
    OrderRejected {
        /// The order operation.
        operation: &'static str,
        /// IBKR's reason.
        message: String,
    },
}

/// `; cOID a, b` for [`Error::Ambiguous`]'s message, or nothing.
fn coids_note(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!("; cOID {}", ids.join(", "))
    }
}

/// Result alias for the facade.
pub type Result<T, E = Error> = std::result::Result<T, E>;
