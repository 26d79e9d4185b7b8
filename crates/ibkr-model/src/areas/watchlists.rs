//! The data types of `ibkr_client::areas::watchlists`, with their lenient decoders
//! (re-exported there).

use super::ids::{self, Conid};
use super::orders::SecurityType;
use crate::decode::LenientDeserialize;
use crate::decode::wire;
use crate::lenient;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};

/// A watchlist in the list of all.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WatchlistSummary {
    /// The id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Last modification (ms since the epoch).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub modified: Option<i64>,
    /// Whether it is IBKR's and cannot be changed.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub read_only: bool,
    /// Whether it is open in IBKR's platforms, when sent.
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_open: Option<bool>,
    /// IBKR's type of the list (`watchlist`), when sent.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
}

/// A contract in a watchlist.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(from = "InstrumentWire")]
pub struct WatchlistInstrument {
    /// The contract id (`conid`, or `C` as text).
    pub conid: Option<Conid>,
    /// The ticker.
    pub ticker: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The full name (`IBM`, `SPY Jan17'25 440 Call`), when sent.
    pub full_name: Option<String>,
    /// The asset class (`assetClass`, or `ST`).
    pub asset_class: Option<SecurityType>,
}

/// The wire form of [`WatchlistInstrument`]: IBKR sends the contract id
/// twice (`conid` and `C`) and the asset class twice (`assetClass` and
/// `ST`), each as its own field here.
#[derive(LenientDeserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct InstrumentWire {
    #[serde(default, deserialize_with = "ids::opt_conid")]
    conid: Option<Conid>,
    #[serde(default, rename = "C", deserialize_with = "ids::opt_conid")]
    c: Option<Conid>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    ticker: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    name: Option<String>,
    #[serde(
        default,
        rename = "fullName",
        alias = "full_name",
        deserialize_with = "lenient::opt_string"
    )]
    full_name: Option<String>,
    #[serde(default, rename = "assetClass", deserialize_with = "wire::opt_code")]
    asset_class_camel: Option<SecurityType>,
    /// The serialized form of [`WatchlistInstrument`].
    #[serde(default, deserialize_with = "wire::opt_code")]
    asset_class: Option<SecurityType>,
    #[serde(default, rename = "ST", deserialize_with = "wire::opt_code")]
    st: Option<SecurityType>,
}

impl From<InstrumentWire> for WatchlistInstrument {
    fn from(w: InstrumentWire) -> Self {
        WatchlistInstrument {
            conid: w.conid.or(w.c),
            ticker: w.ticker,
            name: w.name,
            full_name: w.full_name,
            asset_class: w.asset_class_camel.or(w.asset_class).or(w.st),
        }
    }
}

/// A watchlist with its contracts.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Watchlist {
    /// The id.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Whether it cannot be changed.
    #[serde(
        default,
        rename = "readOnly",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub read_only: bool,
    /// IBKR's hash of the list's content, when sent.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub hash: Option<String>,
    /// The contracts (creating answers with none).
    #[serde(default, deserialize_with = "instruments")]
    pub instruments: Vec<WatchlistInstrument>,
}

/// Instruments as objects; bare strings (the create answer) are skipped.
fn instruments<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<WatchlistInstrument>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Instrument(WatchlistInstrument),
        Other(IgnoredAny),
    }
    let items: Vec<Item> = lenient::vec_or_single(d)?;
    Ok(items
        .into_iter()
        .filter_map(|i| match i {
            Item::Instrument(i) => Some(i),
            Item::Other(_) => None,
        })
        .collect())
}

#[doc(hidden)]
/// A watchlist row: a stock by contract id.
#[derive(Serialize)]
pub struct Row {
    #[serde(rename = "C")]
    pub conid: Conid,
}
