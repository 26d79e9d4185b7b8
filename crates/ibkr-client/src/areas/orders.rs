//! Orders: typed and validated order requests, placing (with IBKR's
//! confirmation questions), previewing, modifying, cancelling, live orders,
//! status, trades, and recovering from an order whose outcome is unknown.
//!
//! # Building an order
//!
//! Prices, quantities and amounts are exact decimals ([`Decimal`]).
//! [`Quantity`] and [`Price`] are different types, so a builder's
//! arguments cannot be swapped; a stop-limit's two prices are named
//! ([`StopLimit`]), a trailing order's offset says whether it is an amount
//! or a percentage ([`Trail`]):
//!
//! ```
//! use ibkr_client::areas::orders::{OrderRequest, Quantity, Side, StopLimit, TimeInForce, Trail};
//! use rust_decimal::Decimal;
//!
//! # fn main() -> ibkr_client::Result<()> {
//! let qty = Quantity::from(10);
//! let limit = OrderRequest::limit(265598, Side::Buy, qty, "189.50".parse()?).tif(TimeInForce::Gtc);
//! let stop_limit = OrderRequest::stop_limit(
//!     265598,
//!     Side::Sell,
//!     qty,
//!     StopLimit { stop: "180".parse()?, limit: "179.50".parse()? },
//! );
//! let trailing = OrderRequest::trailing_stop(265598, Side::Sell, qty, Trail::Percent(Decimal::new(25, 1)));
//! for order in [&limit, &stop_limit, &trailing] {
//!     order.validate()?;
//! }
//! // Every order carries a client order id (`cOID`) from the start: keep it
//! // to find the order again after an ambiguous answer.
//! assert!(limit.client_order_id.is_some());
//! # Ok(()) }
//! ```
//!
//! Builders for market, limit, stop, stop-limit, trailing stop (amount or
//! percent), trailing stop-limit, market/limit on close, midprice and
//! relative orders; time in force, outside regular hours, cash quantity,
//! the account, an algo. A [`Bracket`] links a take-profit and a stop-loss
//! to a parent (`parentId` = the parent's `cOID`); an [`OcaGroup`] makes
//! orders cancel each other (`isSingleGroup`).
//!
//! Nothing invalid is sent: [`OrderRequest::validate`] (called by place,
//! modify and what-if before anything goes out) refuses with
//! [`Error::InvalidArgument`] a limit without a price, a non-positive
//! quantity, a value a JSON number cannot carry exactly, trailing terms on
//! an order that does not trail, and more; [`Bracket::orders`] refuses an
//! empty bracket and a take-profit or stop-loss on the wrong side.
//!
//! # Placing
//!
//! Placing may return questions ("this order exceeds your price cap; are
//! you sure?") instead of an order id. [`Orders::place`] returns them as
//! [`PlaceOutcome::NeedsConfirmation`]; answer with [`Orders::reply`], or let
//! [`Orders::place_with_policy`] answer the ones a [`ConfirmationPolicy`]
//! allows (one question may follow another).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::orders::{Bracket, ConfirmationPolicy, OrderRequest, PlaceOutcome, Side};
//!
//! let entry = OrderRequest::limit(265598, Side::Buy, 10.into(), "189.50".parse()?);
//! let orders = Bracket::new(entry)
//!     .take_profit("195.00".parse()?)
//!     .stop_loss("185.00".parse()?)
//!     .orders()?;
//! let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into(), "o354".into()]);
//! match client.orders().place_with_policy("DU1234567", &orders, &policy).await? {
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
//! # A bracket, end to end
//!
//! (The README's "Orders" section shows this same example.)
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use ibkr_client::areas::orders::{
//!     Bracket, ConfirmationPolicy, OrderRequest, PlaceOutcome, Quantity, Reconciliation, Side,
//! };
//! use ibkr_client::{Client, Config, Error};
//!
//! # async fn run() -> ibkr_client::Result<()> {
//! let client = Client::new(Config::gateway().accept_self_signed_certificate())?;
//! let account = "DU1234567";
//!
//! // Buy 10 AAPL at 189.50; take the profit at 195, stop out at 185.
//! let entry = OrderRequest::limit(265598, Side::Buy, Quantity::from(10), "189.50".parse()?);
//! let orders = Bracket::new(entry)
//!     .take_profit("195.00".parse()?)
//!     .stop_loss("185.00".parse()?)
//!     .orders()?; // refuses an empty bracket, or a stop on the wrong side
//! let parent = orders[0].client_order_id.clone().expect("every order has a cOID");
//!
//! // IBKR asks before placing; confirm only the questions you expect.
//! let policy = ConfirmationPolicy::ConfirmIds(vec!["o163".into(), "o354".into()]);
//! let acks = match client.orders().place_with_policy(account, &orders, &policy).await {
//!     Ok(PlaceOutcome::Submitted(acks)) => acks,
//!     Ok(PlaceOutcome::NeedsConfirmation { messages, .. }) => {
//!         println!("IBKR asks: {messages:?}");
//!         return Ok(());
//!     }
//!     // Sent, but the answer was lost: look the orders up by their cOIDs.
//!     Err(Error::Ambiguous { client_order_ids, .. }) => {
//!         for coid in client_order_ids {
//!             match client.orders().reconcile(&coid).await? {
//!                 Reconciliation::Placed(order) => println!("{coid} placed: {:?}", order.order_id),
//!                 Reconciliation::NotPlaced => println!("{coid} not placed: resend it, same cOID"),
//!                 Reconciliation::Unknown(why) => println!("{coid} unknown yet: {why}"),
//!             }
//!         }
//!         return Ok(());
//!     }
//!     Err(e) => return Err(e),
//! };
//! println!("bracket {parent}: entry order {:?}", acks[0].order_id);
//!
//! // Wait (paced polling) until the entry is filled, cancelled or rejected.
//! if let Some(id) = &acks[0].order_id {
//!     let status = client.orders().wait_for_terminal(id, Duration::from_secs(60)).await?;
//!     println!("{:?}, {:?} at {:?}", status.order_status, status.filled_quantity, status.average_price);
//! }
//! # Ok(()) }
//! ```
//!
//! # When the outcome is unknown
//!
//! Place, modify, cancel and reply are **sent exactly once**. A timeout, a
//! broken connection, a 502–504 or an unreadable answer after sending is
//! [`Error::Ambiguous`], which lists the `cOID`s of the orders concerned.
//! [`Orders::reconcile`] looks a `cOID` up in the live orders and the
//! recent trades (paced: IBKR allows each one call every 5 s) and answers
//! [`Reconciliation::Placed`], [`Reconciliation::NotPlaced`] or
//! [`Reconciliation::Unknown`]. Sending an order again with the **same**
//! `cOID` is safe: IBKR refuses a `cOID` it has seen in the last 24 hours.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client, orders: Vec<ibkr_client::areas::orders::OrderRequest>) -> ibkr_client::Result<()> {
//! use ibkr_client::Error;
//! use ibkr_client::areas::orders::Reconciliation;
//!
//! match client.orders().place("DU1234567", &orders).await {
//!     Err(Error::Ambiguous { client_order_ids, .. }) => {
//!         for coid in &client_order_ids {
//!             match client.orders().reconcile(coid).await? {
//!                 Reconciliation::Placed(placed) => println!("{coid} is live: {:?}", placed.order_id),
//!                 Reconciliation::NotPlaced => println!("{coid} never arrived: send it again, same cOID"),
//!                 Reconciliation::Unknown(why) => println!("{coid}: still unknown ({why})"),
//!             }
//!         }
//!     }
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```
//!
//! [`Orders::wait_for_terminal`] polls an order's status (paced) until it
//! is filled, cancelled or rejected, or a timeout passes.
//!
//! ## How order answers are read
//!
//! Every answer is classified, never guessed at:
//!
//! - acknowledgements with an order id are [`PlaceOutcome::Submitted`];
//! - questions (`[{"id": …, "message": […]}]`) are
//!   [`PlaceOutcome::NeedsConfirmation`];
//! - IBKR's `{"error": …}` and its order rejects (`{"text": …, "messageId":
//!   …}`) are [`Error::OrderRejected`]: nothing was done;
//! - anything else (an empty body, an unreadable one, an empty list, an
//!   element of unknown shape, a mix of acknowledgements and questions) is
//!   [`Error::Ambiguous`]: IBKR may have acted.
//!
//! Place and what-if send IBKR's documented `{"orders": [...]}` body on
//! both variants; numbers go out as JSON numbers carrying the decimal's
//! exact digits.
//!
//! # Reads
//!
//! Side, status, order type, time in force and security type are enums
//! ([`Side`], [`OrderState`], [`OrderType`], [`TimeInForce`],
//! [`SecurityType`]) that read IBKR's codes and display names alike
//! (`LMT`, `Limit`, `LIMIT`; `B`, `BUY`) and keep anything else in
//! `Other`. Ids are [`Conid`], [`OrderId`] and [`AccountId`]
//! ([`super::ids`]).
//!
//! With the feature `schemars` (on by default) every request and response
//! type here derives `schemars::JsonSchema`: `schemars::schema_for!(OrderRequest)`.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ibkr_ops::areas::orders as ops;
use ibkr_ops::{Class, Operation};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::ids::{self, AccountId, Conid, OrderId};
use crate::client::Client;
use crate::decode;
use crate::error::{Error, Result};
use crate::lenient;
use crate::transport::request::Call;

/// Order operations, from [`Client::orders`].
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Orders: list, status, trades, place, preview, modify, cancel, reply,
    /// reconcile.
    pub fn orders(&self) -> Orders<'_> {
        Orders { client: self }
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)*),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// Any other value, kept as IBKR wrote it (and sent as is).
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

            /// The codes this type knows (not `Other`).
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];
        }

        /// Reads IBKR's code or display name, whatever its case.
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($wire) $(|| t.eq_ignore_ascii_case($alias))* {
                    return $name::$variant;
                })*
                $name::Other(s.to_string())
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
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = lenient::opt_string(d)?
                    .ok_or_else(|| serde::de::Error::custom(concat!("a ", stringify!($name))))?;
                Ok($name::from(s.as_str()))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                code_schema($name::KNOWN)
            }
        }
    };
}

