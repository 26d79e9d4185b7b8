//! Submitted requests and their status, user name validation,
//! enumerations, forms, participating banks and the brokers of complex
//! asset transfers.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::account_management::{
//!     DateRange, EnumerationQuery, FormsQuery, RequestStatusKind,
//! };
//!
//! let am = client.account_management();
//! let requests = am.requests(&DateRange::new("2024-01-01", "2024-01-31").limit(50)).await?;
//! for r in &requests.requests {
//!     let status = am.request_status(r.request_id.unwrap_or_default(), RequestStatusKind::Response).await?;
//!     println!("{:?}: {:?}", r.request_type, status.status);
//! }
//! let name = am.username_availability("jdoe1990").await?;
//! println!("available: {:?}, else {:?}", name.is_available, name.suggestions);
//! let states = am.enumerations("STATES", &EnumerationQuery::default()).await?;
//! println!("{}", states.data);
//! let forms = am.forms(&FormsQuery::default().form_numbers([5001, 8001])).await?;
//! println!("{} forms", forms.forms.len());
//! # Ok(()) }
//! ```

use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{AccountManagement, DateRange, Extra, FileData, Page, fetch};
use crate::decode::LenientDeserialize;
use crate::error::Result;
use crate::lenient;

/// Requests submitted in a period, paged.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct RequestDetails {
    /// The requests.
    #[serde(
        default,
        rename = "requestDetails",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub requests: Vec<RequestDetail>,
    /// Where the page stands.
    #[serde(flatten)]
    pub page: Page,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One submitted request.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct RequestDetail {
    /// The request id.
    #[serde(default, rename = "requestId", deserialize_with = "lenient::opt_i64")]
    pub request_id: Option<i64>,
    /// Its type.
    #[serde(
        default,
        rename = "requestType",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_type: Option<String>,
    /// Its status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// The account.
    #[serde(
        default,
        rename = "accountID",
        alias = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// When it was submitted.
    #[serde(
        default,
        rename = "dateSubmitted",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_submitted: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which status [`AccountManagement::request_status`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatusKind {
    /// The request's response (with its file).
    Response,
    /// The request's update status.
    Update,
}

impl RequestStatusKind {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatusKind::Response => "response",
            RequestStatusKind::Update => "update",
        }
    }
}

/// A request's status: the update status, or the response with its file.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct RequestStatus {
    /// The request id (as text: IBKR writes it either way).
    #[serde(
        default,
        rename = "requestId",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_id: Option<String>,
    /// Its type.
    #[serde(
        default,
        rename = "requestType",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_type: Option<String>,
    /// Its status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// IBKR's message.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// The account.
    #[serde(
        default,
        rename = "acctId",
        alias = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// When it was submitted.
    #[serde(
        default,
        rename = "dateSubmitted",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_submitted: Option<String>,
    /// The response file.
    #[serde(default, rename = "fileData")]
    pub file_data: Option<FileData>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Whether a user name is valid and free.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct UsernameAvailability {
    /// Whether it is a valid user name.
    #[serde(default, rename = "isValid", deserialize_with = "lenient::opt_bool")]
    pub is_valid: Option<bool>,
    /// Whether it is free.
    #[serde(
        default,
        rename = "isAvailable",
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_available: Option<bool>,
    /// Free names IBKR suggests instead.
    #[serde(
        default,
        rename = "suggestedUserName",
        deserialize_with = "lenient::string_list"
    )]
    pub suggestions: Vec<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The filters of [`AccountManagement::enumerations`] (each optional;
/// which apply depends on the enumeration type).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumerationQuery {
    /// A currency.
    pub currency: Option<String>,
    /// An IBKR entity (`IBLLC-US`, `IB-UK`, ...).
    pub ib_entity: Option<String>,
    /// The non-professional market data status.
    pub md_status_non_pro: Option<String>,
    /// A form number.
    pub form_number: Option<String>,
    /// A language (`en`, `de`, `zh_CN`, ...).
    pub language: Option<String>,
    /// An account.
    pub account_id: Option<String>,
}

