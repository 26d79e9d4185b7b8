//! Authentication of Web API requests.
//!
//! The Web API needs every request authenticated; how depends on the
//! credentials: a ready bearer token ([`BearerToken`]), OAuth 1.0a request
//! signing, or OAuth 2.0. Each is an [`AuthProvider`]. The Gateway needs
//! none: its session is the cookie the local gateway sets after login.

mod der;
pub mod oauth1;
pub mod oauth2;
mod rsa;

use std::fmt;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Authenticates Web API requests.
///
/// Implementations must never log or print secrets; their `Debug` output
/// must redact them.
pub trait AuthProvider: Send + Sync + fmt::Debug + 'static {
    /// Adds credentials (a header, a signature) to `request` just before it
    /// is sent. May refresh credentials first.
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), crate::Error>>;

    /// Called after the server answered HTTP 401 to a request this
    /// provider authorized: forget cached credentials so that the next
    /// [`authorize`](AuthProvider::authorize) obtains new ones. Returns
    /// whether it can (then an idempotent read is sent once more; writes
    /// and orders never are). The default keeps everything and returns
    /// `false`.
    fn invalidate(&self) -> BoxFuture<'_, bool> {
        Box::pin(async { false })
    }

    /// Called once by [`Client::new`](crate::Client::new) with the client's
    /// HTTP client (its TLS policy, redirect policy and proxy settings) and
    /// its configured base URL, so that a provider's own token requests
    /// take the same hardened path to the same host (the sandbox
    /// included). The default ignores them.
    fn bind(&self, http: &reqwest::Client, base_url: &reqwest::Url) {
        let _ = (http, base_url);
    }

    /// The `oauth_token` query parameter of the WebSocket stream
    /// ([`Client::stream`](crate::Client::stream)), when this provider has
    /// one (OAuth 1.0a: the access token). A secret: implementations must
    /// never log it. The default is `None` (no query parameter; the
    /// provider's [`authorize`](AuthProvider::authorize) headers still go
    /// with the upgrade request).
    fn stream_token(&self) -> Option<String> {
        None
    }
}

/// A ready bearer token, sent as `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct BearerToken {
    token: String,
}

impl BearerToken {
    /// Wraps a token obtained elsewhere (for example an SSO session token).
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken {
            token: token.into(),
        }
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

impl AuthProvider for BearerToken {
    fn authorize<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), crate::Error>> {
        Box::pin(async move {
            let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.token))
                .map_err(|_| {
                crate::Error::InvalidArgument(
                    "bearer token contains characters not allowed in a header".into(),
                )
            })?;
            let mut value = value;
            value.set_sensitive(true);
            request
                .headers_mut()
                .insert(reqwest::header::AUTHORIZATION, value);
            Ok(())
        })
    }
}
