//! Where the transport connects (one Redis, plain or TLS, or a Redis Cluster) and the two kinds
//! of connection it uses.
//!
//! Commands (`XADD`, `XACK`, `XAUTOCLAIM`, `DEL`) share one multiplexed connection that
//! reconnects by itself: a `ConnectionManager`, or on a cluster the cluster connection, which
//! keeps a connection per node and follows the cluster's slots. Each blocking read gets a
//! connection of its own, so that a `BLOCK` never holds up other commands, with a response
//! timeout longer than the block.
//!
//! On a cluster every wait also has a deadline of ours. During a failover redis-rs's cluster
//! connection was seen to hang for good (a new one too, while being made): a command that gets no
//! answer in time fails, and the shared connection is replaced by a new one.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clamator_protocol::{Error, TransportError};
use redis::aio::{
    ConnectionLike, ConnectionManager, ConnectionManagerConfig, MultiplexedConnection,
};
use redis::cluster::{ClusterClient, ClusterConfig};
use redis::cluster_async::ClusterConnection;
use redis::{AsyncConnectionConfig, Client, Cmd, Pipeline, RedisFuture, Value};
use tokio::sync::watch;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// A command that gets no answer in this time fails, so a loop can reconnect; calls have their
/// own timeout on top.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
/// Slack on top of `BLOCK` before a blocking read counts as lost.
pub(crate) const BLOCK_SLACK: Duration = Duration::from_secs(5);
/// Making a cluster connection (every seed node, then the slots) takes at most this long.
const CLUSTER_CONNECT_DEADLINE: Duration = Duration::from_secs(5);
/// A command on a cluster that gets no answer in this time fails, and the connection is made
/// anew. Commands here take milliseconds; this only catches a connection that stopped working.
const CLUSTER_COMMAND_DEADLINE: Duration = Duration::from_secs(5);

/// The certificate files of a TLS connection, read: a CA to trust instead of the public roots,
/// and a client certificate and key for mutual TLS.
#[derive(Debug, Clone)]
pub(crate) struct TlsFiles {
    pub(crate) ca: Option<Vec<u8>>,
    pub(crate) client: Option<(Vec<u8>, Vec<u8>)>,
}

/// Where the transport connects.
#[derive(Clone)]
pub(crate) enum Target {
    /// One Redis.
    Single(Client),
    /// A Redis Cluster, found from its seed nodes.
    Cluster {
        client: ClusterClient,
        seeds: Vec<String>,
    },
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({})", self.address())
    }
}

impl Target {
    pub(crate) fn single(client: Client) -> Self {
        Target::Single(client)
    }

    /// One Redis at `url`; `rediss://` is TLS, with `tls`'s files if given (the caller has
    /// checked them against the address with [`check_tls`]).
    pub(crate) fn url(url: &str, tls: Option<TlsFiles>) -> Result<Self, Error> {
        if is_tls_url(url) {
            install_crypto_provider();
        }
        let invalid =
            |e: redis::RedisError| Error::Usage(format!("invalid Redis URL \"{url}\": {e}"));
        match tls {
            None => Client::open(url),
            Some(files) => client_with_tls(url, files),
        }
        .map(Target::Single)
        .map_err(invalid)
    }

    /// A Redis Cluster reached through `seeds`.
    pub(crate) fn cluster(seeds: &[String], tls: Option<TlsFiles>) -> Result<Self, Error> {
        if seeds.iter().any(|s| is_tls_url(s)) {
            install_crypto_provider();
        }
        // redis-rs's overall response timeout would also end blocking reads longer than it:
        // every wait on a cluster has a deadline of ours instead (see `ClusterCommands`).
        let builder = ClusterClient::builder(seeds.to_vec())
            .connection_timeout(CONNECT_TIMEOUT)
            .response_timeout(COMMAND_TIMEOUT)
            .overall_response_timeout(None)
            .retries(3);
        let invalid = |e: redis::RedisError| {
            Error::Usage(format!("invalid Redis Cluster nodes {seeds:?}: {e}"))
        };
        let client = match tls {
            None => builder.build(),
            Some(files) => cluster_with_tls(builder, files),
        }
        .map_err(invalid)?;
        Ok(Target::Cluster {
            client,
            seeds: seeds.to_vec(),
        })
    }

    /// Whether this is a cluster: no command may span two slots there.
    pub(crate) fn is_cluster(&self) -> bool {
        matches!(self, Target::Cluster { .. })
    }

    fn address(&self) -> String {
        match self {
            Target::Single(client) => client.get_connection_info().addr().to_string(),
            Target::Cluster { seeds, .. } => format!("the Redis Cluster of {}", seeds.join(", ")),
        }
    }

    /// The cause is part of the message: "certificate unknown" or "connection refused" is what
    /// the reader of a failed `start` needs, and not every caller walks `source()`.
    fn error(&self, e: redis::RedisError) -> TransportError {
        TransportError::new(format!(
            "cannot connect to Redis at {}: {e}",
            self.address()
        ))
    }

