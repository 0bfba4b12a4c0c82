//! The per-service dispatcher: one incoming envelope in, at most one reply out, following the
//! fixed order of the protocol (method lookup, params, handler, result).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;

use futures_util::FutureExt;
use serde_json::Value;
use tokio::sync::Notify;

use crate::context::{CallContext, Deadline, Incoming};
use crate::contract::{Contract, HandlerFailure, HandlerFuture, MethodEntry, MethodKind};
use crate::envelope::{Envelope, Id, error_response, parse_envelope, success_response};
use crate::error::RpcError;
use crate::middleware::{Outcome, ServerLayer};

/// Dispatches envelopes for one service of a server. Transports hold one per served service and
/// route to it by where the envelope arrived (bus name, stream), not by its method string.
/// Cheap to clone: clones share everything.
#[derive(Clone)]
pub struct ServiceDispatcher {
    shared: Arc<Shared>,
}

struct Shared {
    contract: Arc<Contract>,
    inflight: Arc<Inflight>,
    /// The service name as every call's context shares it.
    service: Arc<str>,
    layers: Box<[Arc<dyn ServerLayer>]>,
    /// Whether a handler still running at its call's deadline is dropped.
    cancel_at_deadline: bool,
}

impl fmt::Debug for ServiceDispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceDispatcher")
            .field("service", &self.shared.service)
            .field("layers", &self.shared.layers.len())
            .finish_non_exhaustive()
    }
}

