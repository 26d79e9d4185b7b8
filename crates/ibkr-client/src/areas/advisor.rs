//! For financial advisors and introducing brokers: allocation groups and
//! presets, orders for a group, dynamic accounts, large sub-account lists,
//! the consolidated allocation of several accounts, and an account's
//! signatures and owners.
//!
//! **Who can use it.** IBKR serves these operations only to the account
//! structures they are about: allocation groups, presets and group orders
//! to advisor (FA) master accounts; dynamic account search and selection
//! to broker accounts with IBKR's `DYNACCT` property (others get a 503);
//! the paged sub-account list to advisor and IBroker masters with many
//! sub-accounts. An individual account gets IBKR's error
//! ([`Error::Api`] or [`Error::Http`]).
//!
//! **Which variant.** Each operation is served where IBKR's specs put it;
//! on the other variant it fails with [`Error::Unsupported`] before
//! anything is sent:
//!
//! | method | Web API | Gateway |
//! |---|:-:|:-:|
//! | [`Advisor::allocation_accounts`], [`Advisor::groups`], [`Advisor::group`], [`Advisor::add_group`], [`Advisor::modify_group`], [`Advisor::delete_group`], [`Advisor::presets`], [`Advisor::set_presets`] | ✔ | |
//! | [`Advisor::search_accounts`], [`Advisor::set_dynamic_account`], [`Advisor::signatures_and_owners`] | ✔ | |
//! | [`Advisor::place_group_order`], [`Advisor::subaccounts_page`], [`Advisor::combined_allocation`] | | ✔ |
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::advisor::{AllocationGroup, AllocationMethod, GroupMember};
//!
//! let advisor = client.advisor();
//! for account in advisor.allocation_accounts().await? {
//!     println!("{:?}: net liquidation {:?}", account.name, account.net_liquidation);
//! }
//! let group = AllocationGroup::new("Tech_Shares", AllocationMethod::Shares)
//!     .member(GroupMember::with_amount("U1234567", 4.into()))
//!     .member(GroupMember::with_amount("U1234568", 1.into()));
//! advisor.add_group(&group).await?;
//! for g in advisor.groups().await? {
//!     println!("{:?}: {:?} accounts, {:?}", g.name, g.size, g.method);
//! }
//! let presets = advisor.presets().await?;
//! println!("strict credit check: {:?}", presets.strict_credit_check);
//! # Ok(()) }
//! ```
//!
//! Orders for a group on the Gateway:
//!
//! ```no_run
//! # async fn f(client: ibkr_client::Client) -> ibkr_client::Result<()> {
//! use ibkr_client::areas::orders::{OrderRequest, Side};
//!
//! let order = OrderRequest::limit(265598, Side::Buy, 100.into(), "189.50".parse()?);
//! let outcome = client.advisor().place_group_order("Tech_Shares", &order, None).await?;
//! println!("{outcome:?}");
//! # Ok(()) }
//! ```

pub use ibkr_model::areas::advisor::*;

use ibkr_ops::areas::advisor as ops;
use rust_decimal::Decimal;

use super::accounts::{Allocation, SwitchedAccount};
use serde::Serialize;

use super::orders::{OrderRequest, PlaceOutcome, new_client_order_id};
use super::orders_more::{concerning, read_placement, single};
use crate::client::Client;
use crate::decode::LenientDeserialize;
use crate::error::{Error, Result};
use crate::lenient;

/// Advisor and broker operations, from [`Client::advisor`].
#[derive(Debug, Clone, Copy)]
pub struct Advisor<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// For financial advisors and introducing brokers: allocation groups
    /// and presets, group orders, dynamic accounts, sub-accounts.
    pub fn advisor(&self) -> Advisor<'_> {
        Advisor { client: self }
    }
}

/// `{"accounts": […]}`
#[derive(LenientDeserialize, Default)]
struct AllocatableAccounts {
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    accounts: Vec<AllocatableAccount>,
}

/// `{"data": […]}`
#[derive(LenientDeserialize, Default)]
struct Groups {
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    data: Vec<GroupSummary>,
}

/// Whether IBKR would take `group`: a name, at least one account, each
/// named, with a positive amount exactly when the method takes one.
fn validate_group(group: &AllocationGroup, operation: &'static str) -> Result<()> {
    let bad = |why: String| Err(Error::InvalidArgument(format!("{operation}: {why}")));
    if group.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return bad("the group needs a name".into());
    }
    if group.accounts.is_empty() {
        return bad("the group needs at least one account".into());
    }
    let needs = group
        .default_method
        .as_ref()
        .is_some_and(AllocationMethod::needs_amounts);
    for member in &group.accounts {
        let Some(name) = member.name.as_deref().filter(|n| !n.trim().is_empty()) else {
            return bad("an account of the group has no id".into());
        };
        match (needs, member.amount) {
            (true, None) => return bad(format!("{name} needs an amount for this method")),
            (true, Some(a)) if a <= Decimal::ZERO => {
                return bad(format!("{name}'s amount must be positive, not {a}"));
            }
            (false, Some(_)) => return bad(format!("{name}: this method takes no amounts")),
            _ => {}
        }
    }
    Ok(())
}

