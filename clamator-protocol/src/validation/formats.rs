//! `format` keywords with the semantics of Ajv's `ajv-formats` in its default "full" mode, which
//! gives the JSON Schema verdicts clamator follows. Each check is a small hand-written parser of
//! the grammar Ajv accepts (RFC 3339 dates and times with real calendars and leap seconds,
//! RFC 3986 URIs, RFC 4122 UUIDs), so no regular expression engine runs for formats.

use std::net::{Ipv4Addr, Ipv6Addr};

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

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn number(text: &str) -> u32 {
    text.bytes().fold(0u32, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD` naming a day that exists (29 February only in leap years).
fn date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (y, m, d) = (&text[..4], &text[5..7], &text[8..]);
    if !(digits(y) && digits(m) && digits(d)) {
        return false;
    }
    let (year, month, day) = (number(y), number(m), number(d));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `hh:mm:ss[.fraction]` then `Z` or `±hh[[:]mm]` (required). 23:59:60 is a leap second, also
/// when the offset moves it to 23:59 UTC.
fn time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (h, m, s) = (&text[..2], &text[3..5], &text[6..8]);
    if !(digits(h) && digits(m) && digits(s)) {
        return false;
    }
    let mut rest = &text[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    let (sign, tz_h, tz_m) = if rest.eq_ignore_ascii_case("z") {
        (1i64, 0, 0)
    } else {
        let sign = match rest.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return false,
        };
        let zone = &rest[1..];
        let (zh, zm) = match zone.len() {
            2 => (zone, "00"),
            4 => (&zone[..2], &zone[2..]),
            5 if zone.as_bytes()[2] == b':' => (&zone[..2], &zone[3..]),
            _ => return false,
        };
        if !(digits(zh) && digits(zm)) {
            return false;
        }
        (sign, i64::from(number(zh)), i64::from(number(zm)))
    };
    if tz_h > 23 || tz_m > 59 {
        return false;
    }
    let (hour, minute, second) = (
        i64::from(number(h)),
        i64::from(number(m)),
        i64::from(number(s)),
    );
    if hour <= 23 && minute <= 59 && second < 60 {
        return true;
    }
    let utc_minute = minute - tz_m * sign;
    let utc_hour = hour - tz_h * sign - i64::from(utc_minute < 0);
    (utc_hour == 23 || utc_hour == -1) && (utc_minute == 59 || utc_minute == -1) && second < 61
}

/// A date and a time separated by `T`, `t` or one whitespace character.
fn date_time(text: &str) -> bool {
    let mut parts = text.split(|c: char| c == 'T' || c == 't' || c.is_whitespace());
    match (parts.next(), parts.next(), parts.next()) {
        (Some(d), Some(t), None) => date(d) && time(t),
        _ => false,
    }
}

/// `P` then years, months, days and a `T` part of hours, minutes, seconds (each optional, at
/// least one, integers only), or weeks alone.
fn duration(text: &str) -> bool {
    let Some(body) = text.strip_prefix('P') else {
        return false;
    };
    if body.is_empty() {
        return false;
    }
    // `(\d+U)` units in order; returns what follows, or None on a malformed unit.
    fn units<'a>(mut text: &'a str, allowed: &[u8]) -> Option<(&'a str, usize)> {
        let mut next = 0;
        let mut count = 0;
        while let Some(end) = text.find(|c: char| !c.is_ascii_digit()) {
            if end == 0 {
                break;
            }
            let unit = text.as_bytes()[end];
            let position = allowed[next..].iter().position(|&u| u == unit)?;
            next += position + 1;
            count += 1;
            text = &text[end + 1..];
        }
        if text.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((text, count))
    }
    if let Some(weeks) = body.strip_suffix('W') {
        return digits(weeks);
    }
    let Some((rest, _)) = units(body, b"YMD") else {
        return false;
    };
    match rest.strip_prefix('T') {
        None => rest.is_empty(),
        Some(time) => {
            if !time.starts_with(|c: char| c.is_ascii_digit()) {
                return false;
            }
            matches!(units(time, b"HMS"), Some(("", n)) if n > 0)
        }
    }
}

/// `[urn:uuid:]8-4-4-4-12` hex digits, any case.
fn uuid(text: &str) -> bool {
    let text = match text.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("urn:uuid:") => &text[9..],
        _ => text,
    };
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

const EMAIL_LOCAL_SPECIALS: &[u8] = b"!#$%&'*+/=?^_`{|}~-";

/// A dot-separated local part of letters, digits and `!#$%&'*+/=?^_\`{|}~-`, `@`, then at least
/// two dot-separated labels of letters, digits and inner hyphens.
fn email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || EMAIL_LOCAL_SPECIALS.contains(&b))
    });
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

fn ipv6(text: &str) -> bool {
    // Rust's parser and Ajv's pattern agree on the grammar, except that Ajv also accepts
    // hexadecimal digits in any case, as Rust does, and refuses zone ids, as Rust does.
    text.parse::<Ipv6Addr>().is_ok()
}

fn unreserved_or_sub_delim(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
}

