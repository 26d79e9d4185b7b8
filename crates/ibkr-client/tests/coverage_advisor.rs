//! `client.advisor()`: allocation groups and presets, dynamic accounts and
//! signatures on the Web API; subaccounts2 and the consolidated allocation
//! on the Gateway (group orders: `coverage_orders.rs`); IBKR's errors;
//! `Unsupported` on the other variant.

mod common;
mod coverage_support;

use common::path;
use coverage_support::{answered, client, ibkr_errors, unsupported};
use httpmock::MockServer;
use ibkr_client::areas::advisor::{
    AllocationGroup, AllocationMethod, AllocationPresets, GroupMember,
};
use ibkr_client::{Error, Variant};
use rust_decimal::Decimal;
use serde_json::json;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn shares_group() -> AllocationGroup {
    AllocationGroup::new("Group_1_Shares", AllocationMethod::Shares)
        .member(GroupMember::with_amount("U456789", 4.into()))
        .member(GroupMember::with_amount("U123456", dec("1.5")))
}

#[tokio::test]
async fn allocation_groups_and_presets() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let accounts = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/allocation/accounts"));
            then.status(200).json_body(json!({"accounts": [
                {"data": [{"value": "230013224.04", "key": "NetLiquidation"}, {"value": 229617260.41, "key": "AvailableEquity"}], "name": "U1"},
                {"data": [{"value": "n/a", "key": "NetLiquidation"}], "name": "U2"}
            ]}));
        })
        .await;
    let groups = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(path(web, "/iserver/account/allocation/group"));
            then.status(200).json_body(json!({"data": [
                {"allocation_method": "E", "size": 16, "name": "group_1"},
                {"allocation_method": "N", "size": "3", "name": "group_2"}
            ]}));
        })
        .await;
    let single = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/account/allocation/group/single"))
                .json_body(json!({"name": "group1"}));
            then.status(200).json_body(json!({
                "name": "group1", "accounts": [{"name": "U1", "amount": 3}, {"name": "U2"}], "default_method": "S"
            }));
        })
        .await;
    let add = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/account/allocation/group"))
                .json_body(json!({"name": "Group_1_Shares", "default_method": "S",
                                  "accounts": [{"name": "U456789", "amount": 4}, {"name": "U123456", "amount": 1.5}]}));
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let modify = server
        .mock_async(|when, then| {
            when.method("PUT")
                .path(path(web, "/iserver/account/allocation/group"))
                .json_body(
                    json!({"name": "Group_1_Equal", "prev_name": "Group_0", "default_method": "E",
                                  "accounts": [{"name": "U456789"}]}),
                );
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/account/allocation/group/delete"))
                .json_body(json!({"name": "Group_1_Equal"}));
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let presets = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/allocation/presets"));
            then.status(200).json_body(json!({"group_auto_close_positions": false, "default_method_for_all": "AvailableEquity",
                "profiles_auto_close_positions": "false", "strict_credit_check": 1, "group_proportional_allocation": false}));
        })
        .await;
    let set_presets = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/account/allocation/presets"))
                .json_body(json!({"default_method_for_all": "AvailableEquity", "strict_credit_check": true}));
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let c = client(&server, web);
    let a = c.advisor();

    let allocatable = a.allocation_accounts().await.unwrap();
    accounts.assert_async().await;
    assert_eq!(allocatable.len(), 2);
    assert_eq!(allocatable[0].name.as_deref(), Some("U1"));
    assert_eq!(allocatable[0].net_liquidation, Some(dec("230013224.04")));
    assert_eq!(allocatable[0].available_equity, Some(dec("229617260.41")));
    assert_eq!(allocatable[1].net_liquidation, None);

    let g = a.groups().await.unwrap();
    groups.assert_async().await;
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].method, Some(AllocationMethod::Equal));
    assert_eq!(g[1].size, Some(3));

    let one = a.group("group1").await.unwrap();
    single.assert_async().await;
    assert_eq!(one.default_method, Some(AllocationMethod::Shares));
    assert_eq!(one.accounts.len(), 2);
    assert_eq!(one.accounts[0].amount, Some(dec("3")));
    assert_eq!(one.accounts[1].amount, None);

    a.add_group(&shares_group()).await.unwrap();
    add.assert_async().await;
    let equal = AllocationGroup::new("Group_1_Equal", AllocationMethod::Equal)
        .member(GroupMember::new("U456789"));
    a.modify_group(&equal, Some("Group_0")).await.unwrap();
    modify.assert_async().await;
    a.delete_group("Group_1_Equal").await.unwrap();
    delete.assert_async().await;

    let p = a.presets().await.unwrap();
    presets.assert_async().await;
    assert_eq!(
        p.default_method_for_all,
        Some(AllocationMethod::AvailableEquity)
    );
    assert_eq!(p.strict_credit_check, Some(true));
    assert_eq!(p.profiles_auto_close_positions, Some(false));
    let update = AllocationPresets {
        default_method_for_all: Some(AllocationMethod::AvailableEquity),
        strict_credit_check: Some(true),
        ..AllocationPresets::default()
    };
    a.set_presets(&update).await.unwrap();
    set_presets.assert_async().await;
}

