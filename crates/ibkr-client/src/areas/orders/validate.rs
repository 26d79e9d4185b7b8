//! What is refused before anything is sent: [`OrderRequest::validate`] for
//! one order, and the checks of a request's orders together.

use super::amounts::{Price, Quantity, sendable};
use super::enums::{OrderType, Side, TrailingType};
use super::request::OrderRequest;
use crate::error::{Error, Result};
use rust_decimal::Decimal;

impl OrderRequest {
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

/// Checks the orders of one request together: each valid, `cOID`s unique,
/// every `parentId` naming an earlier order's `cOID`, `isSingleGroup` on
/// all or none.
pub(super) fn validate_request(operation: &str, orders: &[OrderRequest]) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::super::amounts::Trail;
    use super::*;

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
}
