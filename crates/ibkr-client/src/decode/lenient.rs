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
//!     #[serde(default, deserialize_with = "ibkr_client::lenient::opt_f64")]
//!     last: Option<f64>,
//! }
//! let q: Quote = serde_json::from_str(r#"{"last": "N/A"}"#).unwrap();
//! assert_eq!(q.last, None);
//! let q: Quote = serde_json::from_str(r#"{"last": "12.5"}"#).unwrap();
//! assert_eq!(q.last, Some(12.5));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Whether a string means "no value".
fn is_missing(s: &str) -> bool {
    // Called for every string field: decide by length first.
    let s = s.trim();
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
    let s = s.trim();
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
pub(crate) fn value_f64(v: &Value) -> Option<f64> {
    Scalar::of(v).f64()
}

/// Interprets a JSON value as an integer.
pub(crate) fn value_i64(v: &Value) -> Option<i64> {
    Scalar::of(v).i64()
}

/// Interprets a JSON value as a string.
pub(crate) fn value_string(v: &Value) -> Option<String> {
    Scalar::of(v).string()
}

/// Interprets a JSON value as a boolean.
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

    fn i64(&self) -> Option<i64> {
        match self {
            Scalar::I64(v) => Some(*v),
            Scalar::U64(v) => i64::try_from(*v).ok(),
            Scalar::F64(f) => (f.fract() == 0.0).then_some(*f as i64),
            Scalar::Str(s) => {
                let s = s.trim();
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
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Scalar::deserialize(d)?.f64())
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
