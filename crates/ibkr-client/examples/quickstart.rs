//! Quickstart: auth status → brokerage session → accounts → positions →
//! snapshot → what-if order preview (nothing is placed), against the embedded mock IBKR by default.
//! Then the stream: a few quotes over IBKR's WebSocket and, against the mock only, one order
//! placed to show its live update (nothing is placed on a real gateway).
//!
//! ```sh
//! cargo run -p ibkr-client --example quickstart --features testing
//! IBKR_VARIANT=web cargo run -p ibkr-client --example quickstart --features testing
//! # A real Client Portal Gateway (log in through its web page first):
//! IBKR_BASE_URL=https://localhost:5000/v1/api IBKR_ACCEPT_SELF_SIGNED=1 \
//!     cargo run -p ibkr-client --example quickstart --features testing
//! ```
//!
//! The workflow is one generic function over `&Client`
//! ([`ibkr_client::testing::quickstart`]); only the configuration differs
//! between the Gateway mock, the Web API mock and a real gateway.

use ibkr_client::testing::{MockIbkr, MockVariant, quickstart, stream_quickstart};
use ibkr_client::{BearerToken, Client, Config};

/// AAPL on NASDAQ.
const CONID: i64 = 265598;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let web = std::env::var("IBKR_VARIANT").is_ok_and(|v| v.eq_ignore_ascii_case("web"));
    // Keep the mock alive for the whole run.
    let mut _mock = None;
    let config = match std::env::var("IBKR_BASE_URL") {
        Ok(url) => {
            let mut config = Config::gateway().base_url(url);
            if std::env::var("IBKR_ACCEPT_SELF_SIGNED").is_ok_and(|v| v == "1") {
                config = config.accept_self_signed_certificate();
            }
            println!("talking to the gateway at {}", config.url());
            config
        }
        Err(_) => {
            let variant = if web {
                MockVariant::Web
            } else {
                MockVariant::Gateway
            };
            let mock = MockIbkr::start(variant).await?;
            println!("embedded mock ({variant:?}) at {}", mock.base_url());
            let config = if web {
                // The mock does not check the token; a real Web API needs
                // OAuth (see the crate docs).
                Config::web(BearerToken::new("mock-token")).base_url(mock.base_url())
            } else {
                Config::gateway().base_url(mock.base_url())
            };
            _mock = Some(mock);
            config
        }
    };
    let client = Client::new(config)?;

    let report = quickstart(&client, CONID).await?;
    println!(
        "auth status: authenticated={} connected={} competing={}",
        report.initial_status.authenticated,
        report.initial_status.connected,
        report.initial_status.competing
    );
    println!(
        "brokerage session: authenticated={}",
        report.status.authenticated
    );
    println!("accounts: {:?} (using {})", report.accounts, report.account);
    for p in &report.positions {
        println!(
            "  position {:>8} {:<8} @ {:?} (value {:?})",
            p.position.unwrap_or_default(),
            p.contract_desc.as_deref().unwrap_or("?"),
            p.mkt_price,
            p.mkt_value
        );
    }
    println!(
        "snapshot of {CONID} after {} request(s): last {:?} bid {:?} ask {:?}",
        report.snapshot_attempts,
        report.snapshot.last(),
        report.snapshot.bid(),
        report.snapshot.ask()
    );
    let amount = report.what_if.amount.as_ref();
    println!(
        "what-if buy 1 @ bid: amount {:?}, commission {:?}, warning {:?}",
        amount.and_then(|a| a.amount),
        amount.and_then(|a| a.commission),
        report.what_if.warn
    );

    // Streaming: quotes merged from IBKR's deltas, and a live order update.
    if let Some(mock) = &_mock {
        // The mock moves its prices every 100 ms, and holds one order placed
        // in its REST order book (never on a real gateway).
        mock.stream_market_data(Some(std::time::Duration::from_millis(100)));
        mock.place_order(&report.account, CONID, "BUY", 1.into(), Some(150.into()));
    }
    let streamed = stream_quickstart(&client, CONID, 3, _mock.is_some()).await?;
    for q in &streamed.quotes {
        println!(
            "stream quote #{}: last {:?} bid {:?} ask {:?} (changed: {:?})",
            q.quote.seq,
            q.quote.last(),
            q.quote.bid(),
            q.quote.ask(),
            q.changed().map(|f| f.field).collect::<Vec<_>>()
        );
    }
    for o in &streamed.order_updates {
        println!(
            "stream order update: order {:?} {:?} {:?} @ {:?}",
            o.order_id, o.side, o.status, o.price
        );
    }
    println!("stream state: {}", streamed.state);
    Ok(())
}
