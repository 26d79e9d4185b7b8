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
//!     #[serde(default, deserialize_with = "ibkr_model::lenient::opt_decimal")]
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
//!     #[serde(default, deserialize_with = "ibkr_model::lenient::opt_decimal")]
//!     price: Option<Decimal>,
//! }
//! let f: Fill = serde_json::from_str(r#"{"price": 189.49}"#).unwrap();
//! assert_eq!(f.price, Some(Decimal::new(18949, 2)));
//! let f: Fill = serde_json::from_str(r#"{"price": "1,189.49 USD"}"#).unwrap();
//! assert_eq!(f.price, Some(Decimal::new(118949, 2)));
//! let f: Fill = serde_json::from_str(r#"{"price": "N/A"}"#).unwrap();
//! assert_eq!(f.price, None);
//! ```

use rust_decimal::Decimal;
use serde::de::{self, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// `s` without surrounding whitespace, as [`str::trim`], with a shortcut
/// for the usual case: text that starts and ends with a printable ASCII
/// character (never whitespace) is returned as it is. Every string field
/// goes through here, and the general trim decodes characters from both
/// ends.
#[inline]
pub(crate) fn trimmed(s: &str) -> &str {
    let printable = |b: &u8| (0x21..0x7f).contains(b);
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if printable(first) && printable(last) => s,
        _ => s.trim(),
    }
}

/// Whether a string means "no value".
#[inline]
fn is_missing(s: &str) -> bool {
    // Called for every string field: decide by length first.
    let s = trimmed(s);
    match s.len() {
        0 => true,
        1 => s == "-",
        3 => s.eq_ignore_ascii_case("n/a"),
        4 => s.eq_ignore_ascii_case("null"),
        _ => false,
    }
}

/// Parses a number written the way IBKR writes them: `"1,234.5"`, `"12.5%"`,
/// `"C12.5"` (closing price prefix) and `"H12.5"` (halted) are accepted.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    let s = trimmed(s);
    if is_missing(s) {
        return None;
    }
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    let cleaned: String = s
        .trim_start_matches(['C', 'H'])
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    cleaned.parse::<f64>().ok()
}

/// Interprets a JSON value as a float.
#[cfg(test)]
pub(crate) fn value_f64(v: &Value) -> Option<f64> {
    Scalar::of(v).f64()
}

/// Interprets a JSON value as an exact decimal (see [`opt_decimal`]).
#[cfg(test)]
pub(crate) fn value_decimal(v: &Value) -> Option<Decimal> {
    Scalar::of(v).decimal()
}

/// Interprets a JSON value as an integer.
#[cfg(test)]
pub(crate) fn value_i64(v: &Value) -> Option<i64> {
    Scalar::of(v).i64()
}

/// Interprets a JSON value as a string.
pub(crate) fn value_string(v: &Value) -> Option<String> {
    Scalar::of(v).string()
}

/// Interprets a JSON value as a boolean.
#[cfg(test)]
pub(crate) fn value_bool(v: &Value) -> Option<bool> {
    Scalar::of(v).bool()
}

/// One JSON value as the lenient helpers see it: a scalar, read without
/// building a [`Value`] (no allocation for numbers and unescaped strings),
/// or `Other` for an object or array, which is skipped.
enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'a, str>),
    Other,
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

impl<'a> Scalar<'a> {
    /// The scalar a parsed value holds (strings borrowed).
    fn of(v: &'a Value) -> Scalar<'a> {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Scalar::I64(i),
                (None, Some(u), _) => Scalar::U64(u),
                (None, None, Some(f)) => Scalar::F64(f),
                _ => Scalar::Other,
            },
            Value::String(s) => Scalar::Str(Cow::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => Scalar::Other,
        }
    }

    #[cfg(test)]
    fn f64(&self) -> Option<f64> {
        match self {
            Scalar::F64(v) => Some(*v),
            Scalar::I64(v) => Some(*v as f64),
            Scalar::U64(v) => Some(*v as f64),
            Scalar::Str(s) => parse_f64(s),
            Scalar::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Scalar::Null | Scalar::Other => None,
        }
    }

