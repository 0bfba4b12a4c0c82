//! Trace propagation over Redis (feature `otel`): the trace context crosses the stream in the
//! `traceparent` entry field, and the server's span continues the caller's trace.

use clamator_protocol::otel::{ContinueTrace, PropagateTrace};
use clamator_protocol::{Client, Contract, RpcError};
use clamator_test_redis::{RedisServer, unique_prefix};
use opentelemetry::trace::{SpanId, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;

use crate::common::options;

// One thread: the subscriber below is this thread's, and the server's loops run here too.
#[tokio::test]
async fn one_trace_spans_the_client_and_the_server_across_the_stream() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let _subscriber = tracing::subscriber::set_default(
        tracing_subscriber::registry()
            .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test"))),
    );

    let redis = RedisServer::start();
    let prefix = unique_prefix("trace");
    let server = options(&redis, &prefix)
        .server()
        .unwrap()
        .layer(ContinueTrace);
    server
        .register_service(
            Contract::builder("traced")
                .method("work", |_: Value| async { Ok::<_, RpcError>(json!({})) })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let traced = options(&redis, &prefix)
        .client()
        .unwrap()
        .layer(PropagateTrace);
    traced.start().await.unwrap();
    let untraced = options(&redis, &prefix).client().unwrap();
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
    traced.stop().await.unwrap();
    untraced.stop().await.unwrap();
    server.stop().await.unwrap();
    provider.force_flush().unwrap();
    let spans = exporter.get_finished_spans().unwrap();

    let named =
        |name: &str| -> Vec<&SpanData> { spans.iter().filter(|s| s.name == name).collect() };
    let caller = named("caller");
    assert_eq!(caller.len(), 1, "{spans:#?}");
    let caller = &caller[0].span_context;
    let calls = named("clamator_call");
    assert_eq!(calls.len(), 2, "{spans:#?}");
    let (continued, fresh): (Vec<&SpanData>, Vec<&SpanData>) = calls
        .into_iter()
        .partition(|s| s.span_context.trace_id() == caller.trace_id());
    // With PropagateTrace the server span is the caller's child, in another task, after a trip
    // through Redis; without it, the server starts a trace of its own.
    assert_eq!(continued.len(), 1, "{spans:#?}");
    assert_eq!(continued[0].parent_span_id, caller.span_id());
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].parent_span_id, SpanId::INVALID);
}
