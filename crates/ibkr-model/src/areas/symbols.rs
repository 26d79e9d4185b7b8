//! The data types of `ibkr_client::areas::symbols`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, Conid};
use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::Serialize;

/// What [`Symbols::search`](struct.Symbols.html#method.search) looks for: a symbol, or a company name, fund
/// family or pattern, with the options IBKR's query form takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SymbolSearch {
    /// The ticker, company name or bond issuer to look for.
    pub symbol: String,
    /// `STK` (IBKR's default), `IND` or `BOND`.
    #[serde(rename = "secType", skip_serializing_if = "Option::is_none")]
    pub sec_type: Option<String>,
    /// Whether `symbol` is (part of) a company name rather than a ticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<bool>,
    /// Whether to return more results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more: Option<bool>,
    /// Whether to search funds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fund: Option<bool>,
    /// A fund family's `conid@exchange`, to list its funds.
    #[serde(rename = "fundFamilyConidEx", skip_serializing_if = "Option::is_none")]
    pub fund_family_conidex: Option<String>,
    /// Whether `symbol` is a pattern.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<bool>,
    /// A referrer tag, passed on to IBKR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

impl SymbolSearch {
    /// A search for `symbol` with IBKR's defaults.
    pub fn new(symbol: impl Into<String>) -> Self {
        SymbolSearch {
            symbol: symbol.into(),
            ..SymbolSearch::default()
        }
    }

    /// Narrows the search to a security type (`STK`, `IND`, `BOND`).
    pub fn sec_type(mut self, sec_type: impl Into<String>) -> Self {
        self.sec_type = Some(sec_type.into());
        self
    }

    /// Searches company names instead of tickers.
    pub fn by_name(mut self) -> Self {
        self.name = Some(true);
        self
    }

    /// Asks for more results.
    pub fn more(mut self) -> Self {
        self.more = Some(true);
        self
    }

    /// Searches funds.
    pub fn funds(mut self) -> Self {
        self.fund = Some(true);
        self
    }

    /// Lists the funds of a fund family (`conid@exchange`).
    pub fn fund_family(mut self, conidex: impl Into<String>) -> Self {
        self.fund_family_conidex = Some(conidex.into());
        self
    }

    /// Treats the symbol as a pattern.
    pub fn pattern(mut self) -> Self {
        self.pattern = Some(true);
        self
    }
}

/// One derivative or listing section of a [`SymbolMatch`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SymbolSection {
    /// The security type (`STK`, `OPT`, `WAR`, `CFD`, `BOND`, ...).
    #[serde(default, rename = "secType", deserialize_with = "lenient::opt_string")]
    pub sec_type: Option<String>,
    /// Contract months (`MAR24`, ...).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub months: Vec<String>,
    /// Exchanges.
    #[serde(
        default,
        rename = "exchange",
        deserialize_with = "lenient::string_list"
    )]
    pub exchanges: Vec<String>,
    /// The section's own contract id, when it has one (a CFD).
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
}

/// A bond issuer of a BOND search.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BondIssuer {
    /// The issuer id, for [`Symbols::bond_filters`](struct.Symbols.html#method.bond_filters) (`e1400789`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The issuer's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// One hit of [`Symbols::search`](struct.Symbols.html#method.search).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SymbolMatch {
    /// The contract id (of the underlying).
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The company name.
    #[serde(
        default,
        rename = "companyName",
        deserialize_with = "lenient::opt_string"
    )]
    pub company_name: Option<String>,
    /// The header (`INTL BUSINESS MACHINES CORP - NYSE`).
    #[serde(
        default,
        rename = "companyHeader",
        deserialize_with = "lenient::opt_string"
    )]
    pub company_header: Option<String>,
    /// The description (usually the exchange).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Whether trading it is restricted, when IBKR says.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub restricted: Option<bool>,
    /// Option expiries (`YYYYMMDD`).
    #[serde(default, rename = "opt", deserialize_with = "lenient::string_list")]
    pub option_expiries: Vec<String>,
    /// Warrant expiries (`YYYYMMDD`).
    #[serde(default, rename = "war", deserialize_with = "lenient::string_list")]
    pub warrant_expiries: Vec<String>,
    /// Futures options expiries, when sent.
    #[serde(default, rename = "fop", deserialize_with = "lenient::string_list")]
    pub future_option_expiries: Vec<String>,
    /// What trades on it, by security type.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub sections: Vec<SymbolSection>,
    /// The issuers, for a BOND search.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub issuers: Vec<BondIssuer>,
    /// IBKR's bond id, for a BOND search.
    #[serde(default, rename = "bondid", deserialize_with = "lenient::opt_i64")]
    pub bond_id: Option<i64>,
}

/// One value a [`BondFilter`] offers.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BondFilterOption {
    /// The value (`202501`, `1.301`, `USD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    /// Its text, when IBKR writes one (`Jan 2025`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
}

/// A filter of an issuer's bonds ([`Symbols::bond_filters`](struct.Symbols.html#method.bond_filters)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BondFilter {
    /// What it filters (`Maturity Date`, `Issue Date`, `Coupon`, `Currency`).
    #[serde(
        default,
        rename = "displayText",
        deserialize_with = "lenient::opt_string"
    )]
    pub display_text: Option<String>,
    /// IBKR's column id (for user interfaces).
    #[serde(default, rename = "columnId", deserialize_with = "lenient::opt_i64")]
    pub column_id: Option<i64>,
    /// The values to choose from.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub options: Vec<BondFilterOption>,
}

/// A contract tradable on an exchange ([`Symbols::all_conids`](struct.Symbols.html#method.all_conids)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ExchangeContract {
    /// The ticker.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ticker: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The exchange (its primary listing).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
}
