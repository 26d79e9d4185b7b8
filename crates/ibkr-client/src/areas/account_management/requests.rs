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

pub use ibkr_model::areas::account_management::requests::*;

use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;

use super::{AccountManagement, DateRange, fetch, with_range};
use crate::error::Result;

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
        let call = with_range(self.client.op(&ops::REQUESTS)?, range);
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
