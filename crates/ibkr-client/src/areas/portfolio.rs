//! Portfolio positions.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let portfolio = client.portfolio();
//! portfolio.invalidate_positions("DU1234567").await?;
//! for p in portfolio.positions("DU1234567", 0).await? {
//!     println!("{:?} {:?} @ {:?}", p.contract_desc, p.position, p.mkt_price);
//! }
//! // Every page, from 0 until a short or empty page.
//! let everything = portfolio.all_positions("DU1234567").collect_all().await?;
//! println!("{} positions", everything.len());
//! let aapl = portfolio.position("DU1234567", 265598).await?;
//! # let _ = aapl;
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use ibkr_ops::areas::portfolio as ops;
use rust_decimal::Decimal;
use serde::Serialize;

use super::contracts::Right;
use super::ids::{self, AccountId, Conid};
use super::orders::SecurityType;
use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::decode::wire::{self, ByKey};
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

/// IBKR's page size of [`Portfolio::positions`], when a page does not say
/// (each position carries IBKR's `pageSize`).
pub const POSITIONS_PAGE_SIZE: usize = 100;

/// One position. Prices, sizes and amounts are exact decimals, in the
/// position's currency and (`base_…`) in the account's base currency.
///
/// The contract's reference data that IBKR repeats on every position
/// (`name`, `fullName`, `type`, `sector`, `group`, `sectorGroup`,
/// `countryCode`, `allExchanges`, `incrementRules`, `undComp`) and its
/// display hints (`displayRule`, `chineseName`, `time`, `conExchMap`,
/// `exchs`) are skipped: a page holds up to 100 positions, pages are read
/// often, and that data is the contract's ([`Contracts::secdef`](super::contracts::Contracts::secdef)
/// reads it by conid, [`Contracts::rules`](super::contracts::Contracts::rules)
/// the increments).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Position {
    /// The account.
    #[serde(default, rename = "acctId", deserialize_with = "ids::opt_account_id")]
    pub account_id: Option<AccountId>,
    /// The contract id.
    #[serde(default, deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The contract's description (`AAPL`, `SPY    JAN2025 440 C [...]`).
    #[serde(
        default,
        rename = "contractDesc",
        deserialize_with = "lenient::opt_string"
    )]
    pub contract_desc: Option<String>,
    /// The asset class (`STK`, `OPT`, ...).
    #[serde(default, rename = "assetClass", deserialize_with = "wire::opt_code")]
    pub asset_class: Option<SecurityType>,
    /// The position size (negative for short).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub position: Option<Decimal>,
    /// The market price.
    #[serde(default, rename = "mktPrice", deserialize_with = "wire::decimal")]
    pub mkt_price: Option<Decimal>,
    /// The market value.
    #[serde(default, rename = "mktValue", deserialize_with = "wire::decimal")]
    pub mkt_value: Option<Decimal>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// The average cost (per contract, multiplier included).
    #[serde(default, rename = "avgCost", deserialize_with = "wire::decimal")]
    pub avg_cost: Option<Decimal>,
    /// The average price.
    #[serde(default, rename = "avgPrice", deserialize_with = "wire::decimal")]
    pub avg_price: Option<Decimal>,
    /// Realized profit and loss.
    #[serde(default, rename = "realizedPnl", deserialize_with = "wire::decimal")]
    pub realized_pnl: Option<Decimal>,
    /// Unrealized profit and loss.
    #[serde(default, rename = "unrealizedPnl", deserialize_with = "wire::decimal")]
    pub unrealized_pnl: Option<Decimal>,
    /// The market value in the account's base currency.
    #[serde(default, rename = "baseMktValue", deserialize_with = "wire::decimal")]
    pub base_mkt_value: Option<Decimal>,
    /// The market price in the base currency.
    #[serde(default, rename = "baseMktPrice", deserialize_with = "wire::decimal")]
    pub base_mkt_price: Option<Decimal>,
    /// The average cost in the base currency.
    #[serde(default, rename = "baseAvgCost", deserialize_with = "wire::decimal")]
    pub base_avg_cost: Option<Decimal>,
    /// The average price in the base currency.
    #[serde(default, rename = "baseAvgPrice", deserialize_with = "wire::decimal")]
    pub base_avg_price: Option<Decimal>,
    /// Realized profit and loss in the base currency.
    #[serde(
        default,
        rename = "baseRealizedPnl",
        deserialize_with = "wire::decimal"
    )]
    pub base_realized_pnl: Option<Decimal>,
    /// Unrealized profit and loss in the base currency.
    #[serde(
        default,
        rename = "baseUnrealizedPnl",
        deserialize_with = "wire::decimal"
    )]
    pub base_unrealized_pnl: Option<Decimal>,
    /// The expiry (`YYYYMMDD`), for derivatives.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub expiry: Option<String>,
    /// The last trading day (`YYYYMMDD`), for derivatives.
    #[serde(
        default,
        rename = "lastTradingDay",
        deserialize_with = "lenient::opt_string"
    )]
    pub last_trading_day: Option<String>,
    /// Call or put, for options.
    #[serde(default, rename = "putOrCall", deserialize_with = "wire::opt_code")]
    pub put_or_call: Option<Right>,
    /// The strike, for options (`0` otherwise).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub strike: Option<Decimal>,
    /// The multiplier (`0` where IBKR has none, as for stocks).
    #[serde(default, deserialize_with = "wire::decimal")]
    pub multiplier: Option<Decimal>,
    /// The exercise style, for options, when sent.
    #[serde(
        default,
        rename = "exerciseStyle",
        deserialize_with = "lenient::opt_string"
    )]
    pub exercise_style: Option<String>,
    /// The underlying's contract id, for derivatives (`0` otherwise).
    #[serde(default, rename = "undConid", deserialize_with = "ids::opt_conid")]
    pub und_conid: Option<Conid>,
    /// The underlying's symbol, for derivatives.
    #[serde(default, rename = "undSym", deserialize_with = "lenient::opt_string")]
    pub und_sym: Option<String>,
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
    /// The model (FA), when any.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub model: Option<String>,
    /// Whether it is a US contract.
    #[serde(default, rename = "isUS", deserialize_with = "lenient::opt_bool")]
    pub is_us: Option<bool>,
    /// Whether it has options.
    #[serde(default, rename = "hasOptions", deserialize_with = "lenient::opt_bool")]
    pub has_options: Option<bool>,
    /// Whether it is an event contract.
    #[serde(
        default,
        rename = "isEventContract",
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_event_contract: Option<bool>,
    /// Whether its currency differs from the base currency.
    #[serde(
        default,
        rename = "crossCurrency",
        deserialize_with = "lenient::opt_bool"
    )]
    pub cross_currency: Option<bool>,
    /// IBKR's page size of the answer the position came in (`pageSize`).
    #[serde(default, rename = "pageSize", deserialize_with = "lenient::opt_i64")]
    pub page_size: Option<i64>,
}