/// `{"success": …}`: IBKR's answer to a group or preset change.
#[derive(LenientDeserialize, Default)]
struct Done {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    success: Option<bool>,
}

/// `{"matchedAccounts": […], "pattern": …}`
#[derive(LenientDeserialize, Default)]
struct DynamicSearch {
    #[serde(
        default,
        rename = "matchedAccounts",
        deserialize_with = "lenient::vec_or_single"
    )]
    matched: Vec<DynamicAccount>,
}

/// `{"name": …}`
#[derive(Serialize)]
struct NameBody<'a> {
    name: &'a str,
}

/// `{"acctIds": […]}`
#[derive(Serialize)]
struct AccountsBody<'a> {
    #[serde(rename = "acctIds")]
    acct_ids: &'a [&'a str],
}

/// A group order: the order and, optionally, a method other than the
/// group's.
#[derive(Serialize)]
struct GroupOrder<'a> {
    #[serde(flatten)]
    order: &'a OrderRequest,
    #[serde(rename = "allocationMethod", skip_serializing_if = "Option::is_none")]
    allocation_method: Option<&'a str>,
}

/// A modified group: the group and its previous name, when renamed.
#[derive(Serialize)]
struct ModifiedGroup<'a> {
    #[serde(flatten)]
    group: &'a AllocationGroup,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev_name: Option<&'a str>,
}

/// A name that goes into a body or a path: not blank, no control characters.
fn named<'a>(operation: &'static str, what: &str, name: &'a str) -> Result<&'a str> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(format!(
            "{operation}: invalid {what} {name:?}"
        )));
    }
    Ok(name)
}

