//! What both sides of the transport are configured with, with the Python package's defaults.

use std::path::PathBuf;
use std::time::Duration;

use clamator_protocol::Error;

use crate::connect::{Target, TlsFiles, is_tls_url};

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
/// How long a reply stream lives after the last reply written to it (a client that dies never
/// deletes its stream; a live one reads its replies within its call timeouts).
pub const DEFAULT_REPLY_STREAM_TTL: Duration = Duration::from_secs(3_600);
/// How often a server trims the command streams it serves of what no consumer needs any more.
pub const DEFAULT_TRIM_INTERVAL: Duration = Duration::from_secs(1);

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
    pub(crate) cluster_nodes: Vec<String>,
    pub(crate) tls_ca_file: Option<PathBuf>,
    pub(crate) tls_client_cert: Option<(PathBuf, PathBuf)>,
    pub(crate) reply_stream_ttl: Duration,
    pub(crate) trim_interval: Option<Duration>,
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
            cluster_nodes: Vec::new(),
            tls_ca_file: None,
            tls_client_cert: None,
            reply_stream_ttl: DEFAULT_REPLY_STREAM_TTL,
            trim_interval: Some(DEFAULT_TRIM_INTERVAL),
        }
    }

    /// Connects to a Redis Cluster through these seed nodes (`redis://host:port`, or
    /// `rediss://…` for TLS); the rest of the cluster is discovered from them. Instead of
    /// [`redis_url`](Self::redis_url) or [`redis_client`](Self::redis_client).
    pub fn cluster<I, S>(mut self, nodes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cluster_nodes = nodes.into_iter().map(Into::into).collect();
        self
    }

    /// For a `rediss://` URL (or cluster nodes): trust the certificate authorities of this PEM
    /// file instead of the public roots (a private CA, a self-signed server certificate).
    pub fn tls_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls_ca_file = Some(path.into());
        self
    }

    /// For a `rediss://` URL (or cluster nodes): present this client certificate and its key
    /// (PEM files) to a server that asks for one (mutual TLS, `tls-auth-clients yes`).
    pub fn tls_client_cert(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.tls_client_cert = Some((cert.into(), key.into()));
        self
    }

    /// Server: a reply stream expires this long after the last reply written to it (default
    /// 1 hour), so that the stream of a client that died does not stay in Redis for ever. A live
    /// client reads its replies long before. `Duration::ZERO`: reply streams never expire.
    pub fn reply_stream_ttl(mut self, ttl: Duration) -> Self {
        self.reply_stream_ttl = ttl;
        self
    }

    /// Server: how often the command streams it serves are trimmed of the entries every
    /// consumer group has been given and has acknowledged (default every second); `None`:
    /// never, as the Python and TypeScript servers do.
    pub fn trim_command_streams(mut self, every: Option<Duration>) -> Self {
        self.trim_interval = every.map(|e| e.max(Duration::from_millis(10)));
        self
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

    /// Where to connect: the cluster's seed nodes, the URL, the given client, `$REDIS_URL` or
    /// the default, with the TLS files read.
    pub(crate) fn target(&self) -> Result<Target, Error> {
        let usage = |m: &str| Err(Error::Usage(m.to_owned()));
        let tls_files = self.tls_ca_file.is_some() || self.tls_client_cert.is_some();
        match (
            &self.redis_url,
            &self.redis_client,
            self.cluster_nodes.is_empty(),
        ) {
            (Some(_), Some(_), _) => {
                usage("provide either `redis_url` or `redis_client`, not both")
            }
            (Some(_), _, false) | (_, Some(_), false) => {
                usage("provide either cluster nodes or `redis_url` / `redis_client`, not both")
            }
            (None, Some(_), true) if tls_files => usage(
                "TLS files go with a `rediss://` URL or cluster nodes; configure a `redis_client` yourself",
            ),
            (None, Some(client), true) => Ok(Target::single(client.clone())),
            (None, None, false) => {
                let tls = self.cluster_nodes.iter().map(|n| is_tls_url(n));
                if tls.clone().any(|t| t) && !tls.clone().all(|t| t) {
                    // redis-rs would connect the nodes it discovers as the first seed says.
                    return usage(
                        "cluster nodes are either all `rediss://` (TLS) or all `redis://`, not a mix",
                    );
                }
                Target::cluster(&self.cluster_nodes, self.tls(&self.cluster_nodes)?)
            }
            (url, None, true) => {
                let url = url
                    .clone()
                    .or_else(|| std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty()))
                    .unwrap_or_else(|| DEFAULT_REDIS_URL.to_owned());
                let tls = self.tls(std::slice::from_ref(&url))?;
                Target::url(&url, tls)
            }
        }
    }

    /// The TLS files, read, when any is given; first, that `addresses` can use them.
    fn tls(&self, addresses: &[String]) -> Result<Option<TlsFiles>, Error> {
        let read = |path: &PathBuf| {
            std::fs::read(path)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))
        };
        let given = self.tls_ca_file.is_some() || self.tls_client_cert.is_some();
        for address in addresses {
            crate::connect::check_tls(address, given)?;
        }
        if !given {
            return Ok(None);
        }
        Ok(Some(TlsFiles {
            ca: self.tls_ca_file.as_ref().map(read).transpose()?,
            client: match &self.tls_client_cert {
                Some((cert, key)) => Some((read(cert)?, read(key)?)),
                None => None,
            },
        }))
    }

    pub(crate) fn resolved_instance_id(&self) -> String {
        self.instance_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    }
}
