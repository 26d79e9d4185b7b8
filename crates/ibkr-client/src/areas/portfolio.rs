//! Portfolio positions.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let portfolio = client.portfolio();
//! portfolio.invalidate_positions("DU1234567").await?;
//! for p in portfolio.positions("DU1234567", 0).await? {
//!     println!("{:?} {:?} @ {:?}", p.contract_desc, p.position, p.mkt_price);
//! }
//! let aapl = portfolio.position("DU1234567", 265598).await?;
//! # let _ = aapl;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use ibkr_ops::areas::portfolio as ops;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::decode::wire::ByKey;
use crate::error::Result;
use crate::lenient;

/// Portfolio operations, from [`Client::portfolio`].
#[derive(Debug, Clone, Copy)]
pub struct Portfolio<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Portfolio: positions by page or by contract, cache invalidation.
    pub fn portfolio(&self) -> Portfolio<'_> {
        Portfolio { client: self }
    }
}

/// One position.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Position {
    /// The account.
    #[serde(default, rename = "acctId", deserialize_with = "lenient::opt_string")]
    pub account_id: Option<String>,
    /// The contract id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub conid: Option<i64>,
    /// The contract's description (`AAPL`).
    #[serde(
        default,
        rename = "contractDesc",
        deserialize_with = "lenient::opt_string"
    )]
    pub contract_desc: Option<String>,
    /// The asset class (`STK`, `OPT`, ...).
    #[serde(
        default,
        rename = "assetClass",
        deserialize_with = "lenient::opt_string"
    )]
    pub asset_class: Option<String>,
    /// The position size (negative for short).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub position: Option<f64>,
    /// The market price.
    #[serde(default, rename = "mktPrice", deserialize_with = "lenient::opt_f64")]
    pub mkt_price: Option<f64>,
    /// The market value.
    #[serde(default, rename = "mktValue", deserialize_with = "lenient::opt_f64")]
    pub mkt_value: Option<f64>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The average cost.
    #[serde(default, rename = "avgCost", deserialize_with = "lenient::opt_f64")]
    pub avg_cost: Option<f64>,
    /// The average price.
    #[serde(default, rename = "avgPrice", deserialize_with = "lenient::opt_f64")]
    pub avg_price: Option<f64>,
    /// Realized profit and loss.
    #[serde(default, rename = "realizedPnl", deserialize_with = "lenient::opt_f64")]
    pub realized_pnl: Option<f64>,
    /// Unrealized profit and loss.
    #[serde(
        default,
        rename = "unrealizedPnl",
        deserialize_with = "lenient::opt_f64"
    )]
    pub unrealized_pnl: Option<f64>,
    /// The expiry, for derivatives.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expiry: Option<String>,
    /// `P` or `C`, for options.
    #[serde(
        default,
        rename = "putOrCall",
        deserialize_with = "lenient::opt_string"
    )]
    pub put_or_call: Option<String>,
    /// The strike, for options.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub strike: Option<f64>,
    /// The multiplier.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub multiplier: Option<f64>,
    /// The ticker.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ticker: Option<String>,
    /// The listing exchange.
    #[serde(
        default,
        rename = "listingExchange",
        deserialize_with = "lenient::opt_string"
    )]
    pub listing_exchange: Option<String>,
}

/// Positions by account id.
pub type PositionsByAccount = BTreeMap<String, Vec<Position>>;

/// The answer to [`Portfolio::invalidate_positions`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Invalidated {
    /// IBKR's message (`"success"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

impl Portfolio<'_> {
    /// One page (from 0, up to 100 positions each) of an account's positions
    /// (`GET /portfolio/{accountId}/positions/{pageId}`).
    ///
    /// The page is read in one pass straight into [`Position`]s: pages are
    /// large, and IBKR's numbers-as-strings would make a strict decode fail.
    pub async fn positions(&self, account_id: &str, page: u32) -> Result<Vec<Position>> {
        self.client
            .op(&ops::POSITIONS)?
            .arg(account_id)?
            .arg(page)?
            .fetch_list()
            .await
    }

    /// An account's position in one contract
    /// (`GET /portfolio/{accountId}/position/{conid}`); empty if none.
    pub async fn position(&self, account_id: &str, conid: i64) -> Result<Vec<Position>> {
        self.client
            .op(&ops::POSITION)?
            .arg(account_id)?
            .arg(conid)?
            .fetch_list()
            .await
    }

    /// Positions in one contract across all accounts, by account id
    /// (`GET /portfolio/positions/{conid}`). Each account's value may be a
    /// list or a single position; both are read.
    pub async fn positions_by_conid(&self, conid: i64) -> Result<PositionsByAccount> {
        let ByKey(by_account) = self
            .client
            .op(&ops::POSITIONS_BY_CONID)?
            .arg(conid)?
            .fetch_or_default()
            .await?;
        Ok(by_account)
    }

    /// Invalidates the server's position cache for an account
    /// (`POST /portfolio/{accountId}/positions/invalidate`), so the next
    /// [`Portfolio::positions`] call is fresh.
    pub async fn invalidate_positions(&self, account_id: &str) -> Result<Invalidated> {
        self.client
            .op(&ops::INVALIDATE_POSITIONS)?
            .arg(account_id)?
            .fetch_or_default()
            .await
    }
}