/// A string schema listing IBKR's known codes as examples (other codes
/// pass: the enums keep them in `Other`).
#[cfg(feature = "schemars")]
fn code_schema(known: &[&str]) -> schemars::schema::Schema {
    use schemars::schema::{InstanceType, Metadata, SchemaObject};
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        metadata: Some(Box::new(Metadata {
            examples: known
                .iter()
                .map(|k| Value::String((*k).to_string()))
                .collect(),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}

/// An optional enum field, read leniently (`""`, `"N/A"`, `null` are `None`).
fn opt_code<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    Ok(lenient::opt_string(d)?.map(|s| T::from(s.as_str())))
}

string_enum!(
    /// Buy or sell. Reads IBKR's `BUY`/`SELL` and the `B`/`S` of order
    /// status and trades.
    Side {
        /// Buy (`BUY`).
        Buy = "BUY" | "B",
        /// Sell (`SELL`).
        Sell = "SELL" | "S",
    }
);

impl Side {
    /// The other side (a bracket's children trade against their parent).
    pub fn opposite(&self) -> Option<Side> {
        match self {
            Side::Buy => Some(Side::Sell),
            Side::Sell => Some(Side::Buy),
            Side::Other(_) => None,
        }
    }
}

string_enum!(
    /// The order type: IBKR's code on requests; its codes and display
    /// names (`Limit`, `LIMIT`, `Stop Limit`) on reads.
    OrderType {
        /// Market (`MKT`).
        Market = "MKT" | "MARKET",
        /// Limit (`LMT`): `price` is the limit.
        Limit = "LMT" | "LIMIT",
        /// Stop (`STP`): `price` is the stop (trigger) price.
        Stop = "STP" | "STOP",
        /// Stop limit (`STOP_LIMIT`): `auxPrice` is the stop, `price` the limit.
        StopLimit = "STOP_LIMIT" | "STOP LIMIT" | "STP LMT" | "STOPLIMIT",
        /// Market on close (`MOC`).
        MarketOnClose = "MOC" | "MARKET ON CLOSE",
        /// Limit on close (`LOC`): `price` is the limit.
        LimitOnClose = "LOC" | "LIMIT ON CLOSE",
        /// Trailing stop (`TRAIL`): `trailingAmt`/`trailingType`, optional
        /// initial stop in `price`.
        TrailingStop = "TRAIL" | "TRAILING STOP",
        /// Trailing stop limit (`TRAILLMT`): trailing terms, `auxPrice` the
        /// stop, `price` the limit.
        TrailingStopLimit = "TRAILLMT" | "TRAIL LIMIT" | "TRAILING STOP LIMIT",
        /// Midprice (`MIDPRICE`): `price` is an optional price cap.
        Midprice = "MIDPRICE" | "MID PRICE",
        /// Relative (`REL`), where IBKR offers it for the contract (see
        /// `contracts().info`'s order types): `price` is an optional cap.
        Relative = "REL" | "RELATIVE",
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
        /// At the opening (`OPG`): market or limit on open.
        Opg = "OPG",
        /// Overnight plus day (`PAX`).
        Pax = "PAX",
    }
);

string_enum!(
    /// An order's status as IBKR reports it.
    OrderState {
        /// Sent, not yet acknowledged (`PendingSubmit`).
        PendingSubmit = "PendingSubmit",
        /// A cancel was sent, not yet acknowledged (`PendingCancel`).
        PendingCancel = "PendingCancel",
        /// Accepted and held until its conditions are met (`PreSubmitted`).
        PreSubmitted = "PreSubmitted",
        /// Working (`Submitted`).
        Submitted = "Submitted",
        /// Accepted by the API, not yet working (`ApiPending`).
        ApiPending = "ApiPending",
        /// Cancelled through the API (`ApiCancelled`).
        ApiCancelled = "ApiCancelled",
        /// Cancelled (`Cancelled`).
        Cancelled = "Cancelled" | "Canceled",
        /// Completely filled (`Filled`).
        Filled = "Filled",
        /// No longer working: rejected, or cancelled by the system (`Inactive`).
        Inactive = "Inactive",
        /// Rejected (`Rejected`).
        Rejected = "Rejected",
        /// Working with a warning (`WarnState`).
        WarnState = "WarnState",
    }
);

impl OrderState {
    /// Whether the order is done: filled, cancelled or rejected (IBKR's
    /// `Inactive` included). A terminal order never fills again.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            OrderState::Filled
                | OrderState::Cancelled
                | OrderState::ApiCancelled
                | OrderState::Inactive
                | OrderState::Rejected
        )
    }
}

string_enum!(
    /// A security type (`secType` on reads).
    SecurityType {
        /// Stock (`STK`).
        Stock = "STK",
        /// Option (`OPT`).
        Option = "OPT",
        /// Future (`FUT`).
        Future = "FUT",
        /// Option on a future (`FOP`).
        FutureOption = "FOP",
        /// Forex (`CASH`).
        Forex = "CASH",
        /// Contract for difference (`CFD`).
        Cfd = "CFD",
        /// Bond (`BOND`).
        Bond = "BOND",
        /// Warrant (`WAR`).
        Warrant = "WAR",
        /// Index (`IND`).
        Index = "IND",
        /// Mutual fund (`FUND`).
        Fund = "FUND",
        /// Cryptocurrency (`CRYPTO`).
        Crypto = "CRYPTO",
        /// Commodity (`CMDTY`).
        Commodity = "CMDTY",
        /// Combination (`BAG`).
        Combo = "BAG",
    }
);

string_enum!(
    /// How a trailing order's offset is expressed (`trailingType`).
    TrailingType {
        /// An amount in the price's currency (`amt`).
        Amount = "amt",
        /// A percentage of the price (`%`).
        Percent = "%",
    }
);

// --- numbers -----------------------------------------------------------------------

/// Writes a decimal as the JSON number that reads back as the same decimal
/// (an integer when it is one); fails when no JSON number can.
fn write_number<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    if d.fract().is_zero()
        && let Ok(i) = i64::try_from(d.normalize())
    {
        return s.serialize_i64(i);
    }
    match lenient::exact_f64(*d) {
        Some(f) => s.serialize_f64(f),
        None => Err(serde::ser::Error::custom(format!(
            "{d} cannot be sent exactly as a JSON number"
        ))),
    }
}

fn write_opt_number<S: Serializer>(
    d: &Option<Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => write_number(d, s),
        None => s.serialize_none(),
    }
}

/// Whether a decimal travels exactly as a JSON number.
fn sendable(d: Decimal) -> bool {
    d.fract().is_zero() && i64::try_from(d.normalize()).is_ok() || lenient::exact_f64(d).is_some()
}

/// Parses a decimal from text for [`Price`] and [`Quantity`].
fn parse_amount(what: &str, s: &str) -> Result<Decimal> {
    let t = s.trim();
    // Plain numbers only: no unit, suffix or thousands separator in an order.
    let plain = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    match (plain, lenient::parse_decimal(t)) {
        (true, Some(d)) => Ok(d),
        _ => Err(Error::InvalidArgument(format!("not a {what}: {s:?}"))),
    }
}

/// A finite `f64` as the decimal its shortest text writes.
fn from_float(what: &str, f: f64) -> Result<Decimal> {
    if !f.is_finite() {
        return Err(Error::InvalidArgument(format!(
            "a {what} must be finite, not {f}"
        )));
    }
    lenient::float_decimal(f)
        .ok_or_else(|| Error::InvalidArgument(format!("{what} {f} is out of range")))
}

