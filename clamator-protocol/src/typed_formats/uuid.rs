//! `format: uuid` as a UUID. The wire spelling is the canonical one, as Pydantic writes it.

use std::fmt;
use std::str::FromStr;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::validation::Format;

/// A `format: uuid` string as a UUID (the `uuid` crate's, re-exported as `clamator_protocol::uuid`).
///
/// Decodes what JSON Schema's `uuid` accepts (`8-4-4-4-12` hex digits in any case, optionally
/// after `urn:uuid:`); encodes lowercase and hyphenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub uuid::Uuid);

impl Uuid {
    /// A random (version 4) UUID.
    pub fn new_v4() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// The `uuid` crate's value.
    pub fn as_uuid(&self) -> &uuid::Uuid {
        &self.0
    }
}

impl From<uuid::Uuid> for Uuid {
    fn from(value: uuid::Uuid) -> Self {
        Self(value)
    }
}

impl From<Uuid> for uuid::Uuid {
    fn from(value: Uuid) -> Self {
        value.0
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// Why a string is not a `format: uuid` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAUuid(pub String);

impl fmt::Display for NotAUuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a UUID (8-4-4-4-12 hexadecimal digits)",
            self.0
        )
    }
}

impl std::error::Error for NotAUuid {}

impl FromStr for Uuid {
    type Err = NotAUuid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if !Format::Uuid.is_valid(s) {
            return Err(NotAUuid(s.to_owned()));
        }
        uuid::Uuid::try_parse(s)
            .map(Self)
            .map_err(|_| NotAUuid(s.to_owned()))
    }
}

impl Serialize for Uuid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.hyphenated())
    }
}

impl<'de> Deserialize<'de> for Uuid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::deserialize_in_format(deserializer, Format::Uuid, |s| s.parse().ok())
    }
}

// The type enforces its format itself; no other rule applies.
crate::__no_value_rules!(Uuid);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_the_format_accepts_and_writes_the_canonical_form() {
        for ok in [
            "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
            "0B9F6B4C-3F1E-4A8E-9A7D-2C1B0A9F8E7D",
            "urn:uuid:0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
        ] {
            let id: Uuid = serde_json::from_value(serde_json::json!(ok)).unwrap();
            assert_eq!(
                serde_json::to_value(id).unwrap(),
                "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d"
            );
        }
        // The uuid crate alone would take these; JSON Schema's `uuid` does not.
        for bad in [
            "0b9f6b4c3f1e4a8e9a7d2c1b0a9f8e7d",
            "{0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d}",
            "nope",
        ] {
            assert!(
                serde_json::from_value::<Uuid>(serde_json::json!(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
