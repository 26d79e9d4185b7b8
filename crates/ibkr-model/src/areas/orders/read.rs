//! The data types of `ibkr_client::areas::orders::read`, with their lenient decoders
//! (re-exported there).

use super::enums::{OrderState, OrderType, SecurityType, Side, TimeInForce, opt_code};
use crate::areas::ids::{self, AccountId, Conid, OrderId};
use crate::decode::LenientDeserialize;
use crate::lenient;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// A live order (`/iserver/account/orders`).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
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
#[derive(LenientDeserialize)]
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

#[cfg(test)]
mod tests {
    use super::super::answer::CancelAck;
    use super::*;

    #[test]
    fn live_orders_keep_both_order_types() {
        let orders: LiveOrders = serde_json::from_str(
            r#"{"orders":[{"orderId":1,"orderType":"Limit","origOrderType":"LIMIT"}],"snapshot":true}"#,
        )
        .unwrap();
        assert_eq!(orders.orders[0].order_type, Some(OrderType::Limit));
        assert_eq!(orders.orders[0].orig_order_type, Some(OrderType::Limit));
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
}