macro_rules! amount_type {
    ($(#[$meta:meta])* $name:ident, $what:literal, $min:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Decimal);

        impl $name {
            /// The value.
            pub fn new(value: Decimal) -> $name {
                $name(value)
            }

            /// The value as a decimal.
            pub fn get(self) -> Decimal {
                self.0
            }
        }

        impl From<Decimal> for $name {
            fn from(d: Decimal) -> $name {
                $name(d)
            }
        }

        impl From<$name> for Decimal {
            fn from(v: $name) -> Decimal {
                v.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> $name {
                $name(Decimal::from(v))
            }
        }

        impl From<i32> for $name {
            fn from(v: i32) -> $name {
                $name(Decimal::from(v))
            }
        }

        impl From<u32> for $name {
            fn from(v: u32) -> $name {
                $name(Decimal::from(v))
            }
        }

        /// From a float: refused unless finite; the decimal is the float's
        /// shortest text (`0.1` is `0.1`).
        impl TryFrom<f64> for $name {
            type Error = Error;
            fn try_from(f: f64) -> Result<$name> {
                from_float($what, f).map($name)
            }
        }

        /// From plain decimal text (`"189.50"`; no unit or separators).
        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name> {
                parse_amount($what, s).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// A JSON number with the decimal's exact digits.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                write_number(&self.0, s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                lenient::opt_decimal(d)?
                    .map($name)
                    .ok_or_else(|| serde::de::Error::custom(concat!("a ", $what)))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                use schemars::schema::{InstanceType, NumberValidation, SchemaObject};
                let min: Option<f64> = $min;
                SchemaObject {
                    instance_type: Some(InstanceType::Number.into()),
                    number: min.map(|m| {
                        Box::new(NumberValidation {
                            exclusive_minimum: Some(m),
                            ..Default::default()
                        })
                    }),
                    ..Default::default()
                }
                .into()
            }
        }
    };
}

amount_type!(
    /// An order's size in units of the instrument (shares, contracts; a
    /// fraction where IBKR allows fractional orders). Must be positive
    /// to be sent.
    Quantity,
    "quantity",
    Some(0.0)
);

amount_type!(
    /// A price in the instrument's currency: a limit, a stop, a cap. Any
    /// sign (some combinations trade at negative prices).
    Price,
    "price",
    None
);

/// A trailing order's offset from the market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trail {
    /// An amount in the price's currency (`trailingType: "amt"`).
    Amount(Decimal),
    /// A percentage (`trailingType: "%"`; `2.5` is 2.5 %).
    Percent(Decimal),
}

/// A stop-limit's two prices, by name: the stop that triggers it and the
/// limit it then works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StopLimit {
    /// The trigger (`auxPrice`).
    pub stop: Price,
    /// The limit once triggered (`price`).
    pub limit: Price,
}

// --- client order ids -----------------------------------------------------------------

/// A new client order id (`cOID`): `rs-` then the time in milliseconds, a
/// process-wide counter and 32 random bits, in hex (`rs-18d2f3a4b5c-7-9f3a2b4c`).
/// Unique across restarts and across processes started in the same
/// millisecond; IBKR wants a `cOID` unique for 24 hours.
pub fn new_client_order_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("rs-{millis:x}-{n:x}-{:08x}", rand::random::<u32>())
}

// --- the order request -------------------------------------------------------------------

/// An order to place, preview or modify, in IBKR's wire names.
///
/// Build it with a constructor ([`OrderRequest::market`],
/// [`OrderRequest::limit`], ...) and the setters; every constructor gives
/// it a fresh `cOID` ([`new_client_order_id`]). The fields are public to
/// read and adjust; [`OrderRequest::validate`] (run before anything is
/// sent) says whether the result is an order IBKR takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OrderRequest {
    /// The contract id.
    pub conid: Conid,
    /// Buy or sell.
    pub side: Side,
    /// The order type.
    #[serde(rename = "orderType")]
    pub order_type: OrderType,
    /// The size; `None` for a cash-quantity order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// The limit price (LMT, LOC, STOP_LIMIT, TRAILLMT), the stop price
    /// (STP, TRAIL), or a cap (MIDPRICE, REL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// The stop price of a STOP_LIMIT or TRAILLMT order.
    #[serde(rename = "auxPrice", skip_serializing_if = "Option::is_none")]
    pub aux_price: Option<Price>,
    /// Time in force.
    pub tif: TimeInForce,
    /// The account (defaults to the path's account).
    #[serde(rename = "acctId", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<AccountId>,
    /// Your own id for the order (`cOID`), unique for 24 hours. Set by
    /// every constructor; a bracket's children have none (IBKR asks so).
    #[serde(rename = "cOID", skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
    /// The parent's `cOID`, for a bracket's children.
    #[serde(rename = "parentId", skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Whether the order may fill outside regular trading hours.
    #[serde(rename = "outsideRTH", skip_serializing_if = "Option::is_none")]
    pub outside_rth: Option<bool>,
    /// The listing exchange (SMART routing when absent).
    #[serde(rename = "listingExchange", skip_serializing_if = "Option::is_none")]
    pub listing_exchange: Option<String>,
    /// The contract id and security type, `conid:type` (`265598:STK`).
    #[serde(rename = "secType", skip_serializing_if = "Option::is_none")]
    pub sec_type: Option<String>,
    /// The ticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
    /// The trailing offset (TRAIL, TRAILLMT).
    #[serde(
        rename = "trailingAmt",
        skip_serializing_if = "Option::is_none",
        serialize_with = "write_opt_number"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<f64>"))]
    pub trailing_amt: Option<Decimal>,
    /// Whether the offset is an amount or a percentage.
    #[serde(rename = "trailingType", skip_serializing_if = "Option::is_none")]
    pub trailing_type: Option<TrailingType>,
    /// A cash amount to trade instead of a quantity (`cashQty`).
    #[serde(
        rename = "cashQty",
        skip_serializing_if = "Option::is_none",
        serialize_with = "write_opt_number"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<f64>"))]
    pub cash_qty: Option<Decimal>,
    /// Whether all orders of the request form one OCA group (see [`OcaGroup`]).
    #[serde(rename = "isSingleGroup", skip_serializing_if = "Option::is_none")]
    pub is_single_group: Option<bool>,
    /// Whether IBKR's Price Management Algo may adjust the price.
    #[serde(rename = "useAdaptive", skip_serializing_if = "Option::is_none")]
    pub use_adaptive: Option<bool>,
    /// An IB algo's id (see `contracts().algos`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// The algo's parameters.
    #[serde(rename = "strategyParameters", skip_serializing_if = "Option::is_none")]
    pub strategy_parameters: Option<serde_json::Map<String, Value>>,
    /// A free-form order reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

impl OrderRequest {
    /// An order with the given terms, `DAY`, with a fresh `cOID`. Set the
    /// prices the type needs with [`OrderRequest::limit_price`],
    /// [`OrderRequest::stop_price`] and [`OrderRequest::trail`].
    pub fn new(
        conid: impl Into<Conid>,
        side: Side,
        order_type: OrderType,
        quantity: Quantity,
    ) -> Self {
        OrderRequest {
            conid: conid.into(),
            side,
            order_type,
            quantity: Some(quantity),
            price: None,
            aux_price: None,
            tif: TimeInForce::Day,
            account_id: None,
            client_order_id: Some(new_client_order_id()),
            parent_id: None,
            outside_rth: None,
            listing_exchange: None,
            sec_type: None,
            ticker: None,
            trailing_amt: None,
            trailing_type: None,
            cash_qty: None,
            is_single_group: None,
            use_adaptive: None,
            strategy: None,
            strategy_parameters: None,
            referrer: None,
        }
    }

    /// A market order (`MKT`).
    pub fn market(conid: impl Into<Conid>, side: Side, quantity: Quantity) -> Self {
        Self::new(conid, side, OrderType::Market, quantity)
    }

    /// A limit order (`LMT`).
    pub fn limit(conid: impl Into<Conid>, side: Side, quantity: Quantity, limit: Price) -> Self {
        Self::new(conid, side, OrderType::Limit, quantity).limit_price(limit)
    }

    /// A stop order (`STP`): a market order once `stop` trades.
    pub fn stop(conid: impl Into<Conid>, side: Side, quantity: Quantity, stop: Price) -> Self {
        Self::new(conid, side, OrderType::Stop, quantity).stop_price(stop)
    }

    /// A stop-limit order (`STOP_LIMIT`): a limit order once the stop trades.
    pub fn stop_limit(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        prices: StopLimit,
    ) -> Self {
        Self::new(conid, side, OrderType::StopLimit, quantity)
            .limit_price(prices.limit)
            .stop_price(prices.stop)
    }

    /// A trailing stop (`TRAIL`): the stop follows the market by `trail`.
    pub fn trailing_stop(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        trail: Trail,
    ) -> Self {
        Self::new(conid, side, OrderType::TrailingStop, quantity).trail(trail)
    }

    /// A trailing stop-limit (`TRAILLMT`): the stop starts at
    /// `prices.stop` and follows the market by `trail`; once triggered it
    /// works at `prices.limit`.
    pub fn trailing_stop_limit(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        trail: Trail,
        prices: StopLimit,
    ) -> Self {
        Self::new(conid, side, OrderType::TrailingStopLimit, quantity)
            .trail(trail)
            .limit_price(prices.limit)
            .stop_price(prices.stop)
    }

