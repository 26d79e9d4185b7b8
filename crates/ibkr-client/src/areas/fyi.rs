//! FYI notifications (`/fyi/...`): unread count, settings, notifications,
//! disclaimers and delivery options. IBKR allows one `/fyi` call a second.
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let fyi = client.fyi();
//! if fyi.unread_count().await? > 0 {
//!     for n in fyi.notifications(10).await? {
//!         if !n.read {
//!             println!("{:?}", n.title);
//!             fyi.mark_read(n.id.as_deref().unwrap_or_default()).await?;
//!         }
//!     }
//! }
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::call::{to_body, via_json};
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::lenient;

/// FYI operations, from [`Client::fyi`].
#[derive(Debug, Clone, Copy)]
pub struct Fyi<'a> {
    client: &'a Client,
}

impl Client {
    /// FYI notifications.
    pub fn fyi(&self) -> Fyi<'_> {
        Fyi { client: self }
    }
}

/// A notification type and whether it is enabled.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct FyiSetting {
    /// The type code (`PF`, `M8`, ...).
    #[serde(default, rename = "FC", deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The name.
    #[serde(default, rename = "FN", deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The description.
    #[serde(default, rename = "FD", deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Whether it is enabled.
    #[serde(default, rename = "A", deserialize_with = "lenient::bool_or_false")]
    pub enabled: bool,
    /// Whether IBKR hides it.
    #[serde(default, rename = "H", deserialize_with = "lenient::bool_or_false")]
    pub hidden: bool,
}

/// A notification.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Notification {
    /// The id.
    #[serde(default, rename = "ID", deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The type code.
    #[serde(default, rename = "FC", deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The date (seconds since the epoch, as IBKR writes it).
    #[serde(default, rename = "D", deserialize_with = "lenient::opt_string")]
    pub date: Option<String>,
    /// The title.
    #[serde(default, rename = "MS", deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    /// The body (HTML).
    #[serde(default, rename = "MD", deserialize_with = "lenient::opt_string")]
    pub body: Option<String>,
    /// Whether it was read.
    #[serde(default, rename = "R", deserialize_with = "lenient::bool_or_false")]
    pub read: bool,
}

/// A notification type's disclaimer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Disclaimer {
    /// The type code.
    #[serde(default, rename = "FC", deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The text.
    #[serde(default, rename = "DT", deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
}

/// A device notifications are delivered to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct DeliveryDevice {
    /// The device's name.
    #[serde(default, rename = "NM", deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The device id.
    #[serde(default, rename = "I", deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// The UI name.
    #[serde(default, rename = "UI", deserialize_with = "lenient::opt_string")]
    pub ui_name: Option<String>,
    /// Whether delivery is enabled.
    #[serde(default, rename = "A", deserialize_with = "lenient::bool_or_false")]
    pub enabled: bool,
}

/// Where notifications are delivered.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct DeliveryOptions {
    /// Whether email delivery is enabled.
    #[serde(default, rename = "M", deserialize_with = "lenient::bool_or_false")]
    pub email: bool,
    /// Devices.
    #[serde(default, rename = "E", deserialize_with = "lenient::vec_or_single")]
    pub devices: Vec<DeliveryDevice>,
}

#[derive(Debug, Default, Deserialize)]
struct Unread {
    #[serde(default, rename = "BN", deserialize_with = "lenient::opt_i64")]
    count: Option<i64>,
}

/// Ignores whatever an acknowledgement body holds.
#[derive(Debug, Default, Deserialize)]
struct Ack {}

#[cfg(feature = "web")]
fn web_typecode(
    operation: &'static str,
    typecode: &str,
) -> Result<ibkr_api::web::types::Typecodes> {
    to_body(operation, json!(typecode))
}

