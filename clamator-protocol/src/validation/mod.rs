//! Turning wire JSON into typed values and back, with failures described the way the Python side
//! describes them (`{"errors": [{"type", "loc", "msg", "input"}]}`), so that clients on either side
//! can read the detail of a -32602.

pub(crate) mod location;
mod strict;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use strict::Strict;

/// Decodes `value` into `T`. On failure, returns the `data` of the -32602 / -32603 reply.
///
/// Decoding is strict in the ways JSON Schema is (see [`Strict`]).
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, Value> {
    location::clear();
    serde_path_to_error::deserialize(Strict(value)).map_err(|err| {
        let mut loc = location::segments(err.path());
        let mut message = err.into_inner().to_string();
        // Below a hand-written impl the path continues where that impl recorded it.
        if let Some(inner) = location::take() {
            loc.extend(inner.path);
            message = inner.message;
        }
        // `input` is looked up before `classify` may extend `loc` with a missing key, so a
        // missing key reports the object that lacks it, as Pydantic does.
        let input = lookup(value, &loc).cloned().unwrap_or(Value::Null);
        let (kind, msg) = classify(&message, &mut loc);
        errors_data(kind, loc, msg, input)
    })
}

/// Encodes a typed value for the wire. On failure, returns the `data` of the -32603 reply.
pub fn encode<T: Serialize>(value: &T) -> Result<Value, Value> {
    serde_json::to_value(value)
        .map_err(|err| errors_data("serialization", Vec::new(), err.to_string(), Value::Null))
}

fn errors_data(kind: &str, loc: Vec<Value>, msg: String, input: Value) -> Value {
    json!({ "errors": [{ "type": kind, "loc": loc, "msg": msg, "input": input }] })
}

/// Maps serde's message to a Pydantic-like error type, and puts the offending key on `loc` the way
/// Pydantic does for missing and extra keys.
fn classify(message: &str, loc: &mut Vec<Value>) -> (&'static str, String) {
    if let Some(field) = backticked_after(message, "missing field `") {
        loc.push(json!(field));
        return ("missing", "Field required".to_owned());
    }
    if let Some(field) = backticked_after(message, "unknown field `") {
        // serde_path_to_error already ends the path with the unknown key.
        if loc.last().and_then(Value::as_str) != Some(field) {
            loc.push(json!(field));
        }
        return (
            "extra_forbidden",
            "Extra inputs are not permitted".to_owned(),
        );
    }
    let kind = if message.starts_with("invalid type") {
        "type_error"
    } else if message.starts_with("unknown variant") {
        "enum"
    } else if message.starts_with("invalid length") {
        "length_error"
    } else {
        "value_error"
    };
    (kind, message.to_owned())
}

fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

fn lookup<'a>(mut value: &'a Value, loc: &[Value]) -> Option<&'a Value> {
    for segment in loc {
        value = match (value, segment) {
            (Value::Array(items), Value::Number(i)) => {
                items.get(usize::try_from(i.as_u64()?).ok()?)?
            }
            (Value::Object(map), Value::String(key)) => map.get(key)?,
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: i64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        user_id: String,
        items: Vec<Inner>,
    }

    fn first_error(data: Value) -> Value {
        data["errors"][0].clone()
    }

    #[test]
    fn missing_key_names_the_key_in_loc() {
        let err = first_error(decode::<Outer>(&json!({"items": []})).unwrap_err());
        assert_eq!(err["type"], "missing");
        assert_eq!(err["loc"], json!(["userId"]));
        assert_eq!(err["msg"], "Field required");
        // As in Pydantic, the input of a missing key is the object that lacks it.
        assert_eq!(err["input"], json!({"items": []}));
    }

    #[test]
    fn nested_type_error_has_wire_path_and_input() {
        let params = json!({"userId": "u", "items": [{"n": 1}, {"n": "two"}]});
        let err = first_error(decode::<Outer>(&params).unwrap_err());
        assert_eq!(err["type"], "type_error");
        assert_eq!(err["loc"], json!(["items", 1, "n"]));
        assert_eq!(err["input"], "two");
        assert!(
            err["msg"].as_str().unwrap().contains("expected i64"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_is_extra_forbidden() {
        let params = json!({"userId": "u", "items": [{"n": 1, "x": true}]});
        let err = first_error(decode::<Outer>(&params).unwrap_err());
        assert_eq!(err["type"], "extra_forbidden");
        assert_eq!(err["loc"], json!(["items", 0, "x"]));
        assert_eq!(err["input"], true);
    }

    #[test]
    fn encode_failure_is_described() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        let data = encode(&map).unwrap_err();
        assert_eq!(data["errors"][0]["type"], "serialization");
    }
}