    /// A market-on-close order (`MOC`).
    pub fn market_on_close(conid: impl Into<Conid>, side: Side, quantity: Quantity) -> Self {
        Self::new(conid, side, OrderType::MarketOnClose, quantity)
    }

    /// A limit-on-close order (`LOC`).
    pub fn limit_on_close(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        limit: Price,
    ) -> Self {
        Self::new(conid, side, OrderType::LimitOnClose, quantity).limit_price(limit)
    }

    /// A midprice order (`MIDPRICE`), with an optional price cap.
    pub fn midprice(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        cap: Option<Price>,
    ) -> Self {
        let mut o = Self::new(conid, side, OrderType::Midprice, quantity);
        o.price = cap;
        o
    }

    /// A relative order (`REL`), with an optional price cap, where IBKR
    /// offers it for the contract.
    pub fn relative(
        conid: impl Into<Conid>,
        side: Side,
        quantity: Quantity,
        cap: Option<Price>,
    ) -> Self {
        let mut o = Self::new(conid, side, OrderType::Relative, quantity);
        o.price = cap;
        o
    }

    /// Sets the limit price (`price`; for STP and TRAIL use
    /// [`OrderRequest::stop_price`]).
    pub fn limit_price(mut self, limit: Price) -> Self {
        self.price = Some(limit);
        self
    }

    /// Sets the stop price: `price` for STP and TRAIL, `auxPrice` for
    /// STOP_LIMIT and TRAILLMT (where `price` is the limit).
    pub fn stop_price(mut self, stop: Price) -> Self {
        match self.order_type {
            OrderType::StopLimit | OrderType::TrailingStopLimit => self.aux_price = Some(stop),
            _ => self.price = Some(stop),
        }
        self
    }

    /// Sets the trailing offset (`trailingAmt`, `trailingType`).
    pub fn trail(mut self, trail: Trail) -> Self {
        let (amount, kind) = match trail {
            Trail::Amount(a) => (a, TrailingType::Amount),
            Trail::Percent(p) => (p, TrailingType::Percent),
        };
        self.trailing_amt = Some(amount);
        self.trailing_type = Some(kind);
        self
    }

    /// Trades a cash amount instead of a quantity (`cashQty`; the quantity
    /// is dropped, as IBKR asks).
    pub fn cash_quantity(mut self, amount: Decimal) -> Self {
        self.cash_qty = Some(amount);
        self.quantity = None;
        self
    }

    /// Sets the time in force.
    pub fn tif(mut self, tif: TimeInForce) -> Self {
        self.tif = tif;
        self
    }

    /// Replaces the generated `cOID` with your own (unique for 24 hours).
    pub fn client_order_id(mut self, id: impl Into<String>) -> Self {
        self.client_order_id = Some(id.into());
        self
    }

    /// Allows filling outside regular trading hours.
    pub fn outside_rth(mut self, outside: bool) -> Self {
        self.outside_rth = Some(outside);
        self
    }

    /// Sets the account (`acctId`).
    pub fn account(mut self, account: impl Into<AccountId>) -> Self {
        self.account_id = Some(account.into());
        self
    }

    /// Routes to this exchange instead of SMART (`listingExchange`).
    pub fn listing_exchange(mut self, exchange: impl Into<String>) -> Self {
        self.listing_exchange = Some(exchange.into());
        self
    }

    /// Runs the order through an IB algo with these parameters.
    pub fn algo(
        mut self,
        strategy: impl Into<String>,
        parameters: serde_json::Map<String, Value>,
    ) -> Self {
        self.strategy = Some(strategy.into());
        self.strategy_parameters = Some(parameters);
        self
    }

    /// Lets IBKR's Price Management Algo adjust the price (`useAdaptive`).
    pub fn adaptive(mut self, adaptive: bool) -> Self {
        self.use_adaptive = Some(adaptive);
        self
    }

    /// The limit (or entry) price a bracket compares its children with:
    /// the limit of LMT, LOC and STOP_LIMIT, the stop of STP.
    fn entry_price(&self) -> Option<Decimal> {
        match self.order_type {
            OrderType::Limit | OrderType::LimitOnClose | OrderType::StopLimit | OrderType::Stop => {
                self.price.map(Price::get)
            }
            _ => None,
        }
    }

    /// The price that triggers a stop: `auxPrice` of STOP_LIMIT and
    /// TRAILLMT, `price` otherwise.
    fn stop_trigger(&self) -> Option<Decimal> {
        match self.order_type {
            OrderType::StopLimit | OrderType::TrailingStopLimit => self.aux_price.map(Price::get),
            _ => self.price.map(Price::get),
        }
    }

    /// Whether IBKR would take this order as it is: refuses (with
    /// [`Error::InvalidArgument`]) a missing or non-positive quantity, a
    /// quantity beside a cash quantity, a missing price the order type
    /// needs (a limit without a price, a stop without a stop, a stop-limit
    /// without both), a price the type does not take, trailing terms on an
    /// order that does not trail (or missing on one that does), a
    /// non-positive trailing offset or one over 100 %, a side other than
    /// BUY or SELL, an empty `cOID`, and a value a JSON number cannot carry
    /// exactly (more than 15 significant digits).
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| {
            Err(Error::InvalidArgument(format!(
                "order for conid {}: {why}",
                self.conid
            )))
        };
        if !matches!(self.side, Side::Buy | Side::Sell) {
            return bad(format!(
                "side must be BUY or SELL, not {:?}",
                self.side.as_str()
            ));
        }
        match (self.quantity, self.cash_qty) {
            (Some(_), Some(_)) => return bad("a quantity and a cash quantity are exclusive".into()),
            (None, None) => return bad("no quantity".into()),
            (Some(q), None) if q.get() <= Decimal::ZERO => {
                return bad(format!("the quantity must be positive, not {q}"));
            }
            (None, Some(c)) if c <= Decimal::ZERO => {
                return bad(format!("the cash quantity must be positive, not {c}"));
            }
            _ => {}
        }
        let (price, aux) = (self.price.is_some(), self.aux_price.is_some());
        let trails = matches!(
            self.order_type,
            OrderType::TrailingStop | OrderType::TrailingStopLimit
        );
        let needs = |what: &str| bad(format!("a {} order needs {what}", self.order_type));
        match self.order_type {
            OrderType::Market | OrderType::MarketOnClose if price || aux => {
                return bad(format!("a {} order takes no price", self.order_type));
            }
            OrderType::Limit | OrderType::LimitOnClose if !price => return needs("a limit price"),
            OrderType::Stop if !price => return needs("a stop price"),
            OrderType::StopLimit | OrderType::TrailingStopLimit if !price || !aux => {
                return needs("a stop price and a limit price");
            }
            OrderType::Limit
            | OrderType::LimitOnClose
            | OrderType::Stop
            | OrderType::TrailingStop
            | OrderType::Midprice
            | OrderType::Relative
                if aux =>
            {
                return bad(format!("a {} order takes no auxPrice", self.order_type));
            }
            _ => {}
        }
        match (trails, self.trailing_amt, &self.trailing_type) {
            (true, Some(amount), Some(kind)) => {
                if amount <= Decimal::ZERO {
                    return bad(format!(
                        "the trailing offset must be positive, not {amount}"
                    ));
                }
                if *kind == TrailingType::Percent && amount > Decimal::ONE_HUNDRED {
                    return bad(format!("a trailing percentage over 100: {amount}"));
                }
                if let TrailingType::Other(k) = kind {
                    return bad(format!("trailingType must be amt or %, not {k:?}"));
                }
            }
            (true, _, _) => return needs("a trailing amount and type"),
            (false, None, None) => {}
            (false, _, _) => {
                return bad(format!(
                    "a {} order takes no trailing terms",
                    self.order_type
                ));
            }
        }
        let numbers = [
            ("quantity", self.quantity.map(Quantity::get)),
            ("price", self.price.map(Price::get)),
            ("auxPrice", self.aux_price.map(Price::get)),
            ("trailingAmt", self.trailing_amt),
            ("cashQty", self.cash_qty),
        ];
        for (name, value) in numbers {
            if let Some(v) = value
                && !sendable(v)
            {
                return bad(format!(
                    "{name} {v} has more digits than a JSON number carries exactly"
                ));
            }
        }
        for (name, id) in [
            ("cOID", &self.client_order_id),
            ("parentId", &self.parent_id),
        ] {
            if let Some(id) = id
                && (id.trim().is_empty() || id.chars().any(char::is_control))
            {
                return bad(format!("invalid {name} {id:?}"));
            }
        }
        if self.parent_id.is_some() && self.parent_id == self.client_order_id {
            return bad("an order cannot be its own parent".into());
        }
        Ok(())
    }
}

/// A bracket: an entry order (the parent) with a take-profit and/or a
/// stop-loss that IBKR activates when it fills. The children trade the
/// parent's size on the other side, with its time in force, account and
/// routing, and carry `parentId` = the parent's `cOID` (and no `cOID` of
/// their own, as IBKR asks).
#[derive(Debug, Clone, PartialEq)]
pub struct Bracket {
    parent: OrderRequest,
    take_profit: Option<OrderRequest>,
    stop_loss: Option<OrderRequest>,
}

