//! The data of [`ibkr-client`](https://docs.rs/ibkr-client): the types IBKR's
//! answers decode into, each with one lenient `Deserialize` that reads
//! IBKR's bytes straight into it (numbers as strings, `""`/`"N/A"` for
//! missing values, a one-element list for an object), and the ids, enums
//! and exact decimals they carry.
//!
//! Use it through `ibkr-client`, which re-exports every item at the same
//! path (`ibkr_client::areas::portfolio::Position` is
//! `ibkr_model::areas::portfolio::Position`) and adds the requests that
//! fetch them. It is a crate of its own so that its derives build once, in
//! parallel with the HTTP and TLS stack, and are not expanded again when
//! the facade's request path or methods change.
#![deny(missing_docs)]

pub mod areas;
pub mod decode;

pub use decode::lenient;
