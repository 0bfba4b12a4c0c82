//! Generates the fixture services a second way, the way a `build.rs` user does: one file in
//! `OUT_DIR`, `include!`d by `src/lib.rs`. And `launch-control` once more against a re-export of
//! the runtime (`Options::runtime_path`), as a platform crate wrapping clamator would use it, with
//! `u64` for the integers its schemas bound at zero (`Options::unsigned_integers`) and
//! `clamator_protocol::Uuid` for its `format: uuid` strings (`Options::typed_format`).

use clamator_codegen_rs::{Layout, Options};

fn main() -> Result<(), clamator_codegen_rs::Error> {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/manifests");
    clamator_codegen_rs::compile(format!("{fixtures}/all.schema.json"))?;

    let name = "launch-control.schema.json";
    let path = format!("{fixtures}/{name}");
    println!("cargo:rerun-if-changed={path}");
    let io = |e: std::io::Error| clamator_codegen_rs::Error::Io {
        path: path.clone(),
        message: e.to_string(),
    };
    let bytes = std::fs::read(&path).map_err(io)?;
    let options = Options::default()
        .layout(Layout::SingleFile)
        .runtime_path("crate::facade::runtime")
        .unsigned_integers(true)
        .typed_format("uuid")
        .replace_format("date-time", "crate::facade::Stamp");
    let files = clamator_codegen_rs::generate_with(name, &bytes, &options)?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("through_facade.rs"), &files[0].contents).map_err(io)
}
