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
//! Portal Gateway serves it. The facade sends `POST /iserver/auth/ssodh/init`
//! with `{"publish": …, "compete": …}` through the client's own HTTP client
//! (same cookie session, same error mapping) on both variants, so the method
//! behaves the same everywhere. If a gateway answers 404, fall back to
//! [`Session::reauthenticate`].

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use serde::{Deserialize, Serialize};

use crate::client::{Backend, Client};
use crate::error::Result;
use crate::lenient;

/// The session operations, from [`Client::session`].
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    client: &'a Client,
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
#[derive(Deserialize)]
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

#[derive(Deserialize, Default)]
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

#[cfg(feature = "web")]
impl From<ibkr_api::web::types::BrokerageSessionStatus> for AuthStatus {
    fn from(s: ibkr_api::web::types::BrokerageSessionStatus) -> Self {
        let info = s.server_info;
        AuthStatus {
            authenticated: s.authenticated.unwrap_or(false),
            connected: s.connected.unwrap_or(false),
            competing: s.competing.unwrap_or(false),
            established: None,
            message: non_empty(s.message),
            fail: non_empty(info.as_ref().and_then(|i| i.fail.clone())),
            server_name: info.as_ref().and_then(|i| i.server_name.clone()),
            server_version: info.as_ref().and_then(|i| i.server_version.clone()),
            mac: non_empty(s.mac),
            prompts: Vec::new(),
        }
    }
}

#[cfg(feature = "gateway")]
impl From<ibkr_api::gateway::types::AuthStatus> for AuthStatus {
    fn from(s: ibkr_api::gateway::types::AuthStatus) -> Self {
        AuthStatus {
            authenticated: s.authenticated.unwrap_or(false),
            connected: s.connected.unwrap_or(false),
            competing: s.competing.unwrap_or(false),
            established: None,
            message: non_empty(s.message),
            fail: non_empty(s.fail),
            server_name: None,
            server_version: None,
            mac: None,
            prompts: s.prompts,
        }
    }
}

/// The answer to [`Session::tickle`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Tickle {
    /// The session id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub session: Option<String>,
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
    #[derive(Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Reauthentication {
    /// IBKR's message (the Web API answers `"triggered"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// The new status, when the variant reports it (the Gateway does).
    #[serde(default)]
    pub status: Option<AuthStatus>,
}

/// The answer to [`Session::logout`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Logout {
    /// Whether IBKR confirmed the logout (`status` on the Web API,
    /// `confirmed` on the Gateway).
    #[serde(default, alias = "status", deserialize_with = "lenient::opt_bool")]
    pub confirmed: Option<bool>,
}

/// The answer to [`Session::validate_sso`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
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

#[cfg(feature = "web")]
impl From<ibkr_api::web::types::SsoValidateResponse> for SsoValidation {
    fn from(s: ibkr_api::web::types::SsoValidateResponse) -> Self {
        SsoValidation {
            result: s.result.unwrap_or(false),
            user_id: s.user_id,
            user_name: s.user_name,
            auth_time: s.auth_time,
            expires: s.expires,
            login_type: s.login_type,
            paper_user_name: s.paper_user_name,
        }
    }
}

#[cfg(feature = "gateway")]
impl From<ibkr_api::gateway::types::SsoValidateGetResponse> for SsoValidation {
    fn from(s: ibkr_api::gateway::types::SsoValidateGetResponse) -> Self {
        SsoValidation {
            result: s.result.unwrap_or(false),
            user_id: s.user_id.map(|v| v as i64),
            user_name: s.user_name,
            auth_time: s.auth_time.map(|v| v as i64),
            expires: s.expire.map(|v| v as i64),
            login_type: s.login_type.map(|v| v as i64),
            paper_user_name: None,
        }
    }
}

