//! Deserializing generated structs and string enums through one visitor in the runtime.
//!
//! serde's `#[derive(Deserialize)]` expands to about 170 lines per type (an identifier enum, two
//! visitors, `visit_map` and `visit_seq`), and checking that expansion was most of the compile
//! time of a large generated crate. Here the visitor, the key lookup, unknown and duplicate keys
//! live once; a generated impl only names its keys and builds itself from the values read:
//!
//! ```ignore
//! let build = |(f0, (f1, ()))| Ok(Self {
//!     start: __p::required(f0, "start")?,
//!     end: __p::or_default(f1, span_end_default),
//! });
//! __p::strict_object(d, &["start", "end"], build)
//! ```
//!
//! The values land in a list of `Option` slots, one per key in key order ([`Slots`]), whose
//! types come from how the closure uses them. Errors are serde's own (`missing_field`, `unknown_field`,
//! `duplicate_field`, `invalid_type` with "struct Span", `invalid_length` and `invalid_value`
//! for formats that write structs as sequences and names as indexes), raised where the derive
//! raises them, so messages, paths and failure kinds are what the derived impls gave.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

use crate::contract::short_name;

/// What a generated struct does with a key it does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unknown {
    /// Skip it (Zod's default, `strip`).
    Drop,
    /// Refuse the value (`.strict()`).
    Refuse,
}

/// A required key was absent: the error of [`required`], made serde's `missing_field` by the
/// struct's visitor.
#[derive(Debug)]
pub struct Missing(&'static str);

/// The slots a struct's values are read into, one per key in key order: `()`, `(Option<H>,
/// rest)`, or eight slots and the rest (`(Option<A>, …, Option<H>, rest)`), so that a wide struct
/// nests an eighth as deep (the trait solver stops at 128 levels).
pub trait Slots<'de>: Sized {
    /// Every slot empty.
    const EMPTY: Self;

    /// Reads the next value of `map` into slot `index`; `false` if that slot was already filled
    /// (a duplicate key), leaving the value unread.
    fn fill<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error>;

    /// Reads the elements of `seq` into the slots in order (a format that writes a struct as a
    /// sequence), until either ends; how many were read.
    fn fill_seq<A: SeqAccess<'de>>(&mut self, seq: &mut A) -> Result<usize, A::Error>;
}

impl<'de> Slots<'de> for () {
    const EMPTY: Self = ();

    fn fill<A: MapAccess<'de>>(&mut self, _: usize, _: &mut A) -> Result<bool, A::Error> {
        // Only a generated impl whose slots do not match its keys gets here.
        Err(de::Error::custom("more keys than slots"))
    }

    fn fill_seq<A: SeqAccess<'de>>(&mut self, _: &mut A) -> Result<usize, A::Error> {
        Ok(0)
    }
}

#[inline]
fn put<'de, V: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<V>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Ok(false);
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

impl<'de, H: Deserialize<'de>, T: Slots<'de>> Slots<'de> for (Option<H>, T) {
    const EMPTY: Self = (None, T::EMPTY);

    #[inline]
    fn fill<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error> {
        match index {
            0 => put(&mut self.0, map),
            _ => self.1.fill(index - 1, map),
        }
    }

    fn fill_seq<A: SeqAccess<'de>>(&mut self, seq: &mut A) -> Result<usize, A::Error> {
        match seq.next_element()? {
            Some(v) => {
                self.0 = Some(v);
                Ok(1 + self.1.fill_seq(seq)?)
            }
            None => Ok(0),
        }
    }
}

/// Eight slots and the rest.
macro_rules! eight_slots {
    ($($t:ident $i:tt),*) => {
        impl<'de, $($t: Deserialize<'de>,)* T: Slots<'de>> Slots<'de>
            for ($(Option<$t>,)* T)
        {
            const EMPTY: Self = ($(eight_slots!(@none $t),)* T::EMPTY);

            #[inline]
            fn fill<A: MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match index {
                    $($i => put(&mut self.$i, map),)*
                    _ => self.8.fill(index - 8, map),
                }
            }

            fn fill_seq<A: SeqAccess<'de>>(&mut self, seq: &mut A) -> Result<usize, A::Error> {
                $(
                    match seq.next_element()? {
                        Some(v) => self.$i = Some(v),
                        None => return Ok($i),
                    }
                )*
                Ok(8 + self.8.fill_seq(seq)?)
            }
        }
    };
    (@none $t:ident) => { None };
}

eight_slots!(V0 0, V1 1, V2 2, V3 3, V4 4, V5 5, V6 6, V7 7);

