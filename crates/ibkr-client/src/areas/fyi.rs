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
//! // Notifications by email only: turn email on, every device off.
//! fyi.set_email_delivery(true).await?;
//! for mut device in fyi.delivery_options().await?.devices {
//!     device.enabled = false;
//!     fyi.set_device_delivery(&device).await?;
//! }
//! // Acknowledge a notification type's disclaimer once it was shown.
//! println!("{:?}", fyi.disclaimer("PF").await?.text);
//! fyi.mark_disclaimer_read("PF").await?;
//! # Ok(()) }
//! ```

use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::call::{ErrorBody, to_body, via_json};
use crate::client::{Backend, Client};
use crate::error::Result;
use crate::lenient;
#[cfg(feature = "web")]
use crate::oauth1::primitives::percent_encode;

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

/// A device notifications are delivered to, as [`Fyi::delivery_options`]
/// lists it and [`Fyi::set_device_delivery`] takes it.
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

/// An id as the Web spec's path parameter: the spec types notification and
/// device ids as any JSON value, which the generated client writes into the
/// path as JSON. A number goes through as is; anything else (`None`) is sent
/// by the facade itself.
#[cfg(feature = "web")]
fn web_id(id: &str) -> Option<serde_json::Value> {
    id.parse::<i64>().ok().map(serde_json::Value::from)
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
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_typecode(OP, typecode) {
                Ok(code) => {
                    let body = to_body(OP, body)?;
                    self.ack(OP, api.fyi_settings_typecode_post(code, &body))
                        .await
                }
                // A code the spec's list lacks: IBKR adds codes over time.
                Err(_) => {
                    let path = format!("/fyi/settings/{}", percent_encode(typecode));
                    self.raw_ack(OP, reqwest::Method::POST, &path, Some(&body))
                        .await
                }
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body = to_body(OP, body)?;
                self.ack(OP, api.fyi_settings_typecode_post(typecode, &body))
                    .await
            }
        }
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
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_id(id) {
                Some(id) => {
                    self.ack(OP, api.fyi_notifications_notification_id_put(&id))
                        .await
                }
                None => {
                    let path = format!("/fyi/notifications/{}", percent_encode(id));
                    self.raw_ack(OP, reqwest::Method::PUT, &path, None).await
                }
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                self.ack(OP, api.fyi_notifications_notification_id_put(id))
                    .await
            }
        }
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
                        &format!("/fyi/disclaimer/{}", percent_encode(typecode)),
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

    /// Turns email delivery of notifications on or off
    /// (`PUT /fyi/deliveryoptions/email?enabled=…`).
    pub async fn set_email_delivery(&self, enabled: bool) -> Result<()> {
        const OP: &str = "fyi.set_email_delivery";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let enabled = serde_json::Value::Bool(enabled);
                self.ack(OP, api.fyi_deliveryoptions_email_put(&enabled))
                    .await
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let enabled = if enabled { "true" } else { "false" };
                self.ack(OP, api.fyi_deliveryoptions_email_put(enabled))
                    .await
            }
        }
    }

    /// Turns delivery to a device on or off, or registers a device
    /// (`POST /fyi/deliveryoptions/device`): `device` as
    /// [`Fyi::delivery_options`] lists it, with `enabled` set as wanted.
    pub async fn set_device_delivery(&self, device: &DeliveryDevice) -> Result<()> {
        const OP: &str = "fyi.set_device_delivery";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => {
                let body = ibkr_api::web::types::FyiEnableDeviceOption {
                    device_id: device.id.clone(),
                    device_name: device.name.clone(),
                    enabled: Some(device.enabled),
                    ui_name: device.ui_name.clone(),
                };
                self.ack(OP, api.fyi_deliveryoptions_device_post(&body))
                    .await
            }
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                let body = ibkr_api::gateway::types::FyiDeliveryoptionsDevicePostBody {
                    device_id: device.id.clone(),
                    devicename: device.name.clone(),
                    enabled: Some(device.enabled),
                    ui_name: device.ui_name.clone(),
                };
                self.ack(OP, api.fyi_deliveryoptions_device_post(&body))
                    .await
            }
        }
    }

    /// Removes a device from the delivery options
    /// (`DELETE /fyi/deliveryoptions/{deviceId}`).
    pub async fn delete_device(&self, device_id: &str) -> Result<()> {
        const OP: &str = "fyi.delete_device";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_id(device_id) {
                Some(id) => {
                    self.ack(OP, api.fyi_deliveryoptions_device_id_delete(&id))
                        .await
                }
                None => {
                    let path = format!("/fyi/deliveryoptions/{}", percent_encode(device_id));
                    self.raw_ack(OP, reqwest::Method::DELETE, &path, None).await
                }
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                self.ack(OP, api.fyi_deliveryoptions_device_id_delete(device_id))
                    .await
            }
        }
    }

    /// Marks a notification type's disclaimer (see [`Fyi::disclaimer`]) read
    /// (`PUT /fyi/disclaimer/{typecode}`).
    pub async fn mark_disclaimer_read(&self, typecode: &str) -> Result<()> {
        const OP: &str = "fyi.mark_disclaimer_read";
        match self.client.backend() {
            #[cfg(feature = "web")]
            Backend::Web { api, .. } => match web_typecode(OP, typecode) {
                Ok(code) => self.ack(OP, api.fyi_disclaimer_typecode_put(code)).await,
                // A code the spec's list lacks: IBKR adds codes over time.
                Err(_) => {
                    let path = format!("/fyi/disclaimer/{}", percent_encode(typecode));
                    self.raw_ack(OP, reqwest::Method::PUT, &path, None).await
                }
            },
            #[cfg(feature = "gateway")]
            Backend::Gateway(api) => {
                self.ack(OP, api.fyi_disclaimer_typecode_put(typecode))
                    .await
            }
        }
    }

    /// Runs a generated write and checks that its acknowledgement (whatever
    /// it holds) is JSON.
    async fn ack<T, E, Fut>(&self, operation: &'static str, call: Fut) -> Result<()>
    where
        E: ErrorBody,
        Fut: Future<Output = std::result::Result<ibkr_api::ResponseValue<T>, ibkr_api::Error<E>>>,
    {
        let _: Ack = self
            .client
            .call(operation, call)
            .await?
            .decode_or_default(operation, |_| Ack::default())?;
        Ok(())
    }

    /// Sends a write the Web spec cannot express (a type code its list
    /// lacks, an id that is not a number), like [`Fyi::ack`].
    #[cfg(feature = "web")]
    async fn raw_ack(
        &self,
        operation: &'static str,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<()> {
        let _: Ack = self
            .client
            .raw::<std::convert::Infallible>(operation, method, path, body)
            .await?
            .decode_or_default(operation, |n| match n {})?;
        Ok(())
    }
}
