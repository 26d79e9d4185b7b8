//! The JSON Schemas of the read areas' public types
//! (`schemars::schema_for!`): for each type, an answer shaped like IBKR's
//! is decoded, and what the decoded value serializes to validates against
//! the type's schema (boon). Decimals are exact strings there, and codes
//! (security types, rights, order types and states) their IBKR text.
#![cfg(feature = "schemars")]

use ibkr_client::areas::{accounts, alerts, analyst, contracts, fyi, market_data, pnl, portfolio};
use ibkr_client::areas::{scanner, watchlists};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Validates `value` against the JSON Schema `schema` (boon); the
/// validation error as text.
fn validate(schema: Value, value: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:ibkr-client:schema", schema)
        .unwrap();
    let index = compiler
        .compile("urn:ibkr-client:schema", &mut schemas)
        .unwrap();
    schemas.validate(value, index).map_err(|e| e.to_string())
}

/// Decodes `sample` as `T`, serializes it and validates that against
/// `schema_for!(T)`; returns the serialized value.
fn round_trip<T: JsonSchema + Serialize + DeserializeOwned>(sample: Value) -> Value {
    let name = std::any::type_name::<T>();
    let decoded: T = serde_json::from_value(sample).unwrap_or_else(|e| panic!("{name}: {e}"));
    let json = serde_json::to_value(&decoded).unwrap();
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    if let Err(e) = validate(schema, &json) {
        panic!("{name}: {json}\n{e}");
    }
    // What it serializes to reads back as the same value.
    let again: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), json, "{name}");
    json
}

#[test]
fn accounts_and_portfolio() {
    round_trip::<accounts::BrokerageAccounts>(json!({
        "accounts": ["U1", "U2"], "selectedAccount": "U1", "aliases": {"U1": "main"},
        "acctProps": {"U1": {"hasChildAccounts": false, "supportsCashQty": true, "supportsFractions": true}},
        "groups": ["All"], "profiles": [], "isPaper": true, "sessionId": "abc"
    }));
    round_trip::<Vec<accounts::Account>>(json!([{
        "id": "DU123456", "accountId": "DU123456", "accountVan": "DU123456", "accountTitle": "John",
        "accountStatus": 1590724800000i64, "currency": "USD", "type": "DEMO", "faclient": false,
        "parent": {"mmc": [], "accountId": "", "isMParent": false, "isMChild": false, "isMultiplex": false}
    }]));
    round_trip::<accounts::AccountSummary>(json!({
        "netliquidation": {"amount": 206415536.0, "currency": "USD", "isNull": false, "timestamp": 1702582422000i64, "value": null, "severity": 0},
        "accountcode": {"amount": 0.0, "currency": null, "isNull": false, "value": "DU123456"}
    }));
    let ledger = round_trip::<accounts::Ledger>(json!({
        "BASE": {"cashbalance": -435667.94, "netliquidationvalue": "1,456,360.90", "exchangerate": 1,
                 "acctcode": "DU123456", "key": "LedgerList", "secondkey": "BASE", "timestamp": 1712784785}
    }));
    assert_eq!(ledger["BASE"]["cashbalance"], "-435667.94");
    round_trip::<accounts::Allocation>(json!({
        "assetClass": {"long": {"STK": 1564447.6240790943}, "short": {"OPT": -80.53}},
        "sector": {"long": {}, "short": {}}
    }));
    round_trip::<accounts::SwitchedAccount>(json!({"set": true, "acctId": "U2"}));
    let positions = round_trip::<Vec<portfolio::Position>>(json!([{
        "acctId": "DU123456", "conid": 584891614, "contractDesc": "SPY    JAN2025 440 C", "position": 1.0,
        "mktPrice": 95.70706175, "mktValue": 9570.71, "currency": "USD", "avgCost": 5801.0401,
        "avgPrice": 58.010401, "realizedPnl": 0.0, "unrealizedPnl": 3769.67, "expiry": "20250117",
        "putOrCall": "C", "multiplier": 100.0, "strike": "440", "assetClass": "OPT", "undConid": 756733,
        "incrementRules": [{"lowerEdge": 0.0, "increment": 0.01}], "fullName": "SPY Jan17'25 440 Call",
        "isUS": true, "pageSize": 100
    }]));
    assert_eq!(positions[0]["mktPrice"], "95.70706175");
    assert_eq!(positions[0]["putOrCall"], "C");
    assert_eq!(positions[0]["assetClass"], "OPT");
    round_trip::<portfolio::Invalidated>(json!({"message": "success"}));
}

