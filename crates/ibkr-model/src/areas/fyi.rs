//! The data types of `ibkr_client::areas::fyi`, with their lenient decoders
//! (re-exported there).

use crate::decode::LenientDeserialize;
use crate::lenient;
use serde::{Deserialize, Serialize};

/// A notification type and whether it is enabled.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
    /// IBKR's `HT` flag (whether the body is HTML), when sent.
    #[serde(default, rename = "HT", deserialize_with = "lenient::opt_bool")]
    pub html: Option<bool>,
}

/// A notification type's disclaimer.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Disclaimer {
    /// The type code.
    #[serde(default, rename = "FC", deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// The text.
    #[serde(default, rename = "DT", deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
}

/// A device notifications are delivered to, as [`Fyi::delivery_options`](struct.Fyi.html#method.delivery_options)
/// lists it and [`Fyi::set_device_delivery`](struct.Fyi.html#method.set_device_delivery) takes it.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DeliveryOptions {
    /// Whether email delivery is enabled.
    #[serde(default, rename = "M", deserialize_with = "lenient::bool_or_false")]
    pub email: bool,
    /// Devices.
    #[serde(default, rename = "E", deserialize_with = "lenient::vec_or_single")]
    pub devices: Vec<DeliveryDevice>,
}

#[doc(hidden)]
/// Ignores whatever an acknowledgement body holds (`{"V": 1, "T": 10}`).
#[derive(Debug, Default, Deserialize)]
pub struct Ack {}
