//! String enums carry their wire values: `ALL`, `as_str`, `Display` and `FromStr`.

use std::str::FromStr;

use clamator_codegen_tests::generated::launch_control::LaunchResultNotOkReason as Reason;

#[test]
fn string_enums_spell_and_parse_their_wire_values() {
    assert_eq!(Reason::ALL.len(), 3);
    for reason in Reason::ALL {
        let wire = serde_json::to_value(reason).unwrap();
        assert_eq!(wire.as_str(), Some(reason.as_str()));
        assert_eq!(reason.to_string(), reason.as_str());
        assert_eq!(Reason::from_str(reason.as_str()), Ok(*reason));
    }
    assert_eq!(Reason::PayloadTooHeavy.as_str(), "payload-too-heavy");
    let err = "PayloadTooHeavy".parse::<Reason>().unwrap_err();
    assert_eq!(err.value, "PayloadTooHeavy");
    assert_eq!(err.expected, ["weather", "range-busy", "payload-too-heavy"]);
    assert!(err.to_string().contains("expected one of"));
}
