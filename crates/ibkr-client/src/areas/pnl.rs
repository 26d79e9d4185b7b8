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
//! fixed property name (`U1234567.Core`); the facade reads it keyed by
//! whatever accounts IBKR sends (`{"upnl": {"KEY": {...}}}`; the `acctId`
//! wrapper of the Gateway's spec is accepted too).

pub use ibkr_model::areas::pnl::*;

use ibkr_ops::areas::pnl as ops;
use std::collections::BTreeMap;

use super::ids::AccountId;
use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::Result;

/// PnL operations, from [`Client::pnl`].
#[derive(Debug, Clone, Copy)]
pub struct Pnl<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Partitioned PnL of the session's accounts.
    pub fn pnl(&self) -> Pnl<'_> {
        Pnl { client: self }
    }
}

/// The wire form of the partitioned PnL: rows keyed by account.
#[derive(Debug, Default, LenientDeserialize)]
struct Partitioned {
    #[serde(default)]
    upnl: Option<BTreeMap<String, AccountPnl>>,
    /// The Gateway's spec names the map `acctId`.
    #[serde(default, rename = "acctId")]
    acct_id: Option<BTreeMap<String, AccountPnl>>,
}

impl Partitioned {
    /// The rows, sorted by key, with their key and account id filled in.
    fn rows(self) -> Vec<AccountPnl> {
        self.upnl
            .or(self.acct_id)
            .unwrap_or_default()
            .into_iter()
            .map(|(key, mut row)| {
                row.account_id = AccountId::from(key.split('.').next().unwrap_or(&key));
                row.key = key;
                row
            })
            .collect()
    }
}

impl Pnl<'_> {
    /// PnL per account (`GET /iserver/account/pnl/partitioned`; IBKR allows
    /// one call per 5 seconds; it wants `/iserver/accounts` called once per
    /// session first). An empty answer is an empty list.
    pub async fn partitioned(&self) -> Result<Vec<AccountPnl>> {
        let answer: Partitioned = self
            .client
            .op(&ops::PARTITIONED)?
            .fetch_or_default()
            .await?;
        Ok(answer.rows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn rows(body: &str) -> Vec<AccountPnl> {
        crate::decode::object_or_default::<Partitioned>(
            "Pnl::partitioned",
            ibkr_ops::Class::Read,
            body.as_bytes(),
        )
        .unwrap()
        .rows()
    }

    #[test]
    fn keys_become_rows() {
        let rows = rows(
            r#"{"upnl": {"DU2.Core": {"dpl": "1.5", "nl": 10, "rowType": 1}, "DU1.Core": {"upl": -2}}}"#,
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].account_id, "DU1");
        assert_eq!(rows[0].unrealized_pnl, Some(Decimal::from(-2)));
        assert_eq!(rows[1].daily_pnl, Some(Decimal::new(15, 1)));
        assert_eq!(rows[1].key, "DU2.Core");
    }

    #[test]
    fn the_gateway_wrapper_and_empty_answers() {
        let r = rows(r#"{"acctId": {"U1.Core": {"nl": "1,000"}}}"#);
        assert_eq!(r[0].account_id, "U1");
        assert_eq!(r[0].net_liquidation, Some(Decimal::from(1000)));
        for body in ["", "null", "{}", r#"{"upnl": {}}"#, r#"{"upnl": null}"#] {
            assert!(rows(body).is_empty(), "{body}");
        }
    }
}
