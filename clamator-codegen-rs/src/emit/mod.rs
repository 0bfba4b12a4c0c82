//! Stage 5: IR → tokens, one file per service, the shared module and `mod.rs`.

mod checks;
mod derives;
pub mod docs;
mod service;
mod tokens;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

/// Names every service file imports (or takes from the prelude in signatures), which no
/// generated type may take.
pub const IMPORTED_NAMES: &[&str] = &[
    "Deserialize",
    "Deserializer",
    "Serialize",
    "Serializer",
    "Error",
    "HandlerError",
    "Future",
    "Result",
    // `Ok(Self { … })` in every struct's `Deserialize`: a tuple struct named `Ok` would shadow it.
    "Ok",
    "Send",
    "Sync",
];

use crate::ir::{ServiceIr, SharedIr, TypeDef};

/// The runtime crate generated code names unless told otherwise.
pub const DEFAULT_RUNTIME: &str = "::clamator_protocol";

/// What every generated file starts with after its doc: the runtime as `__rt` (the one place a
/// file names it) and the names the code uses unqualified.
fn prelude(runtime: &syn::Path) -> TokenStream {
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        // A generated file is a whole API surface, and a binary crate rarely uses all of it.
        #![allow(dead_code)]
        // Literals are the contract's values (a `3.14` is not an approximation of π), and the
        // shape of types is the contract's shape.
        #![allow(clippy::approx_constant, clippy::type_complexity)]
        // The one place that names the runtime crate.
        use #runtime as __rt;
        #[allow(unused_imports)]
        use __rt::serde::{Deserialize, Deserializer, Serialize, Serializer};
        #[allow(unused_imports)]
        use __rt::validation as __v;
        #[allow(unused_imports)]
        use __rt::__private as __p;
    }
}

/// Tokens of a service file (without the header comment, which tokens cannot carry). `runtime`
/// is the path of the runtime crate (`::clamator_protocol`, or a re-export of it); `shared` is
/// the shared module, whose types the service re-exports (`s.reexports`) and may name.
pub fn service_file(s: &ServiceIr, shared: Option<&SharedIr>, runtime: &syn::Path) -> TokenStream {
    let module_doc = format!(
        " The `{}` service: its types, client proxy and service trait.",
        s.wire
    );
    let external = shared.map_or(&[][..], |m| &m.types);
    let checks = checks::Checks::new(&s.types, external);
    let api = service::service_api(s, &checks);
    let types = type_defs(&s.types, &checks);
    let prelude = prelude(runtime);
    let reexports = shared.filter(|_| !s.reexports.is_empty()).map(|m| {
        let module = tokens::ident(&m.module);
        let names = s.reexports.iter().map(|n| tokens::ident(n));
        quote! {
            /// Types the contract sources define, shared with other services.
            pub use super::#module::{#(#names),*};
        }
    });
    quote! {
        #![doc = #module_doc]
        #prelude
        // Short signatures in the API a user reads; no generated type takes these names.
        #[allow(unused_imports)]
        use __rt::{Error, HandlerError};
        #[allow(unused_imports)]
        use ::core::future::Future;
        #reexports
        #api
        #types
    }
}

/// Tokens of the shared module: the types several services use, which each of them re-exports.
pub fn shared_file(shared: &SharedIr, runtime: &syn::Path) -> TokenStream {
    let checks = checks::Checks::new(&shared.types, &[]);
    let types = type_defs(&shared.types, &checks);
    let prelude = prelude(runtime);
    quote! {
        #![doc = " Types the contract sources define and several services use; each of those services re-exports them."]
        #prelude
        #types
    }
}

/// Every type definition with its impls, then one `__no_value_rules!` line for the types
/// without rules.
fn type_defs(types: &[TypeDef], checks: &checks::Checks<'_>) -> TokenStream {
    let defs = types
        .iter()
        .map(|def| types::type_def(def, types, checks, checks.derives()));
    let empty = checks.empty_impls();
    quote!(#(#defs)* #empty)
}

/// Tokens of type definitions alone, with their impls (serde, checks, constructors): the part of
/// a service file after its API. For tests of the emitter on small hand-built IR; names that the
/// types need from the file (`Serialize`, `__v`, …) are imported as a service file does.
#[cfg(test)]
pub fn types_only(types: &[TypeDef]) -> TokenStream {
    let defs = type_defs(types, &checks::Checks::new(types, &[]));
    quote! {
        use ::clamator_protocol as __rt;
        use __rt::serde::{Deserialize, Deserializer, Serialize, Serializer};
        use __rt::validation as __v;
        use __rt::__private as __p;
        #defs
    }
}

/// Tokens of `mod.rs`: the shared module, then one public module per service.
pub fn mod_file(services: &[ServiceIr], shared: Option<&SharedIr>, manifest: &str) -> TokenStream {
    let doc = format!(" clamator services generated from `{manifest}`.");
    let shared = shared.map(|m| {
        let module = tokens::ident(&m.module);
        quote! {
            /// Types the contract sources define and several services use.
            pub mod #module;
        }
    });
    let modules = services.iter().map(|s| {
        let module = tokens::ident(&s.module);
        let doc = format!(" The `{}` service.", s.wire);
        quote! { #[doc = #doc] pub mod #module; }
    });
    quote! {
        #![doc = #doc]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #shared
        #(#modules)*
    }
}

/// Tokens of the single-file layout: the shared module and every service file as inline
/// modules, with no inner attributes at the top so that the file can be `include!`d.
pub fn single_file(
    services: &[ServiceIr],
    shared: Option<(&SharedIr, TokenStream)>,
    bodies: Vec<TokenStream>,
) -> TokenStream {
    let shared = shared.map(|(m, body)| {
        let module = tokens::ident(&m.module);
        quote! { pub mod #module { #body } }
    });
    let modules = services.iter().zip(bodies).map(|(s, body)| {
        let module = tokens::ident(&s.module);
        quote! { pub mod #module { #body } }
    });
    quote! { #shared #(#modules)* }
}
