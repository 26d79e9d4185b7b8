//! IBKR's WebSocket protocol: the text frames we send (`TOPIC+ARGS`) and
//! the routing of the messages we receive to their subscriptions.

use std::any::Any;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::account::{AccountSummary, Ledger, PnlUpdate, summary_entries};
use super::bars::{BookUpdate, HistoryBars, HistoryRequest};
use super::market::{Field, QuoteBook, conid_of_topic};
use super::orders::{OrderUpdate, Trade};
use super::status::{AccountsInfo, Bulletin, Notification, SessionStatus, StatusEvent};
use super::{FrameError, FrameErrorKind};

/// What a subscription listens to; one server-side subscription each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Route {
    Market(i64),
    Orders,
    Pnl,
    Trades,
    Summary(String),
    Ledger(String),
    History(i64),
    Book(String),
    /// The unsolicited messages; nothing to send.
    Status,
}

impl Route {
    /// The topic's name in errors and logs.
    pub(crate) fn name(&self) -> String {
        match self {
            Route::Market(c) => format!("smd+{c}"),
            Route::Orders => "sor".into(),
            Route::Pnl => "spl".into(),
            Route::Trades => "str".into(),
            Route::Summary(a) => format!("ssd+{a}"),
            Route::Ledger(a) => format!("sld+{a}"),
            Route::History(c) => format!("smh+{c}"),
            Route::Book(a) => format!("sbd+{a}"),
            Route::Status => "status".into(),
        }
    }
}

/// The frames of one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frames {
    pub(crate) subscribe: Option<String>,
    /// `None` when the cancel needs something the server sends first (the
    /// history's server id) or there is nothing to send.
    pub(crate) unsubscribe: Option<String>,
}

/// `smd+<conid>[@<exchange>]+{"fields":[...]}`.
pub(crate) fn market(conid: i64, exchange: Option<&str>, fields: &[Field]) -> Frames {
    let codes: Vec<String> = fields.iter().map(|f| f.code().to_string()).collect();
    let target = match exchange {
        Some(ex) => format!("{conid}@{ex}"),
        None => conid.to_string(),
    };
    Frames {
        subscribe: Some(format!("smd+{target}+{}", json!({ "fields": codes }))),
        unsubscribe: Some(format!("umd+{conid}+{{}}")),
    }
}

/// `sor+{}` or `sor+{"filters":[...]}`; cancel `uor+{}`.
pub(crate) fn orders(filters: &[String]) -> Frames {
    let args = if filters.is_empty() {
        "{}".to_string()
    } else {
        json!({ "filters": filters }).to_string()
    };
    Frames {
        subscribe: Some(format!("sor+{args}")),
        unsubscribe: Some("uor+{}".into()),
    }
}

/// `spl+{}`; cancel `upl+{}`.
pub(crate) fn pnl() -> Frames {
    Frames {
        subscribe: Some("spl+{}".into()),
        unsubscribe: Some("upl+{}".into()),
    }
}

/// `str+{"realtimeUpdatesOnly":…,"days":…}`; cancel `utr`.
pub(crate) fn trades(realtime_only: bool, days: u32) -> Frames {
    Frames {
        subscribe: Some(format!(
            "str+{}",
            json!({ "realtimeUpdatesOnly": realtime_only, "days": days })
        )),
        unsubscribe: Some("utr".into()),
    }
}

/// `ssd+<acct>+{...}`; cancel `usd+<acct>+{}`.
pub(crate) fn summary(account: &str) -> Frames {
    Frames {
        subscribe: Some(format!("ssd+{account}+{{}}")),
        unsubscribe: Some(format!("usd+{account}+{{}}")),
    }
}

/// `sld+<acct>+{...}`; cancel `uld+<acct>+{}`.
pub(crate) fn ledger(account: &str) -> Frames {
    Frames {
        subscribe: Some(format!("sld+{account}+{{}}")),
        unsubscribe: Some(format!("uld+{account}+{{}}")),
    }
}

/// `smh+<conid>+{"period","bar","source","format"}`; cancel
/// `umh+<serverId>` once the server id is known.
pub(crate) fn history(conid: i64, request: &HistoryRequest) -> Frames {
    let args = json!({
        "period": request.period,
        "bar": request.bar,
        "source": request.source,
        "format": request.format,
    });
    Frames {
        subscribe: Some(format!("smh+{conid}+{args}")),
        unsubscribe: None,
    }
}

