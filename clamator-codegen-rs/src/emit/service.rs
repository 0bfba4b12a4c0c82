//! A service's API → tokens: the `SERVICE` and `METHODS` constants, the client proxy, the service
//! trait and `into_contract`.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::Checks;
use super::docs::doc_attrs;
use super::tokens::ident;
use crate::ir::{MethodIr, ServiceIr};

/// Tokens of everything but the types.
pub fn service_api(s: &ServiceIr, checks: &Checks<'_>) -> TokenStream {
    let wire = &s.wire;
    let client = ident(&s.client);
    let service_trait = ident(&s.service_trait);

    let infos = s.methods.iter().map(|m| {
        let (name, params_hash) = (&m.wire, &m.params_hash);
        match &m.result_hash {
            Some(h) => quote!(__rt::MethodInfo::request(#name, #params_hash, #h),),
            None => quote!(__rt::MethodInfo::notification(#name, #params_hash),),
        }
    });

    // A method whose params and result are generated types checks them through their
    // `Validate` impls; a root that is an alias has no impl and passes its checks: `(params,
    // result)` for a method, the params check alone for a notification.
    let explicit_checks: Vec<Option<TokenStream>> = s
        .methods
        .iter()
        .map(|m| {
            let roots = std::iter::once(&m.params_check).chain(&m.result_check);
            if roots.clone().all(|t| checks.root_validates_itself(t)) {
                return None;
            }
            let check_params = checks.root_check(&m.params_check);
            Some(match &m.result_check {
                Some(result_check) => {
                    let check_result = checks.root_check(result_check);
                    quote!((#check_params, #check_result))
                }
                None => check_params,
            })
        })
        .collect();

    // `fn … -> impl Future` rather than `async fn`: the same to a caller, but an `async fn`
    // is a state machine of its own for the compiler to check, one per method, about a tenth
    // of what a large generated crate cost to check.
    let client_methods = s.methods.iter().zip(&explicit_checks).map(|(m, checks)| {
        let verb = if m.result.is_some() {
            "Calls"
        } else {
            "Notifies"
        };
        let doc = doc_attrs(&method_doc(verb, wire, m));
        let allow = self_convention_allow(&m.function);
        let (function, method, params) = (ident(&m.function), &m.wire, ident(&m.params));
        let send = match (&m.result, checks) {
            (Some(_), None) => quote!(call(#method, params)),
            (Some(_), Some(checks)) => quote!(call_checked(#method, params, #checks)),
            (None, None) => quote!(notify(#method, params)),
            (None, Some(check)) => quote!(notify_checked(#method, params, #check)),
        };
        let result = match &m.result {
            Some(result) => {
                let result = ident(result);
                quote!(#result)
            }
            None => quote!(()),
        };
        quote! {
            #doc
            #allow
            pub fn #function<'a>(&'a self, params: &'a #params) -> impl Future<Output = Result<#result, Error>> + 'a {
                self.service.#send
            }
        }
    });

    let trait_methods = s.methods.iter().map(|m| {
        let verb = if m.result.is_some() {
            "Handles"
        } else {
            "Handles the notification"
        };
        let doc = doc_attrs(&method_doc(verb, wire, m));
        let (function, params) = (ident(&m.function), ident(&m.params));
        let allow = self_convention_allow(&m.function);
        let output = match &m.result {
            Some(result) => {
                let result = ident(result);
                quote!(Result<#result, HandlerError>)
            }
            None => quote!(()),
        };
        quote! {
            #doc
            #allow
            fn #function(&self, params: #params) -> impl Future<Output = #output> + Send;
        }
    });

    let registrations =
        s.methods
            .iter()
            .zip(&explicit_checks)
            .enumerate()
            .map(|(i, (m, checks))| {
                let function = ident(&m.function);
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                let call = quote!(S::#function);
                match (&m.result, checks) {
                    (Some(_), None) => quote!(.method(&METHODS[#i], #call)),
                    (Some(_), Some(checks)) => {
                        quote!(.checked_method(&METHODS[#i], #checks, #call))
                    }
                    (None, None) => quote!(.notification(&METHODS[#i], #call)),
                    (None, Some(check)) => {
                        quote!(.checked_notification(&METHODS[#i], #check, #call))
                    }
                }
            });

    let client_doc = doc_attrs(&format!(
        "A typed client for the `{wire}` service.\n\nWraps any [`Client`](__rt::Client) (the in-memory or the Redis transport's). Each\nmethod sends its params and decodes the result; [`{c}::with_timeout`] overrides the\nclient's default timeout for the calls made through it.",
        c = s.client
    ));
    let trait_doc = doc_attrs(&format!(
        "The `{wire}` service, to implement on the serving side.\n\nImplement the methods with `async fn`; [`into_contract`] turns an implementation into a\n[`Contract`](__rt::Contract) to register on a server. Params arrive decoded and checked.\nMethods return [`HandlerError`], so `?` works on any error: an\n[`RpcError`](__rt::RpcError) reaches the caller as it is, anything else becomes -32603\n`Internal error` with its type name and message."
    ));
    let contract_doc = doc_attrs(&format!(
        "Turns an implementation of [`{t}`] into a contract for a clamator server: each method's\nparams are decoded before the method runs and its result is encoded after.",
        t = s.service_trait
    ));
    let service_doc = doc_attrs(&format!("The wire name of the service: `{wire}`."));

    quote! {
        #service_doc
        pub const SERVICE: &str = #wire;

        /// What each method was generated from: its wire name and the schema hashes of the
        /// manifest (`result_hash` is `None` for notifications), in manifest order.
        pub const METHODS: &[__rt::MethodInfo] = &[ #(#infos)* ];

        #client_doc
        #[derive(Debug, Clone)]
        pub struct #client<C> {
            service: __p::ServiceClient<C>,
        }

        impl<C: __rt::Client> #client<C> {
            /// Wraps a started clamator client.
            pub fn new(client: C) -> Self {
                Self { service: __p::ServiceClient::new(client, SERVICE) }
            }

            /// The same client, whose calls wait at most `timeout` for their reply.
            pub fn with_timeout(&self, timeout: ::core::time::Duration) -> #client<&C> {
                #client { service: self.service.with_timeout(timeout) }
            }

            /// The wrapped client.
            pub fn inner(&self) -> &C {
                self.service.client()
            }

            #(#client_methods)*
        }

        #trait_doc
        pub trait #service_trait: Send + Sync + 'static {
            #(#trait_methods)*
        }

        #contract_doc
        pub fn into_contract<S: #service_trait>(service: S) -> __rt::Contract {
            __p::ContractOf::new(SERVICE, service)
                #(#registrations)*
                .finish()
        }
    }
}

/// A method's doc: `<verb> `service.method`.`, then the contract's description.
fn method_doc(verb: &str, service: &str, m: &MethodIr) -> String {
    let first = format!("{verb} `{service}.{}`.", m.wire);
    match &m.description {
        Some(description) => format!("{first}\n\n{description}"),
        None => first,
    }
}

/// Contract methods are `&self` methods whatever their name; clippy expects `into_*` to take
/// `self` and `from_*` to take none, so those names carry an explicit allowance.
fn self_convention_allow(function: &str) -> Option<TokenStream> {
    let name = function.trim_start_matches("r#");
    (name.starts_with("into_") || name.starts_with("from_"))
        .then(|| quote!(#[allow(clippy::wrong_self_convention)]))
}