impl Bracket {
    /// A bracket around `parent` (it keeps its `cOID`, or gets one).
    pub fn new(parent: OrderRequest) -> Bracket {
        Bracket {
            parent,
            take_profit: None,
            stop_loss: None,
        }
    }

    /// A child of the parent's size on the other side, of `order_type`.
    fn child(&self, order_type: OrderType) -> OrderRequest {
        let p = &self.parent;
        let mut c = OrderRequest::new(
            p.conid,
            p.side.opposite().unwrap_or_else(|| p.side.clone()),
            order_type,
            p.quantity.unwrap_or(Quantity(Decimal::ZERO)),
        );
        c.quantity = p.quantity;
        c.cash_qty = p.cash_qty;
        c.tif = p.tif.clone();
        c.account_id = p.account_id.clone();
        c.outside_rth = p.outside_rth;
        c.listing_exchange = p.listing_exchange.clone();
        c.sec_type = p.sec_type.clone();
        c.ticker = p.ticker.clone();
        c
    }

    /// Takes profit with a limit order at `limit`.
    pub fn take_profit(mut self, limit: Price) -> Bracket {
        self.take_profit = Some(self.child(OrderType::Limit).limit_price(limit));
        self
    }

    /// Cuts the loss with a stop order at `stop`.
    pub fn stop_loss(mut self, stop: Price) -> Bracket {
        self.stop_loss = Some(self.child(OrderType::Stop).stop_price(stop));
        self
    }

    /// Uses `order` as the take-profit (its side, size and link are set
    /// by [`Bracket::orders`]).
    pub fn take_profit_order(mut self, order: OrderRequest) -> Bracket {
        self.take_profit = Some(order);
        self
    }

    /// Uses `order` as the stop-loss (a stop-limit, a trailing stop...).
    pub fn stop_loss_order(mut self, order: OrderRequest) -> Bracket {
        self.stop_loss = Some(order);
        self
    }

    /// The orders to place, parent first, linked and validated. Refuses
    /// (with [`Error::InvalidArgument`]) a bracket without children, a child
    /// on the parent's side, and prices on the wrong side: for a buy, the
    /// take-profit above the entry and the stop-loss below it (and below
    /// the take-profit); for a sell, the other way round.
    pub fn orders(&self) -> Result<Vec<OrderRequest>> {
        let bad = |why: &str| Err(Error::InvalidArgument(format!("bracket: {why}")));
        if self.take_profit.is_none() && self.stop_loss.is_none() {
            return bad("no take-profit and no stop-loss: an empty bracket");
        }
        let mut parent = self.parent.clone();
        parent.parent_id = None;
        let coid = parent
            .client_order_id
            .get_or_insert_with(new_client_order_id)
            .clone();
        parent.validate()?;
        let Some(exit_side) = parent.side.opposite() else {
            return bad("the parent's side must be BUY or SELL");
        };
        let buy = parent.side == Side::Buy;
        // Whether price `a` is better than `b` for the parent's position.
        let profitable = |a: Decimal, b: Decimal| if buy { a > b } else { a < b };
        let entry = parent.entry_price();
        let tp = self
            .take_profit
            .as_ref()
            .and_then(OrderRequest::entry_price);
        let sl = self.stop_loss.as_ref().and_then(OrderRequest::stop_trigger);
        if let (Some(entry), Some(tp)) = (entry, tp)
            && !profitable(tp, entry)
        {
            return bad(&format!(
                "the take-profit {tp} is not on the profitable side of the entry {entry}"
            ));
        }
        if let (Some(entry), Some(sl)) = (entry, sl)
            && !profitable(entry, sl)
        {
            return bad(&format!(
                "the stop-loss {sl} is on the wrong side of the entry {entry}"
            ));
        }
        if let (Some(tp), Some(sl)) = (tp, sl)
            && !profitable(tp, sl)
        {
            return bad(&format!(
                "the stop-loss {sl} is on the wrong side of the take-profit {tp}"
            ));
        }
        let mut out = vec![parent];
        for child in [&self.take_profit, &self.stop_loss].into_iter().flatten() {
            let mut child = child.clone();
            if child.side != exit_side {
                return bad("a take-profit or stop-loss must trade against the parent");
            }
            child.parent_id = Some(coid.clone());
            child.client_order_id = None;
            child.validate()?;
            out.push(child);
        }
        Ok(out)
    }
}

/// A one-cancels-all group: when one order fills, IBKR cancels the others.
/// Placed together in one request with `isSingleGroup: true`.
#[derive(Debug, Clone, PartialEq)]
pub struct OcaGroup {
    orders: Vec<OrderRequest>,
}

impl OcaGroup {
    /// A group of these orders.
    pub fn new(orders: impl IntoIterator<Item = OrderRequest>) -> OcaGroup {
        OcaGroup {
            orders: orders.into_iter().collect(),
        }
    }

    /// Adds an order.
    pub fn with(mut self, order: OrderRequest) -> OcaGroup {
        self.orders.push(order);
        self
    }

    /// The orders to place, marked as one group and validated; refuses a
    /// group of fewer than two orders and bracket children in a group.
    pub fn orders(&self) -> Result<Vec<OrderRequest>> {
        if self.orders.len() < 2 {
            return Err(Error::InvalidArgument(format!(
                "an OCA group needs at least two orders, not {}",
                self.orders.len()
            )));
        }
        let mut out = self.orders.clone();
        for o in &mut out {
            if o.parent_id.is_some() {
                return Err(Error::InvalidArgument(
                    "a bracket's child cannot join an OCA group".into(),
                ));
            }
            o.is_single_group = Some(true);
            o.client_order_id.get_or_insert_with(new_client_order_id);
            o.validate()?;
        }
        Ok(out)
    }
}

/// Checks the orders of one request together: each valid, `cOID`s unique,
/// every `parentId` naming an earlier order's `cOID`, `isSingleGroup` on
/// all or none.
fn validate_request(operation: &str, orders: &[OrderRequest]) -> Result<()> {
    let bad = |why: String| Err(Error::InvalidArgument(format!("{operation}: {why}")));
    if orders.is_empty() {
        return bad("no orders".into());
    }
    let mut seen: Vec<&str> = Vec::with_capacity(orders.len());
    for o in orders {
        o.validate()?;
        if let Some(parent) = &o.parent_id
            && !seen.contains(&parent.as_str())
        {
            return bad(format!(
                "parentId {parent:?} names no earlier order of the request"
            ));
        }
        if let Some(coid) = &o.client_order_id {
            if seen.contains(&coid.as_str()) {
                return bad(format!("cOID {coid:?} appears twice"));
            }
            seen.push(coid);
        }
    }
    let grouped = orders
        .iter()
        .filter(|o| o.is_single_group == Some(true))
        .count();
    if grouped != 0 && grouped != orders.len() {
        return bad("isSingleGroup must be on every order of the request or on none".into());
    }
    Ok(())
}

// --- answers -------------------------------------------------------------------------------

