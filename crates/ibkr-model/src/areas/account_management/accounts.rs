//! The data types of `ibkr_client::areas::account_management::accounts`, with their lenient decoders
//! (re-exported there).

use super::{Extra, FileData, Page};
use crate::decode::LenientDeserialize;
use crate::lenient;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A processed application ([`AccountManagement::application`](struct.AccountManagement.html#method.application)): either
/// the names of its request and response files, or the response file
/// itself.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Application {
    /// The account.
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The request file's name.
    #[serde(
        default,
        rename = "requestFileName",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_file_name: Option<String>,
    /// The response file's name.
    #[serde(
        default,
        rename = "responseFileName",
        deserialize_with = "lenient::opt_string"
    )]
    pub response_file_name: Option<String>,
    /// Whether IBKR has processed it.
    #[serde(
        default,
        rename = "isProcessed",
        deserialize_with = "lenient::opt_bool"
    )]
    pub is_processed: Option<bool>,
    /// The file's name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The processed application, whole (IBKR's application schema).
    #[serde(default)]
    pub data: Option<Value>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// IBKR's answer to an application, an update or a document submission:
/// the request id to follow with [`AccountManagement::request_status`](struct.AccountManagement.html#method.request_status).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct SubmittedRequest {
    /// The request id.
    #[serde(default, rename = "requestId", deserialize_with = "lenient::opt_i64")]
    pub request_id: Option<i64>,
    /// When it was submitted (an accepted-and-processed answer).
    #[serde(
        default,
        rename = "dateSubmitted",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_submitted: Option<String>,
    /// When it was executed (an accepted-for-processing answer, HTTP 202).
    #[serde(
        default,
        rename = "executedAt",
        deserialize_with = "lenient::opt_string"
    )]
    pub executed_at: Option<String>,
    /// The response file, if IBKR returns one.
    #[serde(default, rename = "fileData")]
    pub file_data: Option<FileData>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Login messages (pending tasks shown at login) of one account or of all
/// accounts in a period.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct LoginMessages {
    /// The account (by-account answer).
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The account's clearing status.
    #[serde(flatten)]
    pub clearing: ClearingStatus,
    /// Whether there are messages.
    #[serde(
        default,
        rename = "loginMessagePresent",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub present: bool,
    /// The messages.
    #[serde(
        default,
        rename = "loginMessages",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub messages: Vec<LoginMessage>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An account's clearing status (`clearingStatus` and its
/// `clearingStatusDescription`).
#[derive(Debug, Clone, Default, PartialEq, Eq, LenientDeserialize, Serialize)]
pub struct ClearingStatus {
    /// The status code (`O` open, `A` approved, `C` closed, ...).
    #[serde(
        default,
        rename = "clearingStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub status: Option<String>,
    /// The status in words.
    #[serde(
        default,
        rename = "clearingStatusDescription",
        deserialize_with = "lenient::opt_string"
    )]
    pub description: Option<String>,
}