/// Positions by account id.
pub type PositionsByAccount = BTreeMap<String, Vec<Position>>;

/// The answer to [`Portfolio::invalidate_positions`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Invalidated {
    /// IBKR's message (`"success"`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

impl<'a> Portfolio<'a> {
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

    /// Every position of an account, page by page: pages 0, 1, … until
    /// an empty page or one shorter than IBKR's page size (each request
    /// waits for its slot under the client's pacing, as any call does).
    ///
    /// A position IBKR repeats on a later page (its pages shift when a
    /// position opens or closes in between) is given once; a page with
    /// nothing new ends the pages. Call
    /// [`Portfolio::invalidate_positions`] first for fresh values.
    ///
    /// ```no_run
    /// # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
    /// let mut pages = client.portfolio().all_positions("DU1234567");
    /// while let Some(page) = pages.next_page().await {
    ///     for p in page? {
    ///         println!("{:?} {:?}", p.ticker, p.position);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn all_positions(&self, account_id: &str) -> PositionPages<'a> {
        PositionPages {
            client: self.client,
            account: account_id.to_string(),
            next: 0,
            seen: HashSet::new(),
            pending: None,
            done: false,
        }
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

type PageFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Position>>> + Send + 'a>>;

/// The pages of [`Portfolio::all_positions`]: a [`Stream`] of pages (each
/// a `Result`), or [`PositionPages::next_page`] without any stream trait
/// in scope, or [`PositionPages::collect_all`] for every position at once.
/// After an error, or the last page, there are no more pages.
pub struct PositionPages<'a> {
    client: &'a Client,
    account: String,
    next: u32,
    /// (account, conid) of every position given so far.
    seen: HashSet<(Option<AccountId>, Conid)>,
    pending: Option<PageFuture<'a>>,
    done: bool,
}

impl fmt::Debug for PositionPages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PositionPages")
            .field("account", &self.account)
            .field("next_page", &self.next)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl PositionPages<'_> {
    /// The next page's positions; `None` after the last page (or an
    /// error).
    pub async fn next_page(&mut self) -> Option<Result<Vec<Position>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining position, in page order; the first error ends it.
    pub async fn collect_all(mut self) -> Result<Vec<Position>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }

    /// The page number the next request asks for.
    pub fn page(&self) -> u32 {
        self.next
    }

    /// A fetched page: what is new in it, and whether it is the last.
    fn take(&mut self, page: Vec<Position>) -> (Vec<Position>, bool) {
        let page_size = page
            .first()
            .and_then(|p| p.page_size)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(POSITIONS_PAGE_SIZE);
        let short = page.len() < page_size;
        let fetched = page.len();
        let fresh: Vec<Position> = page
            .into_iter()
            .filter(|p| match p.conid {
                Some(conid) => self.seen.insert((p.account_id.clone(), conid)),
                None => true,
            })
            .collect();
        // Nothing new: IBKR answered a page it had already given (or
        // nothing at all).
        let last = short || fresh.is_empty() || fetched == 0;
        (fresh, last)
    }
}

impl Stream for PositionPages<'_> {
    type Item = Result<Vec<Position>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let pending = this.pending.get_or_insert_with(|| {
            let client = this.client;
            let account = this.account.clone();
            let page = this.next;
            Box::pin(async move { Portfolio { client }.positions(&account, page).await })
        });
        let answer = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(answer) => answer,
        };
        this.pending = None;
        match answer {
            Err(e) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Ok(page) => {
                this.next += 1;
                let (fresh, last) = this.take(page);
                this.done = last;
                if fresh.is_empty() {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Ok(fresh)))
                }
            }
        }
    }
}
