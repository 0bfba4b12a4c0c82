//! Type definitions → tokens: structs, enums, tagged and untagged unions, aliases, tuples with
//! trailing items. serde's derives are used where they are exact; where they are not (numeric
//! enums, unions, objects with additional properties) the impls are spelled out as calls into
//! `clamator_protocol::__private`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::docs::doc_attrs;
use super::tokens::{ident, json_value, number_literal, ty};
use crate::ir::{
    Body, EnumVariant, Field, Presence, StructDef, TaggedDef, Ty, TypeDef, UntaggedVariant,
};

/// The error of an unsupported default: its JSON and the Rust type it should fill.
#[derive(Debug)]
pub struct DefaultError {
    /// The type definition holding the field.
    pub type_name: String,
    /// The field's wire name.
    pub field: String,
    /// Why.
    pub message: String,
}

const SERDE_CRATE: &str = "::clamator_protocol::serde";
const PRIVATE: &str = "::clamator_protocol::__private";

fn private_fn(name: &str) -> String {
    format!("{PRIVATE}::{name}")
}

/// Tokens of one type definition, with whatever impls and default functions it needs.
pub fn type_def(def: &TypeDef, all: &[TypeDef]) -> Result<TokenStream, DefaultError> {
    let doc = doc_attrs(&def.doc);
    let name = ident(&def.name);
    Ok(match &def.body {
        Body::Alias(target) => {
            let target = ty(target);
            quote! { #doc pub type #name = #target; }
        }
        Body::Struct(s) => structure(def, s, all)?,
        Body::Enum(variants) => enumeration(def, variants),
        Body::Tagged(t) => tagged(def, t),
        Body::Untagged(variants) => untagged(def, variants),
        Body::TupleRest { items, rest } => tuple_rest(def, items, rest),
    })
}

fn structure(def: &TypeDef, s: &StructDef, all: &[TypeDef]) -> Result<TokenStream, DefaultError> {
    let doc = doc_attrs(&def.doc);
    let name = ident(&def.name);
    let mut defaults = Vec::new();
    for f in &s.fields {
        if let Presence::Default { value, default_fn } = &f.presence {
            let body = literal(&f.declared_ty(), value, all).map_err(|message| DefaultError {
                type_name: def.name.clone(),
                field: f.wire.clone(),
                message,
            })?;
            let (fn_name, ret) = (ident(default_fn), ty(&f.declared_ty()));
            let fn_doc = format!(
                " The default of `{}.{}`.",
                def.name,
                f.name.trim_start_matches("r#")
            );
            defaults.push(quote! { #[doc = #fn_doc] fn #fn_name() -> #ret { #body } });
        }
    }
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| field_decl(f, s.additional.is_none()))
        .collect();
    let Some(additional) = &s.additional else {
        return Ok(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(crate = #SERDE_CRATE, deny_unknown_fields)]
            pub struct #name { #(#fields)* }
            #(#defaults)*
        });
    };
    // Unknown keys are kept: serde's `flatten` serialises them exactly, but deserialising
    // through it would lose the strict decoding of the known fields, so that side is explicit.
    let extra = ident(&s.additional_field);
    let extra_ty = ty(&Ty::Map(Box::new(Ty::String), Box::new(additional.clone())));
    let takes = s.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.name), &f.wire);
        let take = match &f.presence {
            Presence::Required => {
                quote!(::clamator_protocol::__private::take_required(&mut map, #wire)?)
            }
            // A present null must stay apart from absent: `Some(None)` / `Some(Value::Null)`.
            Presence::Optional if f.nullable || f.ty == Ty::Json => {
                quote!(::clamator_protocol::__private::take_some(&mut map, #wire)?)
            }
            Presence::Optional => {
                quote!(::clamator_protocol::__private::take_optional(&mut map, #wire)?)
            }
            Presence::Default { default_fn, .. } => {
                let d = ident(default_fn);
                quote!(::clamator_protocol::__private::take_default(&mut map, #wire, #d)?)
            }
        };
        quote!(#fname: #take,)
    });
    let set_checks = s.fields.iter().filter(|f| f.unique).map(|f| {
        let wire = &f.wire;
        quote!(::clamator_protocol::__private::check_unique(&map, #wire)?;)
    });
    let expected = format!("an object ({})", def.name);
    let extra_doc = " Properties beyond the declared ones, kept as they came.";
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(crate = #SERDE_CRATE)]
        pub struct #name {
            #(#fields)*
            #[doc = #extra_doc]
            #[serde(flatten)]
            pub #extra: #extra_ty,
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let mut map = ::clamator_protocol::__private::read_object(deserializer, #expected)?;
                #(#set_checks)*
                ::core::result::Result::Ok(Self {
                    #(#takes)*
                    #extra: ::clamator_protocol::__private::take_rest(map)?,
                })
            }
        }
        #(#defaults)*
    })
}

fn field_decl(f: &Field, derived_de: bool) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let name = ident(&f.name);
    let declared = ty(&f.declared_ty());
    let mut attrs: Vec<TokenStream> = Vec::new();
    if f.name.trim_start_matches("r#") != f.wire {
        let wire = &f.wire;
        attrs.push(quote!(rename = #wire));
    }
    let skip_none = quote!(skip_serializing_if = "::core::option::Option::is_none");
    match &f.presence {
        Presence::Required if f.nullable && derived_de => {
            let with = private_fn("required");
            attrs.push(quote!(deserialize_with = #with));
        }
        Presence::Required if f.unique && derived_de => {
            let with = private_fn("unique_items");
            attrs.push(quote!(deserialize_with = #with));
        }
        Presence::Required => {}
        Presence::Optional => {
            attrs.push(quote!(default));
            attrs.push(skip_none);
            if derived_de {
                // A present null must stay apart from absent: `Some(None)` / `Some(Value::Null)`.
                let helper = if f.nullable || f.ty == Ty::Json {
                    Some("some")
                } else if f.unique {
                    Some("unique_items_optional")
                } else {
                    None
                };
                if let Some(helper) = helper {
                    let with = private_fn(helper);
                    attrs.push(quote!(deserialize_with = #with));
                }
            }
        }
        Presence::Default { default_fn, .. } => {
            let d = default_fn.clone();
            attrs.push(quote!(default = #d));
        }
    }
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! { #doc #serde pub #name: #declared, }
}

/// A Rust expression for a default value of type `t`.
fn literal(t: &Ty, value: &Value, all: &[TypeDef]) -> Result<TokenStream, String> {
    Ok(match (t, value) {
        (Ty::Option(_), Value::Null) => quote!(::core::option::Option::None),
        (Ty::Option(inner), v) => {
            let inner = literal(inner, v, all)?;
            quote!(::core::option::Option::Some(#inner))
        }
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
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
            let items = items
                .iter()
                .map(|i| literal(inner, i, all))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(::std::vec![#(#items),*])
        }
        (Ty::Named(name), v) => {
            let def = all.iter().find(|d| &d.name == name).ok_or("unknown type")?;
            match &def.body {
                Body::Enum(variants) => {
                    let variant = variants
                        .iter()
                        .find(|var| json_eq(&var.value, v))
                        .ok_or_else(|| format!("{v} is not one of the enum's values"))?;
                    let (ty_name, var_name) = (ident(name), ident(&variant.name));
                    quote!(#ty_name::#var_name)
                }
                Body::Alias(target) => literal(target, v, all)?,
                _ => decoded_default(t, v, all)?,
            }
        }
        (Ty::Tuple(_) | Ty::Map(..), v) => decoded_default(t, v, all)?,
        (t, v) => return Err(format!("default {v} does not fit the field's type ({t:?})")),
    })
}

/// A default of object, union, tuple or record type: checked against the type now, decoded from
/// its JSON text when used (which applies the inner defaults, as Zod does).
fn decoded_default(t: &Ty, v: &Value, all: &[TypeDef]) -> Result<TokenStream, String> {
    fits(t, v, all).map_err(|why| format!("default {v} does not fit its schema: {why}"))?;
    let text = v.to_string();
    Ok(quote!(::clamator_protocol::__private::default_from_json(#text)))
}

/// Whether `v` decodes as `t` (what the strict decoder accepts), and if not, why.
fn fits(t: &Ty, v: &Value, all: &[TypeDef]) -> Result<(), String> {
    let expect = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("{v} is not {what}"))
        }
    };
    match t {
        Ty::Bool => expect(v.is_boolean(), "a boolean"),
        Ty::I64 => expect(
            v.as_i64().is_some()
                || v.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18),
            "an integer",
        ),
        Ty::F64 => expect(v.is_number(), "a number"),
        Ty::String => expect(v.is_string(), "a string"),
        Ty::Unit => expect(v.is_null(), "null"),
        Ty::Json => Ok(()),
        Ty::Never => Err(format!("{v}: no value fits here")),
        Ty::Option(inner) => match v {
            Value::Null => Ok(()),
            v => fits(inner, v, all),
        },
        Ty::Vec(inner) => match v {
            Value::Array(items) => items.iter().try_for_each(|i| fits(inner, i, all)),
            _ => expect(false, "an array"),
        },
        Ty::Tuple(items) => match v {
            Value::Array(vs) if vs.len() == items.len() => {
                items.iter().zip(vs).try_for_each(|(t, v)| fits(t, v, all))
            }
            _ => expect(false, &format!("an array of {} items", items.len())),
        },
        Ty::Map(key, value) => match v {
            Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                fits(key, &Value::String(k.clone()), all)?;
                fits(value, v, all)
            }),
            _ => expect(false, "an object"),
        },
        Ty::Named(name) => {
            let def = all
                .iter()
                .find(|d| &d.name == name)
                .ok_or_else(|| format!("unknown type {name}"))?;
            fits_def(def, v, all)
        }
    }
}

fn fits_def(def: &TypeDef, v: &Value, all: &[TypeDef]) -> Result<(), String> {
    match &def.body {
        Body::Alias(t) => fits(t, v, all),
        Body::Enum(variants) => {
            if variants.iter().any(|var| json_eq(&var.value, v)) {
                Ok(())
            } else {
                Err(format!("{v} is not one of the values of {}", def.name))
            }
        }
        Body::Struct(s) => fits_struct(s, v, all, None),
        Body::Tagged(t) => {
            let Value::Object(map) = v else {
                return Err(format!("{v} is not an object"));
            };
            let tag = map
                .get(&t.tag)
                .ok_or_else(|| format!("{v} has no \"{}\"", t.tag))?;
            let variant = t
                .variants
                .iter()
                .find(|var| json_eq(&var.tag_value, tag))
                .ok_or_else(|| format!("\"{}\": {tag} names no variant", t.tag))?;
            match &variant.payload {
                Some(payload) => {
                    let def = all
                        .iter()
                        .find(|d| &d.name == payload)
                        .ok_or_else(|| format!("unknown type {payload}"))?;
                    match &def.body {
                        Body::Struct(s) => fits_struct(s, v, all, Some(&t.tag)),
                        _ => fits_def(def, v, all),
                    }
                }
                None if map.len() == 1 => Ok(()),
                None => Err(format!("{v} has keys beside \"{}\"", t.tag)),
            }
        }
        Body::Untagged(variants) => {
            let mut why = Vec::new();
            for variant in variants {
                match fits(&variant.ty, v, all) {
                    Ok(()) => return Ok(()),
                    Err(e) => why.push(e),
                }
            }
            Err(format!("{v} fits no branch ({})", why.join("; ")))
        }
        Body::TupleRest { items, rest } => match v {
            Value::Array(vs) if vs.len() >= items.len() => {
                items
                    .iter()
                    .zip(vs)
                    .try_for_each(|(t, v)| fits(t, v, all))?;
                vs[items.len()..]
                    .iter()
                    .try_for_each(|v| fits(rest, v, all))
            }
            _ => Err(format!(
                "{v} is not an array of at least {} items",
                items.len()
            )),
        },
    }
}

/// An object against a struct; `skip` is a tagged union's tag, checked by the caller.
fn fits_struct(
    s: &StructDef,
    v: &Value,
    all: &[TypeDef],
    skip: Option<&str>,
) -> Result<(), String> {
    let Value::Object(map) = v else {
        return Err(format!("{v} is not an object"));
    };
    for field in &s.fields {
        match map.get(&field.wire) {
            Some(Value::Null) if field.nullable || field.presence == Presence::Optional => {}
            Some(value) => {
                fits(&field.ty, value, all).map_err(|e| format!("\"{}\": {e}", field.wire))?
            }
            None if field.presence == Presence::Required => {
                return Err(format!("{v} lacks \"{}\"", field.wire));
            }
            None => {}
        }
    }
    for (key, value) in map {
        if Some(key.as_str()) == skip || s.fields.iter().any(|f| &f.wire == key) {
            continue;
        }
        match &s.additional {
            Some(t) => fits(t, value, all).map_err(|e| format!("\"{key}\": {e}"))?,
            None => return Err(format!("\"{key}\" is not a property of it")),
        }
    }
    Ok(())
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn all_strings(variants: &[EnumVariant]) -> bool {
    variants.iter().all(|v| v.value.is_string())
}

fn enumeration(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let doc = doc_attrs(&def.doc);
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
        let values: Vec<&str> = variants.iter().filter_map(|v| v.value.as_str()).collect();
        return quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord #default_derive, Serialize, Deserialize)]
            #[serde(crate = #SERDE_CRATE)]
            pub enum #name { #(#decls)* }

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
                type Err = ::clamator_protocol::UnknownValue;

                fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                    match s {
                        #(#values => ::core::result::Result::Ok(Self::#names),)*
                        _ => ::core::result::Result::Err(::clamator_protocol::UnknownValue {
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
                quote!(::clamator_protocol::__private::is_number(&value, #f))
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
                let value = ::clamator_protocol::__private::read_value(deserializer)?;
                #(#de_checks)*
                ::core::result::Result::Err(::clamator_protocol::__private::unknown_value(&value, &[#(#expected),*]))
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

fn tagged(def: &TypeDef, t: &TaggedDef) -> TokenStream {
    let doc = doc_attrs(&def.doc);
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
                let p = ident(p);
                quote! { #vdoc #vname(#p), }
            }
            None => quote! { #vdoc #vname, },
        }
    });
    let ser_arms = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let value = tag_literal(&v.tag_value);
        match &v.payload {
            Some(_) => quote!(Self::#vname(payload) => ::clamator_protocol::__private::serialize_tagged(serializer, #tag, &#value, payload),),
            None => quote!(Self::#vname => ::clamator_protocol::__private::serialize_tag_only(serializer, #tag, &#value),),
        }
    });
    let de_checks = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let value = tag_literal(&v.tag_value);
        match &v.payload {
            Some(_) => quote! {
                if tag == #value {
                    return ::clamator_protocol::__private::decode(&rest).map(Self::#vname);
                }
            },
            None => quote! {
                if tag == #value {
                    return ::clamator_protocol::__private::no_other_keys(&rest).map(|()| Self::#vname);
                }
            },
        }
    });
    let expected: Vec<String> = t.variants.iter().map(|v| v.tag_value.to_string()).collect();
    let expected_what = format!("an object ({})", def.name);
    let large = (t.variants.len() > 1).then(|| quote!(#[allow(clippy::large_enum_variant)]));
    let froms = t.variants.iter().filter_map(|v| {
        let payload = ident(v.payload.as_ref()?);
        let vname = ident(&v.name);
        Some(from_impl(&name, &quote!(#payload), &vname))
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #large
        pub enum #name { #(#decls)* }
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #(#ser_arms)* }
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let (tag, rest) = ::clamator_protocol::__private::split_tag(deserializer, #tag, #expected_what)?;
                #(#de_checks)*
                ::core::result::Result::Err(::clamator_protocol::__private::unknown_tag(#tag, &tag, &[#(#expected),*]))
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

fn untagged(def: &TypeDef, variants: &[UntaggedVariant]) -> TokenStream {
    let doc = doc_attrs(&def.doc);
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
        quote! {
            if let ::core::option::Option::Some(v) = errors.attempt(#label, &value) {
                return ::core::result::Result::Ok(Self::#vname(v));
            }
        }
    });
    // A type that two branches share cannot say which branch it is.
    let froms = variants
        .iter()
        .filter(|v| v.ty != Ty::Never && variants.iter().filter(|w| w.ty == v.ty).count() == 1)
        .map(|v| from_impl(&name, &ty(&v.ty), &ident(&v.name)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(crate = #SERDE_CRATE, untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#decls)* }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = ::clamator_protocol::__private::read_value(deserializer)?;
                let mut errors = ::clamator_protocol::__private::BranchErrors::new(#union_name);
                #(#attempts)*
                ::core::result::Result::Err(errors.into_error())
            }
        }
        #(#froms)*
    }
}

fn tuple_rest(def: &TypeDef, items: &[Ty], rest: &Ty) -> TokenStream {
    let doc = doc_attrs(&def.doc);
    let name = ident(&def.name);
    let item_tys = items.iter().map(ty);
    let rest_ty = ty(rest);
    let n = items.len();
    let indices = (0..n).map(syn::Index::from);
    let decode = (0..n).map(|i| quote!(::clamator_protocol::__private::decode_at(&items, #i)?));
    let rest_index = syn::Index::from(n);
    let expected = format!("an array of at least {n} items ({})", def.name);
    let item_docs = (0..n).map(|i| format!(" Item {i}."));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#(#[doc = #item_docs] pub #item_tys,)* #[doc = " The items after the fixed ones."] pub ::std::vec::Vec<#rest_ty>);
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use ::clamator_protocol::serde::ser::SerializeSeq;
                let mut seq = serializer.serialize_seq(::core::option::Option::Some(#n + self.#rest_index.len()))?;
                #( seq.serialize_element(&self.#indices)?; )*
                for item in &self.#rest_index { seq.serialize_element(item)?; }
                seq.end()
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let items = ::clamator_protocol::__private::read_array(deserializer, #n, #expected)?;
                ::core::result::Result::Ok(Self(#(#decode,)* ::clamator_protocol::__private::decode_rest(&items, #n)?))
            }
        }
    }
}
