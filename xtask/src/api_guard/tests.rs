//! Unit tests of the snapshot's rendering rules.

use super::*;

fn api_of(src: &str) -> String {
    api_of_crates(&[&[("lib.rs", src)]])
}

/// Renders crates given as (file under `src`, text) lists, in one tree each.
fn api_of_crates(crates: &[&[(&str, &str)]]) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "api-guard-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&root);
    let mut srcs = Vec::new();
    for (n, files) in crates.iter().enumerate() {
        let src = root.join(n.to_string());
        for (file, text) in *files {
            let path = src.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        srcs.push(src);
    }
    let api = render(&srcs).unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    api
}

#[test]
fn renders_public_items_without_bodies_or_private_parts() {
    let api = api_of(
        r#"
        /// Docs are not part of the API.
        pub struct Client { inner: u8, pub name: String }
        impl Client {
            pub fn tickle(&self, n: u32) -> Result<(), Error> { todo!() }
            fn private(&self) {}
        }
        #[non_exhaustive]
        pub enum Error { Http { status: u16 }, Other }
        pub trait Auth { fn sign(&self, r: &mut Vec<u8>); }
        fn hidden() {}
        #[cfg(test)] mod tests { pub fn t() {} }
        "#,
    );
    assert!(
        api.contains("crate: impl Client :: fn tickle (& self , n : u32) -> Result < () , Error >"),
        "{api}"
    );
    assert!(api.contains("pub name : String"), "{api}");
    assert!(!api.contains("inner"), "{api}");
    assert!(
        !api.contains("private") && !api.contains("hidden") && !api.contains("fn t ("),
        "{api}"
    );
    assert!(api.contains("# [non_exhaustive] pub enum Error"), "{api}");
    assert!(api.contains("trait Auth :: fn sign"), "{api}");
}

#[test]
fn a_changed_signature_changes_the_snapshot() {
    let before = api_of("pub struct C; impl C { pub fn place(&self, account: &str) -> u8 { 0 } }");
    let after = api_of("pub struct C; impl C { pub fn place(&self, account: String) -> u8 { 0 } }");
    assert_ne!(before, after);
    let body_only =
        api_of("pub struct C; impl C { pub fn place(&self, account: &str) -> u8 { 1 + 1 - 2 } }");
    assert_eq!(before, body_only);
}

#[test]
fn the_lenient_derive_is_recorded_as_the_trait_it_implements() {
    let serde = api_of("#[derive(Debug, Deserialize)] pub struct P { pub a: u8 }");
    let lenient = api_of("#[derive(Debug, LenientDeserialize)] pub struct P { pub a: u8 }");
    assert_eq!(serde, lenient);
    assert!(
        lenient.contains("derive (Debug , Deserialize)"),
        "{lenient}"
    );
    let without = api_of("#[derive(Debug)] pub struct P { pub a: u8 }");
    assert_ne!(serde, without);
}

#[test]
fn generated_types_in_signatures_are_leaks_except_the_escape_hatch() {
    let api = api_of(
        "pub struct C; impl C { pub fn gateway_api(&self) -> Option<&ibkr_api::gateway::Client> { None } \
         pub fn status(&self) -> ibkr_api::gateway::types::AuthStatus { todo!() } }",
    );
    let leaked = leaks(&api);
    assert_eq!(leaked.len(), 1, "{leaked:?}");
    let plumbing = api_of(
        "pub struct A; impl From<ibkr_api::web::types::X> for A { fn from(_: ibkr_api::web::types::X) -> Self { A } }",
    );
    assert!(
        leaks(&plumbing).is_empty() && !plumbing.contains("From"),
        "{plumbing}"
    );
    assert!(leaked[0].contains("fn status"));
}

/// The escape hatch is behind the facade's feature `low-level`: its
/// accessors stay in the snapshot (attributes of functions are not
/// rendered, so a `cfg` changes no line), and they are no leak.
#[test]
fn feature_gated_accessors_stay_in_the_snapshot() {
    let gated = api_of(
        r#"
        pub struct Client;
        impl Client {
            #[cfg(all(feature = "low-level", feature = "web"))]
            pub fn web_api(&self) -> Option<&ibkr_api::web::Client> { None }
            #[cfg(all(feature = "low-level", feature = "gateway"))]
            pub fn gateway_api(&self) -> Option<&ibkr_api::gateway::Client> { None }
        }
        #[cfg(feature = "low-level")]
        pub fn low_level_only() {}
        "#,
    );
    let plain = api_of(
        "pub struct Client; impl Client { \
         pub fn web_api(&self) -> Option<&ibkr_api::web::Client> { None } \
         pub fn gateway_api(&self) -> Option<&ibkr_api::gateway::Client> { None } } \
         pub fn low_level_only() {}",
    );
    assert_eq!(gated, plain);
    assert!(
        gated.contains(
            "crate: impl Client :: fn web_api (& self) -> Option < & ibkr_api :: web :: Client >"
        ),
        "{gated}"
    );
    assert!(gated.contains("crate: fn low_level_only ()"), "{gated}");
    assert!(leaks(&gated).is_empty(), "{gated}");
}