/// One login message.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct LoginMessage {
    /// Its id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub id: Option<i64>,
    /// When it was recorded.
    #[serde(
        default,
        rename = "recordDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub record_date: Option<String>,
    /// The user it is for.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub username: Option<String>,
    /// Its type.
    #[serde(
        default,
        rename = "messageType",
        deserialize_with = "lenient::opt_string"
    )]
    pub message_type: Option<String>,
    /// The content id.
    #[serde(default, rename = "contentId", deserialize_with = "lenient::opt_i64")]
    pub content_id: Option<i64>,
    /// Its state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// IBKR's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The tasks it asks for.
    #[serde(default, deserialize_with = "super::int_list")]
    pub tasks: Vec<i64>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Account statuses of a period, paged.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct AccountStatuses {
    /// The accounts.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub accounts: Vec<AccountStatus>,
    /// Where the page stands.
    #[serde(flatten)]
    pub page: Page,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One account's status.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct AccountStatus {
    /// The account.
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The status code (`A` approved, `O` open, `C` closed, `P` pending, ...).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// The status in words.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Its state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// The master account.
    #[serde(
        default,
        rename = "masterAccountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub master_account_id: Option<String>,
    /// The admin account.
    #[serde(
        default,
        rename = "adminAccountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub admin_account_id: Option<String>,
    /// When it was opened.
    #[serde(
        default,
        rename = "dateOpened",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_opened: Option<String>,
    /// When its application was started.
    #[serde(
        default,
        rename = "dateStarted",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_started: Option<String>,
    /// When it was closed.
    #[serde(
        default,
        rename = "dateClosed",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_closed: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An account's details: the account, its people and entities, and
/// restrictions; everything else IBKR sends (KYC, financial information,
/// withholding statement, market data, IRA beneficiaries, ...) in
/// [`AccountDetails::extra`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct AccountDetails {
    /// The account.
    #[serde(default)]
    pub account: Option<AccountData>,
    /// The people of the account (holders, officers, traders).
    #[serde(
        default,
        rename = "associatedPersons",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub associated_persons: Vec<AssociatedPerson>,
    /// The entities of the account (organizations, trusts).
    #[serde(
        default,
        rename = "associatedEntities",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub associated_entities: Vec<AssociatedEntity>,
    /// Restrictions on the account.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub restrictions: Vec<Restriction>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The account part of [`AccountDetails`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct AccountData {
    /// The account.
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The master account.
    #[serde(
        default,
        rename = "masterAccountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub master_account_id: Option<String>,
    /// Your id for it.
    #[serde(
        default,
        rename = "externalId",
        deserialize_with = "lenient::opt_string"
    )]
    pub external_id: Option<String>,
    /// The account's title.
    #[serde(
        default,
        rename = "accountTitle",
        deserialize_with = "lenient::opt_string"
    )]
    pub title: Option<String>,
    /// Its alias.
    #[serde(
        default,
        rename = "accountAlias",
        deserialize_with = "lenient::opt_string"
    )]
    pub alias: Option<String>,
    /// The primary user.
    #[serde(
        default,
        rename = "primaryUser",
        deserialize_with = "lenient::opt_string"
    )]
    pub primary_user: Option<String>,
    /// The email address.
    #[serde(
        default,
        rename = "emailAddress",
        deserialize_with = "lenient::opt_string"
    )]
    pub email: Option<String>,
    /// The account's clearing status.
    #[serde(flatten)]
    pub clearing: ClearingStatus,
    /// The state code.
    #[serde(
        default,
        rename = "stateCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub state_code: Option<String>,
    /// The base currency.
    #[serde(
        default,
        rename = "baseCurrency",
        deserialize_with = "lenient::opt_string"
    )]
    pub base_currency: Option<String>,
    /// `Cash`, `Margin`, `RegT`, `Portfolio Margin`, ...
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub margin: Option<String>,
    /// `INDIVIDUAL`, `JOINT`, `ORG`, `TRUST`, ...
    #[serde(
        default,
        rename = "applicantType",
        deserialize_with = "lenient::opt_string"
    )]
    pub applicant_type: Option<String>,
    /// The equity, exactly.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub equity: Option<Decimal>,
    /// IBKR's risk score.
    #[serde(default, rename = "riskScore", deserialize_with = "lenient::opt_i64")]
    pub risk_score: Option<i64>,
    /// When it was opened.
    #[serde(
        default,
        rename = "dateOpened",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_opened: Option<String>,
    /// When it was first funded.
    #[serde(
        default,
        rename = "dateFunded",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_funded: Option<String>,
    /// When it was closed.
    #[serde(
        default,
        rename = "dateClosed",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_closed: Option<String>,
    /// Trading capabilities by category.
    #[serde(default)]
    pub capabilities: Option<Value>,
    /// Investment objectives.
    #[serde(
        default,
        rename = "investmentObjectives",
        deserialize_with = "lenient::string_list"
    )]
    pub investment_objectives: Vec<String>,
    /// Every other field (addresses, tax ids and treaties, fee template,
    /// stock yield and dividend reinvestment programs, MiFID data, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A person of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct AssociatedPerson {
    /// IBKR's entity id.
    #[serde(default, rename = "entityId", deserialize_with = "lenient::opt_i64")]
    pub entity_id: Option<i64>,
    /// Your id for the person.
    #[serde(
        default,
        rename = "externalCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub external_code: Option<String>,
    /// First name.
    #[serde(
        default,
        rename = "firstName",
        deserialize_with = "lenient::opt_string"
    )]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, rename = "lastName", deserialize_with = "lenient::opt_string")]
    pub last_name: Option<String>,
    /// The user name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub username: Option<String>,
    /// The user's status.
    #[serde(
        default,
        rename = "userStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub user_status: Option<String>,
    /// The email address.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Roles in the account (`Account Holder`, `Trader`, ...).
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub associations: Vec<String>,
    /// Every other field (birth data, addresses, identity documents,
    /// employment, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// An entity of an account (an organization, a trust).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct AssociatedEntity {
    /// IBKR's entity id.
    #[serde(default, rename = "entityId", deserialize_with = "lenient::opt_i64")]
    pub entity_id: Option<i64>,
    /// Your id for the entity.
    #[serde(
        default,
        rename = "externalCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub external_code: Option<String>,
    /// Its name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The email address.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    /// Roles in the account.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub associations: Vec<String>,
    /// Every other field (its people, addresses, documents, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A restriction on an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct Restriction {
    /// Its id.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Whether IBKR set it (rather than the firm).
    #[serde(default, rename = "byIB", deserialize_with = "lenient::opt_bool")]
    pub by_ib: Option<bool>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The Au10Tix identity verification link of an account's applicant.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct KycUrl {
    /// The link to send the applicant.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    /// The verification's state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// The applicant's entity id.
    #[serde(default, rename = "entityId", deserialize_with = "lenient::opt_i64")]
    pub entity_id: Option<i64>,
    /// Your id for the applicant.
    #[serde(
        default,
        rename = "externalId",
        deserialize_with = "lenient::opt_string"
    )]
    pub external_id: Option<String>,
    /// When the link became valid.
    #[serde(
        default,
        rename = "startDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub start_date: Option<String>,
    /// When it expires.
    #[serde(
        default,
        rename = "expiryDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub expiry_date: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which tasks [`AccountManagement::tasks`](struct.AccountManagement.html#method.tasks) lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskKind {
    /// The registration tasks (IBKR's default).
    #[default]
    Registration,
    /// The tasks still pending.
    Pending,
}

