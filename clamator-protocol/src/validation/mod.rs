//! Turning wire JSON into typed values and back, and checking the value rules of the schema,
//! with failures described the way the Python side describes them
//! (`{"errors": [{"type", "loc", "msg", "input"}]}`), so that clients on either side can read the
//! detail of a -32602 or -32603.
//!
//! Two steps, as in Pydantic: [`decode`] checks the types (the first mismatch is reported), then
//! [`Validate`] checks the value rules (every broken rule is reported).

mod failure;
mod finite;
pub(crate) mod location;
mod multiple;
mod number;
mod path;
pub mod pattern;
pub mod rules;
pub(crate) mod strict;
mod validate;
mod violation;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

pub use clamator_formats::Format;
pub(crate) use failure::fail;
pub use failure::{DecodeError, Failure};
pub use number::Num;
pub use path::{Path, Segment};
pub use pattern::Pattern;
pub use rules::{
    ItemRules, NumberRules, StringRules, check_entries, check_items, check_items_hashed,
    check_keys, check_length, check_number, check_string,
};
pub use strict::Strict;
pub use validate::Validate;
pub use violation::{Violation, Violations};

/// Implements [`Validate`] with no rules for each type given: what generated code writes for its
/// types whose schema states none.
#[doc(hidden)]
#[macro_export]
macro_rules! __no_value_rules {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::validation::Validate for $t {
            #[inline]
            fn validate_at(&self, _: &$crate::validation::Path<'_>, _: &mut $crate::validation::Violations) {}
        })*
    };
}

/// Decodes `value` into `T`, checking types only. On failure, the one violation found (its
/// [`Violations::to_data`] is the `data` of the -32602 / -32603 reply).
///
/// Decoding is strict in the ways JSON Schema is (see [`Strict`]).
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, Violations> {
    if let Some(loc) = too_deep(value) {
        return Err(errors_data(
            "too_deep",
            loc,
            format!("Input is nested deeper than {MAX_DEPTH} levels"),
            Value::Null,
        ));
    }
    location::clear();
    serde_path_to_error::deserialize(Strict(value)).map_err(|err| {
        let mut loc = location::segments(err.path());
        let error = err.into_inner();
        let (mut failure, mut message) = (error.failure().clone(), error.to_string());
        // Below a hand-written impl the path continues where that impl recorded it.
        if let Some(inner) = location::take() {
            loc.extend(inner.path);
            (failure, message) = (inner.failure, inner.message);
        }
        // `input` is looked up before `classify` may extend `loc` with a missing key, so a
        // missing key reports the object that lacks it, as Pydantic does.
        let input = lookup(value, &loc).map_or(Value::Null, bounded);
        let (kind, msg, ctx) = classify(failure, message, &mut loc);
        let mut violation = Violation::new(kind, segments(loc), shorten(msg), input);
        violation.ctx = ctx;
        Violations::from(vec![violation])
    })
}

/// [`decode`] as a client reads a result: object keys that the target struct does not declare
/// are dropped instead of refused, so a server that added a result field (a rolling deploy)
/// does not break its callers, as a Zod client drops unknown keys. Everything else is as
/// strict as [`decode`].
pub fn decode_lenient<T: DeserializeOwned>(value: &Value) -> Result<T, Violations> {
    strict::lenient_scope(|| decode(value))
}

/// Encodes a typed value for the wire. A NaN or an infinity is a failure (`finite_number`, as
/// Pydantic says): JSON cannot carry them, and serde_json would send `null` in their place.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Value, Violations> {
    let encoded = serde_json::to_value(value)
        .map_err(|err| errors_data("serialization", Vec::new(), err.to_string(), Value::Null))?;
    match finite::first_non_finite(value) {
        None => Ok(encoded),
        Some(loc) => Err(errors_data(
            "finite_number",
            loc,
            "Input should be a finite number".to_owned(),
            Value::Null,
        )),
    }
}

/// How deep values may nest, in arrays and objects: serde_json's own limit when it parses text,
/// so a value that can arrive over a wire can also arrive in process, and no deeper one can
/// overflow the decoder's stack.
pub const MAX_DEPTH: usize = 128;

