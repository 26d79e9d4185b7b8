//! Orders: live orders, status, trades, placing, previewing, modifying,
//! cancelling, and answering IBKR's confirmation questions.
//!
//! Placing an order may return questions ("this order exceeds your
//! price cap; are you sure?") instead of an order id. [`Orders::place`]
//! returns them as [`PlaceOutcome::NeedsConfirmation`]; answer with
//! [`Orders::reply`], or let [`Orders::place_with_policy`] answer the ones a
//! [`ConfirmationPolicy`] allows.
//!
//! Order requests are **never retried**: a timeout after sending becomes
//! [`Error::Ambiguous`]; check [`Orders::live_orders`] before sending again.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::orders::{ConfirmationPolicy, OrderRequest, PlaceOutcome, Side};
//!
//! let order = OrderRequest::limit(265598, Side::Buy, 10.0, 150.0).client_order_id("my-1");
//! let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into()]);
//! match client.orders().place_with_policy("DU1234567", &[order], &policy).await? {
//!     PlaceOutcome::Submitted(acks) => println!("placed {:?}", acks[0].order_id),
//!     PlaceOutcome::NeedsConfirmation { reply_id, messages, .. } => {
//!         println!("IBKR asks: {messages:?}");
//!         // client.orders().reply(&reply_id, true).await?;
//! #       let _ = reply_id;
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! ## Wire format
//!
//! Order writes (place, what-if, modify, cancel, reply) are sent and read by
//! the facade itself rather than through the generated clients: their
//! answers are untagged unions whose all-optional variants match each other
//! (a question decodes as an empty acknowledgement and loses its reply id),
//! which is unsafe for orders. Place and what-if send IBKR's documented
//! `{"orders": [...]}` body on both variants.

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};

use crate::call::{Outcome, to_body};
use crate::client::{Backend, Client};
use crate::error::{Error, Result};
use crate::lenient;

/// Order operations, from [`Client::orders`].
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a Client,
}

