//! The per-service dispatcher: one incoming envelope in, at most one reply out, following the
//! fixed order of the protocol (method lookup, params, handler, result).

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::FutureExt;
use serde_json::Value;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::context::{CallContext, Incoming};
use crate::contract::{Contract, HandlerFailure, MethodEntry, MethodKind};
use crate::envelope::{Envelope, Id, error_response, parse_envelope, success_response};
use crate::error::RpcError;
use crate::metrics::MethodMetrics;
use crate::middleware::{Outcome, ServerLayer};

/// Dispatches envelopes for one service of a server. Transports hold one per served service and
/// route to it by where the envelope arrived (bus name, stream), not by its method string.
#[derive(Clone)]
pub struct ServiceDispatcher {
    contract: Arc<Contract>,
    inflight: Arc<Inflight>,
    service: Arc<str>,
    /// Per method: its name as the context shares it, and its metrics' keys.
    methods: Arc<HashMap<String, (Arc<str>, MethodMetrics)>>,
    layers: Arc<[Arc<dyn ServerLayer>]>,
}

impl fmt::Debug for ServiceDispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceDispatcher")
            .field("service", &self.service)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl ServiceDispatcher {
    pub(crate) fn new(
        contract: Arc<Contract>,
        inflight: Arc<Inflight>,
        layers: Arc<[Arc<dyn ServerLayer>]>,
    ) -> Self {
        let service: Arc<str> = Arc::from(contract.service());
        let methods = contract
            .methods()
            .into_iter()
            .map(|(name, _)| {
                let method: Arc<str> = Arc::from(name);
                let metrics = MethodMetrics::new(&service, &method);
                (name.to_owned(), (method, metrics))
            })
            .collect();
        Self {
            contract,
            inflight,
            service,
            methods: Arc::new(methods),
            layers,
        }
    }

    /// A dispatcher for `contract` alone, not tied to a server's drain on stop, with no layers.
    pub fn standalone(contract: Contract) -> Self {
        Self::new(Arc::new(contract), Arc::default(), Arc::from([]))
    }

    /// The wire service name this dispatcher serves.
    pub fn service(&self) -> &str {
        self.contract.service()
    }

    /// Dispatches raw envelope JSON. A malformed envelope is logged and dropped: -32600 is never
    /// sent as a response.
    pub async fn dispatch_value(&self, raw: Value) -> Option<Value> {
        match parse_envelope(raw) {
            Ok(envelope) => self.dispatch(envelope).await,
            Err(reason) => {
                tracing::warn!(service = %self.service(), %reason, "malformed envelope dropped");
                None
            }
        }
    }

    /// Dispatches one parsed envelope that came with no deadline and no metadata; returns the
    /// reply to send, if any.
    pub async fn dispatch(&self, envelope: Envelope) -> Option<Value> {
        self.dispatch_incoming(envelope, Incoming::default()).await
    }

    /// Dispatches one parsed envelope with what its transport knows of the call; returns the
    /// reply to send, if any.
    ///
    /// A request whose deadline has passed is not handled and not answered (its caller gave up);
    /// a handler still running at the deadline is cancelled (its future dropped) and nothing is
    /// answered. Notifications have no deadline.
    pub async fn dispatch_incoming(&self, envelope: Envelope, incoming: Incoming) -> Option<Value> {
        let (id, method, params) = match envelope {
            Envelope::Request(r) => (Some(r.id), r.method, r.params),
            Envelope::Notification(n) => (None, n.method, n.params),
            // Responses arriving at a server are ignored.
            Envelope::Success(_) | Envelope::Error(_) => return None,
        };
        let service = self.contract.service();
        let (Some(entry), Some((name, metrics))) =
            (self.contract.method(&method), self.methods.get(&method))
        else {
            if id.is_none() {
                tracing::warn!(service, method = %method, "notification for an unknown method dropped");
            }
            return id.map(|id| error_response(Some(id), RpcError::method_not_found()));
        };
        // A notification-only method has no result to answer a request with; treat the request
        // as addressed to a method that does not exist rather than leave the caller to time out.
        if id.is_some() && entry.kind == MethodKind::Notification {
            tracing::warn!(
                service, method = %method, rpc_id = %display_id(&id),
                "request to a notification-only method answered with Method not found"
            );
            return id.map(|id| error_response(Some(id), RpcError::method_not_found()));
        }
        let deadline = incoming.deadline.filter(|_| id.is_some());
        if deadline.is_some_and(|d| d <= Instant::now()) {
            tracing::warn!(
                service, method = %method, rpc_id = %display_id(&id),
                "request skipped: its caller's deadline passed before it started"
            );
            metrics.stale();
            return None;
        }
        let context = Arc::new(CallContext {
            request_id: id,
            service: Arc::clone(&self.service),
            method: Arc::clone(name),
            deadline,
            metadata: incoming.metadata,
        });
        let started = Instant::now();
        let (reply, outcome) = {
            let _counted = metrics.in_flight();
            Arc::clone(&context)
                .scope(self.run(entry, &context, params))
                .await
        };
        let elapsed = started.elapsed();
        for layer in self.layers.iter().rev() {
            layer.on_response(&context, outcome, elapsed);
        }
        metrics.record(outcome, elapsed);
        reply
    }

    /// Layers, params, handler, result: the reply and how the call ended. Runs with `context`
    /// as the current call context.
    async fn run(
        &self,
        entry: &MethodEntry,
        context: &CallContext,
        params: Value,
    ) -> (Option<Value>, Outcome) {
        let id = &context.request_id;
        let service = context.service();
        let method = context.method();
        let reply = |error: RpcError| {
            let outcome = Outcome::Error { code: error.code };
            (
                id.clone().map(|id| error_response(Some(id), error)),
                outcome,
            )
        };
        for layer in self.layers.iter() {
            if let Err(error) = layer.on_request(context, &params) {
                tracing::warn!(
                    service, method, rpc_id = %display_id(id), code = error.code, message = %error.message,
                    "call refused by a server layer"
                );
                return reply(error);
            }
        }

        let started = catch_panic(|| (entry.handler)(&params));
        let future = match started {
            Ok(Ok(future)) => future,
            Ok(Err(errors)) => {
                tracing::warn!(
                    service, method, rpc_id = %display_id(id), %errors,
                    "RPC params validation failed: {service}.{method} id={}",
                    display_id(id)
                );
                return reply(RpcError::invalid_params(errors));
            }
            Err(panic) => return self.internal_failure(id, method, panic),
        };

        let outcome = {
            let _guard = self.inflight.enter();
            let handler = AssertUnwindSafe(future).catch_unwind();
            match context.deadline {
                None => handler.await,
                Some(deadline) => match tokio::time::timeout_at(deadline, handler).await {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        tracing::warn!(
                            service, method, rpc_id = %display_id(id),
                            "handler cancelled: its caller's deadline passed; no answer sent"
                        );
                        return (None, Outcome::DeadlineExceeded);
                    }
                },
            }
        };
        let result = match outcome {
            Ok(Ok(result)) => result,
            Ok(Err(HandlerFailure::Handler(err))) => {
                if err.is_rpc_error() {
                    let error = err.into_rpc_error();
                    if id.is_none() {
                        tracing::warn!(
                            service, method, code = error.code, message = %error.message,
                            "RPC notification handler returned an error: {service}.{method}"
                        );
                    }
                    return reply(error);
                }
                let error = err.into_rpc_error();
                tracing::error!(
                    service, method, rpc_id = %display_id(id), data = %error.data,
                    "RPC handler raised: {service}.{method} id={}", display_id(id)
                );
                return reply(error);
            }
            Ok(Err(HandlerFailure::InvalidResult(errors))) => {
                tracing::error!(
                    service, method, rpc_id = %display_id(id), %errors,
                    "RPC result validation failed: {service}.{method} id={} errors={errors}",
                    display_id(id)
                );
                return reply(RpcError::result_validation_failed(errors));
            }
            Err(panic) => return self.internal_failure(id, method, panic),
        };
        (
            id.clone().map(|id| success_response(id, result)),
            Outcome::Ok,
        )
    }

    fn internal_failure(
        &self,
        id: &Option<Id>,
        method: &str,
        panic: Box<dyn Any + Send>,
    ) -> (Option<Value>, Outcome) {
        let message = panic_message(&*panic);
        let service = self.contract.service();
        tracing::error!(
            service, method, rpc_id = %display_id(id), panic = %message,
            "RPC handler raised: {service}.{method} id={}", display_id(id)
        );
        let error = RpcError::internal("panic", &message);
        let outcome = Outcome::Error { code: error.code };
        (
            id.clone().map(|id| error_response(Some(id), error)),
            outcome,
        )
    }
}

fn display_id(id: &Option<Id>) -> String {
    id.as_ref()
        .map_or_else(|| "None".to_owned(), ToString::to_string)
}

fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    std::panic::catch_unwind(AssertUnwindSafe(f))
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "handler panicked".to_owned()
    }
}

/// Counts handlers that are running, so a stopping server can let them finish.
#[derive(Debug, Default)]
pub(crate) struct Inflight {
    count: AtomicUsize,
    idle: Notify,
}

impl Inflight {
    fn enter(self: &Arc<Self>) -> InflightGuard {
        self.count.fetch_add(1, Ordering::SeqCst);
        InflightGuard(Arc::clone(self))
    }

    /// Waits until no handler runs, or `grace` passes. Returns whether it drained.
    pub(crate) async fn drain(&self, grace: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.idle.notified();
                if self.count.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(grace, wait).await.is_ok()
    }
}

struct InflightGuard(Arc<Inflight>);

impl Drop for InflightGuard {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}
