//! Middleware: code that sees every call on one side, before and after, the way tonic's
//! interceptors and jsonrpsee's layers do. Layers run in the order they were added before a
//! call, and in reverse after it.
//!
//! The hooks are synchronous, as tonic's interceptors are: they decide from what the call
//! carries (a token in the metadata, the method's name). Work that has to wait belongs in the
//! handler, which can read the same [`CallContext`]. A server layer that panics refuses the call
//! (-32603) in `on_request` and is logged elsewhere; it never takes the server down.

use std::time::Duration;

use serde_json::Value;

use crate::context::{CallContext, OutgoingCall};
use crate::error::{Error, RpcError};

/// How a call ended, as middleware and metrics see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A result (a request) or a handler that returned normally (a notification).
    Ok,
    /// An error response with this code (a handler's error, invalid params, a refusal by a
    /// layer, a handler that panicked or returned a result its contract forbids), or on the
    /// client a call that failed.
    Error {
        /// The JSON-RPC error code; on the client 0 when no error response came (a transport
        /// or protocol failure, a refusal by a client layer). A typed client's local checks
        /// (params refused before sending, a result that does not decode) happen outside the
        /// client core: its layers see those calls as sent and answered.
        code: i64,
    },
    /// The deadline passed while the handler ran, or before it started: no answer was sent.
    DeadlineExceeded,
    /// The server stopped waiting for the handler before it ended (a stop whose grace period
    /// passed, a runtime shutting down): no answer was sent.
    Dropped,
}

impl Outcome {
    /// A short stable name: `ok`, `error`, `deadline_exceeded`, `dropped` (the `outcome` label
    /// of metrics).
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error { .. } => "error",
            Outcome::DeadlineExceeded => "deadline_exceeded",
            Outcome::Dropped => "dropped",
        }
    }
}

/// Server middleware: sees every call a server dispatches to a known method.
pub trait ServerLayer: Send + Sync + 'static {
    /// Before params are decoded: `Err` refuses the call with that error (for a request it is the
    /// answer; a refused notification is logged). The default lets every call through.
    fn on_request(&self, call: &CallContext, params: &Value) -> Result<(), RpcError> {
        let _ = (call, params);
        Ok(())
    }

    /// After the call ended (or was dropped), with how long it took from `on_request`. Called
    /// once for every call whose `on_request` this layer saw, including one it or a later
    /// layer refused.
    fn on_response(&self, call: &CallContext, outcome: Outcome, elapsed: Duration) {
        let _ = (call, outcome, elapsed);
    }

    /// A `tracing` span for the handler to run in (one that continues the caller's trace, for
    /// instance); the first layer that gives one wins. The default gives none.
    fn span(&self, call: &CallContext) -> Option<tracing::Span> {
        let _ = call;
        None
    }
}

/// Client middleware: sees every call and notification a client sends.
pub trait ClientLayer: Send + Sync + 'static {
    /// Before the call is sent: may add metadata (or change the timeout); `Err` fails the call
    /// with that error and sends nothing. The default lets every call through.
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        let _ = call;
        Ok(())
    }

    /// After the call ended (for a notification: once it was handed over), with how long it took.
    fn on_response(&self, call: &OutgoingCall, outcome: Outcome, elapsed: Duration) {
        let _ = (call, outcome, elapsed);
    }
}

impl<L: ServerLayer + ?Sized> ServerLayer for std::sync::Arc<L> {
    fn on_request(&self, call: &CallContext, params: &Value) -> Result<(), RpcError> {
        (**self).on_request(call, params)
    }

    fn on_response(&self, call: &CallContext, outcome: Outcome, elapsed: Duration) {
        (**self).on_response(call, outcome, elapsed);
    }

    fn span(&self, call: &CallContext) -> Option<tracing::Span> {
        (**self).span(call)
    }
}

impl<L: ClientLayer + ?Sized> ClientLayer for std::sync::Arc<L> {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        (**self).on_request(call)
    }

    fn on_response(&self, call: &OutgoingCall, outcome: Outcome, elapsed: Duration) {
        (**self).on_response(call, outcome, elapsed);
    }
}
