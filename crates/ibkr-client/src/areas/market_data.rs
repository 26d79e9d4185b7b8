//! Market data: snapshots, historical bars (from `/iserver` and from IBKR's
//! historical market data service, HMDS), unsubscribing.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::market_data::{SnapshotPrice, fields};
//!
//! let md = client.market_data();
//! // The first snapshot for a conid is usually empty ("pre-flight"):
//! // `snapshot_ready` repeats it (at most 5 requests here) until it has values.
//! let quotes = md
//!     .snapshot_ready(&[265598], &[fields::LAST, fields::BID, fields::ASK], 5)
//!     .await?;
//! for q in &quotes {
//!     match q.last() {
//!         Some(SnapshotPrice::Live(last)) => println!("{:?}: last {last}", q.conid),
//!         Some(SnapshotPrice::PriorClose(close)) => println!("{:?}: no trade yet, closed at {close}", q.conid),
//!         Some(SnapshotPrice::Halted(last)) => println!("{:?}: halted at {last}", q.conid),
//!         None => println!("{:?}: no last price", q.conid),
//!     }
//! }
//! let bars = md.history(265598, "1d", "5min", false).await?;
//! println!("{} bars", bars.data.len());
//! let hmds = md.hmds_history(265598, "1w", "1h", true).await?;
//! println!("{} bars from {:?}", hmds.data.len(), hmds.start_time);
//! md.unsubscribe_all().await?;
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::market_data::*;

use std::collections::BTreeMap;

use ibkr_ops::areas::market_data as ops;
use std::time::Duration;

use super::ids::Conid;
use crate::client::Client;
use serde::Serialize;

use crate::decode::wire::Wrapped;
use crate::error::{Error, Result, Variant};

/// Market data operations, from [`Client::market_data`].
#[derive(Debug, Clone, Copy)]
pub struct MarketData<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Market data: snapshots, history, unsubscribing.
    pub fn market_data(&self) -> MarketData<'_> {
        MarketData { client: self }
    }
}

/// Checks field codes before they go into a query string.
fn field_list(codes: &[&str]) -> Result<String> {
    if let Some(bad) = codes
        .iter()
        .find(|c| c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
    {
        return Err(Error::InvalidArgument(format!(
            "invalid field code {bad:?}"
        )));
    }
    Ok(codes.join(","))
}

/// Checks a period or bar size (`1d`, `5min`) before it goes into a query
/// string.
fn duration_code(what: &str, code: &str) -> Result<()> {
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::InvalidArgument(format!("invalid {what} {code:?}")));
    }
    Ok(())
}

/// `{"conid": …}`
#[derive(Serialize)]
struct ConidBody {
    conid: Conid,
}

/// How long [`MarketData::snapshot_ready`] waits before its second request,
/// and before each later one.
const PREFLIGHT_WAITS: [Duration; 2] = [Duration::from_millis(100), Duration::from_millis(500)];

