//! The quickstart workflow: one generic function over [`Client`], run by
//! `examples/quickstart.rs` and by the tests against both mocks.

use std::time::Duration;

use crate::Client;
use crate::areas::market_data::Snapshot;
use crate::areas::orders::{OrderRequest, Price, Quantity, Side, WhatIf};
use crate::areas::portfolio::Position;
use crate::error::Result;
use crate::session::AuthStatus;

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
    let price = snapshot
        .field_f64("84")
        .or_else(|| snapshot.field_f64("31"))
        .unwrap_or(1.0);
    // The snapshot's float as an exact price (its shortest text); a NaN
    // would be refused here, before anything is sent.
    let order = OrderRequest::limit(conid, Side::Buy, Quantity::from(1), Price::try_from(price)?);
    let what_if = client.orders().what_if(&account, &[order]).await?;

    Ok(QuickstartReport {
        initial_status,
        status,
        accounts: brokerage.accounts,
        account,
        positions,
        snapshot,
        snapshot_attempts,
        what_if,
    })
}