/// The cancel of a historical bars subscription.
pub(crate) fn history_cancel(server_id: &str) -> String {
    format!("umh+{server_id}")
}

/// `sbd+<acct>+<conid>[+<exchange>]`; cancel `ubd+<acct>`.
pub(crate) fn book(account: &str, conid: i64, exchange: Option<&str>) -> Frames {
    let subscribe = match exchange {
        Some(ex) => format!("sbd+{account}+{conid}+{ex}"),
        None => format!("sbd+{account}+{conid}"),
    };
    Frames {
        subscribe: Some(subscribe),
        unsubscribe: Some(format!("ubd+{account}")),
    }
}

/// The keep-alive message.
pub(crate) const TIC: &str = "tic";

/// A decoded item for a subscription.
pub(crate) type Item = Result<Box<dyn Any + Send>, FrameError>;

/// What one received frame is.
pub(crate) enum Inbound {
    /// IBKR's ready message.
    Ready(StatusEvent),
    /// The brokerage session's status.
    Session(SessionStatus),
    /// Another unsolicited message, for the status subscribers.
    Status(StatusEvent),
    /// Market data, merged into the book: the conid.
    Market(i64),
    /// Items for the subscriptions of a route.
    Items(Route, Vec<Item>),
    /// A frame that belongs to no route (malformed, unknown topic).
    Unroutable(FrameError),
    /// Nothing to do (`ech+hb`).
    Ignore,
}

/// The value of the first `"topic"` key, found without parsing the frame
/// (topics never contain escapes). `None` when there is none or it looks
/// odd; the caller then parses.
pub(crate) fn sniff_topic(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("\"topic\"") {
        let start = from + at;
        from = start + 7;
        if start > 0 && bytes[start - 1] == b'\\' {
            continue;
        }
        let rest = text[from..].trim_start();
        let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
        let end = rest.find(['"', '\\'])?;
        return (rest.as_bytes().get(end) == Some(&b'"')).then(|| &rest[..end]);
    }
    None
}

/// Decodes one text frame; market data goes into `book`.
pub(crate) fn decode(text: &str, book: &mut QuoteBook) -> Inbound {
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        return plain_text(text);
    }
    if let Some(topic) = sniff_topic(text)
        && topic.starts_with("smd")
    {
        return market_message(text, topic, book);
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Inbound::Unroutable(FrameError::new(
                FrameErrorKind::Malformed,
                format!("not JSON: {e}"),
                text,
            ));
        }
    };
    let Value::Object(map) = value else {
        return Inbound::Unroutable(FrameError::new(
            FrameErrorKind::UnexpectedShape,
            "a message must be a JSON object".into(),
            text,
        ));
    };
    let topic = match map.get("topic") {
        Some(Value::String(t)) => t.clone(),
        _ => {
            return Inbound::Unroutable(FrameError::new(
                FrameErrorKind::UnexpectedShape,
                "a message without a topic".into(),
                text,
            ));
        }
    };
    topic_message(&topic, map, text)
}

fn plain_text(text: &str) -> Inbound {
    let t = text.trim();
    if t.starts_with("ech") || t.is_empty() {
        return Inbound::Ignore;
    }
    if t.to_ascii_lowercase().contains("waiting for session") {
        return Inbound::Status(StatusEvent::WaitingForSession(t.to_string()));
    }
    Inbound::Unroutable(FrameError::new(
        FrameErrorKind::Malformed,
        "a text frame that is not JSON".into(),
        text,
    ))
}

fn market_message(text: &str, topic: &str, book: &mut QuoteBook) -> Inbound {
    match book.apply(text) {
        Ok(conid) => Inbound::Market(conid),
        Err(e) => match conid_of_topic(topic) {
            Some(conid) => Inbound::Items(Route::Market(conid), vec![Err(e.on(topic))]),
            None => Inbound::Unroutable(e.on(topic)),
        },
    }
}

/// The topic's suffix after `<prefix>+`, up to the next `+`.
fn suffix<'t>(topic: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('+')?;
    Some(rest.split('+').next().unwrap_or(rest))
}

