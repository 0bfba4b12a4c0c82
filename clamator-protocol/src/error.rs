//! The error kinds a clamator caller can meet, and the reserved JSON-RPC codes.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// JSON-RPC error codes with a fixed meaning in clamator.
pub mod codes {
    use std::ops::RangeInclusive;

    /// The incoming text was not JSON. Never sent as a response.
    pub const PARSE_ERROR: i64 = -32700;
    /// The envelope broke a protocol rule. Never sent as a response.
    pub const INVALID_REQUEST: i64 = -32600;
    /// Unknown service, unknown method, or no handler.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// Params failed the params schema.
    pub const INVALID_PARAMS: i64 = -32602;
    /// The handler failed with something that is not an [`RpcError`](super::RpcError), or its
    /// result failed the result schema.
    pub const INTERNAL_ERROR: i64 = -32603;
    /// Codes reserved by JSON-RPC itself; applications pick codes outside this range.
    pub const RESERVED: RangeInclusive<i64> = -32768..=-32000;
    /// Codes reserved for transports.
    pub const TRANSPORT_RESERVED: RangeInclusive<i64> = -32099..=-32000;
}

/// Exact messages that go on the wire with the reserved codes.
pub mod messages {
    /// Message for [`super::codes::METHOD_NOT_FOUND`].
    pub const METHOD_NOT_FOUND: &str = "Method not found";
    /// Message for [`super::codes::INVALID_PARAMS`].
    pub const INVALID_PARAMS: &str = "Invalid params";
    /// Message for [`super::codes::INTERNAL_ERROR`] when a handler failed.
    pub const INTERNAL_ERROR: &str = "Internal error";
    /// Message for [`super::codes::INTERNAL_ERROR`] when a result failed its schema.
    pub const RESULT_VALIDATION_FAILED: &str = "Result validation failed";
}

/// An error answered by the remote side, or raised by a handler to answer with.
///
/// `data` is `null` when unset, as on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} (code {code})")]
pub struct RpcError {
    /// JSON-RPC error code.
    pub code: i64,
    /// Human-readable message.
    pub message: String,
    /// Structured detail; `null` when there is none.
    #[serde(default)]
    pub data: Value,
}

impl RpcError {
    /// An error with `data: null`.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: Value::Null,
        }
    }

    /// The same error carrying `data`.
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = data;
        self
    }

    /// `-32601 Method not found`.
    pub fn method_not_found() -> Self {
        Self::new(codes::METHOD_NOT_FOUND, messages::METHOD_NOT_FOUND)
    }

    /// The violations listed in `data.errors` (a -32602 or a -32603 `Result validation failed`
    /// from a Rust or Python server); `None` when `data` has no such list.
    pub fn violations(&self) -> Option<crate::validation::Violations> {
        crate::validation::Violations::from_data(&self.data)
    }

    /// `-32602 Invalid params` with validation detail.
    pub fn invalid_params(data: Value) -> Self {
        Self::new(codes::INVALID_PARAMS, messages::INVALID_PARAMS).with_data(data)
    }

    /// `-32603 Internal error` with `data = {"name", "message"}`, as the other implementations send
    /// for a handler failure that is not an `RpcError`.
    pub fn internal(name: &str, message: &str) -> Self {
        Self::new(codes::INTERNAL_ERROR, messages::INTERNAL_ERROR)
            .with_data(serde_json::json!({ "name": name, "message": message }))
    }

    /// `-32603 Result validation failed` with validation detail.
    pub fn result_validation_failed(data: Value) -> Self {
        Self::new(codes::INTERNAL_ERROR, messages::RESULT_VALIDATION_FAILED).with_data(data)
    }
}

/// A malformed envelope, or a reply that does not fit the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProtocolError {
    message: String,
}

impl ProtocolError {
    /// A protocol error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A failure to move an envelope: timeout, lost connection, stopped transport.
#[derive(Clone, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    message: String,
    timeout: bool,
    #[source]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// Message a caller sees when no reply came in time.
    pub const CALL_TIMEOUT: &'static str = "call timeout";
    /// Message pending calls fail with when their transport stops.
    pub const STOPPED: &'static str = "transport stopped";

    /// A transport error with this message. The message [`CALL_TIMEOUT`](Self::CALL_TIMEOUT)
    /// makes a timeout, as [`timeout`](Self::timeout) does (transports written against the
    /// message before timeouts were a flag keep working).
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            timeout: message == Self::CALL_TIMEOUT,
            message,
            source: None,
        }
    }

    /// A transport error caused by `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            timeout: false,
            source: Some(Arc::new(source)),
        }
    }

    /// `call timeout`: what a transport reports when no reply came in time.
    pub fn timeout() -> Self {
        Self {
            timeout: true,
            ..Self::new(Self::CALL_TIMEOUT)
        }
    }

    /// The timeout of a call to `service.method` after `waited`, as the caller sees it:
    /// `arith.add: call timeout, no reply within 300 ms`. Still [`is_timeout`](Self::is_timeout).
    pub fn call_timeout(service: &str, method: &str, waited: std::time::Duration) -> Self {
        let waited = match waited.as_millis() {
            ms if ms < 10_000 || ms % 1000 != 0 => format!("{ms} ms"),
            ms => format!("{} s", ms / 1000),
        };
        Self {
            timeout: true,
            ..Self::new(format!(
                "{service}.{method}: {}, no reply within {waited}",
                Self::CALL_TIMEOUT
            ))
        }
    }

    /// `transport stopped`.
    pub fn stopped() -> Self {
        Self::new(Self::STOPPED)
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether no reply came in time.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TransportError");
        d.field("message", &self.message);
        if self.timeout {
            d.field("timeout", &true);
        }
        if let Some(source) = &self.source {
            d.field("source", &format_args!("{source}"));
        }
        d.finish()
    }
}

/// A value that broke its method's contract: which method, and every rule it broke.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// Wire service name.
    pub service: String,
    /// Wire method name.
    pub method: String,
    /// Every broken rule, with its place.
    pub violations: crate::validation::Violations,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.service, self.method, self.violations)
    }
}

impl std::error::Error for ValidationError {}

/// The one error type clamator calls return.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The remote side answered with an error.
    #[error("rpc error: {0}")]
    Rpc(#[from] RpcError),
    /// An envelope or reply broke the protocol.
    #[error("protocol error: {0}")]
    Protocol(#[from] ProtocolError),
    /// The transport could not deliver, or no reply came in time.
    #[error("transport error: {0}")]
    Transport(#[from] TransportError),
    /// The API was misused: an invalid name, a duplicate registration, a stopped client or server.
    #[error("{0}")]
    Usage(String),
    /// The params broke the method's contract (a length, a bound, a pattern, a format, …), so
    /// nothing was sent.
    #[error("invalid params for {0}")]
    InvalidParams(ValidationError),
    /// The server answered with a result its contract does not allow: the server broke the
    /// contract (or runs a different version of it).
    #[error("invalid result from {0}")]
    InvalidResult(ValidationError),
}

impl Error {
    /// The remote error, if this is one.
    pub fn as_rpc(&self) -> Option<&RpcError> {
        match self {
            Error::Rpc(e) => Some(e),
            _ => None,
        }
    }
}
