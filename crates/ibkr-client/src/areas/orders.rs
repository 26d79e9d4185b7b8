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
//! ## How order answers are read
//!
//! Place, modify, cancel and reply are sent exactly once, and every answer
//! is classified, never guessed at:
//!
//! - acknowledgements with an order id are [`PlaceOutcome::Submitted`];
//! - questions (`[{"id": …, "message": […]}]`) are
//!   [`PlaceOutcome::NeedsConfirmation`];
//! - IBKR's `{"error": …}` and its order rejects (`{"text": …, "messageId":
//!   …}`) are [`Error::OrderRejected`]: nothing was done;
//! - anything else (an empty body, an unreadable one, an empty list, an
//!   element of unknown shape, a mix of acknowledgements and questions) is
//!   [`Error::Ambiguous`]: IBKR may have acted, so check
//!   [`Orders::live_orders`] before sending again.
//!
//! Place and what-if send IBKR's documented `{"orders": [...]}` body on
//! both variants.

use std::fmt;

use ibkr_ops::areas::orders as ops;
use ibkr_ops::{Class, Operation};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::client::Client;
use crate::decode;
use crate::error::{Error, Result};
use crate::lenient;
use crate::transport::request::Call;

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OrderAck {
    /// IBKR's order id (`order_id`, or `orderId`).
    pub order_id: Option<String>,
    /// The order's status (`PreSubmitted`, `Submitted`, ...).
    pub order_status: Option<String>,
    /// Your `cOID`, when echoed.
    pub local_order_id: Option<String>,
    /// IBKR's message, if any.
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
    /// The order type as IBKR displays it (`orderType`: `Limit`).
    #[serde(
        default,
        rename = "orderType",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_type: Option<String>,
    /// The order type as it was submitted (`origOrderType`: `LIMIT`). IBKR
    /// sends it beside `orderType`.
    #[serde(
        default,
        rename = "origOrderType",
        deserialize_with = "lenient::opt_string"
    )]
    pub orig_order_type: Option<String>,
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

/// One element of IBKR's answer to place, modify or reply: an
/// acknowledgement, a question, an error or an order reject. Every key that
/// tells them apart is its own field, so that an element carrying several
/// is seen as such (and is ambiguous) rather than failing to decode.
#[derive(Deserialize)]
struct AnswerItem {
    // An acknowledgement.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    order_id: Option<String>,
    #[serde(default, rename = "orderId", deserialize_with = "lenient::opt_string")]
    order_id_camel: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    order_status: Option<String>,
    #[serde(
        default,
        rename = "orderStatus",
        deserialize_with = "lenient::opt_string"
    )]
    order_status_camel: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    local_order_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    encrypt_message: Option<String>,
    // A question.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "texts")]
    message: Option<Vec<String>>,
    #[serde(
        default,
        rename = "messageIds",
        deserialize_with = "lenient::string_list"
    )]
    message_ids: Vec<String>,
    // An error.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    error: Option<String>,
    // An order reject.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    text: Option<String>,
    #[serde(
        default,
        rename = "messageId",
        deserialize_with = "lenient::opt_string"
    )]
    message_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    prompt: Option<bool>,
}

/// What an [`AnswerItem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ack,
    Question,
    /// An `error`, or an order reject.
    Refusal,
}

impl AnswerItem {
    /// What the element is; `None` when it is none of them or several.
    fn kind(&self) -> Option<Kind> {
        let ack = self.order_id.is_some()
            || self.order_status.is_some()
            || self.order_status_camel.is_some()
            || self.local_order_id.is_some();
        let question = self.id.is_some() || self.message.is_some() || !self.message_ids.is_empty();
        let refusal = self.error.is_some()
            || self.text.is_some()
            || self.message_id.is_some()
            || self.prompt == Some(true);
        match (ack, question, refusal) {
            (true, false, false) => Some(Kind::Ack),
            (false, true, false) => Some(Kind::Question),
            (false, false, true) => Some(Kind::Refusal),
            _ => None,
        }
    }

