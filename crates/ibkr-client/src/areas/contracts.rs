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

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::areas::accounts::both;
use crate::call::{to_body, via_json};
use crate::client::{Backend, Client};
use crate::error::{Error, Result};
use crate::lenient;
use crate::oauth1::primitives::percent_encode;

/// Contract operations, from [`Client::contracts`].
#[derive(Debug, Clone, Copy)]
pub struct Contracts<'a> {
    client: &'a Client,
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
    #[serde(default)]
    pub sections: Vec<Value>,
}

/// A contract's definition (`/iserver/contract/{conid}/info`,
/// `/iserver/secdef/info`, `/trsrv/secdef`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ContractInfo {
    /// The contract id.
    #[serde(default, alias = "con_id", deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The symbol.
    #[serde(default, alias = "ticker", deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The security type (`STK`, `OPT`, `FUT`, ...).
    #[serde(
        default,
        rename = "secType",
        alias = "instrument_type",
        alias = "assetClass",
        deserialize_with = "lenient::opt_string"
    )]
    pub sec_type: Option<String>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// The listing exchange.
    #[serde(
        default,
        rename = "listingExchange",
        deserialize_with = "lenient::opt_string"
    )]
    pub listing_exchange: Option<String>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The company or contract name.
    #[serde(
        default,
        rename = "companyName",
        alias = "company_name",
        alias = "name",
        deserialize_with = "lenient::opt_string"
    )]
    pub company_name: Option<String>,
    /// The local symbol.
    #[serde(
        default,
        alias = "local_symbol",
        deserialize_with = "lenient::opt_string"
    )]
    pub local_symbol: Option<String>,
    /// The strike, for options.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub strike: Option<f64>,
    /// `C` or `P`, for options.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub right: Option<String>,
    /// The maturity date, for derivatives.
    #[serde(
        default,
        rename = "maturityDate",
        alias = "maturity_date",
        deserialize_with = "lenient::opt_string"
    )]
    pub maturity_date: Option<String>,
    /// The multiplier.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub multiplier: Option<f64>,
    /// Valid exchanges, comma-separated.
    #[serde(
        default,
        rename = "validExchanges",
        alias = "valid_exchanges",
        deserialize_with = "lenient::opt_string"
    )]
    pub valid_exchanges: Option<String>,
    /// Trading rules, when the answer carries them (`info-and-rules`).
    #[serde(default)]
    pub rules: Option<Value>,
}

/// Option strikes (`/iserver/secdef/strikes`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Strikes {
    /// Call strikes.
    #[serde(default, deserialize_with = "f64_list")]
    pub call: Vec<f64>,
    /// Put strikes.
    #[serde(default, deserialize_with = "f64_list")]
    pub put: Vec<f64>,
}

fn f64_list<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<f64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Array(items)) => items.iter().filter_map(lenient::value_f64).collect(),
        _ => Vec::new(),
    })
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
    #[serde(default)]
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

fn symbols_map<F: serde::de::DeserializeOwned>(
    op: &'static str,
    value: Value,
) -> Result<BTreeMap<String, Vec<F>>> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = value {
        for (symbol, entries) in map {
            let list = lenient::vec_or_single(entries).map_err(|e| Error::Decode {
                operation: op,
                message: e.to_string(),
                body: String::new(),
            })?;
            out.insert(symbol, list);
        }
    }
    Ok(out)
}

