#[test]
fn generated_code_is_current() {
    clamator_codegen_rs::assert_current("contracts.schema.json", "src/generated");
}
