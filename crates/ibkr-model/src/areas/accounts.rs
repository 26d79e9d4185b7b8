//! The data types of `ibkr_client::areas::accounts`, with their lenient decoders
//! (re-exported there).

use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

use super::ids::{self, AccountId};
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;

/// The brokerage accounts of the session (`GET /iserver/accounts`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BrokerageAccounts {
    /// Account ids the user can trade (an FA login lists `All` too).
    #[serde(default, deserialize_with = "wire::account_ids")]
    pub accounts: Vec<AccountId>,
    /// The currently selected account.
    #[serde(
        default,
        rename = "selectedAccount",
        deserialize_with = "ids::opt_account_id"
    )]
    pub selected_account: Option<AccountId>,
    /// Aliases by account id (the Web spec models this map with its
    /// example's key as a fixed field; the answer is read as sent).
    #[serde(default, deserialize_with = "wire::string_map")]
    pub aliases: BTreeMap<String, String>,
    /// What each account supports, by account id (`acctProps`).
    #[serde(default, rename = "acctProps", deserialize_with = "wire::map_of")]
    pub properties: BTreeMap<String, AccountProperties>,
    /// Account groups (FA).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub groups: Vec<String>,
    /// Allocation profiles (FA).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub profiles: Vec<String>,
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

/// What an account supports (`acctProps` of [`BrokerageAccounts`]).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountProperties {
    /// Whether it has child accounts.
    #[serde(
        default,
        rename = "hasChildAccounts",
        deserialize_with = "lenient::opt_bool"
    )]
    pub has_child_accounts: Option<bool>,
    /// Whether it takes cash-quantity orders.
    #[serde(
        default,
        rename = "supportsCashQty",
        deserialize_with = "lenient::opt_bool"
    )]
    pub supports_cash_qty: Option<bool>,
    /// Whether it takes fractional quantities.
    #[serde(
        default,
        rename = "supportsFractions",
        deserialize_with = "lenient::opt_bool"
    )]
    pub supports_fractions: Option<bool>,
}

/// An account's attributes (`/portfolio/accounts`, `/portfolio/subaccounts`,
/// `/portfolio/{accountId}/meta`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Account {
    /// The account id.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub id: Option<AccountId>,
    /// The account id as `accountId` (some answers carry both).
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "ids::opt_account_id"
    )]
    pub account_id: Option<AccountId>,
    /// The account's VAN (`accountVan`), usually the account id.
    #[serde(
        default,
        rename = "accountVan",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_van: Option<String>,
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
    /// When the account was opened (`accountStatus`, ms since the epoch).
    #[serde(
        default,
        rename = "accountStatus",
        deserialize_with = "lenient::opt_i64"
    )]
    pub account_status: Option<i64>,
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
    /// The business type (`IB_SALES`, ...).
    #[serde(
        default,
        rename = "businessType",
        deserialize_with = "lenient::opt_string"
    )]
    pub business_type: Option<String>,
    /// The IBKR entity holding the account (`IBLLC-US`, ...).
    #[serde(default, rename = "ibEntity", deserialize_with = "lenient::opt_string")]
    pub ib_entity: Option<String>,
    /// The customer type (`INDIVIDUAL`, `LLC`, ...).
    #[serde(
        default,
        rename = "acctCustType",
        deserialize_with = "lenient::opt_string"
    )]
    pub customer_type: Option<String>,
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
    /// Whether the account can reach the brokerage (trading) session.
    #[serde(
        default,
        rename = "brokerageAccess",
        deserialize_with = "lenient::opt_bool"
    )]
    pub brokerage_access: Option<bool>,
    /// Whether the client may not trade it (an advisor trades it).
    #[serde(
        default,
        rename = "noClientTrading",
        deserialize_with = "lenient::opt_bool"
    )]
    pub no_client_trading: Option<bool>,
    /// Whether IBKR tracks a virtual FX portfolio for it.
    #[serde(
        default,
        rename = "trackVirtualFXPortfolio",
        deserialize_with = "lenient::opt_bool"
    )]
    pub track_virtual_fx_portfolio: Option<bool>,
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
    /// Its multiplex parent, when IBKR reports one (`parent`).
    #[serde(default)]
    pub parent: Option<AccountParent>,
}