impl Contracts<'_> {
    /// Searches contracts by symbol or name (`POST /iserver/secdef/search`).
    /// `sec_type` narrows the search (`STK`, `IND`, `BOND`); `by_name`
    /// searches company names instead of symbols.
    pub async fn search(
        &self,
        symbol: &str,
        sec_type: Option<&str>,
        by_name: bool,
    ) -> Result<Vec<ContractSearchResult>> {
        const OP: &str = "contract_search";
        let mut body = json!({ "symbol": symbol, "name": by_name });
        if let Some(t) = sec_type {
            body["secType"] = json!(t);
        }
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body: ibkr_api::web::types::IserverSecdefSearchPostBody = to_body(OP, body)?;
                self.client
                    .call(OP, api.iserver_secdef_search_post(&body))
                    .await?
                    .json_list(OP)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body: ibkr_api::gateway::types::IserverSecdefSearchPostBody =
                    to_body(OP, body)?;
                self.client
                    .call(OP, api.iserver_secdef_search_post(&body))
                    .await?
                    .json_list(OP)
            }
        }
    }

    /// Definitions of derivatives of an underlying (`GET /iserver/secdef/info`).
    ///
    /// Option chains run to tens of thousands of rows: the answer is read in
    /// one pass straight into [`ContractInfo`]s, on both variants.
    pub async fn secdef_info(&self, query: &SecdefInfoQuery) -> Result<Vec<ContractInfo>> {
        const OP: &str = "secdef_info";
        let mut path = format!(
            "/iserver/secdef/info?conid={}&sectype={}",
            query.conid,
            percent_encode(&query.sec_type)
        );
        let optional = [
            ("month", query.month.clone()),
            ("exchange", query.exchange.clone()),
            ("strike", query.strike.map(|s| s.to_string())),
            ("right", query.right.clone()),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                path.push_str(&format!("&{name}={}", percent_encode(&value)));
            }
        }
        self.client
            .raw::<()>(OP, reqwest::Method::GET, &path, None)
            .await?
            .json_list(OP)
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
        const OP: &str = "strikes";
        let conid = conid.to_string();
        both!(
            self,
            OP,
            |api| api.iserver_secdef_strikes_get(&conid, exchange, month, sec_type),
            json(OP)
        )
    }

    /// A contract's details (`GET /iserver/contract/{conid}/info`).
    pub async fn info(&self, conid: i64) -> Result<ContractInfo> {
        const OP: &str = "contract_info";
        let conid = conid.to_string();
        both!(
            self,
            OP,
            |api| api.iserver_contract_conid_info_get(&conid),
            json(OP)
        )
    }

    /// A contract's details with its trading rules for a buy (`is_buy`) or
    /// sell order (`GET /iserver/contract/{conid}/info-and-rules`; the Web
    /// API ignores `is_buy`).
    pub async fn info_and_rules(&self, conid: i64, is_buy: bool) -> Result<ContractInfo> {
        const OP: &str = "contract_info_and_rules";
        let conid = conid.to_string();
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let _ = is_buy;
                self.client
                    .call(OP, api.iserver_contract_conid_info_and_rules_get(&conid))
                    .await?
                    .json(OP)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(
                    OP,
                    api.iserver_contract_conid_info_and_rules_get(&conid, is_buy),
                )
                .await?
                .json(OP),
        }
    }

    /// IB algos available for a contract, with their parameters when
    /// `with_parameters` (`GET /iserver/contract/{conid}/algos`).
    pub async fn algos(&self, conid: i64, with_parameters: bool) -> Result<Vec<Algo>> {
        const OP: &str = "algos";
        let conid = conid.to_string();
        let flag = if with_parameters { Some("true") } else { None };
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let outcome = self
                    .client
                    .call(
                        OP,
                        api.iserver_contract_conid_algos_get(&conid, flag, flag, None),
                    )
                    .await?;
                // `{"algos": [...]}`.
                #[derive(Deserialize, Default)]
                struct Wrapper {
                    #[serde(default, deserialize_with = "lenient::vec_or_single")]
                    algos: Vec<Algo>,
                }
                let w: Wrapper = outcome.json(OP)?;
                Ok(w.algos)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(
                    OP,
                    api.iserver_contract_conid_algos_get(&conid, flag, flag, None),
                )
                .await?
                .json_list(OP),
        }
    }

    /// Trading rules of a contract for a buy (`is_buy`) or sell order
    /// (`POST /iserver/contract/rules`): order types, times in force,
    /// sizes and price increments.
    ///
    /// On the Gateway the request is sent by the facade itself: the spec
    /// describes the answer as `{"rules": [...]}`, which would decode IBKR's
    /// flat answer as no rules at all. Both shapes are read.
    pub async fn rules(&self, conid: i64, is_buy: bool) -> Result<ContractRules> {
        const OP: &str = "contract_rules";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body = ibkr_api::web::types::IserverContractRulesPostBody {
                    conid: Some(conid),
                    is_buy,
                    modify_order: false,
                    order_id: None,
                };
                self.client
                    .call(OP, api.iserver_contract_rules_post(&body))
                    .await?
                    .json(OP)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => {
                let body = json!({ "conid": conid, "isBuy": is_buy });
                let value: Value = self
                    .client
                    .raw::<Value>(
                        OP,
                        reqwest::Method::POST,
                        "/iserver/contract/rules",
                        Some(&body),
                    )
                    .await?
                    .json(OP)?;
                let rules = match value {
                    Value::Object(mut map) if map.get("rules").is_some_and(Value::is_array) => map
                        .remove("rules")
                        .and_then(|list| list.as_array()?.first().cloned())
                        .unwrap_or_default(),
                    flat => flat,
                };
                if rules.is_null() {
                    return Ok(ContractRules::default());
                }
                via_json(OP, &rules)
            }
        }
    }

    /// The trading schedule of a symbol by venue
    /// (`GET /trsrv/secdef/schedule`): `asset_class` is `STK`, `OPT`,
    /// `FUT`, `CFD`, `WAR`, `SWP`, `FND`, `BND` or `ICS` (the Web API
    /// refuses others with [`Error::InvalidArgument`]); `exchange` narrows
    /// it to one exchange.
    pub async fn trading_schedule(
        &self,
        asset_class: &str,
        symbol: &str,
        exchange: Option<&str>,
    ) -> Result<Vec<TradingSchedule>> {
        const OP: &str = "trading_schedule";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let asset_class: ibkr_api::web::types::TrsrvSecdefScheduleGetAssetClass =
                    to_body(OP, json!(asset_class))?;
                self.client
                    .call(
                        OP,
                        api.trsrv_secdef_schedule_get(asset_class, exchange, None, symbol),
                    )
                    .await?
                    .json_list(OP)
            }
            // The spec describes one venue; IBKR sends a list.
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(
                    OP,
                    api.trsrv_secdef_schedule_get(asset_class, exchange, None, symbol),
                )
                .await?
                .json_list(OP),
        }
    }

    /// Definitions of up to [`MAX_SECDEF_CONIDS`] contracts (`/trsrv/secdef`:
    /// `GET` on the Web API, `POST` on the Gateway).
    pub async fn secdef(&self, conids: &[i64]) -> Result<Vec<ContractInfo>> {
        const OP: &str = "secdef";
        if conids.is_empty() || conids.len() > MAX_SECDEF_CONIDS {
            return Err(Error::InvalidArgument(format!(
                "secdef takes 1 to {MAX_SECDEF_CONIDS} conids, got {}",
                conids.len()
            )));
        }
        #[derive(Deserialize, Default)]
        struct Wrapper {
            #[serde(default, deserialize_with = "lenient::vec_or_single")]
            secdef: Vec<ContractInfo>,
        }
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let list = conids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                let w: Wrapper = self
                    .client
                    .call(OP, api.trsrv_secdef_get(None, &list, None))
                    .await?
                    .json(OP)?;
                Ok(w.secdef)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body = ibkr_api::gateway::types::TrsrvSecdefPostBody {
                    conids: conids.to_vec(),
                };
                let outcome = self.client.call(OP, api.trsrv_secdef_post(&body)).await?;
                // The spec describes a list; IBKR sends `{"secdef": [...]}`.
                let value: Value = outcome.json(OP)?;
                if value.get("secdef").is_some() {
                    let w: Wrapper = crate::call::via_json(OP, &value)?;
                    Ok(w.secdef)
                } else {
                    crate::call::Outcome::<Value>::Typed(value).json_list(OP)
                }
            }
        }
    }

    /// Stock listings by symbol (`GET /trsrv/stocks`).
    pub async fn stocks(&self, symbols: &[&str]) -> Result<BTreeMap<String, Vec<Stock>>> {
        const OP: &str = "stocks";
        let symbols = symbols.join(",");
        let value: Value = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.trsrv_stocks_get(&symbols))
                .await?
                .json(OP)?,
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => self.symbols_raw(OP, "/trsrv/stocks", &symbols).await?,
        };
        symbols_map(OP, value)
    }

    /// Non-expired futures by underlying symbol (`GET /trsrv/futures`).
    pub async fn futures(&self, symbols: &[&str]) -> Result<BTreeMap<String, Vec<FutureContract>>> {
        const OP: &str = "futures";
        let symbols = symbols.join(",");
        // Both specs model the symbol keys with their example's key as a
        // fixed field, so the typed decode would drop every real symbol.
        let value = self.symbols_raw(OP, "/trsrv/futures", &symbols).await?;
        symbols_map(OP, value)
    }

    /// `GET {path}?symbols=…` read by the facade (see [`Contracts::futures`]).
    async fn symbols_raw(&self, op: &'static str, path: &str, symbols: &str) -> Result<Value> {
        if !symbols
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ' ' | '-'))
        {
            return Err(Error::InvalidArgument(format!(
                "invalid symbols {symbols:?}"
            )));
        }
        let path = format!("{path}?symbols={}", symbols.replace(' ', "%20"));
        self.client
            .raw::<Value>(op, reqwest::Method::GET, &path, None)
            .await?
            .json(op)
    }
}