impl Client {
    /// Orders: list, status, trades, place, preview, modify, cancel, reply.
    pub fn orders(&self) -> Orders<'_> {
        Orders { client: self }
    }
}

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// Buy.
    #[serde(rename = "BUY")]
    Buy,
    /// Sell.
    #[serde(rename = "SELL")]
    Sell,
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// Any other value IBKR accepts, sent as is.
            Other(String),
        }

        impl $name {
            /// IBKR's code for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

string_enum!(
    /// The order type.
    OrderType {
        /// Market (`MKT`).
        Market = "MKT",
        /// Limit (`LMT`).
        Limit = "LMT",
        /// Stop (`STP`).
        Stop = "STP",
        /// Stop limit (`STOP_LIMIT`).
        StopLimit = "STOP_LIMIT",
        /// Market on close (`MOC`).
        MarketOnClose = "MOC",
        /// Limit on close (`LOC`).
        LimitOnClose = "LOC",
        /// Trailing stop (`TRAIL`).
        TrailingStop = "TRAIL",
        /// Trailing stop limit (`TRAILLMT`).
        TrailingStopLimit = "TRAILLMT",
        /// Midprice (`MIDPRICE`).
        Midprice = "MIDPRICE",
    }
);

string_enum!(
    /// Time in force.
    TimeInForce {
        /// Day (`DAY`).
        Day = "DAY",
        /// Good till cancelled (`GTC`).
        Gtc = "GTC",
        /// Immediate or cancel (`IOC`).
        Ioc = "IOC",
        /// At the opening (`OPG`).
        Opg = "OPG",
        /// Overnight plus day (`PAX`).
        Pax = "PAX",
    }
);

/// An order to place or the new terms of an order to modify.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderRequest {
    /// The contract id.
    pub conid: i64,
    /// Buy or sell.
    pub side: Side,
    /// The order type.
    #[serde(rename = "orderType")]
    pub order_type: OrderType,
    /// The quantity.
    pub quantity: f64,
    /// Limit price (limit orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Stop price (stop and stop limit orders).
    #[serde(rename = "auxPrice", skip_serializing_if = "Option::is_none")]
    pub aux_price: Option<f64>,
    /// Time in force.
    pub tif: TimeInForce,
    /// The account (defaults to the path's account).
    #[serde(rename = "acctId", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Your own order id, unique per order (`cOID`).
    #[serde(rename = "cOID", skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
    /// The parent's `cOID`, for bracket orders.
    #[serde(rename = "parentId", skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Whether the order may fill outside regular trading hours.
    #[serde(rename = "outsideRTH", skip_serializing_if = "Option::is_none")]
    pub outside_rth: Option<bool>,
    /// The listing exchange.
    #[serde(rename = "listingExchange", skip_serializing_if = "Option::is_none")]
    pub listing_exchange: Option<String>,
    /// The security type with exchange (`265598:STK`).
    #[serde(rename = "secType", skip_serializing_if = "Option::is_none")]
    pub sec_type: Option<String>,
    /// The ticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
    /// Trailing amount (trailing orders).
    #[serde(rename = "trailingAmt", skip_serializing_if = "Option::is_none")]
    pub trailing_amt: Option<f64>,
    /// Trailing type: `amt` or `%`.
    #[serde(rename = "trailingType", skip_serializing_if = "Option::is_none")]
    pub trailing_type: Option<String>,
    /// Cash quantity instead of a share quantity.
    #[serde(rename = "cashQty", skip_serializing_if = "Option::is_none")]
    pub cash_qty: Option<f64>,
    /// An IB algo's id (see `contracts().algos`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// The algo's parameters.
    #[serde(rename = "strategyParameters", skip_serializing_if = "Option::is_none")]
    pub strategy_parameters: Option<Value>,
    /// A free-form order reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

impl OrderRequest {
    /// An order with the given terms, `DAY` time in force.
    pub fn new(conid: i64, side: Side, order_type: OrderType, quantity: f64) -> Self {
        OrderRequest {
            conid,
            side,
            order_type,
            quantity,
            price: None,
            aux_price: None,
            tif: TimeInForce::Day,
            account_id: None,
            client_order_id: None,
            parent_id: None,
            outside_rth: None,
            listing_exchange: None,
            sec_type: None,
            ticker: None,
            trailing_amt: None,
            trailing_type: None,
            cash_qty: None,
            strategy: None,
            strategy_parameters: None,
            referrer: None,
        }
    }

    /// A market order.
    pub fn market(conid: i64, side: Side, quantity: f64) -> Self {
        Self::new(conid, side, OrderType::Market, quantity)
    }

    /// A limit order.
    pub fn limit(conid: i64, side: Side, quantity: f64, price: f64) -> Self {
        let mut o = Self::new(conid, side, OrderType::Limit, quantity);
        o.price = Some(price);
        o
    }

    /// A stop order.
    pub fn stop(conid: i64, side: Side, quantity: f64, stop_price: f64) -> Self {
        let mut o = Self::new(conid, side, OrderType::Stop, quantity);
        o.aux_price = Some(stop_price);
        o
    }

    /// Sets the time in force.
    pub fn tif(mut self, tif: TimeInForce) -> Self {
        self.tif = tif;
        self
    }

    /// Sets your own order id (`cOID`).
    pub fn client_order_id(mut self, id: impl Into<String>) -> Self {
        self.client_order_id = Some(id.into());
        self
    }

    /// Allows filling outside regular trading hours.
    pub fn outside_rth(mut self, outside: bool) -> Self {
        self.outside_rth = Some(outside);
        self
    }
}

/// IBKR's acknowledgement of a placed or modified order.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct OrderAck {
    /// IBKR's order id.
    #[serde(default, alias = "orderId", deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// The order's status (`PreSubmitted`, `Submitted`, ...).
    #[serde(
        default,
        alias = "orderStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_status: Option<String>,
    /// Your `cOID`, when echoed.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub local_order_id: Option<String>,
    /// IBKR's message, if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub encrypt_message: Option<String>,
}

/// What placing or modifying an order (or answering a question) produced.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceOutcome {
    /// The order was accepted.
    Submitted(Vec<OrderAck>),
    /// IBKR asks for confirmation before going on.
    NeedsConfirmation {
        /// The id to answer with [`Orders::reply`].
        reply_id: String,
        /// The question texts.
        messages: Vec<String>,
        /// The question codes (`o163`, `o354`, ...).
        message_ids: Vec<String>,
    },
}

