//! The data types of `ibkr_client::areas::balances`, with their lenient decoders
//! (re-exported there).

use crate::decode::LenientDeserialize;
use crate::lenient;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// An amount as IBKR writes it in the summary sections: the number and,
/// when written after it, its currency (`"825,208 USD"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Amount {
    /// The value.
    pub value: Decimal,
    /// The currency written after it, if any.
    pub currency: Option<String>,
}

impl Amount {
    /// Reads IBKR's text: a number with an optional unit; `None` for
    /// `"n/a"`, `""` and anything that is not an amount.
    pub fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        let unit = text
            .rsplit_once(' ')
            .map(|(_, unit)| unit)
            .filter(|u| u.len() >= 2 && u.bytes().all(|b| b.is_ascii_alphabetic()));
        Some(Amount {
            value: lenient::parse_decimal(text)?,
            currency: unit.map(str::to_string),
        })
    }
}

/// An [`Amount`] from a number or IBKR's text; also reads the form an
/// [`Amount`] serializes to.
fn opt_amount<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Amount>, D::Error> {
    d.deserialize_any(AmountVisitor)
}

struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Option<Amount>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Self::Value, A::Error> {
        #[derive(LenientDeserialize)]
        struct Serialized {
            #[serde(default, deserialize_with = "lenient::opt_decimal")]
            value: Option<Decimal>,
            #[serde(default, deserialize_with = "lenient::opt_string")]
            currency: Option<String>,
        }
        let s = Serialized::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(s.value.map(|value| Amount {
            value,
            currency: s.currency,
        }))
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Amount::parse(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E> {
        Ok(Some(Amount {
            value: Decimal::from(v),
            currency: None,
        }))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E> {
        Ok(Some(Amount {
            value: Decimal::from(v),
            currency: None,
        }))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Self::Value, E> {
        Ok(Amount::parse(&v.to_string()))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// One currency's cash in a [`TradingSummary`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CashBalance {
    /// The currency (`USD`; `Total (in USD)` for the total).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The balance.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub balance: Option<Decimal>,
    /// The settled cash.
    #[serde(
        default,
        rename = "settledCash",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub settled_cash: Option<Decimal>,
}

/// The trading account summary ([`Balances::summary`](struct.Balances.html#method.summary)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TradingSummary {
    /// The account type, when IBKR says.
    #[serde(
        default,
        rename = "accountType",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_type: Option<String>,
    /// IBKR's status text, when any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// The balance.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub balance: Option<Decimal>,
    /// Special memorandum account (Reg T).
    #[serde(default, rename = "SMA", deserialize_with = "lenient::opt_decimal")]
    pub sma: Option<Decimal>,
    /// Buying power.
    #[serde(
        default,
        rename = "buyingPower",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub buying_power: Option<Decimal>,
    /// Available funds.
    #[serde(
        default,
        rename = "availableFunds",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub available_funds: Option<Decimal>,
    /// Excess liquidity.
    #[serde(
        default,
        rename = "excessLiquidity",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub excess_liquidity: Option<Decimal>,
    /// Net liquidation value.
    #[serde(
        default,
        rename = "netLiquidationValue",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub net_liquidation_value: Option<Decimal>,
    /// Equity with loan value.
    #[serde(
        default,
        rename = "equityWithLoanValue",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub equity_with_loan_value: Option<Decimal>,
    /// Reg T loan.
    #[serde(
        default,
        rename = "regTLoan",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub reg_t_loan: Option<Decimal>,
    /// Securities gross position value.
    #[serde(
        default,
        rename = "securitiesGVP",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub securities_gross_position_value: Option<Decimal>,
    /// Total cash value.
    #[serde(
        default,
        rename = "totalCashValue",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub total_cash_value: Option<Decimal>,
    /// Accrued interest.
    #[serde(
        default,
        rename = "accruedInterest",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub accrued_interest: Option<Decimal>,
    /// Reg T margin.
    #[serde(
        default,
        rename = "regTMargin",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub reg_t_margin: Option<Decimal>,
    /// Initial margin.
    #[serde(
        default,
        rename = "initialMargin",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub initial_margin: Option<Decimal>,
    /// Maintenance margin.
    #[serde(
        default,
        rename = "maintenanceMargin",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub maintenance_margin: Option<Decimal>,
    /// Cash by currency, the total last (`Total (in USD)`).
    #[serde(
        default,
        rename = "cashBalances",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub cash_balances: Vec<CashBalance>,
}

/// One segment of [`Balances::available_funds`](struct.Balances.html#method.available_funds).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FundsSegment {
    /// Available funds now.
    #[serde(default, deserialize_with = "opt_amount")]
    pub current_available: Option<Amount>,
    /// Excess liquidity now.
    #[serde(default, deserialize_with = "opt_amount")]
    pub current_excess: Option<Amount>,
    /// Available funds overnight.
    #[serde(default, deserialize_with = "opt_amount")]
    pub overnight_available: Option<Amount>,
    /// Excess liquidity overnight.
    #[serde(default, deserialize_with = "opt_amount")]
    pub overnight_excess: Option<Amount>,
    /// Look-ahead available funds (IBKR's `Lk Ahd Avlbl Fnds`).
    #[serde(default, rename = "Lk Ahd Avlbl Fnds", deserialize_with = "opt_amount")]
    pub look_ahead_available: Option<Amount>,
    /// Look-ahead excess liquidity (`Lk Ahd Excss Lqdty`).
    #[serde(
        default,
        rename = "Lk Ahd Excss Lqdty",
        deserialize_with = "opt_amount"
    )]
    pub look_ahead_excess: Option<Amount>,
    /// When the look-ahead values apply (`Lk Ahd Nxt Chng`, `@ 16:00:00`).
    #[serde(
        default,
        rename = "Lk Ahd Nxt Chng",
        deserialize_with = "lenient::opt_string"
    )]
    pub look_ahead_next_change: Option<String>,
    /// Predicted post-expiry excess (`Prdctd Pst-xpry Excss`).
    #[serde(
        default,
        rename = "Prdctd Pst-xpry Excss",
        deserialize_with = "opt_amount"
    )]
    pub post_expiry_excess: Option<Amount>,
    /// Special memorandum account.
    #[serde(default, rename = "SMA", deserialize_with = "opt_amount")]
    pub sma: Option<Amount>,
    /// Buying power.
    #[serde(default, deserialize_with = "opt_amount")]
    pub buying_power: Option<Amount>,
    /// Leverage (`None` for IBKR's `n/a`).
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub leverage: Option<Decimal>,
    /// Day trades left, as IBKR writes it (`Unlimited`, `3`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub day_trades_left: Option<String>,
}

