//! Lenient readers the areas share, on top of [`lenient`]: maps of
//! scalars, lists by key, IBKR's codes as enums, and answers that IBKR and
//! its specs wrap differently. All read in place, without a
//! `serde_json::Value`.

use crate::areas::ids::{AccountId, Conid};
use crate::lenient;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// An object key, borrowed from the body when it has no escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

pub struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// A scalar read as text ([`lenient::opt_string`]).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Text(#[serde(deserialize_with = "lenient::opt_string")] pub Option<String>);

/// A scalar read as an exact decimal ([`decimal`]).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Dec(#[serde(deserialize_with = "decimal")] pub Option<Decimal>);

/// An optional exact decimal, read as [`lenient::opt_decimal`] reads it (a
/// number, a numeric string, a string with a unit or suffix; `""`,
/// `"N/A"`, `null`, booleans and containers are `None`), without the
/// scalar it is read from: the large pages (positions, option chains)
/// carry a dozen decimals a row.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

pub struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(lenient::float_decimal(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(lenient::parse_decimal(v))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A scalar read as an integer ([`lenient::opt_i64`]).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Int(#[serde(deserialize_with = "lenient::opt_i64")] pub Option<i64>);

/// A list, a single element or `null` ([`lenient::vec_or_single`]).
#[derive(Deserialize)]
#[serde(transparent, bound = "T: DeserializeOwned")]
pub struct Many<T>(#[serde(deserialize_with = "lenient::vec_or_single")] pub Vec<T>);

impl From<Text> for Option<String> {
    fn from(t: Text) -> Self {
        t.0
    }
}

impl From<Dec> for Option<Decimal> {
    fn from(d: Dec) -> Self {
        d.0
    }
}

impl<T> From<Many<T>> for Option<Vec<T>> {
    fn from(m: Many<T>) -> Self {
        Some(m.0)
    }
}

/// Reads an object into a map, each value through `W`, skipping the
/// values `W` reads as missing. Anything but an object is an empty map.
pub fn present<'de, D, W, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    W: Deserialize<'de> + Into<Option<T>>,
{
    d.deserialize_any(Present::<W, T>(PhantomData))
}

pub struct Present<W, T>(PhantomData<(W, T)>);

impl<W, T> Present<W, T> {
    fn empty<E>() -> Result<BTreeMap<String, T>, E> {
        Ok(BTreeMap::new())
    }
}

impl<'de, W, T> Visitor<'de> for Present<W, T>
where
    W: Deserialize<'de> + Into<Option<T>>,
{
    type Value = BTreeMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, W>()? {
            if let Some(value) = value.into() {
                out.insert(key, value);
            }
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Self::empty()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Self::empty()
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Self::empty()
    }
}

/// An object of scalars as text by key.
pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    present::<D, Text, String>(d)
}

/// A list of numbers (or numeric strings) as exact decimals; unreadable
/// items are skipped.
pub fn decimal_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
    let Many(items) = Many::<Dec>::deserialize(d)?;
    Ok(items.into_iter().filter_map(|v| v.0).collect())
}

/// A list of numbers (or numeric strings) as exact decimals, each in its
/// place: an unreadable item is `None`, so the values stay aligned with a
/// list beside them (a series' dates).
pub fn aligned_decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<Decimal>>, D::Error> {
    let Many(items) = Many::<Dec>::deserialize(d)?;
    Ok(items.into_iter().map(|v| v.0).collect())
}

/// An optional IBKR code (`"STK"`, `"C"`, `"Submitted"`) as one of the
/// facade's code enums (each reads any text, unknown codes into its
/// `Other`); `null`, `""`, `"-"` and `"N/A"` are `None`. A known code is
/// read from the body's text without allocating.
pub fn opt_code<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    d.deserialize_any(CodeVisitor(PhantomData))
}

pub struct CodeVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> CodeVisitor<T> {
    fn code<E>(text: &str) -> Result<Option<T>, E> {
        let t = lenient::trimmed(text);
        let missing = matches!(t, "" | "-")
            || t.eq_ignore_ascii_case("n/a")
            || t.eq_ignore_ascii_case("null");
        Ok((!missing).then(|| T::from(text)))
    }
}

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for CodeVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a code")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Self::code(v)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Self::code(&v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Self::code(&v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Self::code(&v.to_string())
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Self::code(if v { "true" } else { "false" })
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A list of account ids (a list, one id, or comma-separated text).
pub fn account_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AccountId>, D::Error> {
    Ok(lenient::string_list(d)?
        .into_iter()
        .map(AccountId::from)
        .collect())
}

/// A scalar read as a contract id ([`ids::opt_conid`](crate::areas::ids::opt_conid)).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct ConidField(
    #[serde(deserialize_with = "crate::areas::ids::opt_conid")] pub Option<Conid>,
);

/// An object of objects by key (`{"U1": {…}, "U2": {…}}`), each read as
/// `T`; `null` entries are left out, and anything but an object is an
/// empty map.
pub fn map_of<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    present::<D, Option<T>, T>(d)
}

/// `{"key": [T, …] or T, …}`: lists by key (account ids, symbols).
pub fn lists_by_key<'de, D, T>(d: D) -> Result<BTreeMap<String, Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    present::<D, Many<T>, Vec<T>>(d)
}

