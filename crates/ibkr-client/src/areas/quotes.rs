//! Quotes outside the `/iserver` market data session: IBKR's regulatory
//! snapshot (`GET /md/regsnapshot`, the Web API) and the Gateway's
//! market data snapshot (`GET /md/snapshot`). Each is served by one
//! variant; the other answers [`Error::Unsupported`].
//! The usual streaming-backed snapshot of both variants is
//! [`MarketData::snapshot`](super::market_data::MarketData::snapshot).
//!
//! **A regulatory snapshot costs money**: IBKR bills every call
//! (USD 0.01 a request at the time of writing), whatever the account's
//! market data subscriptions, and the call itself cannot tell what it
//! cost. Call it deliberately, never in a polling loop.
//!
//! Answers are [`Snapshot`]s: field values by IBKR's field code (see
//! [`fields`](super::market_data::fields)).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::market_data::fields;
//!
//! // Web API: billed by IBKR for each call.
//! let nbbo = client.quotes().regulatory_snapshot(265598).await?;
//! println!("bid {:?} ask {:?}", nbbo.field(fields::BID), nbbo.field(fields::ASK));
//! // Gateway: conid, optionally with exchange and instrument type.
//! let quotes = client
//!     .quotes()
//!     .snapshot(&["265598@SMART:CS", "8314"], &[fields::LAST, fields::BID])
//!     .await?;
//! println!("{} quotes", quotes.len());
//! # Ok(()) }
//! ```

use super::market_data::Snapshot;
use crate::client::Client;
use crate::error::{Error, Result};
use ibkr_ops::areas::quotes as ops;

/// Quote operations, from [`Client::quotes`].
#[derive(Debug, Clone, Copy)]
pub struct Quotes<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The regulatory snapshot (Web API; billed per call) and the
    /// Gateway's `/md/snapshot`.
    pub fn quotes(&self) -> Quotes<'_> {
        Quotes { client: self }
    }
}

/// `items` joined with commas, after checking each is non-empty and made
/// of `allowed` characters only (nothing that could split a query value).
fn joined(
    op: &'static str,
    what: &str,
    items: &[&str],
    allowed: fn(char) -> bool,
) -> Result<String> {
    match items
        .iter()
        .find(|i| i.is_empty() || !i.chars().all(allowed))
    {
        Some(bad) => Err(Error::InvalidArgument(format!(
            "{op}: invalid {what} {bad:?}"
        ))),
        None => Ok(items.join(",")),
    }
}

impl Quotes<'_> {
    /// A regulatory snapshot of one contract: the consolidated best bid,
    /// ask and last across exchanges (`GET /md/regsnapshot?conid=…`; Web
    /// API).
    ///
    /// **IBKR charges for every call** (USD 0.01 a request at the time of
    /// writing), even without a market data subscription; nothing in the
    /// answer says what it cost. It is therefore sent exactly once, like a
    /// write: a transient failure is returned, never retried behind your
    /// back (a retry would be billed again).
    pub async fn regulatory_snapshot(&self, conid: i64) -> Result<Snapshot> {
        if conid <= 0 {
            return Err(Error::InvalidArgument(format!(
                "{}: invalid conid {conid}",
                ops::REGULATORY_SNAPSHOT.name
            )));
        }
        self.client
            .op(&ops::REGULATORY_SNAPSHOT)?
            .query("conid", conid)
            .fetch()
            .await
    }

    /// A snapshot of `fields` (codes, see
    /// [`fields`](super::market_data::fields); empty for IBKR's default
    /// set) for each contract, written `conid` or
    /// `conid@exchange:instrType` (`265598@SMART:CS`; types `CS`, `OPT`,
    /// `FUT`, `FOP`, `WAR`, `BOND`, `FUND`, `CASH`, `CFD`, `IND`)
    /// (`GET /md/snapshot`; Gateway). Like the `/iserver` snapshot, the
    /// first request for a contract starts the data and may come back
    /// without values: repeat it.
    pub async fn snapshot(&self, contracts: &[&str], fields: &[&str]) -> Result<Vec<Snapshot>> {
        let op = ops::SNAPSHOT.name;
        if contracts.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{op} needs at least one contract"
            )));
        }
        let contracts = joined(op, "contract", contracts, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '@' | ':' | '.' | '-' | '_')
        })?;
        let fields = joined(op, "field code", fields, |c| {
            c.is_ascii_alphanumeric() || c == '_'
        })?;
        self.client
            .op(&ops::SNAPSHOT)?
            .query("conids", contracts)
            .query_opt("fields", (!fields.is_empty()).then_some(fields))
            .fetch_list()
            .await
    }
}
