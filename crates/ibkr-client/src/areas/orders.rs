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

use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::request::Call;
use ibkr_ops::Operation;

mod amounts;

mod answer;

mod bracket;

mod enums;

mod place;

mod read;

mod reconcile;

mod request;

mod validate;

pub use amounts::{Price, Quantity, StopLimit, Trail};
pub use answer::{CancelAck, OrderAck, PlaceOutcome, Suppressed};
pub use bracket::{Bracket, OcaGroup};
pub use enums::{OrderState, OrderType, SecurityType, Side, TimeInForce, TrailingType};
pub use place::{ConfirmationPolicy, MAX_CONFIRMATIONS};
pub use read::{LiveOrder, LiveOrders, OrderStatus, Trade, WhatIf, WhatIfValues};
pub use reconcile::{PlacedOrder, RECONCILE_LIVE_ATTEMPTS, Reconciliation, STATUS_POLL_INTERVAL};
pub use request::{OrderRequest, new_client_order_id};

#[cfg(doc)]
use rust_decimal::Decimal;

#[cfg(doc)]
use super::ids::{AccountId, Conid, OrderId};

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
}
