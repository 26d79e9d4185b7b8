//! Contracts: search, definitions, option strikes, rules and algos.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let contracts = client.contracts();
//! let hits = contracts.search("AAPL", Some("STK"), false).await?;
//! let conid = hits.first().and_then(|h| h.conid).unwrap_or(265598);
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

use std::collections::BTreeMap;
use std::fmt;

use ibkr_ops::Operation;
use ibkr_ops::areas::contracts as ops;
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::client::Client;
use crate::decode::wire::{self, ByKey, Float, Int, Key, Text, Wrapped};
use crate::error::{Error, Result, Variant};
use crate::lenient;

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

/// One hit of [`Contracts::search`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ContractSearchResult {
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
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
    /// The company header (`APPLE INC - NASDAQ`).
    #[serde(
        default,
        rename = "companyHeader",
        deserialize_with = "lenient::opt_string"
    )]
    pub company_header: Option<String>,
    /// The description (usually the exchange).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The derivative sections (security types with their months), as sent.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub sections: Vec<Value>,
}

/// A contract's definition (`/iserver/contract/{conid}/info`,
/// `/iserver/secdef/info`, `/trsrv/secdef`).
///
/// The endpoints spell the same fields differently (`conid` and `con_id`,
/// `symbol` and `ticker`, `secType`, `instrument_type` and `assetClass`,
/// `companyName`, `company_name` and `name`, …); each spelling is read.
/// Older Gateways send both `companyName` and `company_name` (the same
/// name): the first one present is kept, and the answer never fails for
/// carrying both.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContractInfo {
    /// The contract id.
    pub conid: Option<i64>,
    /// The symbol.
    pub symbol: Option<String>,
    /// The security type (`STK`, `OPT`, `FUT`, ...).
    #[serde(rename = "secType")]
    pub sec_type: Option<String>,
    /// The exchange.
    pub exchange: Option<String>,
    /// The listing exchange.
    #[serde(rename = "listingExchange")]
    pub listing_exchange: Option<String>,
    /// The currency.
    pub currency: Option<String>,
    /// The company or contract name.
    #[serde(rename = "companyName")]
    pub company_name: Option<String>,
    /// The local symbol.
    pub local_symbol: Option<String>,
    /// The strike, for options.
    pub strike: Option<f64>,
    /// `C` or `P`, for options.
    pub right: Option<String>,
    /// The maturity date, for derivatives.
    #[serde(rename = "maturityDate")]
    pub maturity_date: Option<String>,
    /// The multiplier.
    pub multiplier: Option<f64>,
    /// Valid exchanges, comma-separated.
    #[serde(rename = "validExchanges")]
    pub valid_exchanges: Option<String>,
    /// Trading rules, when the answer carries them (`info-and-rules`).
    pub rules: Option<Value>,
}

impl<'de> Deserialize<'de> for ContractInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ContractInfoVisitor)
    }
}

struct ContractInfoVisitor;

/// Sets `slot` unless an earlier spelling of the field already did.
fn first<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

impl<'de> Visitor<'de> for ContractInfoVisitor {
    type Value = ContractInfo;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a contract definition")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<ContractInfo, A::Error> {
        let mut c = ContractInfo::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "conid" | "con_id" => first(&mut c.conid, map.next_value::<Int>()?.0),
                "symbol" | "ticker" => first(&mut c.symbol, map.next_value::<Text>()?.0),
                "secType" | "instrument_type" | "assetClass" => {
                    first(&mut c.sec_type, map.next_value::<Text>()?.0)
                }
                "exchange" => first(&mut c.exchange, map.next_value::<Text>()?.0),
                "listingExchange" => first(&mut c.listing_exchange, map.next_value::<Text>()?.0),
                "currency" => first(&mut c.currency, map.next_value::<Text>()?.0),
                "companyName" | "company_name" | "name" => {
                    first(&mut c.company_name, map.next_value::<Text>()?.0)
                }
                "local_symbol" | "localSymbol" => {
                    first(&mut c.local_symbol, map.next_value::<Text>()?.0)
                }
                "strike" => first(&mut c.strike, map.next_value::<Float>()?.0),
                "right" => first(&mut c.right, map.next_value::<Text>()?.0),
                "maturityDate" | "maturity_date" => {
                    first(&mut c.maturity_date, map.next_value::<Text>()?.0)
                }
                "multiplier" => first(&mut c.multiplier, map.next_value::<Float>()?.0),
                "validExchanges" | "valid_exchanges" => {
                    first(&mut c.valid_exchanges, map.next_value::<Text>()?.0)
                }
                "rules" => first(&mut c.rules, map.next_value::<Option<Value>>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}

/// Option strikes (`/iserver/secdef/strikes`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Strikes {
    /// Call strikes.
    #[serde(default, deserialize_with = "wire::f64_list")]
    pub call: Vec<f64>,
    /// Put strikes.
    #[serde(default, deserialize_with = "wire::f64_list")]
    pub put: Vec<f64>,
}

