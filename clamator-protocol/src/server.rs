//! The server core: registers contracts, hands their dispatchers to a [`ServerTransport`], and
//! drains in-flight handlers on stop.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::contract::Contract;
use crate::dispatcher::{Inflight, ServiceDispatcher};
use crate::error::Error;
use crate::lifecycle::State;
use crate::middleware::ServerLayer;
use crate::transport::ServerTransport;

/// How long [`RpcServer::stop`] waits for in-flight handlers: 5 s, as on the other sides.
pub const DEFAULT_STOP_GRACE: Duration = Duration::from_millis(5000);

/// Serves contracts over a transport.
pub struct RpcServer<T> {
    transport: T,
    services: Mutex<Vec<Arc<Contract>>>,
    state: Mutex<State>,
    transition: tokio::sync::Mutex<()>,
    inflight: Arc<Inflight>,
    layers: Vec<Arc<dyn ServerLayer>>,
    cancel_at_deadline: bool,
}

impl<T: std::fmt::Debug> std::fmt::Debug for RpcServer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcServer")
            .field("transport", &self.transport)
            .field("state", &self.state)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl<T: ServerTransport> RpcServer<T> {
    /// A server over `transport`. Register services, then [`start`](Self::start).
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            services: Mutex::new(Vec::new()),
            state: Mutex::new(State::Idle),
            transition: tokio::sync::Mutex::new(()),
            inflight: Arc::default(),
            layers: Vec::new(),
            cancel_at_deadline: true,
        }
    }

    /// Whether a handler still running when its caller's deadline passes is cancelled (its
    /// future dropped; the default, as in tonic) or left to finish (its answer reaches no one),
    /// for work that should complete once started. Requests that arrive already past their deadline are
    /// skipped either way (over Redis).
    pub fn cancel_at_deadline(mut self, cancel: bool) -> Self {
        self.cancel_at_deadline = cancel;
        self
    }

    /// The same server with `layer` seeing every call of every service, after the layers
    /// added before it (see [`ServerLayer`]).
    pub fn layer(mut self, layer: impl ServerLayer) -> Self {
        self.layers.push(Arc::new(layer));
        self
    }

    /// The transport underneath.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Where the server is in its life.
    pub fn state(&self) -> State {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_state(&self, state: State) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    /// Adds a service. Fails when a service of that name is already registered. A service
    /// registered after [`start`](Self::start) is never served (as on the other sides); this is
    /// logged as a warning.
    pub fn register_service(&self, contract: Contract) -> Result<(), Error> {
        let mut services = self.services.lock().unwrap_or_else(|p| p.into_inner());
        if services.iter().any(|c| c.service() == contract.service()) {
            return Err(Error::Usage(format!(
                "service \"{}\" already registered on this server",
                contract.service()
            )));
        }
        if self.state() != State::Idle {
            tracing::warn!(
                service = contract.service(),
                "service registered after start() will not be served"
            );
        }
        services.push(Arc::new(contract));
        Ok(())
    }

    /// Hands every registered service to the transport and starts it. Idempotent; fails after
    /// [`stop`](Self::stop) with `server has been stopped`.
    pub async fn start(&self) -> Result<(), Error> {
        let _t = self.transition.lock().await;
        match self.state() {
            State::Started => return Ok(()),
            State::Stopped => return Err(Error::Usage("server has been stopped".to_owned())),
            State::Idle => {}
        }
        let services = self
            .services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for contract in services {
            let dispatcher = ServiceDispatcher::new(
                contract,
                Arc::clone(&self.inflight),
                self.layers.clone().into_boxed_slice(),
                self.cancel_at_deadline,
            );
            self.transport.register_service(dispatcher).await?;
        }
        self.transport.start().await?;
        self.set_state(State::Started);
        Ok(())
    }

    /// [`stop_with_grace`](Self::stop_with_grace) with the default 5 s grace.
    pub async fn stop(&self) -> Result<(), Error> {
        self.stop_with_grace(DEFAULT_STOP_GRACE).await
    }

    /// Stops taking new calls, waits up to `grace` for in-flight handlers to finish, then stops
    /// the transport. Idempotent.
    pub async fn stop_with_grace(&self, grace: Duration) -> Result<(), Error> {
        let _t = self.transition.lock().await;
        let was = self.state();
        if was != State::Started {
            self.set_state(State::Stopped);
            return Ok(());
        }
        self.transport.stop_accepting().await;
        if !self.inflight.drain(grace).await {
            tracing::warn!(
                grace_ms = grace.as_millis() as u64,
                "handlers still running after the stop grace period"
            );
        }
        self.transport.stop().await?;
        self.set_state(State::Stopped);
        Ok(())
    }
}
