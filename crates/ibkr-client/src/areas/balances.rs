//! Balances of a trading account, as the trading session sees them
//! (`/iserver/account/{accountId}/summary…`; the Web API only, the
//! Gateway answers [`Error::Unsupported`](crate::Error::Unsupported)).
//!
//! [`Balances::summary`] is the one-call overview (buying power, net
//! liquidation, margins, cash by currency); the four sections break the
//! same figures down by segment (`total`, `securities`, `commodities`,
//! `Crypto at Paxos`, ...) or, for the market value, by currency. Amounts
//! are exact decimals; IBKR writes most of them as text with a unit
//! (`"825,208 USD"`), which [`Amount`] keeps apart.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let balances = client.balances();
//! let summary = balances.summary("U1234567").await?;
//! println!("buying power {:?}, net liquidation {:?}", summary.buying_power, summary.net_liquidation_value);
//! for cash in &summary.cash_balances {
//!     println!("{:?}: {:?}", cash.currency, cash.balance);
//! }
//! let funds = balances.available_funds("U1234567").await?;
//! if let Some(total) = funds.get("total") {
//!     println!("available now {:?}, overnight {:?}", total.current_available, total.overnight_available);
//! }
//! let margins = balances.margins("U1234567").await?;
//! println!("{} margin segments", margins.len());
//! let by_currency = balances.market_value("U1234567").await?;
//! println!("USD stock {:?}", by_currency.get("USD").and_then(|v| v.stock));
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::balances::*;

use std::collections::BTreeMap;

use ibkr_ops::areas::balances as ops;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;

/// Balance operations, from [`Client::balances`].
#[derive(Debug, Clone, Copy)]
pub struct Balances<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Balances of a trading account: summary, available funds, balances,
    /// margins and market value (Web API).
    pub fn balances(&self) -> Balances<'_> {
        Balances { client: self }
    }
}

impl Balances<'_> {
    /// `op` for one account, read as objects by key.
    async fn sections<T: DeserializeOwned>(
        &self,
        op: &'static ibkr_ops::Operation,
        account_id: &str,
    ) -> Result<BTreeMap<String, T>> {
        let ObjectsByKey(map) = self
            .client
            .op(op)?
            .arg(account_id)?
            .fetch_or_default()
            .await?;
        Ok(map)
    }

    /// The account's summary: balance, buying power, net liquidation,
    /// margins, cash by currency
    /// (`GET /iserver/account/{accountId}/summary`; Web API). IBKR wants
    /// [`Accounts::brokerage_accounts`](super::accounts::Accounts::brokerage_accounts)
    /// called once in the session first.
    pub async fn summary(&self, account_id: &str) -> Result<TradingSummary> {
        self.client
            .op(&ops::SUMMARY)?
            .arg(account_id)?
            .fetch()
            .await
    }

    /// Available funds by segment (`total`, `securities`, `commodities`,
    /// `Crypto at Paxos`, ...)
    /// (`GET /iserver/account/{accountId}/summary/available_funds`; Web API).
    pub async fn available_funds(
        &self,
        account_id: &str,
    ) -> Result<BTreeMap<String, FundsSegment>> {
        self.sections(&ops::AVAILABLE_FUNDS, account_id).await
    }

    /// Balances by segment: net liquidation, equity with loan, cash
    /// (`GET /iserver/account/{accountId}/summary/balances`; Web API).
    pub async fn balances(&self, account_id: &str) -> Result<BTreeMap<String, BalanceSegment>> {
        self.sections(&ops::BALANCES, account_id).await
    }

    /// Margin requirements by segment, now and projected
    /// (`GET /iserver/account/{accountId}/summary/margins`; Web API).
    pub async fn margins(&self, account_id: &str) -> Result<BTreeMap<String, MarginSegment>> {
        self.sections(&ops::MARGINS, account_id).await
    }

    /// Market value by currency (`USD`, `EUR`, ..., and `Total (in USD)`
    /// in the base currency), each in its own currency
    /// (`GET /iserver/account/{accountId}/summary/market_value`; Web API).
    pub async fn market_value(&self, account_id: &str) -> Result<BTreeMap<String, MarketValue>> {
        self.sections(&ops::MARKET_VALUE, account_id).await
    }
}
