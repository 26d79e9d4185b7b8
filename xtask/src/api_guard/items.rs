//! One line per reachable public item of a parsed file.

use quote::ToTokens;
use syn::{ImplItem, Item, TraitItem, Visibility};

use super::reach::{Exported, Reach, is_doc_hidden};

/// What decides whether an item is rendered, besides being `pub`.
pub(super) struct Scope<'a> {
    /// Which of the rendered crates the items are from.
    pub(super) krate: usize,
    /// The hidden modules.
    pub(super) reach: &'a Reach,
    /// Crates rendered under the same module paths as the facade, whose
    /// glob re-export at the same path (`pub use ibkr_model::areas::fx::*`
    /// in `crate::areas::fx`) adds nothing the rendering of that crate does
    /// not already show.
    pub(super) mirrored_crates: &'a [&'a str],
}

impl Scope<'_> {
    /// Whether `u` re-exports, whole, a mirrored crate's module of the same path.
    fn is_mirror(&self, u: &syn::ItemUse, module: &str) -> bool {
        let text = line(&u.tree).replace(' ', "");
        let own = module.strip_prefix("crate").unwrap_or(module);
        self.mirrored_crates
            .iter()
            .any(|c| text == format!("{c}{own}::*"))
    }
}

/// The name an item declares, when it declares one.
fn ident(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(f) => &f.sig.ident,
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Trait(t) => &t.ident,
        Item::Type(t) => &t.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::Mod(m) => &m.ident,
        Item::Union(u) => &u.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

fn attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Fn(f) => &f.attrs,
        Item::Struct(s) => &s.attrs,
        Item::Enum(e) => &e.attrs,
        Item::Trait(t) => &t.attrs,
        Item::Type(t) => &t.attrs,
        Item::Const(c) => &c.attrs,
        Item::Static(s) => &s.attrs,
        Item::Mod(m) => &m.attrs,
        Item::Union(u) => &u.attrs,
        Item::Use(u) => &u.attrs,
        Item::Impl(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether a user reaches `item` (its `pub` is checked by the caller): not
/// `#[doc(hidden)]`, and re-exported when its module is hidden.
fn reachable(item: &Item, exported: &Exported<'_>) -> bool {
    if is_doc_hidden(attrs(item)) {
        return false;
    }
    match ident(item) {
        Some(name) => exported.contains(&name),
        // A `use` inside a hidden module re-exports into a module no one reaches.
        None => matches!(exported, Exported::All) || matches!(item, Item::Impl(_)),
    }
}

/// The last segment of an impl's self type (`Wrapped` of `Wrapped<W, T>`).
fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens of `t` as one normalised line.
fn line(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

/// Renders the items of `list`, in module `module`, into `out`.
pub(super) fn items(list: &[Item], module: &str, scope: &Scope<'_>, out: &mut Vec<String>) {
    let exported = scope.reach.exported(scope.krate, module);
    // Types a user cannot name: their inherent methods are out of reach too.
    let unreachable_types: Vec<String> = list
        .iter()
        .filter(|i| !reachable(i, &exported))
        .filter_map(ident)
        .collect();
    for item in list {
        if has_cfg_test(item) {
            continue;
        }
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            items(inner, &format!("{module}::{}", m.ident), scope, out);
        }
        if !reachable(item, &exported) {
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
                        .filter(|f| is_pub(&f.vis) && !is_doc_hidden(&f.attrs))
                        .cloned()
                        .map(strip_field_attrs)
                        .collect();
                }
                if let syn::Fields::Unnamed(unnamed) = &mut s.fields {
                    for f in unnamed.unnamed.iter_mut() {
                        let hidden = is_doc_hidden(&f.attrs);
                        f.attrs.clear();
                        if hidden {
                            f.vis = Visibility::Inherited;
                        }
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
                if e.variants.iter().any(|v| is_doc_hidden(&v.attrs)) {
                    e.variants = e
                        .variants
                        .into_iter()
                        .filter(|v| !is_doc_hidden(&v.attrs))
                        .collect();
                }
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
                    let hidden = match ti {
                        TraitItem::Fn(f) => is_doc_hidden(&f.attrs),
                        TraitItem::Type(ty) => is_doc_hidden(&ty.attrs),
                        TraitItem::Const(c) => is_doc_hidden(&c.attrs),
                        _ => false,
                    };
                    if hidden {
                        continue;
                    }
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
            Item::Use(u) if is_pub(&u.vis) && !scope.is_mirror(u, module) => {
                let mut u = u.clone();
                u.attrs.clear();
                out.push(format!("{module}: {}", line(&u)));
            }
            Item::Mod(m) if is_pub(&m.vis) => out.push(format!("{module}: pub mod {}", m.ident)),
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
                if self_ident(&imp.self_ty).is_some_and(|t| unreachable_types.contains(&t)) {
                    continue;
                }
                for ii in &imp.items {
                    if let ImplItem::Fn(f) = ii
                        && is_pub(&f.vis)
                        && !is_doc_hidden(&f.attrs)
                    {
                        out.push(format!("{module}: {head} :: {}", line(&f.sig)));
                    }
                    if let ImplItem::Const(c) = ii
                        && is_pub(&c.vis)
                        && !is_doc_hidden(&c.attrs)
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
    attrs(item)
        .iter()
        .any(|a| a.path().is_ident("cfg") && line(&a.meta).contains("test"))
}