impl MarketData<'_> {
    /// A snapshot of `fields` (codes, see [`fields`]) for each contract
    /// (`GET /iserver/marketdata/snapshot?conids=1,2&fields=31,84`). The
    /// first request for a contract usually returns no values (IBKR's
    /// pre-flight): [`MarketData::snapshot_ready`] repeats it for you.
    pub async fn snapshot(&self, conids: &[i64], fields: &[&str]) -> Result<Vec<Snapshot>> {
        if conids.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{} needs at least one conid",
                ops::SNAPSHOT.name
            )));
        }
        let conids = conids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fields = field_list(fields)?;
        self.client
            .op(&ops::SNAPSHOT)?
            .query("conids", conids)
            .query_opt("fields", (!fields.is_empty()).then_some(fields))
            .fetch_list()
            .await
    }

    /// A snapshot with values: requests [`MarketData::snapshot`] until
    /// every contract's answer carries one of `fields` (any market value
    /// when `fields` is empty), at most `max_attempts` times (at least 1),
    /// asking again only for the contracts still without values. IBKR
    /// answers the first request for a contract with no values (its
    /// pre-flight, which subscribes); the second request comes 100 ms
    /// later, each further one 500 ms after the previous, and each waits
    /// for its slot under the client's pacing like any request.
    ///
    /// The snapshots come in the order of `conids` (one per contract IBKR
    /// answered for); after `max_attempts` a contract still without values
    /// is given as IBKR last answered it (see [`Snapshot::has_values`]).
    pub async fn snapshot_ready(
        &self,
        conids: &[i64],
        fields: &[&str],
        max_attempts: u32,
    ) -> Result<Vec<Snapshot>> {
        if max_attempts == 0 {
            return Err(Error::InvalidArgument(format!(
                "{}: max_attempts must be at least 1",
                ops::SNAPSHOT.name
            )));
        }
        let mut latest: BTreeMap<i64, Snapshot> = BTreeMap::new();
        let mut missing: Vec<i64> = Vec::with_capacity(conids.len());
        for &conid in conids {
            if !missing.contains(&conid) {
                missing.push(conid);
            }
        }
        for attempt in 0..max_attempts {
            if attempt > 0 {
                let wait = PREFLIGHT_WAITS[usize::from(attempt > 1)];
                tokio::time::sleep(wait).await;
            }
            for snap in self.snapshot(&missing, fields).await? {
                if let Some(conid) = snap.conid {
                    latest.insert(conid.get(), snap);
                }
            }
            missing.retain(|c| !latest.get(c).is_some_and(|s| s.has_values(fields)));
            if missing.is_empty() {
                break;
            }
        }
        let mut out = Vec::with_capacity(latest.len());
        for conid in conids {
            if let Some(snap) = latest.remove(conid) {
                out.push(snap);
            }
        }
        Ok(out)
    }

    /// Historical bars (`GET /iserver/marketdata/history`): `period` like
    /// `1d`, `1w`, `1m`; `bar` like `1min`, `5min`, `1h`, `1d`. IBKR allows
    /// at most 5 of these requests in flight; the client's pacer holds the
    /// sixth until one of the five has been read.
    pub async fn history(
        &self,
        conid: impl Into<Conid>,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<History> {
        self.client
            .op(&ops::HISTORY)?
            .query("conid", Into::<Conid>::into(conid))
            .query("period", period)
            .query("bar", bar)
            .query("outsideRth", outside_rth)
            .fetch_or_default()
            .await
    }

    /// Historical bars from IBKR's historical market data service
    /// (`GET /hmds/history`): `period` like `1d`, `1w`, `1m`, `1y`; `bar`
    /// like `1min`, `5min`, `1h`, `1d`. It serves longer periods than
    /// [`MarketData::history`].
    ///
    /// IBKR sends the bars flat; the Gateway's spec describes them wrapped
    /// in `{"bars": {…}}`. Both shapes are read.
    pub async fn hmds_history(
        &self,
        conid: impl Into<Conid>,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<HmdsHistory> {
        duration_code("period", period)?;
        duration_code("bar", bar)?;
        let history = self
            .client
            .op(&ops::HMDS_HISTORY)?
            .query("conid", Into::<Conid>::into(conid))
            .query("period", period)
            .query("bar", bar)
            .query("outsideRth", outside_rth)
            .fetch_or_default::<Wrapped<HmdsBars, HmdsHistory>>()
            .await?;
        Ok(history.into_inner())
    }

    /// Stops streaming data for one contract (Web API: `POST
    /// /iserver/marketdata/unsubscribe`; Gateway: `GET
    /// /iserver/marketdata/{conid}/unsubscribe`).
    pub async fn unsubscribe(&self, conid: impl Into<Conid>) -> Result<Unsubscribed> {
        let conid: Conid = conid.into();
        let call = self.client.op(&ops::UNSUBSCRIBE)?;
        // The one request that differs by variant beyond its route: the
        // Web API takes the conid in a body, the Gateway in the path.
        let call = match self.client.variant() {
            Variant::Web => call.json(&ConidBody { conid })?,
            Variant::Gateway => call.arg(conid)?,
        };
        call.fetch_or_default().await
    }

    /// Stops all market data streams (`GET /iserver/marketdata/unsubscribeall`).
    pub async fn unsubscribe_all(&self) -> Result<Unsubscribed> {
        self.client
            .op(&ops::UNSUBSCRIBE_ALL)?
            .fetch_or_default()
            .await
    }
}
