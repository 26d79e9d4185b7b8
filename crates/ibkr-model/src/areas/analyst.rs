//! The data types of `ibkr_client::areas::analyst`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, AccountId, Conid};
use super::orders::Side;
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;
use rust_decimal::Decimal;
use serde::Serialize;

/// One account's series. Values are exact decimals: returns as IBKR's
/// fractions (`0.0639` is 6.39 %), net asset values as amounts.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SeriesData {
    /// The account id.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub id: Option<AccountId>,
    /// What the id is (`acctid`).
    #[serde(default, rename = "idType", deserialize_with = "lenient::opt_string")]
    pub id_type: Option<String>,
    /// The base currency.
    #[serde(
        default,
        rename = "baseCurrency",
        deserialize_with = "lenient::opt_string"
    )]
    pub base_currency: Option<String>,
    /// First date (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub start: Option<String>,
    /// Last date.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub end: Option<String>,
    /// Returns (fractions), one per date; an unreadable entry is `None`
    /// in its place, so the values stay aligned with the dates.
    #[serde(default, deserialize_with = "wire::aligned_decimals")]
    pub returns: Vec<Option<Decimal>>,
    /// Net asset values, one per date (aligned as `returns`).
    #[serde(default, deserialize_with = "wire::aligned_decimals")]
    pub navs: Vec<Option<Decimal>>,
    /// The net asset value before the first date (`startNAV`).
    #[serde(default, rename = "startNAV")]
    pub start_nav: Option<DatedValue>,
}

/// A value on a date (`{"date": "20221230", "val": 202767761.3449}`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DatedValue {
    /// The date (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The value.
    #[serde(default, rename = "val", deserialize_with = "wire::decimal")]
    pub value: Option<Decimal>,
}

/// A time series: dates and one entry per account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Series {
    /// Dates (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub dates: Vec<String>,
    /// Frequency (`D`, `M`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub freq: Option<String>,
    /// Per-account values.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub data: Vec<SeriesData>,
}

/// Performance of accounts over a period.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Performance {
    /// Currency type (`base`).
    #[serde(
        default,
        rename = "currencyType",
        deserialize_with = "lenient::opt_string"
    )]
    pub currency_type: Option<String>,
    /// Accounts included.
    #[serde(default, deserialize_with = "wire::account_ids")]
    pub included: Vec<AccountId>,
    /// The number of days covered (`nd`).
    #[serde(default, rename = "nd", deserialize_with = "lenient::opt_i64")]
    pub days: Option<i64>,
    /// Period method (`TWR`).
    #[serde(default, rename = "pm", deserialize_with = "lenient::opt_string")]
    pub method: Option<String>,
    /// Net asset value.
    #[serde(default)]
    pub nav: Series,
    /// Cumulative returns.
    #[serde(default, rename = "cps")]
    pub cumulative: Series,
    /// Returns per period.
    #[serde(default, rename = "tpps")]
    pub per_period: Series,
}

/// The Gateway's account summary.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Summary {
    /// The amount.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub amount: Option<Decimal>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The amount as IBKR formats it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    /// Whether IBKR had no value.
    #[serde(
        default,
        rename = "isNull",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub is_null: bool,
    /// When (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub timestamp: Option<i64>,
}

/// A transaction, with exact amounts.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Transaction {
    /// The account.
    #[serde(default, rename = "acctid", deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The currency.
    #[serde(default, rename = "cur", deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The date, as IBKR writes it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The description.
    #[serde(default, rename = "desc", deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// `Buy`, `Sell`, `Dividend`... (see [`Transaction::side`]).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// Quantity (negative for a sale).
    #[serde(default, rename = "qty", deserialize_with = "wire::decimal")]
    pub quantity: Option<Decimal>,
    /// Price.
    #[serde(default, rename = "pr", deserialize_with = "wire::decimal")]
    pub price: Option<Decimal>,
    /// Amount.
    #[serde(default, rename = "amt", deserialize_with = "wire::decimal")]
    pub amount: Option<Decimal>,
    /// FX rate to the requested currency.
    #[serde(default, rename = "fxRate", deserialize_with = "wire::decimal")]
    pub fx_rate: Option<Decimal>,
}

impl Transaction {
    /// The side of a trade: `Some` for IBKR's `Buy` and `Sell`, `None` for
    /// anything else (a dividend, a fee).
    pub fn side(&self) -> Option<Side> {
        match Side::from(self.kind.as_deref()?) {
            Side::Other(_) => None,
            side => Some(side),
        }
    }
}

/// Realized profit and loss of a [`Transactions`] answer (`rpnl`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RealizedPnl {
    /// The total.
    #[serde(default, rename = "amt", deserialize_with = "wire::decimal")]
    pub amount: Option<Decimal>,
    /// The realized PnL by day.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub data: Vec<RealizedPnlEntry>,
}

/// One day's realized PnL in one contract.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RealizedPnlEntry {
    /// The date (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The account.
    #[serde(default, rename = "acctid", deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The currency.
    #[serde(default, rename = "cur", deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// FX rate to the requested currency.
    #[serde(default, rename = "fxRate", deserialize_with = "wire::decimal")]
    pub fx_rate: Option<Decimal>,
    /// IBKR's side of the position (`L` long, `S` short).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub side: Option<String>,
    /// The amount.
    #[serde(default, rename = "amt", deserialize_with = "wire::decimal")]
    pub amount: Option<Decimal>,
}

/// Transactions of accounts in contracts.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Transactions {
    /// The currency amounts are in.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Start (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub from: Option<i64>,
    /// End (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub to: Option<i64>,
    /// Whether today's activity is included.
    #[serde(
        default,
        rename = "includesRealTime",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub includes_real_time: bool,
    /// The transactions.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub transactions: Vec<Transaction>,
    /// Realized profit and loss over the period, when IBKR sends it.
    #[serde(default)]
    pub rpnl: Option<RealizedPnl>,
    /// The number of days covered (`nd`).
    #[serde(default, rename = "nd", deserialize_with = "lenient::opt_i64")]
    pub days: Option<i64>,
}
