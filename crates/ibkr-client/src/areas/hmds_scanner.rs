//! The HMDS market scanner, which scans IBKR's historical market data
//! service directly (bonds included) rather than the trading session's
//! scanner ([`Scanner::params`](super::scanner::Scanner::params),
//! [`Scanner::run`](super::scanner::Scanner::run)).
//!
//! [`Scanner::hmds_run`] runs a scan on both variants (the Web API's
//! `POST /hmds/scanner/run`, the Gateway's `POST /hmds/scanner`: the same
//! scan, the filters written the way each expects them);
//! [`Scanner::hmds_params`] lists what can be scanned (the Web API only).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::hmds_scanner::HmdsScanRequest;
//!
//! let scan = HmdsScanRequest::new("BOND", "BOND.US", "HIGH_BOND_ASK_YIELD_ALL", "BOND")
//!     .max_items(25)
//!     .filter("bondAskYieldBelow", 15.819);
//! let found = client.scanner().hmds_run(&scan).await?;
//! println!("{} of {:?} at {:?}", found.contracts.len(), found.total, found.scan_time);
//! for hit in &found.contracts {
//!     println!("{:?}", hit.conid);
//! }
//! # Ok(()) }
//! ```

use ibkr_ops::areas::hmds_scanner as ops;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::ids::{self, Conid};
use super::scanner::{ScanInstrument, ScanType, Scanner};
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result, Variant};
use crate::lenient;

/// A location of the HMDS scanner's tree (`BOND.US`, nested).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HmdsLocation {
    /// The display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    /// The instrument type, at the top of the tree.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The location code to scan (`BOND.US`).
    #[serde(
        default,
        rename = "locationCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub code: Option<String>,
    /// The locations under this one.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub locations: Vec<HmdsLocation>,
}

/// What the HMDS scanner offers ([`Scanner::hmds_params`]).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct HmdsScannerParams {
    /// Scan types (`code` is a request's `scanCode`).
    #[serde(
        default,
        rename = "scan_type_list",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub scan_types: Vec<ScanType>,
    /// Instrument types.
    #[serde(
        default,
        rename = "instrument_list",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub instruments: Vec<ScanInstrument>,
    /// The location tree.
    #[serde(
        default,
        rename = "location_tree",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub locations: Vec<HmdsLocation>,
}

/// A scan to run ([`Scanner::hmds_run`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HmdsScanRequest {
    /// The instrument (`BOND`, `STK`).
    pub instrument: String,
    /// The location code (`BOND.US`).
    pub locations: String,
    /// The scan type code (`HIGH_BOND_ASK_YIELD_ALL`).
    #[serde(rename = "scanCode")]
    pub scan_code: String,
    /// The security type (`BOND`, `STK`).
    #[serde(rename = "secType")]
    pub sec_type: String,
    /// Locations for delayed data (`SMART`), when wanted.
    #[serde(rename = "delayedLocations", skip_serializing_if = "Option::is_none")]
    pub delayed_locations: Option<String>,
    /// At most this many results (IBKR's default and maximum: 250).
    #[serde(rename = "maxItems", skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// Filters, in order.
    #[serde(skip)]
    pub filters: Vec<HmdsFilter>,
}

/// One filter of an [`HmdsScanRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct HmdsFilter {
    /// The filter's code (`bondAskYieldBelow`).
    pub code: String,
    /// Its value: a number, a boolean or text, as the filter takes.
    pub value: Value,
}

impl HmdsScanRequest {
    /// A scan without filters.
    pub fn new(
        instrument: impl Into<String>,
        locations: impl Into<String>,
        scan_code: impl Into<String>,
        sec_type: impl Into<String>,
    ) -> Self {
        HmdsScanRequest {
            instrument: instrument.into(),
            locations: locations.into(),
            scan_code: scan_code.into(),
            sec_type: sec_type.into(),
            delayed_locations: None,
            max_items: None,
            filters: Vec::new(),
        }
    }

    /// Asks for at most `n` results.
    pub fn max_items(mut self, n: u32) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Scans delayed data at these locations (`SMART`).
    pub fn delayed_locations(mut self, locations: impl Into<String>) -> Self {
        self.delayed_locations = Some(locations.into());
        self
    }

