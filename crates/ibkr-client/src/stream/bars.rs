//! Historical bars (`smh`) and the book (`sbd`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use super::decode::opt_decimal;
use crate::decode::LenientDeserialize;
use crate::lenient::{opt_i64, opt_string, vec_or_single};

/// What to ask for in a historical bars subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRequest {
    /// The period (`1d`, `1w`, `1m`).
    pub period: String,
    /// The bar size (`1min`, `5min`, `1h`).
    pub bar: String,
    /// The data source (`trades`, `midpoint`, `bid_ask`).
    pub source: String,
    /// The format of the bars (`%o/%c/%h/%l/%v`).
    pub format: String,
}

impl HistoryRequest {
    /// Trade bars of `bar` size over `period`, with open, close, high, low
    /// and volume.
    pub fn new(period: impl Into<String>, bar: impl Into<String>) -> HistoryRequest {
        HistoryRequest {
            period: period.into(),
            bar: bar.into(),
            source: "trades".into(),
            format: "%o/%c/%h/%l/%v".into(),
        }
    }
}

/// One bar.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct Bar {
    /// Start time (ms since the epoch).
    #[serde(default, rename = "t", deserialize_with = "opt_i64")]
    pub time: Option<i64>,
    /// Open.
    #[serde(default, rename = "o", deserialize_with = "opt_decimal")]
    pub open: Option<Decimal>,
    /// High.
    #[serde(default, rename = "h", deserialize_with = "opt_decimal")]
    pub high: Option<Decimal>,
    /// Low.
    #[serde(default, rename = "l", deserialize_with = "opt_decimal")]
    pub low: Option<Decimal>,
    /// Close.
    #[serde(default, rename = "c", deserialize_with = "opt_decimal")]
    pub close: Option<Decimal>,
    /// Volume.
    #[serde(default, rename = "v", deserialize_with = "opt_decimal")]
    pub volume: Option<Decimal>,
}

/// A historical bars message.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct HistoryBars {
    /// The contract id (from the topic).
    #[serde(skip)]
    pub conid: i64,
    /// IBKR's id of this subscription (used to cancel it).
    #[serde(
        default,
        rename = "serverId",
        alias = "server_id",
        deserialize_with = "opt_string"
    )]
    pub server_id: Option<String>,
    /// The symbol.
    #[serde(default, deserialize_with = "opt_string")]
    pub symbol: Option<String>,
    /// The contract's description.
    #[serde(default, deserialize_with = "opt_string")]
    pub text: Option<String>,
    /// The bars, oldest first.
    #[serde(default, deserialize_with = "vec_or_single")]
    pub data: Vec<Bar>,
    /// The bar length in seconds.
    #[serde(default, rename = "barLength", deserialize_with = "opt_i64")]
    pub bar_length: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// One row of the book.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct BookRow {
    /// The row number (0 at the top).
    #[serde(default, deserialize_with = "opt_i64")]
    pub row: Option<i64>,
    /// The price level.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub price: Option<Decimal>,
    /// The size bid at this level.
    #[serde(default, rename = "bid", deserialize_with = "opt_decimal")]
    pub bid_size: Option<Decimal>,
    /// The size offered at this level.
    #[serde(default, rename = "ask", deserialize_with = "opt_decimal")]
    pub ask_size: Option<Decimal>,
    /// Whether this is the row of the last price (`focus: 1`).
    #[serde(default, deserialize_with = "opt_i64")]
    pub focus: Option<i64>,
}

/// A book (market depth) message.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct BookUpdate {
    /// The account of the subscription (from the topic).
    #[serde(skip)]
    pub account: String,
    /// The rows, top first.
    #[serde(default, deserialize_with = "vec_or_single")]
    pub data: Vec<BookRow>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}
