//! Market data: snapshots, historical bars (from `/iserver` and from IBKR's
//! historical market data service, HMDS), unsubscribing.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::market_data::fields;
//!
//! let md = client.market_data();
//! // The first snapshot for a conid is usually empty ("pre-flight"): repeat it.
//! let quotes = md.snapshot(&[265598], &[fields::LAST, fields::BID, fields::ASK]).await?;
//! for q in &quotes {
//!     println!("{:?}: last {:?}", q.conid, q.field_f64(fields::LAST));
//! }
//! let bars = md.history(265598, "1d", "5min", false).await?;
//! println!("{} bars", bars.data.len());
//! let hmds = md.hmds_history(265598, "1w", "1h", true).await?;
//! println!("{} bars from {:?}", hmds.data.len(), hmds.start_time);
//! md.unsubscribe_all().await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ibkr_ops::areas::market_data as ops;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::client::Client;
use crate::decode::wire::{self, Int, Key, Text, Wrapped, string_map};
use crate::error::{Error, Result, Variant};
use crate::lenient;

/// Common snapshot field codes.
pub mod fields {
    /// Last price.
    pub const LAST: &str = "31";
    /// Symbol.
    pub const SYMBOL: &str = "55";
    /// Day high.
    pub const HIGH: &str = "70";
    /// Day low.
    pub const LOW: &str = "71";
    /// Change since the close.
    pub const CHANGE: &str = "82";
    /// Change since the close, percent.
    pub const CHANGE_PERCENT: &str = "83";
    /// Bid price.
    pub const BID: &str = "84";
    /// Ask size.
    pub const ASK_SIZE: &str = "85";
    /// Ask price.
    pub const ASK: &str = "86";
    /// Volume.
    pub const VOLUME: &str = "87";
    /// Bid size.
    pub const BID_SIZE: &str = "88";
    /// Market data availability.
    pub const AVAILABILITY: &str = "6509";
}

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

/// One contract's snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// The contract id.
    pub conid: Option<i64>,
    /// The contract id with exchange (`265598@SMART`).
    pub conid_ex: Option<String>,
    /// When the data was last updated (ms since the epoch).
    pub updated: Option<i64>,
    /// Field values by field code (see [`fields`]), as IBKR's text
    /// (prices may carry a `C` prefix for a closing price).
    pub fields: BTreeMap<String, String>,
}

/// IBKR's snapshot (`{"conid": …, "conidEx": …, "_updated": …, "31": …}`),
/// or the form a [`Snapshot`] serializes to.
impl<'de> Deserialize<'de> for Snapshot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(SnapshotVisitor)
    }
}

struct SnapshotVisitor;

/// The `fields` of a serialized [`Snapshot`].
#[derive(Deserialize)]
#[serde(transparent)]
struct Fields(#[serde(deserialize_with = "string_map")] BTreeMap<String, String>);

impl<'de> Visitor<'de> for SnapshotVisitor {
    type Value = Snapshot;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Snapshot, A::Error> {
        let mut s = Snapshot::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "conid" => s.conid = map.next_value::<Int>()?.0,
                "conidEx" | "conid_ex" => s.conid_ex = map.next_value::<Text>()?.0,
                "_updated" | "updated" => s.updated = map.next_value::<Int>()?.0,
                "fields" => s.fields.extend(map.next_value::<Fields>()?.0),
                _ => {
                    if let Some(text) = map.next_value::<Text>()?.0 {
                        s.fields.insert(key.into_owned(), text);
                    }
                }
            }
        }
        Ok(s)
    }
}

impl Snapshot {
    /// A field's text, by code.
    pub fn field(&self, code: &str) -> Option<&str> {
        self.fields.get(code).map(String::as_str)
    }

    /// A field as a number (`"C189.5"`, `"1,234"` and `"12%"` are read;
    /// `"N/A"` and `""` are `None`).
    pub fn field_f64(&self, code: &str) -> Option<f64> {
        self.field(code).and_then(lenient::parse_f64)
    }
}

/// Historical bars (`/iserver/marketdata/history`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct History {
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The contract's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
    /// The bars, oldest first.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub data: Vec<Bar>,
    /// The bar length in seconds.
    #[serde(default, rename = "barLength", deserialize_with = "lenient::opt_i64")]
    pub bar_length: Option<i64>,
    /// Market data availability code.
    #[serde(
        default,
        rename = "mdAvailability",
        deserialize_with = "lenient::opt_string"
    )]
    pub md_availability: Option<String>,
    /// Whether bars outside regular trading hours are included.
    #[serde(default, rename = "outsideRth", deserialize_with = "lenient::opt_bool")]
    pub outside_rth: Option<bool>,
}

