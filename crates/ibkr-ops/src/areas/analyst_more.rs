//! `Client::analyst()`: performance over every standard period at once
//! (Web API).

use crate::Method::Post;
use crate::Operation;

/// `Analyst::all_periods`
pub const ALL_PERIODS: Operation = Operation::read("Analyst::all_periods")
    .web(Post, "/pa/allperiods")
    .body();

/// This area's operations.
pub const ALL: &[Operation] = &[ALL_PERIODS];
