//! `launch-control` generated with `runtime_path("crate::facade::runtime")` and
//! `unsigned_integers(true)` and `typed_format("uuid")` (see build.rs): the same wire and the
//! same verdicts with `u64` and `clamator_protocol::Uuid` fields.

use clamator_codegen_tests::facade::Stamp;
use clamator_codegen_tests::through_facade::launch_control as lc;
use clamator_protocol::validation::{Validate, decode};
use serde_json::json;

#[test]
fn unsigned_fields_keep_the_wire_and_the_rules() {
    let params: lc::ListLaunchesParams = decode(&json!({"cursor": null, "limit": 100})).unwrap();
    assert_eq!(params.limit, 100u64);
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({"cursor": null, "limit": 100})
    );
    assert!(decode::<lc::ListLaunchesParams>(&json!({"cursor": null, "limit": -1})).is_err());
    let too_many: lc::ListLaunchesParams = decode(&json!({"cursor": null, "limit": 101})).unwrap();
    let violations = too_many.validate().unwrap_err();
    assert_eq!(violations.as_slice()[0].kind, "less_than_equal");
    assert_eq!(lc::ListLaunchesParams::new(None).limit, 20);
}

#[test]
fn uuid_fields_accept_what_the_format_accepts() {
    let id = "6f1c2a4e-8b7d-4e2f-9a1b-3c4d5e6f7a8b";
    let params = json!({"missionId": id, "payloadKg": 10.0,
        "window": {"opensAt": "2026-11-25T10:00:00Z", "closesAt": "2026-11-25T12:30:00Z"}});
    let launch: lc::LaunchParams = decode(&params).unwrap();
    assert_eq!(launch.mission_id.to_string(), id);
    assert_eq!(serde_json::to_value(&launch).unwrap(), params);
    // The uuid crate would take the simple form; the contract's `format: uuid` does not.
    let mut simple = params.clone();
    simple["missionId"] = json!(id.replace('-', ""));
    assert!(decode::<lc::LaunchParams>(&simple).is_err());
    let made = lc::LaunchParams::new(
        clamator_protocol::Uuid::new_v4(),
        1.0,
        lc::LaunchParamsWindow::new(
            Stamp("2026-11-25T10:00:00Z".into()),
            Stamp("2026-11-25T12:30:00Z".into()),
        ),
    );
    assert!(made.validate().is_ok());
}

#[test]
fn a_replaced_format_uses_the_users_type() {
    let window: lc::LaunchParamsWindow =
        decode(&json!({"opensAt": "2026-11-25T10:00:00Z", "closesAt": "2026-11-25T12:30:00Z"}))
            .unwrap();
    assert_eq!(window.opens_at, Stamp("2026-11-25T10:00:00Z".to_owned()));
    assert!(
        decode::<lc::LaunchParamsWindow>(
            &json!({"opensAt": "tomorrow", "closesAt": "2026-11-25T12:30:00Z"})
        )
        .is_err()
    );
}
