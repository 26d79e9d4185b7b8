//! Lenient decoding of the stream's numbers into [`Decimal`]s.
//!
//! IBKR sends prices, sizes and amounts as JSON numbers or as strings, the
//! latter sometimes with a prefix (`C189.50` for a prior close, `H` for
//! halted), thousands separators (`1,234.5`), a unit (`189.49 USD`), a
//! percent sign or a magnitude suffix (`52.1M`, `12.3K`).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

use crate::lenient;

/// Whether IBKR's text means "no value".
fn is_missing(s: &str) -> bool {
    matches!(s, "" | "-" | "--") || s.eq_ignore_ascii_case("n/a") || s.eq_ignore_ascii_case("null")
}

/// Parses a number as IBKR writes it (see the module docs). `None` for
/// missing values and for text that is not a number.
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if is_missing(s) {
        return None;
    }
    if let Ok(d) = Decimal::from_str(s) {
        return Some(d);
    }
    let s = s.trim_start_matches(['C', 'H', '+']);
    // A unit after the number (`189.49 USD`).
    let s = s
        .split_whitespace()
        .next()
        .unwrap_or(s)
        .trim_end_matches('%');
    let (digits, scale) = match s.as_bytes().last() {
        Some(b'K' | b'k') => (&s[..s.len() - 1], Decimal::from(1_000)),
        Some(b'M' | b'm') => (&s[..s.len() - 1], Decimal::from(1_000_000)),
        Some(b'B' | b'b') => (&s[..s.len() - 1], Decimal::from(1_000_000_000)),
        _ => (s, Decimal::ONE),
    };
    let parsed = if digits.contains(',') {
        Decimal::from_str(&digits.replace(',', "")).ok()
    } else {
        Decimal::from_str(digits).ok()
    };
    parsed.map(|d| (d * scale).normalize())
}

/// A JSON float as a decimal: its shortest round-trip text, so `189.49`
/// stays `189.49` ([`lenient::float_decimal`]); past the range of exact
/// decimals, the float's nearest decimal.
pub(crate) fn float_decimal(f: f64) -> Option<Decimal> {
    lenient::float_decimal(f).or_else(|| Decimal::from_f64_retain(f))
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(float_decimal(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(parse_decimal(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
}

/// Deserializes an optional decimal from a number, a numeric string in any
/// of IBKR's forms, `""`, `"N/A"` or `null`.
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibkr_number_forms() {
        let d = |s: &str| parse_decimal(s).map(|d| d.normalize().to_string());
        assert_eq!(d("189.49"), Some("189.49".into()));
        assert_eq!(d("C189.50"), Some("189.5".into()));
        assert_eq!(d("H12"), Some("12".into()));
        assert_eq!(d("1,234.5"), Some("1234.5".into()));
        assert_eq!(d("189.49 USD"), Some("189.49".into()));
        assert_eq!(d("52.1M"), Some("52100000".into()));
        assert_eq!(d("12.3K"), Some("12300".into()));
        assert_eq!(d("+1.25"), Some("1.25".into()));
        assert_eq!(d("0.66%"), Some("0.66".into()));
        assert_eq!(d("-0.5"), Some("-0.5".into()));
        for missing in ["", "N/A", "-", "null", "AAPL"] {
            assert_eq!(d(missing), None, "{missing:?}");
        }
        assert_eq!(float_decimal(189.49).unwrap().to_string(), "189.49");
    }
}
