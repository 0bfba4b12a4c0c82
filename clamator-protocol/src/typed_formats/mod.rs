//! Types for string formats, which generated code uses instead of `String` when asked
//! (`clamator-codegen-rs`'s `typed_format`). Each accepts exactly what the format check accepts
//! (Ajv's verdict, through `clamator-formats`), so the contract's verdicts do not change.

mod date_time;
mod uuid;

pub use self::date_time::{DateTime, NotADateTime};
pub use self::uuid::{NotAUuid, Uuid};

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

use crate::validation::Format;
use crate::validation::rules::format_failure;
use crate::validation::{Failure, fail};

/// A string of `format` decoded with `parse`. A refusal carries the format (and the format
/// check's own message), so that decoding reports what the check on a plain string would.
fn deserialize_in_format<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    format: Format,
    parse: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct Text<T>(Format, fn(&str) -> Option<T>, PhantomData<T>);
    impl<T> Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            (self.1)(s).ok_or_else(|| fail(Failure::Format(self.0), format_failure(&[self.0]).1))
        }
    }
    deserializer.deserialize_str(Text(format, parse, PhantomData))
}