    fn decimal(&self) -> Option<Decimal> {
        match self {
            Scalar::I64(v) => Some(Decimal::from(*v)),
            Scalar::U64(v) => Some(Decimal::from(*v)),
            Scalar::F64(v) => float_decimal(*v),
            Scalar::Str(s) => parse_decimal(s),
            // A boolean is no amount.
            Scalar::Bool(_) | Scalar::Null | Scalar::Other => None,
        }
    }

    fn i64(&self) -> Option<i64> {
        match self {
            Scalar::I64(v) => Some(*v),
            Scalar::U64(v) => i64::try_from(*v).ok(),
            Scalar::F64(f) => (f.fract() == 0.0).then_some(*f as i64),
            Scalar::Str(s) => {
                let s = trimmed(s);
                if is_missing(s) {
                    None
                } else {
                    s.parse::<i64>()
                        .ok()
                        .or_else(|| parse_f64(s).filter(|f| f.fract() == 0.0).map(|f| f as i64))
                }
            }
            Scalar::Bool(_) | Scalar::Null | Scalar::Other => None,
        }
    }

    fn string(self) -> Option<String> {
        match self {
            Scalar::Str(s) if is_missing(&s) => None,
            Scalar::Str(s) => Some(s.into_owned()),
            Scalar::I64(v) => Some(v.to_string()),
            Scalar::U64(v) => Some(v.to_string()),
            // As serde_json prints a float (`1.0`, not `1`).
            Scalar::F64(v) => serde_json::Number::from_f64(v).map(|n| n.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Null | Scalar::Other => None,
        }
    }

    fn bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::I64(v) => Some(*v != 0),
            Scalar::U64(v) => Some(*v != 0),
            Scalar::F64(v) => Some(*v != 0.0),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "y" => Some(true),
                "false" | "0" | "no" | "n" => Some(false),
                _ => None,
            },
            Scalar::Null | Scalar::Other => None,
        }
    }
}

/// Deserializes an optional float from a number, a numeric string, `""`,
/// `"N/A"` or `null`. Anything else that is not a number becomes `None`.
/// Test-only: the facade carries numbers as exact decimals ([`opt_decimal`]).
#[cfg(test)]
fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Scalar::deserialize(d)?.f64())
}

/// Deserializes an optional exact decimal from a number, a numeric string
/// or a string with a unit or suffix (see [`parse_decimal`]); `""`,
/// `"N/A"`, `"-"`, `null`, booleans, objects and other text are `None`.
/// Numbers keep their digits (see the module docs).
pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Ok(Scalar::deserialize(d)?.decimal())
}

/// Like [`opt_decimal`], with anything missing or unreadable as zero (for
/// fields where IBKR's "no value" means none, such as a commission).
pub fn decimal_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    Ok(opt_decimal(d)?.unwrap_or(Decimal::ZERO))
}

/// Deserializes an object of amounts (`{"USD": "1,234.5", "EUR": 10}`) into
/// a map; entries whose value is not a number (see [`opt_decimal`]) are
/// left out, and `null` or a non-object is an empty map.
pub fn decimal_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Decimal>, D::Error> {
    d.deserialize_any(DecimalMap)
}

struct DecimalMap;

impl<'de> Visitor<'de> for DecimalMap {
    type Value = BTreeMap<String, Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of amounts")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<Cow<'de, str>, Scalar<'de>>()? {
            if let Some(d) = value.decimal() {
                out.insert(key.into_owned(), d);
            }
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(BTreeMap::new())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
}

#[doc(hidden)]
pub use super::float::{exact_f64, float_decimal};

