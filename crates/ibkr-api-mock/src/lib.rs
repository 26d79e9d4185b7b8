//! Typed [`httpmock`] mocks for the `ibkr-api` clients, one module per
//! variant. Each operation gets a method on `MockServerExt` whose `when` and
//! `then` arguments only accept the operation's own parameter and response
//! types, so a mock cannot drift from the generated client.
//!
//! ```no_run
//! # #[cfg(feature = "gateway")] {
//! use ibkr_api_mock::gateway::MockServerExt;
//! let server = httpmock::MockServer::start();
//! let tickle = server.tickle_post(|_when, then| {
//!     then.ok();
//! });
//! let client = ibkr_api::gateway::Client::new(&server.base_url(), ibkr_api::Hooks::default());
//! # let _ = (tickle, client);
//! # }
//! ```

#[cfg(feature = "web")]
#[rustfmt::skip]
#[path = "generated/web.rs"]
pub mod web;

#[cfg(feature = "gateway")]
#[rustfmt::skip]
#[path = "generated/gateway.rs"]
pub mod gateway;
