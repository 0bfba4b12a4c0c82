//! A `metrics` recorder for tests: installed once per test process, it keeps every counter,
//! gauge and histogram by its name and labels, so a test can read what the code under test
//! recorded. Tests that share the process use labels of their own (a unique service name).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ::metrics::{
    Counter, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

/// What was recorded, by `name{label="value",…}` with the labels in the order given.
#[derive(Debug, Default)]
pub struct Recorded {
    counters: Mutex<HashMap<String, Arc<AtomicU64>>>,
    gauges: Mutex<HashMap<String, Arc<AtomicU64>>>,
    histograms: Mutex<HashMap<String, Arc<Samples>>>,
}

#[derive(Debug, Default)]
struct Samples(Mutex<Vec<f64>>);

impl HistogramFn for Samples {
    fn record(&self, value: f64) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(value);
    }
}

fn render(key: &Key) -> String {
    let labels: Vec<String> = key
        .labels()
        .map(|l| format!("{}=\"{}\"", l.key(), l.value()))
        .collect();
    format!("{}{{{}}}", key.name(), labels.join(","))
}

impl Recorded {
    /// The recorder of this process, installed as the global one on first use.
    pub fn install() -> &'static Recorded {
        static RECORDED: OnceLock<&'static Recorded> = OnceLock::new();
        RECORDED.get_or_init(|| {
            let recorded: &'static Recorded = Box::leak(Box::default());
            ::metrics::set_global_recorder(Global(recorded))
                .expect("no other metrics recorder in a test process");
            recorded
        })
    }

    /// A counter's value (0 when never recorded), e.g.
    /// `counter("clamator_server_calls_total{service=\"s\",method=\"m\",outcome=\"ok\"}")`.
    pub fn counter(&self, key: &str) -> u64 {
        lock(&self.counters)
            .get(key)
            .map_or(0, |c| c.load(Ordering::SeqCst))
    }

    /// A gauge's value (0 when never recorded).
    pub fn gauge(&self, key: &str) -> f64 {
        lock(&self.gauges)
            .get(key)
            .map_or(0.0, |g| f64::from_bits(g.load(Ordering::SeqCst)))
    }

    /// A histogram's samples, in the order recorded.
    pub fn histogram(&self, key: &str) -> Vec<f64> {
        lock(&self.histograms)
            .get(key)
            .map(|h| lock(&h.0).clone())
            .unwrap_or_default()
    }

    /// Every key recorded, for a failure message.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = lock(&self.counters).keys().cloned().collect();
        keys.extend(lock(&self.gauges).keys().cloned());
        keys.extend(lock(&self.histograms).keys().cloned());
        keys.sort();
        keys
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

struct Global(&'static Recorded);

impl Recorder for Global {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(Arc::clone(
            lock(&self.0.counters).entry(render(key)).or_default(),
        ))
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(Arc::clone(
            lock(&self.0.gauges).entry(render(key)).or_default(),
        ))
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(Arc::clone(
            lock(&self.0.histograms).entry(render(key)).or_default(),
        ))
    }
}
