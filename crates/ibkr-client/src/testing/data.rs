//! Canned data and the JSON shapes the mock answers with.
//!
//! Values are the same on both variants; where the two specs disagree on a
//! shape (a conid as string or number, an array or a wrapping object), each
//! variant gets its own spec's shape. IBKR's habits are kept: numbers as
//! strings, `""` for missing values, a pre-flight snapshot.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::mock::{Answer, LiveOrder, MockVariant, Req, State, error};

/// The primary paper account.
pub(crate) const ACCOUNT: &str = "DU1234567";
/// The second paper account.
pub(crate) const ACCOUNT_2: &str = "DU7654321";
/// The message id of the question asked before every order.
pub(crate) const ORDER_QUESTION_ID: &str = "o163";
/// The message id of the second question asked before several linked
/// orders (a bracket, an OCA group).
pub(crate) const LINKED_ORDERS_QUESTION_ID: &str = "o354";
const USER_ID: u64 = 12_345_678;
const NOW_MS: u64 = 1_704_205_800_000;

/// A contract the mock knows.
pub(crate) struct Contract {
    pub(crate) conid: i64,
    pub(crate) symbol: &'static str,
    pub(crate) name: &'static str,
    pub(crate) exchange: &'static str,
    pub(crate) last: f64,
}

pub(crate) const CONTRACTS: [Contract; 3] = [
    Contract {
        conid: 265598,
        symbol: "AAPL",
        name: "APPLE INC",
        exchange: "NASDAQ",
        last: 189.5,
    },
    Contract {
        conid: 272093,
        symbol: "MSFT",
        name: "MICROSOFT CORP",
        exchange: "NASDAQ",
        last: 415.2,
    },
    Contract {
        conid: 756733,
        symbol: "SPY",
        name: "SPDR S&P 500 ETF TRUST",
        exchange: "ARCA",
        last: 510.35,
    },
];

fn contract(conid: i64) -> Option<&'static Contract> {
    CONTRACTS.iter().find(|c| c.conid == conid)
}

/// The canned last price of a contract.
pub(crate) fn last_price(conid: i64) -> Option<f64> {
    contract(conid).map(|c| c.last)
}

fn contract_str(conid: &str) -> Option<&'static Contract> {
    conid.trim().parse().ok().and_then(contract)
}

/// A number as the variant's spec types it: a string on the Web API (as
/// IBKR often sends), a JSON number on the Gateway.
fn num(variant: MockVariant, x: f64) -> Value {
    match variant {
        MockVariant::Web => Value::String(fmt_num(x)),
        MockVariant::Gateway => json!(x),
    }
}

fn int_or_str(variant: MockVariant, x: i64) -> Value {
    match variant {
        MockVariant::Web => Value::String(x.to_string()),
        MockVariant::Gateway => json!(x),
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// `1234567.5` → `"1,234,567.50"`, as IBKR formats money in what-if answers.
fn money(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac}", if x < 0.0 { "-" } else { "" })
}

// --- session -----------------------------------------------------------------

pub(crate) fn auth_status(st: &State, message: &str) -> Value {
    json!({
        "authenticated": st.brokerage,
        "competing": st.competing,
        "connected": true,
        "message": message,
        "MAC": "98:F2:B3:23:BF:A0",
        "fail": "",
        "prompts": [],
        "serverInfo": {"serverName": "MockIbkr", "serverVersion": "Build 10.25.0p"},
    })
}

pub(crate) fn tickle(st: &State) -> Value {
    json!({
        "session": st.session,
        "ssoExpires": 86_000_000,
        "collission": false,
        "userId": USER_ID,
        "hmds": {"error": "no bridge"},
        "iserver": {"authStatus": auth_status(st, "")},
    })
}

pub(crate) fn sso_validate(variant: MockVariant) -> Value {
    let mut v = json!({
        "USER_ID": USER_ID,
        "USER_NAME": "mockuser",
        "RESULT": true,
        "AUTH_TIME": NOW_MS,
        "SF_ENABLED": false,
        "IS_FREE_TRIAL": false,
        "CREDENTIAL": "mockuser",
        "IP": "127.0.0.1",
        "EXPIRES": 86_000_000,
        "IS_MASTER": false,
        "LANDING_APP": "UNIVERSAL",
        "PAPER_USER_NAME": "mockuser",
        "lastAccessed": NOW_MS,
        "region": "NJ",
    });
    match variant {
        MockVariant::Web => v["loginType"] = json!(2),
        MockVariant::Gateway => {
            v["LOGIN_TYPE"] = json!(2);
            v["expire"] = json!(86_000_000);
        }
    }
    v
}

// --- accounts and portfolio --------------------------------------------------

pub(crate) fn iserver_accounts(st: &State) -> Value {
    let props = json!({"hasChildAccounts": false, "supportsCashQty": true, "supportsFractions": false,
        "allowCustomerTime": false, "isProp": false, "noFXConv": false});
    json!({
        "accounts": [ACCOUNT, ACCOUNT_2],
        "acctProps": {ACCOUNT: props, ACCOUNT_2: props},
        "aliases": {ACCOUNT: ACCOUNT, ACCOUNT_2: "Mock second account"},
        "allowFeatures": {"allowCrypto": false, "allowedAssetTypes": "STK,OPT,FUT,CASH", "snapshotRefreshTimeout": 30},
        "chartPeriods": {"STK": ["*"]},
        "groups": [],
        "profiles": [],
        "selectedAccount": ACCOUNT,
        "serverInfo": {"serverName": "MockIbkr", "serverVersion": "Build 10.25.0p"},
        "sessionId": st.session,
        "isFt": false,
        "isPaper": true,
    })
}

pub(crate) fn portfolio_accounts() -> Value {
    let account = |id: &str, alias: &str| {
        json!({
            "id": id,
            "accountId": id,
            "accountVan": id,
            "accountTitle": "Mock Paper Account",
            "displayName": id,
            "accountAlias": alias,
            "accountStatus": NOW_MS,
            "currency": "USD",
            "type": "DEMO",
            "tradingType": "PMRGN",
            "businessType": "IB_PROSERVE",
            "ibEntity": "IBLLC-US",
            "faclient": false,
            "faClient": false,
            "clearingStatus": "O",
            "covestor": false,
            "noClientTrading": false,
            "trackVirtualFXPortfolio": true,
            "acctCustType": "INDIVIDUAL",
            "brokerageAccess": true,
            "desc": id,
            "parent": {"mmc": [], "accountId": "", "isMParent": false, "isMChild": false, "isMultiplex": false},
        })
    };
    json!([
        account(ACCOUNT, ""),
        account(ACCOUNT_2, "Mock second account")
    ])
}

fn known_account(account: &str) -> bool {
    account == ACCOUNT || account == ACCOUNT_2
}

/// IBKR's page size of `/portfolio/{accountId}/positions/{pageId}`.
pub(crate) const POSITIONS_PAGE_SIZE: usize = 100;
/// How many option positions the second account holds: three pages.
pub(crate) const ACCOUNT_2_POSITIONS: usize = 205;

pub(crate) fn positions(variant: MockVariant, account: &str, page: &str) -> Answer {
    if !known_account(account) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("account {account} not found"),
        );
    }
    let Ok(page) = page.trim().parse::<usize>() else {
        return error(StatusCode::BAD_REQUEST, format!("bad page {page}"));
    };
    let rows: Vec<Value> = if account == ACCOUNT {
        if page != 0 {
            return (StatusCode::OK, json!([]));
        }
        let holdings = [(265598, 100.0, 150.25), (272093, 50.0, 330.1)];
        holdings
            .iter()
            .map(|&(conid, qty, avg)| stock_position(variant, conid, qty, avg))
            .collect()
    } else {
        let start = page
            .saturating_mul(POSITIONS_PAGE_SIZE)
            .min(ACCOUNT_2_POSITIONS);
        let end = (start + POSITIONS_PAGE_SIZE).min(ACCOUNT_2_POSITIONS);
        (start..end).map(|i| option_position(variant, i)).collect()
    };
    (StatusCode::OK, Value::Array(rows))
}

