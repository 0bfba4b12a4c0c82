//! The in-memory transport end to end: client core → bus → server core → handler → back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clamator_over_memory::{MemoryBus, MemoryRpcClient, MemoryRpcServer};
use clamator_protocol::typed;
use clamator_protocol::{Client, Contract, Error, RpcError};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::{Notify, oneshot};

#[derive(Serialize, Deserialize)]
struct AddParams {
    a: i64,
    b: i64,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct AddResult {
    sum: i64,
}

fn arith(pings: Arc<AtomicUsize>, pinged: Arc<Notify>) -> Contract {
    Contract::builder("arith")
        .method("add", |p: AddParams| async move {
            Ok::<_, RpcError>(AddResult { sum: p.a + p.b })
        })
        .method("sleep", |ms: u64| async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok::<_, RpcError>(ms)
        })
        .method("refuse", |_: Value| async {
            Err::<Value, _>(RpcError::new(4000, "refused").with_data(json!({"why": "test"})))
        })
        .notification("ping", move |_: Value| {
            let (pings, pinged) = (Arc::clone(&pings), Arc::clone(&pinged));
            async move {
                pings.fetch_add(1, Ordering::SeqCst);
                pinged.notify_one();
            }
        })
        .build()
        .unwrap()
}

async fn started(
    bus: &MemoryBus,
) -> (
    MemoryRpcServer,
    MemoryRpcClient,
    Arc<AtomicUsize>,
    Arc<Notify>,
) {
    let pings = Arc::new(AtomicUsize::new(0));
    let pinged = Arc::new(Notify::new());
    let server = bus.server();
    server
        .register_service(arith(Arc::clone(&pings), Arc::clone(&pinged)))
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client();
    client.start().await.unwrap();
    (server, client, pings, pinged)
}

#[tokio::test]
async fn typed_round_trip() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    let result: AddResult = typed::call(&client, "arith", "add", &AddParams { a: 2, b: 3 }, None)
        .await
        .unwrap();
    assert_eq!(result, AddResult { sum: 5 });
}

#[tokio::test]
async fn rpc_error_reaches_the_caller_verbatim() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    let err = client
        .call("arith", "refuse", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.as_rpc(),
        Some(&RpcError::new(4000, "refused").with_data(json!({"why": "test"})))
    );
}

#[tokio::test]
async fn unknown_service_is_method_not_found_at_once() {
    let bus = MemoryBus::new();
    let client = bus.client();
    client.start().await.unwrap();
    let err = client
        .call("nobody", "home", json!({}), Some(Duration::from_secs(3600)))
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc(), Some(&RpcError::method_not_found()));
}

#[tokio::test]
async fn notifications_reach_their_handler_in_the_background() {
    let bus = MemoryBus::new();
    let (_server, client, pings, pinged) = started(&bus).await;
    client.notify("arith", "ping", json!({})).await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), pinged.notified())
        .await
        .unwrap();
    assert_eq!(pings.load(Ordering::SeqCst), 1);
    // A notification to a service nobody serves is simply dropped.
    client.notify("nobody", "ping", json!({})).await.unwrap();
}

