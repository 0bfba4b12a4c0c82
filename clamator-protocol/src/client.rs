//! The client side: the [`Client`] trait generated proxies wrap, and [`RpcClient`], the core that
//! implements it over any [`ClientTransport`].

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::context::{Deadline, NO_METADATA, OutgoingCall};
use crate::envelope::{Envelope, Id, Notification, Request, parse_envelope};
use crate::error::{Error, ProtocolError, TransportError};
use crate::lifecycle::State;
use crate::middleware::{ClientLayer, Outcome};
use crate::names::{is_valid_method_name, is_valid_service_name};
use crate::transport::ClientTransport;

/// Timeout of a call that does not override it: 30 s, as on the other sides.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Something that can call clamator methods: what generated client proxies wrap.
pub trait Client: Send + Sync {
    /// Calls `service.method` with `params` and waits for the result, up to `timeout` (the
    /// client's default when `None`).
    fn call(
        &self,
        service: &str,
        method: &str,
        params: Value,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Value, Error>> + Send;

    /// Sends a notification: no id, no reply.
    fn notify(
        &self,
        service: &str,
        method: &str,
        params: Value,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

impl<C: Client + ?Sized> Client for &C {
    fn call(
        &self,
        service: &str,
        method: &str,
        params: Value,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        (**self).call(service, method, params, timeout)
    }

    fn notify(
        &self,
        service: &str,
        method: &str,
        params: Value,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        (**self).notify(service, method, params)
    }
}

impl<C: Client + ?Sized> Client for Arc<C> {
    fn call(
        &self,
        service: &str,
        method: &str,
        params: Value,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        (**self).call(service, method, params, timeout)
    }

    fn notify(
        &self,
        service: &str,
        method: &str,
        params: Value,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        (**self).notify(service, method, params)
    }
}

/// The client core: names checked, UUID v4 ids, timeouts, reply parsing, lifecycle, layers.
pub struct RpcClient<T> {
    transport: T,
    default_timeout: Duration,
    state: Mutex<State>,
    transition: tokio::sync::Mutex<()>,
    layers: Vec<Arc<dyn ClientLayer>>,
}

impl<T: std::fmt::Debug> std::fmt::Debug for RpcClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcClient")
            .field("transport", &self.transport)
            .field("default_timeout", &self.default_timeout)
            .field("state", &self.state)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl<T: ClientTransport> RpcClient<T> {
    /// A client over `transport` with the default 30 s timeout. Call [`start`](Self::start) first.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            default_timeout: DEFAULT_CALL_TIMEOUT,
            state: Mutex::new(State::Idle),
            transition: tokio::sync::Mutex::new(()),
            layers: Vec::new(),
        }
    }

    /// The same client with `layer` seeing every call, after the layers added before it (see
    /// [`ClientLayer`]).
    pub fn layer(mut self, layer: impl ClientLayer) -> Self {
        self.layers.push(Arc::new(layer));
        self
    }

    /// The same client with another default timeout.
    pub fn with_default_timeout(mut self, timeout: Duration) -> Self {
        self.default_timeout = timeout;
        self
    }

    /// The transport underneath.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Where the client is in its life.
    pub fn state(&self) -> State {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_state(&self, state: State) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    /// Starts the transport. Idempotent; fails after [`stop`](Self::stop) with
    /// `client has been stopped`.
    pub async fn start(&self) -> Result<(), Error> {
        let _t = self.transition.lock().await;
        match self.state() {
            State::Started => Ok(()),
            State::Stopped => Err(Error::Usage("client has been stopped".to_owned())),
            State::Idle => {
                self.transport.start().await?;
                self.set_state(State::Started);
                Ok(())
            }
        }
    }

    /// Stops the transport; pending calls fail with `transport stopped`. Idempotent.
    pub async fn stop(&self) -> Result<(), Error> {
        let _t = self.transition.lock().await;
        let was = self.state();
        self.set_state(State::Stopped);
        if was == State::Started {
            self.transport.stop().await?;
        }
        Ok(())
    }

    fn ensure_ready(&self, service: &str, method: &str) -> Result<(), Error> {
        if !is_valid_service_name(service) {
            return Err(Error::Usage(format!("invalid service \"{service}\"")));
        }
        if !is_valid_method_name(method) {
            return Err(Error::Usage(format!("invalid method \"{method}\"")));
        }
        match self.state() {
            State::Started => Ok(()),
            state => {
                Err(TransportError::new(format!("transport not started (state={state})")).into())
            }
        }
    }
}

impl<T: ClientTransport> RpcClient<T> {
    /// The result a reply envelope carries, or the error it or the transport gave.
    fn read_reply(
        service: &str,
        method: &str,
        timeout: Duration,
        reply: Result<Value, TransportError>,
    ) -> Result<Value, Error> {
        let reply = reply.map_err(|e| {
            // The transport knows only that it waited; the caller learns for what, and how long.
            if e.is_timeout() {
                TransportError::call_timeout(service, method, timeout)
            } else {
                e
            }
        })?;
        match parse_envelope(reply) {
            Ok(Envelope::Success(success)) => Ok(success.result),
            Ok(Envelope::Error(error)) => Err(Error::Rpc(error.error)),
            Ok(other) => Err(ProtocolError::new(format!(
                "unexpected response kind: {}",
                other.kind()
            ))
            .into()),
            Err(reason) => {
                Err(ProtocolError::new(format!("invalid response envelope: {reason}")).into())
            }
        }
    }

    /// Runs the layers' `on_request` in order: the call as they left it and when it started. A
    /// refusal is reported to the layers that saw the call, and returned.
    fn outgoing(
        &self,
        service: &str,
        method: &str,
        timeout: Option<Duration>,
    ) -> Result<(OutgoingCall, tokio::time::Instant), Error> {
        let mut call = OutgoingCall::new(service, method, timeout);
        let started = tokio::time::Instant::now();
        for (entered, layer) in self.layers.iter().enumerate() {
            if let Err(error) = layer.on_request(&mut call) {
                let refused = Err(error);
                self.observed(&call, outcome_of(&refused), started, entered + 1);
                return refused.map(|()| (call, started));
            }
        }
        Ok((call, started))
    }

    /// Tells the first `entered` layers how the call ended, in reverse order.
    fn observed(
        &self,
        call: &OutgoingCall,
        outcome: Outcome,
        started: tokio::time::Instant,
        entered: usize,
    ) {
        let elapsed = started.elapsed();
        for layer in self.layers[..entered].iter().rev() {
            layer.on_response(call, outcome, elapsed);
        }
    }
}

fn outcome_of<V>(result: &Result<V, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(Error::Rpc(e)) => Outcome::Error { code: e.code },
        Err(Error::Transport(e)) if e.is_timeout() => Outcome::DeadlineExceeded,
        Err(_) => Outcome::Error { code: 0 },
    }
}

impl<T: ClientTransport> Client for RpcClient<T> {
    async fn call(
        &self,
        service: &str,
        method: &str,
        params: Value,
        timeout: Option<Duration>,
    ) -> Result<Value, Error> {
        self.ensure_ready(service, method)?;
        let mut timeout = timeout.unwrap_or(self.default_timeout);
        // A call made while serving one waits no longer than the call being served: its own
        // caller stops waiting then (deadline propagation, as gRPC does).
        if let Some(deadline) = Deadline::current() {
            timeout = timeout.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        }
        // Without layers, no call record and no clock reads.
        let call = match self.layers.is_empty() {
            true => None,
            false => Some(self.outgoing(service, method, Some(timeout))?),
        };
        let (timeout, metadata) = match &call {
            Some((call, _)) => (call.timeout.unwrap_or(timeout), &call.metadata),
            None => (timeout, &NO_METADATA),
        };
        let request = Request {
            id: Id::new_v4(),
            service: service.to_owned(),
            method: method.to_owned(),
            params,
        };
        let reply = self.transport.send(request, timeout, metadata).await;
        let result = Self::read_reply(service, method, timeout, reply);
        if let Some((call, started)) = &call {
            self.observed(call, outcome_of(&result), *started, self.layers.len());
        }
        result
    }

    async fn notify(&self, service: &str, method: &str, params: Value) -> Result<(), Error> {
        self.ensure_ready(service, method)?;
        let call = match self.layers.is_empty() {
            true => None,
            false => Some(self.outgoing(service, method, None)?),
        };
        let metadata = call
            .as_ref()
            .map_or(&NO_METADATA, |(call, _)| &call.metadata);
        let notification = Notification {
            service: service.to_owned(),
            method: method.to_owned(),
            params,
        };
        let result = self
            .transport
            .notify(notification, metadata)
            .await
            .map_err(Error::from);
        if let Some((call, started)) = &call {
            self.observed(call, outcome_of(&result), *started, self.layers.len());
        }
        result
    }
}
