//! Banking, transfers and instructions: bank instructions, deposits and
//! withdrawals, internal and external cash and position transfers,
//! cancellation, queries, and polling.
//!
//! Every endpoint takes your firm's OAuth **client id** (`client-id`) and
//! an [`Instruction`]: its type and its fields, with your own
//! `clientInstructionId`. That id is IBKR's idempotency key: the requests
//! that move money or positions are sent exactly once (never retried), and
//! when one's outcome is unknown (a timeout, a broken connection), poll
//! [`AccountManagement::client_instruction_status`] with the same id
//! before sending anything again.
//!
//! The common instructions have constructors with typed arguments (amounts
//! and quantities are exact `Decimal`s); any other instruction (ACH and
//! eDDA set-up, FOP, DWAC, complex asset transfers, ...) is
//! [`Instruction::new`] with IBKR's fields, and every instruction takes
//! more fields with [`Instruction::with`].
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::account_management::Instruction;
//! use rust_decimal::Decimal;
//!
//! let am = client.account_management();
//! let transfer = Instruction::internal_cash_transfer(7008156, "U1234567", "U7654321", "USD", Decimal::new(25_000, 2))
//!     .with("clientNote", "monthly rebalance");
//! let ack = am.internal_cash_transfer("my-client-id", &transfer).await?;
//! println!("{:?} {:?}", ack.result.instruction_id, ack.result.instruction_status);
//!
//! let query = Instruction::query_withdrawable_funds(7008157, "U1234567", "USD");
//! let funds = am.query_cash("my-client-id", &query).await?;
//! println!("withdrawable: {:?}", funds.result.withdrawable_amount);
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::account_management::instructions::*;

use ibkr_ops::Operation;
use ibkr_ops::areas::account_management as ops;

use super::{AccountManagement, fetch};
use crate::error::{Error, Result};

/// The instruction types each endpoint takes, as IBKR's spec lists them.
/// A type listed for another endpoint is refused before anything is sent;
/// a type no list knows is sent (IBKR may have added it).
const TYPES: &[(&str, &[&str])] = &[
    (
        ops::BANK_INSTRUCTION.name,
        &[
            "ACH_INSTRUCTION",
            "TRADITIONAL_BANK_INSTRUCTION_VERIFICATION",
            "DELETE_BANK_INSTRUCTION",
            "PREDEFINED_DESTINATION_INSTRUCTION",
            "EDDA_INSTRUCTION",
        ],
    ),
    (
        ops::QUERY_BANK_INSTRUCTIONS.name,
        &[
            "QUERY_BANK_INSTRUCTION",
            "QUERY_RECENT_RECURRING_EVENTS",
            "QUERY_RECURRING_INSTRUCTIONS",
        ],
    ),
    (
        ops::EXTERNAL_ASSET_TRANSFER.name,
        &[
            "DWAC",
            "FOP",
            "COMPLEX_ASSET_TRANSFER",
            "EXTERNAL_POSITION_TRANSFER",
        ],
    ),
    (ops::EXTERNAL_CASH_TRANSFER.name, &["DEPOSIT", "WITHDRAWAL"]),
    (
        ops::QUERY_CASH.name,
        &["QUERY_WITHDRAWABLE_FUNDS", "QUERY_IRA_CONTRIBUTIONS"],
    ),
    (
        ops::INTERNAL_ASSET_TRANSFER.name,
        &["INTERNAL_POSITION_TRANSFER"],
    ),
    (
        ops::INTERNAL_CASH_TRANSFER.name,
        &["INTERNAL_CASH_TRANSFER"],
    ),
    (ops::CANCEL_INSTRUCTION.name, &["CANCEL_INSTRUCTION"]),
    (ops::QUERY_INSTRUCTIONS.name, &["QUERY_RECENT_INSTRUCTIONS"]),
];

