//! The runtime half of `#[derive(LenientDeserialize)]` (crate
//! `ibkr-derive`): what every derived visitor shares, so each struct's own
//! code is a table of keys and one line per field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};

/// Reads one object key and gives the index of the field it names, or
/// [`Keys::UNKNOWN`]. The table lists every key a struct reads (aliases
/// too) with its field's index. IBKR sends a type's keys in the same order
/// every time, so the search starts after the previous key's entry: a row
/// of a list costs one comparison a key.
pub(crate) struct Keys {
    table: &'static [(&'static str, usize)],
    next: usize,
    /// Whether an unknown key is kept for [`Keys::take_unknown`] (a struct
    /// with a `#[serde(flatten)]` map of the other keys).
    keep: bool,
    unknown: String,
}

impl Keys {
    /// What a key no field reads maps to.
    pub(crate) const UNKNOWN: usize = usize::MAX;

    #[inline]
    pub(crate) fn new(table: &'static [(&'static str, usize)]) -> Keys {
        Keys {
            table,
            next: 0,
            keep: false,
            unknown: String::new(),
        }
    }

    /// As [`Keys::new`], keeping each unknown key for
    /// [`Keys::take_unknown`].
    pub(crate) fn keeping_unknown(table: &'static [(&'static str, usize)]) -> Keys {
        Keys {
            keep: true,
            ..Keys::new(table)
        }
    }

    /// The unknown key just read (by a [`Keys::keeping_unknown`]).
    pub(crate) fn take_unknown(&mut self) -> String {
        std::mem::take(&mut self.unknown)
    }

    #[inline]
    fn find(&mut self, key: &str) -> usize {
        let n = self.table.len();
        let start = if self.next < n { self.next } else { 0 };
        let (head, tail) = self.table.split_at(start);
        for (offset, (name, field)) in tail.iter().chain(head).enumerate() {
            if *name == key {
                self.next = (start + offset + 1) % n.max(1);
                return *field;
            }
        }
        if self.keep {
            self.unknown = key.to_owned();
        }
        Keys::UNKNOWN
    }
}