/// A stock position of the first account.
fn stock_position(variant: MockVariant, conid: i64, qty: f64, avg: f64) -> Value {
    let c = contract(conid).expect("canned contract");
    let value = qty * c.last;
    json!({
        "acctId": ACCOUNT,
        "conid": conid,
        "contractDesc": c.symbol,
        "ticker": c.symbol,
        "name": c.name,
        "fullName": c.symbol,
        "assetClass": "STK",
        "position": qty,
        "mktPrice": c.last,
        "mktValue": value,
        "currency": "USD",
        "avgCost": avg,
        "avgPrice": avg,
        "realizedPnl": 0.0,
        "unrealizedPnl": value - qty * avg,
        "listingExchange": c.exchange,
        "multiplier": 0.0,
        "strike": match variant { MockVariant::Web => json!("0"), MockVariant::Gateway => json!(0.0) },
        "expiry": "",
        "putOrCall": "",
        "sector": "Technology",
        "group": "Computers",
        "undConid": 0,
        "incrementRules": [{"lowerEdge": 0.0, "increment": 0.01}],
        "pageSize": POSITIONS_PAGE_SIZE,
        "model": "",
    })
}

/// The `i`-th option position of the second account: SPY calls and puts
/// on January 2025 strikes, one contract each, as IBKR pages them.
fn option_position(variant: MockVariant, i: usize) -> Value {
    let spy = contract(756733).expect("canned contract");
    let strike = 400 + (i / 2) * 5;
    let (right, word) = if i.is_multiple_of(2) {
        ("C", "Call")
    } else {
        ("P", "Put")
    };
    let qty = if i.is_multiple_of(3) { -1.0 } else { 2.0 };
    // Prices in cents, so that each float is the nearest to its decimal.
    let cents = (105 + (i % 40) * 25) as f64;
    let (price, avg) = (cents / 100.0, (cents - 50.0) / 100.0);
    let value = qty * cents;
    json!({
        "acctId": ACCOUNT_2,
        "conid": 800_000_000 + i,
        "contractDesc": format!("SPY    JAN2025 {strike} {right} [SPY   250117{right}00{strike}000 100]"),
        "ticker": "SPY",
        "name": spy.name,
        "fullName": format!("SPY Jan17'25 {strike} {word}"),
        "assetClass": "OPT",
        "position": qty,
        "mktPrice": num(variant, price),
        "mktValue": num(variant, value),
        "currency": "USD",
        "avgCost": cents - 50.0,
        "avgPrice": avg,
        "realizedPnl": 0.0,
        "unrealizedPnl": 50.0 * qty,
        "listingExchange": "AMEX",
        "multiplier": 100.0,
        "strike": match variant { MockVariant::Web => json!(strike.to_string()), MockVariant::Gateway => json!(strike) },
        "expiry": "20250117",
        "lastTradingDay": "20250117",
        "putOrCall": right,
        "undConid": spy.conid,
        "undSym": spy.symbol,
        "undComp": spy.name,
        "pageSize": POSITIONS_PAGE_SIZE,
        "model": "",
    })
}

// --- contracts ---------------------------------------------------------------

pub(crate) fn secdef_search(req: &Req<'_>) -> Answer {
    let Some(symbol) = req.param("symbol").filter(|s| !s.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "symbol required");
    };
    let by_name = req.param("name").as_deref() == Some("true");
    let needle = symbol.to_ascii_uppercase();
    let hits: Vec<Value> = CONTRACTS
        .iter()
        .filter(|c| {
            if by_name {
                c.name.contains(&needle)
            } else {
                c.symbol.starts_with(&needle)
            }
        })
        .map(|c| {
            json!({
                "conid": int_or_str(req.variant, c.conid),
                "companyHeader": format!("{} - {}", c.name, c.exchange),
                "companyName": c.name,
                "symbol": c.symbol,
                "description": c.exchange,
                "opt": "20240119;20240216",
                "war": "",
                "sections": [
                    {"secType": "STK"},
                    {"secType": "OPT", "months": "JAN24;FEB24", "exchange": "SMART;AMEX;CBOE"},
                ],
            })
        })
        .collect();
    (StatusCode::OK, Value::Array(hits))
}