    /// IBKR's reason for a refusal.
    fn reason(&self) -> Option<String> {
        match (&self.error, &self.text) {
            (Some(e), Some(t)) if e != t => Some(format!("{e}: {t}")),
            (Some(e), _) => Some(e.clone()),
            (None, Some(t)) => Some(t.clone()),
            (None, None) => self.message_id.clone(),
        }
    }
}

impl AnswerItem {
    fn into_ack(self) -> OrderAck {
        OrderAck {
            order_id: self.order_id.or(self.order_id_camel),
            order_status: self.order_status.or(self.order_status_camel),
            local_order_id: self.local_order_id,
            encrypt_message: self.encrypt_message,
        }
    }
}

/// Reads both spellings of the id and the status (`order_id`/`orderId`,
/// `order_status`/`orderStatus`), also when both are present.
impl<'de> Deserialize<'de> for OrderAck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        AnswerItem::deserialize(d).map(AnswerItem::into_ack)
    }
}

/// A question's texts: a list, or a single text (never split at commas).
fn texts<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Vec<String>>, D::Error> {
    Ok(Some(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(lenient::value_string).collect(),
        other => lenient::value_string(&other).into_iter().collect(),
    }))
}

/// IBKR's `{"error": …}` answer to an order write is a refusal.
fn refused(error: Error) -> Error {
    match error {
        Error::Api {
            operation, message, ..
        } => Error::OrderRejected { operation, message },
        other => other,
    }
}

/// Reads IBKR's answer to place, modify or reply (see the module docs).
fn read_order_answer(operation: &'static str, body: &[u8]) -> Result<PlaceOutcome> {
    let unclear = |why: &str| decode::failure(operation, Class::Order, why.to_string(), body);
    let items: Vec<AnswerItem> = decode::list(operation, Class::Order, body).map_err(refused)?;
    let kinds = items
        .iter()
        .map(AnswerItem::kind)
        .collect::<Option<Vec<Kind>>>()
        .ok_or_else(|| {
            unclear("an answer element that is not an acknowledgement, a question or a rejection")
        })?;
    let Some(&kind) = kinds.first() else {
        return Err(unclear("an empty answer"));
    };
    if kinds.iter().any(|k| *k != kind) {
        return Err(unclear(
            "an answer mixing acknowledgements, questions and rejections",
        ));
    }
    match kind {
        Kind::Refusal => {
            let reasons: Vec<String> = items.iter().filter_map(AnswerItem::reason).collect();
            Err(Error::OrderRejected {
                operation,
                message: if reasons.is_empty() {
                    String::from_utf8_lossy(body).into_owned()
                } else {
                    reasons.join("; ")
                },
            })
        }
        Kind::Question => {
            let question = items.into_iter().next().expect("a first element");
            let Some(reply_id) = question.id else {
                return Err(unclear("a question without a reply id"));
            };
            Ok(PlaceOutcome::NeedsConfirmation {
                reply_id,
                messages: question.message.unwrap_or_default(),
                message_ids: question.message_ids,
            })
        }
        Kind::Ack => {
            let acks: Vec<OrderAck> = items.into_iter().map(AnswerItem::into_ack).collect();
            if acks.iter().any(|a| a.order_id.is_none()) {
                return Err(unclear("an acknowledgement without an order id"));
            }
            Ok(PlaceOutcome::Submitted(acks))
        }
    }
}

/// IBKR's answer to a cancel: an acknowledgement, or an error.
#[derive(Deserialize)]
struct CancelAnswer {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    error: Option<String>,
    #[serde(flatten)]
    ack: CancelAck,
}

