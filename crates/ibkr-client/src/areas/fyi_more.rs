//! Older FYI notifications, page by page (`GET /fyi/notifications/more`;
//! the Gateway only, the Web API answers
//! [`Error::Unsupported`]).
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! let fyi = client.fyi();
//! let mut page = fyi.notifications(10).await?;
//! while let Some(last) = page.last().and_then(|n| n.id.clone()) {
//!     page = fyi.more_notifications(&last).await?;
//!     println!("{} older", page.len());
//! }
//! # Ok(()) }
//! ```

use super::fyi::{Fyi, Notification};
use crate::error::{Error, Result};
use ibkr_ops::areas::fyi_more as ops;

impl Fyi<'_> {
    /// The notifications older than `last_id`, the id of the last one
    /// already shown (`GET /fyi/notifications/more?id=…`; Gateway; IBKR
    /// allows one `/fyi` call a second). Empty when there are no more.
    pub async fn more_notifications(&self, last_id: &str) -> Result<Vec<Notification>> {
        if last_id.trim().is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{}: a notification id is needed",
                ops::MORE_NOTIFICATIONS.name
            )));
        }
        self.client
            .op(&ops::MORE_NOTIFICATIONS)?
            .query("id", last_id)
            .fetch_list()
            .await
    }
}
