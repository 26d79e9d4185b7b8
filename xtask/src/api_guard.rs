//! `cargo xtask api-guard [--bless]`: a snapshot of the facade's public API.
//!
//! Every `pub` item of `crates/ibkr-client/src` is rendered as one line (its
//! module path and signature, without bodies or docs) and compared with the
//! committed `crates/ibkr-client/public-api.txt`. A change to the public API
//! fails the check until the snapshot is re-blessed in the same commit, so
//! an unintended change (for example one leaking from a regenerated
//! low-level crate) cannot land unnoticed. The check also refuses public
//! signatures that mention the generated `ibkr_api` types outside the
//! documented escape-hatch accessors. Trait impls whose trait names a
//! generated type (`impl From<ibkr_api::…> for Account`) are conversion
//! plumbing, outside the stability promise, and are left out.

use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{ImplItem, Item, TraitItem, Visibility};

use crate::error::{Result, XtaskError};
use crate::write_or_check::write_or_check;

/// Where the facade lives and where its snapshot is kept.
pub const FACADE_SRC: &str = "crates/ibkr-client/src";
/// The committed snapshot.
pub const SNAPSHOT: &str = "crates/ibkr-client/public-api.txt";
/// Public functions allowed to expose the generated clients (the escape hatch).
const ESCAPE_HATCH: &[&str] = &["web_api", "web_account_api", "gateway_api"];

/// The result of comparing the current API with the snapshot.
pub enum Outcome {
    /// Identical.
    Unchanged,
    /// Differs: a unified diff from snapshot to current.
    Changed(String),
}

/// Renders the public API of the crate whose sources are under `src`.
pub fn render(src: &Path) -> Result<String> {
    let mut files = Vec::new();
    collect_rs(src, &mut files)?;
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| XtaskError::io(&file, e))?;
        let parsed = syn::parse_file(&text).map_err(|e| XtaskError::BadSpec {
            source_name: file.display().to_string(),
            message: format!("cannot parse: {e}"),
        })?;
        let module = module_path(src, &file);
        items(&parsed.items, &module, &mut lines);
    }
    lines.sort();
    lines.dedup();
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Public signatures that mention the generated crate, outside the escape hatch.
pub fn leaks(api: &str) -> Vec<String> {
    api.lines()
        .filter(|l| l.contains("ibkr_api"))
        .filter(|l| !ESCAPE_HATCH.iter().any(|f| l.contains(&format!("fn {f}"))))
        .map(str::to_string)
        .collect()
}

