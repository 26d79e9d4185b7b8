//! The data types of `ibkr_client::areas::contracts`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, AccountId, Conid};
use super::orders::{OrderType, SecurityType, TimeInForce};
use crate::decode::LenientDeserialize;
use crate::decode::wire::{self, ConidField, Dec, Key, Text};
use crate::lenient;
use rust_decimal::Decimal;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// An option's right: call or put. Reads IBKR's `C`/`P` and
/// `CALL`/`PUT` (any case); IBKR's `?` (no right, as for a stock) is no
/// value. Serializes as `C` or `P`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Right {
    /// A call (`C`).
    Call,
    /// A put (`P`).
    Put,
    /// Any other value, kept as IBKR wrote it.
    Other(String),
}

impl Right {
    /// IBKR's code (`C`, `P`, or the other value).
    pub fn as_str(&self) -> &str {
        match self {
            Right::Call => "C",
            Right::Put => "P",
            Right::Other(s) => s,
        }
    }
}

impl From<&str> for Right {
    fn from(s: &str) -> Right {
        let t = s.trim();
        if t.eq_ignore_ascii_case("C") || t.eq_ignore_ascii_case("CALL") {
            Right::Call
        } else if t.eq_ignore_ascii_case("P") || t.eq_ignore_ascii_case("PUT") {
            Right::Put
        } else {
            Right::Other(s.to_string())
        }
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Right {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Right {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        opt_right(d)?.ok_or_else(|| serde::de::Error::custom("an option right (C or P)"))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Right {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Right".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "examples": ["C", "P"] })
    }
}

/// An optional [`Right`]: `null`, `""`, `"N/A"` and IBKR's `"?"` are
/// `None`.
pub(crate) fn opt_right<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Right>, D::Error> {
    let right: Option<Right> = wire::opt_code(d)?;
    Ok(right.filter(|r| *r != Right::Other("?".into())))
}

/// One hit of [`Contracts::search`](struct.Contracts.html#method.search).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContractSearchResult {
    /// The contract id.
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
    /// IBKR's restrictions on the contract, when any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub restricted: Option<String>,
    /// Option expiries (`20240119;20240216`), when it has options.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub opt: Option<String>,
    /// Warrant expiries, when it has warrants.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub war: Option<String>,
    /// The derivative sections: security types with their months and
    /// exchanges.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub sections: Vec<SearchSection>,
}

/// A security type a [`ContractSearchResult`] offers.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SearchSection {
    /// The security type.
    #[serde(default, rename = "secType", deserialize_with = "wire::opt_code")]
    pub sec_type: Option<SecurityType>,
    /// Months, `;`-separated (`JAN24;FEB24`), for derivatives.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub months: Option<String>,
    /// Exchanges, `;`-separated.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// The contract id, for a section that is one contract (an index).
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The symbol, when given.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// IBKR's legal restrictions, when given.
    #[serde(
        default,
        rename = "legalRestrictions",
        deserialize_with = "lenient::opt_string"
    )]
    pub legal_restrictions: Option<String>,
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
///
/// What an option chain's rows carry is read into the fields here; the
/// reference data the single-contract answers add (industry, sector,
/// CUSIP, trading hours flag, …) into [`ContractInfo::details`], which
/// stays `None` (and costs nothing) on a chain's rows. Skipped: IBKR's
/// display hints (`displayRule`, `chineseName`, `time`,
/// `priceRendering`), `desc1` (the symbol again) and a `coupon` of
/// `No Coupon`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContractInfo {
    /// The contract id.
    pub conid: Option<Conid>,
    /// The symbol.
    pub symbol: Option<String>,
    /// The security type (`STK`, `OPT`, `FUT`, ...).
    #[serde(rename = "secType")]
    pub sec_type: Option<SecurityType>,
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
    /// The trading class (`SPX` and `SPXW` options differ by it).
    #[serde(rename = "tradingClass")]
    pub trading_class: Option<String>,
    /// IBKR's description of a derivative (`desc2`: `JAN 16 '26 1000
    /// Call`).
    #[serde(rename = "desc2")]
    pub description: Option<String>,
    /// The strike, for options.
    pub strike: Option<Decimal>,
    /// Call or put, for options.
    pub right: Option<Right>,
    /// The maturity date, for derivatives.
    #[serde(rename = "maturityDate")]
    pub maturity_date: Option<String>,
    /// The multiplier.
    pub multiplier: Option<Decimal>,
    /// The underlying's contract id, for derivatives.
    #[serde(rename = "undConid")]
    pub underlying_conid: Option<Conid>,
    /// Valid exchanges, comma-separated.
    #[serde(rename = "validExchanges")]
    pub valid_exchanges: Option<String>,
    /// Price increments by price range, when sent (`/trsrv/secdef`).
    #[serde(rename = "incrementRules")]
    pub increment_rules: Vec<IncrementRule>,
    /// The reference data of the single-contract answers, when any was
    /// sent.
    #[serde(flatten)]
    pub details: Option<Box<ContractDetails>>,
    /// Trading rules, when the answer carries them (`info-and-rules`), as
    /// sent.
    pub rules: Option<Value>,
}