fn topic_message(topic: &str, mut map: Map<String, Value>, text: &str) -> Inbound {
    let route = match topic {
        "system" => return system(map),
        "sts" => {
            let args = map.remove("args").unwrap_or(Value::Object(map));
            return match SessionStatus::deserialize_from(&args) {
                Ok(status) => Inbound::Session(status),
                Err(e) => Inbound::Unroutable(shape(e, text, topic)),
            };
        }
        "act" => {
            let mut args = map.remove("args").unwrap_or_default();
            if let Some(obj) = args.as_object_mut() {
                obj.remove("sessionId");
            }
            return status_item::<AccountsInfo>(&args, text, topic, StatusEvent::Accounts);
        }
        "blt" => {
            let args = map.remove("args").unwrap_or_default();
            return status_item::<Bulletin>(&args, text, topic, StatusEvent::Bulletin);
        }
        "ntf" => {
            let args = map.remove("args").unwrap_or_default();
            return status_item::<Notification>(&args, text, topic, StatusEvent::Notification);
        }
        "tic" => {
            let at = map
                .get("lastAccessed")
                .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()));
            return Inbound::Status(StatusEvent::Heartbeat { at });
        }
        "sor" => Route::Orders,
        "spl" => Route::Pnl,
        "str" => Route::Trades,
        t if t.starts_with("ssd+") => Route::Summary(suffix(t, "ssd").unwrap_or_default().into()),
        t if t.starts_with("sld+") => Route::Ledger(suffix(t, "sld").unwrap_or_default().into()),
        t if t.starts_with("sbd+") => Route::Book(suffix(t, "sbd").unwrap_or_default().into()),
        t if t.starts_with("smh+") => match conid_of_topic(t) {
            Some(conid) => Route::History(conid),
            None => return unknown(text, topic),
        },
        _ => return unknown(text, topic),
    };
    if let Some(error) = map.get("error") {
        let message = match map.get("code") {
            Some(code) => format!("IBKR: {} (code {code})", text_of(error)),
            None => format!("IBKR: {}", text_of(error)),
        };
        let e = FrameError::new(FrameErrorKind::Server, message, text).on(topic);
        return Inbound::Items(route, vec![Err(e)]);
    }
    let items = match &route {
        Route::Orders => rows::<OrderUpdate>(map.remove("args"), topic),
        Route::Trades => rows::<Trade>(map.remove("args"), topic),
        Route::Pnl => pnl_items(map.remove("args"), text, topic),
        Route::Summary(account) => {
            let body = map
                .remove("args")
                .or_else(|| map.remove("result"))
                .unwrap_or_default();
            vec![
                summary_entries(&body)
                    .map(|entries| {
                        Box::new(AccountSummary {
                            account: account.clone(),
                            entries,
                        }) as Box<dyn Any + Send>
                    })
                    .map_err(|e| {
                        FrameError::new(FrameErrorKind::UnexpectedShape, e, text).on(topic)
                    }),
            ]
        }
        Route::Ledger(account) => {
            let body = map
                .remove("args")
                .or_else(|| map.remove("result"))
                .unwrap_or_default();
            let entries = match body {
                Value::Object(m) => Value::Array(m.into_values().collect()),
                other => other,
            };
            let account = account.clone();
            vec![
                serde_json::from_value::<Vec<super::account::LedgerEntry>>(entries)
                    .map(|entries| Box::new(Ledger { account, entries }) as Box<dyn Any + Send>)
                    .map_err(|e| shape(e.to_string(), text, topic)),
            ]
        }
        Route::History(conid) => {
            let conid = *conid;
            map.remove("topic");
            one::<HistoryBars>(Value::Object(map), text, topic, |mut h| {
                h.conid = conid;
                h
            })
        }
        Route::Book(account) => {
            let account = account.clone();
            map.remove("topic");
            if let Some(args) = map.remove("args") {
                map.insert("data".into(), args);
            }
            one::<BookUpdate>(Value::Object(map), text, topic, move |mut b| {
                b.account = account;
                b
            })
        }
        Route::Market(_) | Route::Status => Vec::new(),
    };
    Inbound::Items(route, items)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shape(message: String, text: &str, topic: &str) -> FrameError {
    FrameError::new(FrameErrorKind::UnexpectedShape, message, text).on(topic)
}

fn unknown(text: &str, topic: &str) -> Inbound {
    Inbound::Unroutable(
        FrameError::new(
            FrameErrorKind::UnknownTopic,
            format!("unknown topic {topic:?}"),
            text,
        )
        .on(topic),
    )
}

trait FromValue: Sized {
    fn deserialize_from(v: &Value) -> Result<Self, String>;
}

impl<T: DeserializeOwned> FromValue for T {
    fn deserialize_from(v: &Value) -> Result<Self, String> {
        T::deserialize(v).map_err(|e| e.to_string())
    }
}

