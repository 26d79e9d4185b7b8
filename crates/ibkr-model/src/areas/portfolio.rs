//! The data types of `ibkr_client::areas::portfolio`, with their lenient decoders
//! (re-exported there).

use std::collections::BTreeMap;

use super::contracts::Right;
use super::ids::{self, AccountId, Conid};
use super::orders::SecurityType;
use crate::decode::LenientDeserialize;
use crate::decode::wire::{self};
use crate::lenient;
use rust_decimal::Decimal;
use serde::Serialize;

/// IBKR's page size of [`Portfolio::positions`](struct.Portfolio.html#method.positions), when a page does not say
/// (each position carries IBKR's `pageSize`).
pub const POSITIONS_PAGE_SIZE: usize = 100;

/// One position. Prices, sizes and amounts are exact decimals, in the
/// position's currency and (`base_…`) in the account's base currency.
///
/// The contract's reference data that IBKR repeats on every position
/// (`name`, `fullName`, `type`, `sector`, `group`, `sectorGroup`,
/// `countryCode`, `allExchanges`, `incrementRules`, `undComp`) and its
/// display hints (`displayRule`, `chineseName`, `time`, `conExchMap`,
/// `exchs`) are skipped: a page holds up to 100 positions, pages are read
/// often, and that data is the contract's ([`Contracts::secdef`](../contracts/struct.Contracts.html#method.secdef)
/// reads it by conid, [`Contracts::rules`](../contracts/struct.Contracts.html#method.rules)
/// the increments).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Position {
    /// The account.
    #[serde(default, rename = "acctId", deserialize_with = "ids::opt_account_id")]
    pub account_id: Option<AccountId>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The contract's description (`AAPL`, `SPY    JAN2025 440 C [...]`).
    #[serde(
        default,
        rename = "contractDesc",
        deserialize_with = "lenient::opt_string"
    )]
    pub contract_desc: Option<String>,
    /// The asset class (`STK`, `OPT`, ...).
    #[serde(default, rename = "assetClass", deserialize_with = "wire::opt_code")]
    pub asset_class: Option<SecurityType>,
    /// The position size (negative for short).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub position: Option<Decimal>,
    /// The market price.
    #[serde(default, rename = "mktPrice", deserialize_with = "wire::decimal")]
    pub mkt_price: Option<Decimal>,
    /// The market value.
    #[serde(default, rename = "mktValue", deserialize_with = "wire::decimal")]
    pub mkt_value: Option<Decimal>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The average cost (per contract, multiplier included).
    #[serde(default, rename = "avgCost", deserialize_with = "wire::decimal")]
    pub avg_cost: Option<Decimal>,
    /// The average price.
    #[serde(default, rename = "avgPrice", deserialize_with = "wire::decimal")]
    pub avg_price: Option<Decimal>,
    /// Realized profit and loss.
    #[serde(default, rename = "realizedPnl", deserialize_with = "wire::decimal")]
    pub realized_pnl: Option<Decimal>,
    /// Unrealized profit and loss.
    #[serde(default, rename = "unrealizedPnl", deserialize_with = "wire::decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// The market value in the account's base currency.
    #[serde(default, rename = "baseMktValue", deserialize_with = "wire::decimal")]
    pub base_mkt_value: Option<Decimal>,
    /// The market price in the base currency.
    #[serde(default, rename = "baseMktPrice", deserialize_with = "wire::decimal")]
    pub base_mkt_price: Option<Decimal>,
    /// The average cost in the base currency.
    #[serde(default, rename = "baseAvgCost", deserialize_with = "wire::decimal")]
    pub base_avg_cost: Option<Decimal>,
    /// The average price in the base currency.
    #[serde(default, rename = "baseAvgPrice", deserialize_with = "wire::decimal")]
    pub base_avg_price: Option<Decimal>,
    /// Realized profit and loss in the base currency.
    #[serde(
        default,
        rename = "baseRealizedPnl",
        deserialize_with = "wire::decimal"
    )]
    pub base_realized_pnl: Option<Decimal>,
    /// Unrealized profit and loss in the base currency.
    #[serde(
        default,
        rename = "baseUnrealizedPnl",
        deserialize_with = "wire::decimal"
    )]
    pub base_unrealized_pnl: Option<Decimal>,
    /// The expiry (`YYYYMMDD`), for derivatives.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expiry: Option<String>,
    /// The last trading day (`YYYYMMDD`), for derivatives.
    #[serde(
        default,
        rename = "lastTradingDay",
        deserialize_with = "lenient::opt_string"
    )]
    pub last_trading_day: Option<String>,
    /// Call or put, for options.
    #[serde(default, rename = "putOrCall", deserialize_with = "wire::opt_code")]
    pub put_or_call: Option<Right>,
    /// The strike, for options (`0` otherwise).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub strike: Option<Decimal>,
    /// The multiplier (`0` where IBKR has none, as for stocks).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub multiplier: Option<Decimal>,
    /// The exercise style, for options, when sent.
    #[serde(
        default,
        rename = "exerciseStyle",
        deserialize_with = "lenient::opt_string"
    )]
    pub exercise_style: Option<String>,
    /// The underlying's contract id, for derivatives (`0` otherwise).
    #[serde(default, rename = "undConid", deserialize_with = "ids::opt_conid")]
    pub und_conid: Option<Conid>,
    /// The underlying's symbol, for derivatives.
    #[serde(default, rename = "undSym", deserialize_with = "lenient::opt_string")]
    pub und_sym: Option<String>,
    /// The ticker.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ticker: Option<String>,
    /// The listing exchange.
    #[serde(
        default,
        rename = "listingExchange",
        deserialize_with = "lenient::opt_string"
    )]
    pub listing_exchange: Option<String>,
    /// The model (FA), when any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub model: Option<String>,
    /// Whether it is a US contract.
    #[serde(default, rename = "isUS", deserialize_with = "lenient::opt_bool")]
    pub is_us: Option<bool>,
    /// Whether it has options.
    #[serde(default, rename = "hasOptions", deserialize_with = "lenient::opt_bool")]
    pub has_options: Option<bool>,
    /// Whether it is an event contract.
    #[serde(
        default,
        rename = "isEventContract",
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_event_contract: Option<bool>,
    /// Whether its currency differs from the base currency.
    #[serde(
        default,
        rename = "crossCurrency",
        deserialize_with = "lenient::opt_bool"
    )]
    pub cross_currency: Option<bool>,
    /// IBKR's page size of the answer the position came in (`pageSize`).
    #[serde(default, rename = "pageSize", deserialize_with = "lenient::opt_i64")]
    pub page_size: Option<i64>,
}

/// Positions by account id.
pub type PositionsByAccount = BTreeMap<String, Vec<Position>>;

/// The answer to [`Portfolio::invalidate_positions`](struct.Portfolio.html#method.invalidate_positions).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Invalidated {
    /// IBKR's message (`"success"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}
