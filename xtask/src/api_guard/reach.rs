//! What a user of the facade can reach: items marked `#[doc(hidden)]` are
//! not part of the API, and neither is the content of a module declared
//! `#[doc(hidden)] pub mod m`, except the names its parent re-exports
//! (`pub use m::{A, B}`), which are reached through that re-export.
//!
//! `ibkr-model` needs such modules: the facade's own half of an area reads
//! the model's decoding helpers, which must therefore be `pub` there, but
//! they are no more the facade's API than they were when both halves were
//! one crate.

use std::collections::{BTreeMap, BTreeSet};

use syn::{Attribute, Item, UseTree};

/// The hidden modules of the rendered crates, by crate and module path: a
/// module hidden in the model says nothing of the facade's module of the
/// same path.
#[derive(Default)]
pub(super) struct Reach {
    /// (crate, hidden module) → the names its parent re-exports from it
    /// (`*` for a glob).
    hidden: BTreeMap<(usize, String), BTreeSet<String>>,
}

/// The names of a hidden module that can be reached.
pub(super) enum Exported<'a> {
    /// The module is not hidden: every `pub` item counts.
    All,
    /// The module is hidden: only these names (or all, for `*`).
    Only(&'a BTreeSet<String>),
}

impl Exported<'_> {
    /// Whether the item named `ident` is reachable.
    pub(super) fn contains(&self, ident: &str) -> bool {
        match self {
            Exported::All => true,
            Exported::Only(names) => names.contains("*") || names.contains(ident),
        }
    }
}

impl Reach {
    /// Collects the hidden modules declared in `files` (crate, module
    /// path, parsed file).
    pub(super) fn collect(files: &[(usize, String, syn::File)]) -> Reach {
        let mut reach = Reach::default();
        for (krate, module, file) in files {
            reach.walk(*krate, &file.items, module);
        }
        reach
    }

    fn walk(&mut self, krate: usize, list: &[Item], module: &str) {
        for item in list {
            let Item::Mod(m) = item else { continue };
            let path = format!("{module}::{}", m.ident);
            if is_doc_hidden(&m.attrs) {
                let names = self.hidden.entry((krate, path.clone())).or_default();
                for item in list {
                    if let Item::Use(u) = item
                        && matches!(u.vis, syn::Visibility::Public(_))
                        && !is_doc_hidden(&u.attrs)
                    {
                        names.extend(use_names(&u.tree, &m.ident.to_string()));
                    }
                }
            }
            if let Some((_, inner)) = &m.content {
                self.walk(krate, inner, &path);
            }
        }
    }

    /// What can be reached of `module`: a module inside a hidden one is
    /// wholly hidden (its parent's re-exports name the hidden module's
    /// items, not its children's).
    pub(super) fn exported(&self, krate: usize, module: &str) -> Exported<'_> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        if let Some(names) = self.hidden.get(&(krate, module.to_string())) {
            return Exported::Only(names);
        }
        let inside = self.hidden.keys().any(|(k, h)| {
            *k == krate && module.starts_with(h.as_str()) && module[h.len()..].starts_with("::")
        });
        if inside {
            Exported::Only(&NONE)
        } else {
            Exported::All
        }
    }
}

/// Whether `attrs` hold `#[doc(hidden)]`.
pub(super) fn is_doc_hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "hidden")
    })
}

/// The names a `use` tree re-exports out of module `module` (`m::A`,
/// `self::m::{A, B as C}`, `m::*`); a rename counts by its original name,
/// which is the item's name in `module`.
fn use_names(tree: &UseTree, module: &str) -> Vec<String> {
    match tree {
        UseTree::Path(p) if p.ident == "self" => use_names(&p.tree, module),
        UseTree::Path(p) if p.ident == module => leaves(&p.tree),
        UseTree::Group(g) => g.items.iter().flat_map(|t| use_names(t, module)).collect(),
        _ => Vec::new(),
    }
}

fn leaves(tree: &UseTree) -> Vec<String> {
    match tree {
        UseTree::Name(n) => vec![n.ident.to_string()],
        UseTree::Rename(r) => vec![r.ident.to_string()],
        UseTree::Glob(_) => vec!["*".to_string()],
        UseTree::Group(g) => g.items.iter().flat_map(leaves).collect(),
        // `m::sub::X` reaches into a child module, not an item of `m`.
        UseTree::Path(_) => Vec::new(),
    }
}
