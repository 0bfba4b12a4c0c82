//! What both sides of the transport are configured with, with the Python package's defaults.

use std::time::Duration;

use clamator_protocol::Error;

/// Where the transport connects when neither a URL nor a client is given and `REDIS_URL` is unset.
pub const DEFAULT_REDIS_URL: &str = "redis://localhost:6379";
/// How long an entry may sit unacknowledged with a consumer before another server takes it over.
pub const DEFAULT_CONSUMER_CLAIM_IDLE: Duration = Duration::from_millis(60_000);
/// Entries a server asks for per `XREADGROUP`.
pub const DEFAULT_READ_COUNT: usize = 16;
/// How long one blocking read waits for new entries.
pub const DEFAULT_BLOCK: Duration = Duration::from_millis(1_000);
/// The approximate length reply streams are trimmed to (`MAXLEN ~`).
pub const DEFAULT_REPLY_STREAM_MAXLEN: usize = 1_024;
/// How long a stopping server lets taken entries finish before it leaves them to another server.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_millis(5_000);
/// Entries one server handles at once; beyond this it stops reading, leaving work to its peers.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 1_024;

/// Options of a Redis client or server transport.
///
/// ```
/// use std::time::Duration;
/// use clamator_over_redis::RedisOptions;
///
/// let options = RedisOptions::new("orders")
///     .redis_url("redis://127.0.0.1:6379")
///     .instance_id("orders-worker-1")
///     .consumer_claim_idle(Duration::from_secs(30));
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
pub struct RedisOptions {
    pub(crate) key_prefix: String,
    pub(crate) redis_url: Option<String>,
    pub(crate) redis_client: Option<redis::Client>,
    pub(crate) instance_id: Option<String>,
    pub(crate) consumer_claim_idle: Duration,
    pub(crate) read_count: usize,
    pub(crate) block: Duration,
    pub(crate) reply_stream_maxlen: usize,
    pub(crate) shutdown_grace: Duration,
    pub(crate) max_in_flight: usize,
}

impl RedisOptions {
    /// Options for `key_prefix`, used literally in every key (`<prefix>:cmds:<service>`,
    /// `<prefix>:replies:<id>`). Clients and servers that should meet use the same prefix.
    pub fn new(key_prefix: impl Into<String>) -> Self {
        Self {
            key_prefix: key_prefix.into(),
            redis_url: None,
            redis_client: None,
            instance_id: None,
            consumer_claim_idle: DEFAULT_CONSUMER_CLAIM_IDLE,
            read_count: DEFAULT_READ_COUNT,
            block: DEFAULT_BLOCK,
            reply_stream_maxlen: DEFAULT_REPLY_STREAM_MAXLEN,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }

    /// Connects to this URL (`redis://host:port/db`). Without a URL or a client: `$REDIS_URL`,
    /// else `redis://localhost:6379`. Giving both a URL and a client is an error.
    pub fn redis_url(mut self, url: impl Into<String>) -> Self {
        self.redis_url = Some(url.into());
        self
    }

    /// Connects through this client. A `redis::Client` rather than an open connection, because
    /// each blocking read needs a connection of its own (a `BLOCK` on a shared connection would
    /// stall every other command).
    pub fn redis_client(mut self, client: redis::Client) -> Self {
        self.redis_client = Some(client);
        self
    }

    /// This side's instance id: a client's reply stream is `<prefix>:replies:<id>`, a server's
    /// consumer is `<service>:<id>`. Default: a random UUID v4. Two live instances must not share one.
    pub fn instance_id(mut self, id: impl Into<String>) -> Self {
        self.instance_id = Some(id.into());
        self
    }

    /// Server: how long an entry stays unacknowledged with a consumer before this server claims it
    /// (`XAUTOCLAIM`), which is how a crashed server's work gets done. Default 60 s; checked every
    /// max(1 s, idle / 4).
    pub fn consumer_claim_idle(mut self, idle: Duration) -> Self {
        self.consumer_claim_idle = idle;
        self
    }

    /// Server: entries per `XREADGROUP` (default 16).
    pub fn read_count(mut self, count: usize) -> Self {
        self.read_count = count.max(1);
        self
    }

    /// How long one blocking read (`BLOCK`) waits (default 1 s). A stopping server finishes the
    /// read it is in, so this bounds how long `stop` waits for it.
    pub fn block(mut self, block: Duration) -> Self {
        self.block = block.max(Duration::from_millis(1));
        self
    }

    /// Server: reply streams are trimmed to about this many entries (`MAXLEN ~`, default 1024).
    pub fn reply_stream_maxlen(mut self, maxlen: usize) -> Self {
        self.reply_stream_maxlen = maxlen;
        self
    }

    /// Server: how long `stop` lets taken entries finish (default 5 s). What is still running then
    /// is dropped unacknowledged and stays pending for another server to claim.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Server: at most this many entries are handled at once (default 1024). At the limit the
    /// server stops reading, so other servers in the group take the work.
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max.max(1);
        self
    }

    /// A client core over Redis with these options (30 s default call timeout). Start it before
    /// calling.
    pub fn client(self) -> Result<crate::RedisRpcClient, Error> {
        Ok(clamator_protocol::RpcClient::new(
            crate::RedisClientTransport::new(self)?,
        ))
    }

    /// A server core over Redis with these options. Register services, then start it.
    pub fn server(self) -> Result<crate::RedisRpcServer, Error> {
        Ok(clamator_protocol::RpcServer::new(
            crate::RedisServerTransport::new(self)?,
        ))
    }

    /// The key prefix.
    pub fn key_prefix(&self) -> &str {
        &self.key_prefix
    }

    /// The client to connect with, from the URL, the given client, `$REDIS_URL` or the default.
    pub(crate) fn connect_client(&self) -> Result<redis::Client, Error> {
        match (&self.redis_url, &self.redis_client) {
            (Some(_), Some(_)) => Err(Error::Usage(
                "provide either `redis_url` or `redis_client`, not both".to_owned(),
            )),
            (None, Some(client)) => Ok(client.clone()),
            (url, None) => {
                let url = url
                    .clone()
                    .or_else(|| std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty()))
                    .unwrap_or_else(|| DEFAULT_REDIS_URL.to_owned());
                redis::Client::open(url.as_str())
                    .map_err(|e| Error::Usage(format!("invalid Redis URL \"{url}\": {e}")))
            }
        }
    }

    pub(crate) fn resolved_instance_id(&self) -> String {
        self.instance_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    }
}
