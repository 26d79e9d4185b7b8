//! The facade's one decoder: IBKR's response bytes, straight into the
//! facade's own types through their lenient `Deserialize` (see
//! [`lenient`]). Nothing is decoded twice and no generated type is
//! involved.
//!
//! Rules every answer goes through:
//!
//! - a 2xx answer shaped like an IBKR error (`{"error": "…"}`, or
//!   `[{"error": "…"}]`, optionally with a status code or message beside
//!   it) is [`Error::Api`] with the body (or
//!   [`Error::NoBrokerageSession`] for "no bridge"), never an empty
//!   result;
//! - a one-element list where an object is expected decodes as that
//!   object (IBKR does this); a longer list there is an error, never a
//!   silently dropped element;
//! - a single object where a list is expected is a one-element list;
//!   `null` or an empty body is an empty list;
//! - for an order write, an answer that cannot be decoded is
//!   [`Error::Ambiguous`]: IBKR may have acted on it.

pub mod lenient;

/// The derive of the facade's response structs (crate `ibkr-derive`), and
/// its runtime half and wire helpers, from the crate of the response types
/// (`ibkr-model`).
pub(crate) use ibkr_model::decode::{LenientDeserialize, fields, wire};

use std::fmt;
use std::marker::PhantomData;
use std::sync::LazyLock;

use ibkr_ops::Class;
use memchr::memmem;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};

/// Keys that may stand beside `error` in IBKR's error answers.
const ERROR_COMPANIONS: &[&str] = &[
    "statusCode",
    "status",
    "code",
    "errorCode",
    "message",
    "success",
    "reason",
    "action",
    "details",
];

/// Error bodies are small; larger answers are data.
const ERROR_PROBE_LIMIT: usize = 4096;

/// IBKR's error message when `body` is shaped like an error answer.
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    if body.len() > ERROR_PROBE_LIMIT {
        return None;
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if !matches!(first, b'{' | b'[') {
        return None;
    }
    if !may_have_error_key(body) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = match &value {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Array(items) if items.len() == 1 => items[0].as_object()?,
        _ => return None,
    };
    let message = match object.get("error")? {
        serde_json::Value::Null | serde_json::Value::Bool(false) => return None,
        serde_json::Value::String(s) if s.trim().is_empty() => return None,
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let only_error = object
        .iter()
        .all(|(k, v)| k == "error" || v.is_null() || ERROR_COMPANIONS.contains(&k.as_str()));
    only_error.then_some(message)
}

/// Whether `body` can hold an `error` key: it has the bytes `error`, or a
/// `\u` escape (the only way JSON spells a letter otherwise). Most answers
/// have neither, and are not parsed a second time.
///
/// Two vectorised scans (a substring search, then one for a backslash):
/// this runs on every answer of up to [`ERROR_PROBE_LIMIT`] bytes, and a
/// window-by-window comparison cost more than decoding a small answer.
fn may_have_error_key(body: &[u8]) -> bool {
    static ERROR: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("error"));
    ERROR.find(body).is_some()
        || memchr::memchr_iter(b'\\', body).any(|at| body.get(at + 1) == Some(&b'u'))
}

/// The error for a 2xx answer shaped like an IBKR error.
pub(crate) fn api_error(operation: &'static str, message: String, body: &[u8]) -> Error {
    let body = String::from_utf8_lossy(body).into_owned();
    if crate::transport::mentions_no_bridge(&message) {
        return Error::NoBrokerageSession(body);
    }
    Error::Api {
        operation,
        message,
        body,
    }
}