/// Deserializes a struct whose object drops unknown keys (Zod's `strip`, its default). `keys`
/// are the wire names in declaration order; `build` makes the struct from their slots.
pub fn strip_object<'de, D, S, T, F>(
    deserializer: D,
    keys: &'static [&'static str],
    build: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: Slots<'de>,
    F: FnOnce(S) -> Result<T, Missing>,
{
    read_struct(deserializer, keys, Unknown::Drop, build)
}

/// Deserializes a struct whose object refuses unknown keys (Zod's `.strict()`).
pub fn strict_object<'de, D, S, T, F>(
    deserializer: D,
    keys: &'static [&'static str],
    build: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: Slots<'de>,
    F: FnOnce(S) -> Result<T, Missing>,
{
    read_struct(deserializer, keys, Unknown::Refuse, build)
}

fn read_struct<'de, D, S, T, F>(
    deserializer: D,
    fields: &'static [&'static str],
    unknown: Unknown,
    build: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: Slots<'de>,
    F: FnOnce(S) -> Result<T, Missing>,
{
    // Only an error message needs the short name (`Span`, as serde's derive names the struct),
    // so it is worked out there (`short_name`): here it would cost on every value.
    let name = std::any::type_name::<T>();
    let visitor = StructVisitor {
        name,
        fields,
        unknown,
        build,
        slots: PhantomData,
    };
    deserializer.deserialize_struct(name, fields, visitor)
}

/// The value of a required key.
pub fn required<T>(slot: Option<T>, key: &'static str) -> Result<T, Missing> {
    slot.ok_or(Missing(key))
}

/// The value of an optional key: absent and null are both `None`.
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// The value of a key with a default.
pub fn or_default<T>(slot: Option<T>, default: fn() -> T) -> T {
    slot.unwrap_or_else(default)
}

struct StructVisitor<S, F> {
    name: &'static str,
    fields: &'static [&'static str],
    unknown: Unknown,
    build: F,
    slots: PhantomData<S>,
}

impl<'de, S, T, F> Visitor<'de> for StructVisitor<S, F>
where
    S: Slots<'de>,
    F: FnOnce(S) -> Result<T, Missing>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", short_name(self.name))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = S::EMPTY;
        let key = Key {
            names: self.fields,
            unknown: self.unknown,
            what: Names::Fields,
        };
        while let Some(index) = map.next_key_seed(key)? {
            match index {
                Some(i) => {
                    if !slots.fill(i, &mut map)? {
                        return Err(de::Error::duplicate_field(self.fields[i]));
                    }
                }
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        // Inside the deserializer, as the derive does, so that the error says where it is.
        (self.build)(slots).map_err(|Missing(key)| de::Error::missing_field(key))
    }

    // Formats that write a struct as a sequence (bincode, postcard); JSON's `Strict` never
    // calls this, as it reads a struct only from an object.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut slots = S::EMPTY;
        let read = slots.fill_seq(&mut seq)?;
        (self.build)(slots).map_err(|Missing(key)| {
            // The derive counts up to the first required field the sequence did not reach.
            let at = self.fields.iter().position(|f| *f == key).unwrap_or(read);
            let n = self.fields.len();
            let s = if n == 1 { "" } else { "s" };
            let expected = format!("struct {} with {n} element{s}", short_name(self.name));
            de::Error::invalid_length(at, &expected.as_str())
        })
    }
}

/// Deserializes a string enum (a unit variant per value): `values` are the wire values and
/// `all` the variants, in the same order.
pub fn read_unit_enum<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    name: &'static str,
    values: &'static [&'static str],
    all: &'static [T],
) -> Result<T, D::Error> {
    let index = deserializer.deserialize_enum(name, values, EnumVisitor { name, values })?;
    all.get(index)
        .copied()
        .ok_or_else(|| de::Error::custom("more values than variants"))
}

struct EnumVisitor {
    name: &'static str,
    values: &'static [&'static str],
}

impl<'de> Visitor<'de> for EnumVisitor {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        let key = Key {
            names: self.values,
            unknown: Unknown::Refuse,
            what: Names::Variants,
        };
        let (index, variant) = data.variant_seed(key)?;
        variant.unit_variant()?;
        // `Refuse` never yields `None`.
        index.ok_or_else(|| de::Error::custom("unknown variant"))
    }
}

#[derive(Clone, Copy)]
enum Names {
    Fields,
    Variants,
}

/// Reads a key (or a variant name) as its index among `names`; `None` for an unknown key that
/// is dropped.
#[derive(Clone, Copy)]
struct Key {
    names: &'static [&'static str],
    unknown: Unknown,
    what: Names,
}

