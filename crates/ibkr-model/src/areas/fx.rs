//! The data types of `ibkr_client::areas::fx`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, Conid};
use crate::decode::LenientDeserialize;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::lenient;

/// A forex pair of a currency ([`Fx::pairs`](struct.Fx.html#method.pairs)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CurrencyPair {
    /// The pair's symbol (`USD.SGD`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The pair's contract id, to trade or quote it.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The other currency of the pair (`SGD`).
    #[serde(default, rename = "ccyPair", deserialize_with = "lenient::opt_string")]
    pub counter_currency: Option<String>,
}

#[doc(hidden)]
/// `{"rate": …}`
#[derive(LenientDeserialize, Default)]
pub struct Rate {
    #[doc(hidden)]
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub rate: Option<Decimal>,
}