    /// The shared command connection. Connects now, so that a wrong address fails `start`.
    pub(crate) async fn commands(&self) -> Result<Commands, TransportError> {
        match self {
            Target::Single(client) => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(COMMAND_TIMEOUT))
                    .set_number_of_retries(2)
                    .set_max_delay(Duration::from_millis(500));
                ConnectionManager::new_with_config(client.clone(), config)
                    .await
                    .map(Commands::Single)
                    .map_err(|e| self.error(e))
            }
            Target::Cluster { client, .. } => cluster_connection(client, commands_config())
                .await
                .map(|conn| Commands::Cluster(ClusterCommands::new(client.clone(), conn)))
                .map_err(|e| self.error(e)),
        }
    }

    /// A connection for one loop's blocking reads.
    pub(crate) async fn blocking(&self, block: Duration) -> Result<Blocking, TransportError> {
        match self {
            Target::Single(client) => {
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(block + BLOCK_SLACK));
                client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await
                    .map(Blocking::Single)
                    .map_err(|e| self.error(e))
            }
            Target::Cluster { client, .. } => {
                let config = ClusterConfig::new()
                    .set_connection_timeout(CONNECT_TIMEOUT)
                    .set_response_timeout(block + BLOCK_SLACK);
                cluster_connection(client, config)
                    .await
                    .map(Blocking::Cluster)
                    .map_err(|e| self.error(e))
            }
        }
    }
}

/// The shared command connection's settings (a `ClusterConfig` replaces the builder's).
fn commands_config() -> ClusterConfig {
    ClusterConfig::new()
        .set_connection_timeout(CONNECT_TIMEOUT)
        .set_response_timeout(COMMAND_TIMEOUT)
}

/// A new cluster connection, in [`CLUSTER_CONNECT_DEADLINE`] or an error.
async fn cluster_connection(
    client: &ClusterClient,
    config: ClusterConfig,
) -> redis::RedisResult<ClusterConnection> {
    deadline(
        CLUSTER_CONNECT_DEADLINE,
        client.get_async_connection_with_config(config),
    )
    .await
}

/// `work`'s result, or a timeout error (`is_timeout()`) if it takes longer than `limit`.
pub(crate) async fn deadline<T>(
    limit: Duration,
    work: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> redis::RedisResult<T> {
    match tokio::time::timeout(limit, work).await {
        Ok(result) => result,
        Err(_) => Err(redis::RedisError::from(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no answer from Redis within {} ms", limit.as_millis()),
        ))),
    }
}

/// The shared command connection to a cluster, made anew when a command gets no answer in
/// [`CLUSTER_COMMAND_DEADLINE`]. Clones share it.
#[derive(Clone)]
pub(crate) struct ClusterCommands {
    client: Arc<ClusterClient>,
    /// The connection in use, and how many times it was replaced.
    current: Arc<Mutex<(u64, ClusterConnection)>>,
    /// Held while a replacement is being made: one at a time, the others leave it to that one.
    replacing: Arc<tokio::sync::Mutex<()>>,
}

impl ClusterCommands {
    fn new(client: ClusterClient, conn: ClusterConnection) -> Self {
        Self {
            client: Arc::new(client),
            current: Arc::new(Mutex::new((0, conn))),
            replacing: Arc::default(),
        }
    }

    fn current(&self) -> (u64, ClusterConnection) {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        (current.0, current.1.clone())
    }

    /// Replaces connection number `stale` with a new one, unless it was replaced already or a
    /// replacement is under way.
    async fn replace(self, stale: u64) {
        let Ok(_only_one) = self.replacing.try_lock() else {
            return;
        };
        if self.current().0 != stale {
            return;
        }
        match cluster_connection(&self.client, commands_config()).await {
            Ok(fresh) => {
                tracing::warn!("the cluster connection stopped answering; using a new one");
                *self.current.lock().unwrap_or_else(|e| e.into_inner()) = (stale + 1, fresh);
            }
            Err(e) => tracing::warn!(error = %e, "cannot make a new cluster connection yet"),
        }
    }

    /// Runs `request` on the current connection, in a task of its own: the deadline is watched
    /// even when the caller stops waiting first (a call timeout shorter than the deadline).
    async fn run<T: Send + 'static>(
        &self,
        request: impl FnOnce(ClusterConnection) -> RedisFuture<'static, T>,
    ) -> redis::RedisResult<T> {
        let (generation, conn) = self.current();
        let work = request(conn);
        let this = self.clone();
        let watched = tokio::spawn(async move {
            let result = deadline(CLUSTER_COMMAND_DEADLINE, work).await;
            if matches!(&result, Err(e) if e.is_timeout()) {
                // The caller hears of its failure now, not after the new connection is made.
                tokio::spawn(this.replace(generation));
            }
            result
        });
        match watched.await {
            Ok(result) => result,
            Err(e) => Err(redis::RedisError::from(std::io::Error::other(format!(
                "a Redis command's task ended: {e}"
            )))),
        }
    }
}

/// Whether `url` is a TLS address for redis-rs (`rediss://`, or Valkey's `valkeys://`).
pub(crate) fn is_tls_url(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    scheme.eq_ignore_ascii_case("rediss") || scheme.eq_ignore_ascii_case("valkeys")
}

