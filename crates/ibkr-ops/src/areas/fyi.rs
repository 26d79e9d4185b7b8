//! `Client::fyi()` (notifications).

use crate::Method::{Delete, Get, Post, Put};
use crate::Operation;

/// `Fyi::unread_count`
pub const UNREAD_COUNT: Operation =
    Operation::read("Fyi::unread_count").both(Get, "/fyi/unreadnumber");
/// `Fyi::settings`
pub const SETTINGS: Operation = Operation::read("Fyi::settings").both(Get, "/fyi/settings");
/// `Fyi::set_enabled`
pub const SET_ENABLED: Operation = Operation::write("Fyi::set_enabled")
    .both(Post, "/fyi/settings/{typecode}")
    .body();
/// `Fyi::notifications`
pub const NOTIFICATIONS: Operation = Operation::read("Fyi::notifications")
    .both(Get, "/fyi/notifications")
    .query(&["max"]);
/// `Fyi::mark_read`
pub const MARK_READ: Operation = Operation::write("Fyi::mark_read")
    .web(Put, "/fyi/notifications/{notificationID}")
    .gateway(Put, "/fyi/notifications/{notificationId}");
/// `Fyi::disclaimer`
pub const DISCLAIMER: Operation =
    Operation::read("Fyi::disclaimer").both(Get, "/fyi/disclaimer/{typecode}");
/// `Fyi::mark_disclaimer_read`
pub const MARK_DISCLAIMER_READ: Operation =
    Operation::write("Fyi::mark_disclaimer_read").both(Put, "/fyi/disclaimer/{typecode}");
/// `Fyi::delivery_options`
pub const DELIVERY_OPTIONS: Operation =
    Operation::read("Fyi::delivery_options").both(Get, "/fyi/deliveryoptions");
/// `Fyi::set_email_delivery`
pub const SET_EMAIL_DELIVERY: Operation = Operation::write("Fyi::set_email_delivery")
    .both(Put, "/fyi/deliveryoptions/email")
    .query(&["enabled"]);
/// `Fyi::set_device_delivery`
pub const SET_DEVICE_DELIVERY: Operation = Operation::write("Fyi::set_device_delivery")
    .both(Post, "/fyi/deliveryoptions/device")
    .body();
/// `Fyi::delete_device`
pub const DELETE_DEVICE: Operation =
    Operation::write("Fyi::delete_device").both(Delete, "/fyi/deliveryoptions/{deviceId}");

/// This area's operations.
pub const ALL: &[Operation] = &[
    UNREAD_COUNT,
    SETTINGS,
    SET_ENABLED,
    NOTIFICATIONS,
    MARK_READ,
    DISCLAIMER,
    MARK_DISCLAIMER_READ,
    DELIVERY_OPTIONS,
    SET_EMAIL_DELIVERY,
    SET_DEVICE_DELIVERY,
    DELETE_DEVICE,
];
