//! The data types of `ibkr_client::areas::advisor`, with their lenient decoders
//! (re-exported there).

use super::accounts::Account;
use super::ids::{self, AccountId};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

use crate::decode::LenientDeserialize;
use crate::lenient;

/// How an allocation group splits an order among its accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AllocationMethod {
    /// By available equity (`A`), computed by IBKR.
    AvailableEquity,
    /// Equal quantities (`E`), computed by IBKR.
    Equal,
    /// By net liquidation value (`N`, IBKR's default), computed by IBKR.
    NetLiquidation,
    /// A cash quantity per account (`C`), given by you.
    CashQuantity,
    /// A percentage per account (`P`), given by you.
    Percentage,
    /// A ratio per account (`R`), given by you.
    Ratios,
    /// A number of shares per account (`S`), given by you.
    Shares,
    /// A code this version does not know, as IBKR sent it.
    Other(String),
}

impl AllocationMethod {
    /// IBKR's one-letter code (`A`, `E`, `N`, `C`, `P`, `R`, `S`).
    pub fn code(&self) -> &str {
        match self {
            AllocationMethod::AvailableEquity => "A",
            AllocationMethod::Equal => "E",
            AllocationMethod::NetLiquidation => "N",
            AllocationMethod::CashQuantity => "C",
            AllocationMethod::Percentage => "P",
            AllocationMethod::Ratios => "R",
            AllocationMethod::Shares => "S",
            AllocationMethod::Other(code) => code,
        }
    }

    /// Whether you give each account's amount (cash, percentage, ratio,
    /// shares) rather than IBKR computing it.
    pub fn needs_amounts(&self) -> bool {
        matches!(
            self,
            AllocationMethod::CashQuantity
                | AllocationMethod::Percentage
                | AllocationMethod::Ratios
                | AllocationMethod::Shares
        )
    }

    /// The code the presets take: the same, except `AvailableEquity` for
    /// available equity.
    fn preset_code(&self) -> &str {
        match self {
            AllocationMethod::AvailableEquity => "AvailableEquity",
            other => other.code(),
        }
    }
}

impl From<&str> for AllocationMethod {
    /// Reads a code or a name (`A`, `AvailableEquity`, `Equal`, `NetLiq`, …).
    fn from(s: &str) -> Self {
        let s = s.trim();
        match s.to_ascii_lowercase().as_str() {
            "a" | "availableequity" | "available_equity" => AllocationMethod::AvailableEquity,
            "e" | "equal" | "equalqty" => AllocationMethod::Equal,
            "n" | "netliq" | "netliquidation" | "net_liquidation" => {
                AllocationMethod::NetLiquidation
            }
            "c" | "cash" | "cashquantity" => AllocationMethod::CashQuantity,
            "p" | "percent" | "percentage" => AllocationMethod::Percentage,
            "r" | "ratio" | "ratios" => AllocationMethod::Ratios,
            "s" | "shares" => AllocationMethod::Shares,
            _ => AllocationMethod::Other(s.to_string()),
        }
    }
}

impl Serialize for AllocationMethod {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for AllocationMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = lenient::opt_string(d)?.unwrap_or_default();
        Ok(AllocationMethod::from(text.as_str()))
    }
}

/// An [`AllocationMethod`] is IBKR's code, a string.
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for AllocationMethod {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AllocationMethod".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// An optional [`AllocationMethod`]: `null`, `""` and `"N/A"` are `None`.
fn opt_method<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<AllocationMethod>, D::Error> {
    Ok(lenient::opt_string(d)?.map(|s| AllocationMethod::from(s.as_str())))
}

/// An amount as a JSON number carrying the decimal's digits.
fn write_amount<S: Serializer>(
    amount: &Option<Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let Some(d) = amount else {
        return s.serialize_none();
    };
    if d.is_integer()
        && let Some(i) = d.to_i64()
    {
        return s.serialize_i64(i);
    }
    match d.to_f64() {
        Some(f) => s.serialize_f64(f),
        None => Err(serde::ser::Error::custom(format!(
            "{d} is not a JSON number"
        ))),
    }
}

/// A sub-account an advisor can allocate to ([`Advisor::allocation_accounts`](struct.Advisor.html#method.allocation_accounts)).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllocatableAccount {
    /// The account id.
    pub name: Option<AccountId>,
    /// Its net liquidation value.
    pub net_liquidation: Option<Decimal>,
    /// Its available equity.
    pub available_equity: Option<Decimal>,
    /// Every value IBKR sent, by its key (`NetLiquidation`,
    /// `AvailableEquity`, ...).
    pub values: BTreeMap<String, Decimal>,
}