/// Lists by key, as a type to fetch.
#[derive(Deserialize)]
#[serde(transparent, bound = "T: DeserializeOwned")]
pub struct ByKey<T>(#[serde(deserialize_with = "lists_by_key")] pub BTreeMap<String, Vec<T>>);

impl<T> Default for ByKey<T> {
    fn default() -> Self {
        ByKey(BTreeMap::new())
    }
}

/// An object that wraps an answer under one key (`{"secdef": […]}`).
pub trait Wrapper: DeserializeOwned {
    /// The key.
    const KEY: &'static str;
}

/// An answer that comes either as is (`T`) or wrapped in an object
/// (`W`, such as `{"secdef": […]}`): IBKR and its specs disagree on
/// which for some endpoints, so both are read. An object with `W`'s
/// key is read as `W` (and fails if `W` cannot read it), anything else
/// as `T`.
pub enum Wrapped<W, T> {
    /// The wrapping object.
    Wrapper(W),
    /// The answer as is.
    Plain(T),
}

impl<'de, W: Wrapper, T: DeserializeOwned> Deserialize<'de> for Wrapped<W, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // These answers are small (a contract's rules, a page of bars,
        // at most 200 definitions): buffered once to look for the key.
        let value = serde_json::Value::deserialize(d)?;
        if value.get(W::KEY).is_some() {
            serde_json::from_value(value)
                .map(Wrapped::Wrapper)
                .map_err(de::Error::custom)
        } else {
            serde_json::from_value(value)
                .map(Wrapped::Plain)
                .map_err(de::Error::custom)
        }
    }
}

/// Declares a [`Wrapper`]: `wrapper!(Name, "key" => Inner)` (with an
/// optional `deserialize_with` for the wrapped value) is the struct
/// `{"key": Inner}`, its key, and its unwrapping into `Inner`.
macro_rules! wrapper {
    ($(#[$doc:meta])* $name:ident, $key:literal => $inner:ty $(, with = $with:literal)?) => {
        $(#[$doc])*
        #[doc(hidden)]
        #[derive(serde::Deserialize)]
        pub struct $name {
            #[serde(rename = $key $(, deserialize_with = $with)?)]
            inner: $inner,
        }

        impl $crate::decode::wire::Wrapper for $name {
            const KEY: &'static str = $key;
        }

        impl From<$name> for $inner {
            fn from(w: $name) -> Self {
                w.inner
            }
        }
    };
}
pub(crate) use wrapper;

impl<W, T: Default> Default for Wrapped<W, T> {
    fn default() -> Self {
        Wrapped::Plain(T::default())
    }
}

impl<W: Into<T>, T> Wrapped<W, T> {
    /// The answer, unwrapped.
    pub fn into_inner(self) -> T {
        match self {
            Wrapped::Wrapper(w) => w.into(),
            Wrapped::Plain(t) => t,
        }
    }
}

/// The items of a list answer whose items may be wrappers of lists.
pub fn flatten<W: Into<Vec<T>>, T>(items: Vec<Wrapped<W, T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Wrapped::Wrapper(w) => out.extend(w.into()),
            Wrapped::Plain(t) => out.push(t),
        }
    }
    out
}

/// A list of at most one `T` (or a single `T`, or `null`): the `T`, or
/// `T::default()` for none. A longer list is an error, not a dropped
/// item.
pub fn at_most_one<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let Many(items) = Many::<T>::deserialize(d)?;
    if items.len() > 1 {
        return Err(de::Error::custom(format!(
            "a list of {} items where one was expected",
            items.len()
        )));
    }
    Ok(items.into_iter().next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::areas::orders::SecurityType;

    #[test]
    fn decimals_and_codes_from_any_scalar() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "decimal")]
            d: Option<Decimal>,
            #[serde(default, deserialize_with = "opt_code")]
            c: Option<SecurityType>,
        }
        for (json, d, c) in [
            (
                r#"{"d": 1.5, "c": "STK"}"#,
                Some("1.5"),
                Some(SecurityType::Stock),
            ),
            (
                r#"{"d": "1,234.50 USD", "c": " opt "}"#,
                Some("1234.50"),
                Some(SecurityType::Option),
            ),
            (r#"{"d": 7, "c": "N/A"}"#, Some("7"), None),
            (r#"{"d": "C1.5", "c": ""}"#, None, None),
            (r#"{"d": null, "c": null}"#, None, None),
            (
                r#"{"d": true, "c": "XYZ"}"#,
                None,
                Some(SecurityType::Other("XYZ".into())),
            ),
            (r#"{"d": [1], "c": {"a": 1}}"#, None, None),
            (r#"{}"#, None, None),
        ] {
            let row: Row = serde_json::from_str(json).unwrap();
            assert_eq!(row.d, d.map(|d| Decimal::from_str(d).unwrap()), "{json}");
            assert_eq!(row.c, c, "{json}");
            // The same from a buffered value.
            let row: Row = serde_json::from_value(serde_json::from_str(json).unwrap()).unwrap();
            assert_eq!(row.d, d.map(|d| Decimal::from_str(d).unwrap()), "{json}");
        }
    }
}
