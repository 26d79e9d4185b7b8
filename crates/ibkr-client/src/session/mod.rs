//! The brokerage session: open it, check it, keep it alive, end it.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let session = client.session();
//! let status = session.auth_status().await?;
//! if !status.authenticated {
//!     session.init_brokerage_session(true, false).await?;
//! }
//! let tickle = session.tickle().await?; // about every 60 s
//! println!("session {:?}", tickle.session);
//! # Ok(()) }
//! ```
//!
//! ## `init_brokerage_session` on the Gateway
//!
//! The Gateway's spec has no `/iserver/auth/ssodh/init`, but the Client
//! Portal Gateway serves it: the facade sends `POST /iserver/auth/ssodh/init`
//! with `{"publish": …, "compete": …}` on both variants, so the method
//! behaves the same everywhere. If a gateway answers 404, fall back to
//! [`Session::reauthenticate`].
//!
//! ## `reauthenticate` when IBKR drops it
//!
//! IBKR deprecated `/iserver/reauthenticate`. When the vendored spec of a
//! variant no longer lists it, [`Session::reauthenticate`] returns
//! [`Error::Unsupported`] without sending anything
//! ([`Client::supports`] tells beforehand).

pub mod supervisor;

use std::fmt;

use ibkr_ops::areas::session as ops;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result};
use crate::lenient;

/// The session operations, from [`Client::session`].
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Session operations (authentication status, keep-alive, logout).
    pub fn session(&self) -> Session<'_> {
        Session { client: self }
    }
}

/// The brokerage session's status, merging the Web API's brokerage session
/// status and the Gateway's authentication status.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "AuthStatusWire")]
pub struct AuthStatus {
    /// Whether the brokerage session is authenticated (trading and market
    /// data need it).
    pub authenticated: bool,
    /// Whether a connection to the brokerage backend exists.
    pub connected: bool,
    /// Whether another session (TWS, mobile) competes for this username.
    pub competing: bool,
    /// Whether the session is established, when reported.
    pub established: Option<bool>,
    /// IBKR's message, if any.
    pub message: Option<String>,
    /// IBKR's failure reason, if any.
    pub fail: Option<String>,
    /// The serving backend's name, if reported.
    pub server_name: Option<String>,
    /// The serving backend's version, if reported.
    pub server_version: Option<String>,
    /// The MAC address of the serving backend, if reported.
    pub mac: Option<String>,
    /// Prompts IBKR wants shown to the user.
    pub prompts: Vec<String>,
}

/// The wire form of [`AuthStatus`] (both variants' field names).
#[derive(LenientDeserialize)]
struct AuthStatusWire {
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    authenticated: bool,
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    connected: bool,
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    competing: bool,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    established: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    fail: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    mac: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    prompts: Vec<String>,
    #[serde(default, rename = "serverInfo")]
    server_info: Option<ServerInfoWire>,
    // Already-flattened form (what `AuthStatus` serializes to).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    server_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    server_version: Option<String>,
}

#[derive(LenientDeserialize, Default)]
struct ServerInfoWire {
    #[serde(
        default,
        rename = "serverName",
        deserialize_with = "lenient::opt_string"
    )]
    server_name: Option<String>,
    #[serde(
        default,
        rename = "serverVersion",
        deserialize_with = "lenient::opt_string"
    )]
    server_version: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    fail: Option<String>,
}

impl From<AuthStatusWire> for AuthStatus {
    fn from(w: AuthStatusWire) -> Self {
        let info = w.server_info.unwrap_or_default();
        AuthStatus {
            authenticated: w.authenticated,
            connected: w.connected,
            competing: w.competing,
            established: w.established,
            message: w.message,
            fail: w.fail.or(info.fail),
            server_name: info.server_name.or(w.server_name),
            server_version: info.server_version.or(w.server_version),
            mac: w.mac,
            prompts: w.prompts,
        }
    }
}

/// `Some(s)` unless `s` is empty.
pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// The answer to [`Session::tickle`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Tickle {
    /// The session id: the streaming credential. Redacted in `Debug` and
    /// never serialized.
    #[serde(default, skip_serializing, deserialize_with = "opt_session_token")]
    pub session: Option<SessionToken>,
    /// Milliseconds until the SSO session expires, when reported.
    #[serde(default, rename = "ssoExpires", deserialize_with = "lenient::opt_i64")]
    pub sso_expires: Option<i64>,
    /// Whether another session collided with this one (IBKR spells it
    /// `collission`).
    #[serde(
        default,
        rename = "collission",
        alias = "collision",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub collision: bool,
    /// The user id, when reported.
    #[serde(default, rename = "userId", deserialize_with = "lenient::opt_i64")]
    pub user_id: Option<i64>,
    /// The brokerage session status embedded in the answer, when present.
    #[serde(default, rename = "iserver", deserialize_with = "embedded_auth_status")]
    pub auth_status: Option<AuthStatus>,
}

/// Reads `{"authStatus": {...}}` into the status.
fn embedded_auth_status<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<AuthStatus>, D::Error> {
    #[derive(LenientDeserialize)]
    struct Iserver {
        #[serde(default, rename = "authStatus")]
        auth_status: Option<AuthStatus>,
    }
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.and_then(|v| {
        if v.get("authStatus").is_some() {
            serde_json::from_value::<Iserver>(v).ok()?.auth_status
        } else {
            // Already flattened (a serialized `Tickle`).
            serde_json::from_value::<AuthStatus>(v).ok()
        }
    }))
}

/// The answer to [`Session::reauthenticate`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Reauthentication {
    /// IBKR's message (the Web API answers `"triggered"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// The new status, when the variant reports it (the Gateway does).
    #[serde(default)]
    pub status: Option<AuthStatus>,
}

