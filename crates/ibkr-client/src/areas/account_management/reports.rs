//! Statements, tax documents and trade confirmations, and the dates and
//! forms available for each.
//!
//! A document comes back as IBKR sends it: a PDF, HTML, a gzip archive or
//! JSON, depending on the media type asked for. [`Document`] holds the
//! bytes and the media type read from them.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::account_management::StatementRequest;
//!
//! let am = client.account_management();
//! let dates = am.available_statements("U1234567").await?;
//! println!("{:?}: {}", dates.data_type, dates.value);
//! let request = StatementRequest::new("U1234567", "2024-01-01", "2024-01-31").mime_type("application/pdf");
//! let statement = am.statement(&request).await?;
//! if statement.content_type == "application/pdf" {
//!     std::fs::write("statement.pdf", &statement.bytes).expect("written");
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::account_management::reports::*;

use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;

use super::{AccountManagement, fetch};
use crate::decode;
use crate::error::Result;
use crate::transport::request::Call;

/// Sends `call` of `op` and returns its document; an empty answer is
/// [`Error::Decode`](crate::Error::Decode), a JSON answer shaped like an
/// IBKR error is [`Error::Api`](crate::Error::Api).
async fn document(op: &'static Operation, call: Call<'_>) -> Result<Document> {
    let bytes = call.send().await?;
    if bytes.trim_ascii().is_empty() {
        return Err(decode::failure(
            op.name,
            op.class,
            "the response has no body".into(),
            &bytes,
        ));
    }
    let document = Document::new(bytes);
    if document.content_type == "application/json" {
        decode::check(op.name, &document.bytes)?;
    }
    Ok(document)
}

impl AccountManagement<'_> {
    /// A statement (`POST /gw/api/v1/statements`).
    pub async fn statement(&self, request: &StatementRequest) -> Result<Document> {
        document(
            &ops::STATEMENT,
            self.client.op(&ops::STATEMENT)?.json(request)?,
        )
        .await
    }

    /// The dates with statements of `account_id`
    /// (`GET /gw/api/v1/statements/available`).
    pub async fn available_statements(&self, account_id: &str) -> Result<AvailableDocuments> {
        let call = self
            .client
            .op(&ops::AVAILABLE_STATEMENTS)?
            .query("accountId", account_id);
        fetch(&ops::AVAILABLE_STATEMENTS, call).await
    }

    /// A tax document (`POST /gw/api/v1/tax-documents`).
    pub async fn tax_document(&self, request: &TaxDocumentRequest) -> Result<Document> {
        document(
            &ops::TAX_DOCUMENT,
            self.client.op(&ops::TAX_DOCUMENT)?.json(request)?,
        )
        .await
    }

    /// The tax forms of `account_id` for `year`
    /// (`GET /gw/api/v1/tax-documents/available`).
    pub async fn available_tax_documents(
        &self,
        account_id: &str,
        year: i32,
    ) -> Result<AvailableDocuments> {
        let call = self
            .client
            .op(&ops::AVAILABLE_TAX_DOCUMENTS)?
            .query("accountId", account_id)
            .query("year", year);
        fetch(&ops::AVAILABLE_TAX_DOCUMENTS, call).await
    }

    /// Trade confirmations (`POST /gw/api/v1/trade-confirmations`).
    pub async fn trade_confirmation(&self, request: &TradeConfirmationRequest) -> Result<Document> {
        document(
            &ops::TRADE_CONFIRMATION,
            self.client.op(&ops::TRADE_CONFIRMATION)?.json(request)?,
        )
        .await
    }

    /// The dates with trade confirmations of `account_id`
    /// (`GET /gw/api/v1/trade-confirmations/available`).
    pub async fn available_trade_confirmations(
        &self,
        account_id: &str,
    ) -> Result<AvailableDocuments> {
        let call = self
            .client
            .op(&ops::AVAILABLE_TRADE_CONFIRMATIONS)?
            .query("accountId", account_id);
        fetch(&ops::AVAILABLE_TRADE_CONFIRMATIONS, call).await
    }
}
