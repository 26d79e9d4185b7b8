//! The code enums: side, order type, time in force, status, security
//! type, trailing type. Each reads IBKR's codes and display names and keeps
//! anything else in `Other`.

pub use ibkr_model::areas::orders::enums::*;
