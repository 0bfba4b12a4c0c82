//! The typing view of a schema manifest: it must stand for the hashed schemas (a view edited by
//! hand is refused, naming the place), a manifest without one generates as before (objects
//! refuse unknown keys), and what Rust cannot hold is refused with a located message.

use std::path::Path;

use clamator_codegen_rs::{generate, schema_hash};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/manifests")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn generated(manifest: &Value) -> Result<String, String> {
    let files =
        generate("m.json", &serde_json::to_vec(manifest).unwrap()).map_err(|e| e.to_string())?;
    Ok(files.into_iter().map(|f| f.contents).collect())
}

#[test]
fn a_typing_view_edited_by_hand_is_refused() {
    let base = fixture("talk.schema.json");
    assert!(generated(&base).is_ok());

    // A rule changed in a definition: what would be generated is no longer what the hashes bind.
    let mut tampered = base.clone();
    tampered["x-clamator-definitions"]["Span"]["properties"]["start"]["minimum"] = json!(1);
    let err = generated(&tampered).unwrap_err();
    assert!(
        err.starts_with("m.json: /contracts/talk/post/x-clamator-params: talk.post params: the typing view does not stand for the hashed schema"),
        "{err}"
    );
    assert!(
        err.contains("regenerate it with clamator-manifest"),
        "{err}"
    );

    // A reference to a definition that is not there.
    let mut dangling = base.clone();
    dangling["contracts"]["talk"]["post"]["x-clamator-params"]["properties"]["at"] =
        json!({"$ref": "#/x-clamator-definitions/Nowhere"});
    let err = generated(&dangling).unwrap_err();
    assert!(err.contains("names no definition"), "{err}");

    // The hashed schema changed under an unchanged view (its hash recomputed): refused too.
    let mut moved = base;
    let schema = &mut moved["contracts"]["talk"]["thread"]["paramsSchema"];
    schema["properties"]["pageId"]["format"] = json!("email");
    let hash = schema_hash(schema);
    moved["contracts"]["talk"]["thread"]["paramsHash"] = json!(hash);
    let err = generated(&moved).unwrap_err();
    assert!(
        err.contains("talk.thread params: the typing view does not stand"),
        "{err}"
    );
}

#[test]
fn without_a_typing_view_objects_refuse_unknown_keys_as_before() {
    let typed = fixture("launch-control.schema.json");
    let mut plain = typed.clone();
    for methods in plain["contracts"].as_object_mut().unwrap().values_mut() {
        for entry in methods.as_object_mut().unwrap().values_mut() {
            entry
                .as_object_mut()
                .unwrap()
                .retain(|k, _| !k.starts_with("x-clamator-"));
        }
    }
    let typed = generated(&typed).unwrap();
    let plain = generated(&plain).unwrap();
    // Zod's `z.object()` strips unknown keys: with the view, the structs drop them.
    assert!(!typed.contains("strict_object"));
    assert!(typed.contains("strip_object"));
    assert_eq!(
        plain.matches("strict_object").count(),
        typed.matches("strip_object").count(),
        "every struct the view lets drop unknown keys refuses them without it"
    );
}

#[test]
fn a_schema_that_holds_only_itself_is_refused() {
    // `const A = z.lazy(() => z.array(A))`: no Rust type alias can be recursive.
    let view = json!({"$ref": "#/x-clamator-definitions/A", "$schema": "http://json-schema.org/draft-07/schema#"});
    let hashed =
        json!({"type": "array", "items": {}, "$schema": "http://json-schema.org/draft-07/schema#"});
    let result = json!({"type": "null"});
    let manifest = json!({
        "generatedBy": "test",
        "contracts": {"nest": {"put": {
            "paramsHash": schema_hash(&hashed), "resultHash": schema_hash(&result),
            "paramsSchema": hashed, "resultSchema": result,
            "x-clamator-params": view, "x-clamator-result": result,
        }}},
        "x-clamator-definitions": {"A": {"type": "array", "items": {"$ref": "#/x-clamator-definitions/A"}}},
    });
    let err = generated(&manifest).unwrap_err();
    assert!(
        err.contains("`A` is a schema that holds only itself"),
        "{err}"
    );
}

/// A one-method manifest whose params are `view` over `definitions`, the hashed schema being
/// `hashed` (what the view expands to).
fn manifest_of(view: Value, hashed: Value, definitions: Value) -> Value {
    let schema = "http://json-schema.org/draft-07/schema#";
    let (mut view, mut hashed) = (view, hashed);
    view["$schema"] = json!(schema);
    hashed["$schema"] = json!(schema);
    let result = json!({"type": "null"});
    json!({
        "generatedBy": "test",
        "contracts": {"edge": {"put": {
            "paramsHash": schema_hash(&hashed), "resultHash": schema_hash(&result),
            "paramsSchema": hashed, "resultSchema": result,
            "x-clamator-params": view, "x-clamator-result": result,
        }}},
        "x-clamator-definitions": definitions,
    })
}

#[test]
fn a_union_that_is_its_own_branch_is_refused() {
    // `const U = z.lazy(() => z.union([z.string(), U]))`: decoding would try U forever.
    let err = generated(&manifest_of(
        json!({"$ref": "#/x-clamator-definitions/U"}),
        json!({"anyOf": [{"type": "string"}, {}]}),
        json!({"U": {"anyOf": [{"type": "string"}, {"$ref": "#/x-clamator-definitions/U"}]}}),
    ))
    .unwrap_err();
    assert!(err.contains("a union with itself as a branch"), "{err}");
}

#[test]
fn rules_beside_a_reference_are_refused_not_dropped() {
    // The expansion keeps `maxLength` (so the hash matches); the generator must not lose it.
    let err = generated(&manifest_of(
        json!({"type": "object", "properties": {"name": {"$ref": "#/x-clamator-definitions/Name", "maxLength": 3}},
               "required": ["name"], "additionalProperties": false}),
        json!({"type": "object", "properties": {"name": {"type": "string", "maxLength": 3}},
               "required": ["name"], "additionalProperties": false}),
        json!({"Name": {"type": "string"}}),
    ))
    .unwrap_err();
    assert!(
        err.contains("/properties/name/maxLength: \"maxLength\" beside a definition's \"$ref\""),
        "{err}"
    );
}

#[test]
fn a_long_chain_of_definitions_is_refused_not_a_stack_overflow() {
    // D0 → D1 → … → D5000, each only a reference to the next.
    let mut definitions = serde_json::Map::new();
    for i in 0..5000 {
        definitions.insert(
            format!("D{i}"),
            json!({"$ref": format!("#/x-clamator-definitions/D{}", i + 1)}),
        );
    }
    definitions.insert("D5000".to_owned(), json!({"type": "string"}));
    let err = generated(&manifest_of(
        json!({"$ref": "#/x-clamator-definitions/D0"}),
        json!({"type": "string"}),
        Value::Object(definitions),
    ))
    .unwrap_err();
    // Refused by the expansion's bounds (its depth, and its size against the hashed schema).
    assert!(err.contains("the typing view cannot be expanded"), "{err}");
}