#[tokio::test]
async fn slow_handler_times_out_per_call() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    let err = client
        .call(
            "arith",
            "sleep",
            json!(5_000),
            Some(Duration::from_millis(30)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    // The caller learns which call timed out, and after how long.
    assert_eq!(
        err.to_string(),
        "transport error: arith.sleep: call timeout, no reply within 30 ms"
    );
    assert!(client.transport_pending_is_empty());
}

#[tokio::test]
async fn default_timeout_applies_when_no_override() {
    let bus = MemoryBus::new();
    let (_server, _, _, _) = started(&bus).await;
    let client = bus.client().with_default_timeout(Duration::from_millis(20));
    client.start().await.unwrap();
    let err = client
        .call("arith", "sleep", json!(5_000), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
}

#[tokio::test]
async fn stopping_the_client_fails_pending_calls_with_transport_stopped() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    let client = Arc::new(client);
    let pending = {
        let client = Arc::clone(&client);
        tokio::spawn(async move { client.call("arith", "sleep", json!(10_000), None).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    client.stop().await.unwrap();
    let err = pending.await.unwrap().unwrap_err();
    assert_eq!(err.to_string(), "transport error: transport stopped");
}

#[tokio::test]
async fn client_lifecycle() {
    let bus = MemoryBus::new();
    let client = bus.client();
    let err = client
        .call("arith", "add", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "transport error: transport not started (state=idle)"
    );
    let err = client.notify("arith", "ping", json!({})).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "transport error: transport not started (state=idle)"
    );

    client.start().await.unwrap();
    client.start().await.unwrap();
    assert_eq!(
        client
            .call("Arith", "add", json!({}), None)
            .await
            .unwrap_err()
            .to_string(),
        "invalid service \"Arith\""
    );
    assert_eq!(
        client
            .notify("arith", "add-it", json!({}))
            .await
            .unwrap_err()
            .to_string(),
        "invalid method \"add-it\""
    );
    client.stop().await.unwrap();
    client.stop().await.unwrap();
    assert_eq!(
        client.start().await.unwrap_err().to_string(),
        "client has been stopped"
    );
    let err = client
        .call("arith", "add", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "transport error: transport not started (state=stopped)"
    );
}

#[tokio::test]
async fn server_lifecycle_and_registration() {
    let bus = MemoryBus::new();
    let server = bus.server();
    let ping = || {
        Contract::builder("late")
            .notification("ping", |_: Value| async {})
            .build()
            .unwrap()
    };
    server
        .register_service(arith(Arc::default(), Arc::default()))
        .unwrap();
    let dup = server
        .register_service(arith(Arc::default(), Arc::default()))
        .unwrap_err();
    assert_eq!(
        dup.to_string(),
        "service \"arith\" already registered on this server"
    );

    server.start().await.unwrap();
    server.start().await.unwrap();

    // Registered after start: accepted, never served.
    server.register_service(ping()).unwrap();
    assert!(bus.lookup("late").is_none());
    assert!(bus.lookup("arith").is_some());

    // A second server cannot take a name the bus already serves.
    let other = bus.server();
    other
        .register_service(arith(Arc::default(), Arc::default()))
        .unwrap();
    assert_eq!(
        other.start().await.unwrap_err().to_string(),
        "service \"arith\" already registered on this bus"
    );

    server.stop().await.unwrap();
    server.stop().await.unwrap();
    assert!(
        bus.lookup("arith").is_none(),
        "stop unregisters the services"
    );
    assert_eq!(
        server.start().await.unwrap_err().to_string(),
        "server has been stopped"
    );

    // Stopping a server that never started is allowed, and final.
    let never = bus.server();
    never.stop().await.unwrap();
    assert_eq!(
        never.start().await.unwrap_err().to_string(),
        "server has been stopped"
    );
}

#[tokio::test]
async fn graceful_stop_lets_an_in_flight_handler_finish() {
    let bus = MemoryBus::new();
    let (entered_tx, entered_rx) = oneshot::channel::<()>();
    let entered_tx = std::sync::Mutex::new(Some(entered_tx));
    let finished = Arc::new(AtomicUsize::new(0));
    let server = bus.server();
    {
        let finished = Arc::clone(&finished);
        server
            .register_service(
                Contract::builder("slow")
                    .method("work", move |_: Value| {
                        let tx = entered_tx.lock().unwrap().take();
                        let finished = Arc::clone(&finished);
                        async move {
                            if let Some(tx) = tx {
                                let _ = tx.send(());
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            finished.fetch_add(1, Ordering::SeqCst);
                            Ok::<_, RpcError>("done")
                        }
                    })
                    .build()
                    .unwrap(),
            )
            .unwrap();
    }
    server.start().await.unwrap();
    let client = Arc::new(bus.client());
    client.start().await.unwrap();
    let call = {
        let client = Arc::clone(&client);
        tokio::spawn(async move { client.call("slow", "work", json!({}), None).await })
    };
    entered_rx.await.unwrap();
    server
        .stop_with_grace(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        finished.load(Ordering::SeqCst),
        1,
        "stop waited for the handler"
    );
    assert_eq!(call.await.unwrap().unwrap(), json!("done"));
}

#[tokio::test]
async fn stop_gives_up_on_handlers_after_the_grace_period() {
    let bus = MemoryBus::new();
    let (server, client, _, _) = started(&bus).await;
    let client = Arc::new(client);
    let call = {
        let client = Arc::clone(&client);
        tokio::spawn(async move { client.call("arith", "sleep", json!(60_000), None).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let before = std::time::Instant::now();
    server
        .stop_with_grace(Duration::from_millis(50))
        .await
        .unwrap();
    assert!(before.elapsed() < Duration::from_secs(30));
    client.stop().await.unwrap();
    assert!(call.await.unwrap().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_each_get_their_own_reply() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    let client = Arc::new(client);
    let calls: Vec<_> = (0..1000i64)
        .map(|i| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let r: AddResult = typed::call(
                    &*client,
                    "arith",
                    "add",
                    &AddParams { a: i, b: 1_000_000 },
                    None,
                )
                .await
                .unwrap();
                (i, r.sum)
            })
        })
        .collect();
    for call in calls {
        let (i, sum) = call.await.unwrap();
        assert_eq!(sum, i + 1_000_000);
    }
}

#[tokio::test]
async fn clients_and_servers_can_be_shared_behind_references() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    async fn via<C: Client>(c: C) -> Value {
        c.call("arith", "add", json!({"a": 1, "b": 1}), None)
            .await
            .unwrap()
    }
    assert_eq!(via(&client).await, json!({"sum": 2}));
    assert_eq!(via(Arc::new(client)).await, json!({"sum": 2}));
}

trait PendingExt {
    fn transport_pending_is_empty(&self) -> bool;
}

impl PendingExt for MemoryRpcClient {
    fn transport_pending_is_empty(&self) -> bool {
        self.transport().pending_calls() == 0
    }
}

#[tokio::test]
async fn an_abandoned_call_leaves_no_pending_entry() {
    let bus = MemoryBus::new();
    let (_server, client, _, _) = started(&bus).await;
    // The caller gives up (drops the future) long before the handler answers.
    let abandoned = tokio::time::timeout(
        Duration::from_millis(20),
        client.call("arith", "sleep", json!(60_000), None),
    )
    .await;
    assert!(abandoned.is_err());
    assert!(client.transport_pending_is_empty());
}
