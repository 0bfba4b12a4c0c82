//! A service implementation for every fixture contract, for end-to-end tests: each method records
//! the params it received and answers with a prepared result (or a prepared error); each
//! notification records its params. The per-service trait impls are in `registry.rs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use clamator_protocol::serde::Serialize;
use clamator_protocol::serde::de::DeserializeOwned;
use clamator_protocol::serde_json::Value;
use clamator_protocol::{HandlerError, RpcError};
use tokio::sync::Notify;

/// What a fixture service answers and what it saw.
#[derive(Clone, Default)]
pub struct Fixture {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    answers: Mutex<HashMap<(String, String), Value>>,
    fail_with: Mutex<Option<RpcError>>,
    received: Mutex<Vec<(String, String, Value)>>,
    notified: Notify,
}

impl Fixture {
    /// `service.method` will answer with `result` (the JSON of a valid result).
    pub fn answer_with(&self, service: &str, method: &str, result: Value) {
        self.lock_answers()
            .insert((service.to_owned(), method.to_owned()), result);
    }

    /// Every method will fail with `error` (or answer again, with `None`).
    pub fn fail_with(&self, error: Option<RpcError>) {
        *self
            .inner
            .fail_with
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = error;
    }

    /// The params each call and notification received, in order, as JSON.
    pub fn received(&self) -> Vec<(String, String, Value)> {
        self.inner
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until at least `count` calls and notifications have been received.
    pub async fn wait_received(&self, count: usize) {
        loop {
            // Registered before the check, so a notification in between is not missed.
            let notified = self.inner.notified.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self
                .inner
                .received
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .len()
                >= count
            {
                return;
            }
            notified.await;
        }
    }

    fn lock_answers(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Value>> {
        self.inner.answers.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn record<P: Serialize>(&self, service: &str, method: &str, params: &P) {
        let json = clamator_protocol::serde_json::to_value(params).unwrap_or(Value::Null);
        self.inner
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((service.to_owned(), method.to_owned(), json));
        self.inner.notified.notify_waiters();
    }

    /// A request method: record, then the prepared error or result.
    pub fn answer<P: Serialize, R: DeserializeOwned>(
        &self,
        service: &str,
        method: &str,
        params: &P,
    ) -> Result<R, HandlerError> {
        self.record(service, method, params);
        if let Some(error) = self
            .inner
            .fail_with
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Err(error.into());
        }
        let answer = self
            .lock_answers()
            .get(&(service.to_owned(), method.to_owned()))
            .cloned();
        let answer = answer.ok_or_else(|| {
            RpcError::new(1, format!("no answer prepared for {service}.{method}"))
        })?;
        let typed = clamator_protocol::validation::decode(&answer).map_err(|errors| {
            RpcError::new(2, "prepared answer does not fit").with_data(errors.to_data())
        })?;
        Ok(typed)
    }

    /// A notification: record.
    pub fn notification<P: Serialize>(&self, service: &str, method: &str, params: &P) {
        self.record(service, method, params);
    }
}
