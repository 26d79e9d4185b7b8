//! Live orders (`sor`) and trades (`str`).

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::Deserializer;
use serde_json::Value;

use super::decode::opt_decimal;
use crate::decode::LenientDeserialize;
use crate::lenient::{opt_i64, opt_string};

/// An order's status as IBKR names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// Sent, not yet acknowledged.
    PendingSubmit,
    /// A cancel was sent, not yet acknowledged.
    PendingCancel,
    /// Accepted, held until its conditions are met (a stop, a GTC outside
    /// hours).
    PreSubmitted,
    /// Working at the exchange.
    Submitted,
    /// Cancelled by the API.
    ApiCancelled,
    /// Cancelled.
    Cancelled,
    /// Completely filled.
    Filled,
    /// Not working (rejected, or waiting for something).
    Inactive,
    /// Any other status, as sent.
    Other(String),
}

impl OrderStatus {
    /// Reads IBKR's text (case and separators ignored).
    pub fn parse(s: &str) -> OrderStatus {
        let key: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match key.as_str() {
            "pendingsubmit" => OrderStatus::PendingSubmit,
            "pendingcancel" => OrderStatus::PendingCancel,
            "presubmitted" => OrderStatus::PreSubmitted,
            "submitted" => OrderStatus::Submitted,
            "apicancelled" => OrderStatus::ApiCancelled,
            "cancelled" => OrderStatus::Cancelled,
            "filled" => OrderStatus::Filled,
            "inactive" => OrderStatus::Inactive,
            _ => OrderStatus::Other(s.to_string()),
        }
    }

    /// Whether the order can still fill or be cancelled.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            OrderStatus::PendingSubmit
                | OrderStatus::PendingCancel
                | OrderStatus::PreSubmitted
                | OrderStatus::Submitted
        )
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrderStatus::Other(s) => f.write_str(s),
            other => fmt::Debug::fmt(other, f),
        }
    }
}

fn opt_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OrderStatus>, D::Error> {
    Ok(opt_string(d)?.map(|s| OrderStatus::parse(&s)))
}

/// One order's state from the live orders subscription (the same fields as
/// a row of `/iserver/account/orders`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct OrderUpdate {
    /// The account.
    #[serde(default, rename = "acct", deserialize_with = "opt_string")]
    pub account: Option<String>,
    /// The order id.
    #[serde(default, rename = "orderId", deserialize_with = "opt_i64")]
    pub order_id: Option<i64>,
    /// The contract id.
    #[serde(default, deserialize_with = "opt_i64")]
    pub conid: Option<i64>,
    /// The status.
    #[serde(default, deserialize_with = "opt_status")]
    pub status: Option<OrderStatus>,
    /// `BUY` or `SELL`.
    #[serde(default, deserialize_with = "opt_string")]
    pub side: Option<String>,
    /// The order type (`LMT`, `MKT`, `STP`, ...).
    #[serde(default, rename = "orderType", deserialize_with = "opt_string")]
    pub order_type: Option<String>,
    /// The symbol.
    #[serde(default, deserialize_with = "opt_string")]
    pub ticker: Option<String>,
    /// IBKR's description (`Buy 1 LMT 189.49, DAY`).
    #[serde(default, rename = "orderDesc", deserialize_with = "opt_string")]
    pub description: Option<String>,
    /// The limit price.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub price: Option<Decimal>,
    /// The stop price.
    #[serde(default, rename = "auxPrice", deserialize_with = "opt_decimal")]
    pub aux_price: Option<Decimal>,
    /// The average fill price.
    #[serde(default, rename = "avgPrice", deserialize_with = "opt_decimal")]
    pub avg_price: Option<Decimal>,
    /// The order's size.
    #[serde(default, rename = "totalSize", deserialize_with = "opt_decimal")]
    pub total_size: Option<Decimal>,
    /// How much has filled.
    #[serde(default, rename = "filledQuantity", deserialize_with = "opt_decimal")]
    pub filled_quantity: Option<Decimal>,
    /// How much remains.
    #[serde(
        default,
        rename = "remainingQuantity",
        deserialize_with = "opt_decimal"
    )]
    pub remaining_quantity: Option<Decimal>,
    /// Time in force.
    #[serde(default, rename = "timeInForce", deserialize_with = "opt_string")]
    pub time_in_force: Option<String>,
    /// The currency.
    #[serde(default, rename = "cashCcy", deserialize_with = "opt_string")]
    pub currency: Option<String>,
    /// The security type.
    #[serde(default, rename = "secType", deserialize_with = "opt_string")]
    pub sec_type: Option<String>,
    /// The listing exchange.
    #[serde(default, rename = "listingExchange", deserialize_with = "opt_string")]
    pub exchange: Option<String>,
    /// The last execution (ms since the epoch).
    #[serde(default, rename = "lastExecutionTime_r", deserialize_with = "opt_i64")]
    pub last_execution_ms: Option<i64>,
    /// The customer order reference.
    #[serde(default, deserialize_with = "opt_string")]
    pub order_ref: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// One execution from the trades subscription (the same fields as a row of
/// `/iserver/account/trades`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize)]
pub struct Trade {
    /// The execution id.
    #[serde(default, deserialize_with = "opt_string")]
    pub execution_id: Option<String>,
    /// The account.
    #[serde(default, deserialize_with = "opt_string")]
    pub account: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "opt_i64")]
    pub conid: Option<i64>,
    /// The symbol.
    #[serde(default, deserialize_with = "opt_string")]
    pub symbol: Option<String>,
    /// `B` or `S` (or `BUY`/`SELL`).
    #[serde(default, deserialize_with = "opt_string")]
    pub side: Option<String>,
    /// The executed size.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub size: Option<Decimal>,
    /// The execution price.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub price: Option<Decimal>,
    /// The commission.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub commission: Option<Decimal>,
    /// The net amount.
    #[serde(default, deserialize_with = "opt_decimal")]
    pub net_amount: Option<Decimal>,
    /// The exchange.
    #[serde(default, deserialize_with = "opt_string")]
    pub exchange: Option<String>,
    /// IBKR's description of the order.
    #[serde(default, deserialize_with = "opt_string")]
    pub order_description: Option<String>,
    /// The execution time (ms since the epoch).
    #[serde(default, deserialize_with = "opt_i64")]
    pub trade_time_r: Option<i64>,
    /// The customer order reference.
    #[serde(default, deserialize_with = "opt_string")]
    pub order_ref: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}
