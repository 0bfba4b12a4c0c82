//! `date`, `time`, `date-time` (RFC 3339 with real calendars and leap seconds, as ajv-formats
//! reads it) and `duration` (ISO 8601). Dates and times are parsed into their fields, which the
//! runtime's `DateTime` type keeps next to the text.

/// The fields of a `date-time` value, as written (not moved to UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTimeParts {
    /// `0..=9999`.
    pub year: u16,
    /// `1..=12`.
    pub month: u8,
    /// `1..=31`, a day the month has.
    pub day: u8,
    /// `0..=23`, except for a time written with an offset that is 23:59 in UTC: the rule
    /// ajv-formats has for leap seconds checks only that, so `46:99:60+23:40` and
    /// `24:59:59+01:00` pass (hours up to 46, minutes up to 99).
    pub hour: u8,
    /// `0..=59`, except as for `hour`.
    pub minute: u8,
    /// `0..=60`: 60 is a leap second (only at 23:59 UTC).
    pub second: u8,
    /// The fraction of the second in nanoseconds; digits past the ninth are dropped.
    pub nanosecond: u32,
    /// Minutes east of UTC (`Z` and `-00:00` are 0).
    pub offset_minutes: i16,
}

/// The time-of-day part of a date-time.
#[derive(Debug, Clone, Copy)]
struct TimeParts {
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    offset_minutes: i16,
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a short run of ASCII digits (callers check `digits` and the length).
fn number(text: &str) -> u32 {
    text.bytes().fold(0u32, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

/// Days in `month` of `year` (0 for a month that does not exist).
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` naming a day that exists (29 February only in leap years).
fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (&text[..4], &text[5..7], &text[8..]);
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    let (year, month, day) = (number(y), number(m), number(d));
    if !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    // Four digits and calendar bounds make these fit.
    Some((year as u16, month as u8, day as u8))
}

pub(crate) fn date(text: &str) -> bool {
    parse_date(text).is_some()
}

/// `hh:mm:ss[.fraction]` then `Z` or `±hh[[:]mm]` (required). 23:59:60 is a leap second, also
/// when the offset moves it to 23:59 UTC.
fn parse_time(text: &str) -> Option<TimeParts> {
    let b = text.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (&text[..2], &text[3..5], &text[6..8]);
    if !(digits(h) && digits(m) && digits(s)) {
        return None;
    }
    let mut rest = &text[8..];
    let mut nanosecond = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        let nine = &fraction[..end.min(9)];
        nanosecond = number(nine) * 10u32.pow(9 - nine.len() as u32);
        rest = &fraction[end..];
    }
    let (sign, tz_h, tz_m) = if rest.eq_ignore_ascii_case("z") {
        (1i64, 0, 0)
    } else {
        let sign = match rest.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return None,
        };
        let zone = &rest[1..];
        let (zh, zm) = match zone.len() {
            2 => (zone, "00"),
            4 => (&zone[..2], &zone[2..]),
            5 if zone.as_bytes()[2] == b':' => (&zone[..2], &zone[3..]),
            _ => return None,
        };
        if !(digits(zh) && digits(zm)) {
            return None;
        }
        (sign, i64::from(number(zh)), i64::from(number(zm)))
    };
    if tz_h > 23 || tz_m > 59 {
        return None;
    }
    let (hour, minute, second) = (
        i64::from(number(h)),
        i64::from(number(m)),
        i64::from(number(s)),
    );
    let ok = if hour <= 23 && minute <= 59 && second < 60 {
        true
    } else {
        let utc_minute = minute - tz_m * sign;
        let utc_hour = hour - tz_h * sign - i64::from(utc_minute < 0);
        (utc_hour == 23 || utc_hour == -1) && (utc_minute == 59 || utc_minute == -1) && second < 61
    };
    // Two digits each, bounded above: the casts cannot truncate.
    ok.then_some(TimeParts {
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanosecond,
        offset_minutes: (sign * (tz_h * 60 + tz_m)) as i16,
    })
}

pub(crate) fn time(text: &str) -> bool {
    parse_time(text).is_some()
}

/// A `date-time` value's fields, or `None` when the format refuses `text`: a date and a time
/// separated by `T`, `t` or one whitespace character.
pub fn parse_date_time(text: &str) -> Option<DateTimeParts> {
    let mut parts = text.split(|c: char| c == 'T' || c == 't' || c.is_whitespace());
    let (Some(d), Some(t), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let (year, month, day) = parse_date(d)?;
    let time = parse_time(t)?;
    Some(DateTimeParts {
        year,
        month,
        day,
        hour: time.hour,
        minute: time.minute,
        second: time.second,
        nanosecond: time.nanosecond,
        offset_minutes: time.offset_minutes,
    })
}

pub(crate) fn date_time(text: &str) -> bool {
    parse_date_time(text).is_some()
}

/// `P` then years, months, days and a `T` part of hours, minutes, seconds (each optional, at
/// least one, integers only), or weeks alone.
pub(crate) fn duration(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format::*;
    use crate::tests::check;

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
                "2016-12-31T22:59:60-01:00",
                "2016-12-31T24:59:60+01:00",
                "2016-12-31T46:99:60+23:40",
                // Not a leap second, but 23:59 in UTC: the leap-second rule lets it through.
                "2016-12-31T24:59:59+01:00",
            ],
            &[
                "2026-11-25T14:47:07",
                "2026-11-25",
                "2026-11-25TT14:47:07Z",
                "2026-02-30T00:00:00Z",
                "2016-12-31T46:99:60+23:39",
                "2016-12-31T24:58:59+01:00",
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
    fn date_time_fields() {
        let p = parse_date_time("2016-12-31T20:29:60.1234567891-03:30").unwrap();
        assert_eq!(
            (p.year, p.month, p.day, p.hour, p.minute, p.second),
            (2016, 12, 31, 20, 29, 60)
        );
        assert_eq!((p.nanosecond, p.offset_minutes), (123_456_789, -210));
        let p = parse_date_time("2026-11-25 14:47:07+05").unwrap();
        assert_eq!((p.nanosecond, p.offset_minutes), (0, 300));
        let p = parse_date_time("2026-11-25t14:47:07.5z").unwrap();
        assert_eq!(
            (p.second, p.nanosecond, p.offset_minutes),
            (7, 500_000_000, 0)
        );
        assert_eq!(parse_date_time("2026-11-25T14:47:07"), None);
    }
}
