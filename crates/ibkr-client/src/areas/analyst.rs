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

pub use ibkr_model::areas::analyst::*;

use ibkr_ops::areas::analyst as ops;
use serde::Serialize;

use crate::client::Client;
use crate::error::Result;

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
