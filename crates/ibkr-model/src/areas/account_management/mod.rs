//! The data types of `ibkr_client::areas::account_management`, with their lenient decoders
//! (re-exported there).

pub mod accounts;

pub mod instructions;

pub mod reports;

pub mod requests;

pub mod sso;

pub use accounts::*;
pub use instructions::*;
pub use reports::*;
pub use requests::*;
pub use sso::*;
use std::collections::BTreeMap;

use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Fields of an answer the facade does not type, by name, exactly as IBKR
/// sent them.
pub type Extra = BTreeMap<String, Value>;

/// A file IBKR returns with a request (`fileData`): its name and its
/// content, kept as IBKR sent it.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct FileData {
    /// The file name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The content (an object whose shape depends on the request).
    #[serde(default)]
    pub data: Option<Value>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The period and paging of a listing (login messages, account statuses,
/// requests): `startDate` and `endDate` (`YYYY-MM-DD`, both required by
/// IBKR), and optionally `offset`, `limit` and a status code (`A` approved,
/// `O` open, `C` closed, `N` new, `P` pending, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRange {
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    pub end_date: String,
    /// Items to skip.
    pub offset: Option<u32>,
    /// At most this many items.
    pub limit: Option<u32>,
    /// Only items with this status code.
    pub status: Option<String>,
}

/// A list of integers written as numbers or numeric strings (a single one
/// is a list of one); items that are not integers are left out.
fn int_list<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Int(#[serde(deserialize_with = "lenient::opt_i64")] Option<i64>);
    let items: Vec<Int> = lenient::vec_or_single(d)?;
    Ok(items.into_iter().filter_map(|i| i.0).collect())
}

/// Where a page of a listing stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, LenientDeserialize, Serialize)]
pub struct Page {
    /// The offset of the first item.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub offset: Option<i64>,
    /// The page size.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub limit: Option<i64>,
    /// How many items there are in all.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total: Option<i64>,
}

impl DateRange {
    /// From `start_date` to `end_date` (`YYYY-MM-DD`).
    pub fn new(start_date: impl Into<String>, end_date: impl Into<String>) -> Self {
        DateRange {
            start_date: start_date.into(),
            end_date: end_date.into(),
            ..DateRange::default()
        }
    }

    /// Skips the first `offset` items.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Returns at most `limit` items.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only items with this status code.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
}
