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

use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::{Result, Variant};
use crate::lenient;
pub use ibkr_model::areas::fyi::*;

use ibkr_ops::Operation;
use ibkr_ops::areas::fyi as ops;
use serde::Serialize;

/// FYI operations, from [`Client::fyi`].
#[derive(Debug, Clone, Copy)]
pub struct Fyi<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// FYI notifications.
    pub fn fyi(&self) -> Fyi<'_> {
        Fyi { client: self }
    }
}

#[derive(Debug, Default, LenientDeserialize)]
struct Unread {
    #[serde(default, rename = "BN", deserialize_with = "lenient::opt_i64")]
    count: Option<i64>,
}

/// `{"enabled": …}`
#[derive(Serialize)]
struct EnabledBody {
    enabled: bool,
}

/// What [`Fyi::set_device_delivery`] sends.
#[derive(Serialize)]
struct DeviceBody<'a> {
    #[serde(rename = "deviceId", skip_serializing_if = "Option::is_none")]
    device_id: Option<&'a str>,
    /// The Web API's spelling.
    #[serde(rename = "deviceName", skip_serializing_if = "Option::is_none")]
    device_name: Option<&'a str>,
    /// The Gateway's spelling.
    #[serde(rename = "devicename", skip_serializing_if = "Option::is_none")]
    devicename: Option<&'a str>,
    #[serde(rename = "uiName", skip_serializing_if = "Option::is_none")]
    ui_name: Option<&'a str>,
    enabled: bool,
}

impl Fyi<'_> {
    /// How many notifications are unread (`GET /fyi/unreadnumber`).
    pub async fn unread_count(&self) -> Result<i64> {
        let unread: Unread = self.client.op(&ops::UNREAD_COUNT)?.fetch().await?;
        Ok(unread.count.unwrap_or(0))
    }

    /// Notification types and whether each is enabled (`GET /fyi/settings`).
    pub async fn settings(&self) -> Result<Vec<FyiSetting>> {
        self.client.op(&ops::SETTINGS)?.fetch_list().await
    }

    /// Enables or disables a notification type
    /// (`POST /fyi/settings/{typecode}`).
    pub async fn set_enabled(&self, typecode: &str, enabled: bool) -> Result<()> {
        let _: Ack = self
            .client
            .op(&ops::SET_ENABLED)?
            .arg(typecode)?
            .json(&EnabledBody { enabled })?
            .fetch_or_default()
            .await?;
        Ok(())
    }

    /// The latest `max` notifications (`GET /fyi/notifications`).
    pub async fn notifications(&self, max: u32) -> Result<Vec<Notification>> {
        self.client
            .op(&ops::NOTIFICATIONS)?
            .query("max", max)
            .fetch_list()
            .await
    }

    /// Marks notification `id` read (`PUT /fyi/notifications/{id}`).
    pub async fn mark_read(&self, id: &str) -> Result<()> {
        self.ack_with(&ops::MARK_READ, id).await
    }

    /// The disclaimer of a notification type (`GET /fyi/disclaimer/{typecode}`).
    pub async fn disclaimer(&self, typecode: &str) -> Result<Disclaimer> {
        self.client
            .op(&ops::DISCLAIMER)?
            .arg(typecode)?
            .fetch()
            .await
    }

    /// Email and device delivery options (`GET /fyi/deliveryoptions`).
    pub async fn delivery_options(&self) -> Result<DeliveryOptions> {
        self.client.op(&ops::DELIVERY_OPTIONS)?.fetch().await
    }

    /// Turns email delivery of notifications on or off
    /// (`PUT /fyi/deliveryoptions/email?enabled=…`).
    pub async fn set_email_delivery(&self, enabled: bool) -> Result<()> {
        let _: Ack = self
            .client
            .op(&ops::SET_EMAIL_DELIVERY)?
            .query("enabled", enabled)
            .fetch_or_default()
            .await?;
        Ok(())
    }

    /// Turns delivery to a device on or off, or registers a device
    /// (`POST /fyi/deliveryoptions/device`): `device` as
    /// [`Fyi::delivery_options`] lists it, with `enabled` set as wanted.
    pub async fn set_device_delivery(&self, device: &DeliveryDevice) -> Result<()> {
        let name = device.name.as_deref();
        // The one variant-specific request shape: the specs spell the
        // device's name `deviceName` (Web API) and `devicename` (Gateway).
        let (device_name, devicename) = match self.client.variant() {
            Variant::Web => (name, None),
            Variant::Gateway => (None, name),
        };
        let body = DeviceBody {
            device_id: device.id.as_deref(),
            device_name,
            devicename,
            ui_name: device.ui_name.as_deref(),
            enabled: device.enabled,
        };
        let _: Ack = self
            .client
            .op(&ops::SET_DEVICE_DELIVERY)?
            .json(&body)?
            .fetch_or_default()
            .await?;
        Ok(())
    }

    /// Removes a device from the delivery options
    /// (`DELETE /fyi/deliveryoptions/{deviceId}`).
    pub async fn delete_device(&self, device_id: &str) -> Result<()> {
        self.ack_with(&ops::DELETE_DEVICE, device_id).await
    }

    /// Marks a notification type's disclaimer (see [`Fyi::disclaimer`]) read
    /// (`PUT /fyi/disclaimer/{typecode}`).
    pub async fn mark_disclaimer_read(&self, typecode: &str) -> Result<()> {
        self.ack_with(&ops::MARK_DISCLAIMER_READ, typecode).await
    }

    /// Sends `op` with its one path argument and checks that the
    /// acknowledgement (whatever it holds) is JSON and not an IBKR error.
    async fn ack_with(&self, op: &'static Operation, arg: &str) -> Result<()> {
        let _: Ack = self.client.op(op)?.arg(arg)?.fetch_or_default().await?;
        Ok(())
    }
}
