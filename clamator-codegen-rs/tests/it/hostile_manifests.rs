//! Manifests that used to panic or explode: numeric literals with exponents, chained "$ref"s.

use clamator_codegen_rs::schema_hash;
use serde_json::json;

#[test]
fn a_manifest_of_tiny_and_huge_literals_generates_code_that_parses() {
    let params = json!({
        "type": "object",
        "properties": {
            "tiny": { "type": "number", "const": 1e-7 },
            "pick": { "type": "number", "enum": [1e-7, 2.5e-12, 1e21, -3] }
        },
        "required": ["tiny", "pick"],
        "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"
    });
    let result = json!({"type": "object", "properties": {}, "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#"});
    let manifest = json!({
        "generatedBy": "test",
        "contracts": { "lit": { "go": {
            "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
            "paramsSchema": params, "resultSchema": result,
        }}}
    });
    let files = clamator_codegen_rs::generate("lit.json", manifest.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    for file in files {
        syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.name));
    }
}

#[test]
fn chained_refs_are_refused_quickly_instead_of_exploding() {
    // Level n holds two references to level n-1: 2^40 nodes if inlined.
    let mut properties = serde_json::Map::new();
    properties.insert("l0".to_owned(), json!({"type": "string"}));
    for n in 1..=40 {
        let prev = format!("#/properties/l{}", n - 1);
        properties.insert(
            format!("l{n}"),
            json!({"type": "object", "properties": {"a": {"$ref": prev}, "b": {"$ref": prev}}, "required": ["a", "b"], "additionalProperties": false}),
        );
    }
    let params = json!({"type": "object", "properties": properties, "additionalProperties": false});
    let result = json!({"type": "object", "properties": {}, "additionalProperties": false});
    let manifest = json!({
        "generatedBy": "test",
        "contracts": { "refs": { "go": {
            "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
            "paramsSchema": params, "resultSchema": result,
        }}}
    });
    let started = std::time::Instant::now();
    let err =
        clamator_codegen_rs::generate("refs.json", manifest.to_string().as_bytes()).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let message = err.to_string();
    assert!(
        message.starts_with("refs.json: refs.go params"),
        "{message}"
    );
    assert!(
        message.contains("would inline more than 20000 schema nodes"),
        "{message}"
    );
}

#[test]
fn valid_json_nested_too_deep_is_not_called_invalid() {
    let deep = format!(r#"{{"contracts": {}{}}}"#, "[".repeat(200), "]".repeat(200));
    let err = clamator_codegen_rs::generate("deep.json", deep.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(!err.contains("not valid JSON"), "{err}");
    assert!(
        err.contains("nested deeper than 128 arrays and objects"),
        "{err}"
    );
    assert!(err.starts_with("deep.json:1:"), "{err}");
}

fn one_method(service: &str, params: serde_json::Value) -> Vec<u8> {
    let result = json!({"type": "object", "properties": {}, "additionalProperties": false});
    json!({
        "generatedBy": "test",
        "contracts": { service: { "go": {
            "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
            "paramsSchema": params, "resultSchema": result,
        }}}
    })
    .to_string()
    .into_bytes()
}

#[test]
fn what_rust_cannot_compile_is_refused_with_a_located_message() {
    let items: Vec<_> = (0..13).map(|_| json!({"type": "string"})).collect();
    let tuple = json!({"type": "array", "items": items, "minItems": 13, "maxItems": 13});
    let err = clamator_codegen_rs::generate("t.json", &one_method("t", tuple)).unwrap_err();
    assert!(err.to_string().starts_with("t.json: t.go params"), "{err}");
    assert!(err.to_string().contains("a tuple of 13 items"), "{err}");

    let mut deep = json!({"type": "number"});
    for _ in 0..40 {
        deep = json!({"type": "array", "items": deep});
    }
    let err = clamator_codegen_rs::generate("d.json", &one_method("d", deep)).unwrap_err();
    assert!(
        err.to_string()
            .contains("schemas nest deeper than 32 levels"),
        "{err}"
    );
}

#[test]
fn a_service_named_self_gets_camel_case_names() {
    let params = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": false});
    let files = clamator_codegen_rs::generate("s.json", &one_method("self", params)).unwrap();
    let service = files
        .iter()
        .find(|f| f.name == "self_.rs")
        .expect("module self_");
    assert!(
        service.contents.contains("pub struct SelfClient<C>"),
        "{}",
        service.contents
    );
    assert!(service.contents.contains("pub trait SelfService"));
    assert!(
        !service.contents.contains("Self_Client") && !service.contents.contains("Self_Service")
    );
}

#[test]
fn a_default_that_does_not_fit_its_schema_is_a_located_error() {
    let params = json!({
        "type": "object",
        "properties": {
            "retry": {
                "type": "object",
                "properties": { "attempts": { "type": "integer" } },
                "required": ["attempts"],
                "additionalProperties": false,
                "default": {}
            }
        },
        "additionalProperties": false
    });
    let err = clamator_codegen_rs::generate("d.json", &one_method("jobs", params))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("d.json: jobs.go params"), "{err}");
    assert!(
        err.contains("default {} does not fit its schema: {} lacks \"attempts\""),
        "{err}"
    );
}
