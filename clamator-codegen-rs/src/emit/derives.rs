//! Which generated types can derive `Eq` and `Hash`: those with no float and no schema-less JSON
//! value anywhere inside (`f64` is neither; `serde_json::Value` is not `Hash`).

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Body, Ty, TypeDef, types_always};

/// The types of one file (and those it re-exports) that can be `Eq + Hash`.
pub struct Derives {
    hashable: HashSet<String>,
}

impl Derives {
    /// A greatest fixpoint over references between types: a recursive type is hashable unless
    /// something it holds is not.
    pub fn new(all: &[&TypeDef]) -> Self {
        Self {
            hashable: types_always(all, |body, kept| {
                body_hashable(body, &|n: &str| kept.contains(n))
            }),
        }
    }

    /// Whether values of `t` are `Eq + Hash`.
    pub fn hashable(&self, t: &Ty) -> bool {
        ty_hashable(t, &|n: &str| self.hashable.contains(n))
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

fn body_hashable(body: &Body, named: &dyn Fn(&str) -> bool) -> bool {
    body.tys().into_iter().all(|t| ty_hashable(t, named)) && body.payloads().into_iter().all(named)
}

fn ty_hashable(t: &Ty, named: &dyn Fn(&str) -> bool) -> bool {
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
        Ty::Named(n) => named(n),
        Ty::Option(_) | Ty::Vec(_) | Ty::Box(_) | Ty::Checked(..) | Ty::Tuple(_) | Ty::Map(..) => {
            t.children().into_iter().all(|t| ty_hashable(t, named))
        }
    }
}
