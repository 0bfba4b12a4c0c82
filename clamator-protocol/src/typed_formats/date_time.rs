//! `format: date-time` as a timestamp that keeps its text.
//!
//! The text is kept, and written back unchanged, because the contract accepts many spellings of
//! one instant (`Z` or `+00:00`, `T` or a space, any number of fraction digits, leap seconds)
//! and a value passing through a Rust peer must reach the next peer byte for byte. Conversions
//! to date-time libraries go through [`DateTime::unix_timestamp`] or [`DateTime::as_str`], so
//! the runtime imposes none of them.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clamator_formats::{DateTimeParts, Format, parse_date_time};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

/// A `format: date-time` string with its fields: RFC 3339 as JSON Schema's `date-time` accepts
/// it (a time zone is required; `T`, `t` or a space between date and time; leap seconds).
///
/// Decoding keeps the text and encoding writes it back unchanged. Equality and hashing compare
/// the text; ordering is by instant, then by text, so two spellings of one instant sort
/// together but stay distinct values. Values made here ([`DateTime::now`],
/// [`DateTime::from_unix_timestamp`]) are written in UTC with `Z`, as JavaScript's
/// `toISOString` writes them.
///
/// ```
/// use clamator_protocol::DateTime;
///
/// let t: DateTime = "2026-11-25T14:47:07.5+01:00".parse().unwrap();
/// assert_eq!((t.hour(), t.offset_seconds()), (14, 3600));
/// assert_eq!(t.unix_timestamp(), 1_795_614_427);
/// assert_eq!(t.to_string(), "2026-11-25T14:47:07.5+01:00");
/// assert_eq!(
///     DateTime::from_unix_timestamp(1_795_614_427, 500_000_000).unwrap().as_str(),
///     "2026-11-25T13:47:07.500Z"
/// );
/// ```
#[derive(Clone)]
pub struct DateTime {
    text: Box<str>,
    parts: DateTimeParts,
}

/// Why a string is not a `format: date-time` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADateTime(pub String);

impl fmt::Display for NotADateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an RFC 3339 date-time with a time zone (such as 2026-11-25T14:47:07Z)",
            self.0
        )
    }
}

impl std::error::Error for NotADateTime {}

const SECONDS_PER_DAY: i64 = 86_400;

/// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The `(year, month, day)` of a day counted from 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    // Bounded by the calendar: day 1..=31, month 1..=12.
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl DateTime {
    /// Parses a `date-time` string (what decoding a field does).
    pub fn parse(text: &str) -> Result<Self, NotADateTime> {
        let parts = parse_date_time(text).ok_or_else(|| NotADateTime(text.to_owned()))?;
        Ok(Self {
            text: text.into(),
            parts,
        })
    }

    /// The current time in UTC, to the millisecond (`2026-11-25T10:00:00.123Z`), as
    /// JavaScript's `toISOString` writes it and every peer reads it.
    pub fn now() -> Self {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_secs())
            .ok()
            .and_then(|s| Self::from_unix_timestamp(s, since.subsec_millis() * 1_000_000))
            // A clock before 1970 or past 9999 is broken; the epoch is a value, not a panic.
            .unwrap_or_else(|| Self {
                text: "1970-01-01T00:00:00Z".into(),
                parts: DateTimeParts {
                    year: 1970,
                    month: 1,
                    day: 1,
                    hour: 0,
                    minute: 0,
                    second: 0,
                    nanosecond: 0,
                    offset_minutes: 0,
                },
            })
    }

    /// The instant `seconds` (and `nanosecond`) after 1970-01-01T00:00:00Z, written in UTC with
    /// `Z` and a fraction of 3, 6 or 9 digits when it is not zero. `None` for a year outside
    /// `0000..=9999` (which RFC 3339 cannot write) or a `nanosecond` of a second or more.
    pub fn from_unix_timestamp(seconds: i64, nanosecond: u32) -> Option<Self> {
        if nanosecond >= 1_000_000_000 {
            return None;
        }
        let (days, second_of_day) = (
            seconds.div_euclid(SECONDS_PER_DAY),
            seconds.rem_euclid(SECONDS_PER_DAY),
        );
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return None;
        }
        let (hour, minute, second) = (
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60,
        );
        let fraction = match nanosecond {
            0 => String::new(),
            n if n % 1_000_000 == 0 => format!(".{:03}", n / 1_000_000),
            n if n % 1_000 == 0 => format!(".{:06}", n / 1_000),
            n => format!(".{n:09}"),
        };
        Self::parse(&format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z"
        ))
        .ok()
    }

    /// The text, as received or as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The year (`0..=9999`), as written (in the value's own offset).
    pub fn year(&self) -> u16 {
        self.parts.year
    }

    /// The month (`1..=12`), as written.
    pub fn month(&self) -> u8 {
        self.parts.month
    }

    /// The day of the month (`1..=31`), as written.
    pub fn day(&self) -> u8 {
        self.parts.day
    }

    /// The hour, as written: `0..=23`, except for a time written with an offset that is 23:59 in
    /// UTC, which JSON Schema's check (its rule for leap seconds) accepts whatever the written
    /// hour and minute (`24:59:59+01:00`).
    pub fn hour(&self) -> u8 {
        self.parts.hour
    }

    /// The minute, as written: `0..=59`, except as for [`hour`](DateTime::hour).
    pub fn minute(&self) -> u8 {
        self.parts.minute
    }

    /// The second (`0..=60`; 60 is a leap second), as written.
    pub fn second(&self) -> u8 {
        self.parts.second
    }

    /// The fraction of the second in nanoseconds (digits past the ninth are dropped).
    pub fn nanosecond(&self) -> u32 {
        self.parts.nanosecond
    }

    /// The offset from UTC in seconds, east positive (`Z` and `-00:00` are 0).
    pub fn offset_seconds(&self) -> i32 {
        i32::from(self.parts.offset_minutes) * 60
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before), with [`nanosecond`] the rest
    /// of the instant. A leap second (`23:59:60Z`) counts as the first second of the next day,
    /// as POSIX time has no leap seconds.
    ///
    /// [`nanosecond`]: DateTime::nanosecond
    pub fn unix_timestamp(&self) -> i64 {
        let p = &self.parts;
        let days = days_from_civil(i64::from(p.year), u32::from(p.month), u32::from(p.day));
        days * SECONDS_PER_DAY
            + i64::from(p.hour) * 3600
            + i64::from(p.minute) * 60
            + i64::from(p.second)
            - i64::from(self.offset_seconds())
    }

    /// The instant as a `SystemTime`; `None` where the platform's clock cannot represent it
    /// (before 1601 on Windows, for one).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let (seconds, nanosecond) = self.instant();
        let whole = Duration::from_secs(seconds.unsigned_abs());
        let base = if seconds >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        base?.checked_add(Duration::from_nanos(u64::from(nanosecond)))
    }

    fn instant(&self) -> (i64, u32) {
        (self.unix_timestamp(), self.parts.nanosecond)
    }
}

impl TryFrom<SystemTime> for DateTime {
    type Error = NotADateTime;

    /// The instant in UTC; fails before year 0 or after year 9999.
    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        let (seconds, nanosecond) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (i64::try_from(after.as_secs()).ok(), after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).ok();
                match before.subsec_nanos() {
                    0 => (whole.map(|s| -s), 0),
                    n => (whole.map(|s| -s - 1), 1_000_000_000 - n),
                }
            }
        };
        seconds
            .and_then(|s| Self::from_unix_timestamp(s, nanosecond))
            .ok_or_else(|| NotADateTime(format!("{time:?}")))
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant()
            .cmp(&other.instant())
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DateTime").field(&&*self.text).finish()
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for DateTime {
    type Err = NotADateTime;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::deserialize_in_format(deserializer, Format::DateTime, |s| DateTime::parse(s).ok())
    }
}

