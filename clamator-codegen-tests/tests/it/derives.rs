//! Generated types derive `Eq` and `Hash` exactly when nothing inside is a float or a schema-less
//! JSON value, so they can key a `HashMap` or fill a `HashSet`.

use std::collections::HashSet;

use clamator_codegen_tests::generated::launch_control as lc;

fn hashable<T: Eq + std::hash::Hash>() {}

#[test]
fn types_without_floats_are_eq_and_hash() {
    hashable::<lc::LaunchParamsWindow>();
    hashable::<lc::LaunchResult>(); // a tagged union of hashable payloads
    hashable::<lc::AbortParams>();
    let window = lc::LaunchParamsWindow {
        opens_at: "2026-11-25T10:00:00Z".to_owned(),
        closes_at: "2026-11-25T12:00:00Z".to_owned(),
    };
    let set: HashSet<_> = [window.clone(), window].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn the_generated_file_says_which_types_have_floats() {
    // `LaunchParams` has `payloadKg: number` (an f64): PartialEq only.
    let source = include_str!("../../src/generated/launch_control.rs");
    let derive_of = |name: &str| {
        let at = source.find(&format!("pub struct {name} ")).unwrap();
        let derive = source[..at].rfind("#[derive(").unwrap();
        source[derive..at].to_owned()
    };
    assert!(
        !derive_of("LaunchParams").contains("Hash"),
        "{}",
        derive_of("LaunchParams")
    );
    assert!(derive_of("LaunchParamsWindow").contains("Eq, Hash"));
}
