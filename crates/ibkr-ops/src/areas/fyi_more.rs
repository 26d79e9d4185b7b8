//! `Client::fyi()`: older notifications (the Gateway only).

use crate::Method::Get;
use crate::Operation;

/// `Fyi::more_notifications`
pub const MORE_NOTIFICATIONS: Operation = Operation::read("Fyi::more_notifications")
    .gateway(Get, "/fyi/notifications/more")
    .query(&["id"]);

/// This area's operations.
pub const ALL: &[Operation] = &[MORE_NOTIFICATIONS];
