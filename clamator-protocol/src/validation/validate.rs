//! [`Validate`]: the value rules of a type, checked after decoding and before encoding.

use std::collections::BTreeMap;

use serde_json::Value;

use super::path::Path;
use super::violation::Violations;

/// Checks the rules a schema states beyond types (lengths, bounds, patterns, formats, item
/// counts, uniqueness), recording every violation with its place.
///
/// Generated types implement it; clamator's edges call it on params after decoding and before
/// sending, and on results before sending and after receipt. Types with no rules (`String`,
/// `i64`, `serde_json::Value`, …) accept everything; containers check their items. Checking a
/// valid value allocates nothing.
pub trait Validate {
    /// Records in `out` each rule broken by `self` or anything inside it; `at` is where `self`
    /// sits in the value being checked.
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations);

    /// Checks the whole value: `Err` lists every violation.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_at(&Path::Root, &mut out);
        out.into_result()
    }
}

crate::__no_value_rules!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    String,
    str,
    (),
    Value,
    crate::generated::Never,
);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        (**self).validate_at(at, out);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        (**self).validate_at(at, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        if let Some(v) = self {
            v.validate_at(at, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&at.index(i), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        self.as_slice().validate_at(at, out);
    }
}

/// A record's values, each checked under its key (record keys are wire names; generated code
/// checks maps with enum keys itself, through the enum's `as_str`).
impl<V: Validate> Validate for BTreeMap<String, V> {
    fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
        for (key, value) in self {
            value.validate_at(&at.key(key), out);
        }
    }
}

macro_rules! tuples {
    ($(($($name:ident $index:tt),+))*) => {
        $(impl<$($name: Validate),+> Validate for ($($name,)+) {
            fn validate_at(&self, at: &Path<'_>, out: &mut Violations) {
                $(self.$index.validate_at(&at.index($index), out);)+
            }
        })*
    };
}

tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}
