//! The data types of `ibkr_client::areas::analyst_more`, with their lenient decoders
//! (re-exported there).

use super::balances::IfObject;
use crate::decode::LenientDeserialize;
use crate::decode::wire::{Int, Key, Text};
use crate::lenient;
use rust_decimal::Decimal;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The NAV a period starts from.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StartNav {
    /// The date (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The net asset value.
    #[serde(default, rename = "val", deserialize_with = "lenient::opt_decimal")]
    pub value: Option<Decimal>,
}

/// One period's series (`1D`, `7D`, `MTD`, `1M`, `YTD`, `1Y`, ...): one
/// NAV and one cumulative return per date, aligned with `dates` (an
/// unreadable value is `None` in its place).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PeriodSeries {
    /// Dates (`YYYYMMDD`).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub dates: Vec<String>,
    /// Net asset values.
    #[serde(default, deserialize_with = "decimals")]
    pub nav: Vec<Option<Decimal>>,
    /// Cumulative returns since the period's start (fractions: `0.0072`
    /// is 0.72 %; IBKR's `cps`).
    #[serde(default, rename = "cps", deserialize_with = "decimals")]
    pub returns: Vec<Option<Decimal>>,
    /// The frequency (`D`, `M`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub freq: Option<String>,
    /// The NAV the period starts from.
    #[serde(default, rename = "startNAV", alias = "startNav")]
    pub start_nav: Option<StartNav>,
}

/// A list of numbers, each read as a decimal in its place.
fn decimals<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<Option<Decimal>>, D::Error> {
    #[derive(Deserialize)]
    struct Number(#[serde(deserialize_with = "lenient::opt_decimal")] Option<Decimal>);
    let numbers: Vec<Number> = lenient::vec_or_single(d)?;
    Ok(numbers.into_iter().map(|n| n.0).collect())
}

/// One account's periods (or the consolidated view's).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountPeriods {
    /// The base currency.
    pub base_currency: Option<String>,
    /// The first date with data (`YYYYMMDD`).
    pub start: Option<String>,
    /// The last date with data.
    pub end: Option<String>,
    /// When IBKR last updated the data.
    pub last_successful_update: Option<String>,
    /// The periods IBKR computed, in its order.
    pub period_names: Vec<String>,
    /// Each period's series, by name (`1D`, `YTD`, ...).
    #[serde(rename = "periods_by_name")]
    pub periods: BTreeMap<String, PeriodSeries>,
}

/// The answer to [`Analyst::all_periods`](../analyst/struct.Analyst.html#method.all_periods).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllPeriods {
    /// The currency the values are in (`base`).
    pub currency_type: Option<String>,
    /// The accounts shown.
    pub view: Vec<String>,
    /// The accounts included.
    pub included: Vec<String>,
    /// The return method (`TWR`).
    pub method: Option<String>,
    /// IBKR's id of the answer.
    pub id: Option<String>,
    /// IBKR's result code (0 for success).
    pub rc: Option<i64>,
    /// IBKR's `nd` (a day count).
    pub nd: Option<i64>,
    /// The periods by account id.
    pub accounts: BTreeMap<String, AccountPeriods>,
}

/// A list of strings ([`lenient::string_list`]).
#[derive(Deserialize)]
#[serde(transparent)]
struct Names(#[serde(deserialize_with = "lenient::string_list")] Vec<String>);

impl<'de> Deserialize<'de> for AccountPeriods {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(AccountPeriodsVisitor)
    }
}

struct AccountPeriodsVisitor;

impl<'de> Visitor<'de> for AccountPeriodsVisitor {
    type Value = AccountPeriods;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an account's periods")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<AccountPeriods, A::Error> {
        let mut out = AccountPeriods::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "baseCurrency" | "base_currency" => out.base_currency = map.next_value::<Text>()?.0,
                "start" => out.start = map.next_value::<Text>()?.0,
                "end" => out.end = map.next_value::<Text>()?.0,
                "lastSuccessfulUpdate" | "last_successful_update" => {
                    out.last_successful_update = map.next_value::<Text>()?.0
                }
                "periods" | "period_names" => out.period_names = map.next_value::<Names>()?.0,
                // What an AccountPeriods serializes to.
                "periods_by_name" => out
                    .periods
                    .extend(map.next_value::<BTreeMap<String, PeriodSeries>>()?),
                _ => {
                    if let Some(series) = map.next_value::<IfObject<PeriodSeries>>()?.0 {
                        out.periods.insert(key.into_owned(), series);
                    }
                }
            }
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for AllPeriods {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(AllPeriodsVisitor)
    }
}

struct AllPeriodsVisitor;

impl<'de> Visitor<'de> for AllPeriodsVisitor {
    type Value = AllPeriods;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the performance of all periods")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<AllPeriods, A::Error> {
        let mut out = AllPeriods::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "currencyType" | "currency_type" => out.currency_type = map.next_value::<Text>()?.0,
                "view" => out.view = map.next_value::<Names>()?.0,
                "included" => out.included = map.next_value::<Names>()?.0,
                "pm" | "method" => out.method = map.next_value::<Text>()?.0,
                "id" => out.id = map.next_value::<Text>()?.0,
                "rc" => out.rc = map.next_value::<Int>()?.0,
                "nd" => out.nd = map.next_value::<Int>()?.0,
                // What an AllPeriods serializes to.
                "accounts" => out
                    .accounts
                    .extend(map.next_value::<BTreeMap<String, AccountPeriods>>()?),
                _ => {
                    // A scalar or a list (something IBKR adds later) is
                    // not an account: skipped.
                    if let Some(account) = map.next_value::<IfObject<AccountPeriods>>()?.0 {
                        out.accounts.insert(key.into_owned(), account);
                    }
                }
            }
        }
        Ok(out)
    }
}