/// Refuses what cannot be sent to `op`: an instruction with a problem,
/// without a `clientInstructionId`, or of a type another endpoint takes.
fn check(op: &'static Operation, client_id: &str, instruction: &Instruction) -> Result<()> {
    let refuse = |why: String| Err(Error::InvalidArgument(format!("{}: {why}", op.name)));
    if let Some(problem) = &instruction.problem {
        return refuse(problem.clone());
    }
    if client_id.trim().is_empty() {
        return refuse("the client id (your firm's OAuth client id) is empty".into());
    }
    if instruction.client_instruction_id().is_none() {
        return refuse(
            "the instruction has no clientInstructionId (IBKR's idempotency key)".into(),
        );
    }
    let kind = instruction.instruction_type();
    let own = TYPES
        .iter()
        .find(|(name, _)| *name == op.name)
        .map(|(_, t)| *t);
    let elsewhere = TYPES
        .iter()
        .find(|(name, types)| *name != op.name && types.contains(&kind));
    match (own, elsewhere) {
        (Some(own), Some((other, _))) if !own.contains(&kind) => refuse(format!(
            "a {kind} instruction goes to {other}, not here (this endpoint takes {})",
            own.join(", ")
        )),
        _ => Ok(()),
    }
}

impl AccountManagement<'_> {
    async fn send_instruction(
        &self,
        op: &'static Operation,
        client_id: &str,
        instruction: &Instruction,
    ) -> Result<InstructionResponse> {
        check(op, client_id, instruction)?;
        let call = self
            .client
            .op(op)?
            .query("client-id", client_id)
            .json(instruction)?;
        fetch(op, call).await
    }

    async fn poll<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static Operation,
        client_id: &str,
        id: i64,
    ) -> Result<T> {
        let call = self.client.op(op)?.arg(id)?.query("client-id", client_id);
        fetch(op, call).await
    }
}

/// Declares the methods that send an [`Instruction`] to one endpoint
/// (checked by [`check`] first).
macro_rules! instruction_methods {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {
        impl AccountManagement<'_> {
            $(
                $(#[$doc])*
                pub async fn $name(&self, client_id: &str, instruction: &Instruction) -> Result<InstructionResponse> {
                    self.send_instruction(&ops::$op, client_id, instruction).await
                }
            )*
        }
    };
}