/// One `{"key": …, "value": …}` of an [`AllocatableAccount`].
#[derive(LenientDeserialize)]
struct KeyValue {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    key: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    value: Option<Decimal>,
}

/// IBKR's `{"name": …, "data": [{"key": …, "value": …}]}`, or what an
/// [`AllocatableAccount`] serializes to.
#[derive(LenientDeserialize)]
struct AllocatableWire {
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    name: Option<AccountId>,
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    data: Vec<KeyValue>,
    #[serde(default, deserialize_with = "lenient::decimal_map")]
    values: BTreeMap<String, Decimal>,
}

impl<'de> Deserialize<'de> for AllocatableAccount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let wire = AllocatableWire::deserialize(d)?;
        let mut values = wire.values;
        for kv in wire.data {
            if let (Some(k), Some(v)) = (kv.key, kv.value) {
                values.insert(k, v);
            }
        }
        Ok(AllocatableAccount {
            name: wire.name,
            net_liquidation: values.get("NetLiquidation").copied(),
            available_equity: values.get("AvailableEquity").copied(),
            values,
        })
    }
}

/// One allocation group of [`Advisor::groups`](struct.Advisor.html#method.groups).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct GroupSummary {
    /// The group's name (what orders take as the account).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// How many accounts it holds.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub size: Option<i64>,
    /// Its allocation method.
    #[serde(
        default,
        rename = "allocation_method",
        alias = "default_method",
        deserialize_with = "opt_method"
    )]
    pub method: Option<AllocationMethod>,
}

/// An account of an [`AllocationGroup`], with its amount for the methods
/// that take one ([`AllocationMethod::needs_amounts`]).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct GroupMember {
    /// The account id.
    #[serde(default, deserialize_with = "ids::opt_account_id")]
    pub name: Option<AccountId>,
    /// Its amount: cash, percentage, ratio or shares, as the method says.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "write_amount",
        deserialize_with = "lenient::opt_decimal"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<f64>"))]
    pub amount: Option<Decimal>,
}

impl GroupMember {
    /// An account of a group whose method IBKR computes.
    pub fn new(account_id: impl Into<String>) -> Self {
        GroupMember {
            name: Some(AccountId::new(account_id)),
            amount: None,
        }
    }

    /// An account with its amount, for the methods that take one.
    pub fn with_amount(account_id: impl Into<String>, amount: Decimal) -> Self {
        GroupMember {
            amount: Some(amount),
            ..GroupMember::new(account_id)
        }
    }
}

/// An allocation group: its name, accounts and method. What
/// [`Advisor::group`](struct.Advisor.html#method.group) answers and [`Advisor::add_group`](struct.Advisor.html#method.add_group) and
/// [`Advisor::modify_group`](struct.Advisor.html#method.modify_group) send.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllocationGroup {
    /// The name (what orders take as the account).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The accounts.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub accounts: Vec<GroupMember>,
    /// The allocation method.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_method"
    )]
    pub default_method: Option<AllocationMethod>,
}

/// How new allocation groups behave ([`Advisor::presets`](struct.Advisor.html#method.presets),
/// [`Advisor::set_presets`](struct.Advisor.html#method.set_presets)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AllocationPresets {
    /// Whether groups close positions first rather than distribute equally.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub group_auto_close_positions: Option<bool>,
    /// The default method of every group.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "write_preset_method",
        deserialize_with = "opt_method"
    )]
    pub default_method_for_all: Option<AllocationMethod>,
    /// Whether profiles close positions first.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub profiles_auto_close_positions: Option<bool>,
    /// Whether IBKR checks credit before every order rather than at
    /// placement and execution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub strict_credit_check: Option<bool>,
    /// Whether groups stay proportional when scaling.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub group_proportional_allocation: Option<bool>,
}

fn write_preset_method<S: Serializer>(
    method: &Option<AllocationMethod>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match method {
        Some(m) => s.serialize_str(m.preset_code()),
        None => s.serialize_none(),
    }
}

/// A dynamic account matching a search ([`Advisor::search_accounts`](struct.Advisor.html#method.search_accounts)).
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DynamicAccount {
    /// The account id.
    #[serde(
        default,
        rename = "accountId",
        deserialize_with = "ids::opt_account_id"
    )]
    pub account_id: Option<AccountId>,
    /// Its alias (often the id again).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub alias: Option<String>,
    /// IBKR's allocation id of the account.
    #[serde(
        default,
        rename = "allocationId",
        deserialize_with = "lenient::opt_string"
    )]
    pub allocation_id: Option<String>,
}

