//! Contracts: search, definitions, option strikes, rules and algos.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let contracts = client.contracts();
//! let hits = contracts.search("AAPL", Some("STK"), false).await?;
//! let conid = hits.first().and_then(|h| h.conid).unwrap_or(265598.into());
//! let info = contracts.info(conid).await?;
//! println!("{:?} on {:?}", info.symbol, info.exchange);
//! let strikes = contracts.strikes(conid, "OPT", "JAN26", None).await?;
//! println!("{} call strikes", strikes.call.len());
//! let rules = contracts.rules(conid, true).await?;
//! println!("order types {:?}, tick {:?}", rules.order_types, rules.increment);
//! for venue in contracts.trading_schedule("STK", "AAPL", None).await? {
//!     println!("{:?}: {} days", venue.exchange, venue.schedules.len());
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::contracts::*;

use std::collections::BTreeMap;

use ibkr_ops::Operation;
use ibkr_ops::areas::contracts as ops;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ids::Conid;
use crate::client::Client;
use crate::decode::wire::{self, ByKey, Wrapped};
use crate::error::{Error, Result, Variant};

/// Contract operations, from [`Client::contracts`].
#[derive(Debug, Clone, Copy)]
pub struct Contracts<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Contracts: search, definitions, strikes, rules, algos.
    pub fn contracts(&self) -> Contracts<'_> {
        Contracts { client: self }
    }
}

/// The asset classes of [`Contracts::trading_schedule`] (both specs list
/// these).
const SCHEDULE_ASSET_CLASSES: &[&str] = &[
    "STK", "OPT", "FUT", "CFD", "WAR", "SWP", "FND", "BND", "ICS",
];

/// `{"conid": …, "isBuy": …}`
#[derive(Serialize)]
struct RulesBody {
    conid: Conid,
    #[serde(rename = "isBuy")]
    is_buy: bool,
}

/// `{"symbol": …, "name": …, "secType": …}`
#[derive(Serialize)]
struct SearchBody<'a> {
    symbol: &'a str,
    name: bool,
    #[serde(rename = "secType", skip_serializing_if = "Option::is_none")]
    sec_type: Option<&'a str>,
}

/// `{"conids": […]}`
#[derive(Serialize)]
struct SecdefBody<'a> {
    conids: &'a [i64],
}

