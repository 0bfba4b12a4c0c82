//! Generation time for the whole fixture set and for a synthetic manifest of 1,000 methods,
//! next to a baseline measured in the same run: parsing the same manifest bytes with serde_json.
//!
//! `cargo bench -p clamator-codegen-rs --bench generate`
#![allow(missing_docs)]

use clamator_codegen_rs::schema_hash;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

/// 10 services × 100 methods, each a copy of a fixture method's schemas under a new name, so the
/// shapes are the realistic ones and every name is distinct.
fn synthetic(fixture: &Value) -> Vec<u8> {
    let templates: Vec<&Value> = fixture["contracts"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|m| m.as_object().unwrap().values())
        .collect();
    let mut contracts = Map::new();
    for s in 0..10 {
        let mut methods = Map::new();
        for m in 0..100 {
            let t = templates[(s * 100 + m) % templates.len()];
            let mut entry = t.clone();
            entry["paramsHash"] = json!(schema_hash(&t["paramsSchema"]));
            methods.insert(format!("method{m}"), entry);
        }
        contracts.insert(format!("service-{s}"), Value::Object(methods));
    }
    serde_json::to_vec_pretty(&json!({"generatedBy": "bench", "contracts": contracts})).unwrap()
}

fn generation(c: &mut Criterion) {
    let fixture_bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.schema.json"
    ))
    .unwrap();
    let fixture: Value = serde_json::from_slice(&fixture_bytes).unwrap();
    let synthetic_bytes = synthetic(&fixture);
    let methods = |bytes: &[u8]| {
        let v: Value = serde_json::from_slice(bytes).unwrap();
        v["contracts"]
            .as_object()
            .unwrap()
            .values()
            .map(|m| m.as_object().unwrap().len())
            .sum::<usize>()
    };
    eprintln!(
        "fixture set: {} methods, {} bytes; synthetic: {} methods, {} bytes",
        methods(&fixture_bytes),
        fixture_bytes.len(),
        methods(&synthetic_bytes),
        synthetic_bytes.len()
    );

    let mut group = c.benchmark_group("generate");
    group.sample_size(20);
    for (name, bytes) in [
        ("fixtures", &fixture_bytes),
        ("synthetic_1000_methods", &synthetic_bytes),
    ] {
        group.bench_function(format!("{name}/baseline_serde_json_parse"), |b| {
            b.iter(|| std::hint::black_box(serde_json::from_slice::<Value>(bytes).unwrap()))
        });
        group.bench_function(format!("{name}/generate"), |b| {
            b.iter(|| std::hint::black_box(clamator_codegen_rs::generate("m.json", bytes).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
