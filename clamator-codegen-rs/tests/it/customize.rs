//! Extension points (`Options::derive`, `attribute`, `replace`, and the JSON options file):
//! what they add to the generated code, and the located errors for entries that match nothing or
//! do not parse. The user-crate test (`scripts/user-crate-test`) compiles an options file too.

use std::path::Path;

use clamator_codegen_rs::schema_hash;
use clamator_codegen_rs::{Options, generate_with};
use serde_json::{Value, json};

fn manifest() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/manifests/shared-types.schema.json"),
    )
    .unwrap()
}

fn service(options: &Options) -> String {
    let files = generate_with("shared-types.schema.json", &manifest(), options).unwrap();
    files
        .into_iter()
        .find(|f| f.name == "shared_types.rs")
        .unwrap()
        .contents
}

fn launch_control(options: &Options) -> String {
    let manifest = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/manifests/launch-control.schema.json"),
    )
    .unwrap();
    generate_with("launch-control.schema.json", &manifest, options)
        .unwrap()
        .into_iter()
        .find(|f| f.name == "launch_control.rs")
        .unwrap()
        .contents
}

fn error(options: &Options) -> String {
    generate_with("shared-types.schema.json", &manifest(), options)
        .unwrap_err()
        .to_string()
}

/// The attributes of the item that `item` starts (the lines between its doc comment and it).
fn attributes(text: &str, item: &str) -> String {
    let at = text.find(item).unwrap_or_else(|| panic!("no {item}"));
    let doc = text[..at].rfind("///").unwrap();
    let block = &text[doc..at];
    block[block.find("#[").unwrap()..].to_owned()
}

#[test]
fn derives_and_attributes_land_on_the_named_types() {
    let text = service(
        &Options::default()
            .derive("*", "PartialOrd")
            .derive("Category", "strum::EnumIter")
            .attribute("Category", "#[non_exhaustive]"),
    );
    let category = attributes(&text, "pub enum Category {");
    assert!(
        // String enums derive `PartialOrd` already.
        category.contains("#[derive(strum::EnumIter)]")
            && category.matches("PartialOrd").count() == 1
            && category.contains("#[non_exhaustive]"),
        "{category}"
    );
    let item = attributes(&text, "pub struct Item {");
    assert!(
        item.contains("#[derive(PartialOrd)]") && !item.contains("non_exhaustive"),
        "{item}"
    );
}

#[test]
fn a_derive_the_type_already_has_is_left_out() {
    // `Clone` and `Debug` are derived on every type, `Serialize` derived or written out (the
    // tagged union `GetItemResult`), `PartialOrd` derived and `Display` written out on string
    // enums: deriving any of them again would be a conflicting implementation. A derive asked
    // twice is added once.
    let text = service(
        &Options::default()
            .derive("*", "::core::clone::Clone")
            .derive("*", "Debug")
            .derive("*", "serde::Serialize")
            .derive("*", "Display")
            .derive("*", "PartialOrd")
            .derive("Item", "PartialOrd"),
    );
    let category = attributes(&text, "pub enum Category {");
    assert_eq!(category.matches("#[derive(").count(), 1, "{category}");
    assert!(text.contains("impl ::core::fmt::Display for Category"));
    let union = attributes(&text, "pub enum GetItemResult {");
    assert!(text.contains("impl Serialize for GetItemResult"));
    assert!(
        union.ends_with("#[derive(Display, PartialOrd)]\n"),
        "{union}"
    );
    let item = attributes(&text, "pub struct Item {");
    assert!(item.ends_with("#[derive(Display, PartialOrd)]\n"), "{item}");
}

#[test]
fn a_replaced_type_is_not_generated_and_its_uses_name_the_users_type() {
    let text = service(&Options::default().replace("Item", "crate::model::Item"));
    assert!(
        !text.contains("pub struct Item "),
        "Item is still generated"
    );
    assert!(text.contains("pub item: crate::model::Item,"), "{text}");
    assert!(
        text.contains("pub items: ::std::vec::Vec<crate::model::Item>,"),
        "{text}"
    );
}