/// Which questions [`Orders::place_with_policy`] may confirm.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConfirmationPolicy {
    /// Confirm nothing: return the first question.
    #[default]
    Manual,
    /// Confirm a question only when all its message ids are in this list.
    ConfirmIds(Vec<String>),
    /// Confirm every question.
    ConfirmAll,
}

impl ConfirmationPolicy {
    /// Whether a question with these message ids may be confirmed.
    pub fn allows(&self, message_ids: &[String]) -> bool {
        match self {
            ConfirmationPolicy::Manual => false,
            ConfirmationPolicy::ConfirmAll => true,
            ConfirmationPolicy::ConfirmIds(allowed) => {
                !message_ids.is_empty() && message_ids.iter().all(|id| allowed.contains(id))
            }
        }
    }
}

/// How many successive questions [`Orders::place_with_policy`] answers before
/// returning the next one to the caller.
pub const MAX_CONFIRMATIONS: usize = 10;

/// A live order (`/iserver/account/orders`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct LiveOrder {
    /// The account.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub acct: Option<String>,
    /// IBKR's order id.
    #[serde(default, rename = "orderId", deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The ticker.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ticker: Option<String>,
    /// `BUY` or `SELL`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub side: Option<String>,
    /// The order type.
    #[serde(
        default,
        rename = "orderType",
        alias = "origOrderType",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_type: Option<String>,
    /// The status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// The limit price.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub price: Option<f64>,
    /// Total quantity.
    #[serde(default, rename = "totalSize", deserialize_with = "lenient::opt_f64")]
    pub total_size: Option<f64>,
    /// Filled quantity.
    #[serde(
        default,
        rename = "filledQuantity",
        deserialize_with = "lenient::opt_f64"
    )]
    pub filled_quantity: Option<f64>,
    /// Remaining quantity.
    #[serde(
        default,
        rename = "remainingQuantity",
        deserialize_with = "lenient::opt_f64"
    )]
    pub remaining_quantity: Option<f64>,
    /// Average fill price.
    #[serde(default, rename = "avgPrice", deserialize_with = "lenient::opt_f64")]
    pub avg_price: Option<f64>,
    /// Time in force.
    #[serde(
        default,
        rename = "timeInForce",
        deserialize_with = "lenient::opt_string"
    )]
    pub time_in_force: Option<String>,
    /// Your `cOID`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_ref: Option<String>,
    /// IBKR's description of the order.
    #[serde(
        default,
        rename = "orderDesc",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_desc: Option<String>,
}

/// The live orders list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct LiveOrders {
    /// The orders.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub orders: Vec<LiveOrder>,
    /// Whether this is a complete snapshot (IBKR fills the list in the
    /// background; repeat until `true`).
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub snapshot: Option<bool>,
}

/// An order's status (`/iserver/account/order/status/{orderId}`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct OrderStatus {
    /// IBKR's order id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// The status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_status: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// `B` or `S`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub side: Option<String>,
    /// The order type.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_type: Option<String>,
    /// Total size.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub size: Option<f64>,
    /// Filled quantity.
    #[serde(
        default,
        rename = "cum_fill",
        alias = "filled_quantity",
        deserialize_with = "lenient::opt_f64"
    )]
    pub filled_quantity: Option<f64>,
    /// Total quantity.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub total_size: Option<f64>,
    /// Average fill price.
    #[serde(
        default,
        rename = "average_price",
        alias = "avg_fill_price",
        deserialize_with = "lenient::opt_f64"
    )]
    pub average_price: Option<f64>,
    /// Limit price, when reported.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub limit_price: Option<f64>,
    /// Stop price, when reported.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub stop_price: Option<f64>,
    /// Time in force.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub tif: Option<String>,
    /// Whether the order can no longer be modified.
    #[serde(
        default,
        rename = "order_not_editable",
        deserialize_with = "lenient::opt_bool"
    )]
    pub not_editable: Option<bool>,
    /// Whether the order can no longer be cancelled.
    #[serde(
        default,
        rename = "cannot_cancel_order",
        deserialize_with = "lenient::opt_bool"
    )]
    pub cannot_cancel: Option<bool>,
    /// The contract id with exchange (`265598@SMART`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub conidex: Option<String>,
    /// The account.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub account: Option<String>,
}