/// The location of an array or object nested deeper than [`MAX_DEPTH`], if any. Iterative, so
/// that any depth can be measured; the path is only worked out when there is one to report.
fn too_deep(value: &Value) -> Option<Vec<Value>> {
    // Bounded recursion (at most MAX_DEPTH frames), so the common case allocates nothing.
    fn within(v: &Value, left: usize) -> bool {
        match v {
            Value::Array(items) if !items.is_empty() => {
                left > 0 && items.iter().all(|c| within(c, left - 1))
            }
            Value::Object(map) if !map.is_empty() => {
                left > 0 && map.values().all(|c| within(c, left - 1))
            }
            _ => true,
        }
    }
    if within(value, MAX_DEPTH) {
        return None;
    }
    let containers = |v: &Value| -> usize {
        match v {
            Value::Array(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        }
    };
    let mut stack = vec![(value, 0usize)];
    let mut deepest = None;
    while let Some((v, depth)) = stack.pop() {
        if containers(v) == 0 {
            continue;
        }
        if depth >= MAX_DEPTH {
            deepest = Some(v);
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    let target = deepest?;
    // Second pass, rare: the path to `target`, by identity.
    let mut stack: Vec<(&Value, Vec<Value>)> = vec![(value, Vec::new())];
    while let Some((v, path)) = stack.pop() {
        if std::ptr::eq(v, target) {
            return Some(path);
        }
        let step = |segment: Value, child| {
            let mut p = path.clone();
            p.push(segment);
            (child, p)
        };
        if path.len() >= MAX_DEPTH {
            continue;
        }
        match v {
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| step(Value::from(i), c)),
            ),
            Value::Object(map) => {
                stack.extend(map.iter().map(|(k, c)| step(Value::from(k.as_str()), c)))
            }
            _ => {}
        }
    }
    Some(Vec::new())
}

/// Longest `msg` or string `input` echoed back, in characters; a longer one is cut, with `…`.
const ECHO_CHARS: usize = 256;
/// Largest `input` echoed back whole, in bytes of JSON; a larger one is replaced by its cut text.
const ECHO_BYTES: usize = 4096;

/// `input` as error data echoes it: whole when small, else cut, so that an invalid 10 MB params
/// value does not come back as a 10 MB error.
pub(crate) fn bounded(input: &Value) -> Value {
    match input {
        Value::String(s) => Value::String(shorten(s.clone())),
        Value::Array(_) | Value::Object(_) => {
            let text = input.to_string();
            if text.len() <= ECHO_BYTES {
                input.clone()
            } else {
                Value::String(shorten(text))
            }
        }
        other => other.clone(),
    }
}

fn shorten(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(ECHO_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn errors_data(kind: &str, loc: Vec<Value>, msg: String, input: Value) -> Violations {
    Violations::from(vec![Violation::new(kind, segments(loc), msg, input)])
}

fn segments(loc: Vec<Value>) -> Vec<Segment> {
    loc.into_iter()
        .map(|segment| match segment {
            Value::Number(n) => n
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .map_or_else(|| Segment::Key(n.to_string()), Segment::Index),
            Value::String(s) => Segment::Key(s),
            other => Segment::Key(other.to_string()),
        })
        .collect()
}

/// The Pydantic error type of a decoding failure, its message and `ctx`; a missing or unknown
/// key goes on `loc`, as Pydantic reports it.
fn classify(
    failure: Failure,
    message: String,
    loc: &mut Vec<Value>,
) -> (&'static str, String, Option<Map<String, Value>>) {
    let kind = match failure {
        // A typed format (`Uuid`, `DateTime`) refused a string: what the format check on a plain
        // string reports, `ctx` included.
        Failure::Format(format) => return rules::format_failure(&[format]),
        Failure::Missing(key) => {
            loc.push(json!(key));
            return ("missing", "Field required".to_owned(), None);
        }
        Failure::Unknown(key) => {
            // serde_path_to_error already ends the path with the unknown key.
            if loc.last().and_then(Value::as_str) != Some(key.as_str()) {
                loc.push(json!(key));
            }
            return (
                "extra_forbidden",
                "Extra inputs are not permitted".to_owned(),
                None,
            );
        }
        Failure::Type => "type_error",
        Failure::Enum => "enum",
        Failure::Length => "length_error",
        Failure::Value => "value_error",
    };
    (kind, message, None)
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

    fn first_error(data: Violations) -> Value {
        data.to_data()["errors"][0].clone()
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
    fn lenient_decoding_drops_unknown_keys_at_any_depth_and_only_while_asked() {
        let params = json!({"userId": "u", "items": [{"n": 1, "x": true}], "extra": 1});
        let outer: Outer = decode_lenient(&params).unwrap();
        assert_eq!(outer.items[0].n, 1);
        // Still strict about everything else, and strict again afterwards.
        assert!(decode_lenient::<Outer>(&json!({"items": []})).is_err());
        let err = first_error(decode::<Outer>(&params).unwrap_err());
        assert_eq!(err["type"], "extra_forbidden");
    }

    /// Fails with `error(kind)` whatever it is given.
    #[derive(Debug)]
    struct Refuses;

    impl<'de> Deserialize<'de> for Refuses {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            use serde::de::Error;
            let kind = String::deserialize(d)?;
            Err(match kind.as_str() {
                "missing" => D::Error::missing_field("needed"),
                "type" => D::Error::invalid_type(serde::de::Unexpected::Bool(true), &"a string"),
                // Words that read like serde's, in a custom message: nothing more than a value
                // error, whatever they say.
                "looks-missing" => D::Error::custom("missing field `needed`"),
                _ => D::Error::custom("invalid type: looks like serde's"),
            })
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct HoldsRefuses {
        inner: Refuses,
    }

    #[test]
    fn the_kind_of_a_failure_is_data_not_read_from_its_message() {
        let kinds = |what: &str| {
            let err = first_error(decode::<HoldsRefuses>(&json!({"inner": what})).unwrap_err());
            (err["type"].clone(), err["loc"].clone())
        };
        assert_eq!(
            kinds("missing"),
            (json!("missing"), json!(["inner", "needed"]))
        );
        assert_eq!(kinds("type"), (json!("type_error"), json!(["inner"])));
        assert_eq!(
            kinds("looks-missing"),
            (json!("value_error"), json!(["inner"]))
        );
        assert_eq!(
            kinds("looks-typed"),
            (json!("value_error"), json!(["inner"]))
        );
    }

    #[test]
    fn encode_failure_is_described() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        let data = encode(&map).unwrap_err();
        assert_eq!(data.as_slice()[0].kind, "serialization");
    }
}
