//! The order request: [`OrderRequest`], its constructors and setters, and
//! client order ids.

use super::amounts::{Price, Quantity, StopLimit, Trail, write_opt_number};
use super::enums::{OrderType, Side, TimeInForce, TrailingType};
use crate::areas::ids::{AccountId, Conid};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[cfg(doc)]
use super::OcaGroup;

// --- the order request -------------------------------------------------------------------

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
    pub(super) fn entry_price(&self) -> Option<Decimal> {
        match self.order_type {
            OrderType::Limit | OrderType::LimitOnClose | OrderType::StopLimit | OrderType::Stop => {
                self.price.map(Price::get)
            }
            _ => None,
        }
    }

    /// The price that triggers a stop: `auxPrice` of STOP_LIMIT and
    /// TRAILLMT, `price` otherwise.
    pub(super) fn stop_trigger(&self) -> Option<Decimal> {
        match self.order_type {
            OrderType::StopLimit | OrderType::TrailingStopLimit => self.aux_price.map(Price::get),
            _ => self.price.map(Price::get),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::from(n)
    }

    fn p(s: &str) -> Price {
        s.parse().unwrap()
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
}
