//! The data types of `ibkr_client::areas::account_management::reports`, with their lenient decoders
//! (re-exported there).

use super::Extra;
use crate::decode::LenientDeserialize;
use crate::lenient;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A document as IBKR sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The media type, read from the bytes (`application/pdf`,
    /// `text/html`, `application/gzip`, `application/zip`,
    /// `application/xml`, `application/json`, or
    /// `application/octet-stream` for anything else).
    pub content_type: &'static str,
    /// The document.
    pub bytes: Bytes,
}

impl Document {
    #[doc(hidden)]
    /// Reads the media type of `bytes`.
    pub fn new(bytes: Bytes) -> Self {
        Document {
            content_type: sniff(&bytes),
            bytes,
        }
    }

    /// The document as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        (self.content_type == "application/json")
            .then(|| serde_json::from_slice(&self.bytes).ok())
            .flatten()
    }

    /// The `data` of a JSON answer (`{"data": …}`, the shape IBKR uses for
    /// JSON documents).
    pub fn data(&self) -> Option<Value> {
        self.json()?.get_mut("data").map(Value::take)
    }
}

/// The media type of a document, from its first bytes.
fn sniff(bytes: &[u8]) -> &'static str {
    let text = bytes.trim_ascii_start();
    if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        "application/gzip"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "application/zip"
    } else if text.starts_with(b"<?xml") {
        "application/xml"
    } else if text.starts_with(b"<") {
        "text/html"
    } else if (text.starts_with(b"{") || text.starts_with(b"["))
        && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
    {
        "application/json"
    } else {
        "application/octet-stream"
    }
}

/// The dates or forms available for an account: IBKR's `dataType` and its
/// `value` (daily, monthly and annual dates; tax forms by type), kept
/// whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AvailableDocuments {
    /// IBKR's data type.
    pub data_type: Option<String>,
    /// What is available, as IBKR sent it: the `value` of the answer's
    /// `data`, or `data` itself when it has no `value`.
    pub value: Value,
    /// Every other field of the answer and of its `data`, as IBKR sent it.
    pub extra: Extra,
}

impl<'de> Deserialize<'de> for AvailableDocuments {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(LenientDeserialize)]
        struct Wire {
            #[serde(default)]
            data: Value,
            #[serde(flatten)]
            extra: Extra,
        }
        let Wire { data, mut extra } = Wire::deserialize(d)?;
        let mut fields = match data {
            Value::Object(fields) if fields.contains_key("value") => fields,
            data => {
                return Ok(AvailableDocuments {
                    data_type: None,
                    value: data,
                    extra,
                });
            }
        };
        let data_type = fields
            .remove("dataType")
            .as_ref()
            .and_then(lenient::value_string);
        let value = fields.remove("value").unwrap_or_default();
        extra.extend(fields);
        Ok(AvailableDocuments {
            data_type,
            value,
            extra,
        })
    }
}

/// What [`AccountManagement::statement`](struct.AccountManagement.html#method.statement) asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatementRequest {
    /// The account.
    #[serde(rename = "accountId")]
    pub account_id: String,
    /// More accounts, for a multi-account statement.
    #[serde(rename = "accountIds", skip_serializing_if = "Vec::is_empty")]
    pub account_ids: Vec<String>,
    /// First day, `YYYY-MM-DD`.
    #[serde(rename = "startDate")]
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    #[serde(rename = "endDate")]
    pub end_date: String,
    /// How several accounts are laid out (`CONSOLIDATE`, `CONCATENATE`, ...).
    #[serde(rename = "multiAccountFormat", skip_serializing_if = "Option::is_none")]
    pub multi_account_format: Option<String>,
    /// Consolidate crypto where available.
    #[serde(
        rename = "cryptoConsolIfAvailable",
        skip_serializing_if = "Option::is_none"
    )]
    pub crypto_consolidated: Option<bool>,
    /// `application/pdf`, `text/html` or `application/json`.
    #[serde(rename = "mimeType", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The language (`en`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether IBKR gzips the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gzip: Option<bool>,
}

impl StatementRequest {
    /// The statement of `account_id` from `start_date` to `end_date`
    /// (`YYYY-MM-DD`).
    pub fn new(
        account_id: impl Into<String>,
        start_date: impl Into<String>,
        end_date: impl Into<String>,
    ) -> Self {
        StatementRequest {
            account_id: account_id.into(),
            start_date: start_date.into(),
            end_date: end_date.into(),
            ..StatementRequest::default()
        }
    }

