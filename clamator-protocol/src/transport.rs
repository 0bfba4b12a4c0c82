//! What a transport must do, split by side: a client sends, a server serves.
//!
//! Python's clamator has one `Transport` protocol whose server half raises `NotImplementedError`
//! for `send`; here the two halves are separate traits, so that mistake cannot compile.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;

use crate::context::Metadata;
use crate::dispatcher::ServiceDispatcher;
use crate::envelope::{Notification, Request};
use crate::error::{Error, TransportError};

/// The client half of a transport: delivers requests and notifications, returns replies.
pub trait ClientTransport: Send + Sync + 'static {
    /// Prepares the transport (connect, start reading replies). Called once by the client core.
    fn start(&self) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Stops the transport; pending calls fail with `transport stopped`.
    fn stop(&self) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Delivers `request` with its deadline (`timeout` from now) and the caller's `metadata`,
    /// and waits up to `timeout` for its reply envelope (a JSON value, parsed by the client
    /// core). No reply in time → [`TransportError::timeout`].
    fn send(
        &self,
        request: Request,
        timeout: Duration,
        metadata: &Metadata,
    ) -> impl Future<Output = Result<Value, TransportError>> + Send;

    /// Delivers a notification with the caller's `metadata`; returns once it is handed over.
    fn notify(
        &self,
        notification: Notification,
        metadata: &Metadata,
    ) -> impl Future<Output = Result<(), TransportError>> + Send;
}

/// The server half of a transport: feeds incoming envelopes to dispatchers and sends their replies.
pub trait ServerTransport: Send + Sync + 'static {
    /// Serves `dispatcher.service()` once started. Called by the server core before `start`.
    fn register_service(
        &self,
        dispatcher: ServiceDispatcher,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Begins serving every registered service.
    fn start(&self) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Stops taking new work; what was taken goes on. The server core calls this before it waits
    /// for in-flight handlers, so that the wait can end under load. The default does nothing: the
    /// transport then takes work until [`stop`](Self::stop).
    fn stop_accepting(&self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Stops serving and releases the services.
    fn stop(&self) -> impl Future<Output = Result<(), TransportError>> + Send;
}

type ReplySender = oneshot::Sender<Result<Value, TransportError>>;

/// Calls waiting for their reply, keyed by the id's text. Transports share this bookkeeping:
/// register before sending, complete when a reply arrives, fail all on stop.
#[derive(Debug, Default)]
pub struct PendingCalls {
    calls: Mutex<HashMap<String, ReplySender>>,
}

/// A registered call; [`PendingCalls::wait`] turns it into its reply.
#[derive(Debug)]
#[must_use = "a pending call must be awaited with PendingCalls::wait"]
pub struct PendingCall {
    key: String,
    reply: oneshot::Receiver<Result<Value, TransportError>>,
}

impl PendingCalls {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a call whose reply will carry the id `key`.
    pub fn register(&self, key: String) -> PendingCall {
        let (tx, rx) = oneshot::channel();
        self.lock().insert(key.clone(), tx);
        PendingCall { key, reply: rx }
    }

    /// Hands `reply` to the call waiting for `key`. Returns `false` when none is waiting (already
    /// timed out, or never ours): such replies are dropped.
    pub fn complete(&self, key: &str, reply: Result<Value, TransportError>) -> bool {
        match self.lock().remove(key) {
            Some(tx) => tx.send(reply).is_ok(),
            None => false,
        }
    }

    /// Removes a registered call that will not be waited for (its request could not be sent).
    pub fn forget(&self, call: PendingCall) {
        self.lock().remove(&call.key);
    }

    /// Fails every waiting call with `error`.
    pub fn fail_all(&self, error: &TransportError) {
        let drained: Vec<_> = self.lock().drain().collect();
        for (_, tx) in drained {
            let _ = tx.send(Err(error.clone()));
        }
    }

    /// How many calls are waiting.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no call is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits for the reply to `call`, up to `timeout`. However the wait ends (reply, timeout, or
    /// the caller dropping the future), the call leaves the table.
    pub async fn wait(
        &self,
        call: PendingCall,
        timeout: Duration,
    ) -> Result<Value, TransportError> {
        let PendingCall { key, reply } = call;
        let _leave = Leave {
            calls: self,
            key: &key,
        };
        match tokio::time::timeout(timeout, reply).await {
            Ok(Ok(reply)) => reply,
            // The sender was dropped without an answer: the table was torn down.
            Ok(Err(_)) => Err(TransportError::stopped()),
            Err(_) => Err(TransportError::timeout()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ReplySender>> {
        // A panic while holding this lock cannot leave the map inconsistent, so poison is ignored.
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Removes a call from the table when its waiter goes away.
struct Leave<'a> {
    calls: &'a PendingCalls,
    key: &'a str,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.calls.lock().remove(self.key);
    }
}