/// The answer to [`Session::logout`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Logout {
    /// Whether IBKR confirmed the logout (`status` on the Web API,
    /// `confirmed` on the Gateway).
    #[serde(default, alias = "status", deserialize_with = "lenient::opt_bool")]
    pub confirmed: Option<bool>,
}

/// The answer to [`Session::validate_sso`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct SsoValidation {
    /// Whether the SSO session is valid.
    #[serde(
        default,
        rename = "RESULT",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub result: bool,
    /// The user id.
    #[serde(default, rename = "USER_ID", deserialize_with = "lenient::opt_i64")]
    pub user_id: Option<i64>,
    /// The username.
    #[serde(
        default,
        rename = "USER_NAME",
        deserialize_with = "lenient::opt_string"
    )]
    pub user_name: Option<String>,
    /// When the session was authenticated (ms since the epoch).
    #[serde(default, rename = "AUTH_TIME", deserialize_with = "lenient::opt_i64")]
    pub auth_time: Option<i64>,
    /// Expiry, as IBKR reports it (`EXPIRES` on the Web API, `expire` on the
    /// Gateway; milliseconds).
    #[serde(
        default,
        rename = "EXPIRES",
        alias = "expire",
        deserialize_with = "lenient::opt_i64"
    )]
    pub expires: Option<i64>,
    /// The login type, when reported.
    #[serde(
        default,
        rename = "LOGIN_TYPE",
        alias = "loginType",
        deserialize_with = "lenient::opt_i64"
    )]
    pub login_type: Option<i64>,
    /// The paper trading username, when reported.
    #[serde(
        default,
        rename = "PAPER_USER_NAME",
        deserialize_with = "lenient::opt_string"
    )]
    pub paper_user_name: Option<String>,
}

/// IBKR's session id from [`Session::tickle`], the credential of the
/// WebSocket stream. `Debug` and `Display` print `<redacted>`; read it with
/// [`SessionToken::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// The token itself. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl fmt::Display for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

fn opt_session_token<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<SessionToken>, D::Error> {
    Ok(lenient::opt_string(d)?.map(SessionToken))
}

/// `{"publish": …, "compete": …}`
#[derive(Serialize)]
struct InitBody {
    publish: bool,
    compete: bool,
}

impl Session<'_> {
    /// Opens a brokerage session (`POST /iserver/auth/ssodh/init`), needed
    /// before trading and market data. `publish` publishes the session to
    /// the brokerage backend; `compete` takes over a session open elsewhere
    /// (TWS, mobile). See the module docs for how the Gateway is served.
    pub async fn init_brokerage_session(&self, publish: bool, compete: bool) -> Result<AuthStatus> {
        self.client
            .op(&ops::INIT_BROKERAGE_SESSION)?
            .json(&InitBody { publish, compete })?
            .fetch()
            .await
    }

    /// The brokerage session's status (`POST /iserver/auth/status`).
    pub async fn auth_status(&self) -> Result<AuthStatus> {
        self.client.op(&ops::AUTH_STATUS)?.fetch().await
    }

    /// Asks IBKR to re-authenticate the brokerage session (`GET
    /// /iserver/reauthenticate` on the Web API, `POST` on the Gateway).
    /// Poll [`Session::auth_status`] afterwards. [`Error::Unsupported`]
    /// when the variant's vendored spec no longer lists it.
    pub async fn reauthenticate(&self) -> Result<Reauthentication> {
        let status: ReauthWire = self
            .client
            .op(&ops::REAUTHENTICATE)?
            .fetch_or_default()
            .await?;
        // The Gateway answers with an authentication status, the Web API
        // with `{"message": "triggered"}`.
        let carries_status = status.authenticated.is_some() || status.connected.is_some();
        let message = status.message.clone();
        Ok(Reauthentication {
            message,
            status: carries_status.then_some(status.full),
        })
    }

    /// Ends the session (`POST /logout`).
    pub async fn logout(&self) -> Result<Logout> {
        self.client.op(&ops::LOGOUT)?.fetch_or_default().await
    }

    /// Validates the SSO session (`GET /sso/validate`; IBKR allows one call
    /// a minute).
    pub async fn validate_sso(&self) -> Result<SsoValidation> {
        self.client.op(&ops::VALIDATE_SSO)?.fetch().await
    }

    /// Keeps the session alive (`POST /tickle`; call it about every 60 s).
    ///
    /// IBKR's `{"error": …}` answer (no session) becomes
    /// [`Error::NotAuthenticated`].
    pub async fn tickle(&self) -> Result<Tickle> {
        match self.client.op(&ops::TICKLE)?.fetch_or_default().await {
            Err(Error::Api { message, .. }) => Err(Error::NotAuthenticated(message)),
            other => other,
        }
    }
}

/// The reauthenticate answer: a status on the Gateway, a message on the
/// Web API.
#[derive(Default)]
struct ReauthWire {
    authenticated: Option<bool>,
    connected: Option<bool>,
    message: Option<String>,
    full: AuthStatus,
}

impl<'de> Deserialize<'de> for ReauthWire {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(LenientDeserialize)]
        struct Probe {
            #[serde(default, deserialize_with = "lenient::opt_bool")]
            authenticated: Option<bool>,
            #[serde(default, deserialize_with = "lenient::opt_bool")]
            connected: Option<bool>,
        }
        let value = serde_json::Value::deserialize(d)?;
        let probe: Probe =
            serde_json::from_value(value.clone()).map_err(serde::de::Error::custom)?;
        let full: AuthStatus = serde_json::from_value(value).map_err(serde::de::Error::custom)?;
        Ok(ReauthWire {
            authenticated: probe.authenticated,
            connected: probe.connected,
            message: non_empty(full.message.clone()),
            full,
        })
    }
}
