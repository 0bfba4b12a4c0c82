//! Type definitions → tokens: structs, enums, tagged and untagged unions, aliases, tuples with
//! trailing items. serde's `Serialize` derive is used where it is exact; every `Deserialize`
//! (and `Serialize` where the derive is not exact: numeric enums, unions) is a short impl that
//! calls into `clamator_protocol::__private` (`__p`), where the machinery lives once.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;

use super::checks::Checks;
use super::derives::Derives;
use super::docs::doc_attrs;
use super::tokens::{ident, json_value, number_literal, ty};
use crate::ir::{
    Body, EnumVariant, Field, Presence, StructDef, TaggedDef, Ty, TypeDef, UntaggedVariant,
};
use crate::stages::defaults::json_eq;

const SERDE_CRATE: &str = "__rt::serde";

/// A type's doc comment and the attributes the user added (checked to parse when added).
fn item_attrs(def: &TypeDef) -> TokenStream {
    let doc = doc_attrs(&def.doc);
    let extra = def
        .attrs
        .iter()
        .filter_map(|a| a.parse::<TokenStream>().ok());
    quote!(#doc #(#extra)*)
}

/// Tokens of one type definition, with whatever impls and default functions it needs.
pub fn type_def(
    def: &TypeDef,
    all: &[TypeDef],
    checks: &Checks<'_>,
    derives: &Derives,
) -> TokenStream {
    let eq = derives.eq_hash(&def.name);
    let definition = with_user_derives(definition(def, all, checks, &eq), def);
    let validate = checks.validate_impl(def);
    quote!(#definition #validate)
}

/// `definition` with the user's derives added to the type, except those of a trait it already
/// implements, derived or written out (same last path segment): `"*": ["Clone"]` or
/// `"serde::Serialize"` would otherwise be a conflicting implementation.
fn with_user_derives(definition: TokenStream, def: &TypeDef) -> TokenStream {
    if def.derives.is_empty() {
        return definition;
    }
    // The tokens are the emitter's own, so they parse; if they did not, formatting reports it.
    let Ok(mut file) = syn::parse2::<syn::File>(definition.clone()) else {
        return definition;
    };
    let last = |path: &syn::Path| path.segments.last().map(|s| s.ident.to_string());
    let mut has: HashSet<String> = HashSet::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(syn::ItemStruct { ident, attrs, .. })
            | syn::Item::Enum(syn::ItemEnum { ident, attrs, .. })
                if *ident == def.name =>
            {
                for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
                    let paths = attr
                        .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
                    has.extend(paths.into_iter().flatten().filter_map(|p| last(&p)));
                }
            }
            syn::Item::Impl(syn::ItemImpl {
                trait_: Some((path, _)),
                ..
            }) => has.extend(last(path)),
            _ => {}
        }
    }
    let added: Vec<syn::Path> = def
        .derives
        .iter()
        .filter_map(|d| syn::parse_str::<syn::Path>(d).ok())
        .filter(|p| last(p).is_some_and(|name| has.insert(name)))
        .collect();
    if added.is_empty() {
        return definition;
    }
    for item in &mut file.items {
        if let syn::Item::Struct(syn::ItemStruct { ident, attrs, .. })
        | syn::Item::Enum(syn::ItemEnum { ident, attrs, .. }) = item
        {
            if *ident == def.name {
                attrs.push(syn::parse_quote!(#[derive(#(#added),*)]));
            }
        }
    }
    quote!(#file)
}

/// `eq` is `, Eq, Hash` for a type that can derive them, else empty.
fn definition(
    def: &TypeDef,
    all: &[TypeDef],
    checks: &Checks<'_>,
    eq: &TokenStream,
) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    match &def.body {
        Body::Alias(target) => {
            let target = ty(target);
            quote! { #doc pub type #name = #target; }
        }
        Body::Struct(s) => structure(def, s, all, eq),
        Body::Enum(variants) => enumeration(def, variants),
        Body::Tagged(t) => tagged(def, t, eq),
        Body::Untagged(variants) => untagged(def, variants, checks, eq),
        Body::TupleRest { items, rest } => tuple_rest(def, items, rest, eq),
    }
}

fn structure(def: &TypeDef, s: &StructDef, all: &[TypeDef], eq: &TokenStream) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    let mut defaults = Vec::new();
    for f in &s.fields {
        if let Presence::Default { value, default_fn } = &f.presence {
            let body = literal(&f.declared_ty(), value, all);
            let (fn_name, ret) = (ident(default_fn), ty(&f.declared_ty()));
            let fn_doc = format!(
                " The default of `{}.{}`.",
                def.name,
                f.name.trim_start_matches("r#")
            );
            defaults.push(quote! { #[doc = #fn_doc] fn #fn_name() -> #ret { #body } });
        }
    }
    let (constructors, default_derive) = constructors(&name, s);
    defaults.push(constructors);
    let fields: Vec<TokenStream> = s.fields.iter().map(field_decl).collect();
    let Some(additional) = &s.additional else {
        let deserialize = read_struct(def, s);
        // Only derives the user adds read it (schemars' `JsonSchema`): the impl is written out.
        let deny = (!s.drops_unknown).then(|| quote!(, deny_unknown_fields));
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq #eq #default_derive, Serialize)]
            #[serde(crate = #SERDE_CRATE #deny)]
            pub struct #name { #(#fields)* }
            #deserialize
            #(#defaults)*
        };
    };
    // Unknown keys are kept: serde's `flatten` serialises them exactly, but deserialising
    // through it would lose the strict decoding of the known fields, so that side is explicit.
    let extra = ident(&s.additional_field);
    let extra_ty = ty(&Ty::Map(Box::new(Ty::String), Box::new(additional.clone())));
    let takes = s.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.name), &f.wire);
        let take = match &f.presence {
            Presence::Required => {
                quote!(__p::take_required(&mut map, #wire)?)
            }
            // A present null must stay apart from absent: `Some(None)` / `Some(Value::Null)`.
            Presence::Optional if f.nullable || f.ty == Ty::Json => {
                quote!(__p::take_some(&mut map, #wire)?)
            }
            Presence::Optional => {
                quote!(__p::take_optional(&mut map, #wire)?)
            }
            Presence::Default { default_fn, .. } => {
                let d = ident(default_fn);
                quote!(__p::take_default(&mut map, #wire, #d)?)
            }
        };
        quote!(#fname: #take,)
    });
    let expected = format!("an object ({})", def.name);
    // Without declared fields nothing is taken out before the rest, and an unused `mut` warns.
    let map_binding = if s.fields.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    let extra_doc = " Properties beyond the declared ones, kept as they came.";
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #eq #default_derive, Serialize)]
        #[serde(crate = #SERDE_CRATE)]
        pub struct #name {
            #(#fields)*
            #[doc = #extra_doc]
            #[serde(flatten)]
            pub #extra: #extra_ty,
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let #map_binding = __p::read_object(deserializer, #expected)?;
                ::core::result::Result::Ok(Self {
                    #(#takes)*
                    #extra: __p::take_rest(map)?,
                })
            }
        }
        #(#defaults)*
    }
}

/// `new(<required fields>)` filling the rest (absent, or the schema default), and `Default` when
/// no field is required: derived when every field is merely optional, written out when some
/// take a schema default. Returns the impls and what to add to the derive list.
fn constructors(name: &proc_macro2::Ident, s: &StructDef) -> (TokenStream, TokenStream) {
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .collect();
    let fill = |f: &Field| {
        let field = ident(&f.name);
        match &f.presence {
            Presence::Required => quote!(#field),
            Presence::Optional => quote!(#field: ::core::option::Option::None),
            Presence::Default { default_fn, .. } => {
                let d = ident(default_fn);
                quote!(#field: #d())
            }
        }
    };
    let fills: Vec<TokenStream> = s.fields.iter().map(fill).collect();
    let extra = s.additional.as_ref().map(|_| {
        let extra = ident(&s.additional_field);
        quote!(#extra: ::core::default::Default::default(),)
    });
    if required.is_empty() {
        let any_schema_default = s
            .fields
            .iter()
            .any(|f| matches!(f.presence, Presence::Default { .. }));
        if !any_schema_default {
            return (TokenStream::new(), quote!(, Default));
        }
        let body = quote! {
            impl ::core::default::Default for #name {
                /// Every field at its schema default, or absent.
                fn default() -> Self {
                    Self { #(#fills,)* #extra }
                }
            }
        };
        return (body, TokenStream::new());
    }
    let params = required.iter().map(|f| {
        let (field, t) = (ident(&f.name), ty(&f.declared_ty()));
        quote!(#field: #t)
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // Parameters are named after the fields, whatever the contract called them (`_100`).
    let digits = required
        .iter()
        .any(|f| f.name.chars().all(|c| c == '_' || c.is_ascii_digit()))
        .then(|| quote!(#[allow(clippy::just_underscores_and_digits)]));
    let body = quote! {
        impl #name {
            /// A value from its required fields; the others absent or at their default.
            #many
            #digits
            pub fn new(#(#params),*) -> Self {
                Self { #(#fills,)* #extra }
            }
        }
    };
    (body, TokenStream::new())
}

/// A field and its serde attributes. Deserialization is written out ([`read_struct`]), but the
/// attributes still say what it does (`default`), for derives the user adds that read them
/// (schemars' `JsonSchema`).
fn field_decl(f: &Field) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let name = ident(&f.name);
    let declared = ty(&f.declared_ty());
    let mut attrs: Vec<TokenStream> = Vec::new();
    if f.name.trim_start_matches("r#") != f.wire {
        let wire = &f.wire;
        attrs.push(quote!(rename = #wire));
    }
    match &f.presence {
        Presence::Required => {}
        Presence::Optional => {
            attrs.push(quote!(default));
            attrs.push(quote!(
                skip_serializing_if = "::core::option::Option::is_none"
            ));
        }
        Presence::Default { default_fn, .. } => {
            let d = default_fn.clone();
            attrs.push(quote!(default = #d));
        }
    }
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! { #doc #serde pub #name: #declared, }
}

/// `Deserialize` for a struct without additional properties, through the runtime's one struct
/// visitor (`__p::strip_object` / `__p::strict_object`) rather than serde's derive, whose
/// expansion (about 170 lines a type) was most of what a large generated crate cost to compile.
/// Each key's value is read into a slot `fN`; the closure turns slots into fields as the key's
/// presence says.
fn read_struct(def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let keys = s.fields.iter().map(|f| &f.wire);
    let slot = |i: usize| quote::format_ident!("f{i}");
    // Slots nest eight at a time (`(f0, …, f7, rest)`), then one at a time: a struct of any
    // width stays well inside the trait solver's recursion limit.
    let n = s.fields.len();
    let eights = n / 8;
    let singles = (eights * 8..n).rev().fold(quote!(()), |rest, i| {
        let f = slot(i);
        quote!((#f, #rest))
    });
    let pattern = (0..eights).rev().fold(singles, |rest, chunk| {
        let fs = (chunk * 8..chunk * 8 + 8).map(slot);
        quote!((#(#fs,)* #rest))
    });
    let values = s.fields.iter().enumerate().map(|(i, f)| {
        let (field, f_slot, wire) = (ident(&f.name), slot(i), &f.wire);
        let value = match &f.presence {
            Presence::Required => quote!(__p::required(#f_slot, #wire)?),
            // A present null must stay apart from absent: `Some(None)` / `Some(Value::Null)`.
            Presence::Optional if f.nullable || f.ty == Ty::Json => quote!(#f_slot),
            Presence::Optional => quote!(__p::optional(#f_slot)),
            Presence::Default { default_fn, .. } => {
                let d = ident(default_fn);
                quote!(__p::or_default(#f_slot, #d))
            }
        };
        quote!(#field: #value,)
    });
    // Zod's object modes: `strip` (its default) drops unknown keys, `.strict()` refuses them.
    let read = if s.drops_unknown {
        quote!(strip_object)
    } else {
        quote!(strict_object)
    };
    // The keys go in the call when it then fits on a line (the formatter's 89 columns, at
    // this indentation), else in a `let` of their own: every line counts in a large contract.
    let keys_text: usize = keys.clone().map(|k| format!("{k:?}").len() + 2).sum();
    let call_width = 8 + format!("__p::{read}(d, &[], build)").len() + keys_text;
    let (bind_keys, keys_arg) = if call_width <= 89 {
        (TokenStream::new(), quote!(&[#(#keys),*]))
    } else {
        (quote!(let keys = &[#(#keys),*];), quote!(keys))
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #bind_keys
                let build = |#pattern| Ok(Self { #(#values)* });
                __p::#read(d, #keys_arg, build)
            }
        }
    }
}

/// A Rust expression for a default value of type `t`.
/// The Rust expression of a default the lowering stage checked against its type
/// (`stages::defaults`): a literal where Rust has one, else the value decoded from its JSON text
/// when used (which also applies inner defaults, as Zod does). Infallible by construction.
fn literal(t: &Ty, value: &Value, all: &[TypeDef]) -> TokenStream {
    match (t, value) {
        (Ty::Checked(inner, _), v) => literal(inner, v, all),
        (Ty::Box(inner), v) => {
            let inner = literal(inner, v, all);
            quote!(::std::boxed::Box::new(#inner))
        }
        (Ty::Option(_), Value::Null) => quote!(::core::option::Option::None),
        (Ty::Option(inner), v) => {
            let inner = literal(inner, v, all);
            quote!(::core::option::Option::Some(#inner))
        }
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
        (Ty::U64, Value::Number(n)) if n.as_u64().is_some() => {
            let lit = proc_macro2::Literal::u64_unsuffixed(n.as_u64().unwrap_or(0));
            quote!(#lit)
        }
        (Ty::I64, Value::Number(n)) if n.as_i64().is_some() => {
            let lit = number_literal(n, false);
            quote!(#lit)
        }
        (Ty::F64, Value::Number(n)) => {
            let lit = number_literal(n, true);
            quote!(#lit)
        }
        (Ty::String, Value::String(s)) => quote!(::std::string::String::from(#s)),
        (Ty::Unit, Value::Null) => quote!(()),
        (Ty::Json, v) => json_value(v),
        (Ty::Vec(inner), Value::Array(items)) => {
            let items = items.iter().map(|i| literal(inner, i, all));
            quote!(::std::vec![#(#items),*])
        }
        (Ty::Named(name), v) => {
            let def = all.iter().find(|d| &d.name == name);
            match def.map(|d| &d.body) {
                Some(Body::Enum(variants)) => {
                    match variants.iter().find(|var| json_eq(&var.value, v)) {
                        Some(variant) => {
                            let (ty_name, var_name) = (ident(name), ident(&variant.name));
                            quote!(#ty_name::#var_name)
                        }
                        None => decoded(v),
                    }
                }
                Some(Body::Alias(target)) => literal(target, v, all),
                _ => decoded(v),
            }
        }
        (_, v) => decoded(v),
    }
}

fn decoded(v: &Value) -> TokenStream {
    let text = v.to_string();
    quote!(__p::default_from_json(#text))
}

fn all_strings(variants: &[EnumVariant]) -> bool {
    variants.iter().all(|v| v.value.is_string())
}

fn enumeration(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    let single = variants.len() == 1;
    let default_derive = single.then(|| quote!(, Default));
    let decls = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdoc = doc_attrs(&format!("`{}`.", v.value.to_string().replace('`', "'")));
        let default_attr = single.then(|| quote!(#[default]));
        let rename = match &v.value {
            Value::String(s) if all_strings(variants) => Some(quote!(#[serde(rename = #s)])),
            _ => None,
        };
        quote! { #vdoc #default_attr #rename #vname, }
    });
    if all_strings(variants) {
        let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
        let type_name = &def.name;
        let values: Vec<&str> = variants.iter().filter_map(|v| v.value.as_str()).collect();
        return quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord #default_derive, Serialize)]
            #[serde(crate = #SERDE_CRATE)]
            pub enum #name { #(#decls)* }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    __p::read_unit_enum(d, #type_name, &[#(#values),*], Self::ALL)
                }
            }

            impl #name {
                /// Every value, in the contract's order.
                pub const ALL: &'static [Self] = &[#(Self::#names),*];

                /// The wire value.
                pub const fn as_str(&self) -> &'static str {
                    match self { #(Self::#names => #values,)* }
                }
            }

            impl ::core::fmt::Display for #name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::core::str::FromStr for #name {
                type Err = __rt::UnknownValue;

                fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                    match s {
                        #(#values => ::core::result::Result::Ok(Self::#names),)*
                        _ => ::core::result::Result::Err(__rt::UnknownValue {
                            value: s.to_owned(),
                            expected: &[#(#values),*],
                        }),
                    }
                }
            }
        };
    }
    let ser_arms = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let body = match &v.value {
            Value::String(s) => quote!(serializer.serialize_str(#s)),
            Value::Bool(b) => quote!(serializer.serialize_bool(#b)),
            Value::Null => quote!(serializer.serialize_unit()),
            Value::Number(n) => match n.as_i64() {
                Some(i) => quote!(serializer.serialize_i64(#i)),
                None => {
                    let f = n.as_f64().unwrap_or(0.0);
                    quote!(serializer.serialize_f64(#f))
                }
            },
            _ => quote!(serializer.serialize_unit()),
        };
        quote!(Self::#vname => #body,)
    });
    let de_checks = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let test = match &v.value {
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(0.0);
                quote!(__p::is_number(&value, #f))
            }
            Value::String(s) => quote!(value == #s),
            Value::Bool(b) => quote!(value == #b),
            _ => quote!(value.is_null()),
        };
        quote!(if #test { return ::core::result::Result::Ok(Self::#vname); })
    });
    let expected: Vec<String> = variants.iter().map(|v| v.value.to_string()).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash #default_derive)]
        pub enum #name { #(#decls)* }
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #(#ser_arms)* }
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = __p::read_value(deserializer)?;
                #(#de_checks)*
                ::core::result::Result::Err(__p::unknown_value(&value, &[#(#expected),*]))
            }
        }
    }
}

fn tag_literal(v: &Value) -> TokenStream {
    match v {
        Value::Bool(b) => quote!(#b),
        Value::String(s) => quote!(#s),
        _ => quote!(()),
    }
}

fn tagged(def: &TypeDef, t: &TaggedDef, eq: &TokenStream) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    let tag = &t.tag;
    let decls = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdoc = doc_attrs(&format!(
            "`{}` is `{}`.",
            tag.replace('`', "'"),
            v.tag_value.to_string().replace('`', "'")
        ));
        match &v.payload {
            Some(p) => {
                let p = ty(&Ty::Named(p.clone()));
                quote! { #vdoc #vname(#p), }
            }
            None => quote! { #vdoc #vname, },
        }
    });
    let ser_arms = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let value = tag_literal(&v.tag_value);
        match &v.payload {
            Some(_) => quote!(Self::#vname(payload) => __p::serialize_tagged(serializer, #tag, &#value, payload),),
            None => quote!(Self::#vname => __p::serialize_tag_only(serializer, #tag, &#value),),
        }
    });
    let de_checks = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let value = tag_literal(&v.tag_value);
        match &v.payload {
            Some(_) => quote! {
                if tag == #value {
                    return __p::decode(&rest).map(Self::#vname);
                }
            },
            None if v.drops_unknown => quote! {
                if tag == #value {
                    return ::core::result::Result::Ok(Self::#vname);
                }
            },
            None => quote! {
                if tag == #value {
                    return __p::no_other_keys(&rest).map(|()| Self::#vname);
                }
            },
        }
    });
    let expected: Vec<String> = t.variants.iter().map(|v| v.tag_value.to_string()).collect();
    let expected_what = format!("an object ({})", def.name);
    // The other keys matter to a payload, or to a bare variant that refuses them.
    let rest = if t
        .variants
        .iter()
        .any(|v| v.payload.is_some() || !v.drops_unknown)
    {
        quote!(rest)
    } else {
        quote!(_)
    };
    let large = (t.variants.len() > 1).then(|| quote!(#[allow(clippy::large_enum_variant)]));
    // A payload that several variants share (identical shapes merge) cannot say which it is.
    let froms = t.variants.iter().filter_map(|v| {
        let payload = v.payload.as_ref()?;
        let shared = t
            .variants
            .iter()
            .filter(|w| w.payload.as_ref() == Some(payload));
        if shared.count() > 1 {
            return None;
        }
        let payload = ty(&Ty::Named(payload.clone()));
        Some(from_impl(&name, &quote!(#payload), &ident(&v.name)))
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #eq)]
        #large
        pub enum #name { #(#decls)* }
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #(#ser_arms)* }
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let (tag, #rest) = __p::split_tag(deserializer, #tag, #expected_what)?;
                #(#de_checks)*
                ::core::result::Result::Err(__p::unknown_tag(#tag, &tag, &[#(#expected),*]))
            }
        }
        #(#froms)*
    }
}

/// `impl From<payload> for the union`, so a variant can be built with `.into()`.
fn from_impl(
    union: &proc_macro2::Ident,
    payload: &TokenStream,
    variant: &proc_macro2::Ident,
) -> TokenStream {
    let doc = format!(" Wraps the payload as `{union}::{variant}`.");
    quote! {
        impl ::core::convert::From<#payload> for #union {
            #[doc = #doc]
            fn from(payload: #payload) -> Self {
                Self::#variant(payload)
            }
        }
    }
}

fn untagged(
    def: &TypeDef,
    variants: &[UntaggedVariant],
    checks: &Checks<'_>,
    eq: &TokenStream,
) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    let union_name = &def.name;
    let decls = variants.iter().map(|v| {
        let (vname, vty) = (ident(&v.name), ty(&v.ty));
        let vdoc = format!(" The `{}` branch.", v.name);
        quote! { #[doc = #vdoc] #vname(#vty), }
    });
    let attempts = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let label = &v.name;
        let check = checks.closure(&v.ty);
        quote! {
            if let ::core::option::Option::Some(v) = errors.attempt(#label, &value, #check) {
                return ::core::result::Result::Ok(Self::#vname(v));
            }
        }
    });
    // A type that two branches share cannot say which branch it is.
    let froms = variants
        .iter()
        .filter(|v| {
            let rust = v.ty.rust();
            rust != Ty::Never && variants.iter().filter(|w| w.ty.rust() == rust).count() == 1
        })
        .map(|v| from_impl(&name, &ty(&v.ty), &ident(&v.name)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #eq, Serialize)]
        #[serde(crate = #SERDE_CRATE, untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#decls)* }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = __p::read_value(deserializer)?;
                let mut errors = __p::BranchErrors::new(#union_name);
                #(#attempts)*
                ::core::result::Result::Err(errors.into_error())
            }
        }
        #(#froms)*
    }
}

fn tuple_rest(def: &TypeDef, items: &[Ty], rest: &Ty, eq: &TokenStream) -> TokenStream {
    let doc = item_attrs(def);
    let name = ident(&def.name);
    let item_tys = items.iter().map(ty);
    let rest_ty = ty(rest);
    let n = items.len();
    let indices = (0..n).map(syn::Index::from);
    let decode = (0..n).map(|i| quote!(__p::decode_at(&items, #i)?));
    let rest_index = syn::Index::from(n);
    let expected = format!("an array of at least {n} items ({})", def.name);
    let item_docs = (0..n).map(|i| format!(" Item {i}."));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #eq)]
        pub struct #name(#(#[doc = #item_docs] pub #item_tys,)* #[doc = " The items after the fixed ones."] pub ::std::vec::Vec<#rest_ty>);
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use __rt::serde::ser::SerializeSeq;
                let mut seq = serializer.serialize_seq(::core::option::Option::Some(#n + self.#rest_index.len()))?;
                #( seq.serialize_element(&self.#indices)?; )*
                for item in &self.#rest_index { seq.serialize_element(item)?; }
                seq.end()
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let items = __p::read_array(deserializer, #n, #expected)?;
                ::core::result::Result::Ok(Self(#(#decode,)* __p::decode_rest(&items, #n)?))
            }
        }
    }
}
