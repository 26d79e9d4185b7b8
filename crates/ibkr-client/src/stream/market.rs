//! Market data (`smd`): typed field ids and the merged quote.
//!
//! IBKR's market data messages carry only the fields that changed since the
//! previous message for that conid. [`QuoteBook`] merges each message into
//! the current [`Quote`], so a consumer always sees every field it asked
//! for, each with its own freshness ([`QuoteField::updated`],
//! [`QuoteField::seq`]). The stream does this for you; a `QuoteBook` is
//! public for code that brings its own frames:
//!
//! ```
//! use ibkr_client::stream::market::{Field, QuoteBook};
//!
//! let mut book = QuoteBook::default();
//! book.apply(r#"{"topic":"smd+265598","conid":265598,"_updated":1,"31":"189.50","84":"189.49","55":"AAPL"}"#)?;
//! let conid = book.apply(r#"{"topic":"smd+265598","conid":265598,"_updated":2,"31":"C189.55"}"#)?;
//! let quote = book.get(conid).unwrap();
//! assert_eq!(quote.price(Field::Last), Some("189.55".parse().unwrap()));
//! assert_eq!(quote.price(Field::Bid), Some("189.49".parse().unwrap()));
//! assert_eq!(quote.text(Field::Symbol), Some("AAPL"));
//! // The last price changed in the second message, the bid in the first.
//! assert_eq!(quote.get(Field::Last).unwrap().updated, Some(2));
//! assert_eq!(quote.get(Field::Bid).unwrap().updated, Some(1));
//! # Ok::<(), ibkr_client::stream::FrameError>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use rust_decimal::Decimal;
use serde::Deserializer as _;
use serde::de::{self, MapAccess, Visitor};

use super::decode::{float_decimal, parse_decimal};
use super::{FrameError, FrameErrorKind};

macro_rules! fields {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// A market data field id: the same ids as
        /// `/iserver/marketdata/snapshot` (see
        /// [`fields`](crate::areas::market_data::fields)). Ids without a
        /// name here are [`Field::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Field {
            $($(#[$doc])* $name,)*
            /// Any other field id.
            Other(u32),
        }

        impl Field {
            /// IBKR's numeric id.
            pub fn code(self) -> u32 {
                match self {
                    $(Field::$name => $code,)*
                    Field::Other(code) => code,
                }
            }

            /// The field with IBKR's numeric id `code`.
            pub fn from_code(code: u32) -> Field {
                match code {
                    $($code => Field::$name,)*
                    other => Field::Other(other),
                }
            }
        }
    };
}

fields! {
    /// Last price (31).
    Last = 31,
    /// Symbol (55).
    Symbol = 55,
    /// Day high (70).
    High = 70,
    /// Day low (71).
    Low = 71,
    /// Change since the prior close (82).
    Change = 82,
    /// Change since the prior close, percent (83).
    ChangePercent = 83,
    /// Bid price (84).
    Bid = 84,
    /// Ask size (85).
    AskSize = 85,
    /// Ask price (86).
    Ask = 86,
    /// Volume, possibly with a `K`/`M` suffix (87).
    Volume = 87,
    /// Bid size (88).
    BidSize = 88,
    /// Market data availability code (6509).
    Availability = 6509,
    /// Company name (7051).
    CompanyName = 7051,
    /// Last size (7059).
    LastSize = 7059,
    /// Today's opening price (7295).
    Open = 7295,
    /// Today's closing price (7296).
    Close = 7296,
    /// Prior close (7741).
    PriorClose = 7741,
    /// Volume as a plain number (7762).
    VolumeLong = 7762,
}

impl Ord for Field {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code().cmp(&other.code())
    }
}

impl PartialOrd for Field {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// What a price's prefix says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriceFlag {
    /// `C`: the prior close, no trade yet today.
    PriorClose,
    /// `H`: trading is halted.
    Halted,
}