fn status_item<T: DeserializeOwned>(
    args: &Value,
    text: &str,
    topic: &str,
    wrap: fn(T) -> StatusEvent,
) -> Inbound {
    match T::deserialize_from(args) {
        Ok(v) => Inbound::Status(wrap(v)),
        Err(e) => Inbound::Unroutable(shape(e, text, topic)),
    }
}

fn system(map: Map<String, Value>) -> Inbound {
    if let Some(user) = map.get("success") {
        let paper = map
            .get("isPaper")
            .and_then(|v| v.as_bool().or_else(|| Some(v.as_str()? == "true")));
        return Inbound::Ready(StatusEvent::Ready {
            username: Some(text_of(user)).filter(|u| !u.is_empty()),
            paper,
        });
    }
    if let Some(hb) = map.get("hb") {
        return Inbound::Status(StatusEvent::Heartbeat {
            at: hb.as_i64().or_else(|| hb.as_str()?.parse().ok()),
        });
    }
    Inbound::Status(StatusEvent::System(map.into_iter().collect()))
}

/// One item per row of a list (a single object counts as one row); a row
/// that does not decode is an error item with its own text.
fn rows<T: DeserializeOwned + Send + 'static>(args: Option<Value>, topic: &str) -> Vec<Item> {
    let list = match args {
        Some(Value::Array(list)) => list,
        Some(Value::Null) | None => Vec::new(),
        Some(single) => vec![single],
    };
    list.into_iter()
        .map(|row| match T::deserialize(&row) {
            Ok(v) => Ok(Box::new(v) as Box<dyn Any + Send>),
            Err(e) => Err(FrameError::new(
                FrameErrorKind::UnexpectedShape,
                e.to_string(),
                &row.to_string(),
            )
            .on(topic)),
        })
        .collect()
}

fn one<T: DeserializeOwned + Send + 'static>(
    value: Value,
    text: &str,
    topic: &str,
    finish: impl FnOnce(T) -> T,
) -> Vec<Item> {
    vec![
        T::deserialize(&value)
            .map(|v| Box::new(finish(v)) as Box<dyn Any + Send>)
            .map_err(|e| shape(e.to_string(), text, topic)),
    ]
}

/// `{"<acct>.<model>": {...}, ...}`: one update per key.
fn pnl_items(args: Option<Value>, text: &str, topic: &str) -> Vec<Item> {
    let Some(Value::Object(map)) = args else {
        return vec![Err(shape("PnL args must be an object".into(), text, topic))];
    };
    map.into_iter()
        .map(|(key, row)| match PnlUpdate::deserialize(&row) {
            Ok(p) => Ok(Box::new(p.with_key(&key)) as Box<dyn Any + Send>),
            Err(e) => Err(FrameError::new(
                FrameErrorKind::UnexpectedShape,
                format!("{key}: {e}"),
                &row.to_string(),
            )
            .on(topic)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_sniffing() {
        assert_eq!(sniff_topic(r#"{"topic":"smd+1","31":"2"}"#), Some("smd+1"));
        assert_eq!(
            sniff_topic(r#"{ "31":"2", "topic" : "smd+1"}"#),
            Some("smd+1")
        );
        assert_eq!(
            sniff_topic(r#"{"m":"say \"topic\":\"x\"","topic":"sor"}"#),
            Some("sor")
        );
        assert_eq!(sniff_topic(r#"{"31":"2"}"#), None);
        assert_eq!(sniff_topic(r#"{"topic":"a\"b"}"#), None);
    }

    #[test]
    fn frames_out() {
        let m = market(265598, None, &[Field::Last, Field::Bid]);
        assert_eq!(m.subscribe.unwrap(), r#"smd+265598+{"fields":["31","84"]}"#);
        assert_eq!(m.unsubscribe.unwrap(), "umd+265598+{}");
        assert_eq!(
            market(1, Some("SMART"), &[]).subscribe.unwrap(),
            r#"smd+1@SMART+{"fields":[]}"#
        );
        assert_eq!(orders(&[]).subscribe.unwrap(), "sor+{}");
        assert_eq!(
            trades(true, 2).subscribe.unwrap(),
            r#"str+{"days":2,"realtimeUpdatesOnly":true}"#
        );
        assert_eq!(trades(true, 2).unsubscribe.unwrap(), "utr");
        assert_eq!(
            book("DU1", 5, Some("ARCA")).subscribe.unwrap(),
            "sbd+DU1+5+ARCA"
        );
        assert_eq!(history_cancel("77"), "umh+77");
    }
}
