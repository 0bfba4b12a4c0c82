//! `launch-control` generated with `runtime_path("crate::facade::runtime")` and
//! `unsigned_integers(true)` (see build.rs): the same wire and the same rules with `u64` fields.

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
