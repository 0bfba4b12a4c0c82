//! Bad input gets an error that names the place, and never a panic.

use clamator_codegen_rs::schema_hash;
use clamator_codegen_rs::{Error, generate};
use serde_json::{Value, json};

/// A one-method schema manifest with honest hashes.
fn manifest(service: &str, method: &str, params: Value, result: Value) -> Vec<u8> {
    let m = json!({
        "generatedBy": "test",
        "contracts": { service: { method: {
            "paramsHash": schema_hash(&params),
            "resultHash": schema_hash(&result),
            "paramsSchema": params,
            "resultSchema": result,
        }}}
    });
    serde_json::to_vec_pretty(&m).unwrap()
}

fn object(props: Value) -> Value {
    json!({"type": "object", "properties": props, "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#"})
}

fn error(bytes: &[u8]) -> String {
    generate("m.json", bytes).unwrap_err().to_string()
}

#[test]
fn malformed_json_names_line_and_column() {
    let e = generate(
        "m.json",
        b"{\n  \"generatedBy\": \"x\",\n  \"contracts\": {,\n}",
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Json {
                line: 3,
                column: 17,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with("m.json:3:17: not valid JSON: "),
        "{e}"
    );
}

#[test]
fn structural_problems_name_their_pointer() {
    assert_eq!(error(b"[]"), "m.json: /: a manifest must be a JSON object");
    assert_eq!(
        error(br#"{"contracts": {}}"#),
        "m.json: /: missing \"generatedBy\""
    );
    assert_eq!(
        error(br#"{"generatedBy": "x", "contracts": {"Bad_Name": {}}}"#),
        "m.json: /contracts/Bad_Name: service name \"Bad_Name\" does not match ^[a-z][a-z0-9-]*$"
    );
    assert_eq!(
        error(br#"{"generatedBy": "x", "contracts": {"svc": {"do-it": {}}}}"#),
        "m.json: /contracts/svc/do-it: method name \"do-it\" does not match ^[a-z][a-zA-Z0-9]*$"
    );
    assert_eq!(
        error(br#"{"generatedBy": "x", "contracts": {"svc": {"m": {"paramsHash": "abc", "resultHash": null}}}}"#),
        "m.json: /contracts/svc/m/paramsHash: must be a lowercase hex sha256"
    );
}

#[test]
fn hash_only_manifests_are_refused_with_the_way_out() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.hashes.json"
    ))
    .unwrap();
    let e = generate("all.hashes.json", &bytes).unwrap_err();
    assert!(matches!(e, Error::HashesOnly { .. }));
    let text = e.to_string();
    assert!(
        text.contains("clamator-manifest --src") && text.contains("--check"),
        "{text}"
    );
}

#[test]
fn a_schema_that_does_not_match_its_hash_is_refused_naming_method_and_side() {
    let mut m: Value = serde_json::from_slice(&manifest(
        "arith",
        "add",
        object(json!({"a": {"type": "integer"}})),
        object(json!({})),
    ))
    .unwrap();
    m["contracts"]["arith"]["add"]["resultSchema"]["properties"] =
        json!({"sum": {"type": "number"}});
    let text = error(&serde_json::to_vec(&m).unwrap());
    assert!(
        text.starts_with("m.json: arith.add result: recorded hash "),
        "{text}"
    );
    assert!(
        text.contains("regenerate it with clamator-manifest"),
        "{text}"
    );
}

#[test]
fn unsupported_schemas_name_method_side_and_pointer() {
    let params = object(json!({"shape": {"oneOf": [{"type": "string"}, {"type": "number"}]}}));
    let text = error(&manifest("geo", "area", params, object(json!({}))));
    assert!(
        text.starts_with(
            "m.json: geo.area params at /properties/shape/oneOf: \"oneOf\" is not supported"
        ),
        "{text}"
    );

    let recursive = json!({"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": false});
    let text = error(&manifest("list", "walk", object(json!({})), recursive));
    assert!(
        text.contains("list.walk result at /properties/next"),
        "{text}"
    );
    assert!(text.contains("recursive"), "{text}");

    // Object defaults are generated; one that does not fit its own schema names method and side.
    let bad_default = object(
        json!({"point": {"type": "object", "properties": {"x": {"type": "number"}}, "default": {"x": "one"}}}),
    );
    let text = error(&manifest("geo", "move", bad_default, object(json!({}))));
    assert!(
        text.contains("geo.move params") && text.contains("does not fit its schema"),
        "{text}"
    );
}

#[test]
fn broken_value_rules_name_their_pointer() {
    // A pattern no ECMAScript engine compiles is refused at generation time, never at run time.
    let params = object(json!({"code": {"type": "string", "pattern": "^[A-Z"}}));
    let text = error(&manifest("shop", "order", params, object(json!({}))));
    assert!(
        text.starts_with("m.json: shop.order params at /properties/code/pattern: pattern \"^[A-Z\" is not an ECMAScript regular expression"),
        "{text}"
    );
    // Patterns that only plain (non-`u`) mode accepts are fine, as in Ajv.
    let plain = object(json!({"url": {"type": "string", "pattern": "^https\\:\\/\\/"}}));
    assert!(
        generate(
            "m.json",
            &manifest("shop", "visit", plain, object(json!({})))
        )
        .is_ok()
    );

    let items = json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "maxItems": -1}}, "additionalProperties": false});
    let text = error(&manifest("shop", "tag", object(json!({})), items));
    assert!(
        text.contains("shop.tag result at /properties/tags/maxItems: \"maxItems\" must be a non-negative integer"),
        "{text}"
    );
    let step = object(json!({"price": {"type": "number", "multipleOf": 0}}));
    let text = error(&manifest("shop", "price", step, object(json!({}))));
    assert!(
        text.contains("at /properties/price/multipleOf: \"multipleOf\" must be greater than 0"),
        "{text}"
    );
}

