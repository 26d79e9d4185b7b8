//! The data types of `ibkr_client::areas::hmds_scanner`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, Conid};
use super::scanner::{ScanInstrument, ScanType};
use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

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

/// What the HMDS scanner offers ([`Scanner::hmds_params`](../scanner/struct.Scanner.html#method.hmds_params)).
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

/// A scan to run ([`Scanner::hmds_run`](../scanner/struct.Scanner.html#method.hmds_run)).
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

#[doc(hidden)]
/// `{"Contract": […]}` (a list, one contract or `null`), or a plain list
/// (what [`HmdsScan`] serializes to).
pub fn contracts<'de, D: Deserializer<'de>>(
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
}