/// An execution (`/iserver/account/trades`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Trade {
    /// The execution id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub execution_id: Option<String>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// `B` or `S`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub side: Option<String>,
    /// Size.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub size: Option<f64>,
    /// Price.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub price: Option<f64>,
    /// Commission.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub commission: Option<f64>,
    /// Net amount.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub net_amount: Option<f64>,
    /// Execution time (`YYYYMMDD-hh:mm:ss`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub trade_time: Option<String>,
    /// Execution time in ms since the epoch.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub trade_time_r: Option<i64>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The account.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub account: Option<String>,
    /// Your `cOID`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_ref: Option<String>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
}

/// The result of a what-if preview.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct WhatIf {
    /// Order amount, commission and total.
    #[serde(default)]
    pub amount: Option<WhatIfValues>,
    /// Equity with loan before, change and after.
    #[serde(default)]
    pub equity: Option<WhatIfValues>,
    /// Initial margin before, change and after.
    #[serde(default)]
    pub initial: Option<WhatIfValues>,
    /// Maintenance margin before, change and after.
    #[serde(default)]
    pub maintenance: Option<WhatIfValues>,
    /// A warning, if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub warn: Option<String>,
    /// An error, if any (the order would be rejected).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
}

/// Values of a [`WhatIf`] section, as IBKR's text (`"1,234.56 USD"`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct WhatIfValues {
    /// Amount.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub amount: Option<String>,
    /// Commission.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub commission: Option<String>,
    /// Total.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub total: Option<String>,
    /// Current value.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub current: Option<String>,
    /// Change.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub change: Option<String>,
    /// Value after the order.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub after: Option<String>,
}

/// IBKR's acknowledgement of a cancel request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct CancelAck {
    /// The order id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// IBKR's message (`"Request was submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub msg: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The account.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub account: Option<String>,
}

/// The answer to [`Orders::suppress_questions`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Suppressed {
    /// IBKR's status (`"submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
}

/// Checks an id before it goes into a path.
fn path_id(what: &str, id: &str) -> Result<()> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::InvalidArgument(format!("invalid {what} {id:?}")));
    }
    Ok(())
}

/// Reads IBKR's answer to place/modify/reply.
fn parse_place(operation: &'static str, body: &[u8]) -> Result<PlaceOutcome> {
    let value: Value = crate::call::decode_raw(operation, body)?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(ref map) => {
            if let Some(e) = map.get("error").and_then(lenient::value_string) {
                return Err(Error::OrderRejected {
                    operation,
                    message: e,
                });
            }
            if map.contains_key("text") || map.contains_key("messageId") {
                // Advanced order reject.
                let message = map
                    .get("text")
                    .and_then(lenient::value_string)
                    .unwrap_or_else(|| value.to_string());
                return Err(Error::OrderRejected { operation, message });
            }
            vec![value]
        }
        other => {
            return Err(Error::Decode {
                operation,
                message: "expected a list or an object".into(),
                body: other.to_string(),
            });
        }
    };
    if let Some(question) = items
        .iter()
        .find(|i| i.get("id").is_some() && i.get("message").is_some())
    {
        let reply_id = question
            .get("id")
            .and_then(lenient::value_string)
            .unwrap_or_default();
        if reply_id.is_empty() {
            return Err(Error::Decode {
                operation,
                message: "a question without a reply id".into(),
                body: question.to_string(),
            });
        }
        let list = |key: &str| -> Vec<String> {
            question
                .get(key)
                .map(|v| match v {
                    Value::Array(a) => a.iter().filter_map(lenient::value_string).collect(),
                    other => lenient::value_string(other).into_iter().collect(),
                })
                .unwrap_or_default()
        };
        return Ok(PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages: list("message"),
            message_ids: list("messageIds"),
        });
    }
    let acks = items
        .into_iter()
        .map(serde_json::from_value::<OrderAck>)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Decode {
            operation,
            message: e.to_string(),
            body: String::from_utf8_lossy(body).into_owned(),
        })?;
    Ok(PlaceOutcome::Submitted(acks))
}