/// One segment of [`Balances::balances`](struct.Balances.html#method.balances).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BalanceSegment {
    /// Net liquidation value.
    #[serde(default, deserialize_with = "opt_amount")]
    pub net_liquidation: Option<Amount>,
    /// Net liquidation uncertainty (`Nt Lqdtn Uncrtnty`).
    #[serde(default, rename = "Nt Lqdtn Uncrtnty", deserialize_with = "opt_amount")]
    pub net_liquidation_uncertainty: Option<Amount>,
    /// Equity with loan value.
    #[serde(default, deserialize_with = "opt_amount")]
    pub equity_with_loan: Option<Amount>,
    /// Previous day's equity with loan value (`Prvs Dy Eqty Wth Ln Vl`).
    #[serde(
        default,
        rename = "Prvs Dy Eqty Wth Ln Vl",
        deserialize_with = "opt_amount"
    )]
    pub previous_day_equity_with_loan: Option<Amount>,
    /// Reg T equity with loan value (`Rg T Eqty Wth Ln Vl`).
    #[serde(
        default,
        rename = "Rg T Eqty Wth Ln Vl",
        deserialize_with = "opt_amount"
    )]
    pub reg_t_equity_with_loan: Option<Amount>,
    /// Securities gross position value.
    #[serde(default, rename = "sec_gross_pos_val", deserialize_with = "opt_amount")]
    pub securities_gross_position_value: Option<Amount>,
    /// Cash.
    #[serde(default, deserialize_with = "opt_amount")]
    pub cash: Option<Amount>,
    /// Month-to-date interest.
    #[serde(default, rename = "MTD Interest", deserialize_with = "opt_amount")]
    pub mtd_interest: Option<Amount>,
    /// Pending debit card charges (`Pndng Dbt Crd Chrgs`).
    #[serde(
        default,
        rename = "Pndng Dbt Crd Chrgs",
        deserialize_with = "opt_amount"
    )]
    pub pending_debit_card_charges: Option<Amount>,
}

/// One segment of [`Balances::margins`](struct.Balances.html#method.margins).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MarginSegment {
    /// Reg T margin.
    #[serde(default, rename = "RegT Margin", deserialize_with = "opt_amount")]
    pub reg_t_margin: Option<Amount>,
    /// Initial margin now.
    #[serde(default, deserialize_with = "opt_amount")]
    pub current_initial: Option<Amount>,
    /// Maintenance margin now.
    #[serde(default, deserialize_with = "opt_amount")]
    pub current_maint: Option<Amount>,
    /// Predicted post-expiry margin at the open (`Prdctd Pst-xpry Mrgn @ Opn`).
    #[serde(
        default,
        rename = "Prdctd Pst-xpry Mrgn @ Opn",
        deserialize_with = "opt_amount"
    )]
    pub post_expiry_margin_at_open: Option<Amount>,
    /// Projected look-ahead initial margin (IBKR's
    /// `projected_liquidity_inital_margin`).
    #[serde(
        default,
        rename = "projected_liquidity_inital_margin",
        alias = "projected_liquidity_initial_margin",
        deserialize_with = "opt_amount"
    )]
    pub projected_look_ahead_initial: Option<Amount>,
    /// Projected look-ahead maintenance margin (`Prjctd Lk Ahd Mntnnc Mrgn`).
    #[serde(
        default,
        rename = "Prjctd Lk Ahd Mntnnc Mrgn",
        deserialize_with = "opt_amount"
    )]
    pub projected_look_ahead_maint: Option<Amount>,
    /// Projected overnight initial margin.
    #[serde(
        default,
        rename = "projected_overnight_initial_margin",
        deserialize_with = "opt_amount"
    )]
    pub projected_overnight_initial: Option<Amount>,
    /// Projected overnight maintenance margin (`Prjctd Ovrnght Mntnnc Mrgn`).
    #[serde(
        default,
        rename = "Prjctd Ovrnght Mntnnc Mrgn",
        deserialize_with = "opt_amount"
    )]
    pub projected_overnight_maint: Option<Amount>,
}

