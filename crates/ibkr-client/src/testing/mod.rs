//! Test support: an embedded mock IBKR server (feature `testing`).
//!
//! [`MockIbkr`] is a small HTTP server on `127.0.0.1` (an ephemeral port)
//! that behaves like a paper account behind either IBKR variant: it keeps a
//! session state machine (logged in, brokerage session, competing session,
//! tickles), answers with IBKR's JSON shapes and habits (numbers as strings,
//! a pre-flight snapshot, order questions before an order id), and logs every
//! request so tests can assert what was sent.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use ibkr_client::testing::{MockIbkr, MockVariant};
//!
//! let mock = MockIbkr::start(MockVariant::Gateway).await?;
//! // http://127.0.0.1:PORT/v1/api — give it to a Gateway config.
//! println!("{}", mock.base_url());
//! assert!(!mock.is_authenticated()); // no brokerage session until ssodh/init
//! # Ok(()) }
//! ```
//!
//! It is meant for examples, CI and users' own tests. It is not a simulator
//! of markets: prices are canned and orders never fill.

mod data;
mod mock;
mod workflow;

pub use mock::ws::{StreamFrame, StreamHandshake};
pub use mock::{MockIbkr, MockVariant, RecordedRequest};
pub use workflow::{QuickstartReport, StreamReport, quickstart, stream_quickstart};