/// An enumeration: its type and its values, kept whole (their shape
/// depends on the type).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Enumerations {
    /// The enumeration type.
    #[serde(
        default,
        rename = "enumerationsType",
        deserialize_with = "lenient::opt_string"
    )]
    pub enumeration_type: Option<String>,
    /// The form it is for.
    #[serde(
        default,
        rename = "formNumber",
        deserialize_with = "lenient::opt_string"
    )]
    pub form_number: Option<String>,
    /// The values, as IBKR sent them.
    #[serde(default, rename = "jsonData")]
    pub data: Value,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The brokers IBKR supports for one kind of asset transfer.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct BrokerList {
    /// The instruction type.
    #[serde(
        default,
        rename = "instructionType",
        deserialize_with = "lenient::opt_string"
    )]
    pub instruction_type: Option<String>,
    /// The brokers' names.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub brokers: Vec<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The filters of [`AccountManagement::forms`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormsQuery {
    /// Only these forms.
    pub form_numbers: Vec<i64>,
    /// `T` to include the documents.
    pub get_docs: Option<String>,
    /// Modified from this date.
    pub from_date: Option<String>,
    /// Modified until this date.
    pub to_date: Option<String>,
    /// A language.
    pub language: Option<String>,
    /// `PAYLOAD`, `DOCS` or `NONE` (IBKR's default).
    pub projection: Option<String>,
}

impl FormsQuery {
    /// Only these forms.
    pub fn form_numbers(mut self, numbers: impl IntoIterator<Item = i64>) -> Self {
        self.form_numbers.extend(numbers);
        self
    }

    /// What to include: `PAYLOAD`, `DOCS` or `NONE`.
    pub fn projection(mut self, projection: impl Into<String>) -> Self {
        self.projection = Some(projection.into());
        self
    }
}

