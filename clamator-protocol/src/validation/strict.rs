//! A deserializer over `&serde_json::Value` that follows JSON Schema rather than serde's leniency:
//!
//! - a struct is read only from a JSON object (serde's own `Value` deserializer also accepts an
//!   array, so `[1, 2]` would fill a two-field struct);
//! - an integer is also read from a float with no fractional part (`2.0`), which JSON Schema's
//!   `integer` accepts and which peers send;
//! - a tuple or sequence must be consumed whole: extra items are an error.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

use super::failure::DecodeError as Error;

/// The strict deserializer for one JSON value.
#[derive(Clone, Copy, Debug)]
pub struct Strict<'a>(pub &'a Value);

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl<'a> Strict<'a> {
    fn invalid<V: Visitor<'a>>(self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.0), visitor)
    }

    fn visit_array<V: Visitor<'a>>(items: &'a [Value], visitor: V) -> Result<V::Value, Error> {
        let mut seq = Seq {
            items: items.iter(),
        };
        let value = visitor.visit_seq(&mut seq)?;
        let left = seq.items.len();
        if left == 0 {
            Ok(value)
        } else {
            Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn visit_object<V: Visitor<'a>>(
        map: &'a Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Entries {
            entries: map.iter(),
            value: None,
        })
    }

    fn integer<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let Value::Number(n) = self.0 else {
            return Err(self.invalid(&visitor));
        };
        if let Some(u) = n.as_u64() {
            return visitor.visit_u64(u);
        }
        if let Some(i) = n.as_i64() {
            return visitor.visit_i64(i);
        }
        match n.as_f64() {
            // Exactly representable whole numbers only: 2.0 yes, 2.5 and 1e300 no.
            Some(f) if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 => {
                visitor.visit_i64(f as i64)
            }
            _ => Err(self.invalid(&visitor)),
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            self.integer(visitor)
        }
    )*};
}

impl<'a> Deserializer<'a> for Strict<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => Self::visit_array(items, visitor),
            Value::Object(map) => Self::visit_object(map, visitor),
        }
    }

    integers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
              deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => Self::visit_array(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => Self::visit_object(map, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // Lenient decoding (a client reading a result): keys the struct does not know are
            // dropped before a strict struct can refuse them, as a Zod client drops them.
            Value::Object(map) if lenient() => visitor.visit_map(Entries {
                entries: map.iter().filter(|(k, _)| fields.contains(&k.as_str())),
                value: None,
            }),
            _ => self.deserialize_map(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(UnitVariant(s)),
            Value::Object(map) if map.len() == 1 => {
                let (variant, value) = map.iter().next().expect("one entry");
                visitor.visit_enum(DataVariant { variant, value })
            }
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct Seq<'a> {
    items: std::slice::Iter<'a, Value>,
}

impl<'a> SeqAccess<'a> for Seq<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a, I> {
    entries: I,
    value: Option<&'a Value>,
}

thread_local! {
    static LENIENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether unknown object keys are being dropped rather than refused (see [`lenient_scope`]).
pub(crate) fn lenient() -> bool {
    LENIENT.with(std::cell::Cell::get)
}

/// Runs `f` with unknown keys of structs dropped instead of refused. Decoding is synchronous,
/// so a per-thread flag is exact; it is restored even if `f` panics.
pub(crate) fn lenient_scope<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            LENIENT.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(LENIENT.with(|l| l.replace(true)));
    f()
}

impl<'a, I: Iterator<Item = (&'a String, &'a Value)>> MapAccess<'a> for Entries<'a, I> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key = de::value::BorrowedStrDeserializer::<Error>::new(key.as_str());
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value without key"))?;
        seed.deserialize(Strict(value))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.entries.size_hint() {
            (low, Some(high)) if low == high => Some(low),
            _ => None,
        }
    }
}

struct UnitVariant<'a>(&'a str);

impl<'a> EnumAccess<'a> for UnitVariant<'a> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'a>>(self, seed: V) -> Result<(V::Value, UnitOnly), Error> {
        let name = de::value::BorrowedStrDeserializer::<Error>::new(self.0);
        Ok((seed.deserialize(name)?, UnitOnly))
    }
}

struct UnitOnly;

impl<'a> VariantAccess<'a> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'a>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

struct DataVariant<'a> {
    variant: &'a str,
    value: &'a Value,
}

impl<'a> EnumAccess<'a> for DataVariant<'a> {
    type Error = Error;
    type Variant = Strict<'a>;

    fn variant_seed<V: DeserializeSeed<'a>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Strict<'a>), Error> {
        let name = de::value::BorrowedStrDeserializer::<Error>::new(self.variant);
        Ok((seed.deserialize(name)?, Strict(self.value)))
    }
}

impl<'a> VariantAccess<'a> for Strict<'a> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'a>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    fn decode<T: for<'de> Deserialize<'de>>(value: Value) -> Result<T, String> {
        T::deserialize(Strict(&value)).map_err(|e| e.to_string())
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Pair {
        a: i64,
        b: i64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Size {
        #[serde(rename = "s")]
        Small,
    }

    #[test]
    fn structs_only_from_objects() {
        assert_eq!(
            decode::<Pair>(json!({"a": 1, "b": 2})),
            Ok(Pair { a: 1, b: 2 })
        );
        let err = decode::<Pair>(json!([1, 2])).unwrap_err();
        assert!(err.contains("invalid type: sequence"), "{err}");
    }

    #[test]
    fn whole_floats_are_integers_other_floats_are_not() {
        assert_eq!(decode::<i64>(json!(2.0)), Ok(2));
        assert_eq!(decode::<i64>(json!(-0.0)), Ok(0));
        assert!(decode::<i64>(json!(2.5)).is_err());
        assert!(decode::<i64>(json!(1e300)).is_err());
        assert!(decode::<i64>(json!("1")).is_err());
        assert_eq!(decode::<u8>(json!(255)), Ok(255));
        assert!(decode::<u8>(json!(256)).is_err());
        assert_eq!(decode::<f64>(json!(3)), Ok(3.0));
    }

    #[test]
    fn tuples_must_be_consumed_whole() {
        assert_eq!(
            decode::<(String, i64)>(json!(["a", 1])),
            Ok(("a".to_owned(), 1))
        );
        assert!(decode::<(String, i64)>(json!(["a", 1, 2])).is_err());
        assert!(decode::<(String, i64)>(json!(["a"])).is_err());
        assert!(decode::<(String, i64)>(json!({"0": "a", "1": 1})).is_err());
    }

    #[test]
    fn options_units_and_enums() {
        assert_eq!(decode::<Option<i64>>(json!(null)), Ok(None));
        assert_eq!(decode::<Option<i64>>(json!(4)), Ok(Some(4)));
        assert_eq!(decode::<()>(json!(null)), Ok(()));
        assert!(decode::<()>(json!(0)).is_err());
        assert_eq!(decode::<Size>(json!("s")), Ok(Size::Small));
        assert!(decode::<Size>(json!("S")).is_err());
        assert!(decode::<bool>(json!(1)).is_err());
        assert!(decode::<String>(json!(1)).is_err());
    }
}