/// One page of [`Advisor::subaccounts_page`](struct.Advisor.html#method.subaccounts_page).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SubaccountsPage {
    /// How many sub-accounts there are in all.
    pub total: Option<i64>,
    /// How many this page holds (at most 20).
    pub page_size: Option<i64>,
    /// The page number.
    pub page: Option<i64>,
    /// The sub-accounts.
    pub subaccounts: Vec<Account>,
}

/// IBKR's `{"metadata": {…}, "subaccounts": […]}`.
#[derive(LenientDeserialize)]
struct SubaccountsWire {
    #[serde(default)]
    metadata: PageMetadata,
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    subaccounts: Vec<Account>,
    // What a SubaccountsPage serializes to.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    total: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    page_size: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    page: Option<i64>,
}

#[derive(LenientDeserialize, Default)]
struct PageMetadata {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    total: Option<i64>,
    #[serde(default, rename = "pageSize", deserialize_with = "lenient::opt_i64")]
    page_size: Option<i64>,
    /// IBKR's spec spells it `pageNume`.
    #[serde(
        default,
        rename = "pageNume",
        alias = "pageNum",
        alias = "pageNumber",
        deserialize_with = "lenient::opt_i64"
    )]
    page: Option<i64>,
}

impl<'de> Deserialize<'de> for SubaccountsPage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let w = SubaccountsWire::deserialize(d)?;
        Ok(SubaccountsPage {
            total: w.metadata.total.or(w.total),
            page_size: w.metadata.page_size.or(w.page_size),
            page: w.metadata.page.or(w.page),
            subaccounts: w.subaccounts,
        })
    }
}

/// The person or organisation behind a user of an account.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountEntity {
    /// `INDIVIDUAL`, `Joint` or `ORG`.
    #[serde(
        default,
        rename = "entityType",
        deserialize_with = "lenient::opt_string"
    )]
    pub entity_type: Option<String>,
    /// The full name.
    #[serde(
        default,
        rename = "entityName",
        deserialize_with = "lenient::opt_string"
    )]
    pub entity_name: Option<String>,
    /// The first name.
    #[serde(
        default,
        rename = "firstName",
        deserialize_with = "lenient::opt_string"
    )]
    pub first_name: Option<String>,
    /// The last name.
    #[serde(default, rename = "lastName", deserialize_with = "lenient::opt_string")]
    pub last_name: Option<String>,
}

/// A user of an account and its role.
#[derive(Debug, Clone, Default, PartialEq, LenientDeserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountUser {
    /// The role (`OWNER`, ...).
    #[serde(default, rename = "roleId", deserialize_with = "lenient::opt_string")]
    pub role_id: Option<String>,
    /// IBKR's internal right-code flag.
    #[serde(
        default,
        rename = "hasRightCodeInd",
        deserialize_with = "lenient::opt_bool"
    )]
    pub has_right_code: Option<bool>,
    /// Who the user is.
    #[serde(default)]
    pub entity: AccountEntity,
}

/// The answer to [`Advisor::signatures_and_owners`](struct.Advisor.html#method.signatures_and_owners).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SignaturesAndOwners {
    /// The account.
    pub account_id: Option<AccountId>,
    /// Its users and their roles.
    pub users: Vec<AccountUser>,
    /// Every name signing for the account.
    pub signatures: Vec<String>,
}

/// IBKR's `{"accountId", "users", "applicant": {"signatures"}}`, or what a
/// [`SignaturesAndOwners`] serializes to.
#[derive(LenientDeserialize)]
struct SignaturesWire {
    #[serde(
        default,
        rename = "accountId",
        alias = "account_id",
        deserialize_with = "ids::opt_account_id"
    )]
    account_id: Option<AccountId>,
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    users: Vec<AccountUser>,
    #[serde(default)]
    applicant: Applicant,
    #[serde(default, deserialize_with = "lenient::string_list")]
    signatures: Vec<String>,
}

#[derive(LenientDeserialize, Default)]
struct Applicant {
    #[serde(default, deserialize_with = "lenient::string_list")]
    signatures: Vec<String>,
}

impl<'de> Deserialize<'de> for SignaturesAndOwners {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut w = SignaturesWire::deserialize(d)?;
        w.signatures.extend(w.applicant.signatures);
        Ok(SignaturesAndOwners {
            account_id: w.account_id,
            users: w.users,
            signatures: w.signatures,
        })
    }
}

impl AllocationGroup {
    /// A group named `name` allocating by `method`, without accounts yet.
    pub fn new(name: impl Into<String>, method: AllocationMethod) -> Self {
        AllocationGroup {
            name: Some(name.into()),
            accounts: Vec::new(),
            default_method: Some(method),
        }
    }

    /// Adds an account.
    pub fn member(mut self, member: GroupMember) -> Self {
        self.accounts.push(member);
        self
    }
}
