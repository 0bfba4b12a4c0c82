//! Typed formats change Rust types, never the wire: every sample of every fixture method with a
//! `uuid` or `date-time` string gets the same verdict and the same bytes back (a refusal may
//! list fewer entries: decoding stops at the first string a typed format refuses), through the
//! types generated with `typed_format("uuid")` and `typed_format("date-time")` (`build.rs`'s
//! `included` copy) as through the plain `String` ones (`generated`).

use std::collections::BTreeSet;
use std::path::Path;

use clamator_codegen_tests::{generated, included};
use clamator_protocol::serde::Serialize;
use clamator_protocol::serde::de::DeserializeOwned;
use clamator_protocol::validation::{Validate, Violations, decode, encode};
use serde_json::Value;

/// Decodes, checks the value rules and encodes again, as a server does with params: the bytes
/// sent back, or the refusal's `data`.
fn through<T: DeserializeOwned + Serialize + Validate>(value: &Value) -> Result<String, String> {
    let refusal = |e: Violations| e.to_data().to_string();
    let typed: T = decode(value).map_err(refusal)?;
    typed.validate().map_err(refusal)?;
    Ok(encode(&typed).map_err(refusal)?.to_string())
}

type Through = fn(&Value) -> Result<String, String>;

/// `(service, method, side, plain, typed)` for every method side whose schema has a `uuid` or
/// `date-time` string (`fixtures/manifests/all.schema.json`).
macro_rules! sides {
    ($(($service:literal, $method:literal, $side:literal, $module:ident :: $ty:ident)),* $(,)?) => {
        [$((
            $service,
            $method,
            $side,
            through::<generated::$module::$ty> as Through,
            through::<included::$module::$ty> as Through,
        )),*]
    };
}

/// Every `service.method side` of the fixture manifest whose schema has a `uuid` or `date-time`
/// string somewhere.
fn sides_with_typed_formats() -> BTreeSet<String> {
    fn has_format(schema: &Value) -> bool {
        match schema {
            Value::Object(map) => {
                matches!(
                    map.get("format").and_then(Value::as_str),
                    Some("uuid" | "date-time")
                ) || map.values().any(has_format)
            }
            Value::Array(items) => items.iter().any(has_format),
            _ => false,
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/manifests/all.schema.json");
    let manifest: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (service, methods) in manifest["contracts"].as_object().unwrap() {
        for (method, entry) in methods.as_object().unwrap() {
            for (key, side) in [("paramsSchema", "params"), ("resultSchema", "results")] {
                if has_format(&entry[key]) {
                    out.insert(format!("{service}.{method} {side}"));
                }
            }
        }
    }
    out
}

#[test]
fn typed_formats_keep_every_verdict_and_every_byte() {
    let sides = sides! {
        ("launch-control", "abort", "params", launch_control::AbortParams),
        ("launch-control", "launch", "params", launch_control::LaunchParams),
        ("launch-control", "launch", "results", launch_control::LaunchResult),
        ("launch-control", "listLaunches", "results", launch_control::ListLaunchesResult),
        ("launch-control", "scrub", "params", launch_control::ScrubParams),
        ("launch-control", "setCountdown", "params", launch_control::SetCountdownParams),
        ("launch-control", "status", "params", launch_control::StatusParams),
        ("launch-control", "telemetry", "params", launch_control::TelemetryParams),
        ("pages", "create", "results", pages::CreateResult),
        ("pages", "edit", "params", pages::EditParams),
        ("pages", "edit", "results", pages::EditResult),
        ("pages", "get", "params", pages::GetParams),
        ("pages", "get", "results", pages::GetResult),
        ("scalars", "dates", "params", scalars::DatesParams),
        ("scalars", "dates", "results", scalars::DatesResult),
        ("scalars", "stringFormats", "params", scalars::StringFormatsParams),
        ("talk", "post", "params", talk::PostParams),
        ("talk", "thread", "params", talk::ThreadParams),
        ("value-rules", "nested", "params", value_rules::NestedParams),
        ("value-rules", "strings", "params", value_rules::StringsParams),
        ("value-rules", "strings", "results", value_rules::StringsResult),
    };
    let listed: BTreeSet<String> = sides
        .iter()
        .map(|(service, method, side, ..)| format!("{service}.{method} {side}"))
        .collect();
    assert_eq!(
        listed,
        sides_with_typed_formats(),
        "the table must list every method side with a uuid or date-time string"
    );

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/samples");
    let (mut same_bytes, mut both_refused) = (0, 0);
    for (service, method, side, plain, typed) in sides {
        let samples: Value = serde_json::from_slice(
            &std::fs::read(fixtures.join(format!("{service}.json"))).unwrap(),
        )
        .unwrap();
        let list = samples["methods"][method][side].as_array().unwrap();
        assert!(!list.is_empty(), "{service}.{method} {side}: no samples");
        for sample in list {
            let value = &sample["value"];
            let place = format!("{service}.{method} {side} {}", sample["label"]);
            match (plain(value), typed(value)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{place}: typed formats changed the bytes");
                    same_bytes += 1;
                }
                (Err(plain), Err(typed)) => {
                    // Decoding stops at the first string a typed format refuses, where value
                    // checks list every broken rule: each reported entry must be the same.
                    let plain: Value = serde_json::from_str(&plain).unwrap();
                    let typed: Value = serde_json::from_str(&typed).unwrap();
                    let entries = |v: &Value| v["errors"].as_array().unwrap().clone();
                    assert!(
                        entries(&typed).iter().all(|e| entries(&plain).contains(e)),
                        "{place}: typed formats changed the refusal: {plain} vs {typed}"
                    );
                    both_refused += 1;
                }
                (a, b) => panic!("{place}: plain types say {a:?}, typed formats say {b:?}"),
            }
        }
    }
    println!("{same_bytes} samples with the same bytes, {both_refused} refused by both");
    assert!(same_bytes > 20 && both_refused > 20);
}