impl Key {
    fn index<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => Ok(Some(i)),
            None => match (self.unknown, self.what) {
                (Unknown::Drop, _) => Ok(None),
                (Unknown::Refuse, Names::Fields) => Err(E::unknown_field(name, self.names)),
                (Unknown::Refuse, Names::Variants) => Err(E::unknown_variant(name, self.names)),
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.what {
            Names::Fields => "field identifier",
            Names::Variants => "variant identifier",
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.index(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        self.index(&String::from_utf8_lossy(v))
    }

    // Formats that name a field or a variant by its index (bincode).
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let n = self.names.len();
        match usize::try_from(v).ok().filter(|i| *i < n) {
            Some(i) => Ok(Some(i)),
            None => match (self.unknown, self.what) {
                (Unknown::Drop, _) => Ok(None),
                (Unknown::Refuse, what) => {
                    let what = match what {
                        Names::Fields => "field",
                        Names::Variants => "variant",
                    };
                    let expected = format!("{what} index 0 <= i < {n}");
                    Err(E::invalid_value(
                        Unexpected::Unsigned(v),
                        &expected.as_str(),
                    ))
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    //! The runtime visitor against serde's derive on the same shapes (same names, in two
    //! modules): every input decodes to the same value or fails with the same violation (kind,
    //! `loc`, message), strictly, leniently (a client reading a result) and from JSON text.

    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};

    use crate::validation::{decode, decode_lenient};

    fn seven() -> i64 {
        7
    }

    mod derived {
        use serde::{Deserialize, Deserializer, Serialize};

        fn required_nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            Option::deserialize(d)
        }

        fn some<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
            Option::deserialize(d).map(Some)
        }

        #[derive(Debug, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Inner {
            n: i64,
        }

        #[derive(Serialize, Deserialize, Clone, Copy)]
        pub enum Color {
            #[serde(rename = "red")]
            Red,
            #[serde(rename = "dark-blue")]
            DarkBlue,
        }

        #[derive(Serialize, Deserialize)]
        pub struct Outer {
            name: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            #[serde(default, deserialize_with = "some")]
            extra: Option<Option<i64>>,
            #[serde(deserialize_with = "required_nullable")]
            must: Option<i64>,
            #[serde(rename = "lvl", default = "super::seven")]
            level: i64,
            inner: Inner,
            color: Color,
        }
    }

    mod manual {
        use serde::{Deserialize, Deserializer, Serialize};

        use super::super::{
            optional, or_default, read_unit_enum, required, strict_object, strip_object,
        };

        #[derive(Debug, Serialize)]
        pub struct Inner {
            n: i64,
        }

        impl<'de> Deserialize<'de> for Inner {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                strict_object(d, &["n"], |(f0, ())| {
                    Ok(Self {
                        n: required(f0, "n")?,
                    })
                })
            }
        }

        #[derive(Serialize, Clone, Copy)]
        pub enum Color {
            #[serde(rename = "red")]
            Red,
            #[serde(rename = "dark-blue")]
            DarkBlue,
        }

        impl<'de> Deserialize<'de> for Color {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let all = &[Self::Red, Self::DarkBlue];
                read_unit_enum(d, "Color", &["red", "dark-blue"], all)
            }
        }

        #[derive(Serialize)]
        pub struct Outer {
            name: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            extra: Option<Option<i64>>,
            must: Option<i64>,
            #[serde(rename = "lvl")]
            level: i64,
            inner: Inner,
            color: Color,
        }

