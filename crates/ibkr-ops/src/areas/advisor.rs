//! `Client::advisor()`: financial advisors' allocation groups and presets,
//! advisor orders, and the operations of multi-account structures
//! (advisors and introducing brokers): dynamic accounts, large sub-account
//! lists, consolidated allocation, signatures and owners.

use crate::Method::{Get, Post, Put};
use crate::{Audience, Operation};

/// `Advisor::allocation_accounts`
pub const ALLOCATION_ACCOUNTS: Operation = Operation::read("Advisor::allocation_accounts")
    .web(Get, "/iserver/account/allocation/accounts")
    .audience(Audience::Advisors);
/// `Advisor::groups`
pub const GROUPS: Operation = Operation::read("Advisor::groups")
    .web(Get, "/iserver/account/allocation/group")
    .audience(Audience::Advisors);
/// `Advisor::group` (a read sent as a POST with the group's name)
pub const GROUP: Operation = Operation::read("Advisor::group")
    .web(Post, "/iserver/account/allocation/group/single")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::add_group`
pub const ADD_GROUP: Operation = Operation::write("Advisor::add_group")
    .web(Post, "/iserver/account/allocation/group")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::modify_group`
pub const MODIFY_GROUP: Operation = Operation::write("Advisor::modify_group")
    .web(Put, "/iserver/account/allocation/group")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::delete_group`
pub const DELETE_GROUP: Operation = Operation::write("Advisor::delete_group")
    .web(Post, "/iserver/account/allocation/group/delete")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::presets`
pub const PRESETS: Operation = Operation::read("Advisor::presets")
    .web(Get, "/iserver/account/allocation/presets")
    .audience(Audience::Advisors);
/// `Advisor::set_presets`
pub const SET_PRESETS: Operation = Operation::write("Advisor::set_presets")
    .web(Post, "/iserver/account/allocation/presets")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::place_group_order`: one order for an allocation group (the
/// Gateway only; the Web API places group orders through
/// `Orders::place` with the group's name as the account).
pub const PLACE_GROUP_ORDER: Operation = Operation::order("Advisor::place_group_order")
    .gateway(Post, "/iserver/account/orders/{faGroup}")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::search_accounts` (dynamic accounts)
pub const SEARCH_ACCOUNTS: Operation = Operation::read("Advisor::search_accounts")
    .web(Get, "/iserver/account/search/{searchPattern}")
    .audience(Audience::Brokers);
/// `Advisor::set_dynamic_account`
pub const SET_DYNAMIC_ACCOUNT: Operation = Operation::write("Advisor::set_dynamic_account")
    .web(Post, "/iserver/dynaccount")
    .body()
    .audience(Audience::Brokers);
/// `Advisor::subaccounts_page` (more than 100 sub-accounts, 20 a page)
pub const SUBACCOUNTS_PAGE: Operation = Operation::read("Advisor::subaccounts_page")
    .gateway(Get, "/portfolio/subaccounts2/{page}")
    .audience(Audience::Advisors);
/// `Advisor::combined_allocation` (several accounts, consolidated)
pub const COMBINED_ALLOCATION: Operation = Operation::read("Advisor::combined_allocation")
    .gateway(Post, "/portfolio/allocation")
    .body()
    .audience(Audience::Advisors);
/// `Advisor::signatures_and_owners`
pub const SIGNATURES_AND_OWNERS: Operation = Operation::read("Advisor::signatures_and_owners")
    .web(Get, "/acesws/{accountId}/signatures-and-owners")
    .audience(Audience::Brokers);

/// This area's operations.
pub const ALL: &[Operation] = &[
    ALLOCATION_ACCOUNTS,
    GROUPS,
    GROUP,
    ADD_GROUP,
    MODIFY_GROUP,
    DELETE_GROUP,
    PRESETS,
    SET_PRESETS,
    PLACE_GROUP_ORDER,
    SEARCH_ACCOUNTS,
    SET_DYNAMIC_ACCOUNT,
    SUBACCOUNTS_PAGE,
    COMBINED_ALLOCATION,
    SIGNATURES_AND_OWNERS,
];
