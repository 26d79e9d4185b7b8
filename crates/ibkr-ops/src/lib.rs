//! The facade's operation table.
//!
//! Every method of `ibkr-client` that talks to IBKR is declared here once, as
//! an [`Operation`]: its name (`Accounts::summary`), its [`Class`] (a read
//! that may be retried, a write, or an order write that is sent exactly
//! once), and the endpoint it sends on each variant ([`Route`]: method and
//! the spec's path template). The facade builds its requests from this
//! table and its own types only, never from generated signatures, so a
//! regeneration from a new IBKR spec cannot break its build.
//!
//! `cargo xtask` reads the same table: `import` and `generate` warn about
//! each operation the new spec lacks, `drift` reports what a spec change
//! does to the facade, `coverage` builds the README's table from it, and
//! `cargo xtask ops --check` (run in CI) fails when an operation is missing
//! from the vendored specs.
//!
//! Adding an endpoint both variants serve is one entry in the area's file
//! under `areas/` plus the facade's type and method. An operation only some
//! customers can use says so with [`Operation::audience`] (advisors,
//! brokers).
//!
//! The spec operations the facade deliberately leaves to the generated
//! clients (the escape hatch) are declared in [`escape::ESCAPE_HATCH`],
//! each with its reason; `cargo xtask coverage --check` fails on a spec
//! operation that is neither sent by an operation here nor declared there.

pub mod areas;
pub mod escape;
mod model;

/// `(METHOD, path template)` of every operation of each vendored spec
/// (`WEB`, `GATEWAY`), written by `cargo xtask generate`. The facade uses it
/// to know whether an endpoint is still in the spec
/// ([`IfMissing`]) without compiling the generated clients.
#[rustfmt::skip]
#[path = "generated/routes.rs"]
pub mod routes;

pub use escape::{ESCAPE_HATCH, Escape};
pub use model::{Audience, Class, IfMissing, Method, Operation, Route};

/// Every operation of the facade, area by area.
pub fn all() -> impl Iterator<Item = &'static Operation> {
    areas::ALL.iter().flat_map(|area| area.iter())
}

/// The operation with this name (`Accounts::summary`).
pub fn find(name: &str) -> Option<&'static Operation> {
    all().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_qualified() {
        let mut seen = std::collections::BTreeSet::new();
        for op in all() {
            assert!(seen.insert(op.name), "duplicate operation {}", op.name);
            let (area, method) = op.name.split_once("::").expect("Area::method");
            assert!(!area.is_empty() && !method.is_empty(), "{}", op.name);
        }
        assert!(seen.len() > 70, "{} operations", seen.len());
    }

    #[test]
    fn every_operation_has_a_route_and_well_formed_templates() {
        for op in all() {
            assert!(
                op.web.is_some() || op.gateway.is_some(),
                "{} has no route",
                op.name
            );
            for route in op.web.iter().chain(op.gateway.iter()) {
                assert!(route.path.starts_with('/'), "{}: {}", op.name, route.path);
                let opens = route.path.matches('{').count();
                assert_eq!(opens, route.path.matches('}').count(), "{}", route.path);
                assert_eq!(opens, route.params().count(), "{}", route.path);
                assert!(!route.path.contains('?'), "{}: query in path", op.name);
            }
        }
    }

    #[test]
    fn order_writes_are_declared_as_such() {
        for name in [
            "Orders::place",
            "Orders::modify",
            "Orders::cancel",
            "Orders::reply",
        ] {
            assert_eq!(find(name).unwrap().class, Class::Order, "{name}");
        }
        assert_eq!(find("Orders::what_if").unwrap().class, Class::Write);
        assert_eq!(find("Orders::live_orders").unwrap().class, Class::Read);
    }

    #[test]
    fn route_parameters_in_template_order() {
        let op = find("Portfolio::position").unwrap();
        let names: Vec<_> = op.gateway.unwrap().params().collect();
        assert_eq!(names, ["accountid", "conid"]);
    }
}
