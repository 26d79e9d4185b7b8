//! One stable async API over Interactive Brokers' two REST APIs.
#![deny(missing_docs)]

pub mod auth;
pub mod error;

pub use auth::{AuthProvider, BearerToken};
pub use error::Error;
