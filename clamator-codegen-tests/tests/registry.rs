//! Keeps `src/registry.rs` — the table from (service, method, side) to the generated type that
//! the round-trip tests use — in step with the generator's own naming. The
//! rust-analyzer `ensure_file_contents` pattern: a stale file is rewritten and the test fails, so
//! the change shows up in review.

use std::fmt::Write;
use std::path::Path;

use clamator_codegen_rs::stages::parse::parse;

fn render() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bytes = std::fs::read(root.join("fixtures/manifests/all.schema.json")).unwrap();
    let manifest = parse("all.schema.json", &bytes).unwrap();
    let services = clamator_codegen_rs::plan(&manifest).unwrap();
    let mut arms = String::new();
    for s in &services {
        for m in &s.methods {
            let _ = writeln!(
                arms,
                "        ({:?}, {:?}, false) => round_trip_as::<generated::{}::{}>(value),",
                s.wire, m.wire, s.module, m.params
            );
            if let Some(result) = &m.result {
                let _ = writeln!(
                    arms,
                    "        ({:?}, {:?}, true) => round_trip_as::<generated::{}::{}>(value),",
                    s.wire, m.wire, s.module, result
                );
            }
        }
    }
    format!(
        "//! Maps (service, method, side) to the generated type, for the round-trip tests.\n\
         //! Written by `tests/registry.rs` from the generator's own names; do not edit by hand.\n\
         #![cfg_attr(rustfmt, rustfmt::skip)]\n\
         \n\
         use clamator_protocol::serde::Serialize;\n\
         use clamator_protocol::serde::de::DeserializeOwned;\n\
         use clamator_protocol::serde_json::Value;\n\
         \n\
         use crate::generated;\n\
         \n\
         /// Decodes `value` as the params (or, with `result`, the result) type of `service.method`\n\
         /// exactly as the runtime does, and encodes it back. `None` for an unknown method.\n\
         pub fn round_trip(service: &str, method: &str, result: bool, value: &Value) -> Option<Result<Value, String>> {{\n\
         \x20   Some(match (service, method, result) {{\n\
         {arms}\
         \x20       _ => return None,\n\
         \x20   }})\n\
         }}\n\
         \n\
         fn round_trip_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {{\n\
         \x20   let typed: T = clamator_protocol::validation::decode(value).map_err(|e| e.to_string())?;\n\
         \x20   clamator_protocol::serde_json::to_value(&typed).map_err(|e| e.to_string())\n\
         }}\n"
    )
}

#[test]
fn registry_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/registry.rs");
    let expected = render();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        std::fs::write(&path, &expected).unwrap();
        panic!(
            "src/registry.rs was stale and has been rewritten; review the diff and run the tests again"
        );
    }
}
