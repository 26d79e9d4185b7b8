//! The lenient decoding every answer goes through: the field helpers
//! ([`lenient`]) and the runtime half of `#[derive(LenientDeserialize)]`.

#[doc(hidden)]
pub mod fields;
mod float;
pub mod lenient;
#[doc(hidden)]
pub mod wire;

/// The derive of the response structs (crate `ibkr-derive`).
#[doc(hidden)]
pub use ibkr_derive::LenientDeserialize;