/// A contract's reference data ([`ContractInfo::details`]), from
/// `/iserver/contract/{conid}/info` and `/trsrv/secdef`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContractDetails {
    /// IBKR's type of the security (`COMMON`, `ETF`, ...).
    #[serde(rename = "type")]
    pub security_kind: Option<String>,
    /// The contract's full name (`IBM`, `SPY Jan17'25 440 Call`).
    #[serde(rename = "fullName")]
    pub full_name: Option<String>,
    /// The contract month, for derivatives.
    pub contract_month: Option<String>,
    /// The last trading day (`YYYYMMDD`), for derivatives.
    #[serde(rename = "lastTradingDay")]
    pub last_trading_day: Option<String>,
    /// The coupon, for bonds.
    pub coupon: Option<String>,
    /// The CUSIP, when IBKR has one.
    pub cusip: Option<String>,
    /// The industry.
    pub industry: Option<String>,
    /// The category.
    pub category: Option<String>,
    /// The sector.
    pub sector: Option<String>,
    /// The industry group.
    pub group: Option<String>,
    /// The sector group.
    #[serde(rename = "sectorGroup")]
    pub sector_group: Option<String>,
    /// The issuer's country (`US`).
    #[serde(rename = "countryCode")]
    pub country_code: Option<String>,
    /// Every exchange it trades on, comma-separated.
    #[serde(rename = "allExchanges")]
    pub all_exchanges: Option<String>,
    /// Whether it trades in regular trading hours only (`r_t_h`).
    pub rth: Option<bool>,
    /// Whether IBKR's SMART routing is available.
    pub smart_available: Option<bool>,
    /// Whether it may be sold long (`allow_sell_long`).
    pub allow_sell_long: Option<bool>,
    /// Whether it trades without commission.
    pub is_zero_commission_security: Option<bool>,
    /// Whether it is a US contract.
    #[serde(rename = "isUS")]
    pub is_us: Option<bool>,
    /// Whether it has options.
    #[serde(rename = "hasOptions")]
    pub has_options: Option<bool>,
    /// Whether it is an event contract.
    #[serde(rename = "isEventContract")]
    pub is_event_contract: Option<bool>,
}

impl<'de> Deserialize<'de> for ContractInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(ContractInfoVisitor)
    }
}

struct ContractInfoVisitor;

#[doc(hidden)]
/// Sets `slot` unless an earlier spelling of the field already did.
pub fn first<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Sets a field of `details` (created for the first value sent) unless an
/// earlier spelling already did.
fn detail<T>(
    details: &mut Option<Box<ContractDetails>>,
    field: fn(&mut ContractDetails) -> &mut Option<T>,
    value: Option<T>,
) {
    if let Some(value) = value {
        first(field(details.get_or_insert_with(Box::default)), Some(value));
    }
}