/// A crate split in two (types in `ibkr-model`, re-exported whole by the
/// facade's module of the same path) renders as the one crate it was:
/// the glob re-export, `#[doc(hidden)]` items and fields, and what hidden
/// modules hold without re-exporting add no line.
#[test]
fn a_mirrored_model_crate_renders_as_the_one_crate_it_was_split_from() {
    let facade: &[(&str, &str)] = &[
        ("lib.rs", "pub mod fx; pub mod orders;"),
        (
            "fx.rs",
            "pub use ibkr_model::fx::*; pub struct Fx; impl Fx { pub fn rate(&self) -> Rate { todo!() } }",
        ),
        (
            "orders.rs",
            "pub use ibkr_model::orders::*; pub struct Orders;",
        ),
    ];
    let model: &[(&str, &str)] = &[
        (
            "lib.rs",
            "pub mod fx; #[doc(hidden)] pub mod wire; pub mod orders;",
        ),
        (
            "fx.rs",
            "pub struct Rate { pub value: u8, #[doc(hidden)] pub raw: String } \
             #[doc(hidden)] pub fn helper() {} \
             pub struct Pair(#[doc(hidden)] pub u8, pub u8);",
        ),
        (
            "wire.rs",
            "pub struct Text(pub u8); impl Text { pub fn into_inner(self) -> u8 { 0 } } \
             impl Default for Text { fn default() -> Self { Text(0) } }",
        ),
        (
            "orders.rs",
            "#[doc(hidden)] pub mod amounts; pub use amounts::Trail;",
        ),
        (
            "orders/amounts.rs",
            "pub struct Trail; pub struct Helper; \
             impl Trail { pub fn new() -> Trail { Trail } } impl Helper { pub fn x() {} }",
        ),
    ];
    let split = api_of_crates(&[facade, model]);
    let whole = api_of_crates(&[&[
        ("lib.rs", "pub mod fx; mod wire; pub mod orders;"),
        (
            "fx.rs",
            "pub struct Fx; impl Fx { pub fn rate(&self) -> Rate { todo!() } } \
             pub struct Rate { pub value: u8, raw: String } fn helper() {} \
             pub struct Pair(u8, pub u8);",
        ),
        (
            "wire.rs",
            "pub(crate) struct Text(pub u8); impl Text { pub(crate) fn into_inner(self) -> u8 { 0 } } \
             impl Default for Text { fn default() -> Self { Text(0) } }",
        ),
        (
            "orders.rs",
            "mod amounts; pub use amounts::Trail; pub struct Orders;",
        ),
        (
            "orders/amounts.rs",
            "pub struct Trail; pub(crate) struct Helper; \
             impl Trail { pub fn new() -> Trail { Trail } } impl Helper { pub(crate) fn x() {} }",
        ),
    ]]);
    assert_eq!(split, whole);
    assert!(
        split.contains("crate::orders::amounts: impl Trail :: fn new () -> Trail"),
        "{split}"
    );
    assert!(
        split.contains("crate::wire: impl Default for Text"),
        "{split}"
    );
    assert!(
        !split.contains("ibkr_model") && !split.contains("Helper"),
        "{split}"
    );
    // A module hidden in one crate is not hidden in the other.
    let facade_amounts: &[(&str, &str)] = &[
        ("lib.rs", "pub mod orders;"),
        (
            "orders.rs",
            "mod amounts; pub use amounts::{StopLimit, Trail};",
        ),
        (
            "orders/amounts.rs",
            "pub use ibkr_model::orders::amounts::*; pub struct StopLimit;",
        ),
    ];
    let both = api_of_crates(&[facade_amounts, model]);
    assert!(
        both.contains("crate::orders::amounts: pub struct StopLimit ;"),
        "{both}"
    );
    assert!(!both.contains("Helper"), "{both}");
    // A re-export of a mirrored crate's module at another path is API.
    let elsewhere = api_of("pub mod fx { pub use ibkr_model::orders::*; }");
    assert!(
        elsewhere.contains("pub use ibkr_model :: orders :: *"),
        "{elsewhere}"
    );
}