pub(crate) fn contract_info(variant: MockVariant, conid: &str) -> Answer {
    let Some(c) = contract_str(conid) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("contract {conid} not found"),
        );
    };
    let mut v = json!({
        // The Web spec types con_id as a number, the Gateway's as a string.
        "con_id": match variant { MockVariant::Web => json!(c.conid), MockVariant::Gateway => json!(c.conid.to_string()) },
        "symbol": c.symbol,
        "company_name": c.name,
        "local_symbol": c.symbol,
        "trading_class": if c.exchange == "ARCA" { "SPY" } else { "NMS" },
        "currency": "USD",
        "exchange": c.exchange,
        "valid_exchanges": "SMART,AMEX,NYSE,CBOE,ARCA,ISLAND,IEX",
        "instrument_type": "STK",
        "category": "Computers",
        "industry": "Technology",
        "r_t_h": true,
        "multiplier": "",
        "cusip": "",
        "smart_available": true,
        "allow_sell_long": false,
        "is_zero_commission_security": false,
    });
    if variant == MockVariant::Gateway {
        v["rules"] = json!({
            "orderTypes": ["limit", "market", "stop", "stop_limit"],
            "tifTypes": ["DAY", "GTC", "IOC"],
            "defaultSize": 100,
            "sizeIncrement": 1,
            "increment": "0.01",
            "preview": true,
        });
    }
    (StatusCode::OK, v)
}

pub(crate) fn trsrv_secdef(req: &Req<'_>) -> Answer {
    let conids: Vec<String> = match req.body.get("conids").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        None => req
            .param("conids")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    };
    if conids.is_empty() {
        return error(StatusCode::BAD_REQUEST, "conids required");
    }
    if conids.len() > 200 {
        return error(StatusCode::BAD_REQUEST, "at most 200 conids per request");
    }
    let items: Vec<Value> = conids
        .iter()
        .filter_map(|c| contract_str(c))
        .map(|c| {
            let rules = json!({"lowerEdge": 0.0, "increment": 0.01});
            json!({
                "conid": c.conid,
                "currency": "USD",
                "name": c.name,
                "fullName": c.symbol,
                "ticker": c.symbol,
                "assetClass": "STK",
                "listingExchange": c.exchange,
                "allExchanges": "AMEX,NYSE,CBOE,ARCA,ISLAND,IEX,SMART",
                "isUS": true,
                "hasOptions": true,
                "chineseName": "",
                "time": 0,
                "incrementRules": match req.variant { MockVariant::Web => json!([rules]), MockVariant::Gateway => rules },
            })
        })
        .collect();
    match req.variant {
        MockVariant::Web => (StatusCode::OK, json!({"secdef": items})),
        MockVariant::Gateway => (StatusCode::OK, Value::Array(items)),
    }
}

// --- market data ---------------------------------------------------------------

/// The snapshot fields the mock fills, with their value for a contract.
fn field_value(c: &Contract, field: &str) -> Option<String> {
    let last = c.last;
    Some(match field {
        "31" => fmt_num(last),
        "55" => c.symbol.to_string(),
        "58" => String::new(),
        "70" => fmt_num(last * 1.01),
        "71" => fmt_num(last * 0.99),
        "82" => "+1.25".to_string(),
        "83" => "0.66".to_string(),
        "84" => fmt_num(last - 0.01),
        "85" => "300".to_string(),
        "86" => fmt_num(last + 0.01),
        "87" => "52.1M".to_string(),
        "88" => "200".to_string(),
        "7051" => c.name.to_string(),
        "7289" => String::new(),
        "7762" => "52100000".to_string(),
        _ => return None,
    })
}

const DEFAULT_FIELDS: [&str; 8] = ["31", "55", "70", "71", "84", "85", "86", "88"];

pub(crate) fn snapshot(req: &Req<'_>, seen: &mut HashSet<i64>) -> Answer {
    let conids = req.param("conids").unwrap_or_default();
    if conids.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "conids required");
    }
    let fields_param = req.param("fields").unwrap_or_default();
    let fields: Vec<&str> = if fields_param.trim().is_empty() {
        DEFAULT_FIELDS.to_vec()
    } else {
        fields_param.split(',').map(str::trim).collect()
    };
    let mut out = Vec::new();
    for conid in conids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Ok(id) = conid.parse::<i64>() else {
            return error(StatusCode::BAD_REQUEST, format!("bad conid {conid}"));
        };
        let mut row = json!({
            "conid": id,
            "conidEx": conid,
            "_updated": NOW_MS,
            "server_id": "q0",
            "6119": "q0",
        });
        // The first request per conid subscribes and returns no field values.
        let first = seen.insert(id);
        if let (false, Some(c)) = (first, contract(id)) {
            row["6509"] = json!("RpB");
            for f in &fields {
                if let Some(v) = field_value(c, f) {
                    row[*f] = Value::String(v);
                }
            }
        }
        out.push(row);
    }
    (StatusCode::OK, Value::Array(out))
}

pub(crate) fn history(req: &Req<'_>) -> Answer {
    let Some(c) = req.param("conid").as_deref().and_then(contract_str) else {
        return error(StatusCode::BAD_REQUEST, "unknown or missing conid");
    };
    let period = req.param("period").unwrap_or_else(|| "1d".into());
    let bar = req.param("bar").unwrap_or_else(|| "1hour".into());
    let bars: Vec<Value> = (0..5)
        .map(|i| {
            let base = c.last - 2.0 + i as f64 * 0.5;
            json!({
                "o": base,
                "c": base + 0.25,
                "h": base + 0.6,
                "l": base - 0.4,
                "v": 100_000.0 + i as f64 * 1_000.0,
                "t": NOW_MS + i * 3_600_000,
            })
        })
        .collect();
    (
        StatusCode::OK,
        json!({
            "serverId": "20477",
            "symbol": c.symbol,
            "text": c.name,
            "priceFactor": 100,
            "startTime": "20240102-14:30:00",
            "high": format!("{}/{}/0", (c.last * 100.0 + 100.0) as i64, 1000),
            "low": format!("{}/{}/0", (c.last * 100.0 - 240.0) as i64, 1000),
            "timePeriod": period,
            "barLength": 3600,
            "mdAvailability": "S",
            "mktDataDelay": 0,
            "outsideRth": false,
            "volumeFactor": 1,
            "priceDisplayRule": 1,
            "priceDisplayValue": "2",
            "negativeCapable": false,
            "messageVersion": 2,
            "bar": bar,
            "data": bars,
            "points": 4,
            "travelTime": 12,
        }),
    )
}