#[test]
fn entries_that_match_nothing_or_do_not_parse_are_errors() {
    let cases = [
        (
            Options::default().derive("Itme", "PartialOrd"),
            "shared-types.schema.json: options: derive: no generated type is named `Itme`",
        ),
        (
            Options::default().attribute("Item", "non_exhaustive"),
            "attribute.Item: `non_exhaustive` is not one outer attribute",
        ),
        (
            Options::default().attribute("*", r#"#[serde(rename_all = "UPPERCASE")]"#),
            "attribute.*: `#[serde(rename_all = \"UPPERCASE\")]` would change how the type is encoded",
        ),
        (
            Options::default().attribute("Item", "#[derive(Clone)]"),
            "attribute.Item: `#[derive(Clone)]`: give derives under \"derive\"",
        ),
        (
            Options::default().replace("AddItemParams", "crate::Mine"),
            "replace.AddItemParams: the params and results of methods are the API and cannot be replaced",
        ),
        (
            Options::default().replace("Item", "Item"),
            "replace.Item: `Item` is not a path such as `crate::model::Item`",
        ),
    ];
    for (options, expected) in cases {
        let text = error(&options);
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn the_json_options_file() {
    let read = |text: &str| Options::from_config_json("clamator-codegen.json", text);
    let options = read(
        r##"{"derive": {"*": ["PartialOrd"]}, "attribute": {"Category": ["#[non_exhaustive]"]},
            "replace": {"Item": "crate::model::Item"}, "unsignedIntegers": true,
            "typedFormats": ["uuid", "date-time"], "runtimePath": "::platform::clamator"}"##,
    )
    .unwrap();
    assert_eq!(
        options,
        Options::default()
            .derive("*", "PartialOrd")
            .attribute("Category", "#[non_exhaustive]")
            .replace("Item", "crate::model::Item")
            .unsigned_integers(true)
            .typed_format("uuid")
            .typed_format("date-time")
            .runtime_path("::platform::clamator")
    );
    for (bad, expected) in [
        ("[]", "clamator-codegen.json: must be a JSON object"),
        (r#"{"derives": {}}"#, "unknown key \"derives\""),
        (
            r#"{"derive": {"X": "PartialOrd"}}"#,
            "derive.X: must be a list of strings",
        ),
        (r#"{"replace": {"X": 1}}"#, "replace.X: must be a path"),
        (r#"{"runtimePath": 1}"#, "\"runtimePath\" must be a path"),
    ] {
        let err = read(bad).unwrap_err().to_string();
        assert!(err.contains(expected), "{bad}: {err}");
    }
}

#[test]
fn the_runtime_is_named_in_one_place_and_can_be_another_path() {
    let text = service(&Options::default());
    assert_eq!(
        text.matches("clamator_protocol").count(),
        1,
        "only `use ::clamator_protocol as __rt;` names it"
    );
    assert!(text.contains("use ::clamator_protocol as __rt;"));
    // clamator-codegen-tests compiles launch-control generated this way (`through_facade`).
    let text = service(&Options::default().runtime_path("::platform::clamator"));
    assert!(text.contains("use ::platform::clamator as __rt;"));
    assert!(!text.contains("clamator_protocol"));
    let err = error(&Options::default().runtime_path("not a path"));
    assert!(
        err.contains("runtime path `not a path` is not a path"),
        "{err}"
    );
}

#[test]
fn unsigned_integers_where_the_schema_says_at_least_zero() {
    let text = service(&Options::default().unsigned_integers(true));
    assert!(text.contains("pub quantity: u64,"), "{text}");
    assert!(
        text.contains("pub total: i64,"),
        "an unbounded integer stays i64"
    );
}

#[test]
fn typed_formats_are_opt_in_and_checked() {
    let launch = launch_control(
        &Options::default()
            .typed_format("uuid")
            .typed_format("date-time"),
    );
    assert!(
        launch.contains("pub opens_at: __rt::DateTime,")
            && launch.contains("pub launch_id: __rt::Uuid,"),
        "{launch}"
    );
    let plain = launch_control(&Options::default());
    assert!(plain.contains("pub opens_at: ::std::string::String,"));

    let err = error(&Options::default().typed_format("date"));
    assert!(
        err.contains("typedFormats: `date` has no type (supported: `uuid`, `date-time`;"),
        "{err}"
    );
    let both = Options::default()
        .typed_format("date-time")
        .replace_format("date-time", "crate::Stamp");
    assert!(
        error(&both).contains("`date-time` is in both typedFormats and replaceFormat"),
        "{}",
        error(&both)
    );
}

/// A one-method manifest whose params have one field of schema `field`.
fn one_field(field: Value) -> Vec<u8> {
    let params = json!({"type": "object", "properties": {"field": field},
                        "additionalProperties": false});
    let result = json!({"type": "null"});
    let manifest = json!({"generatedBy": "test", "contracts": {"shop": {"put": {
        "paramsHash": schema_hash(&params), "resultHash": schema_hash(&result),
        "paramsSchema": params, "resultSchema": result}}}});
    serde_json::to_vec(&manifest).unwrap()
}

#[test]
fn a_default_the_new_type_cannot_hold_is_an_error_not_a_panic_at_run_time() {
    let date_time = |default: &str| {
        one_field(json!({"type": "string", "format": "date-time", "default": default}))
    };
    let typed = Options::default().typed_format("date-time");
    // JSON Schema does not check a default against its own rules, so the plain `String` is fine.
    generate_with("m.json", &date_time("soon"), &Options::default()).unwrap();
    let err = generate_with("m.json", &date_time("soon"), &typed)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("service shop: with these options, the default of field \"field\" (PutParams): default \"soon\" does not fit its schema: \"soon\" is not a date-time"),
        "{err}"
    );
    generate_with("m.json", &date_time("2026-11-25T14:47:07Z"), &typed).unwrap();

    let replaced = Options::default().replace_format("date-time", "crate::Stamp");
    let err = generate_with("m.json", &date_time("soon"), &replaced)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"soon\" is not a string of format `date-time`"),
        "{err}"
    );

    let count = one_field(json!({"type": "integer", "minimum": 0, "default": -1}));
    let err = generate_with(
        "m.json",
        &count,
        &Options::default().unsigned_integers(true),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("-1 is not a non-negative integer"), "{err}");
}

#[test]
fn replacing_a_format_names_the_users_type_and_checks_the_entry() {
    let options = Options::default().replace_format("date-time", "crate::time::Stamp");
    let text = launch_control(&options);
    assert!(text.contains("pub opens_at: crate::time::Stamp,"), "{text}");
    let err = error(&Options::default().replace_format("timestamp", "crate::time::Stamp"));
    assert!(
        err.contains("replaceFormat: `timestamp` is not a format clamator checks"),
        "{err}"
    );
    let file = r#"{"replaceFormat": {"date-time": "crate::time::Stamp"}}"#;
    assert_eq!(
        Options::from_config_json("clamator-codegen.json", file).unwrap(),
        options
    );
}
