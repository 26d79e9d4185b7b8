//! The `#[serde(...)]` attributes the derive reads, on the struct and on
//! each field. Any attribute that would change how serde's own derive
//! decodes and that this derive does not implement is a compile error
//! naming it, so a type never decodes differently by switching derives.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Error, LitStr, Path, Result};

/// What a missing field becomes.
#[derive(Clone)]
pub enum Fallback {
    /// No `default`: serde's rule (an `Option` is `None`, anything else is
    /// a "missing field" error).
    Serde,
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path"`: `path()`.
    Path(Path),
}

/// The struct's attributes.
pub struct Container {
    /// The name in messages (`rename`, else the type's name).
    pub name: String,
    /// `#[serde(default)]` on the struct: missing fields come from the
    /// struct's `Default`.
    pub default: Fallback,
}

/// One field's attributes.
pub struct Field {
    /// The key (`rename` or `rename(deserialize = …)`, else the field's name).
    pub key: String,
    /// Other keys read into the same field (`alias`).
    pub aliases: Vec<String>,
    pub default: Fallback,
    /// `deserialize_with = "path"`, or `with = "module"` as `module::deserialize`.
    pub with: Option<Path>,
    /// `skip` or `skip_deserializing`: never read, always the default.
    pub skip: bool,
    /// `flatten`: taken only for a map of the keys no other field reads.
    pub flatten: bool,
}

fn string(meta: &ParseNestedMeta) -> Result<String> {
    Ok(meta.value()?.parse::<LitStr>()?.value())
}

fn path(meta: &ParseNestedMeta) -> Result<Path> {
    meta.value()?.parse::<LitStr>()?.parse()
}

fn default(meta: &ParseNestedMeta) -> Result<Fallback> {
    if meta.input.peek(syn::Token![=]) {
        Ok(Fallback::Path(path(meta)?))
    } else {
        Ok(Fallback::Trait)
    }
}

/// `rename = "x"` or `rename(serialize = "y", deserialize = "x")`: the
/// name read, if the attribute gives one for deserializing.
fn rename(meta: &ParseNestedMeta) -> Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        return string(meta).map(Some);
    }
    let mut out = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("deserialize") {
            out = Some(string(&inner)?);
        } else if inner.path.is_ident("serialize") {
            string(&inner)?;
        } else {
            return Err(inner.error("expected `serialize` or `deserialize`"));
        }
        Ok(())
    })?;
    Ok(out)
}

fn unsupported(meta: &ParseNestedMeta) -> Error {
    let name = meta
        .path
        .get_ident()
        .map_or_else(|| "this attribute".to_string(), |i| format!("`{i}`"));
    meta.error(format!(
        "LenientDeserialize does not implement #[serde({name})]; derive serde's Deserialize for this type"
    ))
}

fn each_serde(attrs: &[Attribute], mut f: impl FnMut(ParseNestedMeta) -> Result<()>) -> Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(&mut f)?;
    }
    Ok(())
}

impl Container {
    pub fn parse(ident: &syn::Ident, attrs: &[Attribute]) -> Result<Container> {
        let mut out = Container {
            name: ident.to_string(),
            default: Fallback::Serde,
        };
        each_serde(attrs, |meta| {
            if meta.path.is_ident("rename") {
                if let Some(name) = rename(&meta)? {
                    out.name = name;
                }
            } else if meta.path.is_ident("default") {
                out.default = default(&meta)?;
            } else if meta.path.is_ident("expecting") {
                out.name = string(&meta)?;
            } else {
                return Err(unsupported(&meta));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl Field {
    pub fn parse(ident: &syn::Ident, attrs: &[Attribute]) -> Result<Field> {
        let name = ident.to_string();
        let mut out = Field {
            key: name.strip_prefix("r#").unwrap_or(&name).to_string(),
            aliases: Vec::new(),
            default: Fallback::Serde,
            with: None,
            skip: false,
            flatten: false,
        };
        each_serde(attrs, |meta| {
            let is = |name: &str| meta.path.is_ident(name);
            if is("rename") {
                if let Some(key) = rename(&meta)? {
                    out.key = key;
                }
            } else if is("alias") {
                out.aliases.push(string(&meta)?);
            } else if is("default") {
                out.default = default(&meta)?;
            } else if is("deserialize_with") {
                out.with = Some(path(&meta)?);
            } else if is("with") {
                let mut module = path(&meta)?;
                module.segments.push(syn::parse_quote!(deserialize));
                out.with = Some(module);
            } else if is("skip") || is("skip_deserializing") {
                out.skip = true;
            } else if is("serialize_with") || is("skip_serializing_if") {
                string(&meta)?;
            } else if is("flatten") {
                out.flatten = true;
            } else if is("skip_serializing") {
            } else {
                return Err(unsupported(&meta));
            }
            Ok(())
        })?;
        Ok(out)
    }
}