/// One field of a [`Quote`], with its freshness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteField {
    /// Which field.
    pub field: Field,
    /// IBKR's text, as sent (`"C189.50"`, `"52.1M"`, `"AAPL"`).
    pub raw: String,
    /// The number in `raw`, if it is one (prefix, separators and `K`/`M`
    /// suffixes read).
    pub value: Option<Decimal>,
    /// The price's prefix, if any.
    pub flag: Option<PriceFlag>,
    /// IBKR's `_updated` (ms since the epoch) of the message that last set
    /// this field.
    pub updated: Option<i64>,
    /// [`Quote::seq`] of the message that last set this field.
    pub seq: u64,
}

/// The current quote of one conid: every field received so far, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quote {
    /// The contract id.
    pub conid: i64,
    /// The contract id with exchange, when IBKR sends it.
    pub conid_ex: Option<String>,
    /// IBKR's `_updated` (ms) of the latest message.
    pub updated: Option<i64>,
    /// IBKR's server id of the subscription, when sent.
    pub server_id: Option<String>,
    /// How many messages were merged into this quote (the newest message's
    /// number).
    pub seq: u64,
    /// The fields, ordered by id.
    pub fields: Vec<QuoteField>,
    /// Keys of the messages that are neither field ids nor known metadata,
    /// with their text: kept, not dropped.
    pub extra: BTreeMap<String, String>,
}

impl Quote {
    /// The field, if received.
    pub fn get(&self, field: Field) -> Option<&QuoteField> {
        self.fields
            .binary_search_by(|f| f.field.cmp(&field))
            .ok()
            .map(|i| &self.fields[i])
    }

    /// The field's number, if received and numeric.
    pub fn price(&self, field: Field) -> Option<Decimal> {
        self.get(field).and_then(|f| f.value)
    }

    /// The field's text, if received.
    pub fn text(&self, field: Field) -> Option<&str> {
        self.get(field).map(|f| f.raw.as_str())
    }

    /// Last price.
    pub fn last(&self) -> Option<Decimal> {
        self.price(Field::Last)
    }

    /// Bid price.
    pub fn bid(&self) -> Option<Decimal> {
        self.price(Field::Bid)
    }

    /// Ask price.
    pub fn ask(&self) -> Option<Decimal> {
        self.price(Field::Ask)
    }

    fn set(&mut self, code: u32, value: &Val<'_>, updated: Option<i64>) {
        let field = Field::from_code(code);
        let seq = self.seq;
        let i = match self.fields.binary_search_by(|f| f.field.cmp(&field)) {
            Ok(i) => i,
            Err(i) => {
                self.fields.insert(
                    i,
                    QuoteField {
                        field,
                        raw: String::new(),
                        value: None,
                        flag: None,
                        updated: None,
                        seq,
                    },
                );
                i
            }
        };
        let slot = &mut self.fields[i];
        slot.raw.clear();
        slot.flag = None;
        slot.value = match value {
            Val::Text(text) => {
                slot.raw.push_str(text);
                let value = parse_decimal(text);
                if value.is_some() {
                    slot.flag = match text.trim_start().as_bytes().first() {
                        Some(b'C') => Some(PriceFlag::PriorClose),
                        Some(b'H') => Some(PriceFlag::Halted),
                        _ => None,
                    };
                }
                value
            }
            Val::Int(i) => {
                use fmt::Write as _;
                let _ = write!(slot.raw, "{i}");
                Some(Decimal::from(*i))
            }
            Val::Float(f) => {
                use fmt::Write as _;
                let _ = write!(slot.raw, "{f}");
                float_decimal(*f)
            }
            Val::Null => None,
        };
        slot.updated = updated;
        slot.seq = seq;
    }
}

/// A quote as a market data subscription delivers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteUpdate {
    /// The merged quote, newest values.
    pub quote: Quote,
    /// How many messages for this conid were merged but not delivered
    /// separately since the previous update, because the consumer was
    /// slower than the market (0 for a consumer that keeps up).
    pub skipped: u64,
    /// [`Quote::seq`] of the previous update delivered to this consumer
    /// (0 for the first).
    pub since: u64,
}

impl QuoteUpdate {
    /// The fields that changed since the previous update this consumer saw.
    pub fn changed(&self) -> impl Iterator<Item = &QuoteField> {
        self.quote.fields.iter().filter(|f| f.seq > self.since)
    }

