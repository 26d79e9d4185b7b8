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

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::call::{to_body, via_json};
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::lenient;
use crate::session::non_empty;

/// Account operations, from [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    client: &'a Client,
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
    /// Aliases by account id.
    #[serde(default, deserialize_with = "string_map")]
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

/// Reads an object of scalars into a string map, skipping missing values.
fn string_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let mut out = BTreeMap::new();
    if let Some(serde_json::Value::Object(map)) = v {
        for (k, v) in map {
            if let Some(s) = lenient::value_string(&v) {
                out.insert(k, s);
            }
        }
    }
    Ok(out)
}

fn object_to_map(map: &serde_json::Map<String, serde_json::Value>) -> BTreeMap<String, String> {
    map.iter()
        .filter_map(|(k, v)| lenient::value_string(v).map(|s| (k.clone(), s)))
        .collect()
}

/// A generated enum or newtype as its wire string.
pub(crate) fn wire_string<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .as_ref()
        .and_then(lenient::value_string)
}

#[cfg(feature = "web")]
impl From<ibkr_api::web::types::UserAccountsResponse> for BrokerageAccounts {
    fn from(r: ibkr_api::web::types::UserAccountsResponse) -> Self {
        BrokerageAccounts {
            accounts: r.accounts,
            selected_account: non_empty(r.selected_account),
            aliases: r
                .aliases
                .and_then(|a| serde_json::to_value(a).ok())
                .and_then(|v| v.as_object().map(object_to_map))
                .unwrap_or_default(),
            is_paper: r.is_paper,
            session_id: non_empty(r.session_id),
        }
    }
}

#[cfg(feature = "gateway")]
impl From<ibkr_api::gateway::types::IserverAccountsGetResponse> for BrokerageAccounts {
    fn from(r: ibkr_api::gateway::types::IserverAccountsGetResponse) -> Self {
        BrokerageAccounts {
            accounts: r.accounts,
            selected_account: non_empty(r.selected_account),
            aliases: object_to_map(&r.aliases),
            is_paper: None,
            session_id: None,
        }
    }
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

#[cfg(feature = "web")]
impl From<ibkr_api::web::types::AccountAttributes> for Account {
    fn from(a: ibkr_api::web::types::AccountAttributes) -> Self {
        Account {
            account_id: a.id.clone(),
            id: a.id,
            title: a.account_title,
            display_name: a.display_name,
            alias: a.account_alias,
            currency: a.currency.as_ref().and_then(wire_string),
            account_type: a.type_.as_ref().and_then(wire_string),
            trading_type: a.trading_type.as_ref().and_then(wire_string),
            desc: a.desc,
            clearing_status: a.clearing_status.as_ref().and_then(wire_string),
            fa_client: a.fa_client,
            covestor: a.covestor,
        }
    }
}

#[cfg(feature = "gateway")]
impl From<ibkr_api::gateway::types::Account> for Account {
    fn from(a: ibkr_api::gateway::types::Account) -> Self {
        Account {
            id: a.id,
            account_id: a.account_id,
            title: a.account_title,
            display_name: a.display_name.as_ref().and_then(wire_string),
            alias: a.account_alias,
            currency: a.currency.as_ref().and_then(wire_string),
            account_type: a.type_.as_ref().and_then(wire_string),
            trading_type: a.trading_type,
            desc: a.desc,
            clearing_status: a.clearing_status.as_ref().and_then(wire_string),
            fa_client: a.faclient,
            covestor: a.covestor,
        }
    }
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
    #[serde(default, deserialize_with = "f64_map")]
    pub long: BTreeMap<String, f64>,
    /// Short values.
    #[serde(default, deserialize_with = "f64_map")]
    pub short: BTreeMap<String, f64>,
}

fn f64_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, f64>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let mut out = BTreeMap::new();
    if let Some(serde_json::Value::Object(map)) = v {
        for (k, v) in map {
            if let Some(f) = lenient::value_f64(&v) {
                out.insert(k, f);
            }
        }
    }
    Ok(out)
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
}

/// Generates a method that calls the same-named operation on both variants
/// and converts the result with `$conv`.
macro_rules! both {
    ($self:ident, $op:expr, |$api:ident| $call:expr, $method:ident($($args:tt)*)) => {
        match $self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api: $api, .. } => {
                $self.client.call($op, $call).await?.$method($($args)*)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway($api) => $self.client.call($op, $call).await?.$method($($args)*),
        }
    };
}
#[allow(unused_imports)]
pub(crate) use both;