#[test]
fn contracts_and_market_data() {
    round_trip::<Vec<contracts::ContractSearchResult>>(json!([{
        "conid": "265598", "symbol": "AAPL", "companyName": "APPLE INC", "description": "NASDAQ",
        "sections": [{"secType": "STK"}, {"secType": "OPT", "months": "JAN24;FEB24", "exchange": "SMART;AMEX"}]
    }]));
    round_trip::<contracts::ContractInfo>(json!({
        "con_id": 8314, "symbol": "IBM", "instrument_type": "STK", "company_name": "IBM CORP", "right": "?",
        "strike": "187.5", "multiplier": "", "r_t_h": true, "rules": {"defaultSize": 100}
    }));
    round_trip::<contracts::Strikes>(json!({"call": [70.0, 72.5], "put": ["75"]}));
    round_trip::<contracts::ContractRules>(json!({
        "orderTypes": ["limit", "mit", "trailing_stop"], "tifTypes": ["DAY/o,a"], "canTradeAcctIds": ["U1"],
        "tifDefaults": {"TIF": "DAY", "SIZE": "100.00", "PMALGO": true}, "defaultSize": 100,
        "increment": 0.01, "incrementRules": [{"lowerEdge": 0.0, "increment": 0.01}],
        "orderDefaults": {"LMT": {"LP": "198.22"}}
    }));
    round_trip::<Vec<contracts::Algo>>(
        json!([{"name": "Adaptive", "id": "Adaptive", "parameters": [{"id": "adaptivePriority"}]}]),
    );
    round_trip::<Vec<contracts::Stock>>(
        json!([{"name": "IBM", "assetClass": "STK", "contracts": [{"conid": 8314, "exchange": "NYSE", "isUS": true}]}]),
    );
    round_trip::<Vec<contracts::FutureContract>>(
        json!([{"symbol": "ES", "conid": 495512557, "underlyingConid": 11004968, "expirationDate": 20241220, "ltd": 20241219}]),
    );
    round_trip::<Vec<contracts::TradingSchedule>>(json!([{
        "id": "p1", "exchange": "NYSE", "timezone": "America/New_York",
        "schedules": [{"tradingScheduleDate": "20000103", "sessions": [{"openingTime": "0930", "closingTime": "1600", "prop": "LIQUID"}]}]
    }]));
    let query = contracts::SecdefInfoQuery::default();
    let schema = serde_json::to_value(schemars::schema_for!(contracts::SecdefInfoQuery)).unwrap();
    assert!(schema["properties"]["strike"].is_object(), "{schema}");
    assert_eq!(serde_json::to_value(&query).unwrap()["sec_type"], "OPT");

    let snap = round_trip::<market_data::Snapshot>(json!({
        "conid": 265598, "conidEx": "265598", "_updated": 1700000000000i64, "31": "C190.5", "84": 190.4
    }));
    assert_eq!(snap["fields"]["31"], "C190.5");
    let price = serde_json::to_value(market_data::SnapshotPrice::PriorClose(
        "190.5".parse().unwrap(),
    ))
    .unwrap();
    assert_eq!(price, json!({"PriorClose": "190.5"}));
    // `schema_for!` is what the type reads (schemars' deserialize
    // contract: a decimal from a number or a string); the serialize
    // contract is what it writes, where a price is exact text.
    let reads = serde_json::to_value(schemars::schema_for!(market_data::SnapshotPrice)).unwrap();
    let writes = serde_json::to_value(
        schemars::generate::SchemaSettings::default()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<market_data::SnapshotPrice>(),
    )
    .unwrap();
    validate(reads.clone(), &price).unwrap();
    validate(writes.clone(), &price).unwrap();
    validate(reads, &json!({"Live": 190.5})).unwrap();
    assert!(
        validate(writes, &json!({"Live": 190.5})).is_err(),
        "a price is written as exact text"
    );

    round_trip::<market_data::History>(json!({
        "symbol": "AAPL", "barLength": 86400, "priceFactor": 100, "high": "17510/472117.45/0",
        "data": [{"t": 1692345600000i64, "o": 173.4, "c": 174.7, "h": 175.1, "l": 171.7, "v": 472117.45}]
    }));
    round_trip::<market_data::HmdsHistory>(
        json!({"points": 1, "startTimeVal": 1702285200000i64, "data": [{"t": 1, "c": "1.5"}]}),
    );
    round_trip::<market_data::Unsubscribed>(json!({"success": true}));
}