// --- orders ----------------------------------------------------------------------

/// An order as the mock read it from a request body.
#[derive(Debug, Clone)]
pub(crate) struct OrderTicket {
    pub(crate) account: String,
    pub(crate) conid: i64,
    pub(crate) side: String,
    pub(crate) order_type: String,
    pub(crate) quantity: f64,
    pub(crate) price: Option<f64>,
    pub(crate) tif: String,
}

/// An order of a placement: its ticket and what links it to the others.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub(crate) ticket: OrderTicket,
    pub(crate) coid: Option<String>,
    pub(crate) parent_id: Option<String>,
    pub(crate) aux_price: Option<f64>,
}

/// The order types IBKR's order endpoints take.
const ORDER_TYPES: [&str; 10] = [
    "MKT",
    "LMT",
    "STP",
    "STOP_LIMIT",
    "MOC",
    "LOC",
    "TRAIL",
    "TRAILLMT",
    "MIDPRICE",
    "REL",
];

/// The time in force values IBKR's order endpoints take.
const TIFS: [&str; 5] = ["DAY", "GTC", "IOC", "OPG", "PAX"];

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A number field of an order: absent is `None`; present, it must be a
/// JSON number (IBKR's specs type every price and size as one).
fn number(o: &Value, name: &str) -> Result<Option<f64>, Answer> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(error(
            StatusCode::BAD_REQUEST,
            format!("{name} must be a number, not {other}"),
        )),
    }
}

fn text<'a>(o: &'a Value, name: &str) -> Option<&'a str> {
    o.get(name).and_then(Value::as_str)
}

/// Reads IBKR's `{"orders": [...]}` the way IBKR does: anything else (a
/// bare list, one order object) is refused, and so is each order IBKR
/// would refuse: no `conid`, a side other than BUY or SELL, no or an
/// unknown `orderType`, no (or a non-positive) `quantity` (a `cashQty`
/// instead is fine), an unknown `tif`, a limit type without `price`, a
/// stop-limit without `auxPrice`, a trailing type without `trailingAmt`
/// and `trailingType`, a `parentId` naming no earlier order's `cOID`, and
/// a `cOID` twice in one request.
pub(crate) fn order_placements(account: &str, body: &Value) -> Result<Vec<Placement>, Answer> {
    let bad = |message: String| Err(error(StatusCode::BAD_REQUEST, message));
    if !known_account(account) {
        return bad(format!("account {account} not found"));
    }
    let Some(list) = body.get("orders").and_then(Value::as_array) else {
        return bad("the body must be {\"orders\": [...]}".into());
    };
    if list.is_empty() {
        return bad("no orders in the request".into());
    }
    let mut out: Vec<Placement> = Vec::with_capacity(list.len());
    for o in list {
        if !o.is_object() {
            return bad(format!("an order must be an object, not {o}"));
        }
        let conid = match o.get("conid") {
            Some(Value::Number(n)) => n.as_i64(),
            _ => None,
        }
        .or_else(|| {
            text(o, "conidex")
                .and_then(|c| c.split('@').next())
                .and_then(|c| c.parse().ok())
        });
        let Some(conid) = conid else {
            return bad("conid required".into());
        };
        if contract(conid).is_none() {
            return bad(format!("contract {conid} not found"));
        }
        let side = match text(o, "side") {
            Some(s @ ("BUY" | "SELL")) => s.to_string(),
            _ => return bad("side must be BUY or SELL".into()),
        };
        let order_type = match text(o, "orderType") {
            Some(t) if ORDER_TYPES.contains(&t) => t.to_string(),
            Some(t) => return bad(format!("unknown orderType {t}")),
            None => return bad("orderType required".into()),
        };
        let tif = match text(o, "tif") {
            Some(t) if TIFS.contains(&t) => t.to_string(),
            Some(t) => return bad(format!("unknown tif {t}")),
            None => return bad("tif required".into()),
        };
        let quantity = number(o, "quantity")?;
        let cash = number(o, "cashQty")?;
        let quantity = match (quantity, cash) {
            (Some(q), None) if q > 0.0 => q,
            (None, Some(c)) if c > 0.0 => 0.0,
            (Some(_), Some(_)) => return bad("quantity and cashQty are exclusive".into()),
            _ => return bad("quantity must be positive".into()),
        };
        let price = number(o, "price")?;
        let aux_price = number(o, "auxPrice")?;
        let needs_price = matches!(
            order_type.as_str(),
            "LMT" | "LOC" | "STP" | "STOP_LIMIT" | "TRAILLMT"
        );
        if needs_price && price.is_none() {
            return bad(format!("price required for a {order_type} order"));
        }
        if matches!(order_type.as_str(), "STOP_LIMIT" | "TRAILLMT") && aux_price.is_none() {
            return bad(format!("auxPrice required for a {order_type} order"));
        }
        if matches!(order_type.as_str(), "TRAIL" | "TRAILLMT") {
            let amount = number(o, "trailingAmt")?;
            let kind = text(o, "trailingType");
            if !amount.is_some_and(|a| a > 0.0) || !matches!(kind, Some("amt" | "%")) {
                return bad("trailingAmt and trailingType (amt or %) required".into());
            }
        }
        let coid = text(o, "cOID").map(str::to_string);
        let parent_id = text(o, "parentId").map(str::to_string);
        if let Some(parent) = &parent_id
            && !out.iter().any(|p| p.coid.as_ref() == Some(parent))
        {
            return bad(format!("parentId {parent} names no order of the request"));
        }
        if let Some(coid) = &coid
            && out.iter().any(|p| p.coid.as_ref() == Some(coid))
        {
            return bad(format!("cOID {coid} twice in the request"));
        }
        out.push(Placement {
            ticket: OrderTicket {
                account: text(o, "acctId").unwrap_or(account).to_string(),
                conid,
                side,
                order_type,
                quantity,
                price,
                tif,
            },
            coid,
            parent_id,
            aux_price,
        });
    }
    Ok(out)
}

/// The tickets of a what-if request (read like a placement).
pub(crate) fn order_tickets(account: &str, body: &Value) -> Result<Vec<OrderTicket>, Answer> {
    order_placements(account, body).map(|p| p.into_iter().map(|p| p.ticket).collect())
}