/// The multiplex parent of an [`Account`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountParent {
    /// The money manager clients (`mmc`).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub mmc: Vec<String>,
    /// The parent account id.
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "ids::opt_account_id"
    )]
    pub account_id: Option<AccountId>,
    /// Whether the account is a multiplex parent.
    #[serde(default, rename = "isMParent", deserialize_with = "lenient::opt_bool")]
    pub is_m_parent: Option<bool>,
    /// Whether the account is a multiplex child.
    #[serde(default, rename = "isMChild", deserialize_with = "lenient::opt_bool")]
    pub is_m_child: Option<bool>,
    /// Whether the account is a multiplex account.
    #[serde(
        default,
        rename = "isMultiplex",
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_multiplex: Option<bool>,
}

/// One value of an account summary.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SummaryValue {
    /// The amount, for monetary values (and counts such as
    /// `daytradesremaining`), exact.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub amount: Option<Decimal>,
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

/// One currency's ledger entry. Every amount is exact; IBKR's
/// `exchangerate` is a [`Decimal`] too.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LedgerEntry {
    /// The currency (`BASE` for the base currency's entry).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The account (`acctcode`).
    #[serde(default, rename = "acctcode", deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// IBKR's key of the list (`LedgerList`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub key: Option<String>,
    /// IBKR's second key (the currency key).
    #[serde(
        default,
        rename = "secondkey",
        deserialize_with = "lenient::opt_string"
    )]
    pub second_key: Option<String>,
    /// Cash balance.
    #[serde(default, rename = "cashbalance", deserialize_with = "wire::decimal")]
    pub cash_balance: Option<Decimal>,
    /// Cash balance of the FX segment.
    #[serde(
        default,
        rename = "cashbalancefxsegment",
        deserialize_with = "wire::decimal"
    )]
    pub cash_balance_fx_segment: Option<Decimal>,
    /// Settled cash.
    #[serde(default, rename = "settledcash", deserialize_with = "wire::decimal")]
    pub settled_cash: Option<Decimal>,
    /// Net liquidation value.
    #[serde(
        default,
        rename = "netliquidationvalue",
        deserialize_with = "wire::decimal"
    )]
    pub net_liquidation_value: Option<Decimal>,
    /// Stock market value.
    #[serde(
        default,
        rename = "stockmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub stock_market_value: Option<Decimal>,
    /// Stock option market value.
    #[serde(
        default,
        rename = "stockoptionmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub stock_option_market_value: Option<Decimal>,
    /// Future market value.
    #[serde(
        default,
        rename = "futuremarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub future_market_value: Option<Decimal>,
    /// Future option market value.
    #[serde(
        default,
        rename = "futureoptionmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub future_option_market_value: Option<Decimal>,
    /// Futures-only profit and loss.
    #[serde(default, rename = "futuresonlypnl", deserialize_with = "wire::decimal")]
    pub futures_only_pnl: Option<Decimal>,
    /// Commodity market value.
    #[serde(
        default,
        rename = "commoditymarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub commodity_market_value: Option<Decimal>,
    /// Corporate bonds market value.
    #[serde(
        default,
        rename = "corporatebondsmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub corporate_bonds_market_value: Option<Decimal>,
    /// Treasury bills market value.
    #[serde(
        default,
        rename = "tbillsmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub tbills_market_value: Option<Decimal>,
    /// Treasury bonds market value.
    #[serde(
        default,
        rename = "tbondsmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub tbonds_market_value: Option<Decimal>,
    /// Warrants market value.
    #[serde(
        default,
        rename = "warrantsmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub warrants_market_value: Option<Decimal>,
    /// Issuer options market value.
    #[serde(
        default,
        rename = "issueroptionsmarketvalue",
        deserialize_with = "wire::decimal"
    )]
    pub issuer_options_market_value: Option<Decimal>,
    /// Cryptocurrency value.
    #[serde(
        default,
        rename = "cryptocurrencyvalue",
        deserialize_with = "wire::decimal"
    )]
    pub cryptocurrency_value: Option<Decimal>,
    /// Money market funds.
    #[serde(default, rename = "moneyfunds", deserialize_with = "wire::decimal")]
    pub money_funds: Option<Decimal>,
    /// Funds.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub funds: Option<Decimal>,
    /// Realized profit and loss.
    #[serde(default, rename = "realizedpnl", deserialize_with = "wire::decimal")]
    pub realized_pnl: Option<Decimal>,
    /// Unrealized profit and loss.
    #[serde(default, rename = "unrealizedpnl", deserialize_with = "wire::decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// Exchange rate to the base currency.
    #[serde(default, rename = "exchangerate", deserialize_with = "wire::decimal")]
    pub exchange_rate: Option<Decimal>,
    /// Interest.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub interest: Option<Decimal>,
    /// Dividends.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub dividends: Option<Decimal>,
    /// IBKR's session id of the entry.
    #[serde(default, rename = "sessionid", deserialize_with = "lenient::opt_i64")]
    pub session_id: Option<i64>,
    /// Severity, when reported.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub severity: Option<i64>,
    /// When computed (IBKR's timestamp, as sent: seconds in its examples).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub timestamp: Option<i64>,
}

