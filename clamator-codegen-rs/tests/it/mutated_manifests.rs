//! The fixture manifest, mutated at random (seeded, so every run tries the same manifests): a
//! node replaced by a hostile value or by another node, a key renamed, a field made optional,
//! nullable or defaulted, a value rule added; hashes recomputed so that the mutation reaches the
//! later stages. Whatever comes in, generation must not panic; it either refuses with a message
//! that names the manifest, or returns code that parses. (Mutating this way found an unused `mut`
//! and nested `if let`s that clippy refuses; those are now fixtures. Whether such output compiles
//! is checked by the fixtures, which `clamator-codegen-tests` compiles.)

use std::panic::{AssertUnwindSafe, catch_unwind};

use clamator_codegen_rs::schema_hash;
use clamator_codegen_rs::{Layout, Options};
use serde_json::{Value, json};

const MANIFEST: &str = include_str!("../../../fixtures/manifests/all.schema.json");
const NAME: &str = "mutated.json";
const ROUNDS: usize = 300;

/// xorshift64: enough to spread the mutations, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "r#type",
    "a b",
    "9x",
    "ü",
    "_",
    "__",
    "Result",
    "Option",
    "String",
    "None",
    "Some",
    "default",
    "new",
    "validate",
    "x-y",
    "X",
    "x",
    "\u{0}",
    "😀",
    "camelCase",
    "snake_case",
    "$ref",
];

/// A value to put in place of a node.
fn hostile(rng: &mut Rng, donor: &Value, donor_paths: &[String]) -> Value {
    let name = json!(rng.pick(NAMES));
    match rng.below(20) {
        0 => json!({}),
        1 => Value::Null,
        2 => name,
        3 => json!(1e308),
        4 => json!(-1),
        5 => json!(true),
        6 => {
            json!({"type": "string", "pattern": rng.pick(&["(", "\\p{Foo}", "[", "a{99999}", "(?<x>a)"])})
        }
        7 => json!({"type": ["string", "null", "integer"]}),
        8 => {
            json!({"$ref": rng.pick(&["#", "#/properties", "#/x/y", "#/definitions/a", "http://x"])})
        }
        9 => json!({"anyOf": []}),
        10 => json!({"allOf": [{"type": "string"}, {"type": "integer"}]}),
        11 => json!({
            "type": "object",
            "properties": {rng.pick(NAMES).to_string(): {"type": "string"}, rng.pick(NAMES).to_string(): {"type": "integer"}},
            "required": [rng.pick(NAMES)],
            "additionalProperties": false,
        }),
        12 => json!({"enum": [rng.pick(NAMES), rng.pick(NAMES), 1, null, true]}),
        13 => json!({"type": "integer", "minimum": 5, "maximum": 1, "multipleOf": 0}),
        14 => json!({"type": "string", "minLength": -1, "maxLength": 1e30, "format": "nope"}),
        15 => json!({"type": "array", "items": [{"type": "string"}], "minItems": 3, "maxItems": 1}),
        16 => {
            json!({"type": "object", "additionalProperties": {"type": "string"}, "propertyNames": {"format": "uuid"}})
        }
        17 => json!({"not": {}}),
        _ => donor
            .pointer(rng.pick(donor_paths).as_str())
            .cloned()
            .unwrap_or(Value::Null),
    }
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let token = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A change to one property of an object schema, the way Zod modifiers change it.
fn modify_property(rng: &mut Rng, object: &mut Value, donor: &Value, donor_paths: &[String]) {
    let Some(properties) = object.get("properties").and_then(Value::as_object) else {
        return;
    };
    let keys: Vec<String> = properties.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    let key = rng.pick(&keys).clone();
    let unrequire = |object: &mut Value| {
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.retain(|r| r.as_str() != Some(key.as_str()));
        }
    };
    match rng.below(4) {
        0 => unrequire(object),
        1 => {
            let slot = &mut object["properties"][&key];
            *slot = json!({"anyOf": [slot.take(), {"type": "null"}]});
        }
        2 => {
            let default = if rng.below(2) == 0 {
                hostile(rng, donor, donor_paths)
            } else {
                rng.pick(&[
                    json!("x"),
                    json!(0),
                    json!(1.5),
                    json!(true),
                    Value::Null,
                    json!([]),
                    json!({}),
                ])
                .clone()
            };
            if let Some(Value::Object(schema)) = object["properties"].get_mut(&key) {
                schema.insert("default".to_owned(), default);
            }
            unrequire(object);
        }
        _ => {
            let rules = rng
                .pick(&[
                    json!({"minLength": 2}),
                    json!({"pattern": "^a"}),
                    json!({"format": "uuid"}),
                    json!({"format": "date-time"}),
                    json!({"minimum": 0}),
                    json!({"exclusiveMaximum": 10}),
                    json!({"multipleOf": 0.5}),
                    json!({"minItems": 1, "uniqueItems": true}),
                ])
                .clone();
            if let (Some(Value::Object(schema)), Value::Object(rules)) =
                (object["properties"].get_mut(&key), rules)
            {
                schema.extend(rules);
            }
        }
    }
}