/// A code read as an enum ([`wire::opt_code`]).
#[derive(Deserialize)]
#[serde(transparent, bound = "T: for<'a> From<&'a str>")]
struct Code<T>(#[serde(deserialize_with = "wire::opt_code")] Option<T>);

/// A right read as [`opt_right`].
#[derive(Deserialize)]
#[serde(transparent)]
struct RightField(#[serde(deserialize_with = "opt_right")] Option<Right>);

/// A boolean read leniently.
#[derive(Deserialize)]
#[serde(transparent)]
struct Flag(#[serde(deserialize_with = "lenient::opt_bool")] Option<bool>);

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
        let mut d: Option<Box<ContractDetails>> = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let text =
                |slot: &mut Option<String>, map: &mut A| -> std::result::Result<(), A::Error> {
                    first(slot, map.next_value::<Text>()?.0);
                    Ok(())
                };
            macro_rules! text_detail {
                ($field:ident) => {
                    detail(&mut d, |x| &mut x.$field, map.next_value::<Text>()?.0)
                };
            }
            macro_rules! flag_detail {
                ($field:ident) => {
                    detail(&mut d, |x| &mut x.$field, map.next_value::<Flag>()?.0)
                };
            }
            match &*key {
                "conid" | "con_id" => first(&mut c.conid, map.next_value::<ConidField>()?.0),
                "symbol" | "ticker" => text(&mut c.symbol, &mut map)?,
                "secType" | "instrument_type" | "assetClass" => {
                    first(&mut c.sec_type, map.next_value::<Code<SecurityType>>()?.0)
                }
                "exchange" => text(&mut c.exchange, &mut map)?,
                "listingExchange" => text(&mut c.listing_exchange, &mut map)?,
                "currency" => text(&mut c.currency, &mut map)?,
                "companyName" | "company_name" | "name" => text(&mut c.company_name, &mut map)?,
                "local_symbol" | "localSymbol" => text(&mut c.local_symbol, &mut map)?,
                "tradingClass" | "trading_class" => text(&mut c.trading_class, &mut map)?,
                "desc2" => text(&mut c.description, &mut map)?,
                "strike" => first(&mut c.strike, map.next_value::<Dec>()?.0),
                "right" | "putOrCall" => first(&mut c.right, map.next_value::<RightField>()?.0),
                "maturityDate" | "maturity_date" | "expiry" => {
                    text(&mut c.maturity_date, &mut map)?
                }
                "multiplier" => first(&mut c.multiplier, map.next_value::<Dec>()?.0),
                "undConid" | "underlying_con_id" => {
                    first(&mut c.underlying_conid, map.next_value::<ConidField>()?.0)
                }
                "validExchanges" | "valid_exchanges" => text(&mut c.valid_exchanges, &mut map)?,
                "incrementRules" if c.increment_rules.is_empty() => {
                    c.increment_rules = map.next_value::<wire::Many<IncrementRule>>()?.0;
                }
                "rules" => first(&mut c.rules, map.next_value::<Option<Value>>()?),
                "type" => text_detail!(security_kind),
                "fullName" => text_detail!(full_name),
                "contract_month" | "contractMonth" => text_detail!(contract_month),
                "lastTradingDay" => text_detail!(last_trading_day),
                "coupon" => {
                    let coupon = map.next_value::<Text>()?.0;
                    let coupon = coupon.filter(|c| !c.eq_ignore_ascii_case("No Coupon"));
                    detail(&mut d, |x| &mut x.coupon, coupon)
                }
                "cusip" => text_detail!(cusip),
                "industry" => text_detail!(industry),
                "category" => text_detail!(category),
                "sector" => text_detail!(sector),
                "group" => text_detail!(group),
                "sectorGroup" => text_detail!(sector_group),
                "countryCode" => text_detail!(country_code),
                "allExchanges" => text_detail!(all_exchanges),
                "r_t_h" | "rth" => flag_detail!(rth),
                "smart_available" => flag_detail!(smart_available),
                "allow_sell_long" => flag_detail!(allow_sell_long),
                "is_zero_commission_security" => flag_detail!(is_zero_commission_security),
                "isUS" => flag_detail!(is_us),
                "hasOptions" => flag_detail!(has_options),
                "isEventContract" => flag_detail!(is_event_contract),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        c.details = d;
        Ok(c)
    }
}

/// Option strikes (`/iserver/secdef/strikes`), exact.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Strikes {
    /// Call strikes.
    #[serde(default, deserialize_with = "wire::decimal_list")]
    pub call: Vec<Decimal>,
    /// Put strikes.
    #[serde(default, deserialize_with = "wire::decimal_list")]
    pub put: Vec<Decimal>,
}

/// An IB algo available for a contract.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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

/// A stock listing of [`Contracts::stocks`](struct.Contracts.html#method.stocks).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Stock {
    /// The company name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The asset class.
    #[serde(default, rename = "assetClass", deserialize_with = "wire::opt_code")]
    pub asset_class: Option<SecurityType>,
    /// The contracts (one per listing).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub contracts: Vec<StockContract>,
}

