//! The two kinds of connection the transport uses, and the delay between retries.
//!
//! Commands (`XADD`, `XACK`, `XAUTOCLAIM`, `DEL`) share one multiplexed connection that
//! reconnects by itself. Each blocking read gets a connection of its own, so that a `BLOCK` never
//! holds up other commands, with a response timeout longer than the block.

use std::time::Duration;

use clamator_protocol::TransportError;
use redis::aio::{ConnectionManager, ConnectionManagerConfig, MultiplexedConnection};
use redis::{AsyncConnectionConfig, Client};
use tokio::sync::watch;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// A command that gets no answer in this time fails, so a loop can reconnect; calls have their
/// own timeout on top.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// Slack on top of `BLOCK` before a blocking read counts as lost.
const BLOCK_SLACK: Duration = Duration::from_secs(5);

/// The shared command connection. Connects once now, so that a wrong address fails `start`.
pub(crate) async fn command_connection(
    client: &Client,
) -> Result<ConnectionManager, TransportError> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(COMMAND_TIMEOUT))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500));
    ConnectionManager::new_with_config(client.clone(), config)
        .await
        .map_err(|e| connection_error(client, e))
}

/// A connection for one loop's blocking reads.
pub(crate) async fn blocking_connection(
    client: &Client,
    block: Duration,
) -> Result<MultiplexedConnection, TransportError> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(block + BLOCK_SLACK));
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|e| connection_error(client, e))
}

fn connection_error(client: &Client, e: redis::RedisError) -> TransportError {
    TransportError::with_source(
        format!(
            "cannot connect to Redis at {}",
            client.get_connection_info().addr()
        ),
        e,
    )
}

/// Delays between retries of a failing loop: 100 ms, doubling, at most 2 s; back to 100 ms after a
/// success.
#[derive(Debug)]
pub(crate) struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(100);
    const MAX: Duration = Duration::from_secs(2);

    pub fn new() -> Self {
        Self { next: Self::FIRST }
    }

    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        delay
    }

    pub fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

/// Sleeps `delay`, or less if the loop is told to stop meanwhile.
pub(crate) async fn sleep_unless_stopping(delay: Duration, stopping: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(delay) => {}
        _ = stopping.wait_for(|s| *s) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_ceiling_and_resets() {
        let mut b = Backoff::new();
        let delays: Vec<u128> = (0..7).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1600, 2000, 2000]);
        b.reset();
        assert_eq!(b.next_delay().as_millis(), 100);
    }
}