#[test]
fn the_other_read_areas() {
    round_trip::<Vec<pnl::AccountPnl>>(
        json!([{"key": "U1.Core", "account_id": "U1", "dpl": -12510.0, "nl": "1,290,000"}]),
    );
    round_trip::<Vec<alerts::AlertSummary>>(
        json!([{"order_id": 9876543210i64, "account": "U1", "alert_name": "AAPL", "alert_active": 1}]),
    );
    round_trip::<alerts::AlertDetails>(json!({
        "account": "U1", "order_id": 833967258, "alert_name": "IBM", "tif": "GTC", "order_status": "Submitted",
        "alert_email": "a@example.com", "alert_send_message": 1, "condition_outside_rth": 1, "tool_id": 55834574848i64,
        "conditions": [{"condition_type": 1, "conidex": "8314@NYSE", "condition_operator": ">=", "condition_value": "500.00"}]
    }));
    round_trip::<alerts::AlertResult>(
        json!({"request_id": null, "order_id": 1408549184, "success": true, "text": "Submitted"}),
    );
    let request = alerts::AlertRequest::new("AAPL above 200")
        .condition(alerts::AlertCondition::price("265598@SMART", ">=", "200"));
    let schema = serde_json::to_value(schemars::schema_for!(alerts::AlertRequest)).unwrap();
    assert!(schema["properties"]["alertName"].is_object(), "{schema}");
    let _ = serde_json::to_value(&request).unwrap();
    round_trip::<analyst::Performance>(json!({
        "currencyType": "base", "included": ["U1"], "pm": "TWR", "nd": 346,
        "nav": {"dates": ["20230102"], "freq": "D", "data": [{"id": "U1", "idType": "acctid", "navs": [202767332.1223],
                "startNAV": {"date": "20221230", "val": 202767761.3449}}]},
        "cps": {"dates": ["20230102"], "data": [{"id": "U1", "returns": [0.0639, "N/A"]}]}
    }));
    round_trip::<analyst::Summary>(
        json!({"amount": 1000000.5, "currency": "USD", "isNull": false}),
    );
    round_trip::<analyst::Transactions>(json!({
        "currency": "USD", "from": 1702270800000i64, "to": 1702530000000i64, "includesRealTime": true, "nd": 4,
        "rpnl": {"amt": "12.2516", "data": [{"date": "20231211", "cur": "USD", "fxRate": 1, "side": "L", "acctid": "U1", "amt": "12.2516", "conid": "265598"}]},
        "transactions": [{"date": "Mon Dec 11", "cur": "USD", "fxRate": 1, "pr": 192.26, "qty": -5, "acctid": "U1", "amt": 961.3, "conid": 265598, "type": "Sell"}]
    }));
    round_trip::<scanner::ScannerParams>(json!({
        "scan_type_list": [{"display_name": "Top % Gainers", "code": "TOP_PERC_GAIN", "instruments": ["STK"]}],
        "instrument_list": [{"display_name": "US Stocks", "type": "STK", "filters": ["priceAbove"]}],
        "filter_list": [{"group": "g", "display_name": "Price", "code": "priceAbove", "type": "range"}],
        "location_tree": [{"type": "STK", "locations": []}]
    }));
    round_trip::<Vec<scanner::ScanResult>>(json!([{
        "server_id": "0", "column_name": "Trades", "symbol": "TSLA", "conidex": "76792991", "con_id": 76792991,
        "company_name": "TESLA INC", "scan_data": "221.521K", "listing_exchange": "NASDAQ.NMS", "sec_type": "STK"
    }]));
    let request = scanner::ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN")
        .filter("priceAbove", 5);
    let schema = serde_json::to_value(schemars::schema_for!(scanner::ScannerRequest)).unwrap();
    validate(schema, &serde_json::to_value(&request).unwrap()).unwrap();
    round_trip::<Vec<watchlists::WatchlistSummary>>(
        json!([{"is_open": false, "read_only": false, "name": "Test", "modified": 1702581306241i64, "id": "1234", "type": "watchlist"}]),
    );
    round_trip::<watchlists::Watchlist>(json!({
        "id": "1234", "hash": "1234987651621", "name": "Test", "readOnly": false,
        "instruments": [{"ST": "STK", "C": "8314", "conid": 8314, "name": "IBM CORP", "fullName": "IBM", "assetClass": "STK", "ticker": "IBM"}]
    }));
    round_trip::<Vec<fyi::FyiSetting>>(
        json!([{"FC": "PF", "H": 0, "A": 1, "FD": "d", "FN": "Portfolio FYIs"}]),
    );
    round_trip::<Vec<fyi::Notification>>(
        json!([{"R": 0, "D": "1710847062.0", "MS": "FYI", "MD": "<html/>", "ID": "2024031947509444", "HT": 0, "FC": "PF"}]),
    );
    round_trip::<fyi::Disclaimer>(json!({"FC": "PF", "DT": "text"}));
    round_trip::<fyi::DeliveryOptions>(
        json!({"E": [{"NM": "iPhone", "I": "apn://mtws@X", "UI": "apn://mtws@X", "A": 1}], "M": 1}),
    );
    let _: Value = serde_json::to_value(schemars::schema_for!(fyi::DeliveryDevice)).unwrap();
}