impl ServiceDispatcher {
    pub(crate) fn new(
        contract: Arc<Contract>,
        inflight: Arc<Inflight>,
        layers: Box<[Arc<dyn ServerLayer>]>,
        cancel_at_deadline: bool,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                service: Arc::from(contract.service()),
                contract,
                inflight,
                layers,
                cancel_at_deadline,
            }),
        }
    }

    /// A dispatcher for `contract` alone, not tied to a server's drain on stop, with no layers;
    /// handlers are cancelled at their call's deadline.
    pub fn standalone(contract: Contract) -> Self {
        Self::new(Arc::new(contract), Arc::default(), Box::new([]), true)
    }

    /// Whether `method` is one of this service's methods.
    pub fn serves(&self, method: &str) -> bool {
        self.shared.contract.method(method).is_some()
    }

    /// The wire service name this dispatcher serves.
    pub fn service(&self) -> &str {
        self.shared.contract.service()
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
    pub fn dispatch(&self, envelope: Envelope) -> impl Future<Output = Option<Value>> + Send + '_ {
        self.dispatch_incoming(envelope, Incoming::default())
    }

    /// Dispatches one parsed envelope with what its transport knows of the call; returns the
    /// reply to send, if any.
    ///
    /// A handler still running at the deadline is cancelled (its future dropped) and nothing is
    /// answered, unless the server was told to let handlers finish; one that completes without
    /// waiting is answered even past it. Whether a request
    /// that arrives past its deadline should run at all is its transport's call (over Redis it
    /// does not). Notifications have no deadline.
    pub async fn dispatch_incoming(&self, envelope: Envelope, incoming: Incoming) -> Option<Value> {
        // Lookup, layers and params happen here, outside any await: the state kept across the
        // handler's awaits is only what the reply needs, which keeps the future small.
        let Running {
            context,
            handler,
            observer,
        } = match self.start(envelope, incoming) {
            Started::Answered(reply) => return reply,
            Started::Running(call) => call,
        };
        let mut scoped = std::pin::pin!(context.scope(Within::new(
            AssertUnwindSafe(handler).catch_unwind(),
            self.shared.cancel_at_deadline,
        )));
        let outcome = {
            let _guard = self.shared.inflight.enter();
            scoped.as_mut().await
        };
        let Some(context) = scoped.take_value() else {
            // The scope always gives its value back once its future completed.
            return None;
        };
        let (answer, outcome) = self.finish(&context, outcome);
        if let Some(observer) = observer {
            observer.done(&context, outcome);
        }
        answer.into_reply(context.request_id)
    }

    /// Everything before the handler's future is polled: method lookup, layers, params.
    fn start(&self, envelope: Envelope, incoming: Incoming) -> Started<'_> {
        let (id, method, params) = match envelope {
            Envelope::Request(r) => (Some(r.id), r.method, r.params),
            Envelope::Notification(n) => (None, n.method, n.params),
            // Responses arriving at a server are ignored.
            Envelope::Success(_) | Envelope::Error(_) => return Started::Answered(None),
        };
        let shared = &*self.shared;
        let service = shared.contract.service();
        let Some(entry) = shared.contract.method(&method) else {
            if id.is_none() {
                tracing::warn!(service, method = %method, "notification for an unknown method dropped");
            }
            return Started::Answered(
                id.map(|id| error_response(Some(id), RpcError::method_not_found())),
            );
        };
        // A notification-only method has no result to answer a request with; treat the request
        // as addressed to a method that does not exist rather than leave the caller to time out.
        if id.is_some() && entry.kind == MethodKind::Notification {
            tracing::warn!(
                service, method = %method, rpc_id = %display_id(&id),
                "request to a notification-only method answered with Method not found"
            );
            return Started::Answered(
                id.map(|id| error_response(Some(id), RpcError::method_not_found())),
            );
        }
        let deadline = match id {
            Some(_) => Deadline::new(&incoming),
            None => Deadline::None,
        };
        let context = CallContext {
            request_id: id,
            service: Arc::clone(&shared.service),
            method: Arc::clone(&entry.name),
            deadline,
            metadata: incoming.metadata,
        };
        // Without layers: no observer, no clock reads.
        let mut observer = (!shared.layers.is_empty()).then(|| Observer {
            layers: &shared.layers,
            entered: 0,
            started: std::time::Instant::now(),
            context: None,
        });
        if let Some(mut entering) = observer.take() {
            if let Err(error) = entering.enter(&context, &params) {
                let (reply, outcome) = error_reply(&context.request_id, error);
                entering.done(&context, outcome);
                return Started::Answered(reply);
            }
            observer = Some(entering);
        }
        match self.handler(entry, &context, &params) {
            Ok(handler) => {
                let handler = match observer.as_ref() {
                    Some(observer) => observer.in_span(handler, &context),
                    None => handler,
                };
                if let Some(observer) = observer.as_mut() {
                    // Kept for a report if the call is dropped before it ends.
                    observer.context = Some(context.clone());
                }
                Started::Running(Running {
                    context,
                    handler,
                    observer,
                })
            }
            Err((reply, outcome)) => {
                if let Some(observer) = observer {
                    observer.done(&context, outcome);
                }
                Started::Answered(reply)
            }
        }
    }

    /// Params, then the handler's future; or the answer instead of it.
    fn handler(
        &self,
        entry: &MethodEntry,
        context: &CallContext,
        params: &Value,
    ) -> Result<HandlerFuture, (Option<Value>, Outcome)> {
        let id = &context.request_id;
        let (service, method) = (context.service(), context.method());
        match catch_panic(|| (entry.handler)(params)) {
            Ok(Ok(future)) => Ok(future),
            Ok(Err(errors)) => {
                tracing::warn!(
                    service, method, rpc_id = %display_id(id), %errors,
                    "RPC params validation failed: {service}.{method} id={}",
                    display_id(id)
                );
                Err(error_reply(id, RpcError::invalid_params(errors)))
            }
            Err(panic) => Err(self.internal_failure(id, method, panic)),
        }
    }

    /// The reply to what the handler did, and how the call ended.
    fn finish(
        &self,
        context: &CallContext,
        outcome: Option<Result<Result<Value, HandlerFailure>, Box<dyn Any + Send>>>,
    ) -> (Answer, Outcome) {
        let id = &context.request_id;
        let (service, method) = (context.service(), context.method());
        let result = match outcome {
            None => {
                tracing::warn!(
                    service, method, rpc_id = %display_id(id),
                    "handler cancelled: its caller's deadline passed; no answer sent"
                );
                return (Answer::Nothing, Outcome::DeadlineExceeded);
            }
            Some(Ok(Ok(result))) => result,
            Some(Ok(Err(HandlerFailure::Handler(err)))) => {
                if err.is_rpc_error() {
                    let error = err.into_rpc_error();
                    if id.is_none() {
                        tracing::warn!(
                            service, method, code = error.code, message = %error.message,
                            "RPC notification handler returned an error: {service}.{method}"
                        );
                    }
                    return Answer::error(error);
                }
                let error = err.into_rpc_error();
                tracing::error!(
                    service, method, rpc_id = %display_id(id), data = %error.data,
                    "RPC handler raised: {service}.{method} id={}", display_id(id)
                );
                return Answer::error(error);
            }
            Some(Ok(Err(HandlerFailure::InvalidResult(errors)))) => {
                tracing::error!(
                    service, method, rpc_id = %display_id(id), %errors,
                    "RPC result validation failed: {service}.{method} id={} errors={errors}",
                    display_id(id)
                );
                return Answer::error(RpcError::result_validation_failed(errors));
            }
            Some(Err(panic)) => {
                return Answer::error(self.internal_error(id, method, panic));
            }
        };
        (Answer::Result(result), Outcome::Ok)
    }

    fn internal_failure(
        &self,
        id: &Option<Id>,
        method: &str,
        panic: Box<dyn Any + Send>,
    ) -> (Option<Value>, Outcome) {
        error_reply(id, self.internal_error(id, method, panic))
    }

    /// Logs a panic; the -32603 that answers it.
    fn internal_error(
        &self,
        id: &Option<Id>,
        method: &str,
        panic: Box<dyn Any + Send>,
    ) -> RpcError {
        let message = panic_message(&*panic);
        let service = self.shared.contract.service();
        tracing::error!(
            service, method, rpc_id = %display_id(id), panic = %message,
            "RPC handler raised: {service}.{method} id={}", display_id(id)
        );
        RpcError::internal("panic", &message)
    }
}

