//! The runtime half of `#[derive(LenientDeserialize)]` (crate
//! `ibkr-derive`): what every derived visitor shares, so each struct's own
//! code is a table of keys and one line per field.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use std::fmt;
use std::marker::PhantomData;

/// A struct's key lookup, written by the derive (`__Table`): the index of
/// the field a key names (aliases map to their field), or [`UNKNOWN`].
pub trait KeyTable {
    /// The field `key` names.
    fn find(key: &str) -> usize;
}

/// What a key no field reads maps to.
pub const UNKNOWN: usize = usize::MAX;

/// One object key, read as its field's index (or [`UNKNOWN`]) without
/// allocating: a zero-sized visitor, as serde's own field identifiers.
pub struct Key<T>(pub usize, pub PhantomData<T>);

/// One object key for a struct with a flattened map of the other keys: a
/// field's index, or the key itself.
pub enum AnyKey<T> {
    Field(usize, PhantomData<T>),
    Other(String),
}

pub struct KeyVisitor<K>(PhantomData<K>);

/// How a key becomes a [`Key`] or an [`AnyKey`].
pub trait FromKey: Sized {
    fn from_key(key: &str) -> Self;
}

impl<T: KeyTable> FromKey for Key<T> {
    #[inline]
    fn from_key(key: &str) -> Self {
        Key(T::find(key), PhantomData)
    }
}

impl<T: KeyTable> FromKey for AnyKey<T> {
    #[inline]
    fn from_key(key: &str) -> Self {
        match T::find(key) {
            UNKNOWN => AnyKey::Other(key.to_owned()),
            field => AnyKey::Field(field, PhantomData),
        }
    }
}

impl<'de, T: KeyTable> Deserialize<'de> for Key<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor::<Self>(PhantomData))
    }
}

impl<'de, T: KeyTable> Deserialize<'de> for AnyKey<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor::<Self>(PhantomData))
    }
}

impl<'de, K: FromKey> Visitor<'de> for KeyVisitor<K> {
    type Value = K;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<K, E> {
        Ok(K::from_key(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<K, E> {
        match std::str::from_utf8(v) {
            Ok(key) => Ok(K::from_key(key)),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
    /// An integer key (no JSON answer has one) is read as its digits.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<K, E> {
        Ok(K::from_key(&v.to_string()))
    }
}

/// Stores a field's value, or fails with serde's "duplicate field" error
/// when the key came before.
#[inline(always)]
pub fn put<T, E: de::Error>(slot: &mut Option<T>, value: T, key: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

/// A field that was not sent and has no `default`, as serde's derive reads
/// it: `None` for an `Option` (any type whose `Deserialize` asks for an
/// option), serde's "missing field" error for anything else.
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(key: &'static str) -> Result<T, E> {
    T::deserialize(Missing(key, PhantomData))
}

pub struct Missing<E>(&'static str, PhantomData<E>);

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
    fn keys_read_as_their_field_and_unknown_keys_are_kept_only_when_asked() {
        use super::{AnyKey, Key, KeyTable, UNKNOWN};
        struct Table;
        impl KeyTable for Table {
            fn find(k: &str) -> usize {
                match k {
                    "a" => 0,
                    "b" | "bb" => 1,
                    _ => UNKNOWN,
                }
            }
        }
        let keys: Vec<usize> = ["\"bb\"", "\"a\"", "\"x\""]
            .iter()
            .map(|k| serde_json::from_str::<Key<Table>>(k).unwrap().0)
            .collect();
        assert_eq!(keys, [1, 0, UNKNOWN]);
        match serde_json::from_str::<AnyKey<Table>>("\"x\"").unwrap() {
            AnyKey::Other(k) => assert_eq!(k, "x"),
            AnyKey::Field(..) => panic!("x is no field"),
        }
        assert!(matches!(
            serde_json::from_str::<AnyKey<Table>>("\"b\"").unwrap(),
            AnyKey::Field(1, _)
        ));
    }
}
