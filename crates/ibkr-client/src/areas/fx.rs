//! Currencies: the forex pairs of a currency and exchange rates
//! (`/iserver/currency/pairs`, `/iserver/exchangerate`; the Web API only,
//! the Gateway answers [`Error::Unsupported`]).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let fx = client.fx();
//! for pair in fx.pairs("USD").await? {
//!     println!("{:?} conid {:?}", pair.symbol, pair.conid);
//! }
//! // How many EUR one USD buys.
//! println!("{:?}", fx.exchange_rate("USD", "EUR").await?);
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::fx::*;

use ibkr_ops::areas::fx as ops;
use rust_decimal::Decimal;

use crate::client::Client;
use crate::decode::wire::ByKey;
use crate::error::{Error, Result};

/// Currency operations, from [`Client::fx`].
#[derive(Debug, Clone, Copy)]
pub struct Fx<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Currencies: forex pairs and exchange rates (Web API).
    pub fn fx(&self) -> Fx<'_> {
        Fx { client: self }
    }
}

/// A currency code: three ASCII letters.
fn currency_code(op: &'static str, code: &str) -> Result<String> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(Error::InvalidArgument(format!(
            "{op}: invalid currency {code:?}"
        )))
    }
}

impl Fx<'_> {
    /// The forex pairs `currency` (`USD`) trades in, as base or quote
    /// currency (`GET /iserver/currency/pairs?currency=USD`; Web API).
    pub async fn pairs(&self, currency: &str) -> Result<Vec<CurrencyPair>> {
        let currency = currency_code(ops::PAIRS.name, currency)?;
        let ByKey(by_currency) = self
            .client
            .op(&ops::PAIRS)?
            .query("currency", currency)
            .fetch_or_default::<ByKey<CurrencyPair>>()
            .await?;
        Ok(by_currency.into_values().flatten().collect())
    }

    /// The exchange rate from `source` to `target`: how many units of
    /// `target` one unit of `source` buys
    /// (`GET /iserver/exchangerate?source=USD&target=EUR`; Web API).
    /// `None` when IBKR has no rate.
    pub async fn exchange_rate(&self, source: &str, target: &str) -> Result<Option<Decimal>> {
        let source = currency_code(ops::EXCHANGE_RATE.name, source)?;
        let target = currency_code(ops::EXCHANGE_RATE.name, target)?;
        let rate: Rate = self
            .client
            .op(&ops::EXCHANGE_RATE)?
            .query("source", source)
            .query("target", target)
            .fetch()
            .await?;
        Ok(rate.rate)
    }
}