/// The raw body of an order write's answer.
fn body_of(operation: &'static str, outcome: Outcome<Value>) -> Result<Vec<u8>> {
    match outcome {
        Outcome::Raw(bytes) => Ok(bytes),
        Outcome::Typed(v) => Ok(v.to_string().into_bytes()),
        Outcome::Empty => Err(Error::Decode {
            operation,
            message: "the response has no body".into(),
            body: String::new(),
        }),
    }
}

impl Orders<'_> {
    /// Live orders of the session (`GET /iserver/account/orders`; IBKR
    /// allows one call every 5 s). `filters` are status filters such as
    /// `Submitted`, `Filled`, `Cancelled`; empty for all.
    pub async fn live_orders(&self, filters: &[&str]) -> Result<LiveOrders> {
        const OP: &str = "live_orders";
        let joined = filters.join(",");
        if !filters.is_empty() {
            // Web spec: one filter from a fixed lower-cased set; Gateway
            // spec: a `Filters` parameter. IBKR takes `filters=a,b`.
            if !joined
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == '_')
            {
                return Err(Error::InvalidArgument(format!(
                    "invalid filters {joined:?}"
                )));
            }
            let path = format!("/iserver/account/orders?filters={joined}");
            return self
                .client
                .raw::<Value>(OP, reqwest::Method::GET, &path, None)
                .await?
                .json(OP);
        }
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_account_orders_get(None, None, None))
                .await?
                .json(OP),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.iserver_account_orders_get(None))
                .await?
                .json(OP),
        }
    }

    /// One order's status (`GET /iserver/account/order/status/{orderId}`).
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatus> {
        const OP: &str = "order_status";
        crate::areas::accounts::both!(
            self,
            OP,
            |api| api.iserver_account_order_status_order_id_get(order_id),
            json(OP)
        )
    }

    /// Executions of the current and previous six days
    /// (`GET /iserver/account/trades`; one call every 5 s).
    pub async fn trades(&self) -> Result<Vec<Trade>> {
        const OP: &str = "trades";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_account_trades_get(None, None))
                .await?
                .json_list(OP),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.iserver_account_trades_get())
                .await?
                .json_list(OP),
        }
    }

    /// Places one order, or several forming a bracket or OCA group
    /// (`POST /iserver/account/{accountId}/orders`). Never retried.
    pub async fn place(&self, account_id: &str, orders: &[OrderRequest]) -> Result<PlaceOutcome> {
        const OP: &str = "place_order";
        path_id("account id", account_id)?;
        if orders.is_empty() {
            return Err(Error::InvalidArgument("no orders to place".into()));
        }
        let body = json!({ "orders": orders });
        let path = format!("/iserver/account/{account_id}/orders");
        let outcome = self
            .client
            .raw::<Value>(OP, reqwest::Method::POST, &path, Some(&body))
            .await?;
        parse_place(OP, &body_of(OP, outcome)?)
    }

    /// Answers a question (`POST /iserver/reply/{replyId}` with
    /// `{"confirmed": …}`). The answer may be another question. Never retried.
    pub async fn reply(&self, reply_id: &str, confirmed: bool) -> Result<PlaceOutcome> {
        const OP: &str = "reply";
        path_id("reply id", reply_id)?;
        let body = json!({ "confirmed": confirmed });
        let path = format!("/iserver/reply/{reply_id}");
        let outcome = self
            .client
            .raw::<Value>(OP, reqwest::Method::POST, &path, Some(&body))
            .await?;
        parse_place(OP, &body_of(OP, outcome)?)
    }

    /// Answers the questions that follow `outcome` as `policy` allows, up to
    /// [`MAX_CONFIRMATIONS`]; returns the first one it may not confirm.
    pub async fn confirm_with_policy(
        &self,
        mut outcome: PlaceOutcome,
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        for _ in 0..MAX_CONFIRMATIONS {
            match &outcome {
                PlaceOutcome::NeedsConfirmation {
                    reply_id,
                    message_ids,
                    ..
                } if policy.allows(message_ids) => {
                    outcome = self.reply(reply_id, true).await?;
                }
                _ => return Ok(outcome),
            }
        }
        Ok(outcome)
    }

    /// [`Orders::place`], then confirms the questions `policy` allows.
    /// With [`ConfirmationPolicy::Manual`] it is [`Orders::place`].
    pub async fn place_with_policy(
        &self,
        account_id: &str,
        orders: &[OrderRequest],
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        let outcome = self.place(account_id, orders).await?;
        self.confirm_with_policy(outcome, policy).await
    }

    /// Previews an order's margin and commission impact without placing it
    /// (`POST /iserver/account/{accountId}/orders/whatif`).
    pub async fn what_if(&self, account_id: &str, orders: &[OrderRequest]) -> Result<WhatIf> {
        const OP: &str = "what_if";
        path_id("account id", account_id)?;
        let body = json!({ "orders": orders });
        let path = format!("/iserver/account/{account_id}/orders/whatif");
        let outcome = self
            .client
            .raw::<Value>(OP, reqwest::Method::POST, &path, Some(&body))
            .await?;
        outcome.json(OP)
    }

    /// Modifies an open order with new terms
    /// (`POST /iserver/account/{accountId}/order/{orderId}`). May return
    /// questions like [`Orders::place`]. Never retried.
    pub async fn modify(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
    ) -> Result<PlaceOutcome> {
        const OP: &str = "modify_order";
        path_id("account id", account_id)?;
        path_id("order id", order_id)?;
        let body = serde_json::to_value(order)
            .map_err(|e| Error::InvalidArgument(format!("{OP}: {e}")))?;
        let path = format!("/iserver/account/{account_id}/order/{order_id}");
        let outcome = self
            .client
            .raw::<Value>(OP, reqwest::Method::POST, &path, Some(&body))
            .await?;
        parse_place(OP, &body_of(OP, outcome)?)
    }

    /// [`Orders::modify`], then confirms the questions `policy` allows.
    pub async fn modify_with_policy(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
        policy: &ConfirmationPolicy,
    ) -> Result<PlaceOutcome> {
        let outcome = self.modify(account_id, order_id, order).await?;
        self.confirm_with_policy(outcome, policy).await
    }

    /// Cancels an open order
    /// (`DELETE /iserver/account/{accountId}/order/{orderId}`). Never retried.
    pub async fn cancel(&self, account_id: &str, order_id: &str) -> Result<CancelAck> {
        const OP: &str = "cancel_order";
        path_id("account id", account_id)?;
        path_id("order id", order_id)?;
        let path = format!("/iserver/account/{account_id}/order/{order_id}");
        let outcome = self
            .client
            .raw::<Value>(OP, reqwest::Method::DELETE, &path, None)
            .await?;
        let value: Value = outcome.json(OP)?;
        if let Some(e) = value.get("error").and_then(lenient::value_string) {
            return Err(Error::OrderRejected {
                operation: OP,
                message: e,
            });
        }
        crate::call::via_json(OP, &value)
    }

    /// Suppresses the questions with these message ids for the rest of the
    /// session (`POST /iserver/questions/suppress`; Web API only).
    pub async fn suppress_questions(&self, message_ids: &[&str]) -> Result<Suppressed> {
        const OP: &str = "suppress_questions";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body: ibkr_api::web::types::IserverQuestionsSuppressPostBody =
                    to_body(OP, json!({ "messageIds": message_ids }))?;
                self.client
                    .call(OP, api.iserver_questions_suppress_post(&body))
                    .await?
                    .decode_or_default(OP, |r| Suppressed { status: r.status })
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => Err(self.client.unsupported(OP)),
        }
    }

    /// Resets all suppressed questions (`POST /iserver/questions/suppress/reset`;
    /// Web API only).
    pub async fn reset_suppressed_questions(&self) -> Result<Suppressed> {
        const OP: &str = "reset_suppressed_questions";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.iserver_questions_suppress_reset_post())
                .await?
                .decode_or_default(OP, |r| Suppressed { status: r.status }),
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => Err(self.client.unsupported(OP)),
        }
    }
}