impl Accounts<'_> {
    /// The brokerage accounts (`GET /iserver/accounts`). IBKR requires this
    /// call once per session before order and portfolio calls on `/iserver`.
    pub async fn brokerage_accounts(&self) -> Result<BrokerageAccounts> {
        const OP: &str = "brokerage_accounts";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { .. } => {
                // The Web spec models `aliases` (keyed by account id) with
                // its example's key as a fixed field, so its typed decode
                // would drop every alias: read the body here.
                self.client
                    .raw::<ibkr_api::web::types::UserAccountsResponse>(
                        OP,
                        reqwest::Method::GET,
                        "/iserver/accounts",
                        None,
                    )
                    .await?
                    .decode(OP, BrokerageAccounts::from)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.iserver_accounts_get())
                .await?
                .decode(OP, BrokerageAccounts::from),
        }
    }

    /// The portfolio accounts (`GET /portfolio/accounts`; IBKR allows one
    /// call every 5 s).
    pub async fn portfolio_accounts(&self) -> Result<Vec<Account>> {
        const OP: &str = "portfolio_accounts";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.portfolio_accounts_get())
                .await?
                .decode(OP, |v| v.into_iter().map(Account::from).collect()),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.portfolio_accounts_get())
                .await?
                .decode(OP, |v| v.0.into_iter().map(Account::from).collect()),
        }
    }

    /// Sub-accounts of a financial advisor or IBroker master
    /// (`GET /portfolio/subaccounts`).
    pub async fn subaccounts(&self) -> Result<Vec<Account>> {
        const OP: &str = "subaccounts";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.portfolio_subaccounts_get())
                .await?
                .decode(OP, |v| v.into_iter().map(Account::from).collect()),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                // The Gateway's spec describes one account; IBKR sends a list.
                let outcome = self
                    .client
                    .call(OP, api.portfolio_subaccounts_get())
                    .await?;
                match outcome {
                    crate::call::Outcome::Raw(bytes) => {
                        #[derive(Deserialize)]
                        struct List(
                            #[serde(deserialize_with = "lenient::vec_or_single")] Vec<Account>,
                        );
                        Ok(crate::call::decode_raw::<List>(OP, &bytes)?.0)
                    }
                    other => other.decode_or_default(OP, |a| vec![Account::from(a)]),
                }
            }
        }
    }

    /// The account summary (`GET /portfolio/{accountId}/summary`).
    pub async fn summary(&self, account_id: &str) -> Result<AccountSummary> {
        const OP: &str = "account_summary";
        both!(
            self,
            OP,
            |api| api.portfolio_account_id_summary_get(account_id),
            json(OP)
        )
    }

    /// The ledger by currency (`GET /portfolio/{accountId}/ledger`).
    pub async fn ledger(&self, account_id: &str) -> Result<Ledger> {
        const OP: &str = "ledger";
        both!(
            self,
            OP,
            |api| api.portfolio_account_id_ledger_get(account_id),
            json(OP)
        )
    }

    /// The account's attributes (`GET /portfolio/{accountId}/meta`).
    pub async fn meta(&self, account_id: &str) -> Result<Account> {
        const OP: &str = "account_meta";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.portfolio_account_id_meta_get(account_id))
                .await?
                .decode(OP, Account::from),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                // The Gateway's spec describes a list; IBKR sends one object.
                let outcome = self
                    .client
                    .call(OP, api.portfolio_account_id_meta_get(account_id))
                    .await?;
                match outcome {
                    crate::call::Outcome::Raw(bytes) => {
                        #[derive(Deserialize)]
                        struct List(
                            #[serde(deserialize_with = "lenient::vec_or_single")] Vec<Account>,
                        );
                        Ok(crate::call::decode_raw::<List>(OP, &bytes)?
                            .0
                            .into_iter()
                            .next()
                            .unwrap_or_default())
                    }
                    other => other.decode_or_default(OP, |list| {
                        list.0
                            .into_iter()
                            .next()
                            .map(Account::from)
                            .unwrap_or_default()
                    }),
                }
            }
        }
    }

    /// The account's allocation (`GET /portfolio/{accountId}/allocation`).
    pub async fn allocation(&self, account_id: &str) -> Result<Allocation> {
        const OP: &str = "allocation";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(
                    OP,
                    api.portfolio_account_id_allocation_get(account_id, None),
                )
                .await?
                .json(OP),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                // The Gateway's spec describes a list of one allocation.
                let outcome = self
                    .client
                    .call(OP, api.portfolio_account_id_allocation_get(account_id))
                    .await?;
                #[derive(Deserialize, Default)]
                struct List(#[serde(deserialize_with = "lenient::vec_or_single")] Vec<Allocation>);
                let list: List = match outcome {
                    crate::call::Outcome::Typed(t) => via_json(OP, &t)?,
                    other => other.decode_or_default(OP, |_| List::default())?,
                };
                Ok(list.0.into_iter().next().unwrap_or_default())
            }
        }
    }

    /// Selects the account that `/iserver` operations act on
    /// (`POST /iserver/account`), for users with several accounts.
    pub async fn switch_account(&self, account_id: &str) -> Result<SwitchedAccount> {
        const OP: &str = "switch_account";
        let body = serde_json::json!({ "acctId": account_id });
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body: ibkr_api::web::types::IserverAccountPostBody = to_body(OP, body)?;
                self.client
                    .call(OP, api.iserver_account_post(&body))
                    .await?
                    .decode_or_default(OP, |r| SwitchedAccount {
                        account_id: r.acct_id,
                        set: r.set,
                    })
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body: ibkr_api::gateway::types::SetAccount = to_body(OP, body)?;
                self.client
                    .call(OP, api.iserver_account_post(&body))
                    .await?
                    .decode_or_default(OP, |r| SwitchedAccount {
                        account_id: r.acct_id,
                        set: r.set,
                    })
            }
        }
    }
}
