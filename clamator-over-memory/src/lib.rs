//! In-process transport for clamator: clients and servers in one process meet on a
//! [`MemoryBus`], with the same semantics as the TypeScript and Python in-memory transports.
//!
//! ```
//! use clamator_over_memory::MemoryBus;
//! use clamator_protocol::{Client, Contract, RpcError};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), clamator_protocol::Error> {
//! let bus = MemoryBus::new();
//! let server = bus.server();
//! server.register_service(
//!     Contract::builder("echo")
//!         .method("say", |p: serde_json::Value| async move { Ok::<_, RpcError>(p) })
//!         .build()?,
//! )?;
//! server.start().await?;
//!
//! let client = bus.client();
//! client.start().await?;
//! let reply = client.call("echo", "say", serde_json::json!({"hi": 1}), None).await?;
//! assert_eq!(reply, serde_json::json!({"hi": 1}));
//! # Ok(()) }
//! ```

mod bus;
mod transport;

pub use bus::MemoryBus;
pub use transport::MemoryTransport;

/// A client core over the in-memory transport.
pub type MemoryRpcClient = clamator_protocol::RpcClient<MemoryTransport>;

/// A server core over the in-memory transport.
pub type MemoryRpcServer = clamator_protocol::RpcServer<MemoryTransport>;