/// IBKR's forms.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Forms {
    /// The forms.
    #[serde(
        default,
        rename = "formDetails",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub forms: Vec<Form>,
    /// A file of all of them, if IBKR sends one.
    #[serde(default, rename = "fileData")]
    pub file_data: Option<FileData>,
    /// When IBKR produced the answer.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timestamp: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One form.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Form {
    /// Its number.
    #[serde(default, rename = "formNumber", deserialize_with = "lenient::opt_i64")]
    pub form_number: Option<i64>,
    /// Its name.
    #[serde(default, rename = "formName", deserialize_with = "lenient::opt_string")]
    pub form_name: Option<String>,
    /// The file name.
    #[serde(default, rename = "fileName", deserialize_with = "lenient::opt_string")]
    pub file_name: Option<String>,
    /// Its language.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub language: Option<String>,
    /// When it last changed.
    #[serde(
        default,
        rename = "dateModified",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_modified: Option<String>,
    /// The SHA-1 of the file.
    #[serde(
        default,
        rename = "sha1Checksum",
        deserialize_with = "lenient::opt_string"
    )]
    pub sha1_checksum: Option<String>,
    /// The file's length.
    #[serde(default, rename = "fileLength", deserialize_with = "lenient::opt_i64")]
    pub file_length: Option<i64>,
    /// The file itself (projection `PAYLOAD`).
    #[serde(default)]
    pub payload: Option<FormPayload>,
    /// Documents it accepts.
    #[serde(
        default,
        rename = "acceptableDocs",
        deserialize_with = "lenient::string_list"
    )]
    pub acceptable_docs: Vec<String>,
    /// IBKR's error about this form, if any (`errorDescription` of a form
    /// whose `hasError` is true).
    #[serde(
        default,
        rename = "errorDescription",
        deserialize_with = "lenient::opt_string"
    )]
    pub error_description: Option<String>,
    /// Every other field (type, action, questionnaire, API support, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A form's file.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct FormPayload {
    /// Its media type.
    #[serde(default, rename = "mimeType", deserialize_with = "lenient::opt_string")]
    pub mime_type: Option<String>,
    /// Its content, as IBKR encodes it (base64).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub data: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The banks taking part in a funding method (eDDA, ...).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct ParticipatingBanks {
    /// The method.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The banks.
    #[serde(
        default,
        rename = "participatingBanks",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub banks: Vec<ParticipatingBank>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One participating bank.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct ParticipatingBank {
    /// Its name.
    #[serde(
        default,
        rename = "institutionName",
        deserialize_with = "lenient::opt_string"
    )]
    pub institution_name: Option<String>,
    /// Its clearing code.
    #[serde(
        default,
        rename = "clearingCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub clearing_code: Option<String>,
    /// Its BIC.
    #[serde(default, rename = "BIC", deserialize_with = "lenient::opt_string")]
    pub bic: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AccountManagement<'_> {
    /// A `GET` of `op` with the firm's `client_id` and one more query
    /// parameter.
    async fn by_client<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static Operation,
        client_id: &str,
        (name, value): (&'static str, &str),
    ) -> Result<T> {
        let call = self
            .client
            .op(op)?
            .query("client-id", client_id)
            .query(name, value);
        fetch(op, call).await
    }

    /// The requests submitted in a period (`GET /gw/api/v1/requests`).
    pub async fn requests(&self, range: &DateRange) -> Result<RequestDetails> {
        let call = range.apply(self.client.op(&ops::REQUESTS)?);
        fetch(&ops::REQUESTS, call).await
    }

    /// A request's status (`GET /gw/api/v1/requests/{requestId}/status`).
    pub async fn request_status(
        &self,
        request_id: i64,
        kind: RequestStatusKind,
    ) -> Result<RequestStatus> {
        let call = self
            .client
            .op(&ops::REQUEST_STATUS)?
            .arg(request_id)?
            .query("type", kind.as_str());
        fetch(&ops::REQUEST_STATUS, call).await
    }

    /// Whether a user name is valid and free
    /// (`GET /gw/api/v1/validations/usernames/{username}`).
    pub async fn username_availability(&self, username: &str) -> Result<UsernameAvailability> {
        let call = self.client.op(&ops::USERNAME_AVAILABILITY)?.arg(username)?;
        fetch(&ops::USERNAME_AVAILABILITY, call).await
    }

    /// The values of an enumeration (`STATES`, `EMPLOYEE_TRACK`,
    /// `PROHIBITED_COUNTRY`, `MARKET_DATA`, ...) the application forms use
    /// (`GET /gw/api/v1/enumerations/{enumerationType}`).
    pub async fn enumerations(
        &self,
        enumeration_type: &str,
        query: &EnumerationQuery,
    ) -> Result<Enumerations> {
        let call = self
            .client
            .op(&ops::ENUMERATIONS)?
            .arg(enumeration_type)?
            .query_opt("currency", query.currency.as_deref())
            .query_opt("ibEntity", query.ib_entity.as_deref())
            .query_opt("mdStatusNonPro", query.md_status_non_pro.as_deref())
            .query_opt("form-number", query.form_number.as_deref())
            .query_opt("language", query.language.as_deref())
            .query_opt("accountId", query.account_id.as_deref());
        fetch(&ops::ENUMERATIONS, call).await
    }

    /// The brokers supported for a complex asset transfer of
    /// `instruction_type`; `client_id` is your firm's OAuth client id
    /// (`GET /gw/api/v1/enumerations/complex-asset-transfer`).
    pub async fn complex_asset_transfer_brokers(
        &self,
        client_id: &str,
        instruction_type: &str,
    ) -> Result<BrokerList> {
        self.by_client(
            &ops::COMPLEX_ASSET_TRANSFER_BROKERS,
            client_id,
            ("instructionType", instruction_type),
        )
        .await
    }

    /// IBKR's forms (agreements, disclosures, tax forms), with their files
    /// if asked (`GET /gw/api/v1/forms`).
    pub async fn forms(&self, query: &FormsQuery) -> Result<Forms> {
        let mut call = self.client.op(&ops::FORMS)?;
        for number in &query.form_numbers {
            call = call.query("formNo", number);
        }
        let call = call
            .query_opt("getDocs", query.get_docs.as_deref())
            .query_opt("fromDate", query.from_date.as_deref())
            .query_opt("toDate", query.to_date.as_deref())
            .query_opt("language", query.language.as_deref())
            .query_opt("projection", query.projection.as_deref());
        fetch(&ops::FORMS, call).await
    }

    /// The banks taking part in a funding method (`eDDA`, ...); `client_id`
    /// is your firm's OAuth client id (`GET /gw/api/v1/participating-banks`).
    pub async fn participating_banks(
        &self,
        client_id: &str,
        kind: &str,
    ) -> Result<ParticipatingBanks> {
        self.by_client(&ops::PARTICIPATING_BANKS, client_id, ("type", kind))
            .await
    }
}
