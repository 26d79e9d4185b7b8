//! Accounts: the brokerage account list, portfolio accounts, summaries,
//! ledgers, metadata, allocation, and switching the selected account.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let accounts = client.accounts();
//! // Call once per session before order or portfolio calls on /iserver.
//! let list = accounts.brokerage_accounts().await?;
//! let id = list.selected_account.clone().unwrap_or_default();
//! let summary = accounts.summary(&id).await?;
//! if let Some(nlv) = summary.get("netliquidation") {
//!     println!("net liquidation: {:?} {:?}", nlv.amount, nlv.currency);
//! }
//! for (currency, entry) in accounts.ledger(&id).await? {
//!     println!("{currency}: cash {:?}", entry.cash_balance);
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::accounts::*;

use ibkr_ops::Operation;
use ibkr_ops::areas::accounts as ops;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;

/// Account operations, from [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Accounts: lists, summaries, ledgers, metadata, allocation.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { client: self }
    }
}

impl Accounts<'_> {
    /// `op` for one account (the path's one argument).
    async fn of_account<T: DeserializeOwned + Default>(
        &self,
        op: &'static Operation,
        account_id: &str,
    ) -> Result<T> {
        self.client
            .op(op)?
            .arg(account_id)?
            .fetch_or_default()
            .await
    }

    /// The brokerage accounts (`GET /iserver/accounts`). IBKR requires this
    /// call once per session before order and portfolio calls on `/iserver`.
    pub async fn brokerage_accounts(&self) -> Result<BrokerageAccounts> {
        self.client.op(&ops::BROKERAGE_ACCOUNTS)?.fetch().await
    }

    /// The portfolio accounts (`GET /portfolio/accounts`; IBKR allows one
    /// call every 5 s).
    pub async fn portfolio_accounts(&self) -> Result<Vec<Account>> {
        self.client.op(&ops::PORTFOLIO_ACCOUNTS)?.fetch_list().await
    }

    /// Sub-accounts of a financial advisor or IBroker master
    /// (`GET /portfolio/subaccounts`; a list, although the Gateway's spec
    /// describes one account: both are read).
    pub async fn subaccounts(&self) -> Result<Vec<Account>> {
        self.client.op(&ops::SUBACCOUNTS)?.fetch_list().await
    }

    /// The account summary (`GET /portfolio/{accountId}/summary`).
    pub async fn summary(&self, account_id: &str) -> Result<AccountSummary> {
        self.of_account(&ops::SUMMARY, account_id).await
    }

    /// The ledger by currency (`GET /portfolio/{accountId}/ledger`).
    pub async fn ledger(&self, account_id: &str) -> Result<Ledger> {
        self.of_account(&ops::LEDGER, account_id).await
    }

    /// The account's attributes (`GET /portfolio/{accountId}/meta`; one
    /// object, although the Gateway's spec describes a list: both are read).
    pub async fn meta(&self, account_id: &str) -> Result<Account> {
        self.of_account(&ops::META, account_id).await
    }

    /// The account's allocation (`GET /portfolio/{accountId}/allocation`;
    /// the Gateway's spec describes a list of one, which is read too).
    pub async fn allocation(&self, account_id: &str) -> Result<Allocation> {
        self.of_account(&ops::ALLOCATION, account_id).await
    }

    /// Selects the account that `/iserver` operations act on
    /// (`POST /iserver/account`), for users with several accounts.
    pub async fn switch_account(&self, account_id: &str) -> Result<SwitchedAccount> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "acctId")]
            acct_id: &'a str,
        }
        self.client
            .op(&ops::SWITCH_ACCOUNT)?
            .json(&Body {
                acct_id: account_id,
            })?
            .fetch_or_default()
            .await
    }
}
