//! Value rules → tokens: each type's `Validate` impl and the check of each method's params and
//! result. Rules travel in the IR as [`Ty::Checked`]; here they become `static` rule tables (a
//! pattern is compiled once per process) handed to `clamator_protocol::__private::check_*`, and
//! containers loop over their items with the path extended by the index or key. Types with no
//! rules anywhere inside get an empty impl, and nothing calls it.

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::tokens::{ident, number_literal_f64, ty};
use crate::ir::{Body, Rules, Ty, TypeDef};

const PRIVATE: &str = "::clamator_protocol::__private";

/// The types of one file, and which of them have rules somewhere inside.
pub struct Checks<'a> {
    all: &'a [TypeDef],
    with_rules: HashSet<&'a str>,
}

impl<'a> Checks<'a> {
    /// Works out which types have rules (a fixpoint over references between them).
    pub fn new(all: &'a [TypeDef]) -> Self {
        let mut with_rules: HashSet<&str> = HashSet::new();
        loop {
            let before = with_rules.len();
            for def in all {
                if !with_rules.contains(def.name.as_str()) && body_has_rules(&def.body, &with_rules)
                {
                    with_rules.insert(&def.name);
                }
            }
            if with_rules.len() == before {
                break;
            }
        }
        Self { all, with_rules }
    }