/// An IB algo available for a contract.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Algo {
    /// The algo's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The algo's id (the order `strategy`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// Its parameters, as sent, when requested.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub parameters: Vec<Value>,
}

/// A stock listing of [`Contracts::stocks`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Stock {
    /// The company name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The asset class.
    #[serde(
        default,
        rename = "assetClass",
        deserialize_with = "lenient::opt_string"
    )]
    pub asset_class: Option<String>,
    /// The contracts (one per listing).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub contracts: Vec<StockContract>,
}

/// One listing of a [`Stock`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct StockContract {
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// Whether it is a US listing.
    #[serde(default, rename = "isUS", deserialize_with = "lenient::opt_bool")]
    pub is_us: Option<bool>,
}

/// A future of [`Contracts::futures`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct FutureContract {
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The underlying's contract id.
    #[serde(
        default,
        rename = "underlyingConid",
        deserialize_with = "lenient::opt_i64"
    )]
    pub underlying_conid: Option<i64>,
    /// The expiration date (`YYYYMMDD`).
    #[serde(
        default,
        rename = "expirationDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub expiration_date: Option<String>,
    /// The last trading day (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ltd: Option<String>,
}

/// Trading rules of a contract for one side ([`Contracts::rules`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ContractRules {
    /// Order types allowed (`limit`, `market`, `stop`, ...).
    #[serde(
        default,
        rename = "orderTypes",
        deserialize_with = "lenient::string_list"
    )]
    pub order_types: Vec<String>,
    /// Order types allowed outside regular trading hours.
    #[serde(
        default,
        rename = "orderTypesOutside",
        deserialize_with = "lenient::string_list"
    )]
    pub order_types_outside: Vec<String>,
    /// Times in force allowed (`DAY`, `GTC/o,a`, ...).
    #[serde(
        default,
        rename = "tifTypes",
        deserialize_with = "lenient::string_list"
    )]
    pub tif_types: Vec<String>,
    /// IB algos allowed.
    #[serde(
        default,
        rename = "ibAlgoTypes",
        alias = "ibalgoTypes",
        deserialize_with = "lenient::string_list"
    )]
    pub ib_algo_types: Vec<String>,
    /// Accounts that may trade the contract.
    #[serde(
        default,
        rename = "canTradeAcctIds",
        deserialize_with = "lenient::string_list"
    )]
    pub can_trade_account_ids: Vec<String>,
    /// The default order size.
    #[serde(default, rename = "defaultSize", deserialize_with = "lenient::opt_f64")]
    pub default_size: Option<f64>,
    /// The size increment.
    #[serde(
        default,
        rename = "sizeIncrement",
        deserialize_with = "lenient::opt_f64"
    )]
    pub size_increment: Option<f64>,
    /// The default cash quantity.
    #[serde(default, rename = "cashSize", deserialize_with = "lenient::opt_f64")]
    pub cash_size: Option<f64>,
    /// The cash quantity increment.
    #[serde(default, rename = "cashQtyIncr", deserialize_with = "lenient::opt_f64")]
    pub cash_qty_increment: Option<f64>,
    /// The currency of cash quantities.
    #[serde(default, rename = "cashCcy", deserialize_with = "lenient::opt_string")]
    pub cash_currency: Option<String>,
    /// The price increment (tick).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub increment: Option<f64>,
    /// Digits of the price increment.
    #[serde(
        default,
        rename = "incrementDigits",
        deserialize_with = "lenient::opt_i64"
    )]
    pub increment_digits: Option<i64>,
    /// Price increments by price range.
    #[serde(
        default,
        rename = "incrementRules",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub increment_rules: Vec<IncrementRule>,
    /// The suggested limit price.
    #[serde(default, rename = "limitPrice", deserialize_with = "lenient::opt_f64")]
    pub limit_price: Option<f64>,
    /// The suggested stop price.
    #[serde(default, rename = "stopprice", deserialize_with = "lenient::opt_f64")]
    pub stop_price: Option<f64>,
    /// Whether IB algos may be used.
    #[serde(
        default,
        rename = "algoEligible",
        deserialize_with = "lenient::opt_bool"
    )]
    pub algo_eligible: Option<bool>,
    /// Whether overnight trading is allowed.
    #[serde(
        default,
        rename = "overnightEligible",
        deserialize_with = "lenient::opt_bool"
    )]
    pub overnight_eligible: Option<bool>,
    /// Whether orders should be previewed (what-if) first.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub preview: Option<bool>,
    /// Whether IBKR requires a preview.
    #[serde(
        default,
        rename = "forceOrderPreview",
        deserialize_with = "lenient::opt_bool"
    )]
    pub force_order_preview: Option<bool>,
    /// Whether prices may be negative.
    #[serde(
        default,
        rename = "negativeCapable",
        deserialize_with = "lenient::opt_bool"
    )]
    pub negative_capable: Option<bool>,
    /// Defaults of order fields by order type, as sent.
    #[serde(default, rename = "orderDefaults")]
    pub order_defaults: Option<Value>,
    /// IBKR's error for this contract, if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
}