/// `1,2,3`
fn comma_list(values: &[impl ToString]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Contracts<'_> {
    /// Searches contracts by symbol or name (`POST /iserver/secdef/search`).
    /// `sec_type` narrows the search (`STK`, `IND`, `BOND`; IBKR's default
    /// is `STK`); `by_name` searches company names instead of symbols.
    pub async fn search(
        &self,
        symbol: &str,
        sec_type: Option<&str>,
        by_name: bool,
    ) -> Result<Vec<ContractSearchResult>> {
        self.client
            .op(&ops::SEARCH)?
            .json(&SearchBody {
                symbol,
                name: by_name,
                sec_type,
            })?
            .fetch_list()
            .await
    }

    /// Definitions of derivatives of an underlying (`GET /iserver/secdef/info`).
    ///
    /// Option chains run to tens of thousands of rows: the answer is read in
    /// one pass straight into [`ContractInfo`]s.
    pub async fn secdef_info(&self, query: &SecdefInfoQuery) -> Result<Vec<ContractInfo>> {
        self.client
            .op(&ops::SECDEF_INFO)?
            .query("conid", query.conid)
            .query("sectype", &query.sec_type)
            .query_opt("month", query.month.as_deref())
            .query_opt("exchange", query.exchange.as_deref())
            .query_opt("strike", query.strike)
            .query_opt("right", query.right.as_ref())
            .fetch_list()
            .await
    }

    /// Option (or warrant) strikes of an underlying for a month
    /// (`GET /iserver/secdef/strikes`).
    pub async fn strikes(
        &self,
        conid: impl Into<Conid>,
        sec_type: &str,
        month: &str,
        exchange: Option<&str>,
    ) -> Result<Strikes> {
        self.client
            .op(&ops::STRIKES)?
            .query("conid", Into::<Conid>::into(conid))
            .query("sectype", sec_type)
            .query("month", month)
            .query_opt("exchange", exchange)
            .fetch_or_default()
            .await
    }

    /// A contract's details (`GET /iserver/contract/{conid}/info`).
    pub async fn info(&self, conid: impl Into<Conid>) -> Result<ContractInfo> {
        self.client
            .op(&ops::INFO)?
            .arg(Into::<Conid>::into(conid))?
            .fetch_or_default()
            .await
    }

    /// A contract's details with its trading rules for a buy (`is_buy`) or
    /// sell order (`GET /iserver/contract/{conid}/info-and-rules?isBuy=…`;
    /// the Web API's spec does not list `isBuy`, its rules are those of a
    /// buy).
    pub async fn info_and_rules(
        &self,
        conid: impl Into<Conid>,
        is_buy: bool,
    ) -> Result<ContractInfo> {
        self.client
            .op(&ops::INFO_AND_RULES)?
            .arg(Into::<Conid>::into(conid))?
            .query("isBuy", is_buy)
            .fetch_or_default()
            .await
    }

    /// IB algos available for a contract, with their parameters when
    /// `with_parameters` (`GET /iserver/contract/{conid}/algos`; the Web
    /// API wraps the list in `{"algos": […]}`, the Gateway does not: both
    /// are read).
    pub async fn algos(&self, conid: impl Into<Conid>, with_parameters: bool) -> Result<Vec<Algo>> {
        let flag = with_parameters.then_some("true");
        let items = self
            .client
            .op(&ops::ALGOS)?
            .arg(Into::<Conid>::into(conid))?
            .query_opt("addDescription", flag)
            .query_opt("addParams", flag)
            .fetch_list::<Wrapped<AlgosWrapper, Algo>>()
            .await?;
        Ok(wire::flatten(items))
    }

    /// Trading rules of a contract for a buy (`is_buy`) or sell order
    /// (`POST /iserver/contract/rules`): order types, times in force,
    /// sizes and price increments.
    ///
    /// IBKR sends the rules flat; the Gateway's spec describes them as
    /// `{"rules": [...]}`. Both shapes are read.
    pub async fn rules(&self, conid: impl Into<Conid>, is_buy: bool) -> Result<ContractRules> {
        let rules = self
            .client
            .op(&ops::RULES)?
            .json(&RulesBody {
                conid: conid.into(),
                is_buy,
            })?
            .fetch_or_default::<Wrapped<RulesWrapper, ContractRules>>()
            .await?;
        Ok(rules.into_inner())
    }

    /// The trading schedule of a symbol by venue
    /// (`GET /trsrv/secdef/schedule`): `asset_class` is `STK`, `OPT`,
    /// `FUT`, `CFD`, `WAR`, `SWP`, `FND`, `BND` or `ICS` (others are
    /// refused with [`Error::InvalidArgument`] before anything is sent);
    /// `exchange` narrows it to one exchange.
    pub async fn trading_schedule(
        &self,
        asset_class: &str,
        symbol: &str,
        exchange: Option<&str>,
    ) -> Result<Vec<TradingSchedule>> {
        if !SCHEDULE_ASSET_CLASSES.contains(&asset_class) {
            return Err(Error::InvalidArgument(format!(
                "{}: asset class {asset_class:?} is not one of {}",
                ops::TRADING_SCHEDULE.name,
                SCHEDULE_ASSET_CLASSES.join(", ")
            )));
        }
        self.client
            .op(&ops::TRADING_SCHEDULE)?
            .query("assetClass", asset_class)
            .query("symbol", symbol)
            .query_opt("exchange", exchange)
            .fetch_list()
            .await
    }

    /// Definitions of up to [`MAX_SECDEF_CONIDS`] contracts (`/trsrv/secdef`:
    /// `GET ?conids=1,2` on the Web API, `POST {"conids": [1, 2]}` on the
    /// Gateway).
    pub async fn secdef(&self, conids: &[i64]) -> Result<Vec<ContractInfo>> {
        if conids.is_empty() || conids.len() > MAX_SECDEF_CONIDS {
            return Err(Error::InvalidArgument(format!(
                "{} takes 1 to {MAX_SECDEF_CONIDS} conids, got {}",
                ops::SECDEF.name,
                conids.len()
            )));
        }
        let call = self.client.op(&ops::SECDEF)?;
        // The one request that differs by variant beyond its route: the
        // Gateway only has the POST, which takes the list as a body.
        let call = match self.client.variant() {
            Variant::Web => call.query("conids", comma_list(conids)),
            Variant::Gateway => call.json(&SecdefBody { conids })?,
        };
        let items = call
            .fetch_list::<Wrapped<SecdefWrapper, ContractInfo>>()
            .await?;
        Ok(wire::flatten(items))
    }

    /// Stock listings by symbol (`GET /trsrv/stocks?symbols=…`).
    pub async fn stocks(&self, symbols: &[&str]) -> Result<BTreeMap<String, Vec<Stock>>> {
        self.by_symbol(&ops::STOCKS, symbols).await
    }

    /// Non-expired futures by underlying symbol (`GET /trsrv/futures?symbols=…`).
    pub async fn futures(&self, symbols: &[&str]) -> Result<BTreeMap<String, Vec<FutureContract>>> {
        self.by_symbol(&ops::FUTURES, symbols).await
    }

    /// `op` with `?symbols=A,B`, answered with lists by symbol (a single
    /// item or `null` in place of a list is read too).
    async fn by_symbol<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        symbols: &[&str],
    ) -> Result<BTreeMap<String, Vec<T>>> {
        let ByKey(by_symbol) = self
            .client
            .op(op)?
            .query("symbols", symbols.join(","))
            .fetch_or_default()
            .await?;
        Ok(by_symbol)
    }
}