    /// `impl Validate for <def>`; `None` for aliases (their rules are checked where used).
    pub fn validate_impl(&self, def: &TypeDef) -> Option<TokenStream> {
        let name = ident(&def.name);
        let body = match &def.body {
            Body::Alias(_) => return None,
            _ if !self.with_rules.contains(def.name.as_str()) => None,
            Body::Struct(s) => {
                let mut parts: Vec<TokenStream> = Vec::new();
                for f in &s.fields {
                    let field = ident(&f.name);
                    let wire = &f.wire;
                    if let Some(c) = self.check(&f.declared_ty(), quote!(&self.#field), 0) {
                        parts.push(quote!({ let at = &at.key(#wire); #c }));
                    }
                }
                if let Some(additional) = &s.additional {
                    let extra = ident(&s.additional_field);
                    let map = Ty::Map(Box::new(Ty::String), Box::new(additional.clone()));
                    if let Some(c) = self.check(&map, quote!(&self.#extra), 0) {
                        parts.push(c);
                    }
                }
                Some(quote!(#(#parts)*))
            }
            Body::Tagged(t) => {
                let arms = t.variants.iter().map(|v| {
                    let vname = ident(&v.name);
                    match &v.payload {
                        Some(p) if self.with_rules.contains(p.as_str()) => quote! {
                            Self::#vname(payload) => ::clamator_protocol::validation::Validate::validate_at(payload, at, out),
                        },
                        Some(_) => quote!(Self::#vname(_) => {}),
                        None => quote!(Self::#vname => {}),
                    }
                });
                Some(quote!(match self { #(#arms)* }))
            }
            Body::Untagged(variants) => {
                let arms = variants.iter().map(|v| {
                    let vname = ident(&v.name);
                    match self.check(&v.ty, quote!(value), 0) {
                        Some(c) => quote!(Self::#vname(value) => { #c }),
                        None => quote!(Self::#vname(_) => {}),
                    }
                });
                Some(quote!(match self { #(#arms)* }))
            }
            Body::TupleRest { items, rest } => {
                let mut parts: Vec<TokenStream> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let index = syn::Index::from(i);
                    if let Some(c) = self.check(item, quote!(&self.#index), 0) {
                        parts.push(quote!({ let at = &at.index(#i); #c }));
                    }
                }
                let n = items.len();
                let rest_index = syn::Index::from(n);
                if let Some(c) = self.item_loop(rest, quote!(&self.#rest_index), n, 0) {
                    parts.push(c);
                }
                Some(quote!(#(#parts)*))
            }
            Body::Enum(_) => None,
        };
        let signature = match body {
            Some(body) => quote! {
                fn validate_at(&self, at: &::clamator_protocol::validation::Path<'_>, out: &mut ::clamator_protocol::validation::Violations) { #body }
            },
            None => quote! {
                fn validate_at(&self, _: &::clamator_protocol::validation::Path<'_>, _: &mut ::clamator_protocol::validation::Violations) {}
            },
        };
        Some(quote! {
            impl ::clamator_protocol::validation::Validate for #name {
                #signature
            }
        })
    }

    /// The check of a method's params or result, as a `Check<T>` (`fn(&T, &Path, &mut
    /// Violations)`): the type's own `validate_at`, or a closure for rules of the root itself.
    pub fn root_check(&self, t: &Ty) -> TokenStream {
        if let Ty::Named(n) = t {
            if let Some(def) = self.def(n).filter(|d| !matches!(d.body, Body::Alias(_))) {
                let name = ident(&def.name);
                return quote!(<#name as ::clamator_protocol::validation::Validate>::validate_at);
            }
        }
        self.closure(t)
    }

    /// A `Check<T>` closure for a value of type `t` (the checks of a union branch or of a
    /// root alias), its parameter types spelled out for inference.
    pub fn closure(&self, t: &Ty) -> TokenStream {
        let rust = ty(t);
        match self.check(t, quote!(value), 0) {
            Some(c) => quote! {
                |value: &#rust, at: &::clamator_protocol::validation::Path<'_>, out: &mut ::clamator_protocol::validation::Violations| { #c }
            },
            None => quote! {
                |_: &#rust, _: &::clamator_protocol::validation::Path<'_>, _: &mut ::clamator_protocol::validation::Violations| {}
            },
        }
    }

    fn def(&self, name: &str) -> Option<&'a TypeDef> {
        self.all.iter().find(|d| d.name == name)
    }

    /// Statements checking `value` (an expression of type `&T`, `T` the Rust type of `t`) at
    /// the path in scope as `at` (a `&Path`); `None` when nothing can fail. A child path is a
    /// new `at` in an inner block.
    fn check(&self, t: &Ty, value: TokenStream, depth: usize) -> Option<TokenStream> {
        match t {
            Ty::Checked(inner, rules) => {
                let own = self.rules(inner, rules, &value);
                let nested = self.check(inner, value, depth);
                match (own, nested) {
                    (None, None) => None,
                    (a, b) => Some(quote!(#a #b)),
                }
            }
            Ty::Named(n) => {
                let def = self.def(n)?;
                match &def.body {
                    Body::Alias(target) => self.check(target, value, depth),
                    _ if self.with_rules.contains(n.as_str()) => Some(
                        quote!(::clamator_protocol::validation::Validate::validate_at(#value, at, out);),
                    ),
                    _ => None,
                }
            }
            Ty::Option(inner) => {
                let v = var("v", depth);
                let c = self.check(inner, quote!(#v), depth + 1)?;
                Some(quote!(if let ::core::option::Option::Some(#v) = #value { #c }))
            }
            Ty::Vec(inner) => self.item_loop(inner, value, 0, depth),
            Ty::Tuple(items) => {
                let tuple = var("tuple", depth);
                let parts: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        let index = syn::Index::from(i);
                        let c = self.check(item, quote!(&#tuple.#index), depth + 1)?;
                        Some(quote!({ let at = &at.index(#i); #c }))
                    })
                    .collect();
                (!parts.is_empty()).then(|| quote!({ let #tuple = #value; #(#parts)* }))
            }
            Ty::Map(_, inner) => {
                let (k, v) = (var("key", depth), var("v", depth));
                let c = self.check(inner, quote!(#v), depth + 1)?;
                Some(quote! {
                    for (#k, #v) in #value {
                        let at = &at.key(#k.as_str());
                        #c
                    }
                })
            }
            _ => None,
        }
    }

    /// A loop checking each item of `items` (a `&Vec`), whose indexes start at `start`.
    fn item_loop(
        &self,
        item: &Ty,
        items: TokenStream,
        start: usize,
        depth: usize,
    ) -> Option<TokenStream> {
        let (i, v) = (var("i", depth), var("item", depth));
        let c = self.check(item, quote!(#v), depth + 1)?;
        let index = if start == 0 {
            quote!(#i)
        } else {
            quote!(#start + #i)
        };
        Some(quote! {
            for (#i, #v) in ::core::iter::IntoIterator::into_iter(#items).enumerate() {
                let at = &at.index(#index);
                #c
            }
        })
    }

    /// The rules of one value of type `inner`, as a block with its rule tables.
    fn rules(&self, inner: &Ty, rules: &Rules, value: &TokenStream) -> Option<TokenStream> {
        let private: TokenStream = PRIVATE.parse().ok()?;
        match inner.peeled() {
            Ty::String if rules.has_string_rules() => {
                let (statics, table) = string_rules(rules, "P");
                Some(quote! {{
                    #statics
                    static RULES: ::clamator_protocol::validation::StringRules = #table;
                    #private::check_string(#value, &RULES, at, out);
                }})
            }
            Ty::I64 | Ty::F64 if rules.has_number_rules() => {
                let num = quote!(::clamator_protocol::validation::Num::from(#value));
                let table = number_rules(rules);
                Some(quote! {{
                    static RULES: ::clamator_protocol::validation::NumberRules = #table;
                    #private::check_number(#num, &RULES, at, out);
                }})
            }
            Ty::Vec(_) if rules.has_item_rules() => {
                let table = item_rules(rules.min_items, rules.max_items, rules.unique);
                Some(quote! {{
                    static RULES: ::clamator_protocol::validation::ItemRules = #table;
                    #private::check_items(#value, &RULES, at, out);
                }})
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
                    static RULES: ::clamator_protocol::validation::ItemRules = #table;
                    #private::check_length(#fixed + tuple.#rest.len(), tuple, &RULES, at, out);
                }})
            }
            Ty::Map(key, _) => {
                let mut parts = Vec::new();
                if rules.min_properties.is_some() || rules.max_properties.is_some() {
                    let table = item_rules(rules.min_properties, rules.max_properties, false);
                    parts.push(quote! {{
                        static RULES: ::clamator_protocol::validation::ItemRules = #table;
                        #private::check_entries(#value, &RULES, at, out);
                    }});
                }
                if let Some(keys) = rules.keys.as_deref().filter(|k| k.has_string_rules()) {
                    if key.rust() == Ty::String {
                        let (statics, table) = string_rules(keys, "K");
                        parts.push(quote! {{
                            #statics
                            static KEYS: ::clamator_protocol::validation::StringRules = #table;
                            #private::check_keys(#value, &KEYS, at, out);
                        }});
                    }
                }
                (!parts.is_empty()).then(|| quote!(#(#parts)*))
            }
            _ => None,
        }
    }
}

fn var(stem: &str, depth: usize) -> Ident {
    format_ident!("{}{}", stem, depth, span = Span::call_site())
}

fn option_usize(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn option_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(f) => {
            let lit = number_literal_f64(f);
            quote!(::core::option::Option::Some(#lit))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// Pattern statics (`<prefix>0`, `<prefix>1`, …) and the `StringRules` expression using them.
fn string_rules(rules: &Rules, prefix: &str) -> (TokenStream, TokenStream) {
    let names: Vec<Ident> = (0..rules.patterns.len())
        .map(|i| format_ident!("{}{}", prefix, i))
        .collect();
    let sources = &rules.patterns;
    let statics = quote! {
        #(static #names: ::clamator_protocol::validation::Pattern = ::clamator_protocol::validation::Pattern::new(#sources);)*
    };
    let groups = rules.formats.iter().map(|group| {
        let formats = group.iter().map(|f| format_variant(f));
        quote!(&[#(::clamator_protocol::validation::Format::#formats),*])
    });
    let (min, max) = (
        option_usize(rules.min_length),
        option_usize(rules.max_length),
    );
    let table = quote! {
        ::clamator_protocol::validation::StringRules {
            min_length: #min,
            max_length: #max,
            patterns: &[#(&#names),*],
            formats: &[#(#groups),*],
        }
    };
    (statics, table)
}

fn format_variant(name: &str) -> Ident {
    let variant = match name {
        "email" => "Email",
        "uri" => "Uri",
        "uuid" => "Uuid",
        "date-time" => "DateTime",
        "date" => "Date",
        "time" => "Time",
        "duration" => "Duration",
        "ipv4" => "Ipv4",
        _ => "Ipv6",
    };
    Ident::new(variant, Span::call_site())
}

fn number_rules(rules: &Rules) -> TokenStream {
    let (min, max) = (option_f64(rules.minimum), option_f64(rules.maximum));
    let (xmin, xmax) = (
        option_f64(rules.exclusive_minimum),
        option_f64(rules.exclusive_maximum),
    );
    let step = option_f64(rules.multiple_of);
    quote! {
        ::clamator_protocol::validation::NumberRules {
            minimum: #min,
            maximum: #max,
            exclusive_minimum: #xmin,
            exclusive_maximum: #xmax,
            multiple_of: #step,
        }
    }
}

fn item_rules(min: Option<u64>, max: Option<u64>, unique: bool) -> TokenStream {
    let (min, max) = (option_usize(min), option_usize(max));
    quote! {
        ::clamator_protocol::validation::ItemRules { min_items: #min, max_items: #max, unique: #unique }
    }
}

fn body_has_rules(body: &Body, named: &HashSet<&str>) -> bool {
    match body {
        Body::Struct(s) => {
            s.fields.iter().any(|f| ty_has_rules(&f.ty, named))
                || s.additional
                    .as_ref()
                    .is_some_and(|t| ty_has_rules(t, named))
        }
        Body::Enum(_) => false,
        Body::Tagged(t) => t
            .variants
            .iter()
            .any(|v| v.payload.as_deref().is_some_and(|p| named.contains(p))),
        Body::Untagged(variants) => variants.iter().any(|v| ty_has_rules(&v.ty, named)),
        Body::Alias(t) => ty_has_rules(t, named),
        Body::TupleRest { items, rest } => {
            items.iter().any(|t| ty_has_rules(t, named)) || ty_has_rules(rest, named)
        }
    }
}

fn ty_has_rules(t: &Ty, named: &HashSet<&str>) -> bool {
    match t {
        Ty::Checked(..) => true,
        Ty::Named(n) => named.contains(n.as_str()),
        Ty::Option(inner) | Ty::Vec(inner) => ty_has_rules(inner, named),
        Ty::Tuple(items) => items.iter().any(|t| ty_has_rules(t, named)),
        Ty::Map(k, v) => ty_has_rules(k, named) || ty_has_rules(v, named),
        _ => false,
    }
}