/// The price increment from a price on ([`ContractRules::increment_rules`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct IncrementRule {
    /// The lowest price the increment applies to.
    #[serde(default, rename = "lowerEdge", deserialize_with = "lenient::opt_f64")]
    pub lower_edge: Option<f64>,
    /// The increment.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub increment: Option<f64>,
}

/// A trading venue's schedule for a symbol ([`Contracts::trading_schedule`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct TradingSchedule {
    /// IBKR's id of the schedule.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// IBKR's id of the venue.
    #[serde(
        default,
        rename = "tradeVenueId",
        deserialize_with = "lenient::opt_string"
    )]
    pub trade_venue_id: Option<String>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// The venue's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The time zone of the times (`America/New_York`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timezone: Option<String>,
    /// The days.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub schedules: Vec<ScheduleDay>,
}

/// One day of a [`TradingSchedule`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ScheduleDay {
    /// The date (`YYYYMMDD`; `20000101` and the like stand for a weekday
    /// pattern).
    #[serde(
        default,
        rename = "tradingScheduleDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub date: Option<String>,
    /// The end of the clearing cycle (`HHMM`).
    #[serde(
        default,
        rename = "clearingCycleEndTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub clearing_cycle_end_time: Option<String>,
    /// The liquid (regular) sessions.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub sessions: Vec<TradingHours>,
    /// All trading times, outside regular hours included.
    #[serde(
        default,
        rename = "tradingtimes",
        alias = "tradingTimes",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub trading_times: Vec<TradingHours>,
}

/// Opening and closing time of a session (`HHMM`, in the schedule's time
/// zone).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct TradingHours {
    /// The opening time.
    #[serde(
        default,
        rename = "openingTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub opening_time: Option<String>,
    /// The closing time.
    #[serde(
        default,
        rename = "closingTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub closing_time: Option<String>,
    /// IBKR's session property (`LIQUID`), when given.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub prop: Option<String>,
    /// Whether day orders are cancelled at the close (`Y`/`N`), when given.
    #[serde(
        default,
        rename = "cancelDayOrders",
        deserialize_with = "lenient::opt_string"
    )]
    pub cancel_day_orders: Option<String>,
}

/// Filters of [`Contracts::secdef_info`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecdefInfoQuery {
    /// The underlying's contract id.
    pub conid: i64,
    /// The security type (`OPT`, `FOP`, `WAR`, `FUT`, ...).
    pub sec_type: String,
    /// The contract month (`JAN26`).
    pub month: Option<String>,
    /// The exchange.
    pub exchange: Option<String>,
    /// The strike.
    pub strike: Option<f64>,
    /// `C` or `P`.
    pub right: Option<String>,
}

/// IBKR's `/trsrv/secdef` limit per request.
pub const MAX_SECDEF_CONIDS: usize = 200;

/// The asset classes of [`Contracts::trading_schedule`] (both specs list
/// these).
const SCHEDULE_ASSET_CLASSES: &[&str] = &[
    "STK", "OPT", "FUT", "CFD", "WAR", "SWP", "FND", "BND", "ICS",
];

wire::wrapper!(
    /// `{"secdef": […]}`, the answer of `/trsrv/secdef` (the Gateway's
    /// spec describes a plain list, which is read too).
    SecdefWrapper, "secdef" => Vec<ContractInfo>, with = "lenient::vec_or_single"
);

wire::wrapper!(
    /// `{"algos": […]}`, the Web API's answer of
    /// `/iserver/contract/{conid}/algos` (the Gateway sends the list).
    AlgosWrapper, "algos" => Vec<Algo>, with = "lenient::vec_or_single"
);

wire::wrapper!(
    /// `{"rules": [{…}]}`, the answer of `/iserver/contract/rules` as the
    /// Gateway's spec describes it (IBKR sends the rules flat).
    RulesWrapper, "rules" => ContractRules, with = "wire::at_most_one"
);

