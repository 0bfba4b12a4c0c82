//! A struct of 201 fields (`build.rs`'s `wide` contract) compiles, decodes and refuses as a
//! narrow one does: its slots nest eight at a time, inside the trait solver's limits.

use clamator_codegen_tests::wide_contract::wide::PutParams;
use serde_json::{Map, Value, json};

fn full() -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("choice".to_owned(), Value::Null);
    for i in 0..200 {
        let (key, value) = match i % 4 {
            0 => (format!("n{i}"), json!(i as f64 + 0.5)),
            1 => (format!("s{i}"), json!(format!("v{i}"))),
            2 => (format!("o{i}"), json!(i)),
            _ => (format!("d{i}"), json!(false)),
        };
        object.insert(key, value);
    }
    object
}

#[test]
fn a_struct_of_201_fields_round_trips_and_names_what_is_missing() {
    let value = Value::Object(full());
    let params: PutParams = clamator_protocol::validation::decode(&value).unwrap();
    assert_eq!(params.s197, "v197");
    assert!(!params.d199);
    assert_eq!(serde_json::to_value(&params).unwrap(), value);

    let mut sparse = full();
    sparse.retain(|k, _| !k.starts_with('d') && k != "s193");
    let err = clamator_protocol::validation::decode::<PutParams>(&Value::Object(sparse.clone()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("s193"), "{err}");
    sparse.insert("s193".to_owned(), json!("x"));
    let params: PutParams = clamator_protocol::validation::decode(&Value::Object(sparse)).unwrap();
    assert!(
        params.d3 && params.d199,
        "absent defaulted fields take the default"
    );
}

#[test]
fn a_required_key_whose_values_include_null_must_be_there() {
    let mut object = full();
    let params: PutParams =
        clamator_protocol::validation::decode(&Value::Object(object.clone())).unwrap();
    assert_eq!(params.choice, None, "present and null");
    object.shift_remove("choice");
    let err = clamator_protocol::validation::decode::<PutParams>(&Value::Object(object))
        .unwrap_err()
        .to_string();
    assert!(err.contains("choice"), "absent is refused: {err}");
}