// The type enforces its format itself; no other rule applies.
crate::__no_value_rules!(DateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_it_was_given() {
        for text in [
            "2026-11-25T14:47:07Z",
            "2026-11-25t14:47:07.123456789123z",
            "2026-11-25 14:47:07+0530",
            "2016-12-31T23:59:60Z",
            "0000-01-01T00:00:00-00:00",
        ] {
            let t: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(serde_json::to_value(&t).unwrap(), text);
        }
    }

    #[test]
    fn refuses_exactly_what_the_format_refuses() {
        for text in [
            "2026-11-25T14:47:07",
            "2026-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T14:47:60Z",
            "2026-11-25",
            "",
        ] {
            assert!(!Format::DateTime.is_valid(text), "{text}");
            assert!(
                DateTime::parse(text)
                    .unwrap_err()
                    .to_string()
                    .contains("RFC 3339")
            );
            let err = crate::validation::decode::<DateTime>(&serde_json::json!(text)).unwrap_err();
            let data = err.to_data();
            assert_eq!(data["errors"][0]["type"], "datetime_parsing", "{data}");
            assert_eq!(data["errors"][0]["ctx"]["format"], "date-time", "{data}");
        }
    }

    #[test]
    fn instants_match_an_independent_calendar() {
        // Texts from Python's `datetime` (epoch + timedelta), across eras, leap years and both
        // sides of the epoch; year 0 is 366 days before 0001-01-01.
        for (seconds, text) in [
            (-62_167_219_200, "0000-01-01T00:00:00"),
            (-62_135_596_800, "0001-01-01T00:00:00"),
            (-2_208_988_800, "1900-01-01T00:00:00"),
            (-1, "1969-12-31T23:59:59"),
            (0, "1970-01-01T00:00:00"),
            (951_782_400, "2000-02-29T00:00:00"),
            (1_795_614_427, "2026-11-25T13:47:07"),
            (253_402_300_799, "9999-12-31T23:59:59"),
        ] {
            let t = DateTime::from_unix_timestamp(seconds, 250_000_000).unwrap();
            assert_eq!(t.as_str(), format!("{text}.250Z"));
            assert_eq!(
                DateTime::parse(&format!("{text}Z"))
                    .unwrap()
                    .unix_timestamp(),
                seconds
            );
            let system = t.to_system_time().unwrap();
            let expected = if seconds >= 0 {
                UNIX_EPOCH + Duration::from_secs(seconds.unsigned_abs())
            } else {
                UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
            } + Duration::from_millis(250);
            assert_eq!(system, expected, "{t}");
            assert_eq!(DateTime::try_from(system).unwrap(), t);
        }
        assert_eq!(
            DateTime::from_unix_timestamp(951_782_400, 1_500)
                .unwrap()
                .as_str(),
            "2000-02-29T00:00:00.000001500Z"
        );
        assert!(DateTime::from_unix_timestamp(253_402_300_800, 0).is_none());
        assert!(DateTime::from_unix_timestamp(-62_167_219_201, 0).is_none());
        assert!(DateTime::from_unix_timestamp(0, 1_000_000_000).is_none());
    }

    #[test]
    fn offsets_and_leap_seconds_resolve_to_utc() {
        let utc = DateTime::parse("2026-11-25T13:47:07Z").unwrap();
        let paris = DateTime::parse("2026-11-25T14:47:07+01:00").unwrap();
        let kathmandu = DateTime::parse("2026-11-25 19:32:07+0545").unwrap();
        assert_eq!(utc.unix_timestamp(), paris.unix_timestamp());
        assert_eq!(utc.unix_timestamp(), kathmandu.unix_timestamp());
        assert_ne!(utc, paris, "different text, different values");
        assert_eq!(paris.offset_seconds(), 3600);
        let leap = DateTime::parse("2016-12-31T23:59:60Z").unwrap();
        let next = DateTime::parse("2017-01-01T00:00:00Z").unwrap();
        assert_eq!(leap.unix_timestamp(), next.unix_timestamp());
        assert_eq!(leap.second(), 60);
        // ajv-formats' leap-second rule only checks that the time is 23:59 in UTC.
        let odd = DateTime::parse("2016-12-31T46:99:60+23:40").unwrap();
        assert_eq!((odd.hour(), odd.minute()), (46, 99));
        assert_eq!(odd.unix_timestamp(), next.unix_timestamp());

        let mut sorted = [
            DateTime::parse("2026-11-25T14:47:07.5Z").unwrap(),
            paris.clone(),
            utc.clone(),
            DateTime::parse("1999-01-01T00:00:00-12:00").unwrap(),
        ];
        sorted.sort();
        let texts: Vec<&str> = sorted.iter().map(DateTime::as_str).collect();
        assert_eq!(
            texts,
            [
                "1999-01-01T00:00:00-12:00",
                "2026-11-25T13:47:07Z",
                "2026-11-25T14:47:07+01:00",
                "2026-11-25T14:47:07.5Z",
            ]
        );
    }

    #[test]
    fn now_is_in_utc_and_round_trips() {
        let now = DateTime::now();
        assert!(now.as_str().ends_with('Z') && now.year() >= 2024, "{now}");
        assert_eq!(now.nanosecond() % 1_000_000, 0, "milliseconds: {now}");
        let back: DateTime = now.as_str().parse().unwrap();
        assert_eq!(back, now);
    }
}
