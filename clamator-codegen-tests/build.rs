//! Generates the fixture services a second way, the way a `build.rs` user does: one file in
//! `OUT_DIR`, `include!`d by `src/lib.rs`, with the runtime's typed formats
//! (`Options::typed_format`: `clamator_protocol::Uuid` and `DateTime` for every `format: uuid`
//! and `date-time` string), and asked to derive traits every type already has (`Options::derive`:
//! they must be left out). And `launch-control` once more against a re-export of the runtime
//! (`Options::runtime_path`), as a platform crate wrapping clamator would use it, with `u64` for
//! the integers its schemas bound at zero (`Options::unsigned_integers`) and the user's own type
//! for `date-time` strings (`Options::replace_format`).

use clamator_codegen_rs::{Layout, Options};

fn generate(
    manifest: &str,
    options: &Options,
    out_file: &str,
) -> Result<(), clamator_codegen_rs::Error> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/manifests/").to_owned() + manifest;
    println!("cargo:rerun-if-changed={path}");
    let io = |e: std::io::Error| clamator_codegen_rs::Error::Io {
        path: path.clone(),
        message: e.to_string(),
    };
    let bytes = std::fs::read(&path).map_err(io)?;
    let files = clamator_codegen_rs::generate_with(manifest, &bytes, options)?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join(out_file), &files[0].contents).map_err(io)
}

fn main() -> Result<(), clamator_codegen_rs::Error> {
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
    )?;
    generate(
        "launch-control.schema.json",
        &single
            .runtime_path("crate::facade::runtime")
            .unsigned_integers(true)
            .typed_format("uuid")
            .replace_format("date-time", "crate::facade::Stamp"),
        "through_facade.rs",
    )
}