impl TaskKind {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Registration => "registration",
            TaskKind::Pending => "pending",
        }
    }
}

/// An account's registration or pending tasks (the list asked for is
/// filled, the other is empty).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct AccountTasks {
    /// The account and its status (and every field of the answer that is
    /// not a task list, in its `extra`).
    #[serde(flatten)]
    pub account: AccountStatus,
    /// The registration tasks.
    #[serde(
        default,
        rename = "registrationTasks",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub registration_tasks: Vec<RegistrationTask>,
    /// The pending tasks.
    #[serde(
        default,
        rename = "pendingTasks",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub pending_tasks: Vec<PendingTask>,
}

/// A registration task of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct RegistrationTask {
    /// The form to complete.
    #[serde(default, rename = "formNumber", deserialize_with = "lenient::opt_i64")]
    pub form_number: Option<i64>,
    /// Its name.
    #[serde(default, rename = "formName", deserialize_with = "lenient::opt_string")]
    pub form_name: Option<String>,
    /// What to do.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub action: Option<String>,
    /// Its state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// When it was completed.
    #[serde(
        default,
        rename = "dateCompleted",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_completed: Option<String>,
    /// Whether approval needs it.
    #[serde(
        default,
        rename = "isRequiredForApproval",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub required_for_approval: bool,
    /// Whether it is completed.
    #[serde(
        default,
        rename = "isCompleted",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub completed: bool,
    /// Whether it was declined.
    #[serde(
        default,
        rename = "isDeclined",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub declined: bool,
    /// Every other field (external id, question ids, warning).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A pending task of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct PendingTask {
    /// The task number.
    #[serde(default, rename = "taskNumber", deserialize_with = "lenient::opt_i64")]
    pub task_number: Option<i64>,
    /// The form to complete.
    #[serde(default, rename = "formNumber", deserialize_with = "lenient::opt_i64")]
    pub form_number: Option<i64>,
    /// Its name.
    #[serde(default, rename = "formName", deserialize_with = "lenient::opt_string")]
    pub form_name: Option<String>,
    /// What to do.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub action: Option<String>,
    /// Its state.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub state: Option<String>,
    /// A link to complete it online.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    /// Why a document was rejected.
    #[serde(
        default,
        rename = "documentRejectReason",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub document_reject_reasons: Vec<String>,
    /// Whether approval needs it.
    #[serde(
        default,
        rename = "requiredForApproval",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub required_for_approval: bool,
    /// Whether trading needs it.
    #[serde(
        default,
        rename = "requiredForTrading",
        deserialize_with = "lenient::bool_or_false"
    )]
    pub required_for_trading: bool,
    /// Every other field (entity, Au10Tix dates, question ids, ...).
    #[serde(flatten)]
    pub extra: Extra,
}