impl<'de> DeserializeSeed<'de> for &mut Keys {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for &mut Keys {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(self.find(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        match std::str::from_utf8(v) {
            Ok(key) => Ok(self.find(key)),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
    /// An integer key (no JSON answer has one) is read as its digits.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        Ok(self.find(&v.to_string()))
    }
}

/// Stores a field's value, or fails with serde's "duplicate field" error
/// when the key came before.
#[inline]
pub(crate) fn put<T, E: de::Error>(
    slot: &mut Option<T>,
    value: T,
    key: &'static str,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

/// A field that was not sent and has no `default`, as serde's derive reads
/// it: `None` for an `Option` (any type whose `Deserialize` asks for an
/// option), serde's "missing field" error for anything else.
pub(crate) fn missing<'de, T: Deserialize<'de>, E: de::Error>(key: &'static str) -> Result<T, E> {
    T::deserialize(Missing(key, PhantomData))
}

struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    //! The derive against serde's own on the same attributes: each case is
    //! decoded by both and must agree, value for value or error for error.

    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::Value;

    use crate::decode::LenientDeserialize;
    use crate::lenient;

    fn seven() -> Option<i64> {
        Some(7)
    }

    macro_rules! twins {
        ($(#[$attr:meta])* struct { $($body:tt)* }) => {
            #[derive(Debug, PartialEq, Default, LenientDeserialize)]
            $(#[$attr])*
            struct Ours { $($body)* }
            #[derive(Debug, PartialEq, Default, Deserialize)]
            $(#[$attr])*
            struct Serdes { $($body)* }
        };
    }

    twins!(struct {
        #[serde(default, rename = "acctId", deserialize_with = "lenient::opt_string")]
        account: Option<String>,
        #[serde(default, alias = "qty", deserialize_with = "lenient::opt_decimal")]
        size: Option<rust_decimal::Decimal>,
        #[serde(default = "seven", deserialize_with = "lenient::opt_i64")]
        count: Option<i64>,
        #[serde(default)]
        note: Option<String>,
        plain: Option<u8>,
        #[serde(deserialize_with = "lenient::opt_bool")]
        required: Option<bool>,
        #[serde(skip)]
        skipped: Option<String>,
    });

    /// Both decodes of `json`, as debug text (errors by their message).
    fn both(json: &str) -> (String, String) {
        let ours = serde_json::from_str::<Ours>(json)
            .map(|v| format!("{v:?}").replace("Ours", "S"))
            .map_err(|e| e.to_string().replace("Ours", "S"));
        let serdes = serde_json::from_str::<Serdes>(json)
            .map(|v| format!("{v:?}").replace("Serdes", "S"))
            .map_err(|e| e.to_string().replace("Serdes", "S"));
        let show = |r: Result<String, String>| r.unwrap_or_else(|e| format!("error: {e}"));
        (show(ours), show(serdes))
    }

    #[test]
    fn the_derive_decodes_as_serdes_own_on_the_same_attributes() {
        let cases = [
            r#"{"acctId":"U1","size":"1.5","count":"3","note":"n","plain":4,"required":"true"}"#,
            // An alias, keys out of order, an unknown key, a skipped one.
            r#"{"required":1,"qty":2,"zzz":{"a":[1]},"acctId":" U1 ","skipped":"x"}"#,
            // Missing fields: defaults, `None` for a plain `Option`.
            r#"{"required":false}"#,
            // A field with a helper and no default is required.
            r#"{"acctId":"U1"}"#,
            // A repeated key, through its alias too.
            r#"{"required":true,"acctId":"a","acctId":"b"}"#,
            r#"{"required":true,"size":1,"qty":2}"#,
            // Not an object.
            r#"[1,2]"#,
            r#""text""#,
            r#"{"required":true,"plain":"not a number"}"#,
        ];
        for json in cases {
            let (ours, serdes) = both(json);
            // serde's own reads an array by position, which this derive
            // refuses; every other answer must be the same.
            if json.starts_with('[') {
                assert!(ours.starts_with("error: invalid type: sequence"), "{ours}");
                continue;
            }
            let strip = |s: &str| s.split(" at line").next().unwrap_or(s).to_string();
            assert_eq!(strip(&ours), strip(&serdes), "{json}");
        }
    }

    #[derive(Debug, PartialEq, Default, LenientDeserialize)]
    #[serde(default)]
    struct WithDefault {
        #[serde(deserialize_with = "lenient::opt_i64")]
        a: Option<i64>,
        b: Option<String>,
    }

    #[test]
    fn a_struct_default_fills_what_was_not_sent() {
        let v: WithDefault = serde_json::from_str(r#"{"b":"x"}"#).unwrap();
        assert_eq!(
            v,
            WithDefault {
                a: None,
                b: Some("x".into())
            }
        );
    }

    #[derive(Debug, PartialEq, LenientDeserialize)]
    struct WithRest {
        #[serde(default, deserialize_with = "lenient::opt_string")]
        name: Option<String>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    /// serde's derive, wrapping a type in a flatten of its own (the
    /// facade's `Checked<T>` reads an error block beside any answer).
    #[derive(Deserialize)]
    struct Outer {
        #[serde(default, rename = "hasError")]
        has_error: Option<bool>,
        #[serde(flatten)]
        inner: WithRest,
    }

    #[test]
    fn a_flattened_map_keeps_every_other_key_also_inside_serdes_flatten() {
        let json = r#"{"name":"n","a":1,"b":{"c":[true]},"a":2}"#;
        let v: WithRest = serde_json::from_str(json).unwrap();
        assert_eq!(v.name.as_deref(), Some("n"));
        assert_eq!(v.rest.len(), 2);
        assert_eq!(
            v.rest["a"], 2,
            "the last of a repeated key, as a map keeps it"
        );
        assert_eq!(v.rest["b"]["c"][0], true);
        let outer: Outer =
            serde_json::from_str(r#"{"hasError":false,"name":"n","x":"kept"}"#).unwrap();
        assert_eq!(outer.has_error, Some(false));
        assert_eq!(outer.inner.name.as_deref(), Some("n"));
        assert_eq!(outer.inner.rest["x"], "kept");
        assert!(
            !outer.inner.rest.contains_key("hasError"),
            "{:?}",
            outer.inner.rest
        );
    }

    #[test]
    fn keys_are_found_in_any_order_from_where_the_last_one_was() {
        let mut keys = super::Keys::keeping_unknown(&[("a", 0), ("b", 1), ("bb", 1), ("c", 2)]);
        let found: Vec<usize> = ["c", "a", "bb", "b", "x", "c", "c"]
            .iter()
            .map(|k| keys.find(k))
            .collect();
        assert_eq!(found, [2, 0, 1, 1, super::Keys::UNKNOWN, 2, 2]);
        assert_eq!(keys.take_unknown(), "x");
        let mut empty = super::Keys::new(&[]);
        assert_eq!(empty.find("a"), super::Keys::UNKNOWN);
    }
}
