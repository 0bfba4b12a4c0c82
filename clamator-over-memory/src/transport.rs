//! One side's attachment to a [`MemoryBus`]: sends calls as a client, registers services as a
//! server.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use clamator_protocol::envelope::{Envelope, Notification, Request, error_response};
use clamator_protocol::{
    ClientTransport, Error, Incoming, Metadata, PendingCalls, RpcError, ServerTransport,
    ServiceDispatcher, State, TransportError,
};
use serde_json::Value;

use crate::MemoryBus;

/// A transport on a [`MemoryBus`]. Needs a Tokio runtime: handlers run on spawned tasks.
#[derive(Debug)]
pub struct MemoryTransport {
    bus: MemoryBus,
    state: Mutex<State>,
    pending: Arc<PendingCalls>,
    own_services: Mutex<Vec<String>>,
}

impl MemoryTransport {
    /// A transport attached to `bus`.
    pub fn new(bus: &MemoryBus) -> Self {
        Self {
            bus: bus.clone(),
            state: Mutex::new(State::Idle),
            pending: Arc::default(),
            own_services: Mutex::new(Vec::new()),
        }
    }

    /// How many calls are waiting for their reply.
    pub fn pending_calls(&self) -> usize {
        self.pending.len()
    }

    fn state(&self) -> State {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn ensure_started(&self) -> Result<(), TransportError> {
        match self.state() {
            State::Started => Ok(()),
            state => Err(TransportError::new(format!(
                "transport not started (state={state})"
            ))),
        }
    }

    fn start_inner(&self) -> Result<(), TransportError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if *state == State::Stopped {
            return Err(TransportError::new("transport has been stopped"));
        }
        *state = State::Started;
        Ok(())
    }

    fn stop_inner(&self) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = State::Stopped;
        self.pending.fail_all(&TransportError::stopped());
        let own: Vec<String> =
            std::mem::take(&mut *self.own_services.lock().unwrap_or_else(|p| p.into_inner()));
        for service in own {
            self.bus.unregister(&service);
        }
    }
}

impl ClientTransport for MemoryTransport {
    async fn start(&self) -> Result<(), TransportError> {
        self.start_inner()
    }

    async fn stop(&self) -> Result<(), TransportError> {
        self.stop_inner();
        Ok(())
    }

    async fn send(
        &self,
        request: Request,
        timeout: Duration,
        metadata: &Metadata,
    ) -> Result<Value, TransportError> {
        self.ensure_started()?;
        let Some(dispatcher) = self.bus.lookup(&request.service) else {
            return Ok(error_response(
                Some(request.id),
                RpcError::method_not_found(),
            ));
        };
        let key = request.id.to_string();
        // The handler is cancelled when its caller stops waiting, as over Redis.
        let mut incoming = Incoming::new().with_timeout(Some(timeout));
        if !metadata.is_empty() {
            incoming = incoming.with_metadata(metadata.clone());
        }
        let mut dispatch = Box::pin(async move {
            dispatcher
                .dispatch_incoming(Envelope::Request(request), incoming)
                .await
        });
        // Most handlers finish without waiting on anything: run them here, in the caller's task,
        // with no hand-off between threads and no pending-call bookkeeping. One that has to wait
        // goes on in a task of its own, so that a caller that goes away does not take it along;
        // it ends when it finishes or when its caller's deadline passes, whichever comes first.
        let first = std::future::poll_fn(|cx| Poll::Ready(dispatch.as_mut().poll(cx))).await;
        if let Poll::Ready(reply) = first {
            return no_reply_is_an_error(reply);
        }
        let call = self.pending.register(key.clone());
        let pending = Arc::clone(&self.pending);
        tokio::spawn(async move {
            let reply = dispatch.await;
            pending.complete(&key, no_reply_is_an_error(reply));
        });
        self.pending.wait(call, timeout).await
    }

    async fn notify(
        &self,
        notification: Notification,
        metadata: &Metadata,
    ) -> Result<(), TransportError> {
        self.ensure_started()?;
        if let Some(dispatcher) = self.bus.lookup(&notification.service) {
            let incoming = Incoming::new().with_metadata(metadata.clone());
            tokio::spawn(async move {
                dispatcher
                    .dispatch_incoming(Envelope::Notification(notification), incoming)
                    .await;
            });
        }
        Ok(())
    }
}

/// A dispatcher answers every request it handles; it answers none only when the call's deadline
/// passed (the handler was cancelled, or never started), which to the caller is a timeout.
fn no_reply_is_an_error(reply: Option<Value>) -> Result<Value, TransportError> {
    reply.ok_or_else(TransportError::timeout)
}

impl ServerTransport for MemoryTransport {
    async fn register_service(&self, dispatcher: ServiceDispatcher) -> Result<(), Error> {
        let service = dispatcher.service().to_owned();
        self.bus.register(dispatcher)?;
        self.own_services
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(service);
        Ok(())
    }

    async fn start(&self) -> Result<(), TransportError> {
        self.start_inner()
    }

    async fn stop(&self) -> Result<(), TransportError> {
        self.stop_inner();
        Ok(())
    }
}