#[tokio::test]
async fn invalid_groups_are_not_sent_and_refusals_are_errors() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).json_body(json!({"success": true}));
        })
        .await;
    let c = client(&server, web);
    let no_amount =
        AllocationGroup::new("G", AllocationMethod::Shares).member(GroupMember::new("U1"));
    let stray_amount = AllocationGroup::new("G", AllocationMethod::NetLiquidation)
        .member(GroupMember::with_amount("U1", 1.into()));
    let empty = AllocationGroup::new("G", AllocationMethod::Equal);
    for bad in [&no_amount, &stray_amount, &empty] {
        assert!(
            matches!(
                c.advisor().add_group(bad).await,
                Err(Error::InvalidArgument(_))
            ),
            "{bad:?}"
        );
        assert!(
            matches!(
                c.advisor().modify_group(bad, None).await,
                Err(Error::InvalidArgument(_))
            ),
            "{bad:?}"
        );
    }
    for bad in ["", " ", "a\nb"] {
        assert!(
            matches!(
                c.advisor().delete_group(bad).await,
                Err(Error::InvalidArgument(_))
            ),
            "{bad:?}"
        );
        assert!(
            matches!(c.advisor().group(bad).await, Err(Error::InvalidArgument(_))),
            "{bad:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
    // `{"success": false}` is not a success.
    let refused = answered(web, 200, r#"{"success": false}"#, |c| async move {
        c.advisor().delete_group("G").await
    })
    .await;
    assert!(
        matches!(
            refused,
            Err(Error::Api {
                operation: "Advisor::delete_group",
                ..
            })
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn advisor_errors() {
    let web = Variant::Web;
    ibkr_errors("Advisor::allocation_accounts", web, |c| async move {
        c.advisor().allocation_accounts().await
    })
    .await;
    ibkr_errors("Advisor::groups", web, |c| async move {
        c.advisor().groups().await
    })
    .await;
    ibkr_errors("Advisor::group", web, |c| async move {
        c.advisor().group("g").await
    })
    .await;
    ibkr_errors("Advisor::add_group", web, |c| async move {
        c.advisor().add_group(&shares_group()).await
    })
    .await;
    ibkr_errors("Advisor::modify_group", web, |c| async move {
        c.advisor().modify_group(&shares_group(), None).await
    })
    .await;
    ibkr_errors("Advisor::delete_group", web, |c| async move {
        c.advisor().delete_group("g").await
    })
    .await;
    ibkr_errors("Advisor::presets", web, |c| async move {
        c.advisor().presets().await
    })
    .await;
    ibkr_errors("Advisor::set_presets", web, |c| async move {
        c.advisor().set_presets(&AllocationPresets::default()).await
    })
    .await;
    ibkr_errors("Advisor::search_accounts", web, |c| async move {
        c.advisor().search_accounts("U1").await
    })
    .await;
    ibkr_errors("Advisor::set_dynamic_account", web, |c| async move {
        c.advisor().set_dynamic_account("U1").await
    })
    .await;
    ibkr_errors("Advisor::signatures_and_owners", web, |c| async move {
        c.advisor().signatures_and_owners("U1").await
    })
    .await;
    let gw = Variant::Gateway;
    ibkr_errors("Advisor::subaccounts_page", gw, |c| async move {
        c.advisor().subaccounts_page(0).await
    })
    .await;
    ibkr_errors("Advisor::combined_allocation", gw, |c| async move {
        c.advisor().combined_allocation(&["U1"]).await
    })
    .await;
}

#[tokio::test]
async fn dynamic_accounts_and_signatures() {
    let web = Variant::Web;
    let server = MockServer::start_async().await;
    let search = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/iserver/account/search/U1"));
            then.status(200).json_body(json!({"matchedAccounts": [
                {"accountId": "U1234567", "alias": "U1234567", "allocationId": "U1234567"}], "pattern": "U1"}));
        })
        .await;
    let set = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(web, "/iserver/dynaccount"))
                .json_body(json!({"acctId": "U2234567"}));
            then.status(200)
                .json_body(json!({"set": true, "acctId": "U2234567"}));
        })
        .await;
    let owners = server
        .mock_async(|when, then| {
            when.method("GET").path(path(web, "/acesws/U1234567/signatures-and-owners"));
            then.status(200).json_body(json!({"accountId": "U1234567",
                "users": [{"roleId": "OWNER", "hasRightCodeInd": true,
                           "entity": {"entityType": "INDIVIDUAL", "entityName": "John Smith", "firstName": "John", "lastName": "Smith"}}],
                "applicant": {"signatures": ["John Smith"]}}));
        })
        .await;
    let c = client(&server, web);
    let found = c.advisor().search_accounts("U1").await.unwrap();
    search.assert_async().await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].account_id.as_deref(), Some("U1234567"));
    assert_eq!(found[0].allocation_id.as_deref(), Some("U1234567"));
    let switched = c.advisor().set_dynamic_account("U2234567").await.unwrap();
    set.assert_async().await;
    assert_eq!(switched.set, Some(true));
    let o = c.advisor().signatures_and_owners("U1234567").await.unwrap();
    owners.assert_async().await;
    assert_eq!(o.account_id.as_deref(), Some("U1234567"));
    assert_eq!(o.signatures, ["John Smith"]);
    assert_eq!(o.users[0].role_id.as_deref(), Some("OWNER"));
    assert_eq!(o.users[0].entity.last_name.as_deref(), Some("Smith"));
    // No match is an empty list.
    let none = answered(
        web,
        200,
        r#"{"matchedAccounts": [], "pattern": "123"}"#,
        |c| async move { c.advisor().search_accounts("123").await },
    )
    .await;
    assert!(none.unwrap().is_empty());
}

