//! The code written for one struct: a `Deserialize` impl whose visitor reads
//! a map key by key. A key is looked up by the struct's own `__Table` (a
//! switch on its length; aliases included) through the facade's shared key
//! reader, a field with `deserialize_with` is read through a seed (one per
//! helper and type, shared by the struct's fields that use the same one),
//! and unknown keys are skipped.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Error, Fields, Result, Type};

use crate::attrs::{Container, Fallback, Field};

/// The runtime half of the derive (`decode/fields.rs` of `ibkr-model`, at
/// the same path in the facade).
fn support() -> TokenStream {
    quote!(crate::decode::fields)
}

struct Seed {
    /// The helper and the type, as text: fields with both the same share it.
    id: String,
    with: syn::Path,
    ty: Type,
    ident: syn::Ident,
}

pub fn derive(input: DeriveInput) -> Result<TokenStream> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(Error::new_spanned(
            &input.generics,
            "LenientDeserialize does not take generic types; derive serde's Deserialize for this type",
        ));
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named,
            _ => {
                return Err(Error::new_spanned(
                    ident,
                    "LenientDeserialize needs named fields",
                ));
            }
        },
        _ => {
            return Err(Error::new_spanned(
                ident,
                "LenientDeserialize is for structs",
            ));
        }
    };
    let container = Container::parse(ident, &input.attrs)?;
    let fields = named
        .named
        .iter()
        .map(|f| {
            let name = f.ident.as_ref().expect("named field");
            Ok((f, Field::parse(name, &f.attrs)?))
        })
        .collect::<Result<Vec<_>>>()?;

    let support = support();
    let mut seeds: Vec<Seed> = Vec::new();
    let mut keys = Vec::new();
    let mut names = Vec::new();
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    let mut needs_container_default = false;
    let mut rest: Option<&syn::Ident> = None;
    for (index, (field, attrs)) in fields.iter().enumerate() {
        let member = field.ident.as_ref().expect("named field");
        let ty = &field.ty;
        let slot = format_ident!("__f{index}");
        let fallback = match (&attrs.default, &container.default) {
            (Fallback::Path(p), _) => quote!(#p()),
            (Fallback::Trait, _) => quote!(::core::default::Default::default()),
            (Fallback::Serde, Fallback::Serde) => TokenStream::new(),
            (Fallback::Serde, _) => {
                needs_container_default = true;
                quote!(__default.#member)
            }
        };
        if attrs.flatten {
            if !is_map(ty) || rest.is_some() || attrs.with.is_some() || attrs.skip {
                return Err(Error::new_spanned(
                    field,
                    "LenientDeserialize flattens only one map of the other keys (`Extra`, `BTreeMap<String, Value>`); \
                     derive serde's Deserialize for this type",
                ));
            }
            rest = Some(member);
            slots.push((
                quote!(__rest: #ty),
                quote!(__rest: ::core::default::Default::default()),
                quote!(__rest),
            ));
            inits.push(quote!(#member: __rest));
            continue;
        }
        if attrs.skip {
            let value = if fallback.is_empty() {
                quote!(::core::default::Default::default())
            } else {
                fallback
            };
            inits.push(quote!(#member: #value));
            continue;
        }
        let key = &attrs.key;
        for k in std::iter::once(key).chain(&attrs.aliases) {
            names.push(k.clone());
            keys.push((k.clone(), index));
        }
        slots.push((
            quote!(#slot: ::core::option::Option<#ty>),
            quote!(#slot: ::core::option::Option::None),
            quote!(#slot),
        ));
        let read = match &attrs.with {
            Some(with) => {
                let id = format!("{} {}", quote!(#with), quote!(#ty));
                let seed = match seeds.iter().find(|s| s.id == id) {
                    Some(s) => s.ident.clone(),
                    None => {
                        let seed = format_ident!("__S{}", seeds.len());
                        seeds.push(Seed {
                            id,
                            with: with.clone(),
                            ty: ty.clone(),
                            ident: seed.clone(),
                        });
                        seed
                    }
                };
                quote!(__m.next_value_seed(#seed)?)
            }
            None => quote!(__m.next_value::<#ty>()?),
        };
        arms.push(quote!(#index => #support::put(&mut __s.#slot, #read, #key)?,));
        let value = if !fallback.is_empty() {
            quote!(match #slot { ::core::option::Option::Some(v) => v, ::core::option::Option::None => #fallback })
        } else if attrs.with.is_some() {
            quote!(match #slot {
                ::core::option::Option::Some(v) => v,
                ::core::option::Option::None => return ::core::result::Result::Err(
                    <__A::Error as ::serde::de::Error>::missing_field(#key)),
            })
        } else {
            quote!(match #slot { ::core::option::Option::Some(v) => v, ::core::option::Option::None => #support::missing(#key)? })
        };
        inits.push(quote!(#member: #value));
    }

    let seed_impls = seeds.iter().map(|s| {
        let (seed, with, ty) = (&s.ident, &s.with, &s.ty);
        quote! {
            struct #seed;
            impl<'de> ::serde::de::DeserializeSeed<'de> for #seed {
                type Value = #ty;
                fn deserialize<__E: ::serde::Deserializer<'de>>(self, __e: __E) -> ::core::result::Result<#ty, __E::Error> {
                    #with(__e)
                }
            }
        }
    });
    let default = if !needs_container_default {
        TokenStream::new()
    } else if let Fallback::Path(p) = &container.default {
        quote!(let __default: #ident = #p();)
    } else {
        quote!(let __default: #ident = ::core::default::Default::default();)
    };
    let read_keys = match rest {
        Some(_) => quote! {
            while let ::core::option::Option::Some(__key) = __m.next_key::<#support::AnyKey<__Table>>()? {
                match __key {
                    #support::AnyKey::Field(__i, _) => __field(__sp, __i, &mut __m)?,
                    #support::AnyKey::Other(__other) => {
                        __sp.__rest.insert(__other, __m.next_value()?);
                    }
                }
            }
        },
        None => quote! {
            while let ::core::option::Option::Some(#support::Key(__i, _)) = __m.next_key::<#support::Key<__Table>>()? {
                if __i == #support::UNKNOWN {
                    __m.next_value::<::serde::de::IgnoredAny>()?;
                } else {
                    __field(__sp, __i, &mut __m)?;
                }
            }
        },
    };
    let key_fn = key_fn(&keys);
    let slot_fields = slots.iter().map(|s| &s.0);
    let slot_inits = slots.iter().map(|s| &s.1);
    let slot_names = slots.iter().map(|s| &s.2);
    let name = &container.name;
    // With a map of the other keys, every key is the struct's: a
    // deserializer that keeps only the listed ones (serde's own flatten
    // of this struct into another) must not be asked for a struct.
    let entry = match rest {
        Some(_) => quote!(__d.deserialize_map(__V)),
        None => quote!(__d.deserialize_struct(#name, &[#(#names),*], __V)),
    };
    let expecting = format!("struct {name}");
    Ok(quote! {
        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {
                #(#seed_impls)*
                #key_fn
                // The fields read so far, kept in memory behind
                // `black_box` (below): with the slots in registers, the key
                // loop spilled and reloaded them around every key (about
                // 40 instructions a key).
                struct __Slots { #(#slot_fields),* }
                #[inline(always)]
                fn __field<'de, __A: ::serde::de::MapAccess<'de>>(
                    __s: &mut __Slots,
                    __i: usize,
                    __m: &mut __A,
                ) -> ::core::result::Result<(), __A::Error> {
                    match __i {
                        #(#arms)*
                        _ => {}
                    }
                    ::core::result::Result::Ok(())
                }
                struct __V;
                impl<'de> ::serde::de::Visitor<'de> for __V {
                    type Value = #ident;
                    fn expecting(&self, __f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __m: __A) -> ::core::result::Result<#ident, __A::Error> {
                        let mut __s = __Slots { #(#slot_inits),* };
                        let __sp: &mut __Slots = ::core::hint::black_box(&mut __s);
                        #read_keys
                        let __Slots { #(#slot_names),* } = __s;
                        #default
                        ::core::result::Result::Ok(#ident { #(#inits),* })
                    }
                }
                #entry
            }
        }
    })
}

/// Whether a flattened field's type is a map of the other keys: `Extra`
/// (the facade's `BTreeMap<String, Value>`) or a `BTreeMap`/`HashMap`.
fn is_map(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    p.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "Extra" | "BTreeMap" | "HashMap" | "Map"
        )
    })
}

/// The struct's key lookup: a switch on the key's length, then the few keys
/// of that length, so a key no field reads is usually refused by its length
/// alone (IBKR's answers carry many keys a type does not read).
fn key_fn(keys: &[(String, usize)]) -> TokenStream {
    let support = support();
    let mut lengths: Vec<usize> = keys.iter().map(|(k, _)| k.len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let arms = lengths.iter().map(|len| {
        let same = keys
            .iter()
            .filter(|(k, _)| k.len() == *len)
            .map(|(k, i)| quote!(#k => #i,));
        quote!(#len => match __k { #(#same)* _ => #support::UNKNOWN },)
    });
    quote! {
        struct __Table;
        impl #support::KeyTable for __Table {
            // Not inlined, as serde's own field visitor: inlined, it made
            // serde_json's `next_key_seed` too large to inline in turn.
            #[inline(never)]
            fn find(__k: &str) -> usize {
                match __k.len() {
                    #(#arms)*
                    _ => #support::UNKNOWN,
                }
            }
        }
    }
}
