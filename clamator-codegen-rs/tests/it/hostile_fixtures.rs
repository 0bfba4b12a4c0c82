//! The hostile manifests of `fixtures/hostile/`, through the command line: each is refused with
//! exit 2, a message naming the place, and nothing written. The files are made here (hashes
//! computed as upstream does); outside CI a stale file is rewritten, in CI it fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use clamator_codegen_rs::schema_hash;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_clamator-codegen-rs");

fn manifest(service: &str, params: Value) -> Value {
    let result = json!({"type": "object", "properties": {}, "additionalProperties": false});
    json!({
        "generatedBy": "clamator-codegen-rs tests",
        "contracts": { service: { "go": {
            "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
            "paramsSchema": params, "resultSchema": result,
        }}}
    })
}

/// (file stem, manifest, what the message must say)
fn cases() -> Vec<(&'static str, Value, &'static str)> {
    let mut chain = serde_json::Map::new();
    chain.insert("l0".to_owned(), json!({"type": "string"}));
    for n in 1..=40 {
        let prev = format!("#/properties/l{}", n - 1);
        chain.insert(
            format!("l{n}"),
            json!({"type": "object", "properties": {"a": {"$ref": prev}, "b": {"$ref": prev}}, "required": ["a", "b"], "additionalProperties": false}),
        );
    }
    let mut deep = json!({"type": "number"});
    for _ in 0..40 {
        deep = json!({"type": "array", "items": deep});
    }
    let items: Vec<Value> = (0..13).map(|_| json!({"type": "string"})).collect();
    vec![
        (
            "chained-refs",
            manifest(
                "refs",
                json!({"type": "object", "properties": chain, "additionalProperties": false}),
            ),
            "refs.go params at /properties/l",
        ),
        (
            "recursive-ref",
            manifest(
                "list",
                json!({"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": false}),
            ),
            "recursive \"$ref\" is not supported",
        ),
        (
            "deep-nesting",
            manifest("deep", deep),
            "schemas nest deeper than 32 levels",
        ),
        (
            "long-tuple",
            manifest(
                "tuple",
                json!({"type": "array", "items": items, "minItems": 13, "maxItems": 13}),
            ),
            "a tuple of 13 items",
        ),
        (
            "default-that-does-not-fit",
            manifest(
                "jobs",
                json!({"type": "object", "properties": {"retry": {"type": "object", "properties": {"attempts": {"type": "integer"}}, "required": ["attempts"], "additionalProperties": false, "default": {}}}, "additionalProperties": false}),
            ),
            "jobs.go params: default of field \"retry\"",
        ),
    ]
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/hostile")
}

#[test]
fn hostile_manifests_are_refused_by_the_command_line() {
    let dir = dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (name, manifest, expected) in cases() {
        let path = dir.join(format!("{name}.json"));
        let text = format!("{}\n", serde_json::to_string_pretty(&manifest).unwrap());
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
            if std::env::var_os("CI").is_none() {
                std::fs::write(&path, &text).unwrap();
            }
            continue;
        }
        let out =
            std::env::temp_dir().join(format!("clamator-hostile-{name}-{}", std::process::id()));
        let run = Command::new(BIN)
            .arg("--manifest")
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}.json: ")),
            "{name}: names the file: {stderr}"
        );
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing written");
    }
    assert!(
        stale.is_empty(),
        "fixtures/hostile/ was stale ({stale:?}); rewritten outside CI, run again"
    );
}
