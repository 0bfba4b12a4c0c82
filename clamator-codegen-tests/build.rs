//! Generates the fixture services a second way, the way a `build.rs` user does: one file in
//! `OUT_DIR`, `include!`d by `src/lib.rs`.

fn main() -> Result<(), clamator_codegen_rs::Error> {
    clamator_codegen_rs::compile(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.schema.json"
    ))
}
