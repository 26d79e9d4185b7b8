//! The data types of `ibkr_client::areas::ids`, with their lenient decoders
//! (re-exported there).

use crate::lenient;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// IBKR's contract id (`conid`): `265598` is AAPL on NASDAQ.
///
/// Reads from a number or a numeric string; serializes as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Conid(pub i64);

impl Conid {
    /// The id as IBKR's integer.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for Conid {
    fn from(id: i64) -> Conid {
        Conid(id)
    }
}

impl From<Conid> for i64 {
    fn from(id: Conid) -> i64 {
        id.0
    }
}

impl PartialEq<i64> for Conid {
    fn eq(&self, other: &i64) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Conid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Conid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Conid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::opt_i64(d)?
            .map(Conid)
            .ok_or_else(|| serde::de::Error::custom("a contract id (a number or a numeric string)"))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Conid {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Conid".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        i64::json_schema(generator)
    }
}

/// Reads an optional [`Conid`] leniently (`null`, `""`, `"N/A"` and text
/// that is not an integer are `None`).
pub fn opt_conid<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Conid>, D::Error> {
    Ok(lenient::opt_i64(d)?.map(Conid))
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $opt:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(String);

        impl $name {
            /// The id from IBKR's text.
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> $name {
                $name(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> $name {
                $name(id)
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> $name {
                id.clone()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $opt(d)?.ok_or_else(|| serde::de::Error::custom(concat!("an ", $what)))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                String::json_schema(generator)
            }
        }

        #[doc = concat!("Reads an optional [`", stringify!($name), "`] leniently: a string or a number; ")]
        /// `null`, `""` and `"N/A"` are `None`.
        pub fn $opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$name>, D::Error> {
            Ok(lenient::opt_string(d)?.map($name))
        }
    };
}

string_id!(
    /// IBKR's order id (`orderId`, `order_id`), as text: a number in most
    /// answers, a string in others, always the same digits.
    OrderId,
    opt_order_id,
    "order id"
);

impl From<i64> for OrderId {
    fn from(id: i64) -> OrderId {
        OrderId(id.to_string())
    }
}

impl From<u64> for OrderId {
    fn from(id: u64) -> OrderId {
        OrderId(id.to_string())
    }
}

string_id!(
    /// An account id (`DU1234567`; an FA group or model name where IBKR
    /// takes one).
    AccountId,
    opt_account_id,
    "account id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "opt_conid")]
        conid: Option<Conid>,
        #[serde(default, deserialize_with = "opt_order_id")]
        order_id: Option<OrderId>,
        #[serde(default, deserialize_with = "opt_account_id")]
        acct: Option<AccountId>,
    }

    #[test]
    fn numbers_and_strings_read_alike() {
        let a: Row =
            serde_json::from_str(r#"{"conid": 265598, "order_id": 1370093240, "acct": "DU1"}"#)
                .unwrap();
        let b: Row =
            serde_json::from_str(r#"{"conid": "265598", "order_id": "1370093240", "acct": "DU1"}"#)
                .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.conid, Some(Conid(265598)));
        assert_eq!(a.order_id.as_deref(), Some("1370093240"));
        let none: Row =
            serde_json::from_str(r#"{"conid": "N/A", "order_id": "", "acct": null}"#).unwrap();
        assert_eq!(
            none,
            Row {
                conid: None,
                order_id: None,
                acct: None
            }
        );
        // Written the way IBKR's requests take them.
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"conid":265598,"order_id":"1370093240","acct":"DU1"}"#
        );
        assert_eq!(
            serde_json::from_str::<Conid>("\"8314\"").unwrap(),
            Conid(8314)
        );
        assert!(serde_json::from_str::<Conid>("\"x\"").is_err());
        assert_eq!(
            serde_json::from_str::<OrderId>("7").unwrap(),
            OrderId::from(7i64)
        );
    }

    #[test]
    fn ids_deref_to_str() {
        fn takes(s: &str) -> usize {
            s.len()
        }
        let id = OrderId::new("123");
        assert_eq!(takes(&id), 3);
        assert_eq!(id, "123");
        assert_eq!(AccountId::from("DU1").to_string(), "DU1");
        assert_eq!(Conid::from(5).get(), 5);
    }
}