/// One listing of a [`Stock`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StockContract {
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// Whether it is a US listing.
    #[serde(default, rename = "isUS", deserialize_with = "lenient::opt_bool")]
    pub is_us: Option<bool>,
}

/// A future of [`Contracts::futures`](struct.Contracts.html#method.futures).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FutureContract {
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The underlying's contract id.
    #[serde(
        default,
        rename = "underlyingConid",
        deserialize_with = "ids::opt_conid"
    )]
    pub underlying_conid: Option<Conid>,
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
    /// The last day to hold a short position (`YYYYMMDD`).
    #[serde(
        default,
        rename = "shortFuturesCutOff",
        deserialize_with = "lenient::opt_string"
    )]
    pub short_futures_cut_off: Option<String>,
    /// The last day to hold a long position (`YYYYMMDD`).
    #[serde(
        default,
        rename = "longFuturesCutOff",
        deserialize_with = "lenient::opt_string"
    )]
    pub long_futures_cut_off: Option<String>,
}

/// Trading rules of a contract for one side ([`Contracts::rules`](struct.Contracts.html#method.rules)).
///
/// Order types read IBKR's rule names (`limit`, `stop_limit`,
/// `trailing_stop`, `marketonclose`, ...) into [`OrderType`]; names the
/// facade has no order type for (`mit`, `lit`) are kept in
/// [`OrderType::Other`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContractRules {
    /// Order types allowed.
    #[serde(default, rename = "orderTypes", deserialize_with = "rule_order_types")]
    pub order_types: Vec<OrderType>,
    /// Order types allowed outside regular trading hours.
    #[serde(
        default,
        rename = "orderTypesOutside",
        deserialize_with = "rule_order_types"
    )]
    pub order_types_outside: Vec<OrderType>,
    /// Order types allowed with a fractional quantity (`fraqTypes`).
    #[serde(default, rename = "fraqTypes", deserialize_with = "rule_order_types")]
    pub fractional_order_types: Vec<OrderType>,
    /// Order types allowed with a cash quantity (`cqtTypes`).
    #[serde(default, rename = "cqtTypes", deserialize_with = "rule_order_types")]
    pub cash_quantity_order_types: Vec<OrderType>,
    /// Times in force allowed, as IBKR writes them: the time in force,
    /// then the order types it applies to (`o` for all) and flags
    /// (`DAY/o,a`, `IOC/MARKET,LIMIT,a`); see
    /// [`ContractRules::times_in_force`].
    #[serde(
        default,
        rename = "tifTypes",
        deserialize_with = "lenient::string_list"
    )]
    pub tif_types: Vec<String>,
    /// The defaults IBKR proposes for a new order.
    #[serde(default, rename = "tifDefaults")]
    pub tif_defaults: Option<TifDefaults>,
    /// Order types an IB algo can be used with.
    #[serde(
        default,
        rename = "ibAlgoTypes",
        alias = "ibalgoTypes",
        deserialize_with = "rule_order_types"
    )]
    pub ib_algo_types: Vec<OrderType>,
    /// Accounts that may trade the contract.
    #[serde(
        default,
        rename = "canTradeAcctIds",
        deserialize_with = "wire::account_ids"
    )]
    pub can_trade_account_ids: Vec<AccountId>,
    /// The default order size.
    #[serde(default, rename = "defaultSize", deserialize_with = "wire::decimal")]
    pub default_size: Option<Decimal>,
    /// The size increment.
    #[serde(default, rename = "sizeIncrement", deserialize_with = "wire::decimal")]
    pub size_increment: Option<Decimal>,
    /// The display size, when IBKR sets one.
    #[serde(default, rename = "displaySize", deserialize_with = "wire::decimal")]
    pub display_size: Option<Decimal>,
    /// Digits of a fractional quantity (`fraqInt`).
    #[serde(default, rename = "fraqInt", deserialize_with = "lenient::opt_i64")]
    pub fraction_digits: Option<i64>,
    /// The default cash quantity.
    #[serde(default, rename = "cashSize", deserialize_with = "wire::decimal")]
    pub cash_size: Option<Decimal>,
    /// The cash quantity increment.
    #[serde(default, rename = "cashQtyIncr", deserialize_with = "wire::decimal")]
    pub cash_qty_increment: Option<Decimal>,
    /// The currency of cash quantities.
    #[serde(default, rename = "cashCcy", deserialize_with = "lenient::opt_string")]
    pub cash_currency: Option<String>,
    /// The price increment (tick).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub increment: Option<Decimal>,
    /// Digits of the price increment.
    #[serde(
        default,
        rename = "incrementDigits",
        deserialize_with = "lenient::opt_i64"
    )]
    pub increment_digits: Option<i64>,
    /// IBKR's kind of increment rule.
    #[serde(
        default,
        rename = "incrementType",
        deserialize_with = "lenient::opt_i64"
    )]
    pub increment_type: Option<i64>,
    /// Price increments by price range.
    #[serde(
        default,
        rename = "incrementRules",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub increment_rules: Vec<IncrementRule>,
    /// IBKR's price magnifier, when set.
    #[serde(default, rename = "priceMagnifier", deserialize_with = "wire::decimal")]
    pub price_magnifier: Option<Decimal>,
    /// The suggested limit price.
    #[serde(default, rename = "limitPrice", deserialize_with = "wire::decimal")]
    pub limit_price: Option<Decimal>,
    /// The suggested stop price.
    #[serde(default, rename = "stopprice", deserialize_with = "wire::decimal")]
    pub stop_price: Option<Decimal>,
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
    /// Whether IBKR reports costs before an order (EU cost report).
    #[serde(default, rename = "costReport", deserialize_with = "lenient::opt_bool")]
    pub cost_report: Option<bool>,
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
    /// Whether the contract has a secondary listing.
    #[serde(
        default,
        rename = "hasSecondary",
        deserialize_with = "lenient::opt_bool"
    )]
    pub has_secondary: Option<bool>,
    /// IBKR's order origination, when set.
    #[serde(
        default,
        rename = "orderOrigination",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_origination: Option<String>,
    /// Defaults of order fields by order type, as sent.
    #[serde(default, rename = "orderDefaults")]
    pub order_defaults: Option<Value>,
    /// IBKR's error for this contract, if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
}