        impl<'de> Deserialize<'de> for Outer {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let keys = &["name", "note", "extra", "must", "lvl", "inner", "color"];
                strip_object(d, keys, |(f0, (f1, (f2, (f3, (f4, (f5, (f6, ())))))))| {
                    Ok(Self {
                        name: required(f0, "name")?,
                        note: optional(f1),
                        extra: f2,
                        must: required(f3, "must")?,
                        level: or_default(f4, super::seven),
                        inner: required(f5, "inner")?,
                        color: required(f6, "color")?,
                    })
                })
            }
        }
    }

    fn outcome<T: Serialize, E: std::fmt::Debug>(result: Result<T, E>) -> Result<Value, String> {
        result
            .map(|v| serde_json::to_value(v).unwrap())
            .map_err(|e| format!("{e:?}"))
    }

    fn inputs() -> Vec<Value> {
        let full = json!({"name": "a", "note": "n", "extra": 1, "must": 2, "lvl": 3,
                          "inner": {"n": 4}, "color": "dark-blue"});
        let mut cases = vec![full.clone()];
        let edits: Vec<(&str, Option<Value>)> = vec![
            ("name", None),
            ("name", Some(json!(5))),
            ("note", None),
            ("note", Some(Value::Null)),
            ("extra", None),
            ("extra", Some(Value::Null)),
            ("extra", Some(json!("x"))),
            ("must", None),
            ("must", Some(Value::Null)),
            ("lvl", None),
            ("lvl", Some(Value::Null)),
            ("lvl", Some(json!(2.0))),
            ("lvl", Some(json!(2.5))),
            ("inner", None),
            ("inner", Some(json!({}))),
            ("inner", Some(json!({"n": 1, "m": 2}))),
            ("inner", Some(json!({"n": "1"}))),
            ("inner", Some(json!([1]))),
            ("color", Some(json!("blue"))),
            ("color", Some(json!(3))),
            ("color", Some(json!({"red": null}))),
            ("unknown", Some(json!(1))),
        ];
        for (key, value) in edits {
            let mut case = full.clone();
            let object = case.as_object_mut().unwrap();
            match value {
                Some(v) => object.insert(key.to_owned(), v),
                None => object.shift_remove(key),
            };
            cases.push(case);
        }
        cases.extend([json!([]), json!(null), json!("a"), json!({})]);
        cases
    }

    #[test]
    fn decodes_and_fails_as_the_derived_impl_does() {
        for input in inputs() {
            assert_eq!(
                outcome(decode::<manual::Outer>(&input)),
                outcome(decode::<derived::Outer>(&input)),
                "strict: {input}"
            );
            assert_eq!(
                outcome(decode_lenient::<manual::Outer>(&input)),
                outcome(decode_lenient::<derived::Outer>(&input)),
                "lenient: {input}"
            );
            let text = input.to_string();
            assert_eq!(
                outcome(serde_json::from_str::<manual::Outer>(&text)),
                outcome(serde_json::from_str::<derived::Outer>(&text)),
                "text: {input}"
            );
        }
    }

    #[test]
    fn duplicate_keys_in_text_are_refused_as_the_derived_impl_does() {
        let text = r#"{"n": 1, "n": 2}"#;
        let manual = serde_json::from_str::<manual::Inner>(text)
            .err()
            .map(|e| e.to_string());
        let derived = serde_json::from_str::<derived::Inner>(text)
            .err()
            .map(|e| e.to_string());
        assert_eq!(manual, derived);
        assert!(manual.unwrap().contains("duplicate field `n`"));
    }

    #[test]
    fn sequences_and_indexes_read_as_the_derived_impl_reads_them() {
        // Formats such as bincode write a struct as a sequence and name fields and variants by
        // index; JSON text can say the same.
        for text in [
            "[1]",
            "[]",
            "[1, 2]",
            r#"{"0": 1}"#,
            r#"["a", null, null, 2, 3, {"n": 1}, "red"]"#,
            r#"["a", null, null, 2]"#,
            r#"["a"]"#,
        ] {
            let manual = outcome(serde_json::from_str::<manual::Inner>(text));
            let derived = outcome(serde_json::from_str::<derived::Inner>(text));
            assert_eq!(manual, derived, "{text}");
            let manual = outcome(serde_json::from_str::<manual::Outer>(text));
            let derived = outcome(serde_json::from_str::<derived::Outer>(text));
            assert_eq!(manual, derived, "{text}");
        }
        let index = serde::de::value::U64Deserializer::<serde::de::value::Error>::new;
        for i in [0, 1, 2] {
            let manual = manual::Color::deserialize(EnumIndex(index(i))).map(|c| c as u8);
            let derived = derived::Color::deserialize(EnumIndex(index(i))).map(|c| c as u8);
            assert_eq!(
                manual.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "variant {i}"
            );
        }
    }

    /// An enum named by the index of its variant, as bincode writes one.
    struct EnumIndex<D>(D);

    impl<'de, D: serde::Deserializer<'de, Error = serde::de::value::Error>> serde::Deserializer<'de>
        for EnumIndex<D>
    {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            v: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.deserialize_any(v)
        }

        fn deserialize_enum<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Self::Error> {
            v.visit_enum(self)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
            ignored_any
        }
    }

    impl<'de, D: serde::Deserializer<'de, Error = serde::de::value::Error>>
        serde::de::EnumAccess<'de> for EnumIndex<D>
    {
        type Error = serde::de::value::Error;
        type Variant = UnitVariant;

        fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
            self,
            seed: V,
        ) -> Result<(V::Value, Self::Variant), Self::Error> {
            Ok((seed.deserialize(self.0)?, UnitVariant))
        }
    }

    struct UnitVariant;

    impl<'de> serde::de::VariantAccess<'de> for UnitVariant {
        type Error = serde::de::value::Error;

        fn unit_variant(self) -> Result<(), Self::Error> {
            Ok(())
        }

        fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
            self,
            _: T,
        ) -> Result<T::Value, Self::Error> {
            unreachable!("string enums have unit variants only")
        }

        fn tuple_variant<V: serde::de::Visitor<'de>>(
            self,
            _: usize,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            unreachable!("string enums have unit variants only")
        }

        fn struct_variant<V: serde::de::Visitor<'de>>(
            self,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            unreachable!("string enums have unit variants only")
        }
    }
}