impl Fyi<'_> {
    /// How many notifications are unread (`GET /fyi/unreadnumber`).
    pub async fn unread_count(&self) -> Result<i64> {
        const OP: &str = "fyi.unread_count";
        let unread: Unread = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.fyi_unreadnumber_get())
                .await?
                .try_decode(OP, |t| via_json(OP, &t))?,
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.fyi_unreadnumber_get())
                .await?
                .try_decode(OP, |t| via_json(OP, &t))?,
        };
        Ok(unread.count.unwrap_or(0))
    }

    /// Notification types and whether each is enabled (`GET /fyi/settings`).
    pub async fn settings(&self) -> Result<Vec<FyiSetting>> {
        const OP: &str = "fyi.settings";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                self.client.call(OP, api.fyi_settings_get()).await?.json(OP)
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self.client.call(OP, api.fyi_settings_get()).await?.json(OP),
        }
    }

    /// Enables or disables a notification type
    /// (`POST /fyi/settings/{typecode}`).
    pub async fn set_enabled(&self, typecode: &str, enabled: bool) -> Result<()> {
        const OP: &str = "fyi.set_enabled";
        let body = json!({"enabled": enabled});
        let _: Ack = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_typecode(OP, typecode) {
                Ok(code) => {
                    let body = to_body(OP, body)?;
                    self.client
                        .call(OP, api.fyi_settings_typecode_post(code, &body))
                        .await?
                        .json(OP)?
                }
                // A code the spec's list lacks: IBKR adds codes over time.
                Err(_) => self
                    .client
                    .raw::<std::convert::Infallible>(
                        OP,
                        reqwest::Method::POST,
                        &format!("/fyi/settings/{typecode}"),
                        Some(&body),
                    )
                    .await?
                    .decode_or_default(OP, |n| match n {})?,
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body = to_body(OP, body)?;
                self.client
                    .call(OP, api.fyi_settings_typecode_post(typecode, &body))
                    .await?
                    .json(OP)?
            }
        };
        Ok(())
    }

    /// The latest `max` notifications (`GET /fyi/notifications`).
    pub async fn notifications(&self, max: u32) -> Result<Vec<Notification>> {
        const OP: &str = "fyi.notifications";
        let max = max.to_string();
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.fyi_notifications_get(None, None, None, &max))
                .await?
                .json(OP),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.fyi_notifications_get(None, None, &max))
                .await?
                .json(OP),
        }
    }

    /// Marks notification `id` read (`PUT /fyi/notifications/{id}`).
    pub async fn mark_read(&self, id: &str) -> Result<()> {
        const OP: &str = "fyi.mark_read";
        let _: Ack = match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match id.parse::<i64>() {
                // The Web spec types the id as any JSON value, which the
                // generated client writes into the path as JSON: a number
                // goes through as is, anything else is sent directly.
                Ok(number) => self
                    .client
                    .call(
                        OP,
                        api.fyi_notifications_notification_id_put(&serde_json::Value::from(number)),
                    )
                    .await?
                    .json(OP)?,
                Err(_) => self
                    .client
                    .raw::<std::convert::Infallible>(
                        OP,
                        reqwest::Method::PUT,
                        &format!("/fyi/notifications/{id}"),
                        None,
                    )
                    .await?
                    .decode_or_default(OP, |n| match n {})?,
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.fyi_notifications_notification_id_put(id))
                .await?
                .json(OP)?,
        };
        Ok(())
    }

    /// The disclaimer of a notification type (`GET /fyi/disclaimer/{typecode}`).
    pub async fn disclaimer(&self, typecode: &str) -> Result<Disclaimer> {
        const OP: &str = "fyi.disclaimer";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_typecode(OP, typecode) {
                Ok(code) => self
                    .client
                    .call(OP, api.fyi_disclaimer_typecode_get(code))
                    .await?
                    .try_decode(OP, |t| via_json(OP, &t)),
                // A code the spec's list lacks: IBKR adds codes over time.
                Err(_) => self
                    .client
                    .raw::<std::convert::Infallible>(
                        OP,
                        reqwest::Method::GET,
                        &format!("/fyi/disclaimer/{typecode}"),
                        None,
                    )
                    .await?
                    .decode(OP, |n| match n {}),
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.fyi_disclaimer_typecode_get(typecode))
                .await?
                .try_decode(OP, |t| via_json(OP, &t)),
        }
    }

    /// Email and device delivery options (`GET /fyi/deliveryoptions`).
    pub async fn delivery_options(&self) -> Result<DeliveryOptions> {
        const OP: &str = "fyi.delivery_options";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => self
                .client
                .call(OP, api.fyi_deliveryoptions_get())
                .await?
                .try_decode(OP, |t| via_json(OP, &t)),
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => self
                .client
                .call(OP, api.fyi_deliveryoptions_get())
                .await?
                .try_decode(OP, |t| via_json(OP, &t)),
        }
    }
}
