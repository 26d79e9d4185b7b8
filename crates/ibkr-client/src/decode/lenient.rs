//! Lenient serde helpers for IBKR's loosely typed JSON.
//!
//! IBKR sends numbers as strings (`"12.5"`), uses `""`, `"N/A"` or `"-"` for
//! missing values, and sometimes sends booleans as strings or `0`/`1`. The
//! facade's response types use these helpers with
//! `#[serde(default, deserialize_with = "...")]` so that such bodies decode
//! instead of failing.
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Quote {
//!     #[serde(default, deserialize_with = "ibkr_client::lenient::opt_decimal")]
//!     last: Option<rust_decimal::Decimal>,
//! }
//! let q: Quote = serde_json::from_str(r#"{"last": "N/A"}"#).unwrap();
//! assert_eq!(q.last, None);
//! let q: Quote = serde_json::from_str(r#"{"last": "12.5"}"#).unwrap();
//! assert_eq!(q.last, Some(rust_decimal::Decimal::new(125, 1)));
//! ```
//!
//! # Exact decimals
//!
//! Prices, quantities and money read into [`rust_decimal::Decimal`] with
//! [`opt_decimal`], [`decimal_or_zero`] and [`decimal_map`]. They take a
//! JSON number, a numeric string, or a string with a unit or suffix
//! (`"189.49 USD"`, `"1,234.5"`, `"1.2M"`, `"12.5%"`); `""`, `"N/A"`, `"-"`
//! and `null` are `None` ([`parse_decimal`] says exactly what is read).
//!
//! Strings are parsed digit for digit. A JSON number arrives from
//! serde_json as an integer (exact) or as the `f64` nearest to its text;
//! that `f64` is read back as the decimal of its shortest round-trip text
//! (what Rust's `{}` writes; decode/float.rs, without formatting), which
//! gives the number's own digits back for every number of up to 15
//! significant digits: every price, size and amount IBKR sends. (Not `Decimal::from_f64_retain`, which would keep
//! the binary float's expansion: `189.49` as `189.490000000000009094947…`;
//! nor serde_json's `arbitrary_precision`, which would change every
//! `serde_json::Value` of the workspace.)
//!
//! ```
//! use rust_decimal::Decimal;
//!
//! #[derive(serde::Deserialize)]
//! struct Fill {
//!     #[serde(default, deserialize_with = "ibkr_client::lenient::opt_decimal")]
//!     price: Option<Decimal>,
//! }
//! let f: Fill = serde_json::from_str(r#"{"price": 189.49}"#).unwrap();
//! assert_eq!(f.price, Some(Decimal::new(18949, 2)));
//! let f: Fill = serde_json::from_str(r#"{"price": "1,189.49 USD"}"#).unwrap();
//! assert_eq!(f.price, Some(Decimal::new(118949, 2)));
//! let f: Fill = serde_json::from_str(r#"{"price": "N/A"}"#).unwrap();
//! assert_eq!(f.price, None);
//! ```

pub use ibkr_model::decode::lenient::*;