/// Reads IBKR's answer to a cancel: `{"error": …}` is a refusal; an answer
/// with neither a message nor an order id, or with an error beside them,
/// leaves the outcome unknown.
fn read_cancel_answer(operation: &'static str, body: &[u8]) -> Result<CancelAck> {
    let answer: CancelAnswer = decode::object(operation, Class::Order, body).map_err(refused)?;
    let acknowledged = answer.ack.msg.is_some() || answer.ack.order_id.is_some();
    match answer.error {
        Some(message) if !acknowledged => Err(Error::OrderRejected { operation, message }),
        Some(_) => Err(decode::failure(
            operation,
            Class::Order,
            "an error beside an acknowledgement".into(),
            body,
        )),
        None if !acknowledged => Err(decode::failure(
            operation,
            Class::Order,
            "an answer with neither a message nor an order id".into(),
            body,
        )),
        None => Ok(answer.ack),
    }
}

/// `{"orders": [...]}`
#[derive(Serialize)]
struct OrdersBody<'a> {
    orders: &'a [OrderRequest],
}

/// `{"confirmed": …}`
#[derive(Serialize)]
struct ReplyBody {
    confirmed: bool,
}

/// `{"messageIds": [...]}`
#[derive(Serialize)]
struct SuppressBody<'a> {
    #[serde(rename = "messageIds")]
    message_ids: &'a [&'a str],
}

/// Sends an order write and reads its answer.
async fn order_write(operation: &'static str, call: Call<'_>) -> Result<PlaceOutcome> {
    let body = call.send().await?;
    read_order_answer(operation, &body)
}

impl<'c> Orders<'c> {
    /// Starts a request of `op` with these path ids (`(what, id)`, in the
    /// route's order). Account, order and reply ids are refused unless they
    /// are IBKR's kind of id (letters, digits, `-`, `_`, `.`; not `.` or
    /// `..`): a stricter rule than [`Call::arg`]'s, kept so that an order
    /// request with a malformed id fails before anything is sent.
    fn call(&self, op: &'static Operation, ids: &[(&str, &str)]) -> Result<Call<'c>> {
        let mut call = self.client.op(op)?;
        for &(what, id) in ids {
            let well_formed = !matches!(id, "" | "." | "..")
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !well_formed {
                return Err(Error::InvalidArgument(format!(
                    "{}: invalid {what} {id:?}",
                    op.name
                )));
            }
            call = call.arg(id)?;
        }
        Ok(call)
    }

    /// Live orders of the session (`GET /iserver/account/orders`; IBKR
    /// allows one call every 5 s). `filters` are status filters such as
    /// `Submitted`, `Filled`, `Cancelled`, sent as `filters=a,b`; empty for
    /// all.
    pub async fn live_orders(&self, filters: &[&str]) -> Result<LiveOrders> {
        let joined = filters.join(",");
        if !joined
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == '_')
        {
            return Err(Error::InvalidArgument(format!(
                "{}: invalid filters {joined:?}",
                ops::LIVE_ORDERS.name
            )));
        }
        self.client
            .op(&ops::LIVE_ORDERS)?
            .query_opt("filters", (!joined.is_empty()).then_some(joined))
            .fetch_or_default()
            .await
    }

    /// One order's status (`GET /iserver/account/order/status/{orderId}`).
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatus> {
        self.call(&ops::ORDER_STATUS, &[("order id", order_id)])?
            .fetch_or_default()
            .await
    }

    /// Executions of the current and previous six days
    /// (`GET /iserver/account/trades`; one call every 5 s).
    pub async fn trades(&self) -> Result<Vec<Trade>> {
        self.client.op(&ops::TRADES)?.fetch_list().await
    }