/// IBKR's refusal of a `cOID` it has already seen (an order answer, not an
/// HTTP error).
pub(crate) fn duplicate_coid(coid: &str) -> Value {
    json!({"error": format!("Local order ID={coid} is already registered.")})
}

pub(crate) fn what_if(tickets: &[OrderTicket]) -> Value {
    let t = &tickets[0];
    let c = contract(t.conid).expect("validated conid");
    let price = t.price.unwrap_or(c.last);
    let amount = t.quantity * price;
    let signed = if t.side == "BUY" { amount } else { -amount };
    let held = if t.conid == 265598 { 100.0 } else { 0.0 };
    let delta = if t.side == "BUY" {
        t.quantity
    } else {
        -t.quantity
    };
    let equity = 1_000_000.0;
    let triple = |current: f64, change: f64| json!({"current": money(current), "change": money(change), "after": money(current + change)});
    json!({
        "amount": {
            "amount": format!("{} USD", money(amount)),
            "commission": "1.00 USD",
            "total": format!("{} USD", money(amount + 1.0)),
        },
        "equity": triple(equity, -1.0),
        "initial": triple(25_000.0, signed.abs() * 0.25),
        "maintenance": triple(22_500.0, signed.abs() * 0.25),
        "position": {"current": fmt_num(held), "change": fmt_num(delta), "after": fmt_num(held + delta)},
        "warn": "",
        "error": null,
    })
}

/// The texts of the questions the mock asks, by message id.
fn question_text(id: &str) -> String {
    match id {
        "o163" => "You are submitting an order without market data. We strongly recommend against this as it may result in erroneous and unexpected trades. Are you sure you want to submit this order?".into(),
        "o354" => "You are about to submit several linked orders (a bracket or an OCA group). Are you sure you want to submit them?".into(),
        "o10331" => "This order will most likely trigger and fill immediately. Are you sure you want to submit this order?".into(),
        other => format!("Question {other}: are you sure you want to submit this order?"),
    }
}

pub(crate) fn order_question(reply_id: &str, message_id: &str) -> Value {
    json!([{
        "id": reply_id,
        "message": [question_text(message_id)],
        "messageIds": [message_id],
        "isSuppressed": false,
        "messageOptions": [],
    }])
}

pub(crate) fn live_orders(variant: MockVariant, orders: &[LiveOrder]) -> Value {
    let rows: Vec<Value> = orders
        .iter()
        .map(|o| {
            let c = contract(o.conid).expect("validated conid");
            let filled = o.filled;
            let mut row = json!({
                "acct": o.account,
                "account": o.account,
                "conid": int_or_str(variant, o.conid),
                "conidex": o.conid.to_string(),
                "orderId": match variant { MockVariant::Web => json!(o.order_id), MockVariant::Gateway => json!(o.order_id.to_string()) },
                "cashCcy": "USD",
                "companyName": c.name,
                "description1": c.symbol,
                "ticker": c.symbol,
                "secType": "STK",
                "listingExchange": c.exchange,
                "side": o.side,
                "orderType": o.order_type,
                "origOrderType": o.order_type,
                "timeInForce": o.tif,
                "status": o.status,
                "order_ccp_status": o.status,
                "totalSize": num(variant, o.quantity),
                "filledQuantity": num(variant, filled),
                "remainingQuantity": num(variant, o.quantity - filled),
                "sizeAndFills": format!("{}/{}", fmt_num(filled), fmt_num(o.quantity)),
                "orderDesc": format!("{} {} {}, {}", if o.side == "BUY" { "Buy" } else { "Sell" }, fmt_num(o.quantity), o.order_type, o.tif),
                "lastExecutionTime": "240102143000",
                "lastExecutionTime_r": NOW_MS,
                "bgColor": "#FFFFFF",
                "fgColor": "#000000",
            });
            if let Some(p) = o.price {
                row["price"] = num(variant, p);
            }
            if let Some(p) = o.aux_price {
                row["auxPrice"] = num(variant, p);
            }
            if let Some(p) = o.avg_price {
                row["avgPrice"] = num(variant, p);
            }
            if let Some(coid) = &o.coid {
                row["order_ref"] = json!(coid);
            }
            row
        })
        .collect();
    json!({"orders": rows, "snapshot": true})
}

/// One order's status as `/iserver/account/order/status/{id}` reports it.
pub(crate) fn order_status(variant: MockVariant, o: &LiveOrder) -> Value {
    let c = contract(o.conid).expect("validated conid");
    let mut v = json!({
        "order_id": o.order_id,
        "order_status": o.status,
        "conid": int_or_str(variant, o.conid),
        "conidex": format!("{}@SMART", o.conid),
        "symbol": c.symbol,
        "sec_type": "STK",
        "side": if o.side == "BUY" { "B" } else { "S" },
        "order_type": o.order_type,
        "size": fmt_num(o.quantity - o.filled),
        "cum_fill": fmt_num(o.filled),
        "total_size": fmt_num(o.quantity),
        "tif": o.tif,
        "currency": "USD",
        "listing_exchange": c.exchange,
        "account": o.account,
        "order_not_editable": o.status == "Filled" || o.status == "Cancelled",
        "cannot_cancel_order": o.status == "Filled" || o.status == "Cancelled",
        "order_time": "240102143000",
    });
    if let Some(p) = o.price {
        v["limit_price"] = json!(fmt_num(p));
    }
    if let Some(p) = o.aux_price {
        v["stop_price"] = json!(fmt_num(p));
    }
    if let Some(p) = o.avg_price {
        v["average_price"] = json!(fmt_num(p));
    }
    v
}

/// An execution of the mock (`/iserver/account/trades`).
#[derive(Debug, Clone)]
pub(crate) struct Execution {
    pub(crate) execution_id: String,
    pub(crate) account: String,
    pub(crate) conid: i64,
    pub(crate) side: String,
    pub(crate) size: f64,
    pub(crate) price: f64,
    pub(crate) coid: Option<String>,
}

