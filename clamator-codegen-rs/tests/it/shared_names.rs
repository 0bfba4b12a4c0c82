//! Naming of shared types (`stages/share.rs`) on small manifests: the role every use agrees on,
//! else the first path name; never a prelude name; roots never merge.

use clamator_codegen_rs::generate;
use clamator_codegen_rs::schema_hash;
use serde_json::{Value, json};

fn object(props: Value) -> Value {
    let required: Vec<&String> = props.as_object().unwrap().keys().collect();
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn service_file(methods: &[(&str, Value)]) -> String {
    let mut contracts = serde_json::Map::new();
    for (name, params) in methods {
        let result = object(json!({}));
        contracts.insert(
            (*name).to_owned(),
            json!({"paramsHash": schema_hash(params), "resultHash": schema_hash(&result),
                   "paramsSchema": params, "resultSchema": result}),
        );
    }
    let manifest = json!({"generatedBy": "test", "contracts": {"shop": contracts}});
    let files = generate("m.json", &serde_json::to_vec(&manifest).unwrap()).unwrap();
    files
        .into_iter()
        .find(|f| f.name == "shop.rs")
        .unwrap()
        .contents
}

fn enum_schema() -> Value {
    json!({"type": "string", "enum": ["red", "blue"]})
}

#[test]
fn agreeing_roles_name_the_shared_type() {
    let text = service_file(&[
        ("paint", object(json!({"colour": enum_schema()}))),
        (
            "list",
            object(json!({"colours": {"type": "array", "items": enum_schema()}})),
        ),
    ]);
    assert!(text.contains("pub enum Colour {"), "{text}");
    assert_eq!(text.matches("pub enum ").count(), 1, "{text}");
}

#[test]
fn disagreeing_roles_and_prelude_names_fall_back_to_the_first_path_name() {
    let text = service_file(&[
        ("paint", object(json!({"colour": enum_schema()}))),
        ("list", object(json!({"shade": enum_schema()}))),
    ]);
    assert!(text.contains("pub enum ListParamsShade {"), "{text}");

    let text = service_file(&[
        ("a", object(json!({"string": enum_schema()}))),
        ("b", object(json!({"string": enum_schema()}))),
    ]);
    assert!(text.contains("pub enum AParamsString {"), "{text}");
    assert!(!text.contains("pub enum String"), "{text}");
}

#[test]
fn roots_never_merge() {
    let same = object(json!({"n": {"type": "integer"}}));
    let text = service_file(&[("a", same.clone()), ("b", same)]);
    assert!(text.contains("pub struct AParams {") && text.contains("pub struct BParams {"));
}

/// The names of the types a generated file defines.
fn type_names(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
                .map(|rest| {
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
        })
        .collect()
}

#[test]
fn an_unrelated_method_renames_nothing() {
    let address = object(json!({"street": {"type": "string"}, "city": {"type": "string"}}));
    let before = service_file(&[
        (
            "ship",
            object(json!({"address": address.clone(), "colour": enum_schema()})),
        ),
        ("bill", object(json!({"address": address.clone()}))),
        (
            "paint",
            object(json!({"colours": {"type": "array", "items": enum_schema()}})),
        ),
    ]);
    // Before and after the existing methods in name order, with nested types of its own.
    let after = service_file(&[
        (
            "audit",
            object(json!({"entry": object(json!({"at": {"type": "string"}}))})),
        ),
        (
            "ship",
            object(json!({"address": address.clone(), "colour": enum_schema()})),
        ),
        ("bill", object(json!({"address": address}))),
        (
            "paint",
            object(json!({"colours": {"type": "array", "items": enum_schema()}})),
        ),
        (
            "zap",
            object(json!({"mode": {"type": "string", "enum": ["on", "off"]}})),
        ),
    ]);
    let (before, after) = (type_names(&before), type_names(&after));
    assert!(
        before.contains("Address") && before.contains("Colour"),
        "{before:?}"
    );
    let missing: Vec<&String> = before.difference(&after).collect();
    assert!(
        missing.is_empty(),
        "renamed or gone: {missing:?} (after: {after:?})"
    );
}