/// `{"conid": …, "isBuy": …}`
#[derive(Serialize)]
struct RulesBody {
    conid: i64,
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
            .query_opt("right", query.right.as_deref())
            .fetch_list()
            .await
    }

    /// Option (or warrant) strikes of an underlying for a month
    /// (`GET /iserver/secdef/strikes`).
    pub async fn strikes(
        &self,
        conid: i64,
        sec_type: &str,
        month: &str,
        exchange: Option<&str>,
    ) -> Result<Strikes> {
        self.client
            .op(&ops::STRIKES)?
            .query("conid", conid)
            .query("sectype", sec_type)
            .query("month", month)
            .query_opt("exchange", exchange)
            .fetch_or_default()
            .await
    }

    /// A contract's details (`GET /iserver/contract/{conid}/info`).
    pub async fn info(&self, conid: i64) -> Result<ContractInfo> {
        self.client
            .op(&ops::INFO)?
            .arg(conid)?
            .fetch_or_default()
            .await
    }

    /// A contract's details with its trading rules for a buy (`is_buy`) or
    /// sell order (`GET /iserver/contract/{conid}/info-and-rules?isBuy=…`;
    /// the Web API's spec does not list `isBuy`, its rules are those of a
    /// buy).
    pub async fn info_and_rules(&self, conid: i64, is_buy: bool) -> Result<ContractInfo> {
        self.client
            .op(&ops::INFO_AND_RULES)?
            .arg(conid)?
            .query("isBuy", is_buy)
            .fetch_or_default()
            .await
    }

    /// IB algos available for a contract, with their parameters when
    /// `with_parameters` (`GET /iserver/contract/{conid}/algos`; the Web
    /// API wraps the list in `{"algos": […]}`, the Gateway does not: both
    /// are read).
    pub async fn algos(&self, conid: i64, with_parameters: bool) -> Result<Vec<Algo>> {
        let flag = with_parameters.then_some("true");
        let items = self
            .client
            .op(&ops::ALGOS)?
            .arg(conid)?
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
    pub async fn rules(&self, conid: i64, is_buy: bool) -> Result<ContractRules> {
        let rules = self
            .client
            .op(&ops::RULES)?
            .json(&RulesBody { conid, is_buy })?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_info_reads_every_spelling_once() {
        // `/iserver/contract/{conid}/info` of an older Gateway: both
        // spellings of the company name.
        let info: ContractInfo = serde_json::from_str(
            r#"{"con_id":"8314","symbol":"IBM","instrument_type":"STK","company_name":"IBM CORP",
                "companyName":"IBM CORP","local_symbol":"IBM","multiplier":"","strike":"0",
                "valid_exchanges":"SMART,NYSE","rules":{"defaultSize":100}}"#,
        )
        .unwrap();
        assert_eq!(info.conid, Some(8314));
        assert_eq!(info.sec_type.as_deref(), Some("STK"));
        assert_eq!(info.company_name.as_deref(), Some("IBM CORP"));
        assert_eq!(info.local_symbol.as_deref(), Some("IBM"));
        assert_eq!(info.multiplier, None);
        assert_eq!(info.strike, Some(0.0));
        assert_eq!(info.valid_exchanges.as_deref(), Some("SMART,NYSE"));
        assert_eq!(info.rules.as_ref().unwrap()["defaultSize"], 100);
        // `/trsrv/secdef`: `ticker`, `name`, `assetClass`; an empty first
        // spelling leaves room for the next.
        let info: ContractInfo = serde_json::from_str(
            r#"{"conid":8314,"symbol":"","ticker":"IBM","name":"IBM CORP","assetClass":"STK","time":770}"#,
        )
        .unwrap();
        assert_eq!(info.symbol.as_deref(), Some("IBM"));
        assert_eq!(info.company_name.as_deref(), Some("IBM CORP"));
        assert_eq!(info.sec_type.as_deref(), Some("STK"));
        // What it serializes to reads back the same.
        let again: ContractInfo =
            serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
        assert_eq!(again, info);
    }

    #[test]
    fn wrapped_answers_are_unwrapped_and_never_read_as_empty() {
        let items: Vec<Wrapped<SecdefWrapper, ContractInfo>> =
            serde_json::from_str(r#"[{"secdef":[{"conid":1},{"conid":2}]},{"conid":3}]"#).unwrap();
        let conids: Vec<_> = wire::flatten(items).into_iter().map(|c| c.conid).collect();
        assert_eq!(conids, [Some(1), Some(2), Some(3)]);
        // A wrapper its type cannot read is an error, not empty rules.
        let two = r#"{"rules":[{"orderTypes":["limit"]},{"orderTypes":["market"]}]}"#;
        assert!(serde_json::from_str::<Wrapped<RulesWrapper, ContractRules>>(two).is_err());
        let one: Wrapped<RulesWrapper, ContractRules> =
            serde_json::from_str(r#"{"rules":[{"orderTypes":"limit,market"}]}"#).unwrap();
        assert_eq!(one.into_inner().order_types, ["limit", "market"]);
    }
}
