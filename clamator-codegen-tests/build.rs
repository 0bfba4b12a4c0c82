//! Generates the fixture services a second way, the way a `build.rs` user does: one file in
//! `OUT_DIR`, `include!`d by `src/lib.rs`, with the runtime's typed formats
//! (`Options::typed_format`: `clamator_protocol::Uuid` and `DateTime` for every `format: uuid`
//! and `date-time` string), and asked to derive traits every type already has (`Options::derive`:
//! they must be left out). Only the services that have such strings are generated again (the
//! others would compile a second copy of the same code for nothing). And `launch-control` once
//! more against a re-export of the runtime (`Options::runtime_path`), as a platform crate
//! wrapping clamator would use it, with `u64` for the integers its schemas bound at zero
//! (`Options::unsigned_integers`) and the user's own type for `date-time` strings
//! (`Options::replace_format`).

use clamator_codegen_rs::{Layout, Options};

/// Whether `schema` has a `uuid` or `date-time` string somewhere.
fn has_typed_format(schema: &serde_json::Value) -> bool {
    match schema {
        serde_json::Value::Object(map) => {
            matches!(
                map.get("format").and_then(serde_json::Value::as_str),
                Some("uuid" | "date-time")
            ) || map.values().any(has_typed_format)
        }
        serde_json::Value::Array(items) => items.iter().any(has_typed_format),
        _ => false,
    }
}

/// Generates `manifest`, keeping only the services `keep` accepts.
fn generate(
    manifest: &str,
    options: &Options,
    out_file: &str,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Result<(), clamator_codegen_rs::Error> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/manifests/").to_owned() + manifest;
    println!("cargo:rerun-if-changed={path}");
    let io = |e: std::io::Error| clamator_codegen_rs::Error::Io {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut value: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).map_err(io)?)
        .map_err(|e| clamator_codegen_rs::Error::Io {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if let Some(services) = value["contracts"].as_object_mut() {
        services.retain(|_, methods| keep(methods));
    }
    let bytes = value.to_string().into_bytes();
    let files = clamator_codegen_rs::generate_with(manifest, &bytes, options)?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join(out_file), &files[0].contents).map_err(io)
}

/// A contract whose params have 201 fields, many more than any fixture: generated structs read
/// their fields into nested slots, which must stay inside the trait solver's recursion limit
/// (128) at any width, in `cargo build` as well as `cargo check`.
fn generate_wide() -> Result<(), clamator_codegen_rs::Error> {
    use serde_json::{Map, Value, json};
    let mut properties = Map::new();
    let mut required = Vec::new();
    for i in 0..200 {
        let (name, schema) = match i % 4 {
            0 => (format!("n{i}"), json!({"type": "number"})),
            1 => (format!("s{i}"), json!({"type": "string"})),
            2 => (format!("o{i}"), json!({"type": "integer"})),
            _ => (format!("d{i}"), json!({"type": "boolean", "default": true})),
        };
        if i % 4 < 2 {
            required.push(Value::String(name.clone()));
        }
        properties.insert(name, schema);
    }
    // A required key whose values include null (an enum with `null`): absent is refused, as
    // Zod, Pydantic and JSON Schema refuse it; present and null is `None`.
    properties.insert("choice".to_owned(), json!({"enum": ["a", null]}));
    required.push(Value::String("choice".to_owned()));
    let params = json!({"type": "object", "properties": properties, "required": required,
        "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#"});
    let result = json!({"type": "object", "properties": {}, "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"});
    let manifest = json!({"generatedBy": "clamator-codegen-tests build.rs", "contracts": {"wide": {"put": {
        "paramsHash": clamator_codegen_rs::schema_hash(&params),
        "resultHash": clamator_codegen_rs::schema_hash(&result),
        "paramsSchema": params, "resultSchema": result,
    }}}});
    let options = Options::default().layout(Layout::SingleFile);
    let files = clamator_codegen_rs::generate_with(
        "wide.schema.json",
        manifest.to_string().as_bytes(),
        &options,
    )?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("wide.rs"), &files[0].contents).map_err(|e| {
        clamator_codegen_rs::Error::Io {
            path: "wide.rs".to_owned(),
            message: e.to_string(),
        }
    })
}

fn main() -> Result<(), clamator_codegen_rs::Error> {
    generate_wide()?;
    let single = Options::default().layout(Layout::SingleFile);
    generate(
        "all.schema.json",
        &single
            .clone()
            .typed_format("uuid")
            .typed_format("date-time")
            // Traits every type has already: each must be left out, or nothing compiles.
            .derive("*", "::core::clone::Clone")
            .derive("*", "Debug")
            .derive("*", "PartialEq")
            .derive("*", "Serialize"),
        "clamator.rs",
        has_typed_format,
    )?;
    generate(
        "launch-control.schema.json",
        &single
            .runtime_path("crate::facade::runtime")
            .unsigned_integers(true)
            .typed_format("uuid")
            .replace_format("date-time", "crate::facade::Stamp"),
        "through_facade.rs",
        |_| true,
    )
}
