//! Metrics through the [`metrics`](https://docs.rs/metrics) facade: whichever recorder the
//! application installs (Prometheus, StatsD, OpenTelemetry, …) receives them; without one they
//! cost next to nothing.
//!
//! A server records, per service and method:
//! - `clamator_server_calls_total` (counter; label `outcome`: `ok`, `error`, `deadline_exceeded`),
//! - `clamator_server_call_duration_seconds` (histogram, from dispatch to reply),
//! - `clamator_server_calls_in_flight` (gauge),
//! - `clamator_server_stale_requests_total` (counter: requests skipped because their caller's
//!   deadline passed before they started).
//!
//! The Redis transport adds `clamator_redis_entries_reclaimed_total` and
//! `clamator_redis_poison_entries_total` (label `service`). A client records the same call
//! counter and histogram under `clamator_client_…` when [`ClientMetrics`] is one of its layers.

use std::sync::Arc;
use std::time::Duration;

use ::metrics::{Key, Label, Level, Metadata};

use crate::context::OutgoingCall;
use crate::middleware::{ClientLayer, Outcome};

/// Server calls, by `service`, `method`, `outcome`.
pub const SERVER_CALLS: &str = "clamator_server_calls_total";
/// Server call latency in seconds, by `service`, `method`.
pub const SERVER_CALL_DURATION: &str = "clamator_server_call_duration_seconds";
/// Handlers running, by `service`, `method`.
pub const SERVER_CALLS_IN_FLIGHT: &str = "clamator_server_calls_in_flight";
/// Requests skipped because their deadline passed before they started, by `service`, `method`.
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

/// The keys of one method's server metrics, made once per served method so that recording a
/// call builds no labels.
#[derive(Debug)]
pub(crate) struct MethodMetrics {
    ok: Key,
    error: Key,
    deadline: Key,
    duration: Key,
    in_flight: Key,
    stale: Key,
}

impl MethodMetrics {
    pub(crate) fn new(service: &Arc<str>, method: &Arc<str>) -> Self {
        let labels = || {
            vec![
                Label::new("service", Arc::clone(service)),
                Label::new("method", Arc::clone(method)),
            ]
        };
        let calls = |outcome: &'static str| {
            let mut l = labels();
            l.push(Label::from_static_parts("outcome", outcome));
            Key::from_parts(SERVER_CALLS, l)
        };
        Self {
            ok: calls("ok"),
            error: calls("error"),
            deadline: calls("deadline_exceeded"),
            duration: Key::from_parts(SERVER_CALL_DURATION, labels()),
            in_flight: Key::from_parts(SERVER_CALLS_IN_FLIGHT, labels()),
            stale: Key::from_parts(SERVER_STALE_REQUESTS, labels()),
        }
    }

    pub(crate) fn record(&self, outcome: Outcome, elapsed: Duration) {
        let calls = match outcome {
            Outcome::Ok => &self.ok,
            Outcome::Error { .. } => &self.error,
            Outcome::DeadlineExceeded => &self.deadline,
        };
        ::metrics::with_recorder(|r| {
            r.register_counter(calls, &METADATA).increment(1);
            r.register_histogram(&self.duration, &METADATA)
                .record(elapsed.as_secs_f64());
        });
    }

    pub(crate) fn stale(&self) {
        ::metrics::with_recorder(|r| r.register_counter(&self.stale, &METADATA).increment(1));
    }

    /// Counts a running handler until the guard drops.
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        ::metrics::with_recorder(|r| r.register_gauge(&self.in_flight, &METADATA).increment(1.0));
        InFlight(&self.in_flight)
    }
}

pub(crate) struct InFlight<'a>(&'a Key);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        ::metrics::with_recorder(|r| r.register_gauge(self.0, &METADATA).decrement(1.0));
    }
}

/// A client layer that records `clamator_client_calls_total` and
/// `clamator_client_call_duration_seconds` for every call.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientMetrics;

impl ClientLayer for ClientMetrics {
    fn on_response(&self, call: &OutgoingCall, outcome: Outcome, elapsed: Duration) {
        if call.timeout.is_none() {
            // A notification: nothing to time.
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