/// One currency's market value ([`Balances::market_value`](struct.Balances.html#method.market_value)), in that
/// currency.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MarketValue {
    /// Total cash.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub total_cash: Option<Decimal>,
    /// Settled cash.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub settled_cash: Option<Decimal>,
    /// Month-to-date interest.
    #[serde(
        default,
        rename = "MTD Interest",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub mtd_interest: Option<Decimal>,
    /// Stocks.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub stock: Option<Decimal>,
    /// Options.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub options: Option<Decimal>,
    /// Futures.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub futures: Option<Decimal>,
    /// Futures options.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub future_options: Option<Decimal>,
    /// Funds.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub funds: Option<Decimal>,
    /// Dividends receivable.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub dividends_receivable: Option<Decimal>,
    /// Mutual funds.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub mutual_funds: Option<Decimal>,
    /// Money market.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub money_market: Option<Decimal>,
    /// Bonds.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub bonds: Option<Decimal>,
    /// Government bonds.
    #[serde(
        default,
        rename = "Govt Bonds",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub govt_bonds: Option<Decimal>,
    /// Treasury bills.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub t_bills: Option<Decimal>,
    /// Warrants.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub warrants: Option<Decimal>,
    /// Issuer options.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub issuer_option: Option<Decimal>,
    /// Commodities.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub commodity: Option<Decimal>,
    /// Notional value of CFDs.
    #[serde(
        default,
        rename = "Notional CFD",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub notional_cfd: Option<Decimal>,
    /// CFDs.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub cfd: Option<Decimal>,
    /// Cryptocurrency.
    #[serde(
        default,
        rename = "Cryptocurrency",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub cryptocurrency: Option<Decimal>,
    /// Net liquidation value.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub net_liquidation: Option<Decimal>,
    /// Unrealized PnL.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// Realized PnL.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub realized_pnl: Option<Decimal>,
    /// The exchange rate to the base currency.
    #[serde(
        default,
        rename = "Exchange Rate",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub exchange_rate: Option<Decimal>,
}

#[doc(hidden)]
/// An object of objects by key (segments, currencies, accounts); a value
/// that is not an object is left out, and anything but an object is an
/// empty map. Read in place.
#[derive(Debug)]
pub struct ObjectsByKey<T>(pub BTreeMap<String, T>);

impl<T> Default for ObjectsByKey<T> {
    fn default() -> Self {
        ObjectsByKey(BTreeMap::new())
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for ObjectsByKey<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ObjectsVisitor(PhantomData))
    }
}

struct ObjectsVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ObjectsVisitor<T> {
    type Value = ObjectsByKey<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of objects")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(value) = map.next_value::<IfObject<T>>()?.0 {
                out.insert(key, value);
            }
        }
        Ok(ObjectsByKey(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ObjectsByKey::default())
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(ObjectsByKey::default())
    }
}

/// A value read as `T` when it is an object, skipped (`None`) otherwise.
#[doc(hidden)]
pub struct IfObject<T>(pub Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for IfObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(IfObjectVisitor(PhantomData))
    }
}

struct IfObjectVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for IfObjectVisitor<T> {
    type Value = IfObject<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| IfObject(Some(t)))
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(IfObject(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(IfObject(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_keep_their_unit() {
        assert_eq!(
            Amount::parse("825,208 USD"),
            Some(Amount {
                value: dec("825208"),
                currency: Some("USD".into())
            })
        );
        assert_eq!(Amount::parse("1.43").unwrap().currency, None);
        assert_eq!(Amount::parse("n/a"), None);
        assert_eq!(Amount::parse("Unlimited"), None);
        assert_eq!(Amount::parse("@ 16:00:00"), None);
    }

    #[test]
    fn segments_skip_what_is_not_an_object() {
        let ObjectsByKey(m) = serde_json::from_str::<ObjectsByKey<FundsSegment>>(
            r#"{"total": {"current_available": "1,000 USD", "leverage": "n/a", "SMA": 5},
                "note": "x", "list": [1], "securities": {"day_trades_left": 3}}"#,
        )
        .unwrap();
        assert_eq!(m.len(), 2);
        let total = &m["total"];
        assert_eq!(total.current_available.as_ref().unwrap().value, dec("1000"));
        assert_eq!(total.leverage, None);
        assert_eq!(total.sma.as_ref().unwrap().value, dec("5"));
        assert_eq!(m["securities"].day_trades_left.as_deref(), Some("3"));
        // What an Amount serializes to reads back.
        let json = serde_json::to_string(total).unwrap();
        let back: FundsSegment = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, total);
    }
}
