//! Trace propagation (feature `otel`): the server's span continues the caller's trace.

use clamator_over_memory::MemoryBus;
use clamator_protocol::otel::{ContinueTrace, PropagateTrace};
use clamator_protocol::{Client, Contract, RpcError};
use opentelemetry::trace::{SpanId, TraceId, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;

fn span<'a>(spans: &'a [SpanData], name: &str) -> Vec<&'a SpanData> {
    spans.iter().filter(|s| s.name == name).collect()
}

#[tokio::test]
async fn the_servers_span_continues_the_callers_trace() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    // This thread only: the runtime of this test is single-threaded.
    let _subscriber = tracing::subscriber::set_default(subscriber);

    let bus = MemoryBus::new();
    let server = bus.server().layer(ContinueTrace);
    server
        .register_service(
            Contract::builder("traced")
                .method("work", |_: Value| async {
                    tracing::info_span!("inside_handler").in_scope(|| {});
                    Ok::<_, RpcError>(json!({}))
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let traced = bus.client().layer(PropagateTrace);
    traced.start().await.unwrap();
    let untraced = bus.client();
    untraced.start().await.unwrap();

    async {
        traced
            .call("traced", "work", json!({}), None)
            .await
            .unwrap();
        untraced
            .call("traced", "work", json!({}), None)
            .await
            .unwrap();
    }
    .instrument(tracing::info_span!("caller"))
    .await;
    provider.force_flush().unwrap();
    let spans = exporter.get_finished_spans().unwrap();

    let caller = span(&spans, "caller");
    assert_eq!(caller.len(), 1, "{spans:#?}");
    let caller = caller[0].span_context.clone();
    let calls = span(&spans, "clamator_call");
    assert_eq!(calls.len(), 2, "one server span per call: {spans:#?}");
    let trace = |s: &SpanData| s.span_context.trace_id();
    // The first call's server span is the caller's child.
    let continued: Vec<_> = calls
        .iter()
        .filter(|s| trace(s) == caller.trace_id())
        .collect();
    assert_eq!(continued.len(), 1, "{spans:#?}");
    assert_eq!(continued[0].parent_span_id, caller.span_id());
    // The second had no trace to continue: its server span starts one.
    let fresh: Vec<_> = calls
        .iter()
        .filter(|s| trace(s) != caller.trace_id())
        .collect();
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].parent_span_id, SpanId::INVALID);
    assert_ne!(trace(fresh[0]), TraceId::INVALID);
    // What the handler does is inside the server span.
    let inside = span(&spans, "inside_handler");
    assert_eq!(inside.len(), 2);
    assert!(
        inside
            .iter()
            .any(|s| s.parent_span_id == continued[0].span_context.span_id()
                && trace(s) == caller.trace_id())
    );
}
