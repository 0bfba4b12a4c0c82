//! Redis-streams transport for clamator, wire-compatible with the TypeScript and Python
//! `clamator-over-redis` 0.1.9: a Rust server joins a Python server's worker pool, a Rust client
//! calls a TypeScript service, and the other way round.
//!
//! ```no_run
//! use clamator_over_redis::RedisOptions;
//! use clamator_protocol::{Client, Contract, RpcError};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), clamator_protocol::Error> {
//! let server = RedisOptions::new("shop").redis_url("redis://127.0.0.1:6379").server()?;
//! server.register_service(
//!     Contract::builder("echo")
//!         .method("say", |p: serde_json::Value| async move { Ok::<_, RpcError>(p) })
//!         .build()?,
//! )?;
//! server.start().await?;
//!
//! let client = RedisOptions::new("shop").redis_url("redis://127.0.0.1:6379").client()?;
//! client.start().await?;
//! let reply = client.call("echo", "say", serde_json::json!({"hi": 1}), None).await?;
//! assert_eq!(reply, serde_json::json!({"hi": 1}));
//! client.stop().await?;
//! server.stop().await?;
//! # Ok(()) }
//! ```
//!
//! On the wire (byte for byte what the other implementations do):
//! - requests and notifications are entries of `<prefix>:cmds:<service>` with the fields `type`
//!   (`rpc`), `envelope` (the JSON-RPC envelope) and, for requests, `reply-to`
//!   (`<prefix>:replies:<client instance id>`); a Rust client adds `timeout-ms` (its timeout, by
//!   which a Rust server skips a request whose caller gave up and cancels a handler at the
//!   deadline), `traceparent`/`tracestate` (W3C Trace Context, with the `otel` layers) and
//!   `metadata` (a JSON object of strings), which the other implementations ignore;
//! - servers read a service's stream in the consumer group `<service>` as consumer
//!   `<service>:<server instance id>`, so any number of servers, on any number of machines, share
//!   the work; an entry is acknowledged after its reply is written (`MAXLEN ~ 1024`);
//! - what a crashed server had taken is claimed by a live one after the consumer claim idle
//!   (`XAUTOCLAIM`): delivery is at least once.

mod client;
mod clock;
mod connect;
mod entry;
mod exact_id;
pub mod keys;
mod options;
mod server;
mod service_loop;

pub use client::RedisClientTransport;
pub use options::{
    DEFAULT_BLOCK, DEFAULT_CONSUMER_CLAIM_IDLE, DEFAULT_MAX_IN_FLIGHT, DEFAULT_READ_COUNT,
    DEFAULT_REDIS_URL, DEFAULT_REPLY_STREAM_MAXLEN, DEFAULT_REPLY_STREAM_TTL,
    DEFAULT_SHUTDOWN_GRACE, DEFAULT_TRIM_INTERVAL, RedisOptions,
};
pub use server::RedisServerTransport;

/// A client core over Redis streams: `RedisOptions::new(prefix).client()?`.
pub type RedisRpcClient = clamator_protocol::RpcClient<RedisClientTransport>;

/// A server core over Redis streams: `RedisOptions::new(prefix).server()?`.
pub type RedisRpcServer = clamator_protocol::RpcServer<RedisServerTransport>;
