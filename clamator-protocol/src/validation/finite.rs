//! Finds a NaN or an infinity in a value about to be sent.
//!
//! JSON has no spelling for them and serde_json writes them as `null`, so a handler's `f64::NAN`
//! would reach the caller as a success holding `null`. This walks the value through serde, without
//! building anything, and reports where the first one is (wire names and indexes, as `loc`).

use std::fmt;

use serde::ser::{self, Serialize, Serializer};
use serde_json::Value;

/// The location of the first non-finite float in `value`, if there is one.
pub(crate) fn first_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<Vec<Value>> {
    let mut walk = Walk { path: Vec::new() };
    match value.serialize(&mut walk) {
        Err(Found) => {
            // Written innermost first.
            walk.path.reverse();
            Some(walk.path)
        }
        Ok(()) => None,
    }
}

/// Stops the walk at the first non-finite float; `path` then holds its location.
#[derive(Debug)]
struct Found;

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("non-finite number")
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<M: fmt::Display>(_: M) -> Self {
        // Any other serialisation failure is left for serde_json to report.
        Found
    }
}

struct Walk {
    path: Vec<Value>,
}

impl Walk {
    fn float(&mut self, v: f64) -> Result<(), Found> {
        if v.is_finite() { Ok(()) } else { Err(Found) }
    }

    /// Walks `value`, found at `segment`. The path is only written on the way out of a find, so
    /// a value without NaN or infinity costs no allocation.
    fn at<T: Serialize + ?Sized>(
        &mut self,
        segment: impl FnOnce() -> Value,
        value: &T,
    ) -> Result<(), Found> {
        let found = value.serialize(&mut *self);
        if found.is_err() {
            self.path.push(segment());
        }
        found
    }
}

/// A map key as `loc` shows it: its text when it serialises to a string or a number.
fn key_segment<K: Serialize + ?Sized>(key: &K) -> Value {
    match serde_json::to_value(key) {
        Ok(Value::String(s)) => Value::String(s),
        Ok(other) => Value::String(other.to_string()),
        Err(_) => Value::Null,
    }
}

macro_rules! ok {
    ($($name:ident($($arg:ty),*);)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), Found> { Ok(()) })*
    };
}

impl<'a> Serializer for &'a mut Walk {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = &'a mut Walk;
    type SerializeStructVariant = &'a mut Walk;

    ok! {
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_i128(i128); serialize_u8(u8); serialize_u16(u16);
        serialize_u32(u32); serialize_u64(u64); serialize_u128(u128); serialize_char(char);
        serialize_str(&str); serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<(), Found> {
        self.float(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Found> {
        self.float(v)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.at(|| Value::from(variant), value)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Found> {
        Ok(Seq {
            walk: self,
            index: 0,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Found> {
        self.serialize_seq(None)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, Found> {
        self.serialize_seq(None)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Found> {
        self.serialize_seq(None)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, Found> {
        Ok(Map {
            walk: self,
            key: Value::Null,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<&'a mut Walk, Found> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<&'a mut Walk, Found> {
        Ok(self)
    }
}

struct Seq<'a> {
    walk: &'a mut Walk,
    index: usize,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let index = self.index;
        self.index += 1;
        self.walk.at(|| Value::from(index), value)
    }
}

/// The four sequence-like serde traits differ only in their method's name.
macro_rules! seq_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Found;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
                self.item(value)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        }
    )*};
}

seq_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct Map<'a> {
    walk: &'a mut Walk,
    key: Value,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        // Map keys cannot be kept by reference: each one is turned into its text (maps only).
        self.key = key_segment(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let key = std::mem::take(&mut self.key);
        self.walk.at(|| key, value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

/// Struct fields, in a struct or a struct variant.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Walk {
            type Ok = ();
            type Error = Found;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Found> {
                self.at(|| Value::from(key), value)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Point {
        #[serde(rename = "xPos")]
        x: f64,
        tags: Vec<f32>,
        extra: BTreeMap<String, f64>,
    }

    #[test]
    fn finds_the_first_non_finite_float_with_its_wire_location() {
        let ok = Point {
            x: 1.0,
            tags: vec![1.0],
            extra: BTreeMap::new(),
        };
        assert_eq!(first_non_finite(&ok), None);
        let nan = Point {
            x: f64::NAN,
            tags: vec![],
            extra: BTreeMap::new(),
        };
        assert_eq!(first_non_finite(&nan), Some(vec![json!("xPos")]));
        let inf = Point {
            x: 0.0,
            tags: vec![1.0, f32::INFINITY],
            extra: BTreeMap::new(),
        };
        assert_eq!(first_non_finite(&inf), Some(vec![json!("tags"), json!(1)]));
        let in_map = Point {
            x: 0.0,
            tags: vec![],
            extra: BTreeMap::from([("k".to_owned(), f64::NEG_INFINITY)]),
        };
        assert_eq!(
            first_non_finite(&in_map),
            Some(vec![json!("extra"), json!("k")])
        );
        assert_eq!(first_non_finite(&json!({"a": [1.5, null]})), None);
    }
}
