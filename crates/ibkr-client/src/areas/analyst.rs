//! Portfolio analyst (`/pa/performance`, `/pa/summary`, `/pa/transactions`).
//! IBKR allows one call per 15 minutes to each.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let perf = client.analyst().performance(&["DU1234567"], "1M").await?;
//! println!("{} NAV points", perf.nav.dates.len());
//! let tx = client.analyst().transactions(&["DU1234567"], &[265598], "USD", 30).await?;
//! println!("{} transactions", tx.transactions.len());
//! # Ok(()) }
//! ```

use ibkr_ops::areas::analyst as ops;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Result;
use crate::lenient;

/// Portfolio analyst operations, from [`Client::analyst`].
#[derive(Debug, Clone, Copy)]
pub struct Analyst<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Portfolio analyst: performance, summary, transactions.
    pub fn analyst(&self) -> Analyst<'_> {
        Analyst { client: self }
    }
}

/// One account's series.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct SeriesData {
    /// The account id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
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
    /// Returns (fractions).
    #[serde(default, deserialize_with = "numbers")]
    pub returns: Vec<Option<f64>>,
    /// Net asset values.
    #[serde(default, deserialize_with = "numbers")]
    pub navs: Vec<Option<f64>>,
}

/// A list of numbers, each read leniently; an unreadable entry is `None`
/// in its place, so the values stay aligned with the dates.
fn numbers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<Option<f64>>, D::Error> {
    #[derive(Deserialize)]
    struct Number(#[serde(deserialize_with = "lenient::opt_f64")] Option<f64>);
    let numbers: Vec<Number> = lenient::vec_or_single(d)?;
    Ok(numbers.into_iter().map(|n| n.0).collect())
}

/// A time series: dates and one entry per account.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Performance {
    /// Currency type (`base`).
    #[serde(
        default,
        rename = "currencyType",
        deserialize_with = "lenient::opt_string"
    )]
    pub currency_type: Option<String>,
    /// Accounts included.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub included: Vec<String>,
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
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Summary {
    /// The amount.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub amount: Option<f64>,
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

/// A transaction.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Transaction {
    /// The account.
    #[serde(default, rename = "acctid", deserialize_with = "lenient::opt_string")]
    pub account: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The currency.
    #[serde(default, rename = "cur", deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The date, as IBKR writes it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The description.
    #[serde(default, rename = "desc", deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// `Buy`, `Sell`, `Dividend`...
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// Quantity.
    #[serde(default, rename = "qty", deserialize_with = "lenient::opt_f64")]
    pub quantity: Option<f64>,
    /// Price.
    #[serde(default, rename = "pr", deserialize_with = "lenient::opt_f64")]
    pub price: Option<f64>,
    /// Amount.
    #[serde(default, rename = "amt", deserialize_with = "lenient::opt_f64")]
    pub amount: Option<f64>,
    /// FX rate to the requested currency.
    #[serde(default, rename = "fxRate", deserialize_with = "lenient::opt_f64")]
    pub fx_rate: Option<f64>,
}

/// Transactions of accounts in contracts.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
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
}

/// `{"acctIds": […], "period": …}`
#[derive(Serialize)]
struct PerformanceBody<'a> {
    #[serde(rename = "acctIds")]
    account_ids: &'a [&'a str],
    period: &'a str,
}

/// `{"acctIds": […]}`
#[derive(Serialize)]
struct SummaryBody<'a> {
    #[serde(rename = "acctIds")]
    account_ids: &'a [&'a str],
}

/// `{"acctIds": […], "conids": […], "currency": …, "days": …}`
#[derive(Serialize)]
struct TransactionsBody<'a> {
    #[serde(rename = "acctIds")]
    account_ids: &'a [&'a str],
    conids: &'a [i64],
    currency: &'a str,
    days: u32,
}

impl Analyst<'_> {
    /// Performance over `period` (`1D`, `7D`, `MTD`, `1M`, `YTD`, `1Y`...)
    /// (`POST /pa/performance`).
    pub async fn performance(&self, account_ids: &[&str], period: &str) -> Result<Performance> {
        self.client
            .op(&ops::PERFORMANCE)?
            .json(&PerformanceBody {
                account_ids,
                period,
            })?
            .fetch()
            .await
    }

    /// Account balance summary (`POST /pa/summary`; Gateway only: the Web
    /// API returns [`Error::Unsupported`](crate::Error::Unsupported)).
    pub async fn summary(&self, account_ids: &[&str]) -> Result<Summary> {
        self.client
            .op(&ops::SUMMARY)?
            .json(&SummaryBody { account_ids })?
            .fetch()
            .await
    }

    /// Transactions of `account_ids` in `conids` over the last `days`, in
    /// `currency` (`POST /pa/transactions`).
    pub async fn transactions(
        &self,
        account_ids: &[&str],
        conids: &[i64],
        currency: &str,
        days: u32,
    ) -> Result<Transactions> {
        self.client
            .op(&ops::TRANSACTIONS)?
            .json(&TransactionsBody {
                account_ids,
                conids,
                currency,
                days,
            })?
            .fetch()
            .await
    }
}
