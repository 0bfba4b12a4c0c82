//! Every sample Zod produced for the fixture contracts, through the generated types, which follow
//! the JSON Schema as the typing view refines it (the samples' `typing` verdict where it differs:
//! unknown keys of a stripping object are dropped, recursion is checked all the way down):
//! - a value the schema accepts decodes and encodes back to an equal value (numbers compared
//!   as numbers; absent keys with a schema default come back filled in; dropped keys gone);
//! - a value the JSON Schema rejects through its types (type, required, unknown keys, enum, const,
//!   tuple length, uniqueness) is rejected;
//! - a value rejected only by value rules (bounds, lengths, patterns, formats) is rejected too,
//!   with a violation of a value rule (not a type error).
//!
//! One deliberate exception: the Python peer sends an omitted optional field as `null`, so a
//! generated type accepts `null` for an optional field and sends it back absent.

use std::path::Path;

use clamator_codegen_tests::wire::{round_trip, with_defaults};
use clamator_protocol::__private::json_equal;
use serde_json::Value;

struct Sample<'a> {
    service: &'a str,
    method: &'a str,
    result: bool,
    label: &'a str,
    value: &'a Value,
    json_schema: bool,
    type_level: bool,
    parsed: Option<&'a Value>,
    without_optional_nulls: Option<&'a Value>,
    /// The value without the keys a stripping object drops.
    typing_value: Option<&'a Value>,
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn read(path: std::path::PathBuf) -> Value {
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// Samples on which the generated types deliberately differ from Ajv's verdict, with why.
const SAMPLE_DIVERGENCES: &[(&str, &str, &str, &str)] = &[(
    "value-rules",
    "numbers",
    "params[2]",
    "`cents: 0.07` with `multipleOf: 0.01`: Ajv divides floats (0.07 / 0.01 = 7.000000000000001) \
     and refuses; Zod and Pydantic decide decimally and accept, and so does Rust",
)];

/// Violation types that say a value has the wrong type rather than breaks a value rule.
const TYPE_ERRORS: &[&str] = &[
    "type_error",
    "missing",
    "extra_forbidden",
    "enum",
    "length_error",
];

/// Known, deliberate divergences from the JSON Schema, with why.
const DIVERGENCES: &[(&str, &str, &str)] = &[(
    "effects",
    "piped",
    "`z.string().pipe(z.coerce.number())` lowers to allOf[string, number], which no value \
     satisfies; the generated type takes the pipe's input (a string), which is what Zod peers send",
)];

#[test]
fn samples_round_trip_through_the_generated_types() {
    let manifest = read(fixtures().join("manifests/all.schema.json"));
    let mut failures = Vec::new();
    let (mut accepted, mut rejected, mut python_nulls, mut by_value_rules) = (0, 0, 0, 0);

    for (service, methods) in manifest["contracts"].as_object().unwrap() {
        let samples = read(fixtures().join(format!("samples/{service}.json")));
        for (method, entry) in methods.as_object().unwrap() {
            for (side, result) in [("params", false), ("results", true)] {
                let schema = &entry[if result {
                    "resultSchema"
                } else {
                    "paramsSchema"
                }];
                let Some(list) = samples["methods"][method][side].as_array() else {
                    continue;
                };
                for s in list {
                    let sample = Sample {
                        service,
                        method,
                        result,
                        label: s["label"].as_str().unwrap(),
                        value: &s["value"],
                        // The typing view's verdict where the samples record one: the
                        // generated types follow it (unknown keys a Zod object strips,
                        // recursion checked all the way down).
                        json_schema: s
                            .get("typing")
                            .unwrap_or(&s["jsonSchema"])
                            .as_bool()
                            .unwrap(),
                        type_level: s
                            .get("typingTypeLevel")
                            .or(s.get("typeLevel"))
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        parsed: s.get("parsed"),
                        without_optional_nulls: s.get("withoutOptionalNulls"),
                        typing_value: s.get("typingValue"),
                    };
                    if DIVERGENCES
                        .iter()
                        .any(|(sv, m, _)| *sv == service && m == method)
                    {
                        continue;
                    }
                    if SAMPLE_DIVERGENCES
                        .iter()
                        .any(|(sv, m, l, _)| *sv == service && m == method && *l == sample.label)
                    {
                        let out =
                            round_trip(sample.service, sample.method, sample.result, sample.value);
                        assert!(
                            matches!(out, Some(Ok(_))) && !sample.json_schema,
                            "{service}.{method} {}: the listed divergence no longer holds",
                            sample.label
                        );
                        continue;
                    }
                    let place = format!(
                        "{}.{} {} {}",
                        sample.service, sample.method, side, sample.label
                    );
                    let out =
                        round_trip(sample.service, sample.method, sample.result, sample.value)
                            .unwrap_or_else(|| panic!("{place}: no generated type"));
                    if sample.json_schema {
                        accepted += 1;
                        match out {
                            Ok(v) => {
                                let kept = sample.typing_value.unwrap_or(sample.value);
                                let expected = with_defaults(kept, schema);
                                let ok = json_equal(&v, &expected)
                                    || sample.parsed.is_some_and(|p| json_equal(&v, p));
                                if !ok {
                                    failures.push(format!(
                                        "{place}: {} came back as {v}",
                                        sample.value
                                    ));
                                }
                            }
                            Err(e) => failures
                                .push(format!("{place}: {} was rejected: {e}", sample.value)),
                        }
                    } else if let Some(expected) = sample.without_optional_nulls {
                        python_nulls += 1;
                        match out {
                            Ok(v) if json_equal(&v, &with_defaults(expected, schema)) => {}
                            other => failures.push(format!(
                                "{place}: nulls for optional keys should read as absent ({expected}), got {other:?}"
                            )),
                        }
                    } else if sample.type_level {
                        rejected += 1;
                        if let Ok(v) = out {
                            failures.push(format!(
                                "{place}: {} should be rejected, came back as {v}",
                                sample.value
                            ));
                        }
                    } else {
                        by_value_rules += 1;
                        match out {
                            Ok(v) => failures.push(format!(
                                "{place}: {} breaks a value rule but came back as {v}",
                                sample.value
                            )),
                            Err(violations) => {
                                if let Some(v) = violations
                                    .iter()
                                    .find(|v| TYPE_ERRORS.contains(&v.kind.as_str()))
                                {
                                    failures.push(format!(
                                        "{place}: {} breaks a value rule but was refused for its type: {v}",
                                        sample.value
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "round trip: {accepted} accepted, {rejected} rejected by type, {python_nulls} Python-style nulls, \
         {by_value_rules} rejected by value rules"
    );
    assert!(
        accepted > 200 && rejected > 500 && by_value_rules > 40,
        "the fixtures shrank: {accepted} / {rejected} / {by_value_rules}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