impl ContractRules {
    /// The times in force of [`ContractRules::tif_types`] (`DAY/o,a` is
    /// [`TimeInForce::Day`]), in IBKR's order.
    pub fn times_in_force(&self) -> Vec<TimeInForce> {
        self.tif_types
            .iter()
            .map(|t| TimeInForce::from(t.split('/').next().unwrap_or(t)))
            .collect()
    }
}

/// The order defaults of [`ContractRules`] (`tifDefaults`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TifDefaults {
    /// The default time in force.
    #[serde(default, rename = "TIF", deserialize_with = "wire::opt_code")]
    pub tif: Option<TimeInForce>,
    /// The default account.
    #[serde(
        default,
        rename = "DEFAULT_ACCT",
        deserialize_with = "ids::opt_account_id"
    )]
    pub default_account: Option<AccountId>,
    /// The default size.
    #[serde(default, rename = "SIZE", deserialize_with = "wire::decimal")]
    pub size: Option<Decimal>,
    /// Whether IBKR's price management algo is on by default.
    #[serde(default, rename = "PMALGO", deserialize_with = "lenient::opt_bool")]
    pub price_management_algo: Option<bool>,
}

/// IBKR's rule order type names (`trailing_stop`, `marketonclose`) as
/// [`OrderType`]s; an unknown name is kept as written.
fn rule_order_types<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<OrderType>, D::Error> {
    let names = lenient::string_list(d)?;
    Ok(names.iter().map(|n| rule_order_type(n)).collect())
}

