//! The data types of `ibkr_client::areas::account_management::sso`, with their lenient decoders
//! (re-exported there).

use super::Extra;
use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

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
