//! The quickstart workflow: one generic function over [`Client`], run by
//! `examples/quickstart.rs` and by the tests against both mocks.

use std::time::Duration;

use futures_util::StreamExt as _;

use crate::Client;
use crate::areas::market_data::Snapshot;
use crate::areas::orders::{OrderRequest, Price, Quantity, Side, WhatIf};
use crate::areas::portfolio::Position;
use crate::error::Result;
use crate::session::AuthStatus;
use crate::stream::{Event, Field, OrderUpdate, QuoteUpdate, StreamState};

/// What [`quickstart`] found, step by step.
#[derive(Debug, Clone)]
pub struct QuickstartReport {
    /// The status before anything was opened.
    pub initial_status: AuthStatus,
    /// The status after opening the brokerage session (the initial one when
    /// it was already open).
    pub status: AuthStatus,
    /// The brokerage accounts.
    pub accounts: Vec<String>,
    /// The account used for the rest of the workflow.
    pub account: String,
    /// Its first page of positions.
    pub positions: Vec<Position>,
    /// The snapshot of `conid` (after IBKR's pre-flight answer).
    pub snapshot: Snapshot,
    /// How many snapshot requests it took to get a last price.
    pub snapshot_attempts: u32,
    /// The what-if preview of buying one `conid` at the bid (nothing is
    /// placed).
    pub what_if: WhatIf,
}

/// Runs the main workflow on any variant: auth status → open the brokerage
/// session if needed → accounts → positions → a snapshot of `conid`
/// (repeated until IBKR returns values, as its first answer per conid is
/// empty) → a what-if preview of a one-share limit buy at the bid. Nothing
/// is ever placed. Prints nothing; the caller decides what to show.
pub async fn quickstart(client: &Client, conid: i64) -> Result<QuickstartReport> {
    let session = client.session();
    let initial_status = session.auth_status().await?;
    let status = if initial_status.authenticated {
        initial_status.clone()
    } else {
        // `compete: true` takes the brokerage session over from TWS/mobile.
        session.init_brokerage_session(true, true).await?
    };

    // IBKR wants /iserver/accounts once per session before other /iserver calls.
    let brokerage = client.accounts().brokerage_accounts().await?;
    let account = brokerage
        .selected_account
        .clone()
        .or_else(|| brokerage.accounts.first().cloned())
        .ok_or_else(|| crate::Error::InvalidArgument("no brokerage account".into()))?;

    let positions = client.portfolio().positions(&account, 0).await?;

    // Last, bid, ask.
    let fields = ["31", "84", "86"];
    let mut snapshot_attempts = 0;
    let snapshot = loop {
        snapshot_attempts += 1;
        let snap = client
            .market_data()
            .snapshot(&[conid], &fields)
            .await?
            .into_iter()
            .next()
            .unwrap_or_default();
        if snap.field("31").is_some() || snapshot_attempts >= 5 {
            break snap;
        }
        tokio::time::sleep(Duration::from_millis(if snapshot_attempts == 1 {
            50
        } else {
            500
        }))
        .await;
    };

    // A preview only: what-if never places an order.
    // The live bid (else the last), exact; a prior close is not a live price.
    let price = snapshot
        .live_price("84")
        .or_else(|| snapshot.live_price("31"))
        .map_or(Price::from(1), Price::new);
    let order = OrderRequest::limit(conid, Side::Buy, Quantity::from(1), price);
    let what_if = client.orders().what_if(&account, &[order]).await?;

    Ok(QuickstartReport {
        initial_status,
        status,
        accounts: brokerage.accounts.iter().map(ToString::to_string).collect(),
        account: account.into_string(),
        positions,
        snapshot,
        snapshot_attempts,
        what_if,
    })
}

/// What [`stream_quickstart`] saw.
#[derive(Debug, Clone)]
pub struct StreamReport {
    /// The quotes received, merged (the first carries every field).
    pub quotes: Vec<QuoteUpdate>,
    /// The first live order update, if one came.
    pub order_updates: Vec<OrderUpdate>,
    /// The stream's state at the end.
    pub state: StreamState,
}

/// The streaming step: opens the stream, subscribes to `conid`'s last, bid
/// and ask and to the live orders, waits for IBKR's ready message, reads up
/// to `quotes` quotes and, with `order_update`, waits for a live order
/// update (IBKR reports the live orders when the subscription starts, and
/// every change after). Each wait gives up after 10 s (a market may be
/// closed, there may be no live order); the report has what came. Nothing
/// is placed.
pub async fn stream_quickstart(
    client: &Client,
    conid: i64,
    quotes: usize,
    order_update: bool,
) -> Result<StreamReport> {
    const WAIT: Duration = Duration::from_secs(10);
    let stream = client.stream().await?;
    let mut quote_stream = stream.market_data(conid, &[Field::Last, Field::Bid, Field::Ask]);
    let mut order_stream = stream.orders();
    if tokio::time::timeout(WAIT, stream.ready()).await.is_err() {
        return Err(crate::Error::Timeout {
            operation: "Stream::ready",
            after: WAIT,
        });
    }
    let mut report = StreamReport {
        quotes: Vec::new(),
        order_updates: Vec::new(),
        state: stream.state(),
    };
    while report.quotes.len() < quotes {
        match tokio::time::timeout(WAIT, quote_stream.next()).await {
            Ok(Some(Ok(Event::Data(update)))) => report.quotes.push(update),
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    while order_update && report.order_updates.is_empty() {
        match tokio::time::timeout(WAIT, order_stream.next()).await {
            Ok(Some(Ok(Event::Data(update)))) => report.order_updates.push(update),
            Ok(Some(Ok(_))) => {}
            _ => break,
        }
    }
    report.state = stream.state();
    stream.shutdown().await;
    Ok(report)
}
