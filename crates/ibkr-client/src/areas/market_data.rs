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

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::call::{Outcome, to_body};
use crate::client::{Backend, Client};
use crate::error::{Error, Result};
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
    client: &'a Client,
}

impl Client {
    /// Market data: snapshots, history, unsubscribing.
    pub fn market_data(&self) -> MarketData<'_> {
        MarketData { client: self }
    }
}

/// One contract's snapshot.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "BTreeMap<String, Value>")]
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

impl From<BTreeMap<String, Value>> for Snapshot {
    fn from(map: BTreeMap<String, Value>) -> Self {
        let mut s = Snapshot::default();
        for (key, value) in map {
            match key.as_str() {
                "conid" => s.conid = lenient::value_i64(&value),
                "conidEx" => s.conid_ex = lenient::value_string(&value),
                "_updated" => s.updated = lenient::value_i64(&value),
                "fields" => {
                    // Already-flattened form (a serialized `Snapshot`).
                    if let Value::Object(inner) = value {
                        for (k, v) in inner {
                            if let Some(text) = lenient::value_string(&v) {
                                s.fields.insert(k, text);
                            }
                        }
                    }
                }
                "conid_ex" => s.conid_ex = lenient::value_string(&value),
                "updated" => s.updated = lenient::value_i64(&value),
                _ => {
                    if let Some(text) = lenient::value_string(&value) {
                        s.fields.insert(key, text);
                    }
                }
            }
        }
        s
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

/// The answer of `/hmds/history`: flat as IBKR sends it, or wrapped in
/// `bars` as the Gateway spec describes it.
#[derive(Debug, Default, Deserialize)]
struct HmdsWire {
    #[serde(default)]
    bars: Option<HmdsHistory>,
    #[serde(flatten)]
    flat: HmdsHistory,
}

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

impl MarketData<'_> {
    /// A snapshot of `fields` (codes, see [`fields`]) for each contract
    /// (`GET /iserver/marketdata/snapshot`). The first request for a
    /// contract usually returns no values; repeat it.
    ///
    /// On the Web API the request is sent by the facade itself: the spec
    /// models `fields` as a single value, which cannot carry a list.
    pub async fn snapshot(&self, conids: &[i64], fields: &[&str]) -> Result<Vec<Snapshot>> {
        const OP: &str = "snapshot";
        if conids.is_empty() {
            return Err(Error::InvalidArgument(
                "snapshot needs at least one conid".into(),
            ));
        }
        let conids = conids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fields = field_list(fields)?;
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { .. } => {
                let mut path = format!("/iserver/marketdata/snapshot?conids={conids}");
                if !fields.is_empty() {
                    path.push_str("&fields=");
                    path.push_str(&fields);
                }
                self.client
                    .raw::<Value>(OP, reqwest::Method::GET, &path, None)
                    .await?
                    .json_list(OP)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let fields = (!fields.is_empty()).then_some(fields.as_str());
                self.client
                    .call(
                        OP,
                        api.iserver_marketdata_snapshot_get(&conids, fields, None),
                    )
                    .await?
                    .json_list(OP)
            }
        }
    }

    /// Historical bars (`GET /iserver/marketdata/history`): `period` like
    /// `1d`, `1w`, `1m`; `bar` like `1min`, `5min`, `1h`, `1d`. IBKR allows
    /// at most 5 of these requests in flight.
    pub async fn history(
        &self,
        conid: i64,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<History> {
        const OP: &str = "history";
        let conid = conid.to_string();
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(
                    OP,
                    api.iserver_marketdata_history_get(
                        bar,
                        &conid,
                        None,
                        Some(outside_rth),
                        period,
                        None,
                    ),
                )
                .await?
                .json(OP),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(
                    OP,
                    api.iserver_marketdata_history_get(
                        Some(bar),
                        &conid,
                        None,
                        Some(outside_rth),
                        period,
                    ),
                )
                .await?
                .json(OP),
        }
    }

    /// Historical bars from IBKR's historical market data service
    /// (`GET /hmds/history`): `period` like `1d`, `1w`, `1m`, `1y`; `bar`
    /// like `1min`, `5min`, `1h`, `1d`. It serves longer periods than
    /// [`MarketData::history`].
    ///
    /// On the Gateway the request is sent by the facade itself: the spec
    /// allows only a unit (`min`, `d`) for `period` and `bar`, not a count
    /// such as `5min`.
    pub async fn hmds_history(
        &self,
        conid: i64,
        period: &str,
        bar: &str,
        outside_rth: bool,
    ) -> Result<HmdsHistory> {
        const OP: &str = "hmds_history";
        duration_code("period", period)?;
        duration_code("bar", bar)?;
        let wire: HmdsWire = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let conid = conid.to_string();
                self.client
                    .call(
                        OP,
                        api.hmds_history_get(
                            bar,
                            None,
                            &conid,
                            None,
                            Some(outside_rth),
                            period,
                            None,
                        ),
                    )
                    .await?
                    .json(OP)?
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => {
                let path = format!(
                    "/hmds/history?conid={conid}&period={period}&bar={bar}&outsideRth={outside_rth}"
                );
                self.client
                    .raw::<Value>(OP, reqwest::Method::GET, &path, None)
                    .await?
                    .json(OP)?
            }
        };
        Ok(wire.bars.unwrap_or(wire.flat))
    }

    /// Stops streaming data for one contract (Web API: `POST
    /// /iserver/marketdata/unsubscribe`; Gateway: `GET
    /// /iserver/marketdata/{conid}/unsubscribe`).
    pub async fn unsubscribe(&self, conid: i64) -> Result<Unsubscribed> {
        const OP: &str = "unsubscribe";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body: ibkr_api::web::types::IserverMarketdataUnsubscribePostBody =
                    to_body(OP, json!({ "conid": conid }))?;
                self.client
                    .call(OP, api.iserver_marketdata_unsubscribe_post(&body))
                    .await?
                    .decode_or_default(OP, |r| Unsubscribed {
                        confirmed: r.success,
                    })
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let conid = conid.to_string();
                match self
                    .client
                    .call(OP, api.iserver_marketdata_conid_unsubscribe_get(&conid))
                    .await?
                {
                    Outcome::Typed(r) => Ok(Unsubscribed {
                        confirmed: r
                            .confirmed
                            .as_ref()
                            .and_then(|c| lenient::value_bool(&json!(c))),
                    }),
                    other => other.decode_or_default(OP, |_| Unsubscribed::default()),
                }
            }
        }
    }

    /// Stops all market data streams (`GET /iserver/marketdata/unsubscribeall`).
    pub async fn unsubscribe_all(&self) -> Result<Unsubscribed> {
        const OP: &str = "unsubscribe_all";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_marketdata_unsubscribeall_get())
                .await?
                .decode_or_default(OP, |r| Unsubscribed {
                    confirmed: r.unsubscribed,
                }),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.iserver_marketdata_unsubscribeall_get())
                .await?
                .decode_or_default(OP, |r| Unsubscribed {
                    confirmed: r.confirmed,
                }),
        }
    }
}
