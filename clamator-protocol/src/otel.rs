//! Trace propagation (feature `otel`): a caller's OpenTelemetry trace continues in the server
//! that handles its call, through `tracing` and `tracing-opentelemetry`.
//!
//! [`PropagateTrace`] (a client layer) writes the current span's context into the call's
//! metadata with the application's global propagator (W3C Trace Context: `traceparent`,
//! `tracestate`); over Redis these travel as entry fields of their own. [`ContinueTrace`] (a
//! server layer) reads them back and runs the handler in a `clamator_call` span whose parent is
//! the caller's span. Both do nothing until the application installs a propagator
//! (`opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new())`) and a
//! `tracing_opentelemetry` layer.

use opentelemetry::propagation::{Extractor, Injector};
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::context::{CallContext, Metadata, OutgoingCall};
use crate::error::Error;
use crate::middleware::{ClientLayer, ServerLayer};

/// Client layer: sends the current span's trace context with every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct PropagateTrace;

impl ClientLayer for PropagateTrace {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        let context = tracing::Span::current().context();
        opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator.inject_context(&context, &mut Carrier(&mut call.metadata));
        });
        Ok(())
    }
}

/// Server layer: runs each handler in a span that continues the caller's trace (a new trace
/// when the caller sent none).
#[derive(Debug, Clone, Copy, Default)]
pub struct ContinueTrace;

impl ServerLayer for ContinueTrace {
    fn span(&self, call: &CallContext) -> Option<tracing::Span> {
        // From an empty context, not the current one: the parent is what the caller sent and
        // nothing else (in process a handler may run inside its caller's spans).
        let parent = opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator
                .extract_with_context(&opentelemetry::Context::new(), &Reader(call.metadata()))
        });
        let span = tracing::info_span!(
            "clamator_call",
            otel.kind = "server",
            rpc.system = "jsonrpc",
            rpc.service = call.service(),
            rpc.method = call.method(),
        );
        // Fails only when no OpenTelemetry layer is installed: the span is then a plain one.
        let _ = span.set_parent(parent);
        Some(span)
    }
}

struct Carrier<'a>(&'a mut Metadata);

impl Injector for Carrier<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
}

struct Reader<'a>(&'a Metadata);

impl Extractor for Reader<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}
