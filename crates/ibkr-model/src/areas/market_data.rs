//! The data types of `ibkr_client::areas::market_data`, with their lenient decoders
//! (re-exported there).

use std::collections::BTreeMap;
use std::fmt;

use super::ids::Conid;
use crate::decode::LenientDeserialize;
use crate::decode::wire::{self, ConidField, Int, Key, Text, string_map};
use crate::lenient;
use rust_decimal::Decimal;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

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
    /// Server id of the subscription (metadata, not a market value).
    pub const SERVER_ID: &str = "6119";
    /// Market data availability.
    pub const AVAILABILITY: &str = "6509";
    /// Last size.
    pub const LAST_SIZE: &str = "7059";
    /// Today's opening price.
    pub const OPEN: &str = "7295";
    /// Today's closing price.
    pub const CLOSE: &str = "7296";
    /// The prior session's close.
    pub const PRIOR_CLOSE: &str = "7741";
}

/// A price field of a [`Snapshot`], with what IBKR says it is: a live
/// price, or, when IBKR prefixes it, the prior close (`C189.50`: no trade
/// yet today) or the last price before a halt (`H189.50`). The variants
/// keep a prior close from passing for a live price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum SnapshotPrice {
    /// A live price.
    Live(Decimal),
    /// The prior close (IBKR's `C` prefix): there was no trade yet today.
    PriorClose(Decimal),
    /// Trading is halted (IBKR's `H` prefix); the last price before.
    Halted(Decimal),
}

impl SnapshotPrice {
    /// Reads IBKR's text: `189.50`, `C189.50`, `H189.50` (with the number
    /// forms [`lenient::parse_decimal`] reads); `None` for no value or
    /// text that is not a price.
    pub fn parse(text: &str) -> Option<SnapshotPrice> {
        let t = text.trim();
        match t.as_bytes().first() {
            Some(b'C') => lenient::parse_decimal(&t[1..]).map(SnapshotPrice::PriorClose),
            Some(b'H') => lenient::parse_decimal(&t[1..]).map(SnapshotPrice::Halted),
            _ => lenient::parse_decimal(t).map(SnapshotPrice::Live),
        }
    }

    /// The price, whatever its kind.
    pub fn value(self) -> Decimal {
        match self {
            SnapshotPrice::Live(d) | SnapshotPrice::PriorClose(d) | SnapshotPrice::Halted(d) => d,
        }
    }

    /// The price if it is live, `None` for a prior close or a halt.
    pub fn live(self) -> Option<Decimal> {
        match self {
            SnapshotPrice::Live(d) => Some(d),
            SnapshotPrice::PriorClose(_) | SnapshotPrice::Halted(_) => None,
        }
    }

    /// Whether it is a live price.
    pub fn is_live(self) -> bool {
        matches!(self, SnapshotPrice::Live(_))
    }
}

/// One contract's snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Snapshot {
    /// The contract id.
    pub conid: Option<Conid>,
    /// The contract id with exchange (`265598@SMART`).
    pub conid_ex: Option<String>,
    /// When the data was last updated (ms since the epoch).
    pub updated: Option<i64>,
    /// Field values by field code (see [`fields`]), as IBKR's text: read
    /// prices with [`Snapshot::price`] (which tells a prior close from a
    /// live price), other numbers with [`Snapshot::number`].
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
                "conid" => s.conid = map.next_value::<ConidField>()?.0,
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

/// Keys of a snapshot that are metadata, not market values: a snapshot
/// with only these is IBKR's pre-flight answer.
const METADATA: &[&str] = &["server_id", fields::SERVER_ID, fields::AVAILABILITY];

impl Snapshot {
    /// A field's text, by code.
    pub fn field(&self, code: &str) -> Option<&str> {
        self.fields.get(code).map(String::as_str)
    }

    /// A price field (last, bid, ask, high, ...), with its kind: IBKR's
    /// `C` (prior close) and `H` (halted) prefixes are
    /// [`SnapshotPrice::PriorClose`] and [`SnapshotPrice::Halted`], never a
    /// live price. `None` when absent or not a number.
    pub fn price(&self, code: &str) -> Option<SnapshotPrice> {
        self.field(code).and_then(SnapshotPrice::parse)
    }

