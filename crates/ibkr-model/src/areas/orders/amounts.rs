//! The data types of `ibkr_client::areas::orders::amounts`, with their lenient decoders
//! (re-exported there).

use rust_decimal::Decimal;

/// A trailing order's offset from the market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trail {
    /// An amount in the price's currency (`trailingType: "amt"`).
    Amount(Decimal),
    /// A percentage (`trailingType: "%"`; `2.5` is 2.5 %).
    Percent(Decimal),
}