/// Fails when `body` is an IBKR error answer.
pub(crate) fn check(operation: &'static str, body: &[u8]) -> Result<()> {
    match error_message(body) {
        Some(message) => Err(api_error(operation, message, body)),
        None => Ok(()),
    }
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// A decode failure, as [`Error::Decode`], or [`Error::Ambiguous`] for an
/// order write.
pub(crate) fn failure(
    operation: &'static str,
    class: Class,
    message: String,
    body: &[u8],
) -> Error {
    let body = String::from_utf8_lossy(body).into_owned();
    if class == Class::Order {
        return Error::Ambiguous {
            operation,
            reason: format!("the answer could not be read ({message}): {body}"),
            client_order_ids: Vec::new(),
        };
    }
    Error::Decode {
        operation,
        message,
        body,
    }
}

fn parse<T: DeserializeOwned>(operation: &'static str, class: Class, body: &[u8]) -> Result<T> {
    check(operation, body)?;
    json(body).map_err(|e| failure(operation, class, e.to_string(), body))
}

/// `body` decoded by serde_json, its UTF-8 checked once for the whole body.
///
/// serde_json's reader of bytes checks each string it reads (every key,
/// every string value) on its own, and a large answer has hundreds of
/// thousands of them: one check of the whole body and serde_json's reader
/// of text, which checks none, cost less (about 15 % of a 5,000-position
/// page's decoding). A body that is not UTF-8 is read as bytes after all,
/// as before: serde_json accepts such bytes in a value no field reads.
fn json<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// Decodes an object; a one-element list is that object.
pub(crate) fn object<T: DeserializeOwned>(
    operation: &'static str,
    class: Class,
    body: &[u8],
) -> Result<T> {
    if is_blank(body) {
        return Err(failure(
            operation,
            class,
            "the response has no body".into(),
            body,
        ));
    }
    parse::<One<T>>(operation, class, body)?.0.ok_or_else(|| {
        failure(
            operation,
            class,
            "an empty list where an object was expected".into(),
            body,
        )
    })
}

/// Like [`object`], but an empty body, `null` or `[]` is `T::default()`.
pub(crate) fn object_or_default<T: DeserializeOwned + Default>(
    operation: &'static str,
    class: Class,
    body: &[u8],
) -> Result<T> {
    if is_blank(body) {
        return Ok(T::default());
    }
    Ok(parse::<One<T>>(operation, class, body)?
        .0
        .unwrap_or_default())
}

/// Decodes a list; a single object is a one-element list, `null` or an
/// empty body an empty list.
pub(crate) fn list<T: DeserializeOwned>(
    operation: &'static str,
    class: Class,
    body: &[u8],
) -> Result<Vec<T>> {
    if is_blank(body) {
        return Ok(Vec::new());
    }
    Ok(parse::<List<T>>(operation, class, body)?.0)
}

/// An object, or a list of at most one object; `None` for `null` or `[]`.
struct One<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for One<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(OneVisitor(PhantomData))
    }
}

