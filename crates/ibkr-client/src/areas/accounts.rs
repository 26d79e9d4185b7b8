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

use std::collections::BTreeMap;

use ibkr_ops::Operation;
use ibkr_ops::areas::accounts as ops;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::decode::wire;
use crate::error::Result;
use crate::lenient;

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

/// The brokerage accounts of the session (`GET /iserver/accounts`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct BrokerageAccounts {
    /// Account ids the user can trade.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub accounts: Vec<String>,
    /// The currently selected account.
    #[serde(
        default,
        rename = "selectedAccount",
        deserialize_with = "lenient::opt_string"
    )]
    pub selected_account: Option<String>,
    /// Aliases by account id (the Web spec models this map with its
    /// example's key as a fixed field; the answer is read as sent).
    #[serde(default, deserialize_with = "wire::string_map")]
    pub aliases: BTreeMap<String, String>,
    /// Whether this is a paper trading login, when reported.
    #[serde(default, rename = "isPaper", deserialize_with = "lenient::opt_bool")]
    pub is_paper: Option<bool>,
    /// The session id, when reported.
    #[serde(
        default,
        rename = "sessionId",
        deserialize_with = "lenient::opt_string"
    )]
    pub session_id: Option<String>,
}

/// An account's attributes (`/portfolio/accounts`, `/portfolio/subaccounts`,
/// `/portfolio/{accountId}/meta`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Account {
    /// The account id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The account id as `accountId` (some answers carry both).
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The account title.
    #[serde(
        default,
        rename = "accountTitle",
        deserialize_with = "lenient::opt_string"
    )]
    pub title: Option<String>,
    /// The display name.
    #[serde(
        default,
        rename = "displayName",
        deserialize_with = "lenient::opt_string"
    )]
    pub display_name: Option<String>,
    /// The alias.
    #[serde(
        default,
        rename = "accountAlias",
        deserialize_with = "lenient::opt_string"
    )]
    pub alias: Option<String>,
    /// The base currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The account type (`INDIVIDUAL`, `DEMO`, ...).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub account_type: Option<String>,
    /// The trading type (`STKNOPT`, ...).
    #[serde(
        default,
        rename = "tradingType",
        deserialize_with = "lenient::opt_string"
    )]
    pub trading_type: Option<String>,
    /// The description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub desc: Option<String>,
    /// The clearing status (`O` open, ...).
    #[serde(
        default,
        rename = "clearingStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub clearing_status: Option<String>,
    /// Whether it is a financial advisor client account.
    #[serde(
        default,
        rename = "faClient",
        alias = "faclient",
        deserialize_with = "lenient::opt_bool"
    )]
    pub fa_client: Option<bool>,
    /// Whether it is a Covestor account.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub covestor: Option<bool>,
}

/// One value of an account summary.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct SummaryValue {
    /// The amount, for monetary values.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub amount: Option<f64>,
    /// The currency, when given.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Whether IBKR marks the value as null.
    #[serde(
        default,
        rename = "isNull",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub is_null: bool,
    /// When the value was computed (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub timestamp: Option<i64>,
    /// The value as text, for non-monetary values.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    /// Severity, when reported.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub severity: Option<i64>,
}

/// An account summary: values by IBKR's key (`netliquidation`,
/// `availablefunds-s`, ...).
pub type AccountSummary = BTreeMap<String, SummaryValue>;

/// One currency's ledger entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct LedgerEntry {
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Cash balance.
    #[serde(default, rename = "cashbalance", deserialize_with = "lenient::opt_f64")]
    pub cash_balance: Option<f64>,
    /// Settled cash.
    #[serde(default, rename = "settledcash", deserialize_with = "lenient::opt_f64")]
    pub settled_cash: Option<f64>,
    /// Net liquidation value.
    #[serde(
        default,
        rename = "netliquidationvalue",
        deserialize_with = "lenient::opt_f64"
    )]
    pub net_liquidation_value: Option<f64>,
    /// Stock market value.
    #[serde(
        default,
        rename = "stockmarketvalue",
        deserialize_with = "lenient::opt_f64"
    )]
    pub stock_market_value: Option<f64>,
    /// Realized profit and loss.
    #[serde(default, rename = "realizedpnl", deserialize_with = "lenient::opt_f64")]
    pub realized_pnl: Option<f64>,
    /// Unrealized profit and loss.
    #[serde(
        default,
        rename = "unrealizedpnl",
        deserialize_with = "lenient::opt_f64"
    )]
    pub unrealized_pnl: Option<f64>,
    /// Exchange rate to the base currency.
    #[serde(
        default,
        rename = "exchangerate",
        deserialize_with = "lenient::opt_f64"
    )]
    pub exchange_rate: Option<f64>,
    /// Interest.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub interest: Option<f64>,
    /// Dividends.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub dividends: Option<f64>,
    /// When computed (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub timestamp: Option<i64>,
}

/// Ledger entries by currency key (`BASE`, `USD`, ...).
pub type Ledger = BTreeMap<String, LedgerEntry>;

/// Allocation of an account by asset class, sector and group; each maps
/// a name to a value, split into long and short.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Allocation {
    /// By asset class.
    #[serde(default, rename = "assetClass")]
    pub asset_class: AllocationSplit,
    /// By sector.
    #[serde(default)]
    pub sector: AllocationSplit,
    /// By group.
    #[serde(default)]
    pub group: AllocationSplit,
}

/// Long and short values by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct AllocationSplit {
    /// Long values.
    #[serde(default, deserialize_with = "wire::f64_map")]
    pub long: BTreeMap<String, f64>,
    /// Short values.
    #[serde(default, deserialize_with = "wire::f64_map")]
    pub short: BTreeMap<String, f64>,
}

/// The answer to [`Accounts::switch_account`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct SwitchedAccount {
    /// The selected account.
    #[serde(default, rename = "acctId", deserialize_with = "lenient::opt_string")]
    pub account_id: Option<String>,
    /// Whether it was set.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub set: Option<bool>,
    /// IBKR's message when it answers `{"success": "…"}` instead
    /// (`"Account already set"`).
    #[serde(default, rename = "success", deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::wire::ByKey;

    #[test]
    fn maps_of_scalars_skip_missing_values_and_odd_shapes() {
        let split: AllocationSplit =
            serde_json::from_str(r#"{"long":{"STK":"1,000.5","OPT":"N/A","X":{}},"short":[1]}"#)
                .unwrap();
        assert_eq!(split.long.len(), 1);
        assert_eq!(split.long["STK"], 1000.5);
        assert!(split.short.is_empty());
        let accounts: BrokerageAccounts = serde_json::from_str(
            r#"{"accounts":"U1,U2","aliases":{"U1":"main","U2":7,"U3":null}}"#,
        )
        .unwrap();
        assert_eq!(accounts.accounts, ["U1", "U2"]);
        assert_eq!(accounts.aliases.len(), 2);
        assert_eq!(accounts.aliases["U2"], "7");
    }

    #[test]
    fn lists_by_key_take_lists_single_items_and_null() {
        let ByKey(by) = serde_json::from_str::<ByKey<LedgerEntry>>(
            r#"{"A":[{"cashbalance":1},{"cashbalance":"2"}],"B":{"cashbalance":3},"C":null}"#,
        )
        .unwrap();
        assert_eq!(by["A"].len(), 2);
        assert_eq!(by["A"][1].cash_balance, Some(2.0));
        assert_eq!(by["B"][0].cash_balance, Some(3.0));
        assert!(by["C"].is_empty());
    }
}