fn rule_order_type(name: &str) -> OrderType {
    let t = name.trim();
    if t.eq_ignore_ascii_case("marketonclose") {
        return OrderType::MarketOnClose;
    }
    if t.eq_ignore_ascii_case("limitonclose") {
        return OrderType::LimitOnClose;
    }
    match OrderType::from(t.replace('_', " ").as_str()) {
        OrderType::Other(_) => OrderType::Other(name.to_string()),
        known => known,
    }
}

/// The price increment from a price on ([`ContractRules::increment_rules`]).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IncrementRule {
    /// The lowest price the increment applies to.
    #[serde(default, rename = "lowerEdge", deserialize_with = "wire::decimal")]
    pub lower_edge: Option<Decimal>,
    /// The increment.
    #[serde(default, deserialize_with = "wire::decimal")]
    pub increment: Option<Decimal>,
}

/// A trading venue's schedule for a symbol ([`Contracts::trading_schedule`](struct.Contracts.html#method.trading_schedule)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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

/// Filters of [`Contracts::secdef_info`](struct.Contracts.html#method.secdef_info).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SecdefInfoQuery {
    /// The underlying's contract id.
    pub conid: Conid,
    /// The security type (`OPT`, `FOP`, `WAR`, `FUT`, ...; by default
    /// [`SecurityType::Option`]).
    pub sec_type: SecurityType,
    /// The contract month (`JAN26`).
    pub month: Option<String>,
    /// The exchange.
    pub exchange: Option<String>,
    /// The strike, exact (sent as written: `187.5`).
    pub strike: Option<Decimal>,
    /// Call or put.
    pub right: Option<Right>,
}

impl Default for SecdefInfoQuery {
    fn default() -> Self {
        SecdefInfoQuery {
            conid: Conid(0),
            sec_type: SecurityType::Option,
            month: None,
            exchange: None,
            strike: None,
            right: None,
        }
    }
}