/// A small `fmt::Write` target on the stack; writing past its end fails.
pub(super) struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    pub(super) fn new() -> Self {
        StackText {
            bytes: [0; N],
            len: 0,
        }
    }
    fn push(&mut self, b: u8) -> Option<()> {
        *self.bytes.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }
    pub(super) fn as_str(&self) -> &str {
        // Only ASCII (or whole UTF-8 strings from `write_str`) goes in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl<const N: usize> fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > N {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Parses an amount the way IBKR writes them, exactly:
///
/// - a plain number: `189.49`, `-3`, `+1.5`, `1.5E-4`;
/// - with thousands separators: `1,234,567.5`;
/// - with a unit after a space: `189.49 USD`, `1,500.00 USD`;
/// - with a percent sign: `12.5%` is `12.5` (the number as written, not
///   divided by 100);
/// - with a magnitude suffix: `1.2K`, `1.2M`, `3B` (thousand, million,
///   billion; either case), `1.2T` (trillion).
///
/// `""`, `"N/A"`, `"-"`, `"--"` and `"null"` are `None`, and so is text
/// that is anything else: a letter before the number (IBKR's `C189.50`
/// prior close or `H` halted price is not read as a price), two numbers,
/// a bare unit.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = trimmed(s);
    if is_missing(s) || s == "--" {
        return None;
    }
    // The common case: a plain decimal number.
    if let Ok(d) = Decimal::from_str(s) {
        return plain_number(s).then_some(d);
    }
    // Split off a unit (`189.49 USD`), then a percent or magnitude suffix.
    let (number, unit) = match s.split_once(char::is_whitespace) {
        Some((n, u)) => (n, u.trim()),
        None => (s, ""),
    };
    // A unit is a word (`USD`, `shares`); a lone letter could be a
    // magnitude written apart (`1.2 M`), so it is refused.
    if !unit.is_empty() && (unit.len() < 2 || !unit.bytes().all(|b| b.is_ascii_alphabetic())) {
        return None;
    }
    let (digits, scale) = match number.as_bytes().last()? {
        b'%' => (&number[..number.len() - 1], None),
        b'K' | b'k' => (&number[..number.len() - 1], Some(Decimal::from(1_000u32))),
        b'M' | b'm' => (
            &number[..number.len() - 1],
            Some(Decimal::from(1_000_000u32)),
        ),
        b'B' | b'b' => (
            &number[..number.len() - 1],
            Some(Decimal::from(1_000_000_000u32)),
        ),
        b'T' => (
            &number[..number.len() - 1],
            Some(Decimal::from(1_000_000_000_000u64)),
        ),
        _ => (number, None),
    };
    if !unit.is_empty() && (scale.is_some() || digits.len() != number.len()) {
        // `1.2M USD` or `5% USD`: not a shape IBKR sends; refuse rather than guess.
        return None;
    }
    let value = parse_grouped(digits)?;
    match scale {
        None => Some(value),
        Some(scale) => value.checked_mul(scale).map(|d| d.normalize()),
    }
}

/// Whether `s` (which [`Decimal::from_str`] accepted) is a number as JSON
/// or IBKR write one: digits, one point, a sign, an exponent; not
/// `Decimal`'s own extras such as `_` separators or a `0x` prefix.
fn plain_number(s: &str) -> bool {
    let mut digits = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => {}
            b'+' | b'-' => {
                let prev = i.checked_sub(1).map(|p| s.as_bytes()[p]);
                if !matches!(prev, None | Some(b'e' | b'E')) {
                    return false;
                }
            }
            b'e' | b'E' if digits > 0 => {}
            _ => return false,
        }
    }
    digits > 0 && s.bytes().filter(|b| *b == b'.').count() <= 1
}

/// A number with optional `,` thousands separators (in groups of three
/// after the first), parsed without allocating.
fn parse_grouped(s: &str) -> Option<Decimal> {
    if !s.contains(',') {
        return if plain_number(s) {
            parse_exact(s)
        } else {
            None
        };
    }
    let int = s.split_once('.').map_or(s, |(int, _)| int);
    let mut groups = int.trim_start_matches(['+', '-']).split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
        return None;
    }
    let mut buf = StackText::<64>::new();
    for b in s.bytes().filter(|b| *b != b',') {
        buf.push(b)?;
    }
    let text = buf.as_str();
    if plain_number(text) {
        parse_exact(text)
    } else {
        None
    }
}

/// [`Decimal::from_str`], or its scientific form for an exponent.
fn parse_exact(s: &str) -> Option<Decimal> {
    if s.bytes().any(|b| b == b'e' || b == b'E') {
        return Decimal::from_scientific(s).ok();
    }
    Decimal::from_str(s).ok()
}

/// Deserializes an optional integer from a number, a numeric string, `""`,
/// `"N/A"` or `null`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Scalar::deserialize(d)?.i64())
}

/// Deserializes an optional string; numbers become their decimal text, and
/// `""`, `"N/A"` and `null` become `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Scalar::deserialize(d)?.string())
}

/// Deserializes an optional boolean from `true`/`false`, `"true"`/`"false"`,
/// `0`/`1`, `""`, `"N/A"` or `null`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Scalar::deserialize(d)?.bool())
}

