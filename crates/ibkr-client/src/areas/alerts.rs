//! Price and condition alerts (`/iserver/account/{accountId}/alert...`).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::alerts::{AlertCondition, AlertRequest};
//!
//! let alerts = client.alerts();
//! for alert in alerts.list("DU1234567").await? {
//!     println!("{:?} {:?} active={}", alert.id, alert.name, alert.active);
//! }
//! let request = AlertRequest::new("AAPL above 200")
//!     .condition(AlertCondition::price("265598@SMART", ">=", "200"));
//! let created = alerts.create("DU1234567", &request).await?;
//! alerts.activate("DU1234567", created.id.unwrap_or_default(), false).await?;
//! let mta = alerts.mta().await?;
//! println!("MTA alert {:?}: active={}", mta.id, mta.active);
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::alerts::*;

use ibkr_ops::areas::alerts as ops;
use serde::Serialize;
use serde_json::Value;

use crate::client::Client;
use crate::error::Result;

/// Alert operations, from [`Client::alerts`].
#[derive(Debug, Clone, Copy)]
pub struct Alerts<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Alerts: list, inspect, create or modify, activate and delete.
    pub fn alerts(&self) -> Alerts<'_> {
        Alerts { client: self }
    }
}

/// `{"alertId": …, "alertActive": 0 | 1}`
#[derive(Serialize)]
struct ActivateBody {
    #[serde(rename = "alertId")]
    alert_id: i64,
    #[serde(rename = "alertActive")]
    alert_active: i64,
}

/// `{}`: the Web API's spec requires an empty object as the delete's body.
#[derive(Serialize)]
struct EmptyBody {}

impl Alerts<'_> {
    /// The alerts of `account_id` (`GET /iserver/account/{accountId}/alerts`).
    pub async fn list(&self, account_id: &str) -> Result<Vec<AlertSummary>> {
        self.client
            .op(&ops::LIST)?
            .arg(account_id)?
            .fetch_list()
            .await
    }

    /// One alert's details (`GET /iserver/account/alert/{id}?type=Q`).
    pub async fn get(&self, alert_id: i64) -> Result<AlertDetails> {
        self.client
            .op(&ops::GET)?
            .arg(alert_id)?
            // Required by the Web API (its only value); the gateway ignores it.
            .query("type", "Q")
            .fetch()
            .await
    }

    /// The Mobile Trading Assistant alert, IBKR's predefined alert on the
    /// account's positions (`GET /iserver/account/mta`). Its
    /// [`AlertDetails::id`] works with [`Alerts::activate`] and
    /// [`Alerts::modify`] like any other alert's.
    pub async fn mta(&self) -> Result<AlertDetails> {
        self.client.op(&ops::MTA)?.fetch().await
    }

    /// Creates an alert, or modifies the one named by
    /// [`AlertRequest::alert_id`] (`POST /iserver/account/{accountId}/alert`).
    pub async fn create(&self, account_id: &str, request: &AlertRequest) -> Result<AlertResult> {
        self.send(account_id, request.to_json(None)).await
    }

    /// Modifies alert `alert_id` with `request`.
    pub async fn modify(
        &self,
        account_id: &str,
        alert_id: i64,
        request: &AlertRequest,
    ) -> Result<AlertResult> {
        self.send(account_id, request.to_json(Some(alert_id))).await
    }

    async fn send(&self, account_id: &str, body: Value) -> Result<AlertResult> {
        self.client
            .op(&ops::SEND)?
            .arg(account_id)?
            .json(&body)?
            .fetch()
            .await
    }

    /// Activates (`true`) or deactivates an alert
    /// (`POST /iserver/account/{accountId}/alert/activate`).
    pub async fn activate(
        &self,
        account_id: &str,
        alert_id: i64,
        active: bool,
    ) -> Result<AlertResult> {
        self.client
            .op(&ops::ACTIVATE)?
            .arg(account_id)?
            .json(&ActivateBody {
                alert_id,
                alert_active: i64::from(active),
            })?
            .fetch()
            .await
    }

    /// Deletes an alert; `alert_id` 0 deletes all alerts of the account
    /// (`DELETE /iserver/account/{accountId}/alert/{alertId}`).
    pub async fn delete(&self, account_id: &str, alert_id: i64) -> Result<AlertResult> {
        self.client
            .op(&ops::DELETE)?
            .arg(account_id)?
            .arg(alert_id)?
            .json(&EmptyBody {})?
            .fetch()
            .await
    }
}
