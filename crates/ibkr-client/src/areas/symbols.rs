//! Symbol search with every option of IBKR's query form, bond filters and
//! every contract of an exchange (`GET /iserver/secdef/search`,
//! `/iserver/secdef/bond-filters`, `/trsrv/all-conids`; the Web API only,
//! the Gateway answers [`Error::Unsupported`];
//! [`Contracts::search`](super::contracts::Contracts::search) searches on
//! both variants).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::symbols::SymbolSearch;
//!
//! let symbols = client.symbols();
//! for hit in symbols.search(&SymbolSearch::new("IBM")).await? {
//!     println!("{:?} {:?} on {:?}", hit.conid, hit.symbol, hit.description);
//! }
//! // Bonds: the issuers come from a BOND search, their filters from bond_filters.
//! let bonds = symbols.search(&SymbolSearch::new("IBM").sec_type("BOND")).await?;
//! if let Some(issuer) = bonds.iter().flat_map(|b| &b.issuers).next() {
//!     for filter in symbols.bond_filters(issuer.id.as_deref().unwrap_or_default()).await? {
//!         println!("{:?}: {} options", filter.display_text, filter.options.len());
//!     }
//! }
//! let listed = symbols.all_conids("AMEX", None).await?;
//! println!("{} contracts on AMEX", listed.len());
//! # Ok(()) }
//! ```

use ibkr_ops::areas::symbols as ops;
use serde::Serialize;

use super::ids::{self, Conid};
use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result};
use crate::lenient;

/// Symbol operations, from [`Client::symbols`].
#[derive(Debug, Clone, Copy)]
pub struct Symbols<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Symbol search, bond filters, contracts of an exchange (Web API).
    pub fn symbols(&self) -> Symbols<'_> {
        Symbols { client: self }
    }
}

/// What [`Symbols::search`] looks for: a symbol, or a company name, fund
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
    /// The issuer id, for [`Symbols::bond_filters`] (`e1400789`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The issuer's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// One hit of [`Symbols::search`].
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

/// A filter of an issuer's bonds ([`Symbols::bond_filters`]).
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

/// `{"bondFilters": […]}`
#[derive(LenientDeserialize, Default)]
struct BondFilters {
    #[serde(
        default,
        rename = "bondFilters",
        deserialize_with = "lenient::vec_or_single"
    )]
    filters: Vec<BondFilter>,
}

/// A contract tradable on an exchange ([`Symbols::all_conids`]).
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

impl Symbols<'_> {
    /// Searches contracts by symbol, company name, fund family or pattern
    /// (`GET /iserver/secdef/search`; Web API). A BOND search lists the
    /// issuers, for [`Symbols::bond_filters`].
    pub async fn search(&self, search: &SymbolSearch) -> Result<Vec<SymbolMatch>> {
        if search.symbol.trim().is_empty() && search.fund_family_conidex.is_none() {
            return Err(Error::InvalidArgument(format!(
                "{}: a symbol or a fund family is needed",
                ops::SEARCH.name
            )));
        }
        self.client
            .op(&ops::SEARCH)?
            .query_opt(
                "symbol",
                (!search.symbol.is_empty()).then_some(&search.symbol),
            )
            .query_opt("secType", search.sec_type.as_deref())
            .query_opt("name", search.name)
            .query_opt("more", search.more)
            .query_opt("fund", search.fund)
            .query_opt("fundFamilyConidEx", search.fund_family_conidex.as_deref())
            .query_opt("pattern", search.pattern)
            .query_opt("referrer", search.referrer.as_deref())
            .fetch_list()
            .await
    }

    /// The filters (maturities, issue dates, coupons, currencies) of a
    /// bond issuer's bonds; `issuer_id` is a [`BondIssuer::id`]
    /// (`GET /iserver/secdef/bond-filters?symbol=BOND&issueId=…`; Web API).
    pub async fn bond_filters(&self, issuer_id: &str) -> Result<Vec<BondFilter>> {
        if issuer_id.trim().is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{}: an issuer id is needed",
                ops::BOND_FILTERS.name
            )));
        }
        let filters: BondFilters = self
            .client
            .op(&ops::BOND_FILTERS)?
            .query("symbol", "BOND")
            .query("issueId", issuer_id)
            .fetch_or_default()
            .await?;
        Ok(filters.filters)
    }

    /// Every contract tradable on `exchange` (`NYSE`, `AMEX`), listed
    /// there or not; `asset_class` defaults to `STK` at IBKR
    /// (`GET /trsrv/all-conids`; Web API). The list can be long.
    pub async fn all_conids(
        &self,
        exchange: &str,
        asset_class: Option<&str>,
    ) -> Result<Vec<ExchangeContract>> {
        if exchange.trim().is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{}: an exchange is needed",
                ops::ALL_CONIDS.name
            )));
        }
        self.client
            .op(&ops::ALL_CONIDS)?
            .query("exchange", exchange)
            .query_opt("assetClass", asset_class)
            .fetch_list()
            .await
    }
}
