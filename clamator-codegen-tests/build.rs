//! Generates the fixture services a second way, the way a `build.rs` user does: one file in
//! `OUT_DIR`, `include!`d by `src/lib.rs`.

fn main() {
    let manifest = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.schema.json"
    );
    println!("cargo:rerun-if-changed={manifest}");
    let bytes = std::fs::read(manifest).expect("the fixture manifest is readable");
    let options =
        clamator_codegen_rs::Options::default().layout(clamator_codegen_rs::Layout::SingleFile);
    let files = clamator_codegen_rs::generate_with("all.schema.json", &bytes, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for file in files {
        std::fs::write(out.join(&file.name), file.contents).expect("OUT_DIR is writable");
    }
}
