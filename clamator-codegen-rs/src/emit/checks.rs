//! Value rules → tokens: each type's `Validate` impl and the check of each method's params and
//! result. Rules travel in the IR as [`Ty::Checked`]; here they become `static` rule tables (a
//! pattern is compiled once per process) handed to `clamator_protocol::validation::check_*`, and
//! containers loop over their items with the path extended by the index or key. Types with no
//! rules anywhere inside get an empty impl from one `__no_value_rules!` line, and nothing calls
//! it. Generated files name the runtime's validation module `__v`.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::derives::Derives;
use super::tokens::{ident, number_literal_f64, ty};
use crate::ir::{Body, Rules, Ty, TypeDef, types_where};

/// The types of one file, and which of them have rules somewhere inside.
pub struct Checks<'a> {
    local: &'a [TypeDef],
    by_name: HashMap<&'a str, &'a TypeDef>,
    with_rules: HashSet<String>,
    derives: Derives,
}

impl<'a> Checks<'a> {
    /// Works out which types have rules (a fixpoint over references between them), for the
    /// types `local` to the file, which may name `external` ones (the shared module's).
    pub fn new(local: &'a [TypeDef], external: &'a [TypeDef]) -> Self {
        let all: Vec<&TypeDef> = local.iter().chain(external).collect();
        Self {
            local,
            by_name: all.iter().map(|d| (d.name.as_str(), *d)).collect(),
            with_rules: types_where(&all, body_has_rules),
            derives: Derives::new(&all),
        }
    }

    /// Which of the types are `Eq + Hash`.
    pub fn derives(&self) -> &Derives {
        &self.derives
    }

