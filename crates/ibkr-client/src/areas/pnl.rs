//! Partitioned profit and loss (`/iserver/account/pnl/partitioned`).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! for row in client.pnl().partitioned().await? {
//!     println!("{}: daily {:?}, unrealized {:?}", row.account_id, row.daily_pnl, row.unrealized_pnl);
//! }
//! # Ok(()) }
//! ```
//!
//! Both vendored specs describe this answer with IBKR's example account as a
//! fixed property name (`U1234567.Core`), so a generated decode would drop
//! every real account. The facade reads the body itself, keyed by whatever
//! accounts IBKR sends.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Client;
use crate::error::Result;
use crate::lenient;

/// PnL operations, from [`Client::pnl`].
#[derive(Debug, Clone, Copy)]
pub struct Pnl<'a> {
    client: &'a Client,
}

impl Client {
    /// Partitioned PnL of the session's accounts.
    pub fn pnl(&self) -> Pnl<'_> {
        Pnl { client: self }
    }
}

/// One account's (or model's) PnL.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct AccountPnl {
    /// IBKR's key, `ACCOUNT.Core` (or `ACCOUNT.MODEL`).
    #[serde(default)]
    pub key: String,
    /// The account id (the key before the first dot).
    #[serde(default)]
    pub account_id: String,
    /// Daily PnL.
    #[serde(default, rename = "dpl", deserialize_with = "lenient::opt_f64")]
    pub daily_pnl: Option<f64>,
    /// Unrealized PnL.
    #[serde(default, rename = "upl", deserialize_with = "lenient::opt_f64")]
    pub unrealized_pnl: Option<f64>,
    /// Net liquidation value.
    #[serde(default, rename = "nl", deserialize_with = "lenient::opt_f64")]
    pub net_liquidation: Option<f64>,
    /// Market value of positions.
    #[serde(default, rename = "mv", deserialize_with = "lenient::opt_f64")]
    pub market_value: Option<f64>,
    /// Excess liquidity.
    #[serde(default, rename = "el", deserialize_with = "lenient::opt_f64")]
    pub excess_liquidity: Option<f64>,
    /// IBKR's row type (1 = account).
    #[serde(default, rename = "rowType", deserialize_with = "lenient::opt_i64")]
    pub row_type: Option<i64>,
}

/// Reads `{"upnl": {"KEY": {...}, ...}}` (the `acctId` wrapper of the
/// Gateway's spec is accepted too) into rows sorted by key.
pub(crate) fn parse_partitioned(operation: &'static str, bytes: &[u8]) -> Result<Vec<AccountPnl>> {
    let v: Value = crate::call::decode_raw(operation, bytes)?;
    let map = v
        .get("upnl")
        .or_else(|| v.get("acctId"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (key, row) in map {
        let mut pnl: AccountPnl = crate::call::decode_raw(operation, row.to_string().as_bytes())?;
        pnl.account_id = key.split('.').next().unwrap_or(&key).to_string();
        pnl.key = key;
        rows.push(pnl);
    }
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(rows)
}

impl Pnl<'_> {
    /// PnL per account (`GET /iserver/account/pnl/partitioned`; IBKR allows
    /// one call per 5 seconds; it wants `/iserver/accounts` called once per
    /// session first).
    pub async fn partitioned(&self) -> Result<Vec<AccountPnl>> {
        const OP: &str = "pnl.partitioned";
        let outcome = self
            .client
            .raw::<std::convert::Infallible>(
                OP,
                reqwest::Method::GET,
                "/iserver/account/pnl/partitioned",
                None,
            )
            .await?;
        match outcome {
            crate::call::Outcome::Raw(bytes) => parse_partitioned(OP, &bytes),
            _ => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_rows() {
        let body = br#"{"upnl": {"DU2.Core": {"dpl": "1.5", "nl": 10, "rowType": 1}, "DU1.Core": {"upl": -2}}}"#;
        let rows = parse_partitioned("t", body).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].account_id, "DU1");
        assert_eq!(rows[0].unrealized_pnl, Some(-2.0));
        assert_eq!(rows[1].daily_pnl, Some(1.5));
        assert_eq!(rows[1].key, "DU2.Core");
    }
}