/// One bar.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Bar {
    /// Start time (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub t: Option<i64>,
    /// Open.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub o: Option<f64>,
    /// High.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub h: Option<f64>,
    /// Low.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub l: Option<f64>,
    /// Close.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub c: Option<f64>,
    /// Volume.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub v: Option<f64>,
}

/// Historical bars from IBKR's historical market data service
/// ([`MarketData::hmds_history`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct HmdsHistory {
    /// The bars, oldest first.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub data: Vec<Bar>,
    /// The first bar's time (`YYYYMMDD-HH:mm:ss`).
    #[serde(
        default,
        rename = "startTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub start_time: Option<String>,
    /// The first bar's time (ms since the epoch).
    #[serde(
        default,
        rename = "startTimeVal",
        deserialize_with = "lenient::opt_i64"
    )]
    pub start_time_val: Option<i64>,
    /// The end of the last bar (`YYYYMMDD-HH:mm:ss`).
    #[serde(default, rename = "endTime", deserialize_with = "lenient::opt_string")]
    pub end_time: Option<String>,
    /// The end of the last bar (ms since the epoch).
    #[serde(default, rename = "endTimeVal", deserialize_with = "lenient::opt_i64")]
    pub end_time_val: Option<i64>,
    /// The number of bars.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub points: Option<i64>,
    /// The market data delay (ms), 0 for live data.
    #[serde(
        default,
        rename = "mktDataDelay",
        deserialize_with = "lenient::opt_i64"
    )]
    pub mkt_data_delay: Option<i64>,
}

wire::wrapper!(
    /// `{"bars": {…}}`, the answer of `/hmds/history` as the Gateway's
    /// spec describes it (IBKR sends the bars flat).
    HmdsBars, "bars" => HmdsHistory
);

/// The answer to [`MarketData::unsubscribe`] and
/// [`MarketData::unsubscribe_all`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Unsubscribed {
    /// Whether IBKR confirmed (`success`, `confirmed` or `unsubscribed`).
    #[serde(
        default,
        alias = "success",
        alias = "unsubscribed",
        deserialize_with = "lenient::opt_bool"
    )]
    pub confirmed: Option<bool>,
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
    conid: i64,
}

impl MarketData<'_> {
    /// A snapshot of `fields` (codes, see [`fields`]) for each contract
    /// (`GET /iserver/marketdata/snapshot?conids=1,2&fields=31,84`). The
    /// first request for a contract usually returns no values; repeat it.
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

    /// Historical bars (`GET /iserver/marketdata/history`): `period` like
    /// `1d`, `1w`, `1m`; `bar` like `1min`, `5min`, `1h`, `1d`. IBKR allows
    /// at most 5 of these requests in flight; the client's pacer holds the
    /// sixth until one of the five has been read.
    pub async fn history(
        &self,
        conid: i64,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<History> {
        self.client
            .op(&ops::HISTORY)?
            .query("conid", conid)
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
        conid: i64,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<HmdsHistory> {
        duration_code("period", period)?;
        duration_code("bar", bar)?;
        let history = self
            .client
            .op(&ops::HMDS_HISTORY)?
            .query("conid", conid)
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
    pub async fn unsubscribe(&self, conid: i64) -> Result<Unsubscribed> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_read_ibkrs_form_and_their_own() {
        let ibkr = r#"{"conid":"265598","conidEx":"265598@SMART","_updated":1700000000000,
            "31":"C190.5","84":190.4,"86":"N/A","6509":"RpB","server_id":"q0"}"#;
        let s: Snapshot = serde_json::from_str(ibkr).unwrap();
        assert_eq!(s.conid, Some(265598));
        assert_eq!(s.conid_ex.as_deref(), Some("265598@SMART"));
        assert_eq!(s.updated, Some(1_700_000_000_000));
        assert_eq!(s.field_f64(fields::LAST), Some(190.5));
        assert_eq!(s.field(fields::BID), Some("190.4"));
        assert_eq!(s.field(fields::ASK), None);
        assert_eq!(s.field("server_id"), Some("q0"));
        let again: Snapshot = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn hmds_bars_flat_or_wrapped() {
        let flat = r#"{"points":2,"data":[{"t":1,"c":"1.5"},{"t":2,"c":2}]}"#;
        for body in [flat.to_string(), format!(r#"{{"bars":{flat}}}"#)] {
            let h: Wrapped<HmdsBars, HmdsHistory> = serde_json::from_str(&body).unwrap();
            let h = h.into_inner();
            assert_eq!(h.points, Some(2), "{body}");
            assert_eq!(h.data[0].c, Some(1.5));
        }
    }
}
