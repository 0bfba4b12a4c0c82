//! Redis's clock as seen from this process: how far a caller's deadline is, judged by the time
//! Redis wrote the request (its entry id) and Redis's `TIME`, so that machines whose clocks
//! disagree still agree on when a call is stale.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::connect::Commands;

/// Entry field: the caller's timeout in milliseconds, counted from the entry's id.
pub(crate) const TIMEOUT_FIELD: &str = "timeout-ms";
/// Entry field: the caller's metadata, a JSON object of strings (but for the trace fields).
pub(crate) const METADATA_FIELD: &str = "metadata";
/// Metadata keys that travel as entry fields of their own: W3C Trace Context, readable by any
/// tool that looks at the stream.
pub(crate) const TRACE_FIELDS: [&str; 2] = ["traceparent", "tracestate"];

/// The difference between Redis's clock and this process's, measured at start and again every
/// reclaim round (clocks drift; a failover moves the stream to another machine).
#[derive(Debug, Default)]
pub(crate) struct RedisClock {
    /// Redis's Unix time minus ours, in ms.
    offset_ms: AtomicI64,
}

impl RedisClock {
    /// Measures the offset with `TIME`, taking the middle of the round trip as the moment Redis
    /// read its clock.
    pub(crate) async fn sync(&self, commands: &mut Commands) -> redis::RedisResult<()> {
        let before = unix_ms();
        let (secs, micros): (i64, i64) = redis::cmd("TIME").query_async(commands).await?;
        let after = unix_ms();
        let redis_ms = secs * 1000 + micros / 1000;
        self.offset_ms
            .store(redis_ms - (before + after) / 2, Ordering::Relaxed);
        Ok(())
    }

    /// Redis's Unix time in ms, now.
    fn redis_now_ms(&self) -> i64 {
        unix_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// The local instant at which a request written at `entry_ms` (Redis's clock) with a
    /// timeout of `timeout_ms` stops being awaited; an instant already past for a stale one.
    pub(crate) fn deadline(&self, entry_ms: u64, timeout_ms: u64) -> Instant {
        let due = i64::try_from(entry_ms.saturating_add(timeout_ms)).unwrap_or(i64::MAX);
        let now = Instant::now();
        match u64::try_from(due.saturating_sub(self.redis_now_ms())) {
            Ok(left) => now
                .checked_add(Duration::from_millis(left))
                .unwrap_or(now + Duration::from_secs(86_400 * 365)),
            Err(_) => now,
        }
    }
}

fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Reads a `timeout-ms` value: decimal digits only.
pub(crate) fn parse_timeout(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 19 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_plain_decimal_milliseconds() {
        assert_eq!(parse_timeout(b"1500"), Some(1500));
        assert_eq!(parse_timeout(b"0"), Some(0));
        for bad in [
            &b""[..],
            b"-1",
            b"1.5",
            b" 15",
            b"99999999999999999999",
            b"1e3",
        ] {
            assert_eq!(parse_timeout(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_deadline_is_judged_on_redis_clock() {
        let clock = RedisClock::default();
        // Redis is an hour ahead of this machine: an entry written a second ago by Redis's clock
        // with a 5 s timeout has about 4 s left, whatever our clock says.
        clock.offset_ms.store(3_600_000, Ordering::Relaxed);
        let now = clock.redis_now_ms() as u64;
        let left = clock.deadline(now - 1000, 5000) - Instant::now();
        assert!(
            left > Duration::from_millis(3900) && left <= Duration::from_millis(4000),
            "{left:?}"
        );
        // Written 6 s ago: already stale.
        assert!(clock.deadline(now - 6000, 5000) <= Instant::now());
    }
}