#[tokio::test]
async fn gateway_subaccount_pages_and_combined_allocation() {
    let gw = Variant::Gateway;
    let server = MockServer::start_async().await;
    let page = server
        .mock_async(|when, then| {
            when.method("GET").path(path(gw, "/portfolio/subaccounts2/2"));
            then.status(200).json_body(json!({
                "metadata": {"total": 41, "pageSize": 20, "pageNume": 2},
                "subaccounts": [{"id": "U41", "accountId": "U41", "accountTitle": "Client 41", "currency": "USD",
                                 "type": "INDIVIDUAL", "faclient": true, "clearingStatus": "O"}]
            }));
        })
        .await;
    let allocation = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(path(gw, "/portfolio/allocation"))
                .json_body(json!({"acctIds": ["U1", "U2"]}));
            then.status(200).json_body(json!([{
                "assetClass": {"long": {"STK": 1000.5, "CASH": "250"}, "short": {"OPT": -10}},
                "sector": {"long": {"Technology": 700}, "short": {}},
                "group": {"long": {"Computers": 700}, "short": {}}
            }]));
        })
        .await;
    let c = client(&server, gw);
    let p = c.advisor().subaccounts_page(2).await.unwrap();
    page.assert_async().await;
    assert_eq!(
        (p.total, p.page_size, p.page),
        (Some(41), Some(20), Some(2))
    );
    assert_eq!(p.subaccounts.len(), 1);
    assert_eq!(p.subaccounts[0].title.as_deref(), Some("Client 41"));
    let a = c
        .advisor()
        .combined_allocation(&["U1", "U2"])
        .await
        .unwrap();
    allocation.assert_async().await;
    assert_eq!(a.asset_class.long.len(), 2);
    assert_eq!(a.sector.long.len(), 1);
    assert!(matches!(
        c.advisor().combined_allocation(&[]).await,
        Err(Error::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn each_is_unsupported_where_ibkr_does_not_serve_it() {
    let gw = Variant::Gateway;
    unsupported("Advisor::allocation_accounts", gw, |c| async move {
        c.advisor().allocation_accounts().await
    })
    .await;
    unsupported("Advisor::groups", gw, |c| async move {
        c.advisor().groups().await
    })
    .await;
    unsupported("Advisor::group", gw, |c| async move {
        c.advisor().group("g").await
    })
    .await;
    unsupported("Advisor::add_group", gw, |c| async move {
        c.advisor().add_group(&shares_group()).await
    })
    .await;
    unsupported("Advisor::modify_group", gw, |c| async move {
        c.advisor().modify_group(&shares_group(), None).await
    })
    .await;
    unsupported("Advisor::delete_group", gw, |c| async move {
        c.advisor().delete_group("g").await
    })
    .await;
    unsupported("Advisor::presets", gw, |c| async move {
        c.advisor().presets().await
    })
    .await;
    unsupported("Advisor::set_presets", gw, |c| async move {
        c.advisor().set_presets(&AllocationPresets::default()).await
    })
    .await;
    unsupported("Advisor::search_accounts", gw, |c| async move {
        c.advisor().search_accounts("U1").await
    })
    .await;
    unsupported("Advisor::set_dynamic_account", gw, |c| async move {
        c.advisor().set_dynamic_account("U1").await
    })
    .await;
    unsupported("Advisor::signatures_and_owners", gw, |c| async move {
        c.advisor().signatures_and_owners("U1").await
    })
    .await;
    let web = Variant::Web;
    unsupported("Advisor::subaccounts_page", web, |c| async move {
        c.advisor().subaccounts_page(0).await
    })
    .await;
    unsupported("Advisor::combined_allocation", web, |c| async move {
        c.advisor().combined_allocation(&["U1"]).await
    })
    .await;
}
