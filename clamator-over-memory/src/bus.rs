//! The bus: service name → dispatcher, shared by every transport attached to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use clamator_protocol::{Error, RpcClient, RpcServer, ServiceDispatcher};

use crate::{MemoryRpcClient, MemoryRpcServer, MemoryTransport};

/// Connects in-process clients to in-process servers. Cheap to clone: clones share the bus.
#[derive(Clone, Debug, Default)]
pub struct MemoryBus {
    services: Arc<Mutex<HashMap<String, ServiceDispatcher>>>,
}

impl MemoryBus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client core on this bus (30 s default timeout). Start it before calling.
    pub fn client(&self) -> MemoryRpcClient {
        RpcClient::new(MemoryTransport::new(self))
    }

    /// A server core on this bus. Register services, then start it.
    pub fn server(&self) -> MemoryRpcServer {
        RpcServer::new(MemoryTransport::new(self))
    }

    /// Serves `dispatcher.service()` on this bus. Fails when the name is taken:
    /// `service "<s>" already registered on this bus`.
    pub fn register(&self, dispatcher: ServiceDispatcher) -> Result<(), Error> {
        let mut services = self.lock();
        let name = dispatcher.service().to_owned();
        if services.contains_key(&name) {
            return Err(Error::Usage(format!(
                "service \"{name}\" already registered on this bus"
            )));
        }
        services.insert(name, dispatcher);
        Ok(())
    }

    /// Stops serving `service` here.
    pub fn unregister(&self, service: &str) {
        self.lock().remove(service);
    }

    /// The dispatcher serving `service`, if any.
    pub fn lookup(&self, service: &str) -> Option<ServiceDispatcher> {
        self.lock().get(service).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, ServiceDispatcher>> {
        // Every critical section is a single map operation: a poisoned map is still consistent.
        self.services.lock().unwrap_or_else(|p| p.into_inner())
    }
}