/// IBKR's acknowledgement of a placed or modified order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderAck {
    /// IBKR's order id (`order_id`, or `orderId`).
    pub order_id: Option<OrderId>,
    /// The order's status (`PreSubmitted`, `Submitted`, ...).
    pub order_status: Option<OrderState>,
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
        /// The `cOID`s of the orders the question is about (those of the
        /// request that asked it; empty after a bare [`Orders::reply`]).
        client_order_ids: Vec<String>,
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
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LiveOrder {
    /// The account (`acct`).
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub acct: Option<AccountId>,
    /// The account as IBKR also writes it (`account`; the same account
    /// but for an FA's allocation, where it names the allocation).
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// IBKR's order id.
    #[serde(default, rename = "orderId", deserialize_with = "ids::opt_order_id")]
    pub order_id: Option<OrderId>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The contract id with exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub conidex: Option<String>,
    /// The ticker.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ticker: Option<String>,
    /// The company or contract name.
    #[serde(
        default,
        rename = "companyName",
        deserialize_with = "lenient::opt_string"
    )]
    pub company_name: Option<String>,
    /// The security type.
    #[serde(default, rename = "secType", deserialize_with = "opt_code")]
    pub sec_type: Option<SecurityType>,
    /// The listing exchange.
    #[serde(
        default,
        rename = "listingExchange",
        deserialize_with = "lenient::opt_string"
    )]
    pub listing_exchange: Option<String>,
    /// Buy or sell.
    #[serde(default, deserialize_with = "opt_code")]
    pub side: Option<Side>,
    /// The order type as IBKR displays it (`orderType`: `Limit`).
    #[serde(default, rename = "orderType", deserialize_with = "opt_code")]
    pub order_type: Option<OrderType>,
    /// The order type as it was submitted (`origOrderType`: `LIMIT`). IBKR
    /// sends it beside `orderType`.
    #[serde(default, rename = "origOrderType", deserialize_with = "opt_code")]
    pub orig_order_type: Option<OrderType>,
    /// The status.
    #[serde(default, deserialize_with = "opt_code")]
    pub status: Option<OrderState>,
    /// The limit (or stop) price.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub price: Option<Decimal>,
    /// The stop price of a stop-limit, when reported.
    #[serde(
        default,
        rename = "auxPrice",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub aux_price: Option<Decimal>,
    /// Total quantity.
    #[serde(
        default,
        rename = "totalSize",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub total_size: Option<Decimal>,
    /// Total cash quantity, for a cash-quantity order.
    #[serde(
        default,
        rename = "totalCashSize",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub total_cash_size: Option<Decimal>,
    /// Filled quantity.
    #[serde(
        default,
        rename = "filledQuantity",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub filled_quantity: Option<Decimal>,
    /// Remaining quantity.
    #[serde(
        default,
        rename = "remainingQuantity",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub remaining_quantity: Option<Decimal>,
    /// Average fill price.
    #[serde(
        default,
        rename = "avgPrice",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub avg_price: Option<Decimal>,
    /// The currency of the order's amounts.
    #[serde(default, rename = "cashCcy", deserialize_with = "lenient::opt_string")]
    pub cash_ccy: Option<String>,
    /// Time in force.
    #[serde(default, rename = "timeInForce", deserialize_with = "opt_code")]
    pub time_in_force: Option<TimeInForce>,
    /// Your `cOID`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_ref: Option<String>,
    /// The parent's order id, for a bracket's child, when reported.
    #[serde(default, rename = "parentId", deserialize_with = "lenient::opt_string")]
    pub parent_id: Option<String>,
    /// IBKR's description of the order.
    #[serde(
        default,
        rename = "orderDesc",
        deserialize_with = "lenient::opt_string"
    )]
    pub order_desc: Option<String>,
    /// The last execution, in ms since the epoch.
    #[serde(
        default,
        rename = "lastExecutionTime_r",
        deserialize_with = "lenient::opt_i64"
    )]
    pub last_execution_time_r: Option<i64>,
}

/// The live orders list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderStatus {
    /// IBKR's order id.
    #[serde(default, deserialize_with = "ids::opt_order_id")]
    pub order_id: Option<OrderId>,
    /// The status.
    #[serde(default, deserialize_with = "opt_code")]
    pub order_status: Option<OrderState>,
    /// IBKR's words for the status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_status_description: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The security type.
    #[serde(default, deserialize_with = "opt_code")]
    pub sec_type: Option<SecurityType>,
    /// Buy or sell (IBKR writes `B` or `S`).
    #[serde(default, deserialize_with = "opt_code")]
    pub side: Option<Side>,
    /// The order type.
    #[serde(default, deserialize_with = "opt_code")]
    pub order_type: Option<OrderType>,
    /// Total size.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub size: Option<Decimal>,
    /// Filled quantity.
    #[serde(
        default,
        rename = "cum_fill",
        alias = "filled_quantity",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub filled_quantity: Option<Decimal>,
    /// Total quantity.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub total_size: Option<Decimal>,
    /// Average fill price.
    #[serde(
        default,
        rename = "average_price",
        alias = "avg_fill_price",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub average_price: Option<Decimal>,
    /// Limit price, when reported.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub limit_price: Option<Decimal>,
    /// Stop price, when reported.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub stop_price: Option<Decimal>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Time in force.
    #[serde(default, deserialize_with = "opt_code")]
    pub tif: Option<TimeInForce>,
    /// Whether the order may fill outside regular trading hours.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub outside_rth: Option<bool>,
    /// The OCA group, when the order is in one.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub oca_group_id: Option<String>,
    /// When the order was placed, as IBKR writes it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_time: Option<String>,
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
    /// The listing exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub listing_exchange: Option<String>,
    /// The account.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
}

/// An execution (`/iserver/account/trades`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Trade {
    /// The execution id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub execution_id: Option<String>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// Buy or sell (IBKR writes `B` or `S`).
    #[serde(default, deserialize_with = "opt_code")]
    pub side: Option<Side>,
    /// Size.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub size: Option<Decimal>,
    /// Price.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub price: Option<Decimal>,
    /// Commission.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub commission: Option<Decimal>,
    /// Net amount.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub net_amount: Option<Decimal>,
    /// Execution time (`YYYYMMDD-hh:mm:ss`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub trade_time: Option<String>,
    /// Execution time in ms since the epoch.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub trade_time_r: Option<i64>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The security type.
    #[serde(default, deserialize_with = "opt_code")]
    pub sec_type: Option<SecurityType>,
    /// The account.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
    /// Your `cOID`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_ref: Option<String>,
    /// IBKR's description of the order.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub order_description: Option<String>,
    /// The exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub exchange: Option<String>,
    /// The listing exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub listing_exchange: Option<String>,
    /// The company or contract name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub company_name: Option<String>,
}

/// The result of a what-if preview.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
    /// The position before, change and after.
    #[serde(default)]
    pub position: Option<WhatIfValues>,
    /// A warning, if any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub warn: Option<String>,
    /// An error, if any (the order would be rejected).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
}

/// Values of a [`WhatIf`] section, read from IBKR's text (`"1,234.56 USD"`
/// is `1234.56` in `USD`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WhatIfValues {
    /// Amount.
    pub amount: Option<Decimal>,
    /// Commission.
    pub commission: Option<Decimal>,
    /// Total.
    pub total: Option<Decimal>,
    /// Current value.
    pub current: Option<Decimal>,
    /// Change.
    pub change: Option<Decimal>,
    /// Value after the order.
    pub after: Option<Decimal>,
    /// The currency written after the values, when IBKR writes one.
    pub currency: Option<String>,
}

/// IBKR's text of a [`WhatIfValues`].
#[derive(Deserialize)]
struct WhatIfText {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    amount: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    commission: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    total: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    current: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    change: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    after: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    currency: Option<String>,
}

impl<'de> Deserialize<'de> for WhatIfValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let t = WhatIfText::deserialize(d)?;
        let texts = [
            &t.amount,
            &t.commission,
            &t.total,
            &t.current,
            &t.change,
            &t.after,
        ];
        // The unit after a number: `1,500.00 USD`.
        let unit = texts.iter().find_map(|s| {
            let (_, unit) = s.as_deref()?.trim().rsplit_once(' ')?;
            (unit.len() >= 2 && unit.bytes().all(|b| b.is_ascii_alphabetic()))
                .then(|| unit.to_string())
        });
        let read = |s: &Option<String>| s.as_deref().and_then(lenient::parse_decimal);
        Ok(WhatIfValues {
            amount: read(&t.amount),
            commission: read(&t.commission),
            total: read(&t.total),
            current: read(&t.current),
            change: read(&t.change),
            after: read(&t.after),
            currency: t.currency.or(unit),
        })
    }
}

/// IBKR's acknowledgement of a cancel request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CancelAck {
    /// The order id.
    #[serde(default, deserialize_with = "ids::opt_order_id")]
    pub order_id: Option<OrderId>,
    /// IBKR's message (`"Request was submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub msg: Option<String>,
    /// The order's status after the request, when IBKR says.
    #[serde(default, deserialize_with = "opt_code")]
    pub order_status: Option<OrderState>,
    /// IBKR's `encrypt_message` flag, when sent.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub encrypt_message: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The account.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub account: Option<AccountId>,
}

/// The answer to [`Orders::suppress_questions`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Suppressed {
    /// IBKR's status (`"submitted"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
}

/// What [`Orders::reconcile`] found for a `cOID`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reconciliation {
    /// IBKR has the order: it is in the live orders, or it has executions.
    Placed(Box<PlacedOrder>),
    /// Neither the (complete) live orders list nor the trades of the last
    /// days know the `cOID`: IBKR did not take the order. Sending it again
    /// with the same `cOID` is safe (IBKR refuses a `cOID` it has seen).
    NotPlaced,
    /// No conclusion yet (IBKR's live orders list stayed incomplete); why.
    Unknown(String),
}

/// An order [`Orders::reconcile`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlacedOrder {
    /// The `cOID` looked up.
    pub client_order_id: String,
    /// IBKR's order id, when the live orders list had it.
    pub order_id: Option<OrderId>,
    /// The order as the live orders list shows it.
    pub live: Option<LiveOrder>,
    /// Its executions, when it was found among the trades.
    pub trades: Vec<Trade>,
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
            order_id: self.order_id.or(self.order_id_camel).map(OrderId::from),
            order_status: self
                .order_status
                .or(self.order_status_camel)
                .map(|s| OrderState::from(s.as_str())),
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
                client_order_ids: Vec::new(),
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

/// Names the orders an unknown outcome concerns: fills
/// [`Error::Ambiguous`]'s `cOID`s (other errors pass as they are).
fn concerning(error: Error, coids: &[String]) -> Error {
    match error {
        Error::Ambiguous {
            operation,
            reason,
            client_order_ids,
        } if client_order_ids.is_empty() => Error::Ambiguous {
            operation,
            reason,
            client_order_ids: coids.to_vec(),
        },
        other => other,
    }
}