    /// Whether `field` changed since the previous update this consumer saw.
    pub fn is_changed(&self, field: Field) -> bool {
        self.quote.get(field).is_some_and(|f| f.seq > self.since)
    }
}

/// Merges market data messages into one [`Quote`] per conid.
#[derive(Debug, Clone, Default)]
pub struct QuoteBook {
    quotes: HashMap<i64, Quote>,
}

impl QuoteBook {
    /// Merges one `smd` message (the frame's text) into its conid's quote
    /// and returns the conid. A frame that is not a market data message, or
    /// an `{"error": …}` answer, is an error with the raw text; the book is
    /// unchanged then.
    pub fn apply(&mut self, frame: &str) -> Result<i64, FrameError> {
        let fail = |kind, message: String| FrameError::new(kind, message, frame);
        let mut de = serde_json::Deserializer::from_str(frame);
        let msg = de
            .deserialize_map(SmdVisitor)
            .and_then(|m| de.end().map(|()| m))
            .map_err(|e| fail(FrameErrorKind::Malformed, format!("not a JSON object: {e}")))?;
        if let Some(error) = msg.error {
            return Err(fail(FrameErrorKind::Server, error));
        }
        let conid = msg
            .conid
            .or_else(|| conid_of_topic(msg.topic.as_deref()?))
            .ok_or_else(|| {
                fail(
                    FrameErrorKind::UnexpectedShape,
                    "market data without a conid".into(),
                )
            })?;
        let quote = self.quotes.entry(conid).or_insert_with(|| Quote {
            conid,
            ..Quote::default()
        });
        quote.seq += 1;
        if msg.updated.is_some() {
            quote.updated = msg.updated;
        }
        if let Some(ex) = msg.conid_ex
            && quote.conid_ex.as_deref() != Some(&*ex)
        {
            quote.conid_ex = Some(ex.into_owned());
        }
        if let Some(id) = msg.server_id
            && quote.server_id.as_deref() != Some(&*id)
        {
            quote.server_id = Some(id.into_owned());
        }
        for (code, value) in &msg.fields {
            quote.set(*code, value, msg.updated);
        }
        for (key, value) in msg.extra {
            quote.extra.insert(key.into_owned(), value);
        }
        Ok(conid)
    }

    /// The current quote of `conid`.
    pub fn get(&self, conid: i64) -> Option<&Quote> {
        self.quotes.get(&conid)
    }

    /// Forgets `conid`'s quote.
    pub fn remove(&mut self, conid: i64) -> Option<Quote> {
        self.quotes.remove(&conid)
    }

    /// How many conids have a quote.
    pub fn len(&self) -> usize {
        self.quotes.len()
    }

    /// Whether no conid has a quote.
    pub fn is_empty(&self) -> bool {
        self.quotes.is_empty()
    }
}

/// `265598` from `smd+265598` or `smd+265598@SMART`.
pub(crate) fn conid_of_topic(topic: &str) -> Option<i64> {
    let rest = topic.split_once('+')?.1;
    let id = rest.split(['@', '+']).next()?;
    id.trim().parse().ok()
}

/// A field's value as sent.
enum Val<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Null,
}

/// One `smd` message, borrowed from the frame where it can be.
#[derive(Default)]
struct Smd<'a> {
    topic: Option<Cow<'a, str>>,
    conid: Option<i64>,
    conid_ex: Option<Cow<'a, str>>,
    updated: Option<i64>,
    server_id: Option<Cow<'a, str>>,
    error: Option<String>,
    fields: Vec<(u32, Val<'a>)>,
    extra: Vec<(Cow<'a, str>, String)>,
}

struct SmdVisitor;

impl<'de> Visitor<'de> for SmdVisitor {
    type Value = Smd<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a market data object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Smd<'de>, A::Error> {
        let mut msg = Smd {
            fields: Vec::with_capacity(16),
            ..Smd::default()
        };
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if let Some(code) = numeric(&key) {
                msg.fields.push((code, map.next_value::<ValSeed<'de>>()?.0));
                continue;
            }
            match &*key {
                "topic" => msg.topic = map.next_value::<ValSeed<'de>>()?.0.text(),
                "conid" => msg.conid = map.next_value::<ValSeed<'de>>()?.0.int(),
                "conidEx" | "conid_ex" => msg.conid_ex = map.next_value::<ValSeed<'de>>()?.0.text(),
                "_updated" => msg.updated = map.next_value::<ValSeed<'de>>()?.0.int(),
                "server_id" | "serverId" => {
                    msg.server_id = map.next_value::<ValSeed<'de>>()?.0.text()
                }
                "error" => {
                    let v: serde_json::Value = map.next_value()?;
                    msg.error = Some(match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    });
                }
                _ => {
                    let v: serde_json::Value = map.next_value()?;
                    let text = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    msg.extra.push((key, text));
                }
            }
        }
        Ok(msg)
    }
}

