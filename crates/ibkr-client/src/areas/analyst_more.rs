//! Performance over every standard period in one call
//! (`POST /pa/allperiods`; the Web API only, the Gateway answers
//! [`Error::Unsupported`]). IBKR allows one
//! `/pa` call per 15 minutes.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let all = client.analyst().all_periods(&["U1234567"]).await?;
//! for (account, periods) in &all.accounts {
//!     if let Some(ytd) = periods.periods.get("YTD") {
//!         println!("{account} YTD: last NAV {:?}, return {:?}", ytd.nav.last(), ytd.returns.last());
//!     }
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::analyst_more::*;

use ibkr_ops::areas::analyst_more as ops;

use super::analyst::Analyst;
use serde::Serialize;

use crate::error::{Error, Result};

/// `{"acctIds": […]}`
#[derive(Serialize)]
struct AccountsBody<'a> {
    #[serde(rename = "acctIds")]
    acct_ids: &'a [&'a str],
}

impl Analyst<'_> {
    /// The performance (NAV and cumulative returns) of `account_ids` over
    /// every standard period at once (`1D`, `7D`, `MTD`, `1M`, `YTD`,
    /// `1Y`, ...); several accounts are consolidated
    /// (`POST /pa/allperiods`; Web API; one `/pa` call per 15 minutes).
    pub async fn all_periods(&self, account_ids: &[&str]) -> Result<AllPeriods> {
        if account_ids.is_empty() || account_ids.iter().any(|a| a.trim().is_empty()) {
            return Err(Error::InvalidArgument(format!(
                "{}: at least one account id, none empty",
                ops::ALL_PERIODS.name
            )));
        }
        self.client
            .op(&ops::ALL_PERIODS)?
            .json(&AccountsBody {
                acct_ids: account_ids,
            })?
            .fetch()
            .await
    }
}
