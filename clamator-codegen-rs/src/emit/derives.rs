//! Which generated types can derive `Eq` and `Hash`: those with no float and no schema-less JSON
//! value anywhere inside (`f64` is neither; `serde_json::Value` is not `Hash`).

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Body, Ty, TypeDef, types_where};

/// The types of one file that can be `Eq + Hash`.
pub struct Derives<'a> {
    hashable: HashSet<&'a str>,
}

impl<'a> Derives<'a> {
    /// A fixpoint over references between types (schemas are never recursive).
    pub fn new(all: &'a [TypeDef]) -> Self {
        Self {
            hashable: types_where(all, body_hashable),
        }
    }

    /// Whether values of `t` are `Eq + Hash`.
    pub fn hashable(&self, t: &Ty) -> bool {
        ty_hashable(t, &self.hashable)
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
    body.tys().into_iter().all(|t| ty_hashable(t, named))
        && body.payloads().into_iter().all(|p| named.contains(p))
}

fn ty_hashable(t: &Ty, named: &HashSet<&str>) -> bool {
    match t {
        Ty::Bool
        | Ty::I64
        | Ty::U64
        | Ty::Uuid
        | Ty::DateTime
        | Ty::String
        | Ty::Unit
        | Ty::Never => true,
        // The user's type may not implement them.
        Ty::F64 | Ty::Json | Ty::UserFormat { .. } => false,
        Ty::Named(n) => named.contains(n.as_str()),
        Ty::Option(_) | Ty::Vec(_) | Ty::Checked(..) | Ty::Tuple(_) | Ty::Map(..) => {
            t.children().into_iter().all(|t| ty_hashable(t, named))
        }
    }
}
