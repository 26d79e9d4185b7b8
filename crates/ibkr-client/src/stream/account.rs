//! PnL (`spl`), account summary (`ssd`) and ledger (`sld`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::decode::{opt_decimal, parse_decimal};
use crate::decode::LenientDeserialize;
use crate::lenient::{opt_i64, opt_string};

/// One account's PnL from the PnL subscription (a `<account>.<model>` entry).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct PnlUpdate {
    /// IBKR's key, `<account>.<model>` (`DU1234567.Core`).
    #[serde(skip)]
    pub key: String,
    /// The account part of the key.
    #[serde(skip)]
    pub account: String,
    /// The model part of the key (`Core`), if any.
    #[serde(skip)]
    pub model: Option<String>,
    /// Daily PnL (`dpl`).
    #[serde(default, rename = "dpl", deserialize_with = "opt_decimal")]
    pub daily: Option<Decimal>,
    /// Net liquidation (`nl`).
    #[serde(default, rename = "nl", deserialize_with = "opt_decimal")]
    pub net_liquidation: Option<Decimal>,
    /// Unrealized PnL (`upl`).
    #[serde(default, rename = "upl", deserialize_with = "opt_decimal")]
    pub unrealized: Option<Decimal>,
    /// Excess liquidity (`el`).
    #[serde(default, rename = "el", deserialize_with = "opt_decimal")]
    pub excess_liquidity: Option<Decimal>,
    /// Market value (`mv`).
    #[serde(default, rename = "mv", deserialize_with = "opt_decimal")]
    pub market_value: Option<Decimal>,
    /// IBKR's row type.
    #[serde(default, rename = "rowType", deserialize_with = "opt_i64")]
    pub row_type: Option<i64>,
    /// Every other field, as sent (`uel`, ...).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl PnlUpdate {
    pub(crate) fn with_key(mut self, key: &str) -> PnlUpdate {
        let (account, model) = match key.split_once('.') {
            Some((a, m)) => (a, Some(m.to_string())),
            None => (key, None),
        };
        self.key = key.to_string();
        self.account = account.to_string();
        self.model = model;
        self
    }
}

/// One value of the account summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryEntry {
    /// IBKR's key (`netliquidation`, `availablefunds`, ...).
    pub key: String,
    /// The amount, when numeric.
    pub amount: Option<Decimal>,
    /// The value's text, when it is not a number (or as sent).
    pub text: Option<String>,
    /// The currency, when given.
    pub currency: Option<String>,
    /// When IBKR computed it (ms since the epoch), when given.
    pub timestamp: Option<i64>,
}

/// An account summary message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountSummary {
    /// The account.
    pub account: String,
    /// The values, in IBKR's order.
    pub entries: Vec<SummaryEntry>,
}

impl AccountSummary {
    /// The entry named `key` (case ignored).
    pub fn get(&self, key: &str) -> Option<&SummaryEntry> {
        self.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }
}

#[derive(LenientDeserialize)]
struct SummaryWire {
    #[serde(default, deserialize_with = "opt_string")]
    key: Option<String>,
    #[serde(default, rename = "monetaryValue", deserialize_with = "opt_decimal")]
    monetary: Option<Decimal>,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default, deserialize_with = "opt_decimal")]
    amount: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_string")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "opt_i64")]
    timestamp: Option<i64>,
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn scalar_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => parse_decimal(&n.to_string()),
        Value::String(s) => parse_decimal(s),
        _ => None,
    }
}

/// Reads the entries of an `ssd` message: a list of `{key, value |
/// monetaryValue | amount, currency, timestamp}`, or an object keyed by
/// name whose values are such objects or plain values.
pub(crate) fn summary_entries(body: &Value) -> Result<Vec<SummaryEntry>, String> {
    let entry = |key: Option<String>, v: &Value| -> Result<SummaryEntry, String> {
        if v.is_object() {
            let w = SummaryWire::deserialize(v).map_err(|e| e.to_string())?;
            let value = w.value.as_ref();
            Ok(SummaryEntry {
                key: w.key.or(key).ok_or("a summary entry without a key")?,
                amount: w
                    .monetary
                    .or(w.amount)
                    .or_else(|| value.and_then(scalar_decimal)),
                text: value.and_then(scalar_text),
                currency: w.currency,
                timestamp: w.timestamp,
            })
        } else {
            Ok(SummaryEntry {
                key: key.ok_or("a summary entry without a key")?,
                amount: scalar_decimal(v),
                text: scalar_text(v),
                currency: None,
                timestamp: None,
            })
        }
    };
    match body {
        Value::Array(items) => items.iter().map(|v| entry(None, v)).collect(),
        Value::Object(map) => map.iter().map(|(k, v)| entry(Some(k.clone()), v)).collect(),
        _ => Err("an account summary must be a list or an object".into()),
    }
}

/// One currency's line of the ledger.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct LedgerEntry {
    /// IBKR's key (`LedgerListUSD`, `LedgerListBASE`).
    #[serde(default, deserialize_with = "opt_string")]
    pub key: Option<String>,
    /// The currency (`USD`, `BASE`).
    #[serde(default, deserialize_with = "opt_string")]
    pub currency: Option<String>,
    /// Cash balance.
    #[serde(default, rename = "cashbalance", deserialize_with = "opt_decimal")]
    pub cash_balance: Option<Decimal>,
    /// Settled cash.
    #[serde(default, rename = "settledcash", deserialize_with = "opt_decimal")]
    pub settled_cash: Option<Decimal>,
    /// Net liquidation value.
    #[serde(
        default,
        rename = "netliquidationvalue",
        deserialize_with = "opt_decimal"
    )]
    pub net_liquidation: Option<Decimal>,
    /// Stock market value.
    #[serde(default, rename = "stockmarketvalue", deserialize_with = "opt_decimal")]
    pub stock_market_value: Option<Decimal>,
    /// Unrealized PnL.
    #[serde(default, rename = "unrealizedpnl", deserialize_with = "opt_decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// Realized PnL.
    #[serde(default, rename = "realizedpnl", deserialize_with = "opt_decimal")]
    pub realized_pnl: Option<Decimal>,
    /// Exchange rate to the base currency.
    #[serde(default, rename = "exchangerate", deserialize_with = "opt_decimal")]
    pub exchange_rate: Option<Decimal>,
    /// When IBKR computed it (seconds or ms since the epoch, as sent).
    #[serde(default, deserialize_with = "opt_i64")]
    pub timestamp: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A ledger message (about every 10 s).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// The account.
    pub account: String,
    /// One entry per currency.
    pub entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// The entry of `currency` (`USD`, `BASE`; case ignored).
    pub fn currency(&self, currency: &str) -> Option<&LedgerEntry> {
        self.entries.iter().find(|e| {
            e.currency
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(currency))
        })
    }
}
