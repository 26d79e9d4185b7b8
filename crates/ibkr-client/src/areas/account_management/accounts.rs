//! Accounts and applications (`/gw/api/v1/accounts...`).
//!
//! Creating an account, updating one and submitting agreements and
//! disclosures take a **signed JWT**: build IBKR's payload
//! (`{"application": {...}}` for [`AccountManagement::create_account`],
//! `{"accountManagementRequests": {...}}` for
//! [`AccountManagement::update_account`], `{"processDocuments": {...}}` for
//! [`AccountManagement::submit_documents`]), sign it with the key IBKR
//! registered for your firm, and pass the compact token (`header.payload.signature`).
//! The facade sends it as `application/jwt`; it does not model the
//! application form, whose hundreds of fields are IBKR's to define.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client, signed_application: String) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::account_management::TaskKind;
//!
//! let am = client.account_management();
//! let submitted = am.create_account(&signed_application).await?;
//! println!("request {:?}", submitted.request_id);
//! let tasks = am.tasks("U1234567", TaskKind::Pending).await?;
//! for task in tasks.pending_tasks {
//!     println!("{:?}: {:?} ({:?})", task.form_number, task.form_name, task.url);
//! }
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::account_management::accounts::*;

use ibkr_ops::areas::account_management as ops;

use super::{AccountManagement, DateRange, fetch, with_range};
use crate::error::Result;

impl AccountManagement<'_> {
    /// A processed application, by account id or by your external id
    /// (`GET /gw/api/v1/accounts`).
    pub async fn application(
        &self,
        account_id: Option<&str>,
        external_id: Option<&str>,
    ) -> Result<Application> {
        let call = self
            .client
            .op(&ops::APPLICATION)?
            .query_opt("accountId", account_id)
            .query_opt("externalId", external_id);
        fetch(&ops::APPLICATION, call).await
    }

    /// Opens an account: `signed_application` is the signed JWT of IBKR's
    /// `{"application": {...}}` payload (`POST /gw/api/v1/accounts`).
    pub async fn create_account(&self, signed_application: &str) -> Result<SubmittedRequest> {
        self.send_jwt(&ops::CREATE_ACCOUNT, signed_application)
            .await
    }

    /// Changes accounts: `signed_requests` is the signed JWT of IBKR's
    /// `{"accountManagementRequests": {...}}` payload
    /// (`PATCH /gw/api/v1/accounts`).
    pub async fn update_account(&self, signed_requests: &str) -> Result<SubmittedRequest> {
        self.send_jwt(&ops::UPDATE_ACCOUNT, signed_requests).await
    }

    /// Submits agreements and disclosures: `signed_documents` is the
    /// signed JWT of IBKR's `{"processDocuments": {...}}` payload
    /// (`POST /gw/api/v1/accounts/documents`).
    pub async fn submit_documents(&self, signed_documents: &str) -> Result<SubmittedRequest> {
        self.send_jwt(&ops::SUBMIT_DOCUMENTS, signed_documents)
            .await
    }

    /// Login messages of all accounts in a period, optionally of one type
    /// (`GET /gw/api/v1/accounts/login-messages`).
    pub async fn login_messages(
        &self,
        range: &DateRange,
        message_type: Option<&str>,
    ) -> Result<LoginMessages> {
        let call = with_range(self.client.op(&ops::LOGIN_MESSAGES)?, range)
            .query_opt("type", message_type);
        fetch(&ops::LOGIN_MESSAGES, call).await
    }

    /// The statuses of the accounts changed in a period
    /// (`GET /gw/api/v1/accounts/status`).
    pub async fn account_statuses(&self, range: &DateRange) -> Result<AccountStatuses> {
        let call = with_range(self.client.op(&ops::ACCOUNT_STATUSES)?, range);
        fetch(&ops::ACCOUNT_STATUSES, call).await
    }

    /// An account's details (`GET /gw/api/v1/accounts/{accountId}/details`).
    pub async fn account_details(&self, account_id: &str) -> Result<AccountDetails> {
        let call = self.client.op(&ops::ACCOUNT_DETAILS)?.arg(account_id)?;
        fetch(&ops::ACCOUNT_DETAILS, call).await
    }

    /// The Au10Tix identity verification link of an account's applicant
    /// (`GET /gw/api/v1/accounts/{accountId}/kyc`).
    pub async fn kyc_url(&self, account_id: &str) -> Result<KycUrl> {
        let call = self.client.op(&ops::KYC_URL)?.arg(account_id)?;
        fetch(&ops::KYC_URL, call).await
    }

    /// One account's login messages, optionally of one type
    /// (`GET /gw/api/v1/accounts/{accountId}/login-messages`).
    pub async fn account_login_messages(
        &self,
        account_id: &str,
        message_type: Option<&str>,
    ) -> Result<LoginMessages> {
        let call = self
            .client
            .op(&ops::ACCOUNT_LOGIN_MESSAGES)?
            .arg(account_id)?
            .query_opt("type", message_type);
        fetch(&ops::ACCOUNT_LOGIN_MESSAGES, call).await
    }

    /// One account's status (`GET /gw/api/v1/accounts/{accountId}/status`).
    pub async fn account_status(&self, account_id: &str) -> Result<AccountStatus> {
        let call = self.client.op(&ops::ACCOUNT_STATUS)?.arg(account_id)?;
        fetch(&ops::ACCOUNT_STATUS, call).await
    }

    /// An account's registration or pending tasks
    /// (`GET /gw/api/v1/accounts/{accountId}/tasks`).
    pub async fn tasks(&self, account_id: &str, kind: TaskKind) -> Result<AccountTasks> {
        let call = self
            .client
            .op(&ops::TASKS)?
            .arg(account_id)?
            .query("type", kind.as_str());
        fetch(&ops::TASKS, call).await
    }
}
