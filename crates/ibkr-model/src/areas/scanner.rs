//! The data types of `ibkr_client::areas::scanner`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, Conid};
use super::orders::SecurityType;
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

/// A scan type.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScanType {
    /// The code to run (`TOP_PERC_GAIN`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    /// Instrument types it applies to.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub instruments: Vec<String>,
}

/// An instrument type.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScanInstrument {
    /// The type to send (`STK`).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    /// Filter codes it supports.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub filters: Vec<String>,
}

/// A filter.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScanFilter {
    /// The code to send (`priceAbove`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The display name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    /// The filter's group.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub group: Option<String>,
    /// IBKR's filter type (`range`, `non-range`).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
}

/// What the scanner offers.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScannerParams {
    /// Scan types.
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
    /// Filters.
    #[serde(
        default,
        rename = "filter_list",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub filters: Vec<ScanFilter>,
    /// The location tree, as IBKR sends it (nested lists).
    #[serde(default, rename = "location_tree")]
    pub locations: Value,
}

/// A scan to run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScannerRequest {
    /// Instrument type (`STK`).
    pub instrument: String,
    /// Location (`STK.US.MAJOR`).
    pub location: String,
    /// Scan type code (`TOP_PERC_GAIN`).
    #[serde(rename = "type")]
    pub scan_type: String,
    /// Filters.
    #[serde(rename = "filter")]
    pub filters: Vec<ScannerFilterValue>,
}

/// One filter of a [`ScannerRequest`]: `{"code": …, "value": …}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScannerFilterValue {
    /// The filter's code (from [`ScannerParams::filters`]).
    pub code: String,
    /// Its value, as IBKR takes it (a number, a string, a boolean).
    pub value: Value,
}

impl ScannerRequest {
    /// A scan without filters.
    pub fn new(instrument: &str, location: &str, scan_type: &str) -> Self {
        ScannerRequest {
            instrument: instrument.into(),
            location: location.into(),
            scan_type: scan_type.into(),
            filters: Vec::new(),
        }
    }

    /// Adds a filter (`code` from [`ScannerParams::filters`]): `5`,
    /// `"STK"`, `true`.
    pub fn filter(mut self, code: &str, value: impl Into<Value>) -> Self {
        self.filters.push(ScannerFilterValue {
            code: code.into(),
            value: value.into(),
        });
        self
    }
}

/// One contract a scan found.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScanResult {
    /// The contract id.
    #[serde(default, rename = "con_id", deserialize_with = "ids::opt_conid")]
    pub conid: Option<Conid>,
    /// The symbol.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub symbol: Option<String>,
    /// The company name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub company_name: Option<String>,
    /// `conid@exchange` or the conid.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub conidex: Option<String>,
    /// The listing exchange.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub listing_exchange: Option<String>,
    /// The security type.
    #[serde(default, deserialize_with = "wire::opt_code")]
    pub sec_type: Option<SecurityType>,
    /// IBKR's description of the contract (`contract_description_1`).
    #[serde(
        default,
        rename = "contract_description_1",
        deserialize_with = "lenient::opt_string"
    )]
    pub contract_description: Option<String>,
    /// The chart periods IBKR offers for it, as it writes them (`#R|1`).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub available_chart_periods: Option<String>,
    /// IBKR's server id of the row.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub server_id: Option<String>,
    /// The name of the scan's data column.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub column_name: Option<String>,
    /// The scan's value for this contract as IBKR writes it (`221.521K`),
    /// if sent; see [`ScanResult::scan_value`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scan_data: Option<String>,
}

impl ScanResult {
    /// [`ScanResult::scan_data`] as an exact number (`221.521K` is
    /// 221,521; `12.5%` is 12.5), when it is one.
    pub fn scan_value(&self) -> Option<Decimal> {
        self.scan_data.as_deref().and_then(lenient::parse_decimal)
    }
}
