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

pub use ibkr_model::areas::watchlists::*;

use ibkr_ops::areas::watchlists as ops;

use super::ids::Conid;
use serde::Serialize;

use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::Result;
use crate::lenient;

/// Watchlist operations, from [`Client::watchlists`].
#[derive(Debug, Clone, Copy)]
pub struct Watchlists<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Watchlists (Web API only).
    pub fn watchlists(&self) -> Watchlists<'_> {
        Watchlists { client: self }
    }
}

/// The list of all: `{"data": {"user_lists": [...]}}`.
#[derive(Debug, Default, LenientDeserialize)]
struct Summaries {
    #[serde(default)]
    data: Option<SummariesData>,
}

#[derive(Debug, Default, LenientDeserialize)]
struct SummariesData {
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    user_lists: Vec<WatchlistSummary>,
}

/// The delete answer: `{"data": {"deleted": "ID"}}`.
#[derive(Debug, Default, LenientDeserialize)]
struct Deleted {
    #[serde(default)]
    data: Option<DeletedData>,
}

#[derive(Debug, Default, LenientDeserialize)]
struct DeletedData {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    deleted: Option<String>,
}

/// `{"id": …, "name": …, "rows": [{"C": conid}, …]}`
#[derive(Serialize)]
struct CreateBody<'a> {
    id: &'a str,
    name: &'a str,
    rows: Vec<Row>,
}

impl Watchlists<'_> {
    /// All watchlists (`GET /iserver/watchlists`).
    pub async fn list(&self) -> Result<Vec<WatchlistSummary>> {
        let all: Summaries = self.client.op(&ops::LIST)?.fetch().await?;
        Ok(all.data.map(|d| d.user_lists).unwrap_or_default())
    }

    /// One watchlist with its contracts (`GET /iserver/watchlist?id=`).
    pub async fn get(&self, id: &str) -> Result<Watchlist> {
        self.client.op(&ops::GET)?.query("id", id).fetch().await
    }

    /// Creates (or replaces) watchlist `id` named `name` holding stocks
    /// `conids` (`POST /iserver/watchlist`).
    pub async fn create(&self, id: &str, name: &str, conids: &[i64]) -> Result<Watchlist> {
        let rows = conids
            .iter()
            .map(|&conid| Row {
                conid: Conid(conid),
            })
            .collect();
        self.client
            .op(&ops::CREATE)?
            .json(&CreateBody { id, name, rows })?
            .fetch()
            .await
    }

    /// Deletes watchlist `id`; returns the deleted id
    /// (`DELETE /iserver/watchlist?id=`).
    pub async fn delete(&self, id: &str) -> Result<String> {
        let deleted: Deleted = self
            .client
            .op(&ops::DELETE)?
            .query("id", id)
            .fetch_or_default()
            .await?;
        Ok(deleted
            .data
            .and_then(|d| d.deleted)
            .unwrap_or_else(|| id.to_string()))
    }
}
