//! Keeps `clamator-codegen-tests/src/registry.rs` — every fixture service implemented by the
//! `Fixture`, and a call through each generated client — in step with the generator's own naming. The
//! rust-analyzer `ensure_file_contents` pattern: a stale file is rewritten and the test fails, so
//! the change shows up in review.

use std::fmt::Write;
use std::path::Path;

use crate::stages::parse::parse;

fn render() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bytes = std::fs::read(root.join("fixtures/manifests/all.schema.json")).unwrap();
    let manifest = parse("all.schema.json", &bytes).unwrap();
    let services = crate::plan(&manifest).unwrap().services;
    let mut client_arms = String::new();
    let mut impls = String::new();
    let mut contracts = String::new();
    for s in &services {
        let module = &s.module;
        let _ = writeln!(
            contracts,
            "        generated::{module}::into_contract(fixture.clone()),"
        );
        let _ = writeln!(
            impls,
            "impl generated::{module}::{} for Fixture {{",
            s.service_trait
        );
        for m in &s.methods {
            let (service, method, f, p) = (&s.wire, &m.wire, &m.function, &m.params);
            match &m.result {
                Some(r) => {
                    let _ = writeln!(
                        impls,
                        "    async fn {f}(&self, params: generated::{module}::{p}) -> Result<generated::{module}::{r}, HandlerError> {{ self.answer({service:?}, {method:?}, &params) }}"
                    );
                    let _ = writeln!(
                        client_arms,
                        "        ({service:?}, {method:?}) => {{ let params: generated::{module}::{p} = decode(params)?; encode(generated::{module}::{}::new(client).{f}(&params).await?) }}",
                        s.client
                    );
                }
                None => {
                    let _ = writeln!(
                        impls,
                        "    async fn {f}(&self, params: generated::{module}::{p}) {{ self.notification({service:?}, {method:?}, &params) }}"
                    );
                    let _ = writeln!(
                        client_arms,
                        "        ({service:?}, {method:?}) => {{ let params: generated::{module}::{p} = decode(params)?; generated::{module}::{}::new(client).{f}(&params).await.map(|()| Value::Null) }}",
                        s.client
                    );
                }
            }
        }
        impls.push_str("}\n\n");
    }
    format!(
        "//! Every fixture service served by `Fixture`, and called through its generated client.\n\
         //! Written by `clamator-codegen-rs/src/tests/fixture_registry.rs` from the generator's own names; do not edit by hand.\n\
         #![cfg_attr(rustfmt, rustfmt::skip)]\n\
         \n\
         use clamator_protocol::serde::Serialize;\n\
         use clamator_protocol::serde::de::DeserializeOwned;\n\
         use clamator_protocol::serde_json::Value;\n\
         use clamator_protocol::{{Client, Contract, Error, HandlerError, ProtocolError}};\n\
         \n\
         use crate::fixture::Fixture;\n\
         use crate::generated;\n\
         \n\
         /// Calls `service.method` through its generated client proxy with `params` decoded into the\n\
         /// generated params type; the result comes back as JSON. `None` for an unknown method.\n\
         pub async fn call_through_client<C: Client>(client: &C, service: &str, method: &str, params: &Value) -> Option<Result<Value, Error>> {{\n\
         \x20   let call = async {{\n\
         \x20       match (service, method) {{\n\
         {client_arms}\
         \x20           _ => Err(Error::Usage(String::new())),\n\
         \x20       }}\n\
         \x20   }};\n\
         \x20   match call.await {{\n\
         \x20       Err(Error::Usage(u)) if u.is_empty() => None,\n\
         \x20       other => Some(other),\n\
         \x20   }}\n\
         }}\n\
         \n\
         fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {{\n\
         \x20   clamator_protocol::validation::decode(value).map_err(|e| ProtocolError::new(e.to_string()).into())\n\
         }}\n\
         \n\
         fn encode<T: Serialize>(value: T) -> Result<Value, Error> {{\n\
         \x20   clamator_protocol::serde_json::to_value(&value).map_err(|e| ProtocolError::new(e.to_string()).into())\n\
         }}\n\
         \n\
         /// The contract of every fixture service, each served by `fixture`.\n\
         pub fn contracts(fixture: &Fixture) -> Vec<Contract> {{\n\
         \x20   vec![\n\
         {contracts}\
         \x20   ]\n\
         }}\n\
         \n\
         {impls}"
    )
}

#[test]
fn registry_is_current() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../clamator-codegen-tests/src/registry.rs");
    let expected = render();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        std::fs::write(&path, &expected).unwrap();
        panic!(
            "clamator-codegen-tests/src/registry.rs was stale and has been rewritten; review the diff and run the tests again"
        );
    }
}
