//! One stable async API over Interactive Brokers' two REST APIs: the
//! **Web API** (`api.ibkr.com`, OAuth or bearer token) and the **Client
//! Portal Gateway** (a local gateway with a cookie session).
//!
//! # Getting started
//!
//! ```no_run
//! # async fn f() -> ibkr_client::Result<()> {
//! use ibkr_client::{BearerToken, Client, Config};
//!
//! // The local gateway (self-signed certificate, opt-in):
//! let gateway = Client::new(Config::gateway().accept_self_signed_certificate())?;
//! // Or the Web API with credentials from your SSO/OAuth flow:
//! let web = Client::new(Config::web(BearerToken::new("token")))?;
//!
//! for client in [gateway, web] {
//!     let session = client.session();
//!     if !session.auth_status().await?.authenticated {
//!         session.init_brokerage_session(true, false).await?;
//!     }
//!     let accounts = client.accounts().brokerage_accounts().await?;
//!     println!("{}: {:?}", client.variant(), accounts.accounts);
//! }
//! # Ok(()) }
//! ```
//!
//! # Areas
//!
//! The same methods work on both variants; each area is a small borrowed
//! handle:
//!
//! - Session ([`Client::session`]): brokerage session status, keep-alive, logout.
//! - Accounts ([`Client::accounts`]): account lists, summary, ledger, allocation.
//! - Portfolio ([`Client::portfolio`]): positions.
//! - Contracts ([`Client::contracts`]): search, definitions, strikes, rules, algos.
//! - Market data ([`Client::market_data`]): snapshots, history.
//! - Orders ([`Client::orders`]): live orders, place (with a
//!   [`ConfirmationPolicy`](areas::orders::ConfirmationPolicy) for IBKR's
//!   questions), modify, cancel, what-if.
//! - Alerts ([`Client::alerts`]), scanner ([`Client::scanner`]), watchlists
//!   ([`Client::watchlists`]), PnL ([`Client::pnl`]), FYI notifications
//!   ([`Client::fyi`]) and the portfolio analyst ([`Client::analyst`]).
//! - Account management ([`Client::account_management`]), for brokers and
//!   introducing firms, Web API only: applications, KYC, funding and
//!   transfers, statements and tax documents, SSO sessions.
//!
//! An operation only one variant serves fails on the other with
//! [`Error::Unsupported`]. For operations the facade does not cover, the
//! generated low-level clients are reachable through `Client::web_api`,
//! `Client::web_account_api` and `Client::gateway_api`, with the feature
//! `low-level` (see [Features](#features)).
//!
//! # Errors and IBKR's quirks
//!
//! Every failure is one [`Error`]: [`Error::Timeout`], [`Error::Transport`],
//! [`Error::NotAuthenticated`] (HTTP 401), [`Error::NoBrokerageSession`]
//! (IBKR's "no bridge"), [`Error::Http`] with IBKR's body, [`Error::Api`]
//! for an answer shaped like an IBKR error (`{"error": …}`, even under a
//! 200), and [`Error::Decode`] with the raw body. Responses are decoded
//! once, leniently, from the bytes into the facade's own types (numbers as
//! strings, `""` and `"N/A"` for missing values, a one-element list where
//! an object is expected; see [`decode`] and [`lenient`]).
//!
//! # How the facade is built
//!
//! Each method is one entry of the operation table (the `ibkr-ops` crate):
//! its endpoint on each variant, its query names, and whether it reads,
//! writes or affects an order. [`transport`] builds and sends it; no
//! generated type or signature is involved, so regenerating the low-level
//! clients from a new IBKR spec never changes this crate's build or API.
//! [`Client::supports`] tells whether an operation is served on a client's
//! variant. Which endpoints the vendored specs list comes from the same
//! crate (`ibkr_ops::routes`), so a default build of the facade never
//! compiles the generated clients.
//!
//! # Features
//!
//! - `web`, `gateway` (default): the two variants; a client of a variant
//!   left out fails to build with [`Error::Unsupported`].
//! - `rustls` (default): TLS through rustls with the `ring` provider.
//! - `schemars` (default): `schemars::JsonSchema` (schemars 1.x) for the
//!   public request and response types. `schemars::schema_for!(T)` is what
//!   `T` reads (schemars' deserialize contract: a decimal from a number or
//!   a string); `SchemaSettings::default().for_serialize()` gives what it
//!   writes (a decimal as exact text).
//! - `testing`: `ibkr_client::testing`, an embedded mock IBKR server
//!   for examples and tests.
//! - `low-level` (off by default): the generated low-level clients of the
//!   `ibkr-api` crate, of the variants enabled, wired through the facade's
//!   transport (paced, authenticated, reads retried like the facade's own
//!   requests): `Client::web_api()`, `Client::web_account_api()` and
//!   `Client::gateway_api()`, the escape hatch for the operations the
//!   facade does not cover. It compiles the generated code (the longest
//!   part of a cold build), which a build without it never does.
//!
//! # Pacing, retries and the session
//!
//! Every request waits for its slot under IBKR's documented limits
//! ([`pacing::PacingTable::for_variant`]; override with
//! [`Config::pacing`]) before its timeout starts, and fails with
//! [`Error::RateLimited`] rather than wait longer than
//! [`Config::max_pacing_wait`]. A 429 pauses only that endpoint, for its
//! `Retry-After`. Idempotent reads are retried after connection errors and
//! 429/502/503/504 ([`Config::retry`]); **order requests are sent exactly
//! once**, and an order whose outcome is unknown (a timeout, a broken
//! connection, a 502–504, a 2xx whose body is empty or unreadable) is
//! [`Error::Ambiguous`].
//! [`Client::keepalive`] keeps the session alive and the brokerage session
//! up, publishing [`supervisor::SessionState`]s.
//!
//! ```no_run
//! # async fn f() -> ibkr_client::Result<()> {
//! use std::time::Duration;
//! use ibkr_client::supervisor::SupervisorConfig;
//! use ibkr_client::{Client, Config};
//!
//! let client = Client::new(
//!     Config::gateway()
//!         .accept_self_signed_certificate()
//!         .max_pacing_wait(Duration::from_secs(10)),
//! )?;
//! let keepalive = client.keepalive(SupervisorConfig::default());
//! let positions = client.portfolio().positions("DU1234567", 0).await?;
//! # let _ = positions;
//! keepalive.shutdown().await;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod areas;
pub mod auth;
pub mod client;
pub mod config;
pub mod decode;
pub mod error;
pub mod session;
pub mod stream;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transport;

pub use auth::{AuthProvider, BearerToken, oauth1, oauth2};
pub use client::Client;
pub use config::Config;
pub use decode::lenient;
pub use error::{Error, Result, Variant};
pub use session::supervisor;
pub use transport::{pacing, retry};