/// Whether `text` is made of `allowed` bytes and `%XX` escapes.
fn escaped(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else if allowed(b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn pchar(b: u8) -> bool {
    unreserved_or_sub_delim(b) || b == b':' || b == b'@'
}

/// An absolute URI (RFC 3986 `URI`): a scheme, `:`, then an authority and path or a path, and
/// an optional query and fragment, all in ASCII with `%XX` escapes.
fn uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let s = scheme.as_bytes();
    if s.is_empty()
        || !s[0].is_ascii_alphabetic()
        || !s
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
    {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (hier, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    let tail_ok = |part: Option<&str>| {
        part.is_none_or(|p| escaped(p, |b| pchar(b) || b == b'/' || b == b'?'))
    };
    if !(tail_ok(query) && tail_ok(fragment)) {
        return false;
    }
    match hier.strip_prefix('/') {
        // `/path` or `//authority/path`: a path of segments always parses (an empty authority
        // followed by the path); otherwise the authority must, with an IP literal in brackets.
        Some(after) => {
            escaped(after, |b| pchar(b) || b == b'/') || {
                let after = after.strip_prefix('/').unwrap_or(after);
                let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
                authority_with_ip_literal(authority) && escaped(path, |b| pchar(b) || b == b'/')
            }
        }
        // A rootless path: one or more characters.
        None => {
            !hier.is_empty() && escaped(hier, |b| pchar(b) || b == b'/') && !hier.starts_with('/')
        }
    }
}

/// `[userinfo@][IP-literal][:port]` with an IP literal (`[v6]` or `[vX.…]`) as the host.
fn authority_with_ip_literal(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if userinfo.is_some_and(|u| !escaped(u, |b| unreserved_or_sub_delim(b) || b == b':')) {
        return false;
    }
    let Some(inner) = host_port.strip_prefix('[') else {
        return false;
    };
    let Some((literal, port)) = inner.split_once(']') else {
        return false;
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let literal_ok = match literal.strip_prefix(['v', 'V']) {
        Some(future) => future.split_once('.').is_some_and(|(hex, rest)| {
            !hex.is_empty()
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| unreserved_or_sub_delim(b) || b == b':')
        }),
        None => ipv6(literal),
    };
    port_ok && literal_ok
}

#[cfg(test)]
mod tests {
    use super::Format::{self, *};

    fn check(format: Format, valid: &[&str], invalid: &[&str]) {
        for v in valid {
            assert!(format.is_valid(v), "{} should accept {v:?}", format.name());
        }
        for v in invalid {
            assert!(!format.is_valid(v), "{} should reject {v:?}", format.name());
        }
    }

    // Verdicts as Ajv 8 with ajv-formats 3 ("full") gives them.
    #[test]
    fn dates_and_times() {
        check(
            Date,
            &["2026-11-25", "2024-02-29", "2000-02-29"],
            &[
                "2026-02-29",
                "1900-02-29",
                "2026-13-01",
                "2026-00-10",
                "2026-1-01",
                "2026-11-25T00:00:00Z",
                "２026-11-25",
            ],
        );
        check(
            Time,
            &[
                "14:47:07Z",
                "14:47:07.123z",
                "14:47:07+01:00",
                "14:47:07-0130",
                "14:47:07+01",
                "23:59:60Z",
                "00:59:60+01:00",
            ],
            &[
                "14:47:07",
                "24:00:00Z",
                "14:60:00Z",
                "14:47:60Z",
                "14:47:07+24:00",
                "14:47:07.Z",
                "14:47Z",
            ],
        );
        check(
            DateTime,
            &[
                "2026-11-25T14:47:07.123Z",
                "2026-11-25t14:47:07Z",
                "2026-11-25 14:47:07+05:30",
            ],
            &[
                "2026-11-25T14:47:07",
                "2026-11-25",
                "2026-11-25TT14:47:07Z",
                "2026-02-30T00:00:00Z",
            ],
        );
        check(
            Duration,
            &["P1D", "PT1H", "P1Y2M3DT4H5M6S", "P3W", "PT0S", "P1DT1M"],
            &[
                "P", "PT", "P1DT", "P1W1D", "P1M1Y", "P1.5D", "p1d", "1D", "PT1D",
            ],
        );
    }

    #[test]
    fn identifiers_and_addresses() {
        check(
            Uuid,
            &[
                "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
                "0B9F6B4C-3F1E-4A8E-9A7D-2C1B0A9F8E7D",
                "urn:uuid:0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
            ],
            &[
                "nope",
                "0b9f6b4c3f1e4a8e9a7d2c1b0a9f8e7d",
                "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7",
                "{0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d}",
            ],
        );
        check(
            Email,
            &["ada@example.com", "a.b+c@x-y.example.org", "A@B.CO"],
            &[
                "ada",
                "ada@example",
                "@example.com",
                "a..b@example.com",
                ".a@example.com",
                "a@-x.com",
                "a@x-.com",
                "a b@x.com",
                "ada@exa_mple.com",
            ],
        );
        check(
            Ipv4,
            &["192.168.0.1", "0.0.0.0"],
            &["256.1.1.1", "01.1.1.1", "1.1.1", "::1"],
        );
        check(
            Ipv6,
            &[
                "::1",
                "::",
                "2001:db8::8a2e:370:7334",
                "::ffff:192.168.0.1",
                "FE80::1",
            ],
            &[
                "1.2.3.4",
                ":::",
                "2001:db8::1::1",
                "fe80::1%eth0",
                "12345::",
            ],
        );
    }

    #[test]
    fn uris() {
        check(
            Uri,
            &[
                "https://example.com/a?b=c",
                "mailto:ada@example.com",
                "urn:isbn:0451450523",
                "http://[::1]:8080/x",
                "ftp://user:pw@host:21/f#top",
                "x:/a@b@c",
                "a://x@y@z",
                "http://h/%20",
            ],
            &[
                "example.com",
                "/relative",
                "1http://x",
                "http://exa mple.com",
                "http://h/%2",
                "http://h/ü",
                "x:",
                "http://[::1",
            ],
        );
    }
}
