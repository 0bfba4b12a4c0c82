//! What made decoding fail, as data: the `type` (and, for keys, the `loc`) of the violation a
//! peer sees is read from here, never from the wording of a message, so a serde release that
//! rewords its messages changes nothing on the wire.
//!
//! [`DecodeError`] is the error of strict decoding ([`super::Strict`]). serde's derived impls
//! report through the `de::Error` constructors (`missing_field`, `invalid_type`, …), which it
//! overrides to record the kind. Hand-written impls (generated unions, typed formats) work with
//! any error type, so they report through [`fail`]: the kind waits in a per-thread slot that
//! `DecodeError::custom` takes it from, matched by the message so it never attaches to another
//! error.

use std::cell::RefCell;
use std::fmt;

use clamator_formats::Format;
use serde::de;

/// The kinds of decoding failure, each a Pydantic error type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A required key is absent (`missing`; `loc` ends with the key).
    Missing(String),
    /// A key the type does not declare (`extra_forbidden`; `loc` ends with the key).
    Unknown(String),
    /// A value of the wrong JSON type (`type_error`).
    Type,
    /// A string that is not one of the enum's values (`enum`).
    Enum,
    /// An array of the wrong length (`length_error`).
    Length,
    /// A string a typed format refused (`uuid_parsing`, `datetime_from_date_parsing`, …).
    Format(Format),
    /// Anything else (`value_error`).
    Value,
}

/// The error of strict decoding: what failed, and serde's message for it.
#[derive(Debug, Clone)]
pub struct DecodeError {
    failure: Failure,
    message: String,
}

impl DecodeError {
    /// What failed.
    pub fn failure(&self) -> &Failure {
        &self.failure
    }

    fn new(failure: Failure, message: String) -> Self {
        Self { failure, message }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// serde's own wording for each kind, so that messages read as they always did.
impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        let failure = PENDING
            .with(|slot| {
                let mut slot = slot.borrow_mut();
                match slot.take() {
                    Some((failure, text)) if text == message => Some(failure),
                    other => {
                        *slot = other;
                        None
                    }
                }
            })
            .unwrap_or(Failure::Value);
        Self::new(failure, message)
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::new(
            Failure::Type,
            format!("invalid type: {unexpected}, expected {expected}"),
        )
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::new(
            Failure::Value,
            format!("invalid value: {unexpected}, expected {expected}"),
        )
    }

    fn invalid_length(len: usize, expected: &dyn de::Expected) -> Self {
        Self::new(
            Failure::Length,
            format!("invalid length {len}, expected {expected}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(
            Failure::Enum,
            format!(
                "unknown variant `{variant}`, {}",
                one_of(expected, "variants")
            ),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::new(
            Failure::Unknown(field.to_owned()),
            format!("unknown field `{field}`, {}", one_of(expected, "fields")),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Self::new(
            Failure::Missing(field.to_owned()),
            format!("missing field `{field}`"),
        )
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self::new(Failure::Value, format!("duplicate field `{field}`"))
    }
}

/// `expected `a``, `expected `a` or `b``, `expected one of `a`, `b`, `c``.
fn one_of(names: &[&str], what: &str) -> String {
    match names {
        [] => format!("there are no {what}"),
        [one] => format!("expected `{one}`"),
        [a, b] => format!("expected `{a}` or `{b}`"),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

thread_local! {
    /// The kind of the error [`fail`] is about to make, and its message.
    static PENDING: RefCell<Option<(Failure, String)>> = const { RefCell::new(None) };
}

/// An error of any `de::Error` type saying `message`; when that type is [`DecodeError`] (strict
/// decoding), it carries `failure` too.
pub fn fail<E: de::Error>(failure: Failure, message: impl fmt::Display) -> E {
    let message = message.to_string();
    PENDING.with(|slot| *slot.borrow_mut() = Some((failure, message.clone())));
    let error = E::custom(&message);
    // Another error type left the slot untouched: clear it.
    PENDING.with(|slot| slot.borrow_mut().take());
    error
}