    /// A price field, only if it is live (see [`Snapshot::price`]).
    pub fn live_price(&self, code: &str) -> Option<Decimal> {
        self.price(code).and_then(SnapshotPrice::live)
    }

    /// A numeric field that is no price (sizes, volume, change, percent),
    /// exact: `"52.1M"` is 52,100,000, `"0.66%"` is 0.66, `"1,234"` is
    /// 1234. A prefixed price (`C189.50`) is `None` here: read it with
    /// [`Snapshot::price`].
    pub fn number(&self, code: &str) -> Option<Decimal> {
        self.field(code).and_then(lenient::parse_decimal)
    }

    /// The last price ([`fields::LAST`]).
    pub fn last(&self) -> Option<SnapshotPrice> {
        self.price(fields::LAST)
    }

    /// The bid ([`fields::BID`]).
    pub fn bid(&self) -> Option<SnapshotPrice> {
        self.price(fields::BID)
    }

    /// The ask ([`fields::ASK`]).
    pub fn ask(&self) -> Option<SnapshotPrice> {
        self.price(fields::ASK)
    }

    /// Whether the snapshot carries any of `codes` (any market value at all
    /// when `codes` is empty): IBKR's first answer for a contract (its
    /// pre-flight) carries none.
    pub fn has_values(&self, codes: &[&str]) -> bool {
        let wanted: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| !METADATA.contains(c))
            .collect();
        if wanted.is_empty() {
            self.fields.keys().any(|k| !METADATA.contains(&k.as_str()))
        } else {
            wanted.iter().any(|c| self.fields.contains_key(*c))
        }
    }
}

/// Historical bars (`/iserver/marketdata/history`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
    /// The number of bars.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub points: Option<i64>,
    /// The first bar's time (`YYYYMMDD-HH:mm:ss`).
    #[serde(
        default,
        rename = "startTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub start_time: Option<String>,
    /// The period asked for (`1d`).
    #[serde(
        default,
        rename = "timePeriod",
        deserialize_with = "lenient::opt_string"
    )]
    pub time_period: Option<String>,
    /// The period's high as IBKR writes it (`price/volume/minutes`, the
    /// price times [`History::price_factor`]).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub high: Option<String>,
    /// The period's low, as [`History::high`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub low: Option<String>,
    /// The factor IBKR's `high` and `low` prices are multiplied by (the
    /// bars are not).
    #[serde(default, rename = "priceFactor", deserialize_with = "wire::decimal")]
    pub price_factor: Option<Decimal>,
    /// The factor volumes are divided by.
    #[serde(default, rename = "volumeFactor", deserialize_with = "wire::decimal")]
    pub volume_factor: Option<Decimal>,
    /// The trading day's length in minutes.
    #[serde(
        default,
        rename = "tradingDayDuration",
        deserialize_with = "lenient::opt_i64"
    )]
    pub trading_day_duration: Option<i64>,
    /// The market data delay (ms), 0 for live data.
    #[serde(
        default,
        rename = "mktDataDelay",
        deserialize_with = "lenient::opt_i64"
    )]
    pub mkt_data_delay: Option<i64>,
    /// Whether prices may be negative.
    #[serde(
        default,
        rename = "negativeCapable",
        deserialize_with = "lenient::opt_bool"
    )]
    pub negative_capable: Option<bool>,
}

/// One bar: open, high, low, close and volume, exact.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Bar {
    /// Start time (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub t: Option<i64>,
    /// Open.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub o: Option<Decimal>,
    /// High.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub h: Option<Decimal>,
    /// Low.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub l: Option<Decimal>,
    /// Close.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub c: Option<Decimal>,
    /// Volume (IBKR sends fractions, in units of the answer's volume
    /// factor).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub v: Option<Decimal>,
}

/// Historical bars from IBKR's historical market data service
/// ([`MarketData::hmds_history`](struct.MarketData.html#method.hmds_history)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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

