//! What the end-to-end tests share: a started in-memory server serving `contracts`, and a
//! started client on the same bus.

use std::time::Duration;

use clamator_over_memory::{MemoryBus, MemoryRpcClient, MemoryRpcServer};
use clamator_protocol::Contract;

/// Serves `contracts`; the bus and server must live as long as the client is used.
pub async fn serve(contracts: Vec<Contract>) -> (MemoryBus, MemoryRpcServer, MemoryRpcClient) {
    let bus = MemoryBus::new();
    let server = bus.server();
    for contract in contracts {
        server.register_service(contract).unwrap();
    }
    server.start().await.unwrap();
    let client = bus.client().with_default_timeout(Duration::from_secs(10));
    client.start().await.unwrap();
    (bus, server, client)
}