/// How far [`ServiceDispatcher::start`] got.
enum Started<'a> {
    /// No handler runs: this is the answer (`None`: none is sent).
    Answered(Option<Value>),
    Running(Running<'a>),
}

/// A call whose handler's future is ready to be polled.
struct Running<'a> {
    context: CallContext,
    handler: HandlerFuture,
    observer: Option<Observer<'a>>,
}

/// The layers' view of one call: `on_response` goes to exactly the layers whose `on_request`
/// ran, once, also when the call is dropped before it ends (a server that gave up on its
/// handlers at stop): [`Outcome::Dropped`]. A layer that panics is logged, never unwinds into
/// the transport.
struct Observer<'a> {
    layers: &'a [Arc<dyn ServerLayer>],
    /// How many layers' `on_request` ran.
    entered: usize,
    started: std::time::Instant,
    /// A copy of the call's context while its handler runs, for a report if it is dropped.
    context: Option<CallContext>,
}

impl Observer<'_> {
    fn enter(&mut self, context: &CallContext, params: &Value) -> Result<(), RpcError> {
        for layer in self.layers {
            self.entered += 1;
            let verdict = catch_panic(|| layer.on_request(context, params))
                .unwrap_or_else(|panic| Err(RpcError::internal("panic", &panic_message(&*panic))));
            if let Err(error) = verdict {
                tracing::warn!(
                    service = context.service(), method = context.method(),
                    rpc_id = %display_id(&context.request_id), code = error.code, message = %error.message,
                    "call refused by a server layer"
                );
                return Err(error);
            }
        }
        Ok(())
    }

    fn in_span(&self, handler: HandlerFuture, context: &CallContext) -> HandlerFuture {
        let span = self.layers[..self.entered]
            .iter()
            .find_map(|layer| catch_panic(|| layer.span(context)).ok().flatten());
        match span {
            Some(span) => Box::pin(tracing::Instrument::instrument(handler, span)),
            None => handler,
        }
    }

    /// Reports how the call ended, in reverse order.
    fn done(mut self, context: &CallContext, outcome: Outcome) {
        self.context = None;
        self.report(context, outcome);
    }

    fn report(&mut self, context: &CallContext, outcome: Outcome) {
        let elapsed = self.started.elapsed();
        for layer in self.layers[..self.entered].iter().rev() {
            if catch_panic(|| layer.on_response(context, outcome, elapsed)).is_err() {
                tracing::error!(
                    service = context.service(),
                    method = context.method(),
                    "a server layer panicked in on_response"
                );
            }
        }
        self.entered = 0;
    }
}

impl Drop for Observer<'_> {
    fn drop(&mut self) {
        if let Some(context) = self.context.take() {
            self.report(&context, Outcome::Dropped);
        }
    }
}

/// What a finished handler answers, before the request id is put in.
enum Answer {
    Nothing,
    Result(Value),
    Error(RpcError),
}

impl Answer {
    fn error(error: RpcError) -> (Answer, Outcome) {
        let outcome = Outcome::Error { code: error.code };
        (Answer::Error(error), outcome)
    }

    /// The reply envelope; none for a notification.
    fn into_reply(self, id: Option<Id>) -> Option<Value> {
        let id = id?;
        match self {
            Answer::Nothing => None,
            Answer::Result(result) => Some(success_response(id, result)),
            Answer::Error(error) => Some(error_response(Some(id), error)),
        }
    }
}

fn error_reply(id: &Option<Id>, error: RpcError) -> (Option<Value>, Outcome) {
    let (answer, outcome) = Answer::error(error);
    (answer.into_reply(id.clone()), outcome)
}

/// A handler's future run until its call's deadline: `None` if the deadline came first (the
/// future is then dropped). Polled inside the call's context scope, where it finds the
/// deadline. The timer is made only for a future that has to wait, and lives on the heap, so
/// that a call's future stays small.
struct Within<F> {
    future: F,
    /// `None` until the future first waits; then the timer, if the call has a deadline.
    timer: Option<Option<Pin<Box<tokio::time::Sleep>>>>,
}

impl<F> Within<F> {
    /// `cancel`: false runs the future to its end, deadline or not.
    fn new(future: F, cancel: bool) -> Self {
        Self {
            future,
            timer: if cancel { None } else { Some(None) },
        }
    }
}

impl<F: Future + Unpin> Future for Within<F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Poll::Ready(output) = Pin::new(&mut this.future).poll(cx) {
            return Poll::Ready(Some(output));
        }
        let timer = this.timer.get_or_insert_with(|| {
            Deadline::current().map(|deadline| Box::pin(tokio::time::sleep_until(deadline)))
        });
        match timer {
            Some(timer) => timer.as_mut().poll(cx).map(|()| None),
            None => Poll::Pending,
        }
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
