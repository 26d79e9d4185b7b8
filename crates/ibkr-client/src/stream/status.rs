//! Unsolicited messages: the session status (`sts`), accounts (`act`),
//! bulletins (`blt`), notifications (`ntf`), `system` messages and
//! heartbeats, and the stream's own state changes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::StreamState;
use crate::decode::LenientDeserialize;
use crate::lenient::{bool_or_false, opt_bool, opt_i64, opt_string, string_list};

/// One event of the status stream ([`StreamHandle::status`](super::StreamHandle::status)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StatusEvent {
    /// IBKR's ready message (`system` with `success`): subscriptions are
    /// served from now on.
    Ready {
        /// The username IBKR names.
        username: Option<String>,
        /// Whether it is a paper account, when said.
        paper: Option<bool>,
    },
    /// The brokerage session's status (`sts`).
    Session(SessionStatus),
    /// The account list and its properties (`act`).
    Accounts(AccountsInfo),
    /// A bulletin (`blt`).
    Bulletin(Bulletin),
    /// A notification (`ntf`).
    Notification(Notification),
    /// A heartbeat: IBKR's `system` heartbeat, or its answer to `tic`
    /// (`lastAccessed`).
    Heartbeat {
        /// IBKR's time stamp (ms since the epoch), when sent.
        at: Option<i64>,
    },
    /// IBKR's "waiting for session" text: the brokerage session is not up
    /// yet.
    WaitingForSession(String),
    /// Another `system` message, as sent.
    System(BTreeMap<String, Value>),
    /// The stream's state changed.
    State(StreamState),
    /// The socket was lost or could not be opened; the stream reconnects.
    Disconnected {
        /// Why, without any credential.
        reason: String,
    },
}

/// The brokerage session's status as `sts` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, LenientDeserialize)]
pub struct SessionStatus {
    /// Whether the brokerage session is authenticated: without it nothing
    /// is served until `ssodh/init`.
    #[serde(default, deserialize_with = "bool_or_false")]
    pub authenticated: bool,
    /// Whether another session (TWS, mobile) holds the brokerage session.
    #[serde(default, deserialize_with = "bool_or_false")]
    pub competing: bool,
    /// Whether a connection to the backend exists, when said.
    #[serde(default, deserialize_with = "opt_bool")]
    pub connected: Option<bool>,
    /// IBKR's message, if any.
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
    /// IBKR's failure reason, if any.
    #[serde(default, deserialize_with = "opt_string")]
    pub fail: Option<String>,
    /// The serving backend, when said.
    #[serde(default, rename = "serverName", deserialize_with = "opt_string")]
    pub server_name: Option<String>,
    /// The backend's version, when said.
    #[serde(default, rename = "serverVersion", deserialize_with = "opt_string")]
    pub server_version: Option<String>,
    /// The username, when said.
    #[serde(default, deserialize_with = "opt_string")]
    pub username: Option<String>,
}

/// The accounts message (`act`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct AccountsInfo {
    /// The account ids.
    #[serde(default, deserialize_with = "string_list")]
    pub accounts: Vec<String>,
    /// The selected account.
    #[serde(default, rename = "selectedAccount", deserialize_with = "opt_string")]
    pub selected: Option<String>,
    /// Account aliases by id.
    #[serde(default)]
    pub aliases: BTreeMap<String, Value>,
    /// Whether the accounts are paper accounts, when said.
    #[serde(default, rename = "isPaper", deserialize_with = "opt_bool")]
    pub paper: Option<bool>,
    /// Every other field, as sent (`acctProps`, `allowFeatures`, ...),
    /// except a `sessionId`, which is dropped: it may be a credential.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A bulletin (`blt`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct Bulletin {
    /// IBKR's id.
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    /// The text.
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A notification (`ntf`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct Notification {
    /// IBKR's id.
    #[serde(default, deserialize_with = "opt_string")]
    pub id: Option<String>,
    /// The title.
    #[serde(default, deserialize_with = "opt_string")]
    pub title: Option<String>,
    /// The text.
    #[serde(default, deserialize_with = "opt_string")]
    pub text: Option<String>,
    /// A link, when given.
    #[serde(default, deserialize_with = "opt_string")]
    pub url: Option<String>,
    /// When (ms since the epoch), when given.
    #[serde(default, deserialize_with = "opt_i64")]
    pub date: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}
