//! What a handler may know about the call it serves, and what a transport tells the server core
//! about an incoming call.
//!
//! A handler reaches its call's context through [`CallContext::current`], so that a handler that
//! does not care keeps its plain `async fn(&self, params)` shape. The context lives for the
//! handler's future (a Tokio task-local): a task the handler spawns does not see it unless it is
//! handed a copy.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::envelope::Id;

/// Caller metadata: text keys to text values, as a caller's middleware set them (an auth
/// token, a tenant, a request origin). Carried as-is in memory and as one optional stream-entry
/// field over Redis; peers that know nothing of it ignore it.
pub type Metadata = BTreeMap<String, String>;

/// The metadata of a call that carries none.
pub(crate) static NO_METADATA: Metadata = Metadata::new();

tokio::task_local! {
    // By value, not in an `Arc`: a call whose handler never asks for its context allocates
    // nothing for it.
    static CURRENT: CallContext;
}

/// The call a handler is serving: its request id, `service.method`, deadline and caller metadata.
#[derive(Debug, Clone)]
pub struct CallContext {
    pub(crate) request_id: Option<Id>,
    pub(crate) service: Arc<str>,
    pub(crate) method: Arc<str>,
    pub(crate) deadline: Deadline,
    pub(crate) metadata: Option<Box<Metadata>>,
}

/// A call's deadline, as its transport gave it.
#[derive(Debug, Clone)]
pub(crate) enum Deadline {
    None,
    At(Instant),
    /// This long after the call started. Read from the clock the first time it is needed (the
    /// handler asks, or its first poll did not finish it), which is within the handler's first
    /// poll: a handler that finishes at once costs no clock read.
    After {
        timeout: Duration,
        at: std::sync::OnceLock<Instant>,
    },
}

impl Deadline {
    pub(crate) fn new(incoming: &Incoming) -> Self {
        match (incoming.deadline, incoming.timeout) {
            (Some(at), _) => Deadline::At(at),
            (None, Some(timeout)) => Deadline::After {
                timeout,
                at: std::sync::OnceLock::new(),
            },
            (None, None) => Deadline::None,
        }
    }

    pub(crate) fn get(&self) -> Option<Instant> {
        match self {
            Deadline::None => None,
            Deadline::At(at) => Some(*at),
            Deadline::After { timeout, at } => Some(*at.get_or_init(|| {
                let now = Instant::now();
                // A timeout past what the clock can hold is no deadline in practice.
                now.checked_add(*timeout)
                    .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365 * 30))
            })),
        }
    }

    /// The deadline of the call being served, if any.
    pub(crate) fn current() -> Option<Instant> {
        CURRENT.try_with(|c| c.deadline.get()).ok().flatten()
    }
}

impl CallContext {
    /// A copy of the context of the call being served, inside a handler; `None` anywhere else,
    /// including in tasks a handler spawns (hand them the copy). Server layers get the context
    /// as an argument.
    pub fn current() -> Option<CallContext> {
        CURRENT
            .try_with(|context| {
                // Fix a deadline given as a timeout now, so that every copy agrees on it.
                context.deadline.get();
                context.clone()
            })
            .ok()
    }

    /// A context of a call of `service.method` with no id (a notification's), no deadline and
    /// no metadata: for testing a handler outside a server, with [`run`](Self::run).
    ///
    /// ```
    /// use clamator_protocol::{CallContext, Metadata};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let metadata = Metadata::from([("tenant".to_owned(), "acme".to_owned())]);
    /// let tenant = CallContext::new("shop", "order")
    ///     .with_metadata(metadata)
    ///     .run(async { CallContext::current().unwrap().metadata()["tenant"].clone() })
    ///     .await;
    /// assert_eq!(tenant, "acme");
    /// # });
    /// ```
    pub fn new(service: &str, method: &str) -> Self {
        Self {
            request_id: None,
            service: Arc::from(service),
            method: Arc::from(method),
            deadline: Deadline::None,
            metadata: None,
        }
    }

    /// The same context for a request with this id.
    pub fn with_request_id(mut self, id: Id) -> Self {
        self.request_id = Some(id);
        self
    }

    /// The same context with this deadline.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Deadline::At(deadline);
        self
    }

    /// The same context with this caller metadata.
    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = (!metadata.is_empty()).then(|| Box::new(metadata));
        self
    }

    /// Runs `future` with this context as [`CallContext::current`], as a server runs a handler
    /// (without cancelling it at the deadline).
    pub async fn run<F: std::future::Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
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
        self.deadline.get()
    }

    /// Time left before [`deadline`](Self::deadline); zero once it passed.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline()
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// What the caller sent along with the call.
    pub fn metadata(&self) -> &Metadata {
        self.metadata.as_deref().unwrap_or(&NO_METADATA)
    }

    /// Runs `future` with this context as [`CallContext::current`]; the context comes back
    /// from the scope once the future completed (`take_value`).
    pub(crate) fn scope<F: std::future::Future>(
        self,
        future: F,
    ) -> tokio::task::futures::TaskLocalFuture<CallContext, F> {
        CURRENT.scope(self, future)
    }
}

/// What a server transport knows about an incoming call besides its envelope.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub(crate) deadline: Option<Instant>,
    pub(crate) timeout: Option<Duration>,
    /// `None` when empty: most calls carry none, and an empty map still costs its drop.
    pub(crate) metadata: Option<Box<Metadata>>,
}

impl Incoming {
    /// No deadline, no metadata: what a peer that sends neither gives.
    pub fn new() -> Self {
        Self::default()
    }

    /// With a deadline: when the caller stops waiting, on this process's clock. A handler still
    /// running then is cancelled.
    pub fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// With a timeout counted from when the call starts: what an in-process transport knows
    /// instead of a deadline (a deadline wins when both are set).
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// With the caller's metadata.
    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = (!metadata.is_empty()).then(|| Box::new(metadata));
        self
    }

    /// The deadline given with [`with_deadline`](Self::with_deadline).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
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
    /// Whether this is a notification (no reply, no deadline).
    pub notification: bool,
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
            notification: timeout.is_none(),
            metadata: Metadata::new(),
        }
    }
}
