//! What generated code calls (as `__p`, this crate's `__private`): the machinery lives here
//! once, and each generated item is a few lines that hand it their names and types: struct and
//! string-enum decoding (`structs`), unions, tuples and defaults (below), clients and contracts
//! (`service`).

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::ser::{self, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod service;
mod structs;

pub use service::{ContractOf, Handler, ServiceClient};

pub use structs::{
    Missing, Slots, optional, or_default, read_unit_enum, required, strict_object, strip_object,
};

use crate::contract::{Check, MethodHashes, run_check};
use crate::validation::{DecodeError, Failure, Strict, fail, location};

/// What a generated file records about one method: enough to check drift against a hash-only
/// manifest and to report what a running contract was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// Wire method name.
    pub name: &'static str,
    /// sha256 of the params JSON Schema, from the manifest.
    pub params_hash: &'static str,
    /// sha256 of the result JSON Schema; `None` for a notification.
    pub result_hash: Option<&'static str>,
}

impl MethodInfo {
    /// A request method: it has a result.
    pub const fn request(
        name: &'static str,
        params_hash: &'static str,
        result_hash: &'static str,
    ) -> Self {
        Self {
            name,
            params_hash,
            result_hash: Some(result_hash),
        }
    }

    /// A notification: it has no result.
    pub const fn notification(name: &'static str, params_hash: &'static str) -> Self {
        Self {
            name,
            params_hash,
            result_hash: None,
        }
    }

    /// Whether the method is a notification (it has no result).
    pub const fn is_notification(&self) -> bool {
        self.result_hash.is_none()
    }

    fn hashes(&self) -> MethodHashes {
        MethodHashes {
            params: Some(self.params_hash.to_owned()),
            result: self.result_hash.map(str::to_owned),
        }
    }
}

/// A string that is none of a generated string enum's values: the error of its `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The string that was parsed.
    pub value: String,
    /// The enum's values.
    pub expected: &'static [&'static str],
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown value {:?}, expected one of {:?}",
            self.value, self.expected
        )
    }
}

impl std::error::Error for UnknownValue {}

/// The default of an object, union, tuple or record field: the schema's default as JSON text,
/// decoded with the field's own type, so that inner defaults apply as in Zod (`{}` becomes
/// `{ attempts: 3 }`). The generator checked that the value fits, so this cannot fail on
/// generated code.
pub fn default_from_json<T: DeserializeOwned>(json: &str) -> T {
    let value: Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("generated default {json} is not JSON: {e}"));
    crate::validation::decode(&value)
        .unwrap_or_else(|errors| panic!("generated default {json} does not fit its type: {errors}"))
}

/// Decodes `value` strictly, describing a failure with its path (and recording the path for the
/// `loc` of a -32602, see `validation::location`).
pub fn decode<T: DeserializeOwned, E: de::Error>(value: &Value) -> Result<T, E> {
    serde_path_to_error::deserialize(Strict(value)).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.inner().to_string();
        let failure = err.inner().failure().clone();
        location::prepend(location::segments(err.path()), || (failure, inner.clone()));
        if path == "." {
            E::custom(inner)
        } else {
            E::custom(format_args!("{path}: {inner}"))
        }
    })
}

/// JSON equality as JSON Schema means it: numbers by value, objects regardless of key order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The error for a key an object must have.
fn missing<E: de::Error>(key: &str) -> E {
    fail(
        Failure::Missing(key.to_owned()),
        format_args!("missing field `{key}`"),
    )
}

/// Reads the value a manual `Deserialize` impl works on.
pub fn read_value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Value::deserialize(d)
}

/// Reads an object, for a type that only an object can be.
pub fn read_object<'de, D: Deserializer<'de>>(
    d: D,
    expected: &str,
) -> Result<Map<String, Value>, D::Error> {
    match Value::deserialize(d)? {
        Value::Object(map) => Ok(map),
        other => Err(fail(
            Failure::Type,
            format_args!("invalid type: {}, expected {expected}", describe(&other)),
        )),
    }
}

/// Splits the tag off a tagged union's object: `(tag value, the other keys)`.
pub fn split_tag<'de, D: Deserializer<'de>>(
    d: D,
    tag: &str,
    expected: &str,
) -> Result<(Value, Value), D::Error> {
    let mut map = read_object(d, expected)?;
    match map.shift_remove(tag) {
        Some(value) => Ok((value, Value::Object(map))),
        None => Err(missing(tag)),
    }
}

/// The error for a tag value no variant has.
pub fn unknown_tag<E: de::Error>(tag: &str, got: &Value, expected: &[&str]) -> E {
    E::custom(format_args!(
        "unknown `{tag}` {got}, expected one of {}",
        expected.join(", ")
    ))
}

/// The error for a value no enum variant has.
pub fn unknown_value<E: de::Error>(got: &Value, expected: &[&str]) -> E {
    E::custom(format_args!(
        "unknown value {got}, expected one of {}",
        expected.join(", ")
    ))
}

/// Whether `value` is the number `n` (1 and 1.0 alike, as JSON Schema compares).
pub fn is_number(value: &Value, n: f64) -> bool {
    value.as_f64() == Some(n)
}

/// Collects why each branch of an untagged union failed, so the final error says.
#[derive(Debug)]
pub struct BranchErrors {
    union: &'static str,
    failures: Vec<String>,
}

impl BranchErrors {
    /// Errors for the union type named `union`.
    pub fn new(union: &'static str) -> Self {
        Self {
            union,
            failures: Vec::new(),
        }
    }

