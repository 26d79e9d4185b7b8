//! The data types of `ibkr_client::areas::account_management::instructions`, with their lenient decoders
//! (re-exported there).

use super::Extra;
use crate::decode::LenientDeserialize;
use crate::lenient;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};

/// One instruction: its type (`DEPOSIT`, `INTERNAL_CASH_TRANSFER`, ...)
/// and its fields, sent as `{"instructionType": …, "instruction": {…}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    instruction_type: String,
    fields: Map<String, Value>,
    /// Why it cannot be sent (an amount no JSON number carries exactly, a
    /// body that is not an object), reported when it is.
    #[doc(hidden)]
    pub problem: Option<String>,
}

impl Serialize for Instruction {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Instruction", 2)?;
        out.serialize_field("instructionType", &self.instruction_type)?;
        out.serialize_field("instruction", &self.fields)?;
        out.end()
    }
}

#[doc(hidden)]
/// `amount` as the JSON number IBKR takes, when one carries it exactly
/// (a whole amount as an integer: `1234`, not `1234.0`).
pub fn number(amount: Decimal) -> Option<Value> {
    if amount.fract().is_zero()
        && let Some(whole) = amount.to_i64()
    {
        return Some(Value::from(whole));
    }
    lenient::exact_f64(amount)
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

impl Instruction {
    /// An instruction of `instruction_type` with IBKR's fields (an object,
    /// `clientInstructionId` included), for the types without a
    /// constructor here.
    pub fn new(instruction_type: impl Into<String>, fields: Value) -> Self {
        let instruction_type = instruction_type.into();
        match fields {
            Value::Object(fields) => Instruction {
                instruction_type,
                fields,
                problem: None,
            },
            other => Instruction {
                problem: Some(format!(
                    "the fields of {instruction_type} must be an object, not {other}"
                )),
                instruction_type,
                fields: Map::new(),
            },
        }
    }

    /// Adds (or replaces) a field of the instruction.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }

    /// Adds (or replaces) an amount, sent as a JSON number; an amount a
    /// JSON number cannot carry exactly (more than 15 significant digits)
    /// makes the instruction fail with [`Error::InvalidArgument`](../../error/enum.Error.html#variant.InvalidArgument) when it
    /// is sent, rather than change its value.
    pub fn with_amount(mut self, name: impl Into<String>, amount: Decimal) -> Self {
        let name = name.into();
        match number(amount) {
            Some(v) => {
                self.fields.insert(name, v);
            }
            None => {
                self.problem = Some(format!(
                    "{name} {amount} has more digits than a JSON number carries"
                ));
            }
        }
        self
    }

    /// The instruction type.
    pub fn instruction_type(&self) -> &str {
        &self.instruction_type
    }

    /// The fields, as they will be sent.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// Your id of the instruction (`clientInstructionId`).
    pub fn client_instruction_id(&self) -> Option<i64> {
        match self.fields.get("clientInstructionId")? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn of(instruction_type: &str, client_instruction_id: i64, fields: Value) -> Self {
        Instruction::new(instruction_type, fields)
            .with("clientInstructionId", client_instruction_id)
    }

    /// A deposit into `account_id` by `method` (`ACH`, `WIRE` or `eDDA`);
    /// add `sendingInstitution`, `identifier`, `bankInstructionName`,
    /// `recurringInstructionDetail`, ... with [`Instruction::with`].
    pub fn deposit(
        client_instruction_id: i64,
        account_id: &str,
        currency: &str,
        amount: Decimal,
        method: &str,
    ) -> Self {
        Instruction::of(
            "DEPOSIT",
            client_instruction_id,
            json!({"accountId": account_id, "currency": currency, "bankInstructionMethod": method}),
        )
        .with_amount("amount", amount)
    }

    /// A withdrawal from `account_id` to the bank instruction named
    /// `bank_instruction_name`, by `method` (`ACH`, `WIRE` or `SEPA`).
    pub fn withdrawal(
        client_instruction_id: i64,
        account_id: &str,
        currency: &str,
        amount: Decimal,
        bank_instruction_name: &str,
        method: &str,
    ) -> Self {
        Instruction::of(
            "WITHDRAWAL",
            client_instruction_id,
            json!({"accountId": account_id, "currency": currency,
                   "bankInstructionName": bank_instruction_name, "bankInstructionMethod": method}),
        )
        .with_amount("amount", amount)
    }

    /// Cash from one account of the firm to another; add `clientNote` or
    /// `dateTimeToOccur` with [`Instruction::with`].
    pub fn internal_cash_transfer(
        client_instruction_id: i64,
        source_account_id: &str,
        target_account_id: &str,
        currency: &str,
        amount: Decimal,
    ) -> Self {
        Instruction::of(
            "INTERNAL_CASH_TRANSFER",
            client_instruction_id,
            json!({"sourceAccountId": source_account_id, "targetAccountId": target_account_id,
                   "currency": currency}),
        )
        .with_amount("amount", amount)
    }

    /// `quantity` of contract `conid` (traded in `currency`) from one
    /// account of the firm to another; add `transferPrice`, `tradeDate`,
    /// `settleDate` with [`Instruction::with`] / [`Instruction::with_amount`].
    pub fn internal_position_transfer(
        client_instruction_id: i64,
        source_account_id: &str,
        target_account_id: &str,
        conid: i64,
        currency: &str,
        quantity: Decimal,
    ) -> Self {
        Instruction::of(
            "INTERNAL_POSITION_TRANSFER",
            client_instruction_id,
            json!({"sourceAccountId": source_account_id, "targetAccountId": target_account_id,
                   "tradingInstrument": {"conid": conid, "currency": currency}}),
        )
        .with_amount("transferQuantity", quantity)
    }

    /// Cancels IBKR's instruction `instruction_id`, for `reason`.
    pub fn cancel(client_instruction_id: i64, instruction_id: i64, reason: &str) -> Self {
        Instruction::of(
            "CANCEL_INSTRUCTION",
            client_instruction_id,
            json!({"instructionId": instruction_id, "reason": reason}),
        )
    }

    /// The instructions of `account_id` of the last `days_to_go_back`
    /// days, of one type (`DEPOSIT`, `WITHDRAWAL`, ...) or all (`None`).
    pub fn query_recent_instructions(
        client_instruction_id: i64,
        account_id: &str,
        days_to_go_back: u32,
        transaction_type: Option<&str>,
    ) -> Self {
        let mut history = json!({"daysToGoBack": days_to_go_back});
        if let Some(t) = transaction_type {
            history["transactionType"] = t.into();
        }
        Instruction::of(
            "QUERY_RECENT_INSTRUCTIONS",
            client_instruction_id,
            json!({"accountId": account_id, "transactionHistory": history}),
        )
    }

    /// What `account_id` can withdraw in `currency`.
    pub fn query_withdrawable_funds(
        client_instruction_id: i64,
        account_id: &str,
        currency: &str,
    ) -> Self {
        Instruction::of(
            "QUERY_WITHDRAWABLE_FUNDS",
            client_instruction_id,
            json!({"accountId": account_id, "currency": currency}),
        )
    }

    /// The IRA contributions of `account_id` in `year`.
    pub fn query_ira_contributions(
        client_instruction_id: i64,
        account_id: &str,
        year: &str,
    ) -> Self {
        Instruction::of(
            "QUERY_IRA_CONTRIBUTIONS",
            client_instruction_id,
            json!({"accountId": account_id, "year": year}),
        )
    }

    /// The bank instructions of `account_id` for `method` (`ACH` or `WIRE`).
    pub fn query_bank_instruction(
        client_instruction_id: i64,
        account_id: &str,
        method: &str,
    ) -> Self {
        Instruction::of(
            "QUERY_BANK_INSTRUCTION",
            client_instruction_id,
            json!({"accountId": account_id, "bankInstructionMethod": method}),
        )
    }
}

/// IBKR's answer to an instruction, or its status when polled.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct InstructionResponse {
    /// The status IBKR reports (`201` done, `202` accepted, `208` already
    /// reported, ...).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    /// The instruction set it belongs to.
    #[serde(
        default,
        rename = "instructionSetId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub instruction_set_id: Option<i64>,
    /// The instruction's result.
    #[serde(default, rename = "instructionResult")]
    pub result: InstructionResult,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The status of an instruction set.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct InstructionSetStatus {
    /// The status IBKR reports.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    /// The set.
    #[serde(
        default,
        rename = "instructionSetId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub instruction_set_id: Option<i64>,
    /// Its instructions' results.
    #[serde(
        default,
        rename = "instructionResults",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub results: Vec<InstructionResult>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One instruction's result: the fields every instruction has, those of
/// the queries (withdrawable funds, bank instructions, history, IRA
/// contributions, recurring instructions), and every other field in
/// [`InstructionResult::extra`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct InstructionResult {
    /// Your id of the instruction.
    #[serde(
        default,
        rename = "clientInstructionId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub client_instruction_id: Option<i64>,
    /// IBKR's id of the instruction.
    #[serde(
        default,
        rename = "instructionId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub instruction_id: Option<i64>,
    /// The instruction type.
    #[serde(
        default,
        rename = "instructionType",
        deserialize_with = "lenient::opt_string"
    )]
    pub instruction_type: Option<String>,
    /// `PENDING`, `PROCESSED`, `REJECTED`, `PENDING_VERIFICATION`.
    #[serde(
        default,
        rename = "instructionStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub instruction_status: Option<String>,
    /// IBKR's reference of the transaction.
    #[serde(
        default,
        rename = "ibReferenceId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub ib_reference_id: Option<i64>,
    /// IBKR's code.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    /// IBKR's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Why IBKR rejected it.
    #[serde(default)]
    pub error: Option<InstructionError>,
    /// The account (queries).
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "lenient::opt_string"
    )]
    pub account_id: Option<String>,
    /// The currency (queries).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// An amount (recurring events).
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Withdrawable funds.
    #[serde(
        default,
        rename = "withdrawableAmount",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub withdrawable_amount: Option<Decimal>,
    /// Withdrawable funds without borrowing.
    #[serde(
        default,
        rename = "withdrawableAmountNoBorrow",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub withdrawable_amount_no_borrow: Option<Decimal>,
    /// What may go to the master account.
    #[serde(
        default,
        rename = "allowedTransferAmountToMaster",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub allowed_transfer_amount_to_master: Option<Decimal>,
    /// What may go to the master account without borrowing.
    #[serde(
        default,
        rename = "allowedTransferAmountToMasterNoBorrow",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub allowed_transfer_amount_to_master_no_borrow: Option<Decimal>,
    /// Withdrawable funds, origination hold aside.
    #[serde(
        default,
        rename = "withdrawableAmountWithoutOriginationHold",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub withdrawable_amount_without_origination_hold: Option<Decimal>,
    /// Withdrawable funds without borrowing, origination hold aside.
    #[serde(
        default,
        rename = "withdrawableAmountWithoutOriginationHoldNoBorrow",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub withdrawable_amount_without_origination_hold_no_borrow: Option<Decimal>,
    /// `ACH` or `WIRE` (bank instruction queries).
    #[serde(
        default,
        rename = "bankInstructionMethod",
        deserialize_with = "lenient::opt_string"
    )]
    pub bank_instruction_method: Option<String>,
    /// The bank instructions (bank instruction queries).
    #[serde(
        default,
        rename = "bankInstructionDetails",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub bank_instructions: Vec<BankInstructionDetail>,
    /// The recent instructions (history queries).
    #[serde(default, rename = "instructionHistory")]
    pub history: Option<InstructionHistory>,
    /// The tax year (IRA queries).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub year: Option<String>,
    /// The IRA's type (IRA queries).
    #[serde(default, rename = "iraType", deserialize_with = "lenient::opt_string")]
    pub ira_type: Option<String>,
    /// The contributions (IRA queries).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub contributions: Vec<IraContribution>,
    /// The recurring instructions (recurring instruction queries).
    #[serde(
        default,
        rename = "recurringInstructions",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub recurring_instructions: Vec<RecurringInstruction>,
    /// Every other field (recurring events and their history, deposit
    /// details, ...), as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why IBKR rejected an instruction.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct InstructionError {
    /// IBKR's code (`CORRUPT_DATA_INVALID_ACCT`, ...).
    #[serde(
        default,
        rename = "errorCode",
        deserialize_with = "lenient::opt_string"
    )]
    pub code: Option<String>,
    /// IBKR's message.
    #[serde(
        default,
        rename = "errorMessage",
        deserialize_with = "lenient::opt_string"
    )]
    pub message: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One bank instruction of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct BankInstructionDetail {
    /// Its name.
    #[serde(
        default,
        rename = "instructionName",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    /// `LOCAL_BANK`, `FOREIGN_BANK`, `FOREIGN_BROKER`, ...
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// Its status.
    #[serde(
        default,
        rename = "instructionStatus",
        deserialize_with = "lenient::opt_string"
    )]
    pub status: Option<String>,
    /// The bank's routing number.
    #[serde(
        default,
        rename = "bankRoutingNumber",
        deserialize_with = "lenient::opt_string"
    )]
    pub bank_routing_number: Option<String>,
    /// The account number, masked by IBKR.
    #[serde(
        default,
        rename = "bankAccountNumber",
        deserialize_with = "lenient::opt_string"
    )]
    pub bank_account_number: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Recent instructions of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct InstructionHistory {
    /// How many days back IBKR looks at most.
    #[serde(
        default,
        rename = "historyMaxDepthNumberOfDays",
        deserialize_with = "lenient::opt_i64"
    )]
    pub max_days: Option<i64>,
    /// How many instructions IBKR returns at most.
    #[serde(
        default,
        rename = "historyMaxDepthNumberOfInstruction",
        deserialize_with = "lenient::opt_i64"
    )]
    pub max_instructions: Option<i64>,
    /// The instructions.
    #[serde(
        default,
        rename = "result",
        deserialize_with = "lenient::vec_or_single"
    )]
    pub instructions: Vec<HistoryItem>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One instruction of an [`InstructionHistory`].
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct HistoryItem {
    /// Your id of it.
    #[serde(
        default,
        rename = "clientInstructionId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub client_instruction_id: Option<i64>,
    /// IBKR's id of it.
    #[serde(
        default,
        rename = "ibInstructionId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub ib_instruction_id: Option<i64>,
    /// Its type.
    #[serde(
        default,
        rename = "instructionType",
        deserialize_with = "lenient::opt_string"
    )]
    pub instruction_type: Option<String>,
    /// When it was requested.
    #[serde(
        default,
        rename = "requestDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub request_date: Option<String>,
    /// Its status.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    /// Its instruction set.
    #[serde(
        default,
        rename = "instructionSetId",
        deserialize_with = "lenient::opt_i64"
    )]
    pub instruction_set_id: Option<i64>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One IRA contribution limit.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct IraContribution {
    /// `EMPLOYEE` or `EMPLOYER` (SEP accounts).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    /// The year's limit.
    #[serde(
        default,
        rename = "maximumContributionLimit",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub maximum: Option<Decimal>,
    /// Contributed so far this year.
    #[serde(
        default,
        rename = "yearToDateContribution",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub year_to_date: Option<Decimal>,
    /// What may still be contributed.
    #[serde(
        default,
        rename = "allowedContributionLimit",
        deserialize_with = "lenient::opt_decimal"
    )]
    pub allowed: Option<Decimal>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One recurring deposit or withdrawal.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
