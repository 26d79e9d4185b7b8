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

pub use ibkr_model::areas::symbols::*;

use ibkr_ops::areas::symbols as ops;

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