/// Deserializes a boolean, treating anything missing or unreadable as `false`.
pub fn bool_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// Deserializes a list that may be `null`, missing (with `#[serde(default)]`)
/// or a single element instead of a list. Elements are read in place, without
/// an intermediate [`Value`].
pub fn vec_or_single<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    d.deserialize_any(VecOrSingle(PhantomData))
}

struct VecOrSingle<T>(PhantomData<T>);

impl<T> VecOrSingle<T> {
    fn one<'de, E: de::Error>(d: impl Deserializer<'de, Error = E>) -> Result<Vec<T>, E>
    where
        T: serde::de::DeserializeOwned,
    {
        T::deserialize(d).map(|one| vec![one])
    }
}

impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for VecOrSingle<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list, a single element or null")
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<T>()? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        Self::one(de::value::MapAccessDeserializer::new(map))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if is_missing(v) {
            return Ok(Vec::new());
        }
        Self::one(v.into_deserializer())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        Self::one(v.into_deserializer())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
        Self::one(v.into_deserializer())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
        Self::one(v.into_deserializer())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
        Self::one(v.into_deserializer())
    }
}

/// Deserializes a list of strings from a list (whose elements may be numbers)
/// or a comma-separated string.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(value_string).collect(),
        Some(Value::String(s)) => s
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !is_missing(p))
            .map(String::from)
            .collect(),
        Some(other) => value_string(&other).into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_trim_shortcut_agrees_with_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\t12.5\n",
            "N/A",
            "\u{a0}1\u{a0}",
            "\u{3000}x",
            "é",
            "x\u{2003}",
            "1,234.5 USD",
            "\u{7f}",
        ] {
            assert_eq!(trimmed(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(value_f64(&json!("1,234.5")), Some(1234.5));
        assert_eq!(value_f64(&json!("C12.5")), Some(12.5));
        assert_eq!(value_f64(&json!("N/A")), None);
        assert_eq!(value_f64(&json!("")), None);
        assert_eq!(value_i64(&json!("42")), Some(42));
        assert_eq!(value_i64(&json!(42.0)), Some(42));
        assert_eq!(value_i64(&json!("x")), None);
        assert_eq!(value_string(&json!(7)), Some("7".into()));
        assert_eq!(value_bool(&json!("true")), Some(true));
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn decimals_from_text() {
        for (text, expected) in [
            ("189.49", Some("189.49")),
            ("  189.49 ", Some("189.49")),
            ("-3", Some("-3")),
            ("+1.5", Some("1.5")),
            ("0.00001", Some("0.00001")),
            ("1.5E-4", Some("0.00015")),
            ("1,234.5", Some("1234.5")),
            ("-1,234,567.25", Some("-1234567.25")),
            ("189.49 USD", Some("189.49")),
            ("1,500.00 USD", Some("1500.00")),
            ("12.5%", Some("12.5")),
            ("-0.25%", Some("-0.25")),
            ("1.2M", Some("1200000")),
            ("52.1K", Some("52100")),
            ("3b", Some("3000000000")),
            ("1.25T", Some("1250000000000")),
            ("", None),
            ("N/A", None),
            ("n/a", None),
            ("-", None),
            ("--", None),
            ("null", None),
            ("C189.50", None),
            ("H189.50", None),
            ("USD", None),
            ("1.2 M", None),
            ("1 2", None),
            ("1,23.5", None),
            ("12,3456", None),
            ("1.2.3", None),
            ("1_000", None),
            ("0x10", None),
            ("1.2M USD", None),
            ("%", None),
            ("abc", None),
        ] {
            assert_eq!(parse_decimal(text), expected.map(dec), "{text:?}");
        }
        // Scale is kept as written.
        assert_eq!(parse_decimal("150.00").unwrap().to_string(), "150.00");
    }

    #[test]
    fn decimals_from_json_numbers_keep_their_digits() {
        #[derive(Deserialize)]
        struct P {
            #[serde(default, deserialize_with = "opt_decimal")]
            p: Option<Decimal>,
        }
        for (json, expected) in [
            ("189.49", Some("189.49")),
            ("0.1", Some("0.1")),
            ("150", Some("150")),
            ("-2.5", Some("-2.5")),
            ("123456789.123456", Some("123456789.123456")),
            ("18446744073709551615", Some("18446744073709551615")),
            ("1e-7", Some("0.0000001")),
            ("true", None),
            ("null", None),
            ("{\"a\": 1}", None),
            ("[1]", None),
            ("\"N/A\"", None),
            ("\"1,234.5 USD\"", Some("1234.5")),
        ] {
            let body = format!("{{\"p\": {json}}}");
            let got: P = serde_json::from_str(&body).unwrap();
            assert_eq!(got.p, expected.map(dec), "{json}");
            let from_value: P =
                serde_json::from_value(serde_json::from_str(&body).unwrap()).unwrap();
            assert_eq!(from_value.p, expected.map(dec), "{json} from a Value");
        }
        assert_eq!(float_decimal(f64::NAN), None);
        assert_eq!(float_decimal(f64::INFINITY), None);
        assert_eq!(float_decimal(1e300), None);
        assert_eq!(value_decimal(&json!("2.50")), Some(dec("2.5")));
    }

    #[test]
    fn decimal_maps_and_zero() {
        #[derive(Deserialize)]
        struct M {
            #[serde(default, deserialize_with = "decimal_map")]
            m: BTreeMap<String, Decimal>,
            #[serde(default, deserialize_with = "decimal_or_zero")]
            z: Decimal,
        }
        let v: M = serde_json::from_str(
            r#"{"m": {"USD": "1,234.5", "EUR": 10, "x": "N/A", "o": {}}, "z": ""}"#,
        )
        .unwrap();
        assert_eq!(v.m.len(), 2);
        assert_eq!(v.m["USD"], dec("1234.5"));
        assert_eq!(v.m["EUR"], dec("10"));
        assert_eq!(v.z, Decimal::ZERO);
        let v: M = serde_json::from_str(r#"{"m": null, "z": 1.5}"#).unwrap();
        assert!(v.m.is_empty());
        assert_eq!(v.z, dec("1.5"));
        let v: M = serde_json::from_str(r#"{"m": [1, 2]}"#).unwrap();
        assert!(v.m.is_empty());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "opt_f64")]
        f: Option<f64>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "vec_or_single")]
        v: Vec<i64>,
    }

    /// The helpers give the same answers from bytes and from a `Value`
    /// (the two ways the facade decodes), for every JSON shape.
    #[test]
    fn helpers_read_every_shape_from_bytes_and_values() {
        let cases = [
            (
                json!({"f": "1,234.5", "i": "42", "s": 7, "b": "true", "v": 3}),
                Row {
                    f: Some(1234.5),
                    i: Some(42),
                    s: Some("7".into()),
                    b: Some(true),
                    v: vec![3],
                },
            ),
            (
                json!({"f": 2, "i": 42.0, "s": 1.0, "b": 0, "v": [1, 2]}),
                Row {
                    f: Some(2.0),
                    i: Some(42),
                    s: Some("1.0".into()),
                    b: Some(false),
                    v: vec![1, 2],
                },
            ),
            (
                json!({"f": "N/A", "i": "", "s": "-", "b": "maybe", "v": null}),
                Row {
                    f: None,
                    i: None,
                    s: None,
                    b: None,
                    v: vec![],
                },
            ),
            (
                json!({"f": {"x": 1}, "i": [1], "s": {"a": [1, {"b": 2}]}, "b": null, "v": ""}),
                Row {
                    f: None,
                    i: None,
                    s: None,
                    b: None,
                    v: vec![],
                },
            ),
            (
                json!({"s": "tab\tescaped", "i": 1.5}),
                Row {
                    f: None,
                    i: None,
                    s: Some("tab\tescaped".into()),
                    b: None,
                    v: vec![],
                },
            ),
            (
                json!({}),
                Row {
                    f: None,
                    i: None,
                    s: None,
                    b: None,
                    v: vec![],
                },
            ),
        ];
        for (value, expected) in cases {
            let from_bytes: Row = serde_json::from_slice(value.to_string().as_bytes()).unwrap();
            assert_eq!(from_bytes, expected, "{value}");
            let from_value: Row = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(from_value, expected, "{value}");
        }
        // A list element of the wrong type is an error, not a silent drop.
        assert!(serde_json::from_str::<Row>(r#"{"v": ["x"]}"#).is_err());
    }
}