pub(crate) fn trades(variant: MockVariant, executions: &[Execution]) -> Value {
    let rows: Vec<Value> = executions
        .iter()
        .map(|e| {
            let c = contract(e.conid).expect("validated conid");
            json!({
                "execution_id": e.execution_id,
                "symbol": c.symbol,
                "side": if e.side == "BUY" { "B" } else { "S" },
                "order_description": format!("{} {} @ {}", if e.side == "BUY" { "Bot" } else { "Sold" }, fmt_num(e.size), fmt_num(e.price)),
                "trade_time": "20240102-14:30:00",
                "trade_time_r": NOW_MS,
                "size": num(variant, e.size),
                "price": fmt_num(e.price),
                "order_ref": e.coid,
                "exchange": c.exchange,
                "commission": "1.00",
                "net_amount": e.size * e.price,
                "account": e.account,
                "company_name": c.name,
                "sec_type": "STK",
                "conid": e.conid.to_string(),
                "conidex": e.conid.to_string(),
            })
        })
        .collect();
    Value::Array(rows)
}

pub(crate) fn cancelled(variant: MockVariant, o: &LiveOrder) -> Value {
    json!({
        "msg": "Request was submitted",
        "order_id": o.order_id.to_string(),
        "conid": int_or_str(variant, o.conid),
        "account": o.account,
    })
}

// --- alerts, scanner, watchlists, pnl, fyi, portfolio analyst ---------------------

/// A price alert.
#[derive(Debug, Clone)]
pub(crate) struct Alert {
    pub(crate) id: u64,
    pub(crate) account: String,
    pub(crate) name: String,
    pub(crate) active: bool,
    pub(crate) repeatable: bool,
    pub(crate) conidex: String,
    pub(crate) operator: String,
    pub(crate) value: String,
}

pub(crate) fn initial_alerts() -> Vec<Alert> {
    vec![Alert {
        id: 9_000_100,
        account: ACCOUNT.into(),
        name: "AAPL above 200".into(),
        active: true,
        repeatable: false,
        conidex: "265598@SMART".into(),
        operator: ">=".into(),
        value: "200".into(),
    }]
}

/// A watchlist.
#[derive(Debug, Clone)]
pub(crate) struct Watchlist {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) conids: Vec<i64>,
    pub(crate) read_only: bool,
}

pub(crate) fn initial_watchlists() -> Vec<Watchlist> {
    vec![
        Watchlist {
            id: "100".into(),
            name: "Tech".into(),
            conids: vec![265598, 272093],
            read_only: false,
        },
        Watchlist {
            id: "-1".into(),
            name: "Mixed (IBKR)".into(),
            conids: vec![756733],
            read_only: true,
        },
    ]
}

pub(crate) fn initial_fyis() -> Vec<String> {
    vec!["8001".into(), "8002".into()]
}

fn alert_json(variant: MockVariant, a: &Alert) -> Value {
    let logic_bind = match variant {
        MockVariant::Web => json!(false),
        MockVariant::Gateway => json!("n"),
    };
    json!({
        "account": a.account,
        "order_id": a.id,
        "alertName": a.name,
        "alert_name": a.name,
        "tif": "GTC",
        "expire_time": "",
        "alert_active": a.active as i32,
        "alert_repeatable": a.repeatable as i32,
        "alert_email": "",
        "alert_send_message": 0,
        "alert_message": a.name,
        "alert_show_popup": 0,
        "alert_triggered": match variant { MockVariant::Web => json!(0), MockVariant::Gateway => json!(false) },
        "order_status": if a.active { "Submitted" } else { "Inactive" },
        "itws_orders_only": 0,
        "outside_rth": 0,
        "condition_size": 1,
        "order_not_editable": false,
        "conditions": [{
            "condition_type": 1,
            "conidex": a.conidex,
            "contract_description_1": "AAPL",
            "condition_operator": a.operator,
            "condition_value": a.value,
            "condition_logic_bind": logic_bind,
            "condition_time_zone": "",
        }],
    })
}

fn alert_result(id: u64, text: &str) -> Value {
    json!({"request_id": 0, "order_id": id, "success": true, "text": text, "failure_list": "", "order_status": ""})
}