pub struct RecurringInstruction {
    /// IBKR's request id.
    #[serde(default, rename = "requestId", deserialize_with = "lenient::opt_i64")]
    pub request_id: Option<i64>,
    /// The bank instruction it uses.
    #[serde(
        default,
        rename = "bankInstructionName",
        deserialize_with = "lenient::opt_string"
    )]
    pub bank_instruction_name: Option<String>,
    /// `DEPOSIT` or `WITHDRAWAL`.
    #[serde(
        default,
        rename = "transactionType",
        deserialize_with = "lenient::opt_string"
    )]
    pub transaction_type: Option<String>,
    /// `ACH`, `WIRE`, ...
    #[serde(
        default,
        rename = "bankInstructionMethod",
        deserialize_with = "lenient::opt_string"
    )]
    pub method: Option<String>,
    /// The amount, exactly.
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub amount: Option<Decimal>,
    /// The currency.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub currency: Option<String>,
    /// `MONTHLY`, `QUARTERLY`, `YEARLY`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub frequency: Option<String>,
    /// The first date.
    #[serde(
        default,
        rename = "startDate",
        deserialize_with = "lenient::opt_string"
    )]
    pub start_date: Option<String>,
    /// The last date.
    #[serde(default, rename = "endDate", deserialize_with = "lenient::opt_string")]
    pub end_date: Option<String>,
    /// Every other field, as IBKR sent it.
    #[serde(flatten)]
    pub extra: Extra,
}
