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

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Whether a string means "no value".
fn is_missing(s: &str) -> bool {
    let s = s.trim();
    s.is_empty() || s.eq_ignore_ascii_case("n/a") || s == "-" || s.eq_ignore_ascii_case("null")
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
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_f64(s),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// Interprets a JSON value as an integer.
pub(crate) fn value_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            if is_missing(s) {
                None
            } else {
                s.parse::<i64>()
                    .ok()
                    .or_else(|| parse_f64(s).filter(|f| f.fract() == 0.0).map(|f| f as i64))
            }
        }
        _ => None,
    }
}

/// Interprets a JSON value as a string.
pub(crate) fn value_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if is_missing(s) => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Interprets a JSON value as a boolean.
pub(crate) fn value_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" => Some(true),
            "false" | "0" | "no" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Deserializes an optional float from a number, a numeric string, `""`,
/// `"N/A"` or `null`. Anything else that is not a number becomes `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(value_f64))
}

/// Deserializes an optional integer from a number, a numeric string, `""`,
/// `"N/A"` or `null`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(value_i64))
}

/// Deserializes an optional string; numbers become their decimal text, and
/// `""`, `"N/A"` and `null` become `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(value_string))
}

/// Deserializes an optional boolean from `true`/`false`, `"true"`/`"false"`,
/// `0`/`1`, `""`, `"N/A"` or `null`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(value_bool))
}

/// Deserializes a boolean, treating anything missing or unreadable as `false`.
pub fn bool_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// Deserializes a list that may be `null`, missing (with `#[serde(default)]`)
/// or a single element instead of a list.
pub fn vec_or_single<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|i| serde_json::from_value(i).map_err(serde::de::Error::custom))
            .collect(),
        Some(Value::String(s)) if is_missing(&s) => Ok(Vec::new()),
        Some(other) => serde_json::from_value(other)
            .map(|one| vec![one])
            .map_err(serde::de::Error::custom),
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
}