    /// One `__no_value_rules!(…)` for every type without rules (their `validate_at` does
    /// nothing), or nothing when every type has some.
    pub fn empty_impls(&self) -> TokenStream {
        let names: Vec<Ident> = self
            .local
            .iter()
            .filter(|d| !matches!(d.body, Body::Alias(_)))
            .filter(|d| !self.with_rules.contains(d.name.as_str()))
            .map(|d| ident(&d.name))
            .collect();
        if names.is_empty() {
            return TokenStream::new();
        }
        quote!(__rt::__no_value_rules!(#(#names),*);)
    }

    /// `impl Validate for <def>` when the type has rules somewhere inside.
    pub fn validate_impl(&self, def: &TypeDef) -> Option<TokenStream> {
        if !self.with_rules.contains(def.name.as_str()) {
            return None;
        }
        let name = ident(&def.name);
        let body = match &def.body {
            Body::Alias(_) | Body::Enum(_) => return None,
            Body::Struct(s) => {
                let mut parts: Vec<TokenStream> = Vec::new();
                for f in &s.fields {
                    let field = ident(&f.name);
                    let wire = &f.wire;
                    parts.extend(self.check(
                        &f.declared_ty(),
                        quote!(&self.#field),
                        quote!(&at.key(#wire)),
                        0,
                    ));
                }
                if let Some(additional) = &s.additional {
                    let extra = ident(&s.additional_field);
                    let map = Ty::Map(Box::new(Ty::String), Box::new(additional.clone()));
                    parts.extend(self.check(&map, quote!(&self.#extra), quote!(at), 0));
                }
                quote!(#(#parts)*)
            }
            Body::Tagged(t) => {
                let arms = t.variants.iter().map(|v| {
                    let vname = ident(&v.name);
                    match &v.payload {
                        Some(p) if self.with_rules.contains(p.as_str()) => quote! {
                            Self::#vname(payload) => __v::Validate::validate_at(payload, at, out),
                        },
                        Some(_) => quote!(Self::#vname(_) => {}),
                        None => quote!(Self::#vname => {}),
                    }
                });
                quote!(match self { #(#arms)* })
            }
            Body::Untagged(variants) => {
                let arms = variants.iter().map(|v| {
                    let vname = ident(&v.name);
                    match self.check(&v.ty, quote!(value), quote!(at), 0) {
                        Some(c) => quote!(Self::#vname(value) => { #c }),
                        None => quote!(Self::#vname(_) => {}),
                    }
                });
                quote!(match self { #(#arms)* })
            }
            Body::TupleRest { items, rest } => {
                let mut parts: Vec<TokenStream> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let index = syn::Index::from(i);
                    parts.extend(self.check(item, quote!(&self.#index), quote!(&at.index(#i)), 0));
                }
                let n = items.len();
                let rest_index = syn::Index::from(n);
                parts.extend(self.item_loop(rest, quote!(&self.#rest_index), quote!(at), n, 0));
                quote!(#(#parts)*)
            }
        };
        Some(quote! {
            impl __v::Validate for #name {
                fn validate_at(&self, at: &__v::Path<'_>, out: &mut __v::Violations) { #body }
            }
        })
    }

    /// Whether a method's params or result is a generated type with a `Validate` impl (an
    /// alias is not: its checks are passed explicitly, see [`Checks::root_check`]).
    pub fn root_validates_itself(&self, t: &Ty) -> bool {
        matches!(t, Ty::Named(n) if self.def(n).is_some_and(|d| !matches!(d.body, Body::Alias(_))))
    }

    /// The check of a method's params or result, as a `Check<T>` (`fn(&T, &Path, &mut
    /// Violations)`): the type's own `validate_at`, or a closure for rules of the root itself.
    pub fn root_check(&self, t: &Ty) -> TokenStream {
        if let Ty::Named(n) = t {
            if let Some(def) = self.def(n).filter(|d| !matches!(d.body, Body::Alias(_))) {
                let name = ident(&def.name);
                return quote!(<#name as __v::Validate>::validate_at);
            }
        }
        self.closure(t)
    }

    /// A `Check<T>` closure for a value of type `t` (the checks of a union branch or of a
    /// root alias), its parameter types spelled out for inference.
    pub fn closure(&self, t: &Ty) -> TokenStream {
        let rust = ty(t);
        match self.check(t, quote!(value), quote!(at), 0) {
            Some(c) => quote! {
                |value: &#rust, at: &__v::Path<'_>, out: &mut __v::Violations| { #c }
            },
            None => quote!(|_: &#rust, _: &__v::Path<'_>, _: &mut __v::Violations| {}),
        }
    }

    fn def(&self, name: &str) -> Option<&'a TypeDef> {
        self.by_name.get(name).copied()
    }

    /// Statements checking `value` (an expression of type `&T`, `T` the Rust type of `t`) at
    /// `at` (an expression of type `&Path`); `None` when nothing can fail. Loops bind their
    /// parent path first, so that a child path never outlives a temporary.
    fn check(
        &self,
        t: &Ty,
        value: TokenStream,
        at: TokenStream,
        depth: usize,
    ) -> Option<TokenStream> {
        match t {
            Ty::Checked(inner, rules) => {
                let own = self.rules(inner, rules, &value, &at);
                let nested = self.check(inner, value, at, depth);
                match (own, nested) {
                    (None, None) => None,
                    (a, b) => Some(quote!(#a #b)),
                }
            }
            Ty::Named(n) => {
                let def = self.def(n)?;
                match &def.body {
                    Body::Alias(target) => self.check(target, value, at, depth),
                    _ if self.with_rules.contains(n.as_str()) => {
                        Some(quote!(__v::Validate::validate_at(#value, #at, out);))
                    }
                    _ => None,
                }
            }
            Ty::Option(_) => {
                // An optional nullable field is `Option<Option<T>>`: one pattern binds through
                // every layer, as clippy's `collapsible_match` refuses nested `if let`s.
                let (mut inner, mut layers) = (t, 0);
                while let Ty::Option(next) = inner {
                    (inner, layers) = (next, layers + 1);
                }
                let v = var("v", depth);
                let c = self.check(inner, quote!(#v), at, depth + 1)?;
                let pattern =
                    (0..layers).fold(quote!(#v), |p, _| quote!(::core::option::Option::Some(#p)));
                Some(quote!(if let #pattern = #value { #c }))
            }
            Ty::Vec(inner) => self.item_loop(inner, value, at, 0, depth),
            Ty::Box(inner) => self.check(inner, quote!(&**#value), at, depth),
            Ty::Tuple(items) => {
                let tuple = var("tuple", depth);
                let parts: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        let index = syn::Index::from(i);
                        self.check(
                            item,
                            quote!(&#tuple.#index),
                            quote!(&at.index(#i)),
                            depth + 1,
                        )
                    })
                    .collect();
                let bind = bind_at(&at);
                (!parts.is_empty()).then(|| quote!({ #bind let #tuple = #value; #(#parts)* }))
            }
            Ty::Map(_, inner) => {
                let (k, v) = (var("key", depth), var("v", depth));
                let c = self.check(inner, quote!(#v), quote!(&at.key(#k.as_str())), depth + 1)?;
                let bind = bind_at(&at);
                Some(quote! {{
                    #bind
                    for (#k, #v) in #value { #c }
                }})
            }
            _ => None,
        }
    }

    /// A loop checking each item of `items` (a `&Vec`), whose indexes start at `start`.
    fn item_loop(
        &self,
        item: &Ty,
        items: TokenStream,
        at: TokenStream,
        start: usize,
        depth: usize,
    ) -> Option<TokenStream> {
        let (i, v) = (var("i", depth), var("item", depth));
        let index = if start == 0 {
            quote!(#i)
        } else {
            quote!(#start + #i)
        };
        let c = self.check(item, quote!(#v), quote!(&at.index(#index)), depth + 1)?;
        let bind = bind_at(&at);
        Some(quote! {{
            #bind
            for (#i, #v) in ::core::iter::IntoIterator::into_iter(#items).enumerate() { #c }
        }})
    }

    /// The rules of one value of type `inner`: a call with its rule table built just before
    /// (`const` setters; a line of its own keeps the call on one line), patterns in `static`s
    /// so each compiles once.
    fn rules(
        &self,
        inner: &Ty,
        rules: &Rules,
        value: &TokenStream,
        at: &TokenStream,
    ) -> Option<TokenStream> {
        match inner.peeled() {
            Ty::String if rules.has_string_rules() => {
                let (statics, table) = string_rules(rules);
                Some(if statics.is_empty() {
                    quote!(let rules = #table; __v::check_string(#value, &rules, #at, out);)
                } else {
                    // A table that holds patterns refers to their statics: a static itself.
                    quote!({
                        #statics
                        static RULES: __v::StringRules = #table;
                        __v::check_string(#value, &RULES, #at, out);
                    })
                })
            }
            Ty::I64 | Ty::U64 | Ty::F64 if rules.has_number_rules() => {
                let table = number_rules(rules);
                Some(
                    quote!(let rules = #table; __v::check_number(__v::Num::from(#value), &rules, #at, out);),
                )
            }
            Ty::Vec(item) if rules.has_item_rules() => {
                let table = item_rules(rules.min_items, rules.max_items, rules.unique);
                // Uniqueness of hashable items is linear; of others, pairwise.
                let check = if rules.unique && self.derives.hashable(item) {
                    quote!(check_items_hashed)
                } else {
                    quote!(check_items)
                };
                Some(quote!(let rules = #table; __v::#check(#value, &rules, #at, out);))
            }
            Ty::Named(n) if rules.has_item_rules() => {
                // A tuple with trailing items: its whole length counts.
                let def = self.def(n)?;
                let Body::TupleRest { items, .. } = &def.body else {
                    return None;
                };
                let fixed = items.len();
                let rest = syn::Index::from(fixed);
                let table = item_rules(rules.min_items, rules.max_items, false);
                Some(quote! {{
                    let tuple = #value;
                    let rules = #table;
                    __v::check_length(#fixed + tuple.#rest.len(), tuple, &rules, #at, out);
                }})
            }
            Ty::Map(key, _) => {
                let mut parts = Vec::new();
                if rules.min_properties.is_some() || rules.max_properties.is_some() {
                    let table = item_rules(rules.min_properties, rules.max_properties, false);
                    parts.push(
                        quote!(let rules = #table; __v::check_entries(#value, &rules, #at, out);),
                    );
                }
                if let Some(keys) = rules.keys.as_deref().filter(|k| k.has_string_rules()) {
                    if key.rust() == Ty::String {
                        let (statics, table) = string_rules(keys);
                        parts.push(quote!({
                            #statics
                            static RULES: __v::StringRules = #table;
                            __v::check_keys(#value, &RULES, #at, out);
                        }));
                    }
                }
                (!parts.is_empty()).then(|| quote!(#(#parts)*))
            }
            _ => None,
        }
    }
}

/// `let at = <path>;` before a loop, unless the path is `at` already.
fn bind_at(at: &TokenStream) -> TokenStream {
    if at.to_string() == "at" {
        TokenStream::new()
    } else {
        quote!(let at = #at;)
    }
}

fn var(stem: &str, depth: usize) -> Ident {
    format_ident!("{}{}", stem, depth, span = Span::call_site())
}

/// Pattern statics (`P0`, `P1`, …) and the `StringRules` expression using them.
fn string_rules(rules: &Rules) -> (TokenStream, TokenStream) {
    let names: Vec<Ident> = (0..rules.patterns.len())
        .map(|i| format_ident!("P{}", i))
        .collect();
    let sources = &rules.patterns;
    let statics = quote! {
        #(static #names: __v::Pattern = __v::Pattern::new(#sources);)*
    };
    let mut table = quote!(__v::StringRules::NONE);
    if let Some(n) = rules.min_length {
        let n = usize_lit(n);
        table = quote!(#table.min_length(#n));
    }
    if let Some(n) = rules.max_length {
        let n = usize_lit(n);
        table = quote!(#table.max_length(#n));
    }
    if !names.is_empty() {
        table = quote!(#table.patterns(&[#(&#names),*]));
    }
    if !rules.formats.is_empty() {
        let groups = rules.formats.iter().map(|group| {
            let formats = group.iter().filter_map(|f| format_variant(f));
            quote!(&[#(__v::Format::#formats),*])
        });
        table = quote!(#table.formats(&[#(#groups),*]));
    }
    (statics, table)
}

fn usize_lit(n: u64) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The runtime's `Format` variant for a format name (`date-time` → `DateTime`). `normalize`
/// keeps only the formats `clamator-formats` knows, so every name has one; a variant's name is
/// its `Debug` text.
fn format_variant(name: &str) -> Option<Ident> {
    clamator_formats::Format::from_name(name)
        .map(|f| Ident::new(&format!("{f:?}"), Span::call_site()))
}

fn number_rules(rules: &Rules) -> TokenStream {
    let mut table = quote!(__v::NumberRules::NONE);
    for (value, setter) in [
        (rules.minimum, "minimum"),
        (rules.maximum, "maximum"),
        (rules.exclusive_minimum, "exclusive_minimum"),
        (rules.exclusive_maximum, "exclusive_maximum"),
        (rules.multiple_of, "multiple_of"),
    ] {
        if let Some(v) = value {
            let (setter, lit) = (Ident::new(setter, Span::call_site()), number_literal_f64(v));
            table = quote!(#table.#setter(#lit));
        }
    }
    table
}

fn item_rules(min: Option<u64>, max: Option<u64>, unique: bool) -> TokenStream {
    let mut table = quote!(__v::ItemRules::NONE);
    if let Some(n) = min {
        let n = usize_lit(n);
        table = quote!(#table.min_items(#n));
    }
    if let Some(n) = max {
        let n = usize_lit(n);
        table = quote!(#table.max_items(#n));
    }
    if unique {
        table = quote!(#table.unique());
    }
    table
}

fn body_has_rules(body: &Body, named: &HashSet<&str>) -> bool {
    body.tys().into_iter().any(|t| ty_has_rules(t, named))
        || body.payloads().into_iter().any(|p| named.contains(p))
}

fn ty_has_rules(t: &Ty, named: &HashSet<&str>) -> bool {
    match t {
        Ty::Checked(..) => true,
        Ty::Named(n) => named.contains(n.as_str()),
        other => other.children().into_iter().any(|t| ty_has_rules(t, named)),
    }
}
