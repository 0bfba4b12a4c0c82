//! Which generated types can derive `Eq` and `Hash`: those with no float and no schema-less JSON
//! value anywhere inside (`f64` is neither; `serde_json::Value` is not `Hash`).

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Body, Ty, TypeDef};

/// The types of one file that can be `Eq + Hash`.
pub struct Derives<'a> {
    hashable: HashSet<&'a str>,
}

impl<'a> Derives<'a> {
    /// A fixpoint over references between types (schemas are never recursive).
    pub fn new(all: &'a [TypeDef]) -> Self {
        let mut hashable: HashSet<&str> = HashSet::new();
        loop {
            let before = hashable.len();
            for def in all {
                if !hashable.contains(def.name.as_str()) && body_hashable(&def.body, &hashable) {
                    hashable.insert(&def.name);
                }
            }
            if hashable.len() == before {
                break;
            }
        }
        Self { hashable }
    }

    /// `, Eq, Hash` to add to a derive list, or nothing.
    pub fn eq_hash(&self, name: &str) -> TokenStream {
        if self.hashable.contains(name) {
            quote!(, Eq, Hash)
        } else {
            TokenStream::new()
        }
    }
}

fn body_hashable(body: &Body, named: &HashSet<&str>) -> bool {
    match body {
        Body::Struct(s) => {
            s.fields.iter().all(|f| ty_hashable(&f.ty, named))
                && s.additional.as_ref().is_none_or(|t| ty_hashable(t, named))
        }
        Body::Enum(_) => true,
        Body::Tagged(t) => t
            .variants
            .iter()
            .all(|v| v.payload.as_deref().is_none_or(|p| named.contains(p))),
        Body::Untagged(variants) => variants.iter().all(|v| ty_hashable(&v.ty, named)),
        Body::Alias(t) => ty_hashable(t, named),
        Body::TupleRest { items, rest } => {
            items.iter().all(|t| ty_hashable(t, named)) && ty_hashable(rest, named)
        }
    }
}

fn ty_hashable(t: &Ty, named: &HashSet<&str>) -> bool {
    match t {
        Ty::Bool | Ty::I64 | Ty::U64 | Ty::Uuid | Ty::String | Ty::Unit | Ty::Never => true,
        Ty::F64 | Ty::Json => false,
        Ty::Named(n) => named.contains(n.as_str()),
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Checked(inner, _) => ty_hashable(inner, named),
        Ty::Tuple(items) => items.iter().all(|t| ty_hashable(t, named)),
        Ty::Map(k, v) => ty_hashable(k, named) && ty_hashable(v, named),
    }
}