fn mutate(rng: &mut Rng, base: &Value, base_paths: &[String]) -> Value {
    let services: Vec<&String> = base["contracts"].as_object().unwrap().keys().collect();
    let service = *rng.pick(&services);
    let mut manifest = json!({
        "generatedBy": "mutated_manifests",
        "contracts": { service.as_str(): base["contracts"][service].clone() },
    });
    for _ in 0..1 + rng.below(4) {
        let mut paths = Vec::new();
        pointers(&manifest["contracts"], "/contracts".to_owned(), &mut paths);
        let target = rng.pick(&paths).clone();
        match rng.below(10) {
            0 => {
                // A key renamed: the value moves under a hostile name.
                let Some((parent, last)) = target.rsplit_once('/') else {
                    continue;
                };
                let last = last.replace("~1", "/").replace("~0", "~");
                let new_key = rng.pick(NAMES).to_string();
                if let Some(Value::Object(map)) = manifest.pointer_mut(parent) {
                    if let Some(value) = map.remove(&last) {
                        map.insert(new_key, value);
                    }
                }
            }
            1..=3 => {
                let value = hostile(rng, base, base_paths);
                if let Some(slot) = manifest.pointer_mut(&target) {
                    *slot = value;
                }
            }
            _ => {
                let objects: Vec<&String> = paths
                    .iter()
                    .filter(|p| {
                        manifest
                            .pointer(p)
                            .is_some_and(|v| v.get("properties").is_some())
                    })
                    .collect();
                if objects.is_empty() {
                    continue;
                }
                let at = rng.pick(&objects).to_string();
                let object = manifest.pointer_mut(&at).unwrap();
                modify_property(rng, object, base, base_paths);
            }
        }
    }
    rehash(&mut manifest);
    manifest
}

/// The typing view `view` expanded as the manifest spec says (its definition `$ref`s inlined, one
/// met again inside its own expansion as `{}`, `x-clamator-…` keywords dropped); `None` when it
/// names a definition that is not there or expands past `budget` nodes.
fn expand(
    view: &Value,
    definitions: &Value,
    stack: &mut Vec<String>,
    budget: &mut usize,
) -> Option<Value> {
    *budget = budget.checked_sub(1)?;
    Some(match view {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| expand(v, definitions, stack, budget))
                .collect::<Option<_>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                if key == "$ref" {
                    if let Some(token) = value
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/x-clamator-definitions/"))
                    {
                        let name = token.replace("~1", "/").replace("~0", "~");
                        let body = definitions.get(&name)?;
                        if !stack.contains(&name) {
                            stack.push(name);
                            let expanded = expand(body, definitions, stack, budget);
                            stack.pop();
                            if let Value::Object(fields) = expanded? {
                                out.extend(fields);
                            }
                        }
                        continue;
                    }
                }
                if key.starts_with("x-clamator-") {
                    continue;
                }
                out.insert(key.clone(), expand(value, definitions, stack, budget)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

/// Schemas and hashes that match the mutated typing views (and hashes that match the mutated
/// schemas of sides without one), so that verification lets them through to the later stages.
fn rehash(manifest: &mut Value) {
    let definitions = manifest
        .get("x-clamator-definitions")
        .cloned()
        .unwrap_or(Value::Null);
    let Some(Value::Object(services)) = manifest.get_mut("contracts") else {
        return;
    };
    for methods in services.values_mut().filter_map(Value::as_object_mut) {
        for method in methods.values_mut().filter_map(Value::as_object_mut) {
            for (schema, hash, typing) in [
                ("paramsSchema", "paramsHash", "x-clamator-params"),
                ("resultSchema", "resultHash", "x-clamator-result"),
            ] {
                if let Some(view) = method.get(typing).filter(|v| !v.is_null()) {
                    if let Some(expanded) =
                        expand(view, &definitions, &mut Vec::new(), &mut 100_000)
                    {
                        method.insert(schema.to_owned(), expanded);
                    }
                }
                if let Some(s) = method.get(schema) {
                    let h = schema_hash(s);
                    method.insert(hash.to_owned(), json!(h));
                }
            }
        }
    }
}

#[test]
fn mutated_manifests_are_refused_with_a_place_or_generate_code_that_parses() {
    let base: Value = serde_json::from_str(MANIFEST).unwrap();
    let mut base_paths = Vec::new();
    pointers(&base, String::new(), &mut base_paths);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut generated, mut refused) = (0, 0);
    for round in 0..ROUNDS {
        let manifest = mutate(&mut rng, &base, &base_paths).to_string();
        // Every other round with the options that change types, which have their own checks.
        let mut options = Options::default().layout(Layout::SingleFile);
        if round % 2 == 1 {
            options = options
                .typed_format("uuid")
                .typed_format("date-time")
                .unsigned_integers(true);
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            clamator_codegen_rs::generate_with(NAME, manifest.as_bytes(), &options)
        }));
        match outcome {
            Err(_) => panic!("round {round}: generation panicked on\n{manifest}"),
            Ok(Err(e)) => {
                let message = e.to_string();
                assert!(
                    message.starts_with(NAME),
                    "round {round}: {message}\n{manifest}"
                );
                refused += 1;
            }
            Ok(Ok(files)) => {
                for file in files {
                    if let Err(e) = syn::parse_file(&file.contents) {
                        panic!(
                            "round {round}: {} does not parse: {e}\n{manifest}",
                            file.name
                        );
                    }
                }
                generated += 1;
            }
        }
    }
    println!("{ROUNDS} mutated manifests: {generated} generated, {refused} refused");
    // Both outcomes must be exercised, or the mutations are too mild or too wild to test much.
    assert!(
        generated >= ROUNDS / 10 && refused >= ROUNDS / 10,
        "{generated} / {refused}"
    );
}
