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

use futures_util::Stream;
pub use ibkr_model::areas::portfolio::*;

use ibkr_ops::areas::portfolio as ops;
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::ids::{AccountId, Conid};
use crate::client::Client;
use crate::decode::wire::ByKey;
use crate::error::Result;

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