/// A field id: all ASCII digits.
fn numeric(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 9 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse().ok()
}

impl<'a> Val<'a> {
    fn text(self) -> Option<Cow<'a, str>> {
        match self {
            Val::Text(t) => Some(t),
            Val::Int(i) => Some(Cow::Owned(i.to_string())),
            Val::Float(f) => Some(Cow::Owned(f.to_string())),
            Val::Null => None,
        }
    }

    fn int(self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(i),
            Val::Float(f) if f.fract() == 0.0 => Some(f as i64),
            Val::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }
}

/// A map key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(CowVisitor).map(Key)
    }
}

struct CowVisitor;

impl<'de> Visitor<'de> for CowVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A field value: a string, a number or null; anything else as its JSON
/// text.
struct ValSeed<'a>(Val<'a>);

impl<'de> de::Deserialize<'de> for ValSeed<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor).map(ValSeed)
    }
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Val::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Val::Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Val::Text(Cow::Owned(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Val::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Val::Float(v as f64), Val::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Val::Float(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Val::Text(Cow::Borrowed(if v { "true" } else { "false" })))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Val::Null)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value =
            de::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Val::Text(Cow::Owned(v.to_string())))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value =
            de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Val::Text(Cow::Owned(v.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_name_the_conid() {
        assert_eq!(conid_of_topic("smd+265598"), Some(265598));
        assert_eq!(conid_of_topic("smd+265598@SMART"), Some(265598));
        assert_eq!(conid_of_topic("smh+756733"), Some(756733));
        assert_eq!(conid_of_topic("smd"), None);
    }

    #[test]
    fn numbers_strings_and_nulls_merge() {
        let mut book = QuoteBook::default();
        book.apply(r#"{"topic":"smd+1","31":189.5,"87":"52.1M","88":200,"7051":"APPLE \"INC\""}"#)
            .unwrap();
        book.apply(r#"{"conid":"1","31":null,"x":[1]}"#).unwrap();
        let q = book.get(1).unwrap();
        assert_eq!(q.seq, 2);
        assert_eq!(q.price(Field::Last), None);
        assert_eq!(q.get(Field::Last).unwrap().seq, 2);
        assert_eq!(q.price(Field::Volume), Some(Decimal::from(52_100_000)));
        assert_eq!(q.price(Field::BidSize), Some(Decimal::from(200)));
        assert_eq!(q.text(Field::CompanyName), Some("APPLE \"INC\""));
        assert_eq!(q.extra["x"], "[1]");
        assert_eq!(q.get(Field::Volume).unwrap().seq, 1);
    }

    #[test]
    fn bad_frames_leave_the_book_alone() {
        let mut book = QuoteBook::default();
        for (frame, kind) in [
            ("nope", FrameErrorKind::Malformed),
            ("[1,2]", FrameErrorKind::Malformed),
            (r#"{"31":"1"}"#, FrameErrorKind::UnexpectedShape),
            (
                r#"{"topic":"smd+1","error":"no permission"}"#,
                FrameErrorKind::Server,
            ),
        ] {
            let e = book.apply(frame).unwrap_err();
            assert_eq!(e.kind, kind, "{frame}");
            assert_eq!(e.raw, frame);
        }
        assert!(book.is_empty());
    }
}
