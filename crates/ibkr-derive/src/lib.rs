//! `#[derive(LenientDeserialize)]`: serde's `Deserialize` for the facade's
//! response structs, written as one compact visitor per struct.
//!
//! The facade reads almost every field through a lenient helper
//! (`#[serde(deserialize_with = "lenient::opt_string")]`, about a thousand
//! of them). serde's own derive writes a wrapper type with its own
//! `Deserialize` impl for each such field, twice (map and sequence forms),
//! plus a field-name visitor per struct; that was the largest part of the
//! facade crate's build (BENCHMARKS.md). This derive reads the same
//! `#[serde(...)]` attributes, so `Serialize` and `JsonSchema` keep
//! deriving from them, and writes:
//!
//! - one `visit_map`, and one key lookup (a switch on the key's length, then
//!   the keys of that length; aliases included) used by the shared key
//!   reader (`crates/ibkr-model/src/decode/fields.rs`, which the facade
//!   re-exports at the same path, `crate::decode::fields`);
//! - one seed per helper and field type, shared by the struct's fields that
//!   read the same way;
//! - serde's rules: unknown keys skipped, a repeated key is serde's
//!   "duplicate field" error, a missing field takes its `default` (field or
//!   struct), else `None` for an `Option` read without a helper, else
//!   serde's "missing field" error.
//!
//! A struct is read from a JSON object only: serde's derive also reads a
//! struct from an array, by position, which no IBKR answer means.
//! Attributes it does not implement (`flatten`, `from`, `borrow`, …) are
//! a compile error naming them.

mod attrs;
mod expand;

use proc_macro::TokenStream;

/// Derives `serde::Deserialize` for a struct with named fields; see the
/// crate documentation.
#[proc_macro_derive(LenientDeserialize, attributes(serde))]
pub fn lenient_deserialize(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}