/// The answer to [`MarketData::unsubscribe`](struct.MarketData.html#method.unsubscribe) and
/// [`MarketData::unsubscribe_all`](struct.MarketData.html#method.unsubscribe_all).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::wire::Wrapped;

    #[test]
    fn snapshots_read_ibkrs_form_and_their_own() {
        let ibkr = r#"{"conid":"265598","conidEx":"265598@SMART","_updated":1700000000000,
            "31":"C190.5","84":190.4,"86":"N/A","6509":"RpB","server_id":"q0"}"#;
        let s: Snapshot = serde_json::from_str(ibkr).unwrap();
        assert_eq!(s.conid, Some(Conid(265598)));
        assert_eq!(s.conid_ex.as_deref(), Some("265598@SMART"));
        assert_eq!(s.updated, Some(1_700_000_000_000));
        // A prior close is never a live price.
        assert_eq!(
            s.last(),
            Some(SnapshotPrice::PriorClose(Decimal::new(1905, 1)))
        );
        assert_eq!(s.live_price(fields::LAST), None);
        assert_eq!(s.number(fields::LAST), None);
        assert_eq!(s.field(fields::BID), Some("190.4"));
        assert_eq!(s.bid(), Some(SnapshotPrice::Live(Decimal::new(1904, 1))));
        assert_eq!(s.field(fields::ASK), None);
        assert_eq!(s.ask(), None);
        assert_eq!(s.field("server_id"), Some("q0"));
        assert!(s.has_values(&[fields::LAST]));
        assert!(!s.has_values(&[fields::ASK, fields::AVAILABILITY]));
        let again: Snapshot = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn prices_say_what_they_are() {
        for (text, price) in [
            ("189.50", Some(SnapshotPrice::Live(Decimal::new(18950, 2)))),
            (
                "C189.50",
                Some(SnapshotPrice::PriorClose(Decimal::new(18950, 2))),
            ),
            (
                " H1,189.5",
                Some(SnapshotPrice::Halted(Decimal::new(11895, 1))),
            ),
            ("-0.25", Some(SnapshotPrice::Live(Decimal::new(-25, 2)))),
            ("C", None),
            ("N/A", None),
            ("", None),
            ("CH1", None),
            ("X1", None),
        ] {
            assert_eq!(SnapshotPrice::parse(text), price, "{text:?}");
        }
        let halted = SnapshotPrice::Halted(Decimal::ONE);
        assert_eq!(halted.value(), Decimal::ONE);
        assert_eq!(halted.live(), None);
        assert!(!halted.is_live());
        let s: Snapshot =
            serde_json::from_str(r#"{"conid":1,"87":"52.1M","83":"0.66%","85":"1,200"}"#).unwrap();
        assert_eq!(s.number(fields::VOLUME), Some(Decimal::from(52_100_000)));
        assert_eq!(s.number(fields::CHANGE_PERCENT), Some(Decimal::new(66, 2)));
        assert_eq!(s.number(fields::ASK_SIZE), Some(Decimal::from(1200)));
    }

    #[test]
    fn a_preflight_answer_has_no_values() {
        let s: Snapshot = serde_json::from_str(
            r#"{"conid":265598,"conidEx":"265598","_updated":1,"server_id":"q0","6119":"q0","6509":"RpB"}"#,
        )
        .unwrap();
        assert!(!s.has_values(&[]));
        assert!(!s.has_values(&[fields::LAST, fields::BID]));
        assert!(!s.has_values(&[fields::AVAILABILITY]));
    }

    #[test]
    fn hmds_bars_flat_or_wrapped() {
        let flat = r#"{"points":2,"data":[{"t":1,"c":"1.5"},{"t":2,"c":2}]}"#;
        for body in [flat.to_string(), format!(r#"{{"bars":{flat}}}"#)] {
            let h: Wrapped<HmdsBars, HmdsHistory> = serde_json::from_str(&body).unwrap();
            let h = h.into_inner();
            assert_eq!(h.points, Some(2), "{body}");
            assert_eq!(h.data[0].c, Some(Decimal::new(15, 1)));
        }
    }
}