/// Ledger entries by currency key (`BASE`, `USD`, ...).
pub type Ledger = BTreeMap<String, LedgerEntry>;

/// Allocation of an account by asset class, sector and group; each maps
/// a name to a value, split into long and short.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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

/// Long and short values by name, exact.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllocationSplit {
    /// Long values.
    #[serde(default, deserialize_with = "lenient::decimal_map")]
    pub long: BTreeMap<String, Decimal>,
    /// Short values.
    #[serde(default, deserialize_with = "lenient::decimal_map")]
    pub short: BTreeMap<String, Decimal>,
}

/// The answer to [`Accounts::switch_account`](struct.Accounts.html#method.switch_account).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SwitchedAccount {
    /// The selected account.
    #[serde(default, rename = "acctId", deserialize_with = "ids::opt_account_id")]
    pub account_id: Option<AccountId>,
    /// Whether it was set.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub set: Option<bool>,
    /// IBKR's message when it answers `{"success": "…"}` instead
    /// (`"Account already set"`).
    #[serde(default, rename = "success", deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::wire::ByKey;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn maps_of_scalars_skip_missing_values_and_odd_shapes() {
        let split: AllocationSplit =
            serde_json::from_str(r#"{"long":{"STK":"1,000.5","OPT":"N/A","X":{}},"short":[1]}"#)
                .unwrap();
        assert_eq!(split.long.len(), 1);
        assert_eq!(split.long["STK"], dec("1000.5"));
        assert!(split.short.is_empty());
        let accounts: BrokerageAccounts = serde_json::from_str(
            r#"{"accounts":"U1,U2","aliases":{"U1":"main","U2":7,"U3":null},
                "acctProps":{"U1":{"supportsCashQty":true,"supportsFractions":"false"},"U2":null}}"#,
        )
        .unwrap();
        assert_eq!(accounts.accounts, ["U1", "U2"]);
        assert_eq!(accounts.aliases.len(), 2);
        assert_eq!(accounts.aliases["U2"], "7");
        assert_eq!(accounts.properties.len(), 1);
        assert_eq!(accounts.properties["U1"].supports_cash_qty, Some(true));
        assert_eq!(accounts.properties["U1"].supports_fractions, Some(false));
    }

    #[test]
    fn amounts_are_exact() {
        let entry: LedgerEntry = serde_json::from_str(
            r#"{"cashbalance":-435667.94,"netliquidationvalue":"1,456,360.90","exchangerate":1,
                "stockoptionmarketvalue":44272.29,"acctcode":"DU1"}"#,
        )
        .unwrap();
        assert_eq!(entry.cash_balance, Some(dec("-435667.94")));
        assert_eq!(entry.net_liquidation_value, Some(dec("1456360.90")));
        assert_eq!(entry.exchange_rate, Some(Decimal::ONE));
        assert_eq!(entry.stock_option_market_value, Some(dec("44272.29")));
        assert_eq!(entry.account.as_deref(), Some("DU1"));
        // What it serializes to reads back the same.
        let again: LedgerEntry =
            serde_json::from_value(serde_json::to_value(&entry).unwrap()).unwrap();
        assert_eq!(again, entry);
    }

    #[test]
    fn lists_by_key_take_lists_single_items_and_null() {
        let ByKey(by) = serde_json::from_str::<ByKey<LedgerEntry>>(
            r#"{"A":[{"cashbalance":1},{"cashbalance":"2"}],"B":{"cashbalance":3},"C":null}"#,
        )
        .unwrap();
        assert_eq!(by["A"].len(), 2);
        assert_eq!(by["A"][1].cash_balance, Some(Decimal::TWO));
        assert_eq!(by["B"][0].cash_balance, Some(Decimal::from(3)));
        assert!(by["C"].is_empty());
    }
}