/// Compares with (or, with `bless`, writes) the snapshot under `root`.
pub fn run(root: &Path, bless: bool) -> Result<Outcome> {
    let api = render(&root.join(FACADE_SRC))?;
    let leaked = leaks(&api);
    if !leaked.is_empty() {
        return Err(XtaskError::InvalidArgument(format!(
            "the facade's public API exposes generated types outside the escape hatch: {}",
            leaked.join(" | ")
        )));
    }
    let outcome = write_or_check(root, &[(SNAPSHOT, &api)], !bless)?;
    Ok(if bless || outcome.is_current() {
        Outcome::Unchanged
    } else {
        Outcome::Changed(outcome.diff)
    })
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| XtaskError::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| XtaskError::io(dir, e))?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("lib" | "mod")) {
        parts.pop();
    }
    std::iter::once("crate".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens of `t` as one normalised line.
fn line(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

fn items(list: &[Item], module: &str, out: &mut Vec<String>) {
    for item in list {
        if has_cfg_test(item) {
            continue;
        }
        match item {
            Item::Fn(f) if is_pub(&f.vis) => out.push(format!("{module}: {}", line(&f.sig))),
            Item::Struct(s) if is_pub(&s.vis) => {
                let mut s = s.clone();
                s.attrs.retain(keep_attr);
                s.attrs.iter_mut().for_each(derive_as_trait);
                if let syn::Fields::Named(named) = &mut s.fields {
                    named.named = named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .cloned()
                        .map(strip_field_attrs)
                        .collect();
                }
                if let syn::Fields::Unnamed(unnamed) = &mut s.fields {
                    for f in unnamed.unnamed.iter_mut() {
                        f.attrs.clear();
                        if !is_pub(&f.vis) {
                            f.ty = syn::parse_quote!(_);
                        }
                    }
                }
                out.push(format!("{module}: {}", line(&s)));
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let mut e = e.clone();
                e.attrs.retain(keep_attr);
                for v in e.variants.iter_mut() {
                    v.attrs.clear();
                    v.fields = match v.fields.clone() {
                        syn::Fields::Named(mut n) => {
                            n.named = n.named.into_iter().map(strip_field_attrs).collect();
                            syn::Fields::Named(n)
                        }
                        other => other,
                    };
                }
                out.push(format!("{module}: {}", line(&e)));
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let mut header = t.clone();
                header.attrs.clear();
                header.items.clear();
                out.push(format!("{module}: {}", line(&header)));
                for ti in &t.items {
                    match ti {
                        TraitItem::Fn(f) => {
                            out.push(format!("{module}: trait {} :: {}", t.ident, line(&f.sig)))
                        }
                        TraitItem::Type(ty) => {
                            out.push(format!("{module}: trait {} :: type {}", t.ident, ty.ident))
                        }
                        TraitItem::Const(c) => out.push(format!(
                            "{module}: trait {} :: const {} : {}",
                            t.ident,
                            c.ident,
                            line(&c.ty)
                        )),
                        _ => {}
                    }
                }
            }
            Item::Type(t) if is_pub(&t.vis) => {
                let mut t = t.clone();
                t.attrs.clear();
                out.push(format!("{module}: {}", line(&t)));
            }
            Item::Const(c) if is_pub(&c.vis) => {
                out.push(format!("{module}: pub const {} : {}", c.ident, line(&c.ty)))
            }
            Item::Static(s) if is_pub(&s.vis) => out.push(format!(
                "{module}: pub static {} : {}",
                s.ident,
                line(&s.ty)
            )),
            Item::Use(u) if is_pub(&u.vis) => {
                let mut u = u.clone();
                u.attrs.clear();
                out.push(format!("{module}: {}", line(&u)));
            }
            Item::Mod(m) if is_pub(&m.vis) || m.content.is_some() => {
                if is_pub(&m.vis) {
                    out.push(format!("{module}: pub mod {}", m.ident));
                }
                if let Some((_, inner)) = &m.content {
                    items(inner, &format!("{module}::{}", m.ident), out);
                }
            }
            Item::Impl(imp) => {
                let head = format!("impl{} {}", line(&imp.generics), line(&imp.self_ty));
                if let Some((path, _)) = &imp.trait_ {
                    // Conversions from generated types (`impl From<ibkr_api::…>`)
                    // and hooks into the generated clients are plumbing:
                    // their generated side changes with every regeneration,
                    // which is exactly what the facade absorbs.
                    if line(path).contains("ibkr_api") {
                        continue;
                    }
                    out.push(format!(
                        "{module}: impl {} for {}",
                        line(path),
                        line(&imp.self_ty)
                    ));
                    continue;
                }
                for ii in &imp.items {
                    if let ImplItem::Fn(f) = ii
                        && is_pub(&f.vis)
                    {
                        out.push(format!("{module}: {head} :: {}", line(&f.sig)));
                    }
                    if let ImplItem::Const(c) = ii
                        && is_pub(&c.vis)
                    {
                        out.push(format!(
                            "{module}: {head} :: const {} : {}",
                            c.ident,
                            line(&c.ty)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn strip_field_attrs(mut f: syn::Field) -> syn::Field {
    f.attrs.clear();
    f
}

/// Attributes that are part of the API contract (derives, non_exhaustive).
fn keep_attr(a: &syn::Attribute) -> bool {
    a.path().is_ident("derive") || a.path().is_ident("non_exhaustive")
}

/// The facade's `LenientDeserialize` derive implements serde's
/// `Deserialize` (crate `ibkr-derive`): the contract is the trait, so the
/// snapshot names it whichever derive writes it.
fn derive_as_trait(a: &mut syn::Attribute) {
    if !a.path().is_ident("derive") {
        return;
    }
    let Ok(paths) = a.parse_args_with(
        syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
    ) else {
        return;
    };
    let paths = paths.into_iter().map(|p| {
        if p.is_ident("LenientDeserialize") {
            syn::parse_quote!(Deserialize)
        } else {
            p
        }
    });
    let paths: Vec<syn::Path> = paths.collect();
    *a = syn::parse_quote!(#[derive(#(#paths),*)]);
}

fn has_cfg_test(item: &Item) -> bool {
    let attrs: &[syn::Attribute] = match item {
        Item::Mod(m) => &m.attrs,
        Item::Fn(f) => &f.attrs,
        Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && line(&a.meta).contains("test"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_of(src: &str) -> String {
        let dir =
            std::env::temp_dir().join(format!("api-guard-{}-{}", std::process::id(), src.len()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("lib.rs"), src).unwrap();
        let api = render(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
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
            api.contains(
                "crate: impl Client :: fn tickle (& self , n : u32) -> Result < () , Error >"
            ),
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
        let before =
            api_of("pub struct C; impl C { pub fn place(&self, account: &str) -> u8 { 0 } }");
        let after =
            api_of("pub struct C; impl C { pub fn place(&self, account: String) -> u8 { 0 } }");
        assert_ne!(before, after);
        let body_only = api_of(
            "pub struct C; impl C { pub fn place(&self, account: &str) -> u8 { 1 + 1 - 2 } }",
        );
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
            gated.contains("crate: impl Client :: fn web_api (& self) -> Option < & ibkr_api :: web :: Client >"),
            "{gated}"
        );
        assert!(gated.contains("crate: fn low_level_only ()"), "{gated}");
        assert!(leaks(&gated).is_empty(), "{gated}");
    }
}
