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

#![cfg_attr(not(all(feature = "web", feature = "gateway")), allow(unused))]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::areas::accounts::both;
use crate::call::{Outcome, decode_raw, via_json};
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::lenient;
use crate::oauth1::primitives::percent_encode;

/// Portfolio operations, from [`Client::portfolio`].
#[derive(Debug, Clone, Copy)]
pub struct Portfolio<'a> {
    client: &'a Client,
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

#[cfg(feature = "web")]
impl From<ibkr_api::web::types::IndividualPosition> for Position {
    fn from(p: ibkr_api::web::types::IndividualPosition) -> Self {
        Position {
            account_id: p.acct_id,
            conid: p.conid,
            contract_desc: p.contract_desc,
            asset_class: p.asset_class,
            position: p.position,
            mkt_price: p.mkt_price,
            mkt_value: p.mkt_value,
            currency: p.currency,
            avg_cost: p.avg_cost,
            avg_price: p.avg_price,
            realized_pnl: p.realized_pnl,
            unrealized_pnl: p.unrealized_pnl,
            expiry: p.expiry,
            put_or_call: p
                .put_or_call
                .as_ref()
                .and_then(crate::areas::accounts::wire_string),
            strike: p.strike.as_deref().and_then(lenient::parse_f64),
            multiplier: p.multiplier,
            ticker: p.ticker,
            listing_exchange: p.listing_exchange,
        }
    }
}

/// Positions by account id.
pub type PositionsByAccount = BTreeMap<String, Vec<Position>>;

#[derive(Deserialize, Default)]
struct List(#[serde(deserialize_with = "lenient::vec_or_single")] Vec<Position>);

#[derive(Deserialize, Default)]
struct ByAccount(#[serde(deserialize_with = "by_account")] PositionsByAccount);

fn by_account<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<PositionsByAccount, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let mut out = BTreeMap::new();
    if let Some(serde_json::Value::Object(map)) = v {
        for (account, positions) in map {
            let List(list) = serde_json::from_value(positions).map_err(serde::de::Error::custom)?;
            out.insert(account, list);
        }
    }
    Ok(out)
}

/// The answer to [`Portfolio::invalidate_positions`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Invalidated {
    /// IBKR's message (`"success"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

fn list<T: Serialize>(op: &'static str, outcome: Outcome<T>) -> Result<Vec<Position>> {
    let list: List = match outcome {
        Outcome::Typed(t) => via_json(op, &t)?,
        Outcome::Raw(bytes) => decode_raw(op, &bytes)?,
        Outcome::Empty => List::default(),
    };
    Ok(list.0)
}

impl Portfolio<'_> {
    /// One page (from 0, up to 100 positions each) of an account's positions
    /// (`GET /portfolio/{accountId}/positions/{pageId}`).
    ///
    /// The page is read in one pass straight into [`Position`]s, on both
    /// variants: pages are large, and IBKR's numbers-as-strings would make
    /// a strict decode fail and start over.
    pub async fn positions(&self, account_id: &str, page: u32) -> Result<Vec<Position>> {
        const OP: &str = "positions";
        let path = format!("/portfolio/{}/positions/{page}", percent_encode(account_id));
        self.client
            .raw::<()>(OP, reqwest::Method::GET, &path, None)
            .await?
            .json_list(OP)
    }

    /// An account's position in one contract
    /// (`GET /portfolio/{accountId}/position/{conid}`); empty if none.
    pub async fn position(&self, account_id: &str, conid: i64) -> Result<Vec<Position>> {
        const OP: &str = "position";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let conid = conid.to_string();
                let outcome = self
                    .client
                    .call(
                        OP,
                        api.portfolio_account_id_position_conid_get(account_id, &conid),
                    )
                    .await?;
                match outcome {
                    Outcome::Typed(v) => Ok(v.0.into_iter().map(Position::from).collect()),
                    other => list(OP, other),
                }
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let outcome = self
                    .client
                    .call(
                        OP,
                        api.portfolio_account_id_position_conid_get(account_id, conid),
                    )
                    .await?;
                list(OP, outcome)
            }
        }
    }

    /// Positions in one contract across all accounts, by account id
    /// (`GET /portfolio/positions/{conid}`).
    pub async fn positions_by_conid(&self, conid: i64) -> Result<PositionsByAccount> {
        const OP: &str = "positions_by_conid";
        let outcome = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let conid = conid.to_string();
                let outcome = self
                    .client
                    .call(OP, api.portfolio_positions_conid_get(&conid))
                    .await?;
                match outcome {
                    Outcome::Typed(map) => {
                        return Ok(map
                            .into_iter()
                            .map(|(k, p)| (k, vec![Position::from(p)]))
                            .collect());
                    }
                    Outcome::Raw(b) => Outcome::<()>::Raw(b),
                    Outcome::Empty => Outcome::Empty,
                }
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(_) => {
                // The Gateway spec models the account-id keys with its
                // example's key (`ACCTID`) as a fixed field, so its typed
                // decode would drop every real account: read the body here.
                let path = format!("/portfolio/positions/{conid}");
                self.client
                    .raw::<()>(OP, reqwest::Method::GET, &path, None)
                    .await?
            }
        };
        Ok(outcome.decode_or_default(OP, |()| ByAccount::default())?.0)
    }

    /// Invalidates the server's position cache for an account
    /// (`POST /portfolio/{accountId}/positions/invalidate`), so the next
    /// [`Portfolio::positions`] call is fresh.
    pub async fn invalidate_positions(&self, account_id: &str) -> Result<Invalidated> {
        const OP: &str = "invalidate_positions";
        both!(
            self,
            OP,
            |api| api.portfolio_account_id_positions_invalidate_post(account_id),
            json(OP)
        )
    }
}
