//! The market scanner (`/iserver/scanner/params`, `/iserver/scanner/run`).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::scanner::ScannerRequest;
//!
//! let params = client.scanner().params().await?; // IBKR allows 1 call per 15 min
//! println!("{} scan types", params.scan_types.len());
//! let hits = client
//!     .scanner()
//!     .run(&ScannerRequest::new("STK", "STK.US.MAJOR", "TOP_PERC_GAIN").filter("priceAbove", 5))
//!     .await?;
//! for hit in hits {
//!     println!("{:?} {:?}", hit.symbol, hit.conid);
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::scanner::*;

use ibkr_ops::areas::scanner as ops;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Result;
use crate::lenient;

/// Scanner operations, from [`Client::scanner`].
#[derive(Debug, Clone, Copy)]
pub struct Scanner<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The iserver market scanner.
    pub fn scanner(&self) -> Scanner<'_> {
        Scanner { client: self }
    }
}

/// An element of the run's answer: the Gateway answers with a list of
/// results, the Web API with `{"contracts": [...]}` (one object, which the
/// list decoder reads as a one-element list).
#[derive(Deserialize)]
#[serde(untagged)]
enum ScanAnswer {
    /// `{"contracts": [...], "scan_data_column_name": ...}`
    Contracts {
        #[serde(deserialize_with = "lenient::vec_or_single")]
        contracts: Vec<ScanResult>,
    },
    /// One result.
    Result(Box<ScanResult>),
}

impl Scanner<'_> {
    /// Scan types, instruments, filters and locations
    /// (`GET /iserver/scanner/params`; IBKR allows one call per 15 minutes).
    pub async fn params(&self) -> Result<ScannerParams> {
        self.client.op(&ops::PARAMS)?.fetch().await
    }

    /// Runs a scan (`POST /iserver/scanner/run`; 1 per second).
    pub async fn run(&self, request: &ScannerRequest) -> Result<Vec<ScanResult>> {
        let answer: Vec<ScanAnswer> = self
            .client
            .op(&ops::RUN)?
            .json(request)?
            .fetch_list()
            .await?;
        Ok(answer
            .into_iter()
            .flat_map(|a| match a {
                ScanAnswer::Contracts { contracts } => contracts,
                ScanAnswer::Result(r) => vec![*r],
            })
            .collect())
    }
}
