//! SSO sessions on behalf of an end user, and the echo endpoints that test
//! your firm's access.
//!
//! Both session requests take a **signed JWT** of IBKR's request
//! (`{"credential": <the user name>, "ip": <the user's IP>, ...}`), signed
//! with your firm's key. The OAuth 2.0 provider
//! ([`oauth2`](crate::oauth2)) opens the client's own SSO session by itself;
//! these methods are for sessions of your end users.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client, signed: String) -> ibkr_client::Result<()> {
//! let am = client.account_management();
//! let echo = am.echo_https().await?;
//! println!("{:?} over {:?}", echo.request_method, echo.security_policy);
//! let browser = am.create_sso_browser_session(&signed).await?;
//! println!("open {:?}", browser.url);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ibkr_ops::areas::account_management as ops;
use serde::Serialize;
use serde_json::Value;

use super::{AccountManagement, Extra, fetch};
use crate::decode::LenientDeserialize;
use crate::error::Result;
use crate::lenient;

/// An SSO session opened for an end user. Its `Debug` hides the token
/// (and shows only the names of the other fields).
#[derive(Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct SsoSession {
    /// Whether the session is active.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    /// The session's access token (a credential: keep it secret).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub access_token: Option<String>,
    /// The token's type (`Bearer`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub token_type: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for SsoSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoSession")
            .field("active", &self.active)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<redacted>"),
            )
            .field("token_type", &self.token_type)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// An SSO browser session: a link that logs the end user in to IBKR's
/// pages. Its `Debug` hides the link (it carries the session) and shows
/// only the names of the other fields.
#[derive(Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct SsoBrowserSession {
    /// Whether the session is active.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    /// The link to open in the user's browser.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for SsoBrowserSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoBrowserSession")
            .field("active", &self.active)
            .field("url", &self.url.as_ref().map(|_| "<redacted>"))
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What the echo endpoints saw of the request.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Echo {
    /// `GET`, `POST`, ...
    #[serde(
        default,
        rename = "requestMethod",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_method: Option<String>,
    /// `HTTPS`, `SIGNED_JWT` or `ENCRYPTED_JWE`.
    #[serde(
        default,
        rename = "securityPolicy",
        deserialize_with = "lenient::opt_string"
    )]
    pub security_policy: Option<String>,
    /// The query parameters, as IBKR read them.
    #[serde(default, rename = "queryParameters")]
    pub query_parameters: BTreeMap<String, Value>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AccountManagement<'_> {
    /// Opens an SSO session for an end user: `signed_request` is the signed
    /// JWT of IBKR's `{"credential": …, "ip": …}` request
    /// (`POST /gw/api/v1/sso-sessions`).
    pub async fn create_sso_session(&self, signed_request: &str) -> Result<SsoSession> {
        self.send_jwt(&ops::CREATE_SSO_SESSION, signed_request)
            .await
    }

    /// Opens an SSO browser session for an end user: `signed_request` is
    /// the signed JWT of IBKR's `{"credential": …, "ip": …}` request
    /// (`POST /gw/api/v1/sso-browser-sessions`).
    pub async fn create_sso_browser_session(
        &self,
        signed_request: &str,
    ) -> Result<SsoBrowserSession> {
        self.send_jwt(&ops::CREATE_SSO_BROWSER_SESSION, signed_request)
            .await
    }

    /// Echoes a plain HTTPS request back: tests the firm's access
    /// (`GET /gw/api/v1/echo/https`).
    pub async fn echo_https(&self) -> Result<Echo> {
        let call = self.client.op(&ops::ECHO_HTTPS)?;
        fetch(&ops::ECHO_HTTPS, call).await
    }

    /// Echoes a signed-JWT request back: tests the firm's signing key
    /// (`POST /gw/api/v1/echo/signed-jwt`).
    pub async fn echo_signed_jwt(&self, signed_jwt: &str) -> Result<Echo> {
        self.send_jwt(&ops::ECHO_SIGNED_JWT, signed_jwt).await
    }
}
