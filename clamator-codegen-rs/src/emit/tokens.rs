//! Small token helpers shared by the emitters.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::Ty;

/// An identifier, raw when the name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The tokens of a type reference. Every path is absolute, so no generated name can shadow it.
pub fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::Checked(inner, _) => ty(inner),
        Ty::Bool => quote!(bool),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::Uuid => quote!(__rt::Uuid),
        Ty::DateTime => quote!(__rt::DateTime),
        // Checked to parse when the option was read.
        Ty::UserFormat { path, .. } => path.parse().unwrap_or_default(),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(::std::string::String),
        Ty::Json => quote!(__rt::serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Never => quote!(__rt::Never),
        // A user's type replacing a generated one (`crate::model::Item`); checked to parse.
        Ty::Named(n) if n.contains("::") => n.parse().unwrap_or_default(),
        Ty::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Ty::Option(inner) => {
            let inner = ty(inner);
            quote!(::core::option::Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = ty(inner);
            quote!(::std::boxed::Box<#inner>)
        }
        Ty::Vec(inner) => {
            let inner = ty(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(ty);
            quote!((#(#items,)*))
        }
        Ty::Map(k, v) => {
            let (k, v) = (ty(k), ty(v));
            quote!(::std::collections::BTreeMap<#k, #v>)
        }
    }
}

/// A JSON number as a Rust literal of the right kind (`2_i64` style is avoided: plain `2` and
/// `2.5` read better and type inference fixes them).
pub fn number_literal(n: &serde_json::Number, float: bool) -> Literal {
    match (n.as_i64(), float) {
        (Some(i), false) => Literal::i64_unsuffixed(i),
        _ => Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0)),
    }
}

/// A JSON value built at run time, for a schema-less (`{}`) default.
pub fn json_value(v: &Value) -> TokenStream {
    let value = quote!(__rt::serde_json::Value);
    match v {
        Value::Null => quote!(#value::Null),
        Value::Bool(b) => quote!(#value::Bool(#b)),
        Value::Number(n) => {
            let lit = number_literal(n, n.as_i64().is_none());
            quote!(#value::from(#lit))
        }
        Value::String(s) => quote!(#value::from(#s)),
        Value::Array(items) => {
            let items = items.iter().map(json_value);
            quote!(#value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_value(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#value::Object(::core::iter::IntoIterator::into_iter([#(#entries),*]).collect()))
        }
    }
}

/// An `f64` literal in its shortest round-trip spelling (`0.01`, `1e300`, `-5.0`).
pub fn number_literal_f64(f: f64) -> TokenStream {
    let text = ryu::Buffer::new().format_finite(f.abs()).to_owned();
    let lit: Literal = text
        .parse()
        .unwrap_or_else(|_| Literal::f64_unsuffixed(f.abs()));
    if f.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}
