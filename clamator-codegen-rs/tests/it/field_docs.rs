//! Field docs say what the Rust type does not: the description, how the field is present on
//! the wire (what `None` means differs between optional and nullable fields), the wire name when
//! the Rust name differs, the value rules. A plain required field says only that.

use clamator_codegen_rs::generate;
use clamator_codegen_rs::schema_hash;
use serde_json::json;

/// The doc lines right above `pub <field>:` in the generated params struct.
fn doc_of(text: &str, field: &str) -> String {
    let at = text
        .find(&format!("pub {field}:"))
        .unwrap_or_else(|| panic!("no field {field} in {text}"));
    let lines: Vec<&str> = text[..at]
        .lines()
        .rev()
        .skip(1)
        // Past the field's attributes, to its doc.
        .skip_while(|l| !l.trim_start().starts_with("///"))
        .take_while(|l| l.trim_start().starts_with("///"))
        .map(|l| l.trim_start().trim_start_matches("///").trim_start())
        .collect();
    lines.into_iter().rev().collect::<Vec<_>>().join("\n")
}

#[test]
fn docs_say_presence_renames_rules_and_descriptions() {
    let params = json!({
        "type": "object",
        "properties": {
            "plain": {"type": "string"},
            "described": {"type": "string", "description": "Who asked."},
            "nullable": {"type": ["string", "null"]},
            "optional": {"type": "string"},
            "nullish": {"type": ["string", "null"]},
            "limit": {"type": "integer", "minimum": 1, "default": 20},
            "missionId": {"type": "string", "format": "uuid"},
            "describedOptional": {"type": "boolean", "description": "Dry run."}
        },
        "required": ["plain", "described", "nullable", "missionId"],
        "additionalProperties": false
    });
    let result = json!({"type": "null"});
    let manifest = json!({"generatedBy": "test", "contracts": {"shop": {"put": {
        "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
        "paramsSchema": params, "resultSchema": result}}}});
    let files = generate("m.json", &serde_json::to_vec(&manifest).unwrap()).unwrap();
    let text = &files.iter().find(|f| f.name == "shop.rs").unwrap().contents;

    assert_eq!(doc_of(text, "plain"), "Required.");
    assert_eq!(doc_of(text, "described"), "Who asked.");
    assert_eq!(
        doc_of(text, "nullable"),
        "Required; `None` is sent as `null`."
    );
    assert_eq!(doc_of(text, "optional"), "Optional: left out when `None`.");
    assert_eq!(
        doc_of(text, "nullish"),
        "Optional and nullable: `None` leaves it out, `Some(None)` sends `null`."
    );
    assert_eq!(
        doc_of(text, "limit"),
        "Optional: `20` when absent.\n\nRules: ≥ 1."
    );
    assert_eq!(
        doc_of(text, "mission_id"),
        "Wire name `missionId`.\n\nRules: format `uuid`."
    );
    assert_eq!(
        doc_of(text, "described_optional"),
        "Dry run.\n\nOptional: left out when `None`. Wire name `describedOptional`."
    );
}

/// The doc lines right above the first `signature` in `text`.
fn doc_of_fn(text: &str, signature: &str) -> String {
    let at = text
        .find(signature)
        .unwrap_or_else(|| panic!("no {signature} in {text}"));
    let lines: Vec<&str> = text[..at]
        .lines()
        .rev()
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("///"))
        .map(|l| l.trim_start().trim_start_matches("///").trim_start())
        .collect();
    lines.into_iter().rev().collect::<Vec<_>>().join("\n")
}

#[test]
fn method_docs_keep_descriptions_as_written() {
    // Descriptions that start with the generator's own verbs ("Calls", "Notifies") are the
    // contract's words: the client and the trait put their own first line above them and
    // change nothing in them.
    let object = |description: &str| {
        json!({"type": "object", "properties": {}, "additionalProperties": false,
               "description": description})
    };
    let (callback, notify) = (
        object("Calls back the scheduler when a job finishes."),
        object("Notifies every subscriber. Calls nobody else."),
    );
    let result = json!({"type": "null"});
    let manifest = json!({"generatedBy": "test", "contracts": {"jobs": {
        "broadcast": {"paramsHash": schema_hash(&notify), "resultHash": schema_hash(&result),
                      "paramsSchema": notify, "resultSchema": result},
        "jobDone": {"paramsHash": schema_hash(&callback), "resultHash": null,
                    "paramsSchema": callback, "resultSchema": null}}}});
    let files = generate("m.json", &serde_json::to_vec(&manifest).unwrap()).unwrap();
    let text = &files.iter().find(|f| f.name == "jobs.rs").unwrap().contents;

    let client = &text[..text.find("pub trait JobsService").unwrap()];
    let service = &text[text.find("pub trait JobsService").unwrap()..];
    assert_eq!(
        doc_of_fn(client, "pub fn job_done<"),
        "Notifies `jobs.jobDone`.\n\nCalls back the scheduler when a job finishes."
    );
    assert_eq!(
        doc_of_fn(service, "fn job_done("),
        "Handles the notification `jobs.jobDone`.\n\nCalls back the scheduler when a job finishes."
    );
    assert_eq!(
        doc_of_fn(client, "pub fn broadcast<"),
        "Calls `jobs.broadcast`.\n\nNotifies every subscriber. Calls nobody else."
    );
    assert_eq!(
        doc_of_fn(service, "fn broadcast("),
        "Handles `jobs.broadcast`.\n\nNotifies every subscriber. Calls nobody else."
    );
}
