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

pub use ibkr_model::areas::hmds_scanner::*;

use ibkr_ops::areas::hmds_scanner as ops;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::scanner::Scanner;
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result, Variant};
use crate::lenient;

/// The body of `request` for `variant`: the Web API takes `filters` as
/// `[{"code": value}]`, the Gateway as `[{"code": …, "value": …}]`.
fn scan_body(request: &HmdsScanRequest, variant: Variant) -> Result<Value> {
    let mut body =
        serde_json::to_value(request).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    let filters: Vec<Value> = request
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
        let body = scan_body(request, self.client.variant())?;
        self.client.op(&ops::HMDS_RUN)?.json(&body)?.fetch().await
    }
}
