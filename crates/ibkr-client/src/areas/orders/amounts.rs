//! Exact numbers in an order: [`Quantity`], [`Price`], a stop-limit's two
//! prices ([`StopLimit`]) and a trailing offset ([`Trail`]), and how a
//! decimal goes out as a JSON number.

use crate::error::{Error, Result};
use crate::lenient;
pub use ibkr_model::areas::orders::amounts::*;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

// --- numbers -----------------------------------------------------------------------

/// Writes a decimal as the JSON number that reads back as the same decimal
/// (an integer when it is one); fails when no JSON number can.
pub(super) fn write_number<S: Serializer>(
    d: &Decimal,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    if d.fract().is_zero()
        && let Ok(i) = i64::try_from(d.normalize())
    {
        return s.serialize_i64(i);
    }
    match lenient::exact_f64(*d) {
        Some(f) => s.serialize_f64(f),
        None => Err(serde::ser::Error::custom(format!(
            "{d} cannot be sent exactly as a JSON number"
        ))),
    }
}

pub(super) fn write_opt_number<S: Serializer>(
    d: &Option<Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => write_number(d, s),
        None => s.serialize_none(),
    }
}

/// Whether a decimal travels exactly as a JSON number.
pub(super) fn sendable(d: Decimal) -> bool {
    d.fract().is_zero() && i64::try_from(d.normalize()).is_ok() || lenient::exact_f64(d).is_some()
}

/// Parses a decimal from text for [`Price`] and [`Quantity`].
fn parse_amount(what: &str, s: &str) -> Result<Decimal> {
    let t = s.trim();
    // Plain numbers only: no unit, suffix or thousands separator in an order.
    let plain = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    match (plain, lenient::parse_decimal(t)) {
        (true, Some(d)) => Ok(d),
        _ => Err(Error::InvalidArgument(format!("not a {what}: {s:?}"))),
    }
}

/// A finite `f64` as the decimal its shortest text writes.
fn from_float(what: &str, f: f64) -> Result<Decimal> {
    if !f.is_finite() {
        return Err(Error::InvalidArgument(format!(
            "a {what} must be finite, not {f}"
        )));
    }
    lenient::float_decimal(f)
        .ok_or_else(|| Error::InvalidArgument(format!("{what} {f} is out of range")))
}

macro_rules! amount_type {
    ($(#[$meta:meta])* $name:ident, $what:literal, $min:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(super) Decimal);

        impl $name {
            /// The value.
            pub fn new(value: Decimal) -> $name {
                $name(value)
            }

            /// The value as a decimal.
            pub fn get(self) -> Decimal {
                self.0
            }
        }

        impl From<Decimal> for $name {
            fn from(d: Decimal) -> $name {
                $name(d)
            }
        }

        impl From<$name> for Decimal {
            fn from(v: $name) -> Decimal {
                v.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> $name {
                $name(Decimal::from(v))
            }
        }

        impl From<i32> for $name {
            fn from(v: i32) -> $name {
                $name(Decimal::from(v))
            }
        }

        impl From<u32> for $name {
            fn from(v: u32) -> $name {
                $name(Decimal::from(v))
            }
        }

        /// From a float: refused unless finite; the decimal is the float's
        /// shortest text (`0.1` is `0.1`).
        impl TryFrom<f64> for $name {
            type Error = Error;
            fn try_from(f: f64) -> Result<$name> {
                from_float($what, f).map($name)
            }
        }

        /// From plain decimal text (`"189.50"`; no unit or separators).
        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name> {
                parse_amount($what, s).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// A JSON number with the decimal's exact digits.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                write_number(&self.0, s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                lenient::opt_decimal(d)?
                    .map($name)
                    .ok_or_else(|| serde::de::Error::custom(concat!("a ", $what)))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let min: Option<f64> = $min;
                match min {
                    Some(m) => schemars::json_schema!({ "type": "number", "exclusiveMinimum": m }),
                    None => schemars::json_schema!({ "type": "number" }),
                }
            }
        }
    };
}

amount_type!(
    /// An order's size in units of the instrument (shares, contracts; a
    /// fraction where IBKR allows fractional orders). Must be positive
    /// to be sent.
    Quantity,
    "quantity",
    Some(0.0)
);

amount_type!(
    /// A price in the instrument's currency: a limit, a stop, a cap. Any
    /// sign (some combinations trade at negative prices).
    Price,
    "price",
    None
);

/// A stop-limit's two prices, by name: the stop that triggers it and the
/// limit it then works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StopLimit {
    /// The trigger (`auxPrice`).
    pub stop: Price,
    /// The limit once triggered (`price`).
    pub limit: Price,
}
