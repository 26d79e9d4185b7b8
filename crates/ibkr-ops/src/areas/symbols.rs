//! `Client::symbols()`: symbol search by query, bond filters and every
//! contract of an exchange (Web API).

use crate::Method::Get;
use crate::Operation;

/// `Symbols::search` (the GET form of the contract search)
pub const SEARCH: Operation = Operation::read("Symbols::search")
    .web(Get, "/iserver/secdef/search")
    .query(&[
        "symbol",
        "secType",
        "name",
        "more",
        "fund",
        "fundFamilyConidEx",
        "pattern",
        "referrer",
    ]);
/// `Symbols::bond_filters`
pub const BOND_FILTERS: Operation = Operation::read("Symbols::bond_filters")
    .web(Get, "/iserver/secdef/bond-filters")
    .query(&["symbol", "issueId"]);
/// `Symbols::all_conids`
pub const ALL_CONIDS: Operation = Operation::read("Symbols::all_conids")
    .web(Get, "/trsrv/all-conids")
    .query(&["exchange", "assetClass"]);

/// This area's operations.
pub const ALL: &[Operation] = &[SEARCH, BOND_FILTERS, ALL_CONIDS];
