//! Call context, deadlines and middleware, in process.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clamator_over_memory::MemoryBus;
use clamator_protocol::{
    CallContext, Client, ClientLayer, Contract, Error, Outcome, OutgoingCall, RpcError, ServerLayer,
};
use serde_json::{Value, json};

/// What a handler saw of its call.
#[derive(Debug, Clone)]
struct Seen {
    service: String,
    method: String,
    id: Option<String>,
    remaining_ms: Option<u128>,
    tenant: Option<String>,
}

fn seen() -> Seen {
    let context = CallContext::current().expect("a handler runs with its call context");
    Seen {
        service: context.service().to_owned(),
        method: context.method().to_owned(),
        id: context.request_id().map(ToString::to_string),
        remaining_ms: context.remaining().map(|r| r.as_millis()),
        tenant: context.metadata().get("tenant").cloned(),
    }
}

/// Adds `tenant: acme` to every call, as an auth or tenancy layer would.
struct Tenant;

impl ClientLayer for Tenant {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        call.metadata.insert("tenant".into(), "acme".into());
        Ok(())
    }
}

#[tokio::test]
async fn a_handler_sees_its_request_id_method_deadline_and_the_callers_metadata() {
    let bus = MemoryBus::new();
    let server = bus.server();
    let notified = Arc::new(Mutex::new(None));
    let n2 = Arc::clone(&notified);
    server
        .register_service(
            Contract::builder("ctx")
                .method("whoami", |_: Value| async {
                    let s = seen();
                    Ok::<_, RpcError>(json!({
                        "service": s.service, "method": s.method, "id": s.id,
                        "remainingMs": s.remaining_ms.map(|r| r as u64), "tenant": s.tenant,
                    }))
                })
                .notification("note", move |_: Value| {
                    let n2 = Arc::clone(&n2);
                    async move { *n2.lock().unwrap() = Some(seen()) }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client().layer(Tenant);
    client.start().await.unwrap();

    let r = client
        .call("ctx", "whoami", json!({}), Some(Duration::from_millis(800)))
        .await
        .unwrap();
    assert_eq!(r["service"], "ctx");
    assert_eq!(r["method"], "whoami");
    assert_eq!(r["tenant"], "acme");
    assert_eq!(r["id"].as_str().map(str::len), Some(36), "a UUID: {r}");
    let left = r["remainingMs"].as_u64().unwrap();
    // Read in the handler's first poll, right after the call started (a loaded machine may
    // take a while to get there).
    assert!((400..=800).contains(&left), "{left} ms left of 800");

    client.notify("ctx", "note", json!({})).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let note = notified
        .lock()
        .unwrap()
        .clone()
        .expect("notification handled");
    assert_eq!((&note.id, note.remaining_ms), (&None, None), "{note:?}");
    assert_eq!(note.tenant.as_deref(), Some("acme"));

    assert!(
        CallContext::current().is_none(),
        "no context outside a handler"
    );
}

/// Sets its flag when dropped before being disarmed: the handler's future went away unfinished.
struct DroppedUnfinished(Arc<AtomicBool>, bool);

impl Drop for DroppedUnfinished {
    fn drop(&mut self) {
        if !self.1 {
            self.0.store(true, Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn a_handler_still_running_when_its_caller_gives_up_is_cancelled() {
    let bus = MemoryBus::new();
    let server = bus.server();
    let completed = Arc::new(AtomicUsize::new(0));
    let cancelled = Arc::new(AtomicBool::new(false));
    let (c2, x2) = (Arc::clone(&completed), Arc::clone(&cancelled));
    server
        .register_service(
            Contract::builder("slow")
                .method("nap", move |p: Value| {
                    let (completed, cancelled) = (Arc::clone(&c2), Arc::clone(&x2));
                    async move {
                        let mut guard = DroppedUnfinished(cancelled, false);
                        let ms = p["ms"].as_u64().unwrap_or(0);
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                        guard.1 = true;
                        completed.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, RpcError>(json!({}))
                    }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client();
    client.start().await.unwrap();

    let started = tokio::time::Instant::now();
    let err = client
        .call(
            "slow",
            "nap",
            json!({"ms": 3000}),
            Some(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );
    // The handler is dropped at the deadline, not left to run its 3 s.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        cancelled.load(Ordering::SeqCst),
        "handler not cancelled after {:?}",
        started.elapsed()
    );
    assert_eq!(completed.load(Ordering::SeqCst), 0);

    // One that finishes in time is not touched.
    client
        .call(
            "slow",
            "nap",
            json!({"ms": 20}),
            Some(Duration::from_millis(2000)),
        )
        .await
        .unwrap();
    assert_eq!(completed.load(Ordering::SeqCst), 1);
}

/// Refuses calls without a token; records every outcome it sees.
#[derive(Default)]
struct Auth {
    seen: Mutex<Vec<(String, Outcome)>>,
}

impl ServerLayer for Auth {
    fn on_request(&self, call: &CallContext, _: &Value) -> Result<(), RpcError> {
        match call.metadata().get("token").map(String::as_str) {
            Some("s3cret") => Ok(()),
            _ => Err(RpcError::new(-32001, "unauthorized")),
        }
    }

    fn on_response(&self, call: &CallContext, outcome: Outcome, elapsed: Duration) {
        assert!(elapsed < Duration::from_secs(5));
        self.seen
            .lock()
            .unwrap()
            .push((call.method().to_owned(), outcome));
    }
}

struct Token(&'static str);

impl ClientLayer for Token {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        call.metadata.insert("token".into(), self.0.into());
        Ok(())
    }
}

/// Records what a client saw, in the order its layers ran.
struct Trace(&'static str, Arc<Mutex<Vec<String>>>);

impl ClientLayer for Trace {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        self.1
            .lock()
            .unwrap()
            .push(format!("{} before {}", self.0, call.method));
        Ok(())
    }

    fn on_response(&self, call: &OutgoingCall, outcome: Outcome, _: Duration) {
        self.1.lock().unwrap().push(format!(
            "{} after {} {}",
            self.0,
            call.method,
            outcome.label()
        ));
    }
}

#[tokio::test]
async fn layers_refuse_calls_add_metadata_and_see_every_outcome() {
    let bus = MemoryBus::new();
    let auth = Arc::new(Auth::default());
    let server = bus.server().layer(Arc::clone(&auth));
    let handled = Arc::new(AtomicUsize::new(0));
    let h2 = Arc::clone(&handled);
    server
        .register_service(
            Contract::builder("vault")
                .method("open", move |_: Value| {
                    h2.fetch_add(1, Ordering::SeqCst);
                    async { Ok::<_, RpcError>(json!({"open": true})) }
                })
                .method("jam", |_: Value| async {
                    Err::<Value, _>(RpcError::new(-32050, "jammed"))
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();

    let anonymous = bus.client();
    anonymous.start().await.unwrap();
    let err = anonymous
        .call("vault", "open", json!({}), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rpc(e) if e.code == -32001 && e.message == "unauthorized"),
        "{err}"
    );
    assert_eq!(
        handled.load(Ordering::SeqCst),
        0,
        "a refused call never runs"
    );

    let trace = Arc::new(Mutex::new(Vec::new()));
    let client = bus
        .client()
        .layer(Trace("outer", Arc::clone(&trace)))
        .layer(Token("s3cret"))
        .layer(Trace("inner", Arc::clone(&trace)));
    client.start().await.unwrap();
    assert_eq!(
        client.call("vault", "open", json!({}), None).await.unwrap(),
        json!({"open": true})
    );
    client
        .call("vault", "jam", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    assert_eq!(
        *auth.seen.lock().unwrap(),
        [
            ("open".to_owned(), Outcome::Error { code: -32001 }),
            ("open".to_owned(), Outcome::Ok),
            ("jam".to_owned(), Outcome::Error { code: -32050 }),
        ]
    );
    assert_eq!(
        *trace.lock().unwrap(),
        [
            "outer before open",
            "inner before open",
            "inner after open ok",
            "outer after open ok",
            "outer before jam",
            "inner before jam",
            "inner after jam error",
            "outer after jam error",
        ]
    );
}

/// A client layer's refusal fails the call before anything is sent.
struct Closed;

impl ClientLayer for Closed {
    fn on_request(&self, _: &mut OutgoingCall) -> Result<(), Error> {
        Err(Error::Usage("circuit open".into()))
    }
}

#[tokio::test]
async fn a_client_layer_can_refuse_a_call_before_it_is_sent() {
    let bus = MemoryBus::new();
    let server = bus.server();
    let handled = Arc::new(AtomicUsize::new(0));
    let h2 = Arc::clone(&handled);
    server
        .register_service(
            Contract::builder("vault")
                .method("open", move |_: Value| {
                    h2.fetch_add(1, Ordering::SeqCst);
                    async { Ok::<_, RpcError>(json!({})) }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client().layer(Closed);
    client.start().await.unwrap();
    let err = client
        .call("vault", "open", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        Error::Usage("circuit open".into()).to_string()
    );
    assert_eq!(handled.load(Ordering::SeqCst), 0);
}

/// Counts what it sees.
#[derive(Default)]
struct Counted {
    requests: AtomicUsize,
    responses: AtomicUsize,
}

impl ServerLayer for Counted {
    fn on_request(&self, _: &CallContext, _: &Value) -> Result<(), RpcError> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn on_response(&self, _: &CallContext, _: Outcome, _: Duration) {
        self.responses.fetch_add(1, Ordering::SeqCst);
    }
}

/// Panics on `method == "boom"`.
struct Panicky;

impl ServerLayer for Panicky {
    fn on_request(&self, call: &CallContext, _: &Value) -> Result<(), RpcError> {
        assert_ne!(call.method(), "boom", "a layer with a bug");
        Ok(())
    }
}

#[tokio::test]
async fn a_layer_sees_on_response_only_for_calls_it_saw_and_a_panicking_layer_refuses() {
    let bus = MemoryBus::new();
    let auth = Arc::new(Auth::default());
    let behind = Arc::new(Counted::default());
    let server = bus
        .server()
        .layer(Arc::clone(&auth))
        .layer(Panicky)
        .layer(Arc::clone(&behind));
    server
        .register_service(
            Contract::builder("vault")
                .method("open", |_: Value| async { Ok::<_, RpcError>(json!({})) })
                .method("boom", |_: Value| async { Ok::<_, RpcError>(json!({})) })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let anonymous = bus.client();
    anonymous.start().await.unwrap();
    let client = bus.client().layer(Token("s3cret"));
    client.start().await.unwrap();

    // Refused by the first layer: the ones behind it see nothing of the call.
    anonymous
        .call("vault", "open", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(behind.requests.load(Ordering::SeqCst), 0);
    assert_eq!(behind.responses.load(Ordering::SeqCst), 0);
    client.call("vault", "open", json!({}), None).await.unwrap();
    assert_eq!(behind.requests.load(Ordering::SeqCst), 1);
    assert_eq!(behind.responses.load(Ordering::SeqCst), 1);

    // A layer that panics refuses the call with -32603; the server goes on serving.
    let err = client
        .call("vault", "boom", json!({}), None)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Rpc(e) if e.code == -32603), "{err}");
    client.call("vault", "open", json!({}), None).await.unwrap();
    assert_eq!(
        auth.seen.lock().unwrap().len(),
        4,
        "the first layer saw every call end"
    );
}

#[tokio::test]
async fn a_call_made_while_serving_one_inherits_its_deadline() {
    let bus = MemoryBus::new();
    let server = bus.server();
    let inner_bus = bus.clone();
    server
        .register_service(
            Contract::builder("inner")
                .method("left", |_: Value| async {
                    let left = CallContext::current().and_then(|c| c.remaining());
                    Ok::<_, RpcError>(json!({ "ms": left.map(|l| l.as_millis() as u64) }))
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server
        .register_service(
            Contract::builder("outer")
                .method("relay", move |_: Value| {
                    let bus = inner_bus.clone();
                    async move {
                        let client = bus.client(); // 30 s default timeout
                        client
                            .start()
                            .await
                            .map_err(|e| RpcError::new(-32000, e.to_string()))?;
                        client
                            .call("inner", "left", json!({}), None)
                            .await
                            .map_err(|e| RpcError::new(-32000, e.to_string()))
                    }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client();
    client.start().await.unwrap();
    let r = client
        .call(
            "outer",
            "relay",
            json!({}),
            Some(Duration::from_millis(900)),
        )
        .await
        .unwrap();
    let left = r["ms"].as_u64().expect("the inner call has a deadline");
    assert!(
        left <= 900,
        "the inner call waits at most the outer one's 900 ms, not 30 s: {left}"
    );
}

#[tokio::test]
async fn a_server_can_let_handlers_finish_past_their_deadline() {
    let bus = MemoryBus::new();
    let server = bus.server().cancel_at_deadline(false);
    let completed = Arc::new(AtomicUsize::new(0));
    let c2 = Arc::clone(&completed);
    server
        .register_service(
            Contract::builder("slow")
                .method("nap", move |_: Value| {
                    let completed = Arc::clone(&c2);
                    async move {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        completed.fetch_add(1, Ordering::SeqCst);
                        Ok::<_, RpcError>(json!({}))
                    }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client();
    client.start().await.unwrap();
    let err = client
        .call("slow", "nap", json!({}), Some(Duration::from_millis(50)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        completed.load(Ordering::SeqCst),
        1,
        "the handler ran to its end"
    );
}
