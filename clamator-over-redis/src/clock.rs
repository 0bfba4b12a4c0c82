//! Redis's clock as seen from this process: how far a caller's deadline is, judged by the time
//! Redis wrote the request (its entry id) and Redis's `TIME`, so that machines whose clocks
//! disagree still agree on when a call is stale.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::connect::Commands;

/// Entry field: the caller's timeout in milliseconds, counted from the entry's id.
pub(crate) const TIMEOUT_FIELD: &str = "timeout-ms";
/// Entry field: the caller's metadata, a JSON object of strings (but for the trace fields).
pub(crate) const METADATA_FIELD: &str = "metadata";
/// Metadata keys that travel as entry fields of their own: W3C Trace Context, readable by any
/// tool that looks at the stream.
pub(crate) const TRACE_FIELDS: [&str; 2] = ["traceparent", "tracestate"];

/// Redis's clock, read with `TIME` at start and again every reclaim round, and carried forward
/// between reads on this process's monotonic clock: a step of the machine's wall clock (NTP) does
/// not move it.
#[derive(Debug, Default)]
pub(crate) struct RedisClock {
    /// Redis's Unix time in ms at the moment `Instant` was taken; `None` until a read succeeded.
    anchor: Mutex<Option<(i64, Instant)>>,
}

impl RedisClock {
    /// Reads Redis's clock, taking the middle of the round trip as the moment Redis read it.
    /// Every service of a server shares the clock and asks from its own reclaim loop: a reading
    /// less than a second old is kept, so that a server reads `TIME` about once a second at most.
    pub(crate) async fn sync(&self, commands: &mut Commands) -> redis::RedisResult<()> {
        let fresh = self
            .anchor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some_and(|(_, at)| at.elapsed() < Duration::from_secs(1));
        if fresh {
            return Ok(());
        }
        let before = Instant::now();
        let (secs, micros): (i64, i64) = redis::cmd("TIME").query_async(commands).await?;
        let after = Instant::now();
        let redis_ms = secs.saturating_mul(1000).saturating_add(micros / 1000);
        let middle = before + (after - before) / 2;
        *self.anchor.lock().unwrap_or_else(|p| p.into_inner()) = Some((redis_ms, middle));
        Ok(())
    }

    /// Redis's Unix time in ms, now; `None` before the first read.
    fn redis_now_ms(&self) -> Option<i64> {
        let (redis_ms, at) = (*self.anchor.lock().unwrap_or_else(|p| p.into_inner()))?;
        let since = i64::try_from(at.elapsed().as_millis()).unwrap_or(i64::MAX);
        Some(redis_ms.saturating_add(since))
    }

    /// The local instant at which a request written at `entry_ms` (Redis's clock) with a
    /// timeout of `timeout_ms` stops being awaited; an instant already past for a stale one.
    /// Before Redis's clock could be read, the request is taken as just sent: it is never judged
    /// stale, and is cancelled at most `timeout_ms` from now.
    pub(crate) fn deadline(&self, entry_ms: u64, timeout_ms: u64) -> Instant {
        let now = Instant::now();
        let left = match self.redis_now_ms() {
            Some(redis_now) => {
                let due = i64::try_from(entry_ms.saturating_add(timeout_ms)).unwrap_or(i64::MAX);
                u64::try_from(due.saturating_sub(redis_now)).unwrap_or(0)
            }
            None => timeout_ms,
        };
        now.checked_add(Duration::from_millis(left))
            .unwrap_or(now + Duration::from_secs(86_400 * 365))
    }
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
        // Before Redis's clock was read: taken as just sent, whatever the entry id says.
        let left = clock.deadline(0, 5000) - Instant::now();
        assert!(left > Duration::from_millis(4900), "{left:?}");
        // Redis reads 1,000,000 ms now: an entry written 1 s before with a 5 s timeout has
        // about 4 s left, whatever this machine's wall clock says.
        *clock.anchor.lock().unwrap() = Some((1_000_000, Instant::now()));
        let left = clock.deadline(999_000, 5000) - Instant::now();
        assert!(
            left > Duration::from_millis(3900) && left <= Duration::from_millis(4000),
            "{left:?}"
        );
        // Written 6 s before: already stale.
        assert!(clock.deadline(994_000, 5000) <= Instant::now());
        // Extremes saturate instead of overflowing.
        assert!(clock.deadline(u64::MAX, u64::MAX) > Instant::now());
        assert!(clock.deadline(0, 0) <= Instant::now());
    }
}