/// A `rediss://` address needs the TLS support compiled in; TLS files need a `rediss://` one.
pub(crate) fn check_tls(url: &str, files: bool) -> Result<(), Error> {
    let secure = is_tls_url(url);
    if secure && !cfg!(feature = "tls") {
        return Err(Error::Usage(format!(
            "\"{url}\" is TLS, which this build of clamator-over-redis leaves out: enable its `tls` feature"
        )));
    }
    if files && !secure {
        return Err(Error::Usage(format!(
            "TLS certificate files are given for \"{url}\", which is not a `rediss://` address"
        )));
    }
    Ok(())
}

#[cfg(feature = "tls")]
fn certificates(files: TlsFiles) -> redis::TlsCertificates {
    redis::TlsCertificates {
        client_tls: files
            .client
            .map(|(client_cert, client_key)| redis::ClientTlsConfig {
                client_cert,
                client_key,
            }),
        root_cert: files.ca,
    }
}

/// rustls needs one crypto provider for the process. This crate brings `ring`; if the program
/// also links another provider (aws-lc-rs, rustls's default), rustls would not pick one by
/// itself and TLS would panic at connect. Installing ours is a no-op when the program installed
/// one first, which is how it chooses aws-lc-rs (post-quantum key exchange, the reason rustls
/// 0.23.48 deprecates the ring provider). Ring stays the default here: it builds in seconds
/// with a C compiler alone, where aws-lc-rs compiles a large C library.
#[cfg(feature = "tls")]
#[allow(deprecated)]
pub(crate) fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(not(feature = "tls"))]
pub(crate) fn install_crypto_provider() {}

#[cfg(feature = "tls")]
fn client_with_tls(url: &str, files: TlsFiles) -> redis::RedisResult<Client> {
    Client::build_with_tls(url, certificates(files))
}

#[cfg(feature = "tls")]
fn cluster_with_tls(
    builder: redis::cluster::ClusterClientBuilder,
    files: TlsFiles,
) -> redis::RedisResult<ClusterClient> {
    builder.certs(certificates(files)).build()
}

// Without TLS support `check_tls` refuses every address that TLS files could go with.
#[cfg(not(feature = "tls"))]
fn client_with_tls(_: &str, _: TlsFiles) -> redis::RedisResult<Client> {
    Err(no_tls())
}

#[cfg(not(feature = "tls"))]
fn cluster_with_tls(
    _: redis::cluster::ClusterClientBuilder,
    _: TlsFiles,
) -> redis::RedisResult<ClusterClient> {
    Err(no_tls())
}

#[cfg(not(feature = "tls"))]
fn no_tls() -> redis::RedisError {
    redis::RedisError::from((
        redis::ErrorKind::InvalidClientConfig,
        "TLS support is not compiled in",
    ))
}

/// The shared command connection.
#[derive(Clone)]
pub(crate) enum Commands {
    Single(ConnectionManager),
    Cluster(ClusterCommands),
}

/// A connection that blocking reads wait on.
pub(crate) enum Blocking {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl fmt::Debug for Commands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Commands::Single(_) => "Commands(single)",
            Commands::Cluster(_) => "Commands(cluster)",
        })
    }
}

/// Both kinds of connection run commands as `redis::aio` connections do.
macro_rules! connection_like {
    ($type:ident) => {
        impl ConnectionLike for $type {
            fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
                match self {
                    $type::Single(c) => c.req_packed_command(cmd),
                    $type::Cluster(c) => c.req_packed_command(cmd),
                }
            }

            fn req_packed_commands<'a>(
                &'a mut self,
                cmd: &'a Pipeline,
                offset: usize,
                count: usize,
            ) -> RedisFuture<'a, Vec<Value>> {
                match self {
                    $type::Single(c) => c.req_packed_commands(cmd, offset, count),
                    $type::Cluster(c) => c.req_packed_commands(cmd, offset, count),
                }
            }

            fn get_db(&self) -> i64 {
                match self {
                    $type::Single(c) => c.get_db(),
                    $type::Cluster(c) => c.get_db(),
                }
            }
        }
    };
}

connection_like!(Blocking);

impl ConnectionLike for Commands {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Commands::Single(c) => c.req_packed_command(cmd),
            Commands::Cluster(c) => {
                let (c, cmd) = (c.clone(), cmd.clone());
                Box::pin(async move {
                    c.run(move |mut conn| {
                        Box::pin(async move { conn.req_packed_command(&cmd).await })
                    })
                    .await
                })
            }
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Commands::Single(c) => c.req_packed_commands(cmd, offset, count),
            Commands::Cluster(c) => {
                let (c, cmd) = (c.clone(), cmd.clone());
                Box::pin(async move {
                    c.run(move |mut conn| {
                        Box::pin(async move { conn.req_packed_commands(&cmd, offset, count).await })
                    })
                    .await
                })
            }
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Commands::Single(c) => c.get_db(),
            Commands::Cluster(_) => 0,
        }
    }
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

    /// The delay [`next_delay`](Self::next_delay) would return.
    pub fn peek(&self) -> Duration {
        self.next
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