/// Tags a question with the `cOID`s of the orders it is about.
fn about(outcome: PlaceOutcome, coids: &[String]) -> PlaceOutcome {
    match outcome {
        PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids,
        } if client_order_ids.is_empty() => PlaceOutcome::NeedsConfirmation {
            reply_id,
            messages,
            message_ids,
            client_order_ids: coids.to_vec(),
        },
        other => other,
    }
}

/// How often [`Orders::wait_for_terminal`] asks for the status.
pub const STATUS_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How many times [`Orders::reconcile`] reads the live orders while IBKR
/// reports the list incomplete (`snapshot: false`); the reads are 5 s
/// apart (IBKR's limit).
pub const RECONCILE_LIVE_ATTEMPTS: usize = 3;

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

    /// Places one order, or several forming a bracket ([`Bracket::orders`])
    /// or an OCA group ([`OcaGroup::orders`])
    /// (`POST /iserver/account/{accountId}/orders`). Sent exactly once,
    /// after [`OrderRequest::validate`] and the checks of the request as a
    /// whole (unique `cOID`s, each `parentId` naming an earlier order);
    /// an order without a `cOID` (and without a parent) is given one. An
    /// unknown outcome is [`Error::Ambiguous`] with the request's `cOID`s;
    /// a question carries them too.
    pub async fn place(&self, account_id: &str, orders: &[OrderRequest]) -> Result<PlaceOutcome> {
        let orders: Vec<OrderRequest> = orders
            .iter()
            .cloned()
            .map(|mut o| {
                if o.parent_id.is_none() {
                    o.client_order_id.get_or_insert_with(new_client_order_id);
                }
                o
            })
            .collect();
        validate_request(ops::PLACE.name, &orders)?;
        let coids: Vec<String> = orders
            .iter()
            .filter_map(|o| o.client_order_id.clone())
            .collect();
        let call = self
            .call(&ops::PLACE, &[("account id", account_id)])?
            .json(&OrdersBody { orders: &orders })?;
        let outcome = order_write(ops::PLACE.name, call)
            .await
            .map_err(|e| concerning(e, &coids))?;
        Ok(about(outcome, &coids))
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
    /// [`MAX_CONFIRMATIONS`]; returns the first one it may not confirm. An
    /// unknown outcome of an answer is [`Error::Ambiguous`] with the
    /// question's `cOID`s.
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
                    client_order_ids,
                    ..
                } if policy.allows(message_ids) => {
                    let coids = client_order_ids.clone();
                    let next = self
                        .reply(reply_id, true)
                        .await
                        .map_err(|e| concerning(e, &coids))?;
                    outcome = about(next, &coids);
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
    /// (`POST /iserver/account/{accountId}/orders/whatif`). Validated like
    /// [`Orders::place`]; the `cOID`s are left out of the preview (so that
    /// IBKR cannot count them as used), except a bracket parent's, which
    /// links its children.
    pub async fn what_if(&self, account_id: &str, orders: &[OrderRequest]) -> Result<WhatIf> {
        validate_request(ops::WHAT_IF.name, orders)?;
        let preview: Vec<OrderRequest> = orders
            .iter()
            .map(|o| {
                let mut o = o.clone();
                let parent_of_another = o
                    .client_order_id
                    .as_ref()
                    .is_some_and(|coid| orders.iter().any(|c| c.parent_id.as_ref() == Some(coid)));
                if !parent_of_another {
                    o.client_order_id = None;
                }
                o
            })
            .collect();
        self.call(&ops::WHAT_IF, &[("account id", account_id)])?
            .json(&OrdersBody { orders: &preview })?
            .fetch_or_default()
            .await
    }

    /// Modifies an open order with new terms
    /// (`POST /iserver/account/{accountId}/order/{orderId}`). Validated
    /// first; the body leaves out `cOID`, `parentId` and `isSingleGroup`
    /// (an order keeps its own). May return questions like
    /// [`Orders::place`]. Sent exactly once.
    pub async fn modify(
        &self,
        account_id: &str,
        order_id: &str,
        order: &OrderRequest,
    ) -> Result<PlaceOutcome> {
        order.validate()?;
        let mut terms = order.clone();
        terms.client_order_id = None;
        terms.parent_id = None;
        terms.is_single_group = None;
        let ids = [("account id", account_id), ("order id", order_id)];
        let call = self.call(&ops::MODIFY, &ids)?.json(&terms)?;
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

    /// Finds out whether IBKR has the order with this `cOID` (after an
    /// [`Error::Ambiguous`]): looks in the live orders (`order_ref`), read
    /// again while IBKR reports the list incomplete (up to
    /// [`RECONCILE_LIVE_ATTEMPTS`] reads), then in the trades of the last
    /// days. Both lists are paced at one call every 5 s: a second
    /// reconciliation within 5 s waits for its slot (within
    /// [`Config::max_pacing_wait`](crate::Config::max_pacing_wait)). Errors
    /// of the lookups are returned as they are; nothing is placed or
    /// cancelled.
    pub async fn reconcile(&self, client_order_id: &str) -> Result<Reconciliation> {
        let coid = client_order_id.trim();
        if coid.is_empty() {
            return Err(Error::InvalidArgument(
                "Orders::reconcile: an empty cOID".into(),
            ));
        }
        let mut complete = false;
        for _ in 0..RECONCILE_LIVE_ATTEMPTS {
            let live = self.live_orders(&[]).await?;
            let found = live
                .orders
                .into_iter()
                .find(|o| o.order_ref.as_deref() == Some(coid));
            if let Some(order) = found {
                return Ok(Reconciliation::Placed(Box::new(PlacedOrder {
                    client_order_id: coid.to_string(),
                    order_id: order.order_id.clone(),
                    live: Some(order),
                    trades: Vec::new(),
                })));
            }
            if live.snapshot != Some(false) {
                complete = true;
                break;
            }
        }
        let trades: Vec<Trade> = self
            .trades()
            .await?
            .into_iter()
            .filter(|t| t.order_ref.as_deref() == Some(coid))
            .collect();
        if !trades.is_empty() {
            return Ok(Reconciliation::Placed(Box::new(PlacedOrder {
                client_order_id: coid.to_string(),
                order_id: None,
                live: None,
                trades,
            })));
        }
        Ok(if complete {
            Reconciliation::NotPlaced
        } else {
            Reconciliation::Unknown(format!(
                "the live orders list stayed incomplete (snapshot: false) after {RECONCILE_LIVE_ATTEMPTS} reads and no trade has cOID {coid:?}"
            ))
        })
    }

    /// Waits until the order is filled, cancelled or rejected
    /// ([`OrderState::is_terminal`]) and returns its last status; polls
    /// [`Orders::order_status`] every [`STATUS_POLL_INTERVAL`] (each poll
    /// also waits for its pacing slot). Fails with [`Error::Timeout`]
    /// (operation `Orders::wait_for_terminal`) when `timeout` passes first,
    /// and with the error of a poll that fails.
    // The order stream (`sor` of `Client::stream`) plugs in here once it
    // can be shared: wait for the order's terminal update there and keep
    // polling only as the fallback.
    pub async fn wait_for_terminal(
        &self,
        order_id: &str,
        timeout: Duration,
    ) -> Result<OrderStatus> {
        let deadline = tokio::time::Instant::now() + timeout;
        let timed_out = || Error::Timeout {
            operation: "Orders::wait_for_terminal",
            after: timeout,
        };
        loop {
            let status = tokio::time::timeout_at(deadline, self.order_status(order_id))
                .await
                .map_err(|_| timed_out())??;
            if status
                .order_status
                .as_ref()
                .is_some_and(OrderState::is_terminal)
            {
                return Ok(status);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(timed_out());
            }
            tokio::time::sleep_until((now + STATUS_POLL_INTERVAL).min(deadline)).await;
        }
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
        assert_eq!(acks[0].order_status, Some(OrderState::PreSubmitted));
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
        assert_eq!(ack.order_status, Some(OrderState::Submitted));
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
                client_order_ids: vec![],
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
        assert_eq!(orders.orders[0].order_type, Some(OrderType::Limit));
        assert_eq!(orders.orders[0].orig_order_type, Some(OrderType::Limit));
    }

    fn q(n: i64) -> Quantity {
        Quantity::from(n)
    }

    fn p(s: &str) -> Price {
        s.parse().unwrap()
    }

    fn invalid(o: &OrderRequest) -> String {
        match o.validate() {
            Err(Error::InvalidArgument(m)) => m,
            other => panic!("{o:?}: expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn builders_write_ibkr_fields() {
        let o = OrderRequest::limit(265598, Side::Buy, q(10), p("189.49")).client_order_id("c1");
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            serde_json::json!({"conid": 265598, "side": "BUY", "orderType": "LMT", "quantity": 10,
                "price": 189.49, "tif": "DAY", "cOID": "c1"})
        );
        let sl = OrderRequest::stop_limit(
            1,
            Side::Sell,
            q(1),
            StopLimit {
                stop: p("99.5"),
                limit: p("99"),
            },
        );
        assert_eq!(sl.aux_price, Some(p("99.5")));
        assert_eq!(sl.price, Some(p("99")));
        let stp = OrderRequest::stop(1, Side::Sell, q(1), p("98"));
        assert_eq!((stp.price, stp.aux_price), (Some(p("98")), None));
        let t =
            OrderRequest::trailing_stop(1, Side::Sell, q(1), Trail::Percent(Decimal::new(25, 1)));
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["trailingAmt"], serde_json::json!(2.5));
        assert_eq!(v["trailingType"], "%");
        let cash = OrderRequest::market(1, Side::Buy, q(1)).cash_quantity(Decimal::new(50000, 2));
        let v = serde_json::to_value(&cash).unwrap();
        assert_eq!(v["cashQty"], serde_json::json!(500));
        assert!(v.get("quantity").is_none());
        for o in [&o, &sl, &stp, &t, &cash] {
            o.validate().unwrap();
        }
        // A fresh cOID for every order.
        let a = OrderRequest::market(1, Side::Buy, q(1));
        let b = OrderRequest::market(1, Side::Buy, q(1));
        assert_ne!(a.client_order_id, b.client_order_id);
        assert!(a.client_order_id.unwrap().starts_with("rs-"));
    }

    #[test]
    fn invalid_orders_are_refused() {
        let mut no_price = OrderRequest::limit(1, Side::Buy, q(1), p("1"));
        no_price.price = None;
        assert!(invalid(&no_price).contains("limit price"));
        assert!(invalid(&OrderRequest::market(1, Side::Buy, q(0))).contains("positive"));
        assert!(invalid(&OrderRequest::market(1, Side::Buy, q(-5))).contains("positive"));
        assert!(
            invalid(&OrderRequest::market(1, Side::Buy, q(1)).limit_price(p("1")))
                .contains("no price")
        );
        assert!(
            invalid(
                &OrderRequest::new(1, Side::Buy, OrderType::StopLimit, q(1)).limit_price(p("1"))
            )
            .contains("stop")
        );
        assert!(
            invalid(&OrderRequest::new(
                1,
                Side::Buy,
                OrderType::TrailingStop,
                q(1)
            ))
            .contains("trailing")
        );
        assert!(
            invalid(
                &OrderRequest::limit(1, Side::Buy, q(1), p("1")).trail(Trail::Amount(Decimal::ONE))
            )
            .contains("trailing")
        );
        assert!(
            invalid(&OrderRequest::trailing_stop(
                1,
                Side::Buy,
                q(1),
                Trail::Percent(Decimal::from(101))
            ))
            .contains("100")
        );
        assert!(
            invalid(&OrderRequest::trailing_stop(
                1,
                Side::Buy,
                q(1),
                Trail::Amount(Decimal::ZERO)
            ))
            .contains("positive")
        );
        assert!(
            invalid(&OrderRequest::market(1, Side::Other("HOLD".into()), q(1)))
                .contains("BUY or SELL")
        );
        assert!(
            invalid(&OrderRequest::market(1, Side::Buy, q(1)).client_order_id(" "))
                .contains("cOID")
        );
        let precise = Price::new(Decimal::from_str("1.234567890123456789").unwrap());
        assert!(invalid(&OrderRequest::limit(1, Side::Buy, q(1), precise)).contains("digits"));
        let mut both = OrderRequest::market(1, Side::Buy, q(1)).cash_quantity(Decimal::ONE);
        both.quantity = Some(q(1));
        assert!(invalid(&both).contains("exclusive"));
        assert!(Price::try_from(f64::NAN).is_err());
        assert!(Quantity::try_from(f64::INFINITY).is_err());
        assert_eq!(Price::try_from(0.1).unwrap(), p("0.1"));
        assert!("1,000".parse::<Price>().is_err());
        assert!("12 USD".parse::<Quantity>().is_err());
    }

    #[test]
    fn brackets_link_and_check_their_sides() {
        let entry = OrderRequest::limit(265598, Side::Buy, q(10), p("100"))
            .client_order_id("parent-1")
            .tif(TimeInForce::Gtc);
        let orders = Bracket::new(entry.clone())
            .take_profit(p("110"))
            .stop_loss(p("95"))
            .orders()
            .unwrap();
        assert_eq!(orders.len(), 3);
        assert_eq!(orders[0].client_order_id.as_deref(), Some("parent-1"));
        for child in &orders[1..] {
            assert_eq!(child.parent_id.as_deref(), Some("parent-1"));
            assert_eq!(child.client_order_id, None);
            assert_eq!(child.side, Side::Sell);
            assert_eq!(child.quantity, Some(q(10)));
            assert_eq!(child.tif, TimeInForce::Gtc);
        }
        assert_eq!(orders[1].order_type, OrderType::Limit);
        assert_eq!(orders[2].order_type, OrderType::Stop);
        validate_request("t", &orders).unwrap();
        let wrong = |b: Bracket| match b.orders() {
            Err(Error::InvalidArgument(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(wrong(Bracket::new(entry.clone())).contains("empty"));
        assert!(wrong(Bracket::new(entry.clone()).stop_loss(p("105"))).contains("stop-loss"));
        assert!(wrong(Bracket::new(entry.clone()).take_profit(p("90"))).contains("take-profit"));
        let market = OrderRequest::market(1, Side::Sell, q(1));
        assert!(
            wrong(
                Bracket::new(market.clone())
                    .take_profit(p("90"))
                    .stop_loss(p("80"))
            )
            .contains("stop-loss")
        );
        Bracket::new(market)
            .take_profit(p("80"))
            .stop_loss(p("90"))
            .orders()
            .unwrap();
        let same_side = OrderRequest::limit(1, Side::Buy, q(1), p("120"));
        assert!(wrong(Bracket::new(entry).take_profit_order(same_side)).contains("against"));
    }

    #[test]
    fn oca_groups_and_requests() {
        let a = OrderRequest::limit(1, Side::Sell, q(1), p("110"));
        let b = OrderRequest::stop(1, Side::Sell, q(1), p("90"));
        let group = OcaGroup::new([a.clone(), b]).orders().unwrap();
        assert!(group.iter().all(|o| o.is_single_group == Some(true)));
        assert!(OcaGroup::new([a.clone()]).orders().is_err());
        assert!(validate_request("t", &[]).is_err());
        let mut orphan = a.clone();
        orphan.parent_id = Some("nobody".into());
        orphan.client_order_id = None;
        assert!(validate_request("t", &[orphan]).is_err());
        assert!(validate_request("t", &[a.clone(), a.clone()]).is_err());
        let mut one = group.clone();
        one[1].is_single_group = None;
        assert!(validate_request("t", &one).is_err());
    }

    #[test]
    fn reads_are_typed() {
        assert_eq!(Side::from("B"), Side::Buy);
        assert_eq!(Side::from("sell"), Side::Sell);
        assert_eq!(OrderType::from("Stop Limit"), OrderType::StopLimit);
        assert_eq!(OrderType::from("REL").as_str(), "REL");
        assert_eq!(
            OrderType::from("PEG MID"),
            OrderType::Other("PEG MID".into())
        );
        assert_eq!(OrderState::from("Canceled"), OrderState::Cancelled);
        assert!(OrderState::from("Inactive").is_terminal());
        assert!(!OrderState::from("PreSubmitted").is_terminal());
        assert_eq!(SecurityType::from("STK"), SecurityType::Stock);
        let w: WhatIf = serde_json::from_str(
            r#"{"amount": {"amount": "1,500.00 USD", "commission": "1.00 USD", "total": "1,501.00 USD"},
                "position": {"current": "100", "change": "10", "after": "110"}, "warn": ""}"#,
        )
        .unwrap();
        let amount = w.amount.unwrap();
        assert_eq!(amount.amount, Some(Decimal::new(150000, 2)));
        assert_eq!(amount.currency.as_deref(), Some("USD"));
        assert_eq!(w.position.unwrap().after, Some(Decimal::from(110)));
        let c: CancelAck = serde_json::from_str(
            r#"{"msg": "Request was submitted", "order_id": 5, "order_status": "PreSubmitted", "encrypt_message": "1"}"#,
        )
        .unwrap();
        assert_eq!(c.order_status, Some(OrderState::PreSubmitted));
        assert_eq!(c.encrypt_message.as_deref(), Some("1"));
    }

    #[test]
    fn ambiguous_errors_name_their_orders() {
        let e = concerning(
            Error::Ambiguous {
                operation: "x",
                reason: "r".into(),
                client_order_ids: vec![],
            },
            &["a".into(), "b".into()],
        );
        assert!(
            matches!(&e, Error::Ambiguous { client_order_ids, .. } if client_order_ids == &["a", "b"])
        );
        assert!(e.to_string().contains("cOID a, b"), "{e}");
        let other = concerning(Error::InvalidArgument("x".into()), &["a".into()]);
        assert!(matches!(other, Error::InvalidArgument(_)));
    }
}
