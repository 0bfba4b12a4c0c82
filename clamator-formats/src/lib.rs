//! `format` keywords with the semantics of Ajv's `ajv-formats` in its default "full" mode, which
//! gives the JSON Schema verdicts clamator follows. Each check is a small hand-written parser of
//! the grammar Ajv accepts (RFC 3339 dates and times with real calendars and leap seconds,
//! RFC 3986 URIs, RFC 4122 UUIDs), so no regular expression engine runs for formats.
//!
//! Patterns compile here too ([`compile_pattern`]). The runtime (`clamator-protocol`) checks
//! values with this crate; the code generator checks schema defaults and patterns with it, so
//! both agree by construction.

mod calendar;
mod internet;
mod pattern;

use std::net::Ipv4Addr;

pub use calendar::{DateTimeParts, parse_date_time};
use calendar::{date, date_time, duration, time};
use internet::{email, ipv6, uri, uuid};
pub use pattern::compile_pattern;

/// A string format the checks know. Formats JSON Schema names but clamator does not check
/// (`hostname`, `uri-reference`, …) never reach generated code: an unknown format validates
/// nothing, as in Ajv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `email`.
    Email,
    /// `uri`: an absolute URI.
    Uri,
    /// `uuid`.
    Uuid,
    /// `date-time`: RFC 3339, with a time zone.
    DateTime,
    /// `date`: `YYYY-MM-DD`, a real calendar day.
    Date,
    /// `time`: `hh:mm:ss[.f]` with a time zone.
    Time,
    /// `duration`: ISO 8601 (`P1DT2H`, `P3W`).
    Duration,
    /// `ipv4`: dotted quad, no leading zeros.
    Ipv4,
    /// `ipv6`.
    Ipv6,
}

impl Format {
    /// Every format, in the order above.
    pub const ALL: [Format; 9] = [
        Format::Email,
        Format::Uri,
        Format::Uuid,
        Format::DateTime,
        Format::Date,
        Format::Time,
        Format::Duration,
        Format::Ipv4,
        Format::Ipv6,
    ];

    /// The format named `name` in a schema, if clamator checks it.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "email" => Format::Email,
            "uri" => Format::Uri,
            "uuid" => Format::Uuid,
            "date-time" => Format::DateTime,
            "date" => Format::Date,
            "time" => Format::Time,
            "duration" => Format::Duration,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            _ => return None,
        })
    }

    /// The schema's name for the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Uri => "uri",
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Duration => "duration",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
        }
    }

    /// Whether `text` is in this format.
    pub fn is_valid(self, text: &str) -> bool {
        match self {
            Format::Email => email(text),
            Format::Uri => uri(text),
            Format::Uuid => uuid(text),
            Format::DateTime => date_time(text),
            Format::Date => date(text),
            Format::Time => time(text),
            Format::Duration => duration(text),
            Format::Ipv4 => text.parse::<Ipv4Addr>().is_ok(),
            Format::Ipv6 => ipv6(text),
        }
    }

    /// Pydantic's error type and message for a value not in this format.
    pub fn error(self) -> (&'static str, &'static str) {
        match self {
            Format::Email => ("value_error", "value is not a valid email address"),
            Format::Uri => ("url_parsing", "Input should be a valid URL"),
            Format::Uuid => ("uuid_parsing", "Input should be a valid UUID"),
            Format::DateTime => ("datetime_parsing", "Input should be a valid datetime"),
            Format::Date => ("date_parsing", "Input should be a valid date"),
            Format::Time => ("time_parsing", "Input should be in a valid time format"),
            Format::Duration => ("time_delta_parsing", "Input should be a valid timedelta"),
            Format::Ipv4 => ("ip_v4_address", "Input is not a valid IPv4 address"),
            Format::Ipv6 => ("ip_v6_address", "Input is not a valid IPv6 address"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    /// Asserts the verdict on each text; the expected verdicts are Ajv 8's with ajv-formats 3
    /// ("full").
    pub(crate) fn check(format: Format, valid: &[&str], invalid: &[&str]) {
        for v in valid {
            assert!(format.is_valid(v), "{} should accept {v:?}", format.name());
        }
        for v in invalid {
            assert!(!format.is_valid(v), "{} should reject {v:?}", format.name());
        }
    }
}