/// A tiny deterministic generator, so the mutations are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn mutate(v: &mut Value, rng: &mut Lcg) {
    let replacements = [
        json!(null),
        json!(true),
        json!(1.5),
        json!("x"),
        json!([]),
        json!({}),
        json!({"not": {"type": "string"}}),
        json!({"$ref": "#/nowhere"}),
        json!({"enum": []}),
        json!({"$ref": "#"}),
        json!({"const": 1e-7}),
        json!({"enum": [1, 1, 2.5e-12, -0.0, 18446744073709551615u64]}),
        json!({"enum": ["a", "a", "A", "\u{202e}rtl", "self", "Self", ""]}),
        json!({"type": "object", "properties": {"self": {"type": "string"}, "a\rb": {"type": "number"}, "\u{202e}x": {"type": "boolean"}}, "additionalProperties": false}),
        json!({"type": "array", "items": [{"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}, {"type": "string"}], "minItems": 17, "maxItems": 17}),
        // 3.14 as a literal trips clippy's approx_constant in generated code; spelled as text here
        // for the same reason.
        serde_json::from_str(r#"{"type": "number", "const": 3.14}"#).unwrap(),
        json!({"description": "line\rbreak \u{202e} override", "type": "string"}),
        json!({"type": "object", "properties": {}, "additionalProperties": {"$ref": "#"}}),
        json!({"anyOf": [{"type": "string"}, {"type": "string"}]}),
        json!({"type": "string", "default": {"not": "a string"}}),
    ];
    match v {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.next(keys.len())];
            match rng.next(3) {
                0 => {
                    map.shift_remove(key);
                }
                1 => map[key] = replacements[rng.next(replacements.len())].clone(),
                _ => mutate(map.get_mut(key).unwrap(), rng),
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.next(items.len());
            mutate(&mut items[i], rng);
        }
        other => *other = replacements[rng.next(replacements.len())].clone(),
    }
}

#[test]
fn mutated_manifests_never_panic() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.schema.json"
    ))
    .unwrap();
    let original: Value = serde_json::from_slice(&text).unwrap();
    let mut rng = Lcg(0x5eed);
    let (mut ok, mut refused) = (0, 0);
    let services: Vec<&String> = original["contracts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, methods)| methods.as_object().is_some_and(|m| !m.is_empty()))
        .map(|(name, _)| name)
        .collect();
    for round in 0..400 {
        // One service per round: the mutations reach every stage at a ninth of the cost.
        let service = services[rng.next(services.len())];
        // Without the typing view, which would no longer stand for the mutated schemas (that
        // refusal is tested on its own).
        let mut methods = original["contracts"][service.as_str()].clone();
        for entry in methods.as_object_mut().unwrap().values_mut() {
            let entry = entry.as_object_mut().unwrap();
            entry.retain(|k, _| !k.starts_with("x-clamator-"));
        }
        let mut m = json!({
            "generatedBy": original["generatedBy"],
            "contracts": { service.as_str(): methods },
        });
        for _ in 0..=rng.next(3) {
            if round % 10 == 0 {
                mutate(&mut m, &mut rng);
                continue;
            }
            // Mostly inside one schema, where the interesting stages are.
            let services = m["contracts"].as_object_mut().unwrap();
            let service = services
                .keys()
                .nth(rng.next(services.len()))
                .unwrap()
                .clone();
            let methods = services[&service].as_object_mut().unwrap();
            let method = methods.keys().nth(rng.next(methods.len())).unwrap().clone();
            let side = if rng.next(2) == 0 {
                "paramsSchema"
            } else {
                "resultSchema"
            };
            let schema = &mut methods[&method][side];
            if !schema.is_null() {
                mutate(schema, &mut rng);
            }
        }
        // Recompute the hashes so that mutations reach the stages after verification.
        if round % 10 != 5 {
            if let Some(Value::Object(services)) = m.get_mut("contracts") {
                for methods in services.values_mut().filter_map(Value::as_object_mut) {
                    for entry in methods.values_mut().filter_map(Value::as_object_mut) {
                        for (schema, hash) in [
                            ("paramsSchema", "paramsHash"),
                            ("resultSchema", "resultHash"),
                        ] {
                            if let Some(s) = entry.get(schema).filter(|s| !s.is_null()).cloned() {
                                entry.insert(hash.to_owned(), json!(schema_hash(&s)));
                            }
                        }
                    }
                }
            }
        }
        let bytes = serde_json::to_vec(&m).unwrap();
        match std::panic::catch_unwind(|| generate("m.json", &bytes)) {
            Ok(Ok(files)) => {
                for f in files {
                    syn::parse_file(&f.contents).unwrap_or_else(|e| {
                        panic!("round {round}: {} does not parse: {e}", f.name)
                    });
                }
                ok += 1;
            }
            Ok(Err(e)) => {
                assert!(e.to_string().starts_with("m.json"), "round {round}: {e}");
                refused += 1;
            }
            Err(_) => panic!(
                "round {round} panicked on {}",
                serde_json::to_string(&m).unwrap()
            ),
        }
    }
    assert!(ok > 50 && refused > 10, "{ok} generated, {refused} refused");
}
