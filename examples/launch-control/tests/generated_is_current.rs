//! The committed generated code must be what the manifest generates: the drift guard a clamator
//! user puts in their own test suite.

#[test]
fn generated_code_is_current() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    clamator_codegen_rs::assert_current(
        format!("{root}/fixtures/manifests/launch-control.schema.json"),
        format!("{}/src/generated", env!("CARGO_MANIFEST_DIR")),
    );
}