struct OneVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneVisitor<T> {
    type Value = One<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or a list of one object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<One<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| One(Some(t)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<One<T>, A::Error> {
        let first = seq.next_element::<T>()?;
        let mut extra = 0usize;
        while seq.next_element::<de::IgnoredAny>()?.is_some() {
            extra += 1;
        }
        if extra > 0 {
            return Err(de::Error::custom(format!(
                "a list of {} items where one object was expected",
                extra + 1
            )));
        }
        Ok(One(first))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<One<T>, E> {
        Ok(One(None))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<One<T>, E> {
        Ok(One(None))
    }
}

/// A list read by [`lenient::vec_or_single`].
struct List<T>(Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        lenient::vec_or_single(d).map(List)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, LenientDeserialize)]
    struct Thing {
        #[serde(default, deserialize_with = "lenient::opt_i64")]
        a: Option<i64>,
        #[serde(default, deserialize_with = "lenient::opt_string")]
        error: Option<String>,
        #[serde(default, deserialize_with = "lenient::opt_string")]
        other: Option<String>,
    }

    #[test]
    fn error_shaped_answers_are_errors() {
        for body in [
            r#"{"error":"no such account"}"#,
            r#"[{"error":"no such account"}]"#,
            r#"{"error":"no such account","statusCode":400}"#,
        ] {
            let e = object::<Thing>("Op", Class::Read, body.as_bytes()).unwrap_err();
            assert!(
                matches!(&e, Error::Api { message, body: b, .. } if message == "no such account" && b == body),
                "{body}: {e:?}"
            );
            assert!(list::<Thing>("Op", Class::Read, body.as_bytes()).is_err());
        }
        let e = object::<Thing>("Op", Class::Read, br#"{"error":"no bridge"}"#).unwrap_err();
        assert!(matches!(e, Error::NoBrokerageSession(_)), "{e:?}");
    }

    #[test]
    fn an_error_key_spelled_with_escapes_is_still_an_error() {
        let body = br#"{"\u0065rror":"no such account"}"#;
        let e = object::<Thing>("Op", Class::Read, body).unwrap_err();
        assert!(
            matches!(&e, Error::Api { message, .. } if message == "no such account"),
            "{e:?}"
        );
        assert!(may_have_error_key(body));
        assert!(!may_have_error_key(br#"{"authenticated":true,"fail":""}"#));
    }

    #[test]
    fn the_error_key_probe_agrees_with_a_plain_search() {
        let plain = |body: &[u8]| {
            body.windows(5).any(|w| w == b"error") || body.windows(2).any(|w| w == b"\\u")
        };
        let bodies: [&[u8]; 10] = [
            b"",
            b"e",
            b"erro",
            b"error",
            b"xxerror",
            b"eeeerror",
            br"\",
            br"x\u",
            br#"{"terror":1}"#,
            br#"{"message":"retry","serverName":"e\\n"}"#,
        ];
        for body in bodies {
            assert_eq!(
                may_have_error_key(body),
                plain(body),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn data_with_an_error_field_is_data() {
        let t: Thing = object("Op", Class::Read, br#"{"a":1,"error":null}"#).unwrap();
        assert_eq!(t.a, Some(1));
        let t: Thing = object("Op", Class::Read, br#"{"a":1,"error":"x","other":"y"}"#).unwrap();
        assert_eq!(t.error.as_deref(), Some("x"));
    }

    #[test]
    fn one_element_lists_are_objects() {
        let t: Thing = object("Op", Class::Read, br#"[{"a":"7"}]"#).unwrap();
        assert_eq!(t.a, Some(7));
        let e = object::<Thing>("Op", Class::Read, br#"[{"a":1},{"a":2}]"#).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{e:?}");
        assert!(object::<Thing>("Op", Class::Read, b"[]").is_err());
        assert_eq!(
            object_or_default::<Thing>("Op", Class::Read, b"[]").unwrap(),
            Thing::default()
        );
        assert_eq!(
            object_or_default::<Thing>("Op", Class::Read, b"").unwrap(),
            Thing::default()
        );
    }

    #[test]
    fn lists_accept_a_single_object() {
        let v: Vec<Thing> = list("Op", Class::Read, br#"{"a":1}"#).unwrap();
        assert_eq!(v.len(), 1);
        assert!(
            list::<Thing>("Op", Class::Read, b"null")
                .unwrap()
                .is_empty()
        );
        assert!(list::<Thing>("Op", Class::Read, b" ").unwrap().is_empty());
    }

    #[test]
    fn bodies_that_are_not_utf8_decode_as_before() {
        // Read as text when the whole body is UTF-8, as bytes otherwise:
        // both readers give the same answer, and a byte that is not UTF-8
        // fails only where a field reads it.
        let text = "{\"a\":3,\"other\":\"caf\u{e9} \\u00e9\\n\",\"zz\":\"\u{20ac}\"}";
        let t: Thing = object("Op", Class::Read, text.as_bytes()).unwrap();
        assert_eq!(t.other.as_deref(), Some("caf\u{e9} \u{e9}\n"));
        let b: Thing = serde_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(t, b);
        let ignored = b"{\"a\":3,\"zz\":\"\xff\xfe\"}";
        let t: Thing = object("Op", Class::Read, ignored).unwrap();
        assert_eq!(t.a, Some(3));
        let read = b"{\"a\":3,\"other\":\"\xff\"}";
        let e = object::<Thing>("Op", Class::Read, read).unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    }

    #[test]
    fn undecodable_order_answers_are_ambiguous() {
        let e = object::<Thing>("Orders::place", Class::Order, b"<html>").unwrap_err();
        assert!(matches!(e, Error::Ambiguous { .. }), "{e:?}");
        let e = object::<Thing>("Orders::place", Class::Order, b"").unwrap_err();
        assert!(matches!(e, Error::Ambiguous { .. }), "{e:?}");
    }
}