    /// Tries one branch: its type, then its value rules (a value that breaks one branch's
    /// rules may still be another branch's, as JSON Schema's `anyOf` says). Returns the value,
    /// or records why the branch failed.
    pub fn attempt<T: DeserializeOwned>(
        &mut self,
        branch: &str,
        value: &Value,
        check: Check<T>,
    ) -> Option<T> {
        match decode::<T, DecodeError>(value) {
            Ok(v) => match run_check(check, &v) {
                Ok(()) => Some(v),
                Err(violations) => {
                    self.failures.push(format!("{branch}: {violations}"));
                    None
                }
            },
            Err(e) => {
                // A union that fails as a whole has no single deeper location.
                location::clear();
                self.failures.push(format!("{branch}: {e}"));
                None
            }
        }
    }

    /// The error once every branch failed.
    pub fn into_error<E: de::Error>(self) -> E {
        E::custom(format_args!(
            "no variant of {} matched ({})",
            self.union,
            self.failures.join("; ")
        ))
    }
}

/// Serializes a tagged union's variant: the tag first, then the payload's keys.
pub fn serialize_tagged<S: Serializer, V: Serialize + ?Sized, T: Serialize>(
    s: S,
    tag: &str,
    tag_value: &V,
    payload: &T,
) -> Result<S::Ok, S::Error> {
    let payload = serde_json::to_value(payload).map_err(ser::Error::custom)?;
    let Value::Object(fields) = payload else {
        return Err(ser::Error::custom(
            "a tagged variant must serialize to an object",
        ));
    };
    let mut map = s.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry(tag, tag_value)?;
    for (k, v) in &fields {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// Decodes a sub-value found at `segment` (a key or an index) of the value being decoded.
fn take_decoded<T: DeserializeOwned, E: de::Error>(
    value: &Value,
    segment: impl Into<Value>,
) -> Result<T, E> {
    let segment = segment.into();
    decode::<T, E>(value).map_err(|e| {
        let shown = segment
            .as_str()
            .map_or_else(|| segment.to_string(), str::to_owned);
        location::prepend(vec![segment], || (Failure::Value, e.to_string()));
        E::custom(format_args!("{shown}: {e}"))
    })
}

/// Removes and decodes a required key of an object read by [`read_object`].
pub fn take_required<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<T, E> {
    match map.shift_remove(key) {
        Some(v) => take_decoded(&v, key),
        None => Err(missing(key)),
    }
}

/// Removes and decodes an optional key: absent or null is `None`.
pub fn take_optional<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, E> {
    match map.shift_remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => take_decoded(&v, key).map(Some),
    }
}

/// Removes and decodes an optional key whose type admits null (a JSON value, or `Option<T>` for
/// an optional, nullable key): absent is `None`, a present null is `Some(null)`.
pub fn take_some<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, E> {
    match map.shift_remove(key) {
        None => Ok(None),
        Some(v) => take_decoded(&v, key).map(Some),
    }
}

/// Removes and decodes a key with a default.
pub fn take_default<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    key: &str,
    default: fn() -> T,
) -> Result<T, E> {
    match map.shift_remove(key) {
        None => Ok(default()),
        Some(v) => take_decoded(&v, key),
    }
}

/// Decodes the keys left over as additional properties.
pub fn take_rest<V: DeserializeOwned, E: de::Error>(
    map: Map<String, Value>,
) -> Result<std::collections::BTreeMap<String, V>, E> {
    map.iter()
        .map(|(k, v)| Ok((k.clone(), take_decoded(v, k.as_str())?)))
        .collect()
}

/// Reads an array of at least `min` items, for a tuple with trailing items.
pub fn read_array<'de, D: Deserializer<'de>>(
    d: D,
    min: usize,
    expected: &str,
) -> Result<Vec<Value>, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) if items.len() >= min => Ok(items),
        Value::Array(items) => Err(de::Error::invalid_length(items.len(), &expected)),
        other => Err(fail(
            Failure::Type,
            format_args!("invalid type: {}, expected {expected}", describe(&other)),
        )),
    }
}

/// Decodes item `index` of an array read by [`read_array`].
pub fn decode_at<T: DeserializeOwned, E: de::Error>(items: &[Value], index: usize) -> Result<T, E> {
    take_decoded(&items[index], index)
}

/// Decodes the items from `start` on.
pub fn decode_rest<T: DeserializeOwned, E: de::Error>(
    items: &[Value],
    start: usize,
) -> Result<Vec<T>, E> {
    items[start..]
        .iter()
        .enumerate()
        .map(|(i, v)| take_decoded(v, start + i))
        .collect()
}

/// Checks that a tagged variant without payload got no other keys.
pub fn no_other_keys<E: de::Error>(rest: &Value) -> Result<(), E> {
    if crate::validation::strict::lenient() {
        return Ok(());
    }
    match rest.as_object().and_then(|m| m.keys().next()) {
        Some(key) => Err(fail(
            Failure::Unknown(key.clone()),
            format_args!("unknown field `{key}`"),
        )),
        None => Ok(()),
    }
}

/// Serializes a tagged variant that has no other keys.
pub fn serialize_tag_only<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    tag: &str,
    tag_value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(tag, tag_value)?;
    map.end()
}

/// A value no JSON can be: the type of `z.never()` / `z.undefined()` schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Never {}

impl Serialize for Never {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> Deserialize<'de> for Never {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(de::Error::custom(
            "no value is allowed here (the schema is `not {}`)",
        ))
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