impl Advisor<'_> {
    /// Sends a change and reads IBKR's `{"success": …}`: `false` is an
    /// [`Error::Api`].
    async fn change(&self, op: &'static ibkr_ops::Operation, body: &impl Serialize) -> Result<()> {
        let done: Done = self.client.op(op)?.json(body)?.fetch_or_default().await?;
        match done.success {
            Some(false) => Err(Error::Api {
                operation: op.name,
                message: "IBKR did not confirm the change (success: false)".into(),
                body: r#"{"success":false}"#.into(),
            }),
            _ => Ok(()),
        }
    }

    /// The sub-accounts an advisor can allocate to, with their net
    /// liquidation and available equity
    /// (`GET /iserver/account/allocation/accounts`; Web API; advisors).
    pub async fn allocation_accounts(&self) -> Result<Vec<AllocatableAccount>> {
        let answer: AllocatableAccounts = self
            .client
            .op(&ops::ALLOCATION_ACCOUNTS)?
            .fetch_or_default()
            .await?;
        Ok(answer.accounts)
    }

    /// The advisor's allocation groups: name, size, method
    /// (`GET /iserver/account/allocation/group`; Web API; advisors).
    pub async fn groups(&self) -> Result<Vec<GroupSummary>> {
        let groups: Groups = self.client.op(&ops::GROUPS)?.fetch_or_default().await?;
        Ok(groups.data)
    }

    /// One allocation group with its accounts and amounts
    /// (`POST /iserver/account/allocation/group/single`; Web API;
    /// advisors).
    pub async fn group(&self, name: &str) -> Result<AllocationGroup> {
        let name = named(ops::GROUP.name, "group name", name)?;
        self.client
            .op(&ops::GROUP)?
            .json(&NameBody { name })?
            .fetch()
            .await
    }

    /// Creates an allocation group (`POST /iserver/account/allocation/group`;
    /// Web API; advisors). Checked first: a name, at least one account,
    /// amounts exactly when the method takes them. Its name can then be
    /// given as the account of an order.
    pub async fn add_group(&self, group: &AllocationGroup) -> Result<()> {
        validate_group(group, ops::ADD_GROUP.name)?;
        self.change(&ops::ADD_GROUP, group).await
    }

    /// Replaces an allocation group's accounts and method, renaming it
    /// from `previous_name` when given
    /// (`PUT /iserver/account/allocation/group`; Web API; advisors).
    pub async fn modify_group(
        &self,
        group: &AllocationGroup,
        previous_name: Option<&str>,
    ) -> Result<()> {
        validate_group(group, ops::MODIFY_GROUP.name)?;
        let prev_name = previous_name
            .map(|p| named(ops::MODIFY_GROUP.name, "previous name", p))
            .transpose()?;
        self.change(&ops::MODIFY_GROUP, &ModifiedGroup { group, prev_name })
            .await
    }

    /// Deletes an allocation group
    /// (`POST /iserver/account/allocation/group/delete`; Web API;
    /// advisors).
    pub async fn delete_group(&self, name: &str) -> Result<()> {
        let name = named(ops::DELETE_GROUP.name, "group name", name)?;
        self.change(&ops::DELETE_GROUP, &NameBody { name }).await
    }

    /// How new allocation groups behave
    /// (`GET /iserver/account/allocation/presets`; Web API; advisors).
    pub async fn presets(&self) -> Result<AllocationPresets> {
        self.client.op(&ops::PRESETS)?.fetch().await
    }

    /// Sets the presets; the fields left `None` are not sent
    /// (`POST /iserver/account/allocation/presets`; Web API; advisors).
    pub async fn set_presets(&self, presets: &AllocationPresets) -> Result<()> {
        self.change(&ops::SET_PRESETS, presets).await
    }

    /// Places one order for an allocation group, split among its accounts
    /// by the group's method or by `method` when given
    /// (`POST /iserver/account/orders/{faGroup}`; Gateway; advisors. On
    /// the Web API, give the group's name as the account of
    /// [`Orders::place`](super::orders::Orders::place)).
    ///
    /// Validated first ([`OrderRequest::validate`]; a bracket or OCA group
    /// goes through [`Orders::place`](super::orders::Orders::place)); an
    /// order without a `cOID` is given one. **Sent exactly once**: an
    /// unknown outcome is [`Error::Ambiguous`] with the `cOID`; questions
    /// come back as [`PlaceOutcome::NeedsConfirmation`], to answer with
    /// [`Orders::reply`](super::orders::Orders::reply).
    pub async fn place_group_order(
        &self,
        group: &str,
        order: &OrderRequest,
        method: Option<AllocationMethod>,
    ) -> Result<PlaceOutcome> {
        let name = ops::PLACE_GROUP_ORDER.name;
        let group = named(name, "group name", group)?;
        let mut order = single(name, order)?;
        let coids = vec![
            order
                .client_order_id
                .get_or_insert_with(new_client_order_id)
                .clone(),
        ];
        let body = GroupOrder {
            order: &order,
            allocation_method: method.as_ref().map(AllocationMethod::code),
        };
        let call = self
            .client
            .op(&ops::PLACE_GROUP_ORDER)?
            .arg(group)?
            .json(&body)?;
        let result = match call.send().await {
            Ok(answer) => read_placement(name, &answer),
            Err(e) => Err(e),
        };
        concerning(result, &coids)
    }

    /// The accounts whose id or alias matches `pattern`
    /// (`GET /iserver/account/search/{searchPattern}`; Web API; broker
    /// accounts with IBKR's `DYNACCT` property, others get a 503).
    pub async fn search_accounts(&self, pattern: &str) -> Result<Vec<DynamicAccount>> {
        let found: DynamicSearch = self
            .client
            .op(&ops::SEARCH_ACCOUNTS)?
            .arg(pattern)?
            .fetch_or_default()
            .await?;
        Ok(found.matched)
    }

    /// Selects the dynamic account later requests act on
    /// (`POST /iserver/dynaccount`; Web API; `DYNACCT` broker accounts).
    pub async fn set_dynamic_account(&self, account_id: &str) -> Result<SwitchedAccount> {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "acctId")]
            acct_id: &'a str,
        }
        let acct_id = named(ops::SET_DYNAMIC_ACCOUNT.name, "account id", account_id)?;
        self.client
            .op(&ops::SET_DYNAMIC_ACCOUNT)?
            .json(&Body { acct_id })?
            .fetch()
            .await
    }

    /// One page (from 0, 20 accounts each) of the sub-accounts of a large
    /// advisor or IBroker structure (`GET /portfolio/subaccounts2/{page}`;
    /// Gateway; for more than 100 sub-accounts, else
    /// [`Accounts::subaccounts`](super::accounts::Accounts::subaccounts)).
    /// Call it before the `/portfolio` operations of those accounts.
    pub async fn subaccounts_page(&self, page: u32) -> Result<SubaccountsPage> {
        self.client
            .op(&ops::SUBACCOUNTS_PAGE)?
            .arg(page)?
            .fetch_or_default()
            .await
    }

    /// The allocation (by asset class, sector and group, long and short)
    /// of several accounts, consolidated (`POST /portfolio/allocation`;
    /// Gateway; multi-account structures. Call
    /// [`Accounts::portfolio_accounts`](super::accounts::Accounts::portfolio_accounts)
    /// or `subaccounts` first).
    pub async fn combined_allocation(&self, account_ids: &[&str]) -> Result<Allocation> {
        let name = ops::COMBINED_ALLOCATION.name;
        if account_ids.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{name}: at least one account id"
            )));
        }
        for id in account_ids {
            named(name, "account id", id)?;
        }
        self.client
            .op(&ops::COMBINED_ALLOCATION)?
            .json(&AccountsBody {
                acct_ids: account_ids,
            })?
            .fetch_or_default()
            .await
    }

    /// The users (owners and their roles) and the signatures of an account
    /// (`GET /acesws/{accountId}/signatures-and-owners`; Web API; for the
    /// advisors and brokers who manage the account).
    pub async fn signatures_and_owners(&self, account_id: &str) -> Result<SignaturesAndOwners> {
        self.client
            .op(&ops::SIGNATURES_AND_OWNERS)?
            .arg(account_id)?
            .fetch()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_codes_and_names() {
        for (text, method) in [
            ("A", AllocationMethod::AvailableEquity),
            ("AvailableEquity", AllocationMethod::AvailableEquity),
            ("e", AllocationMethod::Equal),
            ("N", AllocationMethod::NetLiquidation),
            ("S", AllocationMethod::Shares),
        ] {
            assert_eq!(AllocationMethod::from(text), method, "{text}");
        }
        assert_eq!(
            AllocationMethod::from("Z"),
            AllocationMethod::Other("Z".into())
        );
        let presets = AllocationPresets {
            default_method_for_all: Some(AllocationMethod::AvailableEquity),
            ..AllocationPresets::default()
        };
        assert_eq!(
            serde_json::to_string(&presets).unwrap(),
            r#"{"default_method_for_all":"AvailableEquity"}"#
        );
    }

    #[test]
    fn groups_are_checked_and_amounts_are_numbers() {
        let op = "Advisor::add_group";
        let shares = AllocationGroup::new("G", AllocationMethod::Shares)
            .member(GroupMember::with_amount("U1", "1.5".parse().unwrap()));
        validate_group(&shares, op).unwrap();
        assert_eq!(
            serde_json::to_value(&shares).unwrap(),
            serde_json::json!({"name": "G", "accounts": [{"name": "U1", "amount": 1.5}], "default_method": "S"})
        );
        let equal =
            AllocationGroup::new("G", AllocationMethod::Equal).member(GroupMember::new("U1"));
        validate_group(&equal, op).unwrap();
        for bad in [
            AllocationGroup::new("G", AllocationMethod::Shares).member(GroupMember::new("U1")),
            AllocationGroup::new("G", AllocationMethod::Equal)
                .member(GroupMember::with_amount("U1", 1.into())),
            AllocationGroup::new("G", AllocationMethod::Shares)
                .member(GroupMember::with_amount("U1", 0.into())),
            AllocationGroup::new(" ", AllocationMethod::Equal).member(GroupMember::new("U1")),
            AllocationGroup::new("G", AllocationMethod::Equal),
        ] {
            assert!(validate_group(&bad, op).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn answers_round_trip() {
        let account: AllocatableAccount = serde_json::from_str(
            r#"{"name": "U1", "data": [{"key": "NetLiquidation", "value": "230013224.04"}, {"key": "X", "value": "n/a"}]}"#,
        )
        .unwrap();
        assert_eq!(
            account.net_liquidation,
            Some("230013224.04".parse().unwrap())
        );
        assert_eq!(account.values.len(), 1);
        let back: AllocatableAccount =
            serde_json::from_str(&serde_json::to_string(&account).unwrap()).unwrap();
        assert_eq!(back, account);
        let page: SubaccountsPage =
            serde_json::from_str(r#"{"metadata": {"total": "41", "pageSize": 20, "pageNume": 2}, "subaccounts": {"id": "U1"}}"#)
                .unwrap();
        assert_eq!(
            (page.total, page.page_size, page.page),
            (Some(41), Some(20), Some(2))
        );
        assert_eq!(page.subaccounts.len(), 1);
        let back: SubaccountsPage =
            serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
        assert_eq!(back, page);
        let owners: SignaturesAndOwners = serde_json::from_str(
            r#"{"accountId": "U1", "applicant": {"signatures": ["A B"]}, "users": []}"#,
        )
        .unwrap();
        assert_eq!(owners.signatures, ["A B"]);
        let back: SignaturesAndOwners =
            serde_json::from_str(&serde_json::to_string(&owners).unwrap()).unwrap();
        assert_eq!(back, owners);
    }
}
