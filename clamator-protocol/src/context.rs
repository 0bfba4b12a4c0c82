//! What a handler may know about the call it serves, and what a transport tells the server core
//! about an incoming call.
//!
//! A handler reaches its call's context through [`CallContext::current`], so that a handler that
//! does not care keeps its plain `async fn(&self, params)` shape. The context lives for the
//! handler's future (a Tokio task-local): a task the handler spawns does not see it unless it is
//! passed along.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::envelope::Id;

/// Caller metadata: text keys to text values, as a caller's middleware set them (an auth
/// token, a tenant, a request origin). Carried as-is in memory and as one optional stream-entry
/// field over Redis; peers that know nothing of it ignore it.
pub type Metadata = BTreeMap<String, String>;

tokio::task_local! {
    static CURRENT: Arc<CallContext>;
}

/// The call a handler is serving: its request id, `service.method`, deadline and caller metadata.
#[derive(Debug, Clone)]
pub struct CallContext {
    pub(crate) request_id: Option<Id>,
    pub(crate) service: Arc<str>,
    pub(crate) method: Arc<str>,
    pub(crate) deadline: Option<Instant>,
    pub(crate) metadata: Metadata,
}

impl CallContext {
    /// The context of the call being served, inside a handler (and inside a server middleware
    /// hook); `None` anywhere else, including in tasks a handler spawns.
    pub fn current() -> Option<Arc<CallContext>> {
        CURRENT.try_with(Arc::clone).ok()
    }

    /// The request's id; `None` for a notification.
    pub fn request_id(&self) -> Option<&Id> {
        self.request_id.as_ref()
    }

    /// The wire service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The wire method name, without the service.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// When the caller stops waiting: the handler is cancelled (its future dropped) then.
    /// `None` when the caller sent no deadline (notifications, peers that send none).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time left before [`deadline`](Self::deadline); zero once it passed.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// What the caller sent along with the call.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Runs `future` with this context as [`CallContext::current`].
    pub(crate) async fn scope<F: std::future::Future>(self: Arc<Self>, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }
}

/// What a server transport knows about an incoming call besides its envelope.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Incoming {
    /// When the caller stops waiting, on this process's clock. A request whose deadline passed
    /// before its handler started is skipped (never answered); a handler still running at the
    /// deadline is cancelled.
    pub deadline: Option<Instant>,
    /// The caller's metadata.
    pub metadata: Metadata,
}

impl Incoming {
    /// No deadline, no metadata: what a peer that sends neither gives.
    pub fn new() -> Self {
        Self::default()
    }

    /// With this deadline.
    pub fn deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// With this metadata.
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }
}

/// A call on its way out of a client: what client middleware sees and may change, and what the
/// transport sends besides the envelope.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutgoingCall {
    /// The wire service name.
    pub service: String,
    /// The wire method name.
    pub method: String,
    /// How long the caller waits; `None` for a notification. Sent as the request's deadline.
    pub timeout: Option<Duration>,
    /// Sent to the server's handler as [`CallContext::metadata`].
    pub metadata: Metadata,
}

impl OutgoingCall {
    /// A call of `service.method` that waits `timeout` (`None`: a notification), no metadata.
    pub fn new(service: &str, method: &str, timeout: Option<Duration>) -> Self {
        Self {
            service: service.to_owned(),
            method: method.to_owned(),
            timeout,
            metadata: Metadata::new(),
        }
    }
}
