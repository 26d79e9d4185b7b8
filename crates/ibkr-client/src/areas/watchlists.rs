//! Watchlists (`/iserver/watchlists`, `/iserver/watchlist`): a Web API
//! feature; on the Gateway every method returns
//! [`Error::Unsupported`](crate::Error::Unsupported).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let lists = client.watchlists();
//! lists.create("1234", "Tech", &[265598, 272093]).await?;
//! for list in lists.list().await? {
//!     println!("{:?} {:?}", list.id, list.name);
//! }
//! let tech = lists.get("1234").await?;
//! println!("{} instruments", tech.instruments.len());
//! lists.delete("1234").await?;
//! # Ok(()) }
//! ```

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};

#[cfg(feature = "web")]
use crate::client::Backend;
use crate::client::Client;
use crate::error::Result;
use crate::lenient;

#[allow(unused_imports)]
use crate::call::{to_body, via_json};

/// Watchlist operations, from [`Client::watchlists`].
#[derive(Debug, Clone, Copy)]
pub struct Watchlists<'a> {
    client: &'a Client,
}

impl Client {
    /// Watchlists (Web API only).
    pub fn watchlists(&self) -> Watchlists<'_> {
        Watchlists { client: self }
    }
}

/// A watchlist in the list of all.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct WatchlistSummary {
    /// The id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Last modification (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub modified: Option<i64>,
    /// Whether it is IBKR's and cannot be changed.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub read_only: bool,
}

/// The list of all: `{"data": {"user_lists": [...]}}`.
#[cfg_attr(not(feature = "web"), allow(dead_code))]
#[derive(Debug, Default)]
struct Summaries(Vec<WatchlistSummary>);

impl<'de> Deserialize<'de> for Summaries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let list = v
            .pointer("/data/user_lists")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        serde_json::from_value(list)
            .map(Summaries)
            .map_err(serde::de::Error::custom)
    }
}

/// A contract in a watchlist.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "serde_json::Map<String, Value>")]
pub struct WatchlistInstrument {
    /// The contract id (`conid`, or `C` as text).
    pub conid: Option<i64>,
    /// The ticker.
    pub ticker: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The asset class (`assetClass`, or `ST`).
    pub asset_class: Option<String>,
}

impl From<serde_json::Map<String, Value>> for WatchlistInstrument {
    fn from(m: serde_json::Map<String, Value>) -> Self {
        // IBKR sends both `conid` and `C` (and `assetClass` and `ST`).
        let first = |keys: &[&str]| keys.iter().find_map(|k| m.get(*k));
        WatchlistInstrument {
            conid: first(&["conid", "C"]).and_then(lenient::value_i64),
            ticker: first(&["ticker"]).and_then(lenient::value_string),
            name: first(&["name"]).and_then(lenient::value_string),
            asset_class: first(&["assetClass", "asset_class", "ST"])
                .and_then(lenient::value_string),
        }
    }
}

/// A watchlist with its contracts.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Watchlist {
    /// The id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Whether it cannot be changed.
    #[serde(
        default,
        rename = "readOnly",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub read_only: bool,
    /// The contracts (creating answers with none).
    #[serde(default, deserialize_with = "instruments")]
    pub instruments: Vec<WatchlistInstrument>,
}

/// Instruments as objects; bare strings (the create answer) are skipped.
fn instruments<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<WatchlistInstrument>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter(Value::is_object)
            .filter_map(|i| serde_json::from_value(i).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// The delete answer: `{"data": {"deleted": "ID"}}`.
#[cfg_attr(not(feature = "web"), allow(dead_code))]
#[derive(Debug, Default, Deserialize)]
struct Deleted {
    #[serde(default)]
    data: Option<DeletedData>,
}

#[cfg_attr(not(feature = "web"), allow(dead_code))]
#[derive(Debug, Default, Deserialize)]
struct DeletedData {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    deleted: Option<String>,
}

impl Watchlists<'_> {
    /// All watchlists (`GET /iserver/watchlists`).
    pub async fn list(&self) -> Result<Vec<WatchlistSummary>> {
        const OP: &str = "watchlists.list";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_watchlists_get(None))
                .await?
                .try_decode(OP, |t| via_json::<_, Summaries>(OP, &t))
                .map(|s: Summaries| s.0),
            #[allow(unreachable_patterns)]
            _ => Err(self.client.unsupported(OP)),
        }
    }

    /// One watchlist with its contracts (`GET /iserver/watchlist?id=`).
    #[cfg_attr(not(feature = "web"), allow(unused_variables))]
    pub async fn get(&self, id: &str) -> Result<Watchlist> {
        const OP: &str = "watchlists.get";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_watchlist_get(id))
                .await?
                .try_decode(OP, |t| via_json(OP, &t)),
            #[allow(unreachable_patterns)]
            _ => Err(self.client.unsupported(OP)),
        }
    }

    /// Creates (or replaces) watchlist `id` named `name` holding stocks
    /// `conids` (`POST /iserver/watchlist`).
    #[cfg_attr(not(feature = "web"), allow(unused_variables))]
    pub async fn create(&self, id: &str, name: &str, conids: &[i64]) -> Result<Watchlist> {
        const OP: &str = "watchlists.create";
        let rows: Vec<Value> = conids.iter().map(|c| json!({"C": c})).collect();
        #[allow(unused_variables)]
        let body = json!({"id": id, "name": name, "rows": rows});
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body: ibkr_api::web::types::IserverWatchlistPostBody = to_body(OP, body)?;
                self.client
                    .call(OP, api.iserver_watchlist_post(&body))
                    .await?
                    .try_decode(OP, |t| via_json(OP, &t))
            }
            #[allow(unreachable_patterns)]
            _ => Err(self.client.unsupported(OP)),
        }
    }

    /// Deletes watchlist `id`; returns the deleted id
    /// (`DELETE /iserver/watchlist?id=`).
    #[cfg_attr(not(feature = "web"), allow(unused_variables))]
    pub async fn delete(&self, id: &str) -> Result<String> {
        const OP: &str = "watchlists.delete";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let deleted: Deleted = self
                    .client
                    .call(OP, api.iserver_watchlist_delete(id))
                    .await?
                    .try_decode(OP, |t| via_json(OP, &t))?;
                Ok(deleted
                    .data
                    .and_then(|d| d.deleted)
                    .unwrap_or_else(|| id.to_string()))
            }
            #[allow(unreachable_patterns)]
            _ => Err(self.client.unsupported(OP)),
        }
    }
}
