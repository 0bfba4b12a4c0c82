//! Metrics through the [`metrics`](https://docs.rs/metrics) facade: whichever recorder the
//! application installs (Prometheus, StatsD, OpenTelemetry, …) receives them; without one they
//! cost next to nothing.
//!
//! Calls are recorded by two layers, so that a server or client that records nothing pays
//! nothing: [`ServerMetrics`] records, per service and method,
//! - `clamator_server_calls_total` (counter; label `outcome`: `ok`, `error`, `deadline_exceeded`),
//! - `clamator_server_call_duration_seconds` (histogram, from dispatch to reply),
//! - `clamator_server_calls_in_flight` (gauge);
//!
//! and [`ClientMetrics`] the same counter and histogram under `clamator_client_…`.
//!
//! The Redis transport always records what happens rarely:
//! `clamator_server_stale_requests_total` (by service and method: requests skipped because their
//! caller's deadline passed before they started), `clamator_redis_entries_reclaimed_total` and
//! `clamator_redis_poison_entries_total` (by service).

use std::sync::Arc;
use std::time::Duration;

use ::metrics::{Key, Label, Level, Metadata};

use serde_json::Value;

use crate::context::{CallContext, OutgoingCall};
use crate::error::RpcError;
use crate::middleware::{ClientLayer, Outcome, ServerLayer};

/// Server calls, by `service`, `method`, `outcome` (with [`ServerMetrics`]).
pub const SERVER_CALLS: &str = "clamator_server_calls_total";
/// Server call latency in seconds, by `service`, `method` (with [`ServerMetrics`]).
pub const SERVER_CALL_DURATION: &str = "clamator_server_call_duration_seconds";
/// Handlers running, by `service`, `method` (with [`ServerMetrics`]).
pub const SERVER_CALLS_IN_FLIGHT: &str = "clamator_server_calls_in_flight";
/// Requests skipped because their deadline passed before they started, by `service`, `method`
/// (recorded by the Redis transport).
pub const SERVER_STALE_REQUESTS: &str = "clamator_server_stale_requests_total";
/// Client calls, by `service`, `method`, `outcome` (with [`ClientMetrics`]).
pub const CLIENT_CALLS: &str = "clamator_client_calls_total";
/// Client call latency in seconds, by `service`, `method` (with [`ClientMetrics`]).
pub const CLIENT_CALL_DURATION: &str = "clamator_client_call_duration_seconds";

static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, None);

/// Describes every clamator metric to the installed recorder (the `# HELP` lines of a Prometheus
/// exporter). Call it once, after installing the recorder.
pub fn describe() {
    use ::metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(SERVER_CALLS, "Calls a server dispatched, by outcome.");
    describe_histogram!(
        SERVER_CALL_DURATION,
        Unit::Seconds,
        "Time from dispatch to reply on a server."
    );
    describe_gauge!(SERVER_CALLS_IN_FLIGHT, "Handlers running on a server.");
    describe_counter!(
        SERVER_STALE_REQUESTS,
        "Requests skipped because their caller's deadline passed before they started."
    );
    describe_counter!(CLIENT_CALLS, "Calls a client made, by outcome.");
    describe_histogram!(
        CLIENT_CALL_DURATION,
        Unit::Seconds,
        "Time from sending a call to its result on a client."
    );
    describe_counter!(
        "clamator_redis_entries_reclaimed_total",
        "Entries a Redis server claimed from a consumer that held them too long."
    );
    describe_counter!(
        "clamator_redis_poison_entries_total",
        "Entries a Redis server acknowledged and skipped because they could not be handled."
    );
}

/// A server layer that records `clamator_server_calls_total`,
/// `clamator_server_call_duration_seconds` and `clamator_server_calls_in_flight` for every call
/// and notification a server dispatches to a known method.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServerMetrics;

fn call_labels(call: &CallContext) -> [Label; 2] {
    [
        Label::new("service", Arc::clone(&call.service)),
        Label::new("method", Arc::clone(&call.method)),
    ]
}

impl ServerLayer for ServerMetrics {
    fn on_request(&self, call: &CallContext, _: &Value) -> Result<(), RpcError> {
        let key = Key::from_parts(SERVER_CALLS_IN_FLIGHT, call_labels(call).to_vec());
        ::metrics::with_recorder(|r| r.register_gauge(&key, &METADATA).increment(1.0));
        Ok(())
    }

    fn on_response(&self, call: &CallContext, outcome: Outcome, elapsed: Duration) {
        let labels = call_labels(call);
        let in_flight = Key::from_parts(SERVER_CALLS_IN_FLIGHT, labels.to_vec());
        let duration = Key::from_parts(SERVER_CALL_DURATION, labels.to_vec());
        let mut with_outcome = labels.to_vec();
        with_outcome.push(Label::from_static_parts("outcome", outcome.label()));
        let calls = Key::from_parts(SERVER_CALLS, with_outcome);
        ::metrics::with_recorder(|r| {
            r.register_gauge(&in_flight, &METADATA).decrement(1.0);
            r.register_counter(&calls, &METADATA).increment(1);
            r.register_histogram(&duration, &METADATA)
                .record(elapsed.as_secs_f64());
        });
    }
}

/// A client layer that records `clamator_client_calls_total` and
/// `clamator_client_call_duration_seconds` for every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientMetrics;

impl ClientLayer for ClientMetrics {
    fn on_response(&self, call: &OutgoingCall, outcome: Outcome, elapsed: Duration) {
        if call.notification {
            // Nothing to time.
            return;
        }
        let service = call.service.clone();
        let method = call.method.clone();
        ::metrics::counter!(CLIENT_CALLS, "service" => service.clone(), "method" => method.clone(), "outcome" => outcome.label())
            .increment(1);
        ::metrics::histogram!(CLIENT_CALL_DURATION, "service" => service, "method" => method)
            .record(elapsed.as_secs_f64());
    }
}