    /// The document's media type (`application/pdf`, `text/html`,
    /// `application/json`).
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// More accounts, laid out as `format`.
    pub fn accounts(
        mut self,
        account_ids: impl IntoIterator<Item = impl Into<String>>,
        format: impl Into<String>,
    ) -> Self {
        self.account_ids
            .extend(account_ids.into_iter().map(Into::into));
        self.multi_account_format = Some(format.into());
        self
    }

    /// The language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Whether IBKR gzips the document.
    pub fn gzip(mut self, gzip: bool) -> Self {
        self.gzip = Some(gzip);
        self
    }
}

/// What [`AccountManagement::tax_document`](struct.AccountManagement.html#method.tax_document) asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaxDocumentRequest {
    /// The account.
    #[serde(rename = "accountId")]
    pub account_id: String,
    /// The tax year.
    pub year: i32,
    /// The form (`1099`, `1042S`, ..., as
    /// [`AccountManagement::available_tax_documents`](struct.AccountManagement.html#method.available_tax_documents) lists them).
    #[serde(rename = "type")]
    pub kind: String,
    /// `PDF`, `HTML`, `CSV`, ...
    pub format: String,
    /// Whether IBKR gzips the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gzip: Option<bool>,
}

impl TaxDocumentRequest {
    /// Form `kind` of `account_id` for `year`, in `format`.
    pub fn new(
        account_id: impl Into<String>,
        year: i32,
        kind: impl Into<String>,
        format: impl Into<String>,
    ) -> Self {
        TaxDocumentRequest {
            account_id: account_id.into(),
            year,
            kind: kind.into(),
            format: format.into(),
            gzip: None,
        }
    }
}

/// What [`AccountManagement::trade_confirmation`](struct.AccountManagement.html#method.trade_confirmation) asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TradeConfirmationRequest {
    /// The account.
    #[serde(rename = "accountId")]
    pub account_id: String,
    /// First day, `YYYY-MM-DD`.
    #[serde(rename = "startDate")]
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    #[serde(rename = "endDate")]
    pub end_date: String,
    /// The document's media type.
    #[serde(rename = "mimeType", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
}

impl TradeConfirmationRequest {
    /// The confirmations of `account_id` from `start_date` to `end_date`.
    pub fn new(
        account_id: impl Into<String>,
        start_date: impl Into<String>,
        end_date: impl Into<String>,
    ) -> Self {
        TradeConfirmationRequest {
            account_id: account_id.into(),
            start_date: start_date.into(),
            end_date: end_date.into(),
            mime_type: None,
        }
    }

    /// The document's media type.
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_read_from_the_bytes() {
        for (bytes, expected) in [
            (&b"%PDF-1.7\n..."[..], "application/pdf"),
            (&[0x1f, 0x8b, 8, 0][..], "application/gzip"),
            (&b"PK\x03\x04rest"[..], "application/zip"),
            (&b"  <html><body>"[..], "text/html"),
            (&b"<?xml version=\"1.0\"?><a/>"[..], "application/xml"),
            (&b"{\"data\": {\"value\": 1}}"[..], "application/json"),
            (&b"{not json"[..], "application/octet-stream"),
            (&b"plain"[..], "application/octet-stream"),
        ] {
            assert_eq!(sniff(bytes), expected, "{bytes:?}");
        }
        let d = Document::new(Bytes::from_static(
            br#"{"data": {"mimeType": "application/pdf"}}"#,
        ));
        assert_eq!(d.data().unwrap()["mimeType"], "application/pdf");
        assert_eq!(Document::new(Bytes::from_static(b"%PDF-")).json(), None);
    }

    #[test]
    fn available_documents_read_either_shape() {
        let a: AvailableDocuments = serde_json::from_str(
            r#"{"data": {"dataType": "stmt", "value": {"monthly": ["202401"]}}}"#,
        )
        .unwrap();
        assert_eq!(a.data_type.as_deref(), Some("stmt"));
        assert_eq!(a.value["monthly"][0], "202401");
        let b: AvailableDocuments =
            serde_json::from_str(r#"{"data": {"dates": ["20240102"]}}"#).unwrap();
        assert_eq!(b.data_type, None);
        assert_eq!(b.value["dates"][0], "20240102");
    }
}
