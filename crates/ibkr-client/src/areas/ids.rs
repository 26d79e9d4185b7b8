//! The identifiers IBKR's answers carry, one type each across the facade:
//! [`Conid`] (a contract id), [`OrderId`] (IBKR's order id) and
//! [`AccountId`] (an account such as `DU1234567`).
//!
//! IBKR writes the same id as a number in one answer and as a string in the
//! next (`"conid": 265598` and `"conid": "265598"`, `"orderId": 1370093240`
//! and `"order_id": "1370093240"`). Each type reads both, and a value read
//! from either compares equal to the other. They serialize the way IBKR's
//! requests take them: a conid as a number, order and account ids as
//! strings.
//!
//! Methods that take ids keep taking `i64` and `&str`: a [`Conid`] converts
//! with `.into()` / [`Conid::get`], and [`OrderId`] and [`AccountId`]
//! dereference to `&str`, so `client.orders().order_status(&id)` works with
//! an id read from an earlier answer.
//!
//! # For the other areas
//!
//! To adopt a type, change the field's type and its `deserialize_with`:
//!
//! ```ignore
//! #[serde(default, deserialize_with = "ids::opt_conid")]
//! pub conid: Option<Conid>,
//! #[serde(default, deserialize_with = "ids::opt_account_id")]
//! pub account: Option<AccountId>,
//! ```
//!
//! A required (non-`Option`) field uses the type's own `Deserialize`
//! (also lenient).

pub use ibkr_model::areas::ids::*;