/// IBKR's `/trsrv/secdef` limit per request.
pub const MAX_SECDEF_CONIDS: usize = 200;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::wire::Wrapped;

    #[test]
    fn contract_info_reads_every_spelling_once() {
        // `/iserver/contract/{conid}/info` of an older Gateway: both
        // spellings of the company name.
        let info: ContractInfo = serde_json::from_str(
            r#"{"con_id":"8314","symbol":"IBM","instrument_type":"STK","company_name":"IBM CORP",
                "companyName":"IBM CORP","local_symbol":"IBM","multiplier":"","strike":"0",
                "valid_exchanges":"SMART,NYSE","rules":{"defaultSize":100},"industry":"Computers",
                "r_t_h":true,"cusip":null,"coupon":"No Coupon","underlying_con_id":0}"#,
        )
        .unwrap();
        let details = info.details.as_deref().unwrap();
        assert_eq!(details.industry.as_deref(), Some("Computers"));
        assert_eq!(details.rth, Some(true));
        assert_eq!(details.cusip, None);
        assert_eq!(details.coupon, None);
        let again: ContractInfo =
            serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
        assert_eq!(again, info);
        assert_eq!(info.conid, Some(Conid(8314)));
        assert_eq!(info.sec_type, Some(SecurityType::Stock));
        assert_eq!(info.company_name.as_deref(), Some("IBM CORP"));
        assert_eq!(info.local_symbol.as_deref(), Some("IBM"));
        assert_eq!(info.multiplier, None);
        assert_eq!(info.strike, Some(Decimal::ZERO));
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
        assert_eq!(info.sec_type, Some(SecurityType::Stock));
        // What it serializes to reads back the same.
        let again: ContractInfo =
            serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
        assert_eq!(again, info);
        // An option chain's row: the right, an exact strike and multiplier,
        // the description lines.
        let info: ContractInfo = serde_json::from_str(
            r#"{"conid":700000001,"symbol":"SPX","secType":"OPT","right":"P","strike":1002.5,
                "multiplier":"100","tradingClass":"SPX","desc2":"JAN 16 '26 1002.5 Put",
                "incrementRules":[{"lowerEdge":0.0,"increment":0.05}],"undConid":416904}"#,
        )
        .unwrap();
        assert_eq!(info.right, Some(Right::Put));
        assert_eq!(info.strike, Some(Decimal::new(10025, 1)));
        assert_eq!(info.multiplier, Some(Decimal::from(100)));
        assert_eq!(info.trading_class.as_deref(), Some("SPX"));
        assert_eq!(info.description.as_deref(), Some("JAN 16 '26 1002.5 Put"));
        // A chain's row carries no reference data.
        assert_eq!(info.details, None);
        assert_eq!(info.increment_rules[0].increment, Some(Decimal::new(5, 2)));
        assert_eq!(info.underlying_conid, Some(Conid(416904)));
        let again: ContractInfo =
            serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
        assert_eq!(again, info);
        // IBKR's `?` is no right; `CALL` is a call.
        let stock: ContractInfo = serde_json::from_str(r#"{"right":"?"}"#).unwrap();
        assert_eq!(stock.right, None);
        let call: ContractInfo = serde_json::from_str(r#"{"right":"CALL"}"#).unwrap();
        assert_eq!(call.right, Some(Right::Call));
    }

    #[test]
    fn rule_order_types_are_typed() {
        let rules: ContractRules = serde_json::from_str(
            r#"{"orderTypes":["limit","midprice","market","stop","stop_limit","mit","trailing_stop",
                "trailing_stop_limit","relative","marketonclose","limitonclose"],
                "tifTypes":["IOC/MARKET,LIMIT,a","GTC/o,a","GTD/o,a"],
                "tifDefaults":{"TIF":"DAY","DEFAULT_ACCT":"U1","SIZE":"100.00","PMALGO":true},
                "canTradeAcctIds":["U1","U2"],"sizeIncrement":100,"increment":0.01}"#,
        )
        .unwrap();
        assert_eq!(
            rules.order_types,
            [
                OrderType::Limit,
                OrderType::Midprice,
                OrderType::Market,
                OrderType::Stop,
                OrderType::StopLimit,
                OrderType::Other("mit".into()),
                OrderType::TrailingStop,
                OrderType::TrailingStopLimit,
                OrderType::Relative,
                OrderType::MarketOnClose,
                OrderType::LimitOnClose,
            ]
        );
        assert_eq!(
            rules.times_in_force(),
            [
                TimeInForce::Ioc,
                TimeInForce::Gtc,
                TimeInForce::Other("GTD".into())
            ]
        );
        let defaults = rules.tif_defaults.as_ref().unwrap();
        assert_eq!(defaults.tif, Some(TimeInForce::Day));
        assert_eq!(defaults.size, Some(Decimal::new(10000, 2)));
        assert_eq!(rules.can_trade_account_ids, ["U1", "U2"]);
        assert_eq!(rules.increment, Some(Decimal::new(1, 2)));
        let again: ContractRules =
            serde_json::from_value(serde_json::to_value(&rules).unwrap()).unwrap();
        assert_eq!(again, rules);
    }

    #[test]
    fn wrapped_answers_are_unwrapped_and_never_read_as_empty() {
        let items: Vec<Wrapped<SecdefWrapper, ContractInfo>> =
            serde_json::from_str(r#"[{"secdef":[{"conid":1},{"conid":2}]},{"conid":3}]"#).unwrap();
        let conids: Vec<_> = wire::flatten(items).into_iter().map(|c| c.conid).collect();
        assert_eq!(conids, [Some(Conid(1)), Some(Conid(2)), Some(Conid(3))]);
        // A wrapper its type cannot read is an error, not empty rules.
        let two = r#"{"rules":[{"orderTypes":["limit"]},{"orderTypes":["market"]}]}"#;
        assert!(serde_json::from_str::<Wrapped<RulesWrapper, ContractRules>>(two).is_err());
        let one: Wrapped<RulesWrapper, ContractRules> =
            serde_json::from_str(r#"{"rules":[{"orderTypes":"limit,market"}]}"#).unwrap();
        assert_eq!(
            one.into_inner().order_types,
            [OrderType::Limit, OrderType::Market]
        );
    }
}