    /// Places one order, or several forming a bracket or OCA group
    /// (`POST /iserver/account/{accountId}/orders`). Sent exactly once.
    pub async fn place(&self, account_id: &str, orders: &[OrderRequest]) -> Result<PlaceOutcome> {
        if orders.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{}: no orders to place",
                ops::PLACE.name
            )));
        }
        let call = self
            .call(&ops::PLACE, &[("account id", account_id)])?
            .json(&OrdersBody { orders })?;
        order_write(ops::PLACE.name, call).await
    }

    /// Answers a question (`POST /iserver/reply/{replyId}` with
    /// `{"confirmed": …}`). The answer may be another question. Sent
    /// exactly once.
    pub async fn reply(&self, reply_id: &str, confirmed: bool) -> Result<PlaceOutcome> {
        let call = self
            .call(&ops::REPLY, &[("reply id", reply_id)])?
            .json(&ReplyBody { confirmed })?;
        order_write(ops::REPLY.name, call).await
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
        self.call(&ops::WHAT_IF, &[("account id", account_id)])?
            .json(&OrdersBody { orders })?
            .fetch_or_default()
            .await
    }

    /// Modifies an open order with new terms
    /// (`POST /iserver/account/{accountId}/order/{orderId}`). May return
    /// questions like [`Orders::place`]. Sent exactly once.
    pub async fn modify(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
    ) -> Result<PlaceOutcome> {
        let ids = [("account id", account_id), ("order id", order_id)];
        let call = self.call(&ops::MODIFY, &ids)?.json(order)?;
        order_write(ops::MODIFY.name, call).await
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
    /// (`DELETE /iserver/account/{accountId}/order/{orderId}`). Sent exactly
    /// once. IBKR's `{"error": …}` is [`Error::OrderRejected`].
    pub async fn cancel(&self, account_id: &str, order_id: &str) -> Result<CancelAck> {
        let ids = [("account id", account_id), ("order id", order_id)];
        let body = self.call(&ops::CANCEL, &ids)?.send().await?;
        read_cancel_answer(ops::CANCEL.name, &body)
    }

    /// Suppresses the questions with these message ids for the rest of the
    /// session (`POST /iserver/questions/suppress`; Web API only).
    pub async fn suppress_questions(&self, message_ids: &[&str]) -> Result<Suppressed> {
        self.client
            .op(&ops::SUPPRESS_QUESTIONS)?
            .json(&SuppressBody { message_ids })?
            .fetch_or_default()
            .await
    }

    /// Resets all suppressed questions (`POST /iserver/questions/suppress/reset`;
    /// Web API only).
    pub async fn reset_suppressed_questions(&self) -> Result<Suppressed> {
        self.client
            .op(&ops::RESET_SUPPRESSED_QUESTIONS)?
            .fetch_or_default()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<PlaceOutcome> {
        read_order_answer("Orders::place", body.as_bytes())
    }

    fn ambiguous(body: &str) {
        match read(body) {
            Err(Error::Ambiguous { operation, .. }) => assert_eq!(operation, "Orders::place"),
            other => panic!("{body}: expected Ambiguous, got {other:?}"),
        }
    }

    fn rejected(body: &str) -> String {
        match read(body) {
            Err(Error::OrderRejected { message, .. }) => message,
            other => panic!("{body}: expected OrderRejected, got {other:?}"),
        }
    }

    #[test]
    fn acknowledgements() {
        let r = read(r#"[{"order_id":"1","order_status":"PreSubmitted","encrypt_message":"1"},{"order_id":2,"local_order_id":"c2"}]"#)
            .unwrap();
        let PlaceOutcome::Submitted(acks) = r else {
            panic!("{r:?}")
        };
        assert_eq!(acks.len(), 2);
        assert_eq!(acks[0].order_status.as_deref(), Some("PreSubmitted"));
        assert_eq!(acks[1].order_id.as_deref(), Some("2"));
        assert_eq!(acks[1].local_order_id.as_deref(), Some("c2"));
        // The camel-case spellings, and both at once.
        let r = read(r#"{"orderId":5,"orderStatus":"Submitted"}"#).unwrap();
        assert!(
            matches!(r, PlaceOutcome::Submitted(ref a) if a[0].order_id.as_deref() == Some("5"))
        );
        let r = read(r#"[{"order_id":"5","orderId":5,"order_status":"Submitted"}]"#).unwrap();
        assert!(
            matches!(r, PlaceOutcome::Submitted(ref a) if a[0].order_id.as_deref() == Some("5"))
        );
    }

    #[test]
    fn order_acks_read_both_spellings_and_round_trip() {
        let ack: OrderAck =
            serde_json::from_str(r#"{"order_id":"1","orderId":1,"orderStatus":"Submitted"}"#)
                .unwrap();
        assert_eq!(ack.order_id.as_deref(), Some("1"));
        assert_eq!(ack.order_status.as_deref(), Some("Submitted"));
        let back: OrderAck = serde_json::from_value(serde_json::to_value(&ack).unwrap()).unwrap();
        assert_eq!(back, ack);
    }

    #[test]
    fn questions() {
        let r =
            read(r#"[{"id":7,"message":"Are you sure, really?","messageIds":"o1,o2"}]"#).unwrap();
        assert_eq!(
            r,
            PlaceOutcome::NeedsConfirmation {
                reply_id: "7".into(),
                messages: vec!["Are you sure, really?".into()],
                message_ids: vec!["o1".into(), "o2".into()],
            }
        );
        ambiguous(r#"[{"id":null,"message":["sure?"]}]"#);
        ambiguous(r#"[{"message":["sure?"],"messageIds":["o1"]}]"#);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            rejected(r#"{"error":"Order not confirmed "}"#),
            "Order not confirmed "
        );
        assert_eq!(
            rejected(r#"[{"error":"a","x":1},{"error":"b","x":2}]"#),
            "a; b"
        );
        assert_eq!(
            rejected(
                r#"{"orderId":1,"reqId":"2","text":"Use the algo?","messageId":"p12","prompt":true}"#
            ),
            "Use the algo?"
        );
        assert_eq!(rejected(r#"{"messageId":"p12"}"#), "p12");
    }

    #[test]
    fn anything_else_is_ambiguous() {
        for body in [
            "",
            "   ",
            "null",
            "[]",
            "{}",
            "[{}]",
            "\"ok\"",
            "<html>",
            "[{\"order_id\":\"1\"",
            r#"[{"order_status":"Submitted"}]"#,
            r#"[{"encrypt_message":"1"}]"#,
            r#"[{"order_id":"1"},{"id":"r1","message":["sure?"]}]"#,
            r#"[{"order_id":"1"},{"error":"no"}]"#,
            r#"[{"order_id":"1","error":"no"}]"#,
            r#"[{"order_id":"1","text":"rejected?"}]"#,
        ] {
            ambiguous(body);
        }
    }

    fn cancel(body: &str) -> Result<CancelAck> {
        read_cancel_answer("Orders::cancel", body.as_bytes())
    }

    #[test]
    fn cancel_answers() {
        let ack =
            cancel(r#"[{"msg":"Request was submitted","order_id":"1","conid":-1,"account":null}]"#)
                .unwrap();
        assert_eq!(ack.msg.as_deref(), Some("Request was submitted"));
        assert_eq!(ack.order_id.as_deref(), Some("1"));
        assert!(matches!(
            cancel(r#"{"error":"OrderID 1 doesn't exist"}"#),
            Err(Error::OrderRejected { ref message, .. }) if message == "OrderID 1 doesn't exist"
        ));
        assert!(matches!(
            cancel(r#"{"error":"gone","conid":1}"#),
            Err(Error::OrderRejected { ref message, .. }) if message == "gone"
        ));
        for body in [
            "",
            "[]",
            "{}",
            "<html>",
            r#"{"conid":1}"#,
            r#"{"error":"x","msg":"Request was submitted"}"#,
        ] {
            assert!(
                matches!(cancel(body), Err(Error::Ambiguous { .. })),
                "{body}"
            );
        }
    }

    #[test]
    fn live_orders_keep_both_order_types() {
        let orders: LiveOrders = serde_json::from_str(
            r#"{"orders":[{"orderId":1,"orderType":"Limit","origOrderType":"LIMIT"}],"snapshot":true}"#,
        )
        .unwrap();
        assert_eq!(orders.orders[0].order_type.as_deref(), Some("Limit"));
        assert_eq!(orders.orders[0].orig_order_type.as_deref(), Some("LIMIT"));
    }
}