/// Declares the methods that poll one kind of id.
macro_rules! poll_methods {
    ($($(#[$doc:meta])* $name:ident($id:ident) -> $answer:ty => $op:ident;)*) => {
        impl AccountManagement<'_> {
            $(
                $(#[$doc])*
                pub async fn $name(&self, client_id: &str, $id: i64) -> Result<$answer> {
                    self.poll(&ops::$op, client_id, $id).await
                }
            )*
        }
    };
}

poll_methods! {
    /// The status of IBKR's instruction `instruction_id`
    /// (`GET /gw/api/v1/instructions/{instructionId}`).
    instruction_status(instruction_id) -> InstructionResponse => INSTRUCTION_STATUS;
    /// The status of your instruction `client_instruction_id`: what to ask
    /// after an instruction whose outcome is unknown
    /// (`GET /gw/api/v1/client-instructions/{clientInstructionId}`).
    client_instruction_status(client_instruction_id) -> InstructionResponse => CLIENT_INSTRUCTION_STATUS;
    /// The status of an instruction set
    /// (`GET /gw/api/v1/instruction-sets/{instructionSetId}`).
    instruction_set_status(instruction_set_id) -> InstructionSetStatus => INSTRUCTION_SET_STATUS;
}

instruction_methods! {
    /// Sets up, verifies or deletes a bank instruction (`ACH_INSTRUCTION`,
    /// `TRADITIONAL_BANK_INSTRUCTION_VERIFICATION`,
    /// `DELETE_BANK_INSTRUCTION`, `PREDEFINED_DESTINATION_INSTRUCTION`,
    /// `EDDA_INSTRUCTION`) (`POST /gw/api/v1/bank-instructions`).
    bank_instruction => BANK_INSTRUCTION;
    /// Queries bank instructions, recurring instructions or their recent
    /// events (`QUERY_BANK_INSTRUCTION`, `QUERY_RECURRING_INSTRUCTIONS`,
    /// `QUERY_RECENT_RECURRING_EVENTS`)
    /// (`POST /gw/api/v1/bank-instructions/query`).
    query_bank_instructions => QUERY_BANK_INSTRUCTIONS;
    /// Transfers positions from or to another broker (`FOP`, `DWAC`,
    /// `COMPLEX_ASSET_TRANSFER`, `EXTERNAL_POSITION_TRANSFER`)
    /// (`POST /gw/api/v1/external-asset-transfers`).
    external_asset_transfer => EXTERNAL_ASSET_TRANSFER;
    /// Deposits or withdraws cash ([`Instruction::deposit`],
    /// [`Instruction::withdrawal`]) (`POST /gw/api/v1/external-cash-transfers`).
    external_cash_transfer => EXTERNAL_CASH_TRANSFER;
    /// Queries withdrawable funds or IRA contributions
    /// ([`Instruction::query_withdrawable_funds`],
    /// [`Instruction::query_ira_contributions`])
    /// (`POST /gw/api/v1/external-cash-transfers/query`).
    query_cash => QUERY_CASH;
    /// Transfers a position between two accounts of the firm
    /// ([`Instruction::internal_position_transfer`])
    /// (`POST /gw/api/v1/internal-asset-transfers`).
    internal_asset_transfer => INTERNAL_ASSET_TRANSFER;
    /// Transfers cash between two accounts of the firm
    /// ([`Instruction::internal_cash_transfer`])
    /// (`POST /gw/api/v1/internal-cash-transfers`).
    internal_cash_transfer => INTERNAL_CASH_TRANSFER;
    /// Cancels an instruction ([`Instruction::cancel`])
    /// (`POST /gw/api/v1/instructions/cancel`).
    cancel_instruction => CANCEL_INSTRUCTION;
    /// Queries an account's recent instructions
    /// ([`Instruction::query_recent_instructions`]); IBKR answers
    /// `PENDING` and the history arrives by polling
    /// (`POST /gw/api/v1/instructions/query`).
    query_instructions => QUERY_INSTRUCTIONS;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde_json::json;

    #[test]
    fn constructors_send_exact_numbers() {
        let i = Instruction::deposit(7, "U1", "USD", Decimal::new(1_234_567, 2), "WIRE");
        let v = serde_json::to_value(&i).unwrap();
        assert_eq!(v["instructionType"], "DEPOSIT");
        assert_eq!(v["instruction"]["amount"], json!(12345.67));
        assert_eq!(v["instruction"]["clientInstructionId"], 7);
        assert_eq!(i.client_instruction_id(), Some(7));
        let whole = Instruction::deposit(7, "U1", "USD", Decimal::new(1_234_000, 3), "WIRE");
        assert_eq!(whole.fields()["amount"], json!(1234));
        let too_precise = Decimal::from_str_exact("0.12345678901234567890").unwrap();
        let i = Instruction::deposit(7, "U1", "USD", too_precise, "WIRE");
        let e = check(&ops::EXTERNAL_CASH_TRANSFER, "c", &i).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidArgument(m) if m.contains("digits")),
            "{e:?}"
        );
    }

    #[test]
    fn types_of_other_endpoints_are_refused() {
        let deposit = Instruction::deposit(7, "U1", "USD", Decimal::ONE, "ACH");
        assert!(check(&ops::EXTERNAL_CASH_TRANSFER, "c", &deposit).is_ok());
        let e = check(&ops::INTERNAL_CASH_TRANSFER, "c", &deposit).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidArgument(m) if m.contains("AccountManagement::external_cash_transfer")),
            "{e:?}"
        );
        // A type IBKR may add later is sent.
        let new = Instruction::new("SOMETHING_NEW", json!({"clientInstructionId": 1}));
        assert!(check(&ops::INTERNAL_CASH_TRANSFER, "c", &new).is_ok());
        // No idempotency key, no client id, no object: refused.
        let bare = Instruction::new("DEPOSIT", json!({"accountId": "U1"}));
        assert!(check(&ops::EXTERNAL_CASH_TRANSFER, "c", &bare).is_err());
        assert!(check(&ops::EXTERNAL_CASH_TRANSFER, " ", &deposit).is_err());
        let list = Instruction::new("DEPOSIT", json!([1]));
        assert!(check(&ops::EXTERNAL_CASH_TRANSFER, "c", &list).is_err());
    }
}