    /// Adds a filter: a code and its value (a number, a boolean or text,
    /// as the filter takes).
    pub fn filter(mut self, code: impl Into<String>, value: impl Into<Value>) -> Self {
        self.filters.push(HmdsFilter {
            code: code.into(),
            value: value.into(),
        });
        self
    }

    /// The body for `variant`: the Web API takes `filters` as
    /// `[{"code": value}]`, the Gateway as `[{"code": …, "value": …}]`.
    fn body(&self, variant: Variant) -> Result<Value> {
        let mut body =
            serde_json::to_value(self).map_err(|e| Error::InvalidArgument(e.to_string()))?;
        let filters: Vec<Value> = self
            .filters
            .iter()
            .map(|f| match variant {
                Variant::Web => {
                    let mut one = Map::new();
                    one.insert(f.code.clone(), f.value.clone());
                    Value::Object(one)
                }
                Variant::Gateway => json!({"code": f.code, "value": f.value}),
            })
            .collect();
        body["filters"] = Value::Array(filters);
        Ok(body)
    }
}

/// One contract an HMDS scan found.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HmdsScanContract {
    /// The contract id.
    #[serde(
        default,
        rename = "contractID",
        alias = "conid",
        deserialize_with = "ids::opt_conid"
    )]
    pub conid: Option<Conid>,
    /// When it entered the scan (`YYYYMMDD-HH:mm:ss`).
    #[serde(
        default,
        rename = "inScanTime",
        deserialize_with = "lenient::opt_string"
    )]
    pub in_scan_time: Option<String>,
    /// IBKR's distance, when sent.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub distance: Option<String>,
}

/// The result of an HMDS scan.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HmdsScan {
    /// The scan's id (`scanner20`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// How many contracts match in all.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total: Option<i64>,
    /// How many this page holds.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub size: Option<i64>,
    /// The page's offset.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub offset: Option<i64>,
    /// When the scan ran (`YYYYMMDD-HH:mm:ss`).
    #[serde(default, rename = "scanTime", deserialize_with = "lenient::opt_string")]
    pub scan_time: Option<String>,
    /// IBKR's position marker of the page.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub position: Option<String>,
    /// A warning (`250 out of 6111 items retrieved`).
    #[serde(
        default,
        rename = "warningText",
        deserialize_with = "lenient::opt_string"
    )]
    pub warning_text: Option<String>,
    /// The contracts found (IBKR's `{"Contracts": {"Contract": […]}}`).
    #[serde(
        default,
        rename = "Contracts",
        alias = "contracts",
        deserialize_with = "contracts"
    )]
    pub contracts: Vec<HmdsScanContract>,
}

/// `{"Contract": […]}` (a list, one contract or `null`), or a plain list
/// (what [`HmdsScan`] serializes to).
fn contracts<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<HmdsScanContract>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Nested {
        Wrapped {
            #[serde(
                default,
                rename = "Contract",
                deserialize_with = "lenient::vec_or_single"
            )]
            contract: Vec<HmdsScanContract>,
        },
        Plain(#[serde(deserialize_with = "lenient::vec_or_single")] Vec<HmdsScanContract>),
    }
    Ok(match Nested::deserialize(d)? {
        Nested::Wrapped { contract } | Nested::Plain(contract) => contract,
    })
}

impl Scanner<'_> {
    /// What the HMDS scanner offers: instruments, scan types, locations
    /// (`GET /hmds/scanner/params`; Web API).
    pub async fn hmds_params(&self) -> Result<HmdsScannerParams> {
        self.client.op(&ops::HMDS_PARAMS)?.fetch().await
    }

    /// Runs an HMDS scan (up to 250 contracts) on either variant
    /// (`POST /hmds/scanner/run` on the Web API, `POST /hmds/scanner` on
    /// the Gateway).
    pub async fn hmds_run(&self, request: &HmdsScanRequest) -> Result<HmdsScan> {
        let body = request.body(self.client.variant())?;
        self.client.op(&ops::HMDS_RUN)?.json(&body)?.fetch().await
    }
}
