//! The generated code for every fixture manifest has one copy: the committed
//! `clamator-codegen-tests/src/generated/`, which that crate compiles with warnings denied (and
//! clippy checks). This test keeps it current the rust-analyzer way: a stale directory is
//! rewritten (outside CI) and the test fails, so the change is a reviewed diff. Small emitter
//! cases are insta snapshots in `snapshots/` (`tests/emit.rs`).
//!
//! The per-service manifests generate the same service file as `all.schema.json` but for the
//! header, which names the manifest; that is checked here rather than committed twice. The
//! services that share types with another service (`pages`, `talk`) are the exception: alone,
//! each holds the shared types itself.

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/manifests")
}

fn generate(name: &str) -> Vec<clamator_codegen_rs::GeneratedFile> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    clamator_codegen_rs::generate(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_committed_fixture_code_is_what_the_generator_writes() {
    clamator_codegen_rs::assert_current(
        fixtures().join("all.schema.json"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../clamator-codegen-tests/src/generated"),
    );
}

#[test]
fn per_service_manifests_generate_the_same_service_files() {
    let all = generate("all.schema.json");
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".schema.json") || name == "all.schema.json" {
            continue;
        }
        let files = generate(&name);
        assert_eq!(files.len(), 2, "{name}: one service file and mod.rs");
        let service = &files[0];
        let same = all.iter().find(|f| f.name == service.name).unwrap();
        if same.contents.contains("pub use super::shared::") {
            assert!(!service.contents.contains("super::shared"), "{name}");
            continue;
        }
        let body = |text: &str| text.split_once("\n\n").map(|(_, b)| b.to_owned()).unwrap();
        assert_eq!(body(&service.contents), body(&same.contents), "{name}");
        assert!(
            service.contents.contains(&format!("from {name}.")),
            "the header names {name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 14, "every service that shares no type");
}
