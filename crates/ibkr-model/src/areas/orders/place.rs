//! The data types of `ibkr_client::areas::orders::place`, with their lenient decoders
//! (re-exported there).

/// Which questions [`Orders::place_with_policy`](struct.Orders.html#method.place_with_policy) may confirm.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConfirmationPolicy {
    /// Confirm nothing: return the first question.
    #[default]
    Manual,
    /// Confirm a question only when all its message ids are in this list.
    ConfirmIds(Vec<String>),
    /// Confirm every question.
    ConfirmAll,
}

impl ConfirmationPolicy {
    /// Whether a question with these message ids may be confirmed.
    pub fn allows(&self, message_ids: &[String]) -> bool {
        match self {
            ConfirmationPolicy::Manual => false,
            ConfirmationPolicy::ConfirmAll => true,
            ConfirmationPolicy::ConfirmIds(allowed) => {
                !message_ids.is_empty() && message_ids.iter().all(|id| allowed.contains(id))
            }
        }
    }
}

/// How many successive questions [`Orders::place_with_policy`](struct.Orders.html#method.place_with_policy) answers before
/// returning the next one to the caller.
pub const MAX_CONFIRMATIONS: usize = 10;