/// Routes the endpoints of the secondary areas.
pub(crate) fn areas_route(st: &mut State, req: &Req<'_>, segs: &[&str]) -> Answer {
    let variant = req.variant;
    match (req.method.as_str(), segs) {
        // Alerts.
        ("GET", ["iserver", "account", account, "alerts"]) => {
            if !known_account(account) {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("account {account} not found"),
                );
            }
            let list: Vec<Value> = st
                .alerts
                .iter()
                .filter(|a| a.account == *account)
                .map(|a| {
                    json!({
                        "order_id": a.id,
                        "account": a.account,
                        "alert_name": a.name,
                        "alert_active": a.active as i32,
                        "order_time": "20240102-14:30:00",
                        "alert_triggered": false,
                        "alert_repeatable": a.repeatable as i32,
                    })
                })
                .collect();
            (StatusCode::OK, Value::Array(list))
        }
        ("GET", ["iserver", "account", "alert", id]) => {
            match st.alerts.iter().find(|a| a.id.to_string() == *id) {
                Some(a) => (StatusCode::OK, alert_json(variant, a)),
                None => error(StatusCode::BAD_REQUEST, format!("alert {id} not found")),
            }
        }
        ("POST", ["iserver", "account", account, "alert"]) => {
            if !known_account(account) {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("account {account} not found"),
                );
            }
            let Some(name) = req.body.get("alertName").and_then(Value::as_str) else {
                return error(StatusCode::BAD_REQUEST, "alertName required");
            };
            let cond = req
                .body
                .get("conditions")
                .and_then(Value::as_array)
                .and_then(|c| c.first())
                .cloned()
                .unwrap_or(Value::Null);
            let text = |v: Option<&Value>| match v {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let modify = req
                .body
                .get("orderId")
                .and_then(as_f64)
                .map(|x| x as u64)
                .filter(|x| *x != 0);
            let id = match modify {
                Some(id) => id,
                None => {
                    st.next_alert_id += 1;
                    st.next_alert_id
                }
            };
            let alert = Alert {
                id,
                account: account.to_string(),
                name: name.to_string(),
                active: true,
                repeatable: req.body.get("alertRepeatable").and_then(as_f64) == Some(1.0),
                conidex: text(cond.get("conidex")),
                operator: text(cond.get("operator")),
                value: text(cond.get("value")),
            };
            match st.alerts.iter_mut().find(|a| a.id == id) {
                Some(existing) => *existing = alert,
                None if modify.is_some() => {
                    return error(StatusCode::BAD_REQUEST, format!("alert {id} not found"));
                }
                None => st.alerts.push(alert),
            }
            let mut v = alert_result(id, "Submitted");
            v["warning_message"] = json!("");
            (StatusCode::OK, v)
        }
        ("POST", ["iserver", "account", _account, "alert", "activate"]) => {
            let id = req.body.get("alertId").and_then(as_f64).map(|x| x as u64);
            let active = req.body.get("alertActive").and_then(as_f64) == Some(1.0);
            match st.alerts.iter_mut().find(|a| Some(a.id) == id) {
                Some(a) => {
                    a.active = active;
                    (StatusCode::OK, alert_result(a.id, "Request was submitted"))
                }
                None => error(StatusCode::BAD_REQUEST, "alert not found"),
            }
        }
        ("DELETE", ["iserver", "account", _account, "alert", id]) => {
            if *id == "0" {
                st.alerts.clear();
                return (StatusCode::OK, alert_result(0, "All alerts deleted"));
            }
            let before = st.alerts.len();
            st.alerts.retain(|a| a.id.to_string() != *id);
            if st.alerts.len() == before {
                return error(StatusCode::BAD_REQUEST, format!("alert {id} not found"));
            }
            (
                StatusCode::OK,
                alert_result(id.parse().unwrap_or(0), "Request was submitted"),
            )
        }
        // Scanner.
        ("GET", ["iserver", "scanner", "params"]) => (
            StatusCode::OK,
            json!({
                "scan_type_list": [
                    {"display_name": "Top % Gainers", "code": "TOP_PERC_GAIN", "instruments": ["STK", "ETF.EQ.US"]},
                    {"display_name": "Most Active", "code": "MOST_ACTIVE", "instruments": ["STK"]},
                ],
                "instrument_list": [
                    {"display_name": "US Stocks", "type": "STK", "filters": ["priceAbove", "priceBelow"]},
                ],
                "filter_list": [
                    {"group": "priceGroup", "display_name": "Price Above", "code": "priceAbove", "type": "non-range"},
                    {"group": "priceGroup", "display_name": "Price Below", "code": "priceBelow", "type": "non-range"},
                ],
                "location_tree": [
                    {"display_name": "US Stocks", "type": "STK", "locations": [{"display_name": "Listed/NASDAQ", "type": "STK.US.MAJOR"}]},
                ],
            }),
        ),
        ("POST", ["iserver", "scanner", "run"]) => {
            let code = req.body.get("type").and_then(Value::as_str).unwrap_or("");
            if code != "TOP_PERC_GAIN" && code != "MOST_ACTIVE" {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("unknown scan type {code:?}"),
                );
            }
            let rows: Vec<Value> = CONTRACTS
                .iter()
                .map(|c| {
                    json!({
                        "server_id": "0",
                        "column_name": "Chg%",
                        "symbol": c.symbol,
                        "conidex": c.conid.to_string(),
                        "con_id": c.conid,
                        "available_chart_periods": "#R|1",
                        "company_name": c.name,
                        "scan_data": "+0.66%",
                        "contract_description_1": c.symbol,
                        "listing_exchange": c.exchange,
                        "sec_type": "STK",
                    })
                })
                .collect();
            match variant {
                MockVariant::Web => (
                    StatusCode::OK,
                    json!({"contracts": rows, "scan_data_column_name": "Chg%"}),
                ),
                MockVariant::Gateway => (StatusCode::OK, Value::Array(rows)),
            }
        }
        // Watchlists: a Web API feature only.
        ("GET", ["iserver", "watchlists"]) if variant == MockVariant::Web => {
            let lists: Vec<Value> = st
                .watchlists
                .iter()
                .map(|w| json!({"id": w.id, "name": w.name, "modified": NOW_MS, "read_only": w.read_only, "is_open": false, "type": "watchlist"}))
                .collect();
            (
                StatusCode::OK,
                json!({"action": "content", "MID": "1", "data": {"scanners_only": false, "show_scanners": false, "bulk_delete": false, "user_lists": lists}}),
            )
        }
        ("GET", ["iserver", "watchlist"]) if variant == MockVariant::Web => {
            let id = req.param("id").unwrap_or_default();
            match st.watchlists.iter().find(|w| w.id == id) {
                Some(w) => {
                    let instruments: Vec<Value> = w
                        .conids
                        .iter()
                        .filter_map(|id| contract(*id))
                        .map(|c| json!({"ST": "STK", "C": c.conid.to_string(), "conid": c.conid, "name": c.name, "fullName": c.symbol, "assetClass": "STK", "ticker": c.symbol, "chineseName": ""}))
                        .collect();
                    (
                        StatusCode::OK,
                        json!({"id": w.id, "hash": "1704205800000", "name": w.name, "readOnly": w.read_only, "instruments": instruments}),
                    )
                }
                None => error(StatusCode::NOT_FOUND, format!("watchlist {id} not found")),
            }
        }
        ("POST", ["iserver", "watchlist"]) if variant == MockVariant::Web => {
            let id = req.body.get("id").and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let name = req.body.get("name").and_then(Value::as_str);
            let (Some(id), Some(name)) = (id, name) else {
                return error(StatusCode::BAD_REQUEST, "id and name required");
            };
            let conids: Vec<i64> = req
                .body
                .get("rows")
                .and_then(Value::as_array)
                .map(|rows| {
                    rows.iter()
                        .filter_map(|r| r.get("C").and_then(as_f64).map(|c| c as i64))
                        .collect()
                })
                .unwrap_or_default();
            st.watchlists.retain(|w| w.id != id);
            st.watchlists.push(Watchlist {
                id: id.clone(),
                name: name.to_string(),
                conids: conids.clone(),
                read_only: false,
            });
            (
                StatusCode::OK,
                json!({"id": id, "hash": "1704205800000", "name": name, "readOnly": false, "instruments": []}),
            )
        }
        ("DELETE", ["iserver", "watchlist"]) if variant == MockVariant::Web => {
            let id = req.param("id").unwrap_or_default();
            let before = st.watchlists.len();
            st.watchlists.retain(|w| w.id != id || w.read_only);
            if st.watchlists.len() == before {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("watchlist {id} not found or read-only"),
                );
            }
            (
                StatusCode::OK,
                json!({"data": {"deleted": id}, "action": "context", "MID": "2"}),
            )
        }
        // Partitioned PnL.
        ("GET", ["iserver", "account", "pnl", "partitioned"]) => {
            let row = |nl: f64, upl: f64, dpl: f64| json!({"rowType": 1, "dpl": dpl, "nl": nl, "upl": upl, "el": nl * 0.9, "mv": nl * 0.4, "uel": 0.0});
            (
                StatusCode::OK,
                json!({"upnl": {
                    format!("{ACCOUNT}.Core"): row(1_000_000.0, 5_922.5, 125.0),
                    format!("{ACCOUNT_2}.Core"): row(250_000.0, 0.0, 0.0),
                }}),
            )
        }
        // FYI notifications.
        ("GET", ["fyi", "unreadnumber"]) => (StatusCode::OK, json!({"BN": st.unread_fyis.len()})),
        ("GET", ["fyi", "settings"]) => (
            StatusCode::OK,
            json!([
                {"FC": "PF", "H": 0, "A": 1, "FD": "Notify me of potential account pattern day trader status.", "FN": "Pattern Day Trader"},
                {"FC": "M8", "H": 0, "A": 0, "FD": "Notify me when the market is about to close.", "FN": "Market Close"},
            ]),
        ),
        ("POST", ["fyi", "settings", _typecode]) => (StatusCode::OK, json!({"V": 1, "T": 10})),
        ("GET", ["fyi", "disclaimer", typecode]) => (
            StatusCode::OK,
            json!({"FC": typecode, "DT": "This communication is provided for information purposes only."}),
        ),
        ("PUT", ["fyi", "disclaimer", _typecode]) => (StatusCode::OK, json!({"V": 1, "T": 10})),
        ("GET", ["fyi", "deliveryoptions"]) => (
            StatusCode::OK,
            json!({"M": 1, "E": [{"NM": "iPhone", "I": "device-1", "UI": "device-1", "A": "1"}]}),
        ),
        ("PUT", ["fyi", "deliveryoptions", "email"]) => {
            if req.param("enabled").is_none() {
                return error(StatusCode::BAD_REQUEST, "enabled required");
            }
            (StatusCode::OK, json!({"V": 1, "T": 10}))
        }
        ("POST", ["fyi", "deliveryoptions", "device"]) => {
            (StatusCode::OK, json!({"V": 1, "T": 10}))
        }
        ("DELETE", ["fyi", "deliveryoptions", _device]) => (StatusCode::OK, json!({})),
        ("GET", ["fyi", "notifications"]) | ("GET", ["fyi", "notifications", "more"]) => {
            let list: Vec<Value> = ["8001", "8002", "8003"]
                .iter()
                .map(|id| {
                    let read = !st.unread_fyis.iter().any(|u| u == id);
                    json!({
                        "R": if read { "1" } else { "0" },
                        "D": "1704205800.0",
                        "MS": format!("Notification {id}"),
                        "MD": "<html>Mock notification body</html>",
                        "ID": id,
                        "FC": "PF",
                    })
                })
                .collect();
            (StatusCode::OK, Value::Array(list))
        }
        ("PUT", ["fyi", "notifications", id]) => {
            if !["8001", "8002", "8003"].contains(id) {
                return error(
                    StatusCode::NOT_FOUND,
                    format!("notification {id} not found"),
                );
            }
            st.unread_fyis.retain(|u| u != id);
            (
                StatusCode::OK,
                json!({"V": 1, "T": 5, "P": {"R": 1, "ID": id}}),
            )
        }
        // Portfolio analyst.
        ("POST", ["pa", "performance"]) => {
            let accts = pa_accounts(req.body);
            let series = |key: &str| {
                json!({
                    "dates": ["20240102", "20240103", "20240104"],
                    "freq": "D",
                    "data": accts.iter().map(|a| json!({
                        "id": a, "idType": "acctid", "baseCurrency": "USD",
                        "start": "20240102", "end": "20240104",
                        key: [0.0, 0.0012, 0.0031],
                        "startNAV": {"date": "20240101", "val": 1_000_000.0},
                    })).collect::<Vec<_>>(),
                })
            };
            (
                StatusCode::OK,
                json!({
                    "currencyType": "base",
                    "rc": 0,
                    "nd": 3,
                    "pm": "TWR",
                    "id": "getPerformanceData",
                    "included": accts,
                    "cps": series("returns"),
                    "tpps": series("returns"),
                    "nav": series("navs"),
                }),
            )
        }
        ("POST", ["pa", "summary"]) if variant == MockVariant::Gateway => (
            StatusCode::OK,
            json!({"currency": "USD", "amount": 1_000_000.0, "value": "1,000,000.00", "isNull": false, "timestamp": NOW_MS}),
        ),
        ("POST", ["pa", "transactions"]) => {
            let accts = pa_accounts(req.body);
            let conids: Vec<i64> = req
                .body
                .get("conids")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(as_f64).map(|c| c as i64).collect())
                .unwrap_or_default();
            if accts.is_empty() || conids.is_empty() {
                return error(StatusCode::BAD_REQUEST, "acctIds and conids required");
            }
            let tx: Vec<Value> = conids
                .iter()
                .filter_map(|id| contract(*id))
                .map(|c| {
                    json!({
                        "acctid": accts[0], "conid": c.conid, "cur": "USD", "date": "Tue Jan 02 00:00:00 EST 2024",
                        "desc": c.name, "type": "Buy", "qty": 100, "pr": c.last, "amt": -(c.last * 100.0), "fxRate": 1,
                    })
                })
                .collect();
            (
                StatusCode::OK,
                json!({"id": "getTransactions", "currency": "USD", "from": NOW_MS - 86_400_000, "to": NOW_MS,
                    "includesRealTime": true, "nd": 1, "rc": 0, "transactions": tx}),
            )
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!("no such endpoint {} {}", req.method, req.path),
        ),
    }
}

fn pa_accounts(body: &Value) -> Vec<String> {
    body.get("acctIds")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped() {
        assert_eq!(money(1_000_000.0), "1,000,000.00");
        assert_eq!(money(18_950.5), "18,950.50");
        assert_eq!(money(-12.0), "-12.00");
        assert_eq!(money(999.0), "999.00");
    }
}