impl Session<'_> {
    /// Opens a brokerage session (`POST /iserver/auth/ssodh/init`), needed
    /// before trading and market data. `publish` publishes the session to
    /// the brokerage backend; `compete` takes over a session open elsewhere
    /// (TWS, mobile). See the module docs for how the Gateway is served.
    pub async fn init_brokerage_session(&self, publish: bool, compete: bool) -> Result<AuthStatus> {
        const OP: &str = "init_brokerage_session";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body = ibkr_api::web::types::BrokerageSessionInitRequest {
                    publish: Some(publish),
                    compete: Some(compete),
                };
                self.client
                    .call(OP, api.iserver_auth_ssodh_init_post(&body))
                    .await?
                    .decode(OP, AuthStatus::from)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => {
                let body = serde_json::json!({"publish": publish, "compete": compete});
                self.client
                    .raw::<std::convert::Infallible>(
                        OP,
                        reqwest::Method::POST,
                        "/iserver/auth/ssodh/init",
                        Some(&body),
                    )
                    .await?
                    .decode(OP, |n| match n {})
            }
        }
    }

    /// The brokerage session's status (`POST /iserver/auth/status`).
    pub async fn auth_status(&self) -> Result<AuthStatus> {
        const OP: &str = "auth_status";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_auth_status_post())
                .await?
                .decode(OP, AuthStatus::from),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.iserver_auth_status_post())
                .await?
                .decode(OP, AuthStatus::from),
        }
    }

    /// Asks IBKR to re-authenticate the brokerage session (`GET
    /// /iserver/reauthenticate` on the Web API, `POST` on the Gateway).
    /// Poll [`Session::auth_status`] afterwards.
    pub async fn reauthenticate(&self) -> Result<Reauthentication> {
        const OP: &str = "reauthenticate";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_reauthenticate_get())
                .await?
                .decode_or_default(OP, |r| Reauthentication {
                    message: non_empty(r.message),
                    status: None,
                }),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let outcome = self
                    .client
                    .call(OP, api.iserver_reauthenticate_post())
                    .await?;
                match outcome {
                    crate::call::Outcome::Raw(bytes) => {
                        let status: AuthStatus = crate::call::decode_raw(OP, &bytes)?;
                        Ok(Reauthentication {
                            message: status.message.clone(),
                            status: Some(status),
                        })
                    }
                    other => other.decode_or_default(OP, |s| {
                        let status = AuthStatus::from(s);
                        Reauthentication {
                            message: status.message.clone(),
                            status: Some(status),
                        }
                    }),
                }
            }
        }
    }

    /// Ends the session (`POST /logout`).
    pub async fn logout(&self) -> Result<Logout> {
        const OP: &str = "logout";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.logout_post())
                .await?
                .decode_or_default(OP, |r| Logout {
                    confirmed: r.status,
                }),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.logout_post())
                .await?
                .decode_or_default(OP, |r| Logout {
                    confirmed: r.confirmed,
                }),
        }
    }

    /// Validates the SSO session (`GET /sso/validate`; IBKR allows one call
    /// a minute).
    pub async fn validate_sso(&self) -> Result<SsoValidation> {
        const OP: &str = "validate_sso";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.sso_validate_get())
                .await?
                .decode(OP, SsoValidation::from),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.sso_validate_get())
                .await?
                .decode(OP, SsoValidation::from),
        }
    }

    /// Keeps the session alive (`POST /tickle`; call it about every 60 s).
    ///
    /// IBKR's `{"error": …}` answer (no session) becomes
    /// [`Error::NotAuthenticated`](crate::Error::NotAuthenticated).
    ///
    /// The generated clients cannot express this answer faithfully (the
    /// Gateway's spec declares no body; the Web API's is an untagged union
    /// whose all-optional variants match any object), so the facade reads
    /// the body itself on both variants.
    pub async fn tickle(&self) -> Result<Tickle> {
        const OP: &str = "tickle";
        let outcome = self
            .client
            .raw::<std::convert::Infallible>(OP, reqwest::Method::POST, "/tickle", None)
            .await?;
        if let crate::call::Outcome::Raw(bytes) = &outcome
            && let Ok(failed) = serde_json::from_slice::<FailedWire>(bytes)
            && failed.session.is_none()
        {
            return Err(crate::Error::NotAuthenticated(failed.error));
        }
        outcome.decode_or_default(OP, |n| match n {})
    }
}

/// `{"error": "..."}` without a session.
#[derive(Deserialize)]
struct FailedWire {
    error: String,
    #[serde(default)]
    session: Option<serde_json::Value>,
}
