//! The data types of `ibkr_client::areas::account_management::requests`, with their lenient decoders
//! (re-exported there).

use super::{Extra, FileData, Page};
use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// Which status [`AccountManagement::request_status`](struct.AccountManagement.html#method.request_status) returns.
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

/// The filters of [`AccountManagement::enumerations`](struct.AccountManagement.html#method.enumerations) (each optional;
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

/// The filters of [`AccountManagement::forms`](struct.AccountManagement.html#method.forms).
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
