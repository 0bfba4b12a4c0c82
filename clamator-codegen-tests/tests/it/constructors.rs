//! Building params from Rust: `new` takes the required fields and fills the rest (absent, or the
//! schema default), and `Default` exists where nothing is required, so adding an optional field
//! to a contract breaks no caller.

use clamator_codegen_tests::generated::launch_control as lc;
use clamator_codegen_tests::generated::optionality as opt;
use serde_json::json;

#[test]
fn new_takes_the_required_fields_and_applies_schema_defaults() {
    let params = lc::ListLaunchesParams::new(None);
    assert_eq!(params.limit, 20, "the schema's .default(20)");
    // The same value a peer's `{"cursor": null}` decodes to.
    let decoded: lc::ListLaunchesParams =
        clamator_protocol::validation::decode(&json!({"cursor": null})).unwrap();
    assert_eq!(params, decoded);

    let window =
        lc::LaunchParamsWindow::new("2026-11-25T10:00:00Z".into(), "2026-11-25T12:00:00Z".into());
    let launch = lc::LaunchParams::new("6f1c2a4e-8b7d-4e2f-9a1b-3c4d5e6f7a8b".into(), 10.0, window);
    assert_eq!(launch.crew, None);
}

#[test]
fn default_exists_when_nothing_is_required() {
    // Every field defaulted: `Default` applies the schema defaults, as decoding `{}` does.
    let from_default = opt::DefaultsParams::default();
    let decoded: opt::DefaultsParams = clamator_protocol::validation::decode(&json!({})).unwrap();
    assert_eq!(from_default, decoded);
    assert_eq!(from_default.page, 1);
    // Nothing at all: derived.
    assert_eq!(lc::HeartbeatParams::default(), lc::HeartbeatParams {});
}
