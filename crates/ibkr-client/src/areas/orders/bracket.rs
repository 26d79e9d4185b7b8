//! Orders placed together: a [`Bracket`] (an entry with a take-profit
//! and/or a stop-loss) and an [`OcaGroup`] (one-cancels-all).

use super::amounts::{Price, Quantity};
use super::enums::{OrderType, Side};
use super::request::{OrderRequest, new_client_order_id};
use crate::error::{Error, Result};
use rust_decimal::Decimal;

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

#[cfg(test)]
mod tests {
    use super::super::enums::TimeInForce;
    use super::super::validate::validate_request;
    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::from(n)
    }

    fn p(s: &str) -> Price {
        s.parse().unwrap()
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
}
