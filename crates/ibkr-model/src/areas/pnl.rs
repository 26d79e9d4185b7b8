//! The data types of `ibkr_client::areas::pnl`, with their lenient decoders
//! (re-exported there).

use super::ids::AccountId;
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;
use rust_decimal::Decimal;
use serde::Serialize;

/// One account's (or model's) PnL, exact.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountPnl {
    /// IBKR's key, `ACCOUNT.Core` (or `ACCOUNT.MODEL`).
    #[serde(default)]
    pub key: String,
    /// The account id (the key before the first dot).
    #[serde(default)]
    pub account_id: AccountId,
    /// Daily PnL.
    #[serde(default, rename = "dpl", deserialize_with = "wire::decimal")]
    pub daily_pnl: Option<Decimal>,
    /// Unrealized PnL.
    #[serde(default, rename = "upl", deserialize_with = "wire::decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// Net liquidation value.
    #[serde(default, rename = "nl", deserialize_with = "wire::decimal")]
    pub net_liquidation: Option<Decimal>,
    /// Market value of positions.
    #[serde(default, rename = "mv", deserialize_with = "wire::decimal")]
    pub market_value: Option<Decimal>,
    /// Excess liquidity.
    #[serde(default, rename = "el", deserialize_with = "wire::decimal")]
    pub excess_liquidity: Option<Decimal>,
    /// IBKR's row type (1 = account).
    #[serde(default, rename = "rowType", deserialize_with = "lenient::opt_i64")]
    pub row_type: Option<i64>,
}
