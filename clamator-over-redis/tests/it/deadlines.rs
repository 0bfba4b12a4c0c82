//! Deadlines and caller metadata over Redis: judged on Redis's clock, carried as optional entry
//! fields that peers ignore.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clamator_protocol::{
    CallContext, Client, ClientLayer, Contract, Error, OutgoingCall, RpcError,
};
use clamator_test_redis::recorder::Recorded;
use clamator_test_redis::{RedisServer, unique_prefix};
use serde_json::{Value, json};

use crate::common::{client_with, options, server_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_caller_gave_up_while_no_server_ran_is_acknowledged_not_run() {
    let recorded = Recorded::install();
    let redis = RedisServer::start();
    let prefix = unique_prefix("stale");
    // A server ran once (the group exists), then went away.
    let (first, _) = server_with(options(&redis, &prefix)).await;
    first.stop().await.unwrap();

    let client = client_with(options(&redis, &prefix)).await;
    let err = client
        .call(
            "arith",
            "add",
            json!({"a": 1, "b": 2}),
            Some(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );
    // A request still within its deadline waits beside it and is served.
    let fresh = {
        let client = &client;
        async move {
            client
                .call(
                    "arith",
                    "add",
                    json!({"a": 2, "b": 2}),
                    Some(Duration::from_secs(10)),
                )
                .await
        }
    };
    let cmds = format!("{prefix}:cmds:arith");
    let (fresh, ()) = tokio::join!(fresh, async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (second, handled) = server_with(options(&redis, &prefix)).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            handled.load(Ordering::SeqCst),
            1,
            "only the fresh request runs"
        );
        let pending = redis.cli(&["XPENDING", &cmds, "arith"]);
        assert_eq!(
            pending.lines().next(),
            Some("0"),
            "the stale one is acknowledged: {pending}"
        );
        second.stop().await.unwrap();
    });
    assert_eq!(fresh.unwrap(), json!({"sum": 4}));
    // Nothing was written back for the stale request: one reply, the fresh one's.
    let replies = format!("{prefix}:replies:{}", client.transport().instance_id());
    assert_eq!(redis.cli(&["XLEN", &replies]).trim(), "1");
    // At least: under `cargo test` other tests of this process leave stale calls too.
    assert!(
        recorded.counter("clamator_server_stale_requests_total{service=\"arith\",method=\"add\"}")
            >= 1
    );
    client.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_handler_is_cancelled_when_its_caller_gives_up() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("cancel");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;

    let err = client
        .call(
            "arith",
            "slowAdd",
            json!({"a": 1, "b": 2, "sleepMs": 2000}),
            Some(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );
    // The handler would count the call after its 2 s: it was dropped at 300 ms instead, and the
    // entry acknowledged, unanswered.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(handled.load(Ordering::SeqCst), 0, "the handler completed");
    let cmds = format!("{prefix}:cmds:arith");
    let pending = redis.cli(&["XPENDING", &cmds, "arith"]);
    assert_eq!(pending.lines().next(), Some("0"), "{pending}");
    let replies = format!("{prefix}:replies:{}", client.transport().instance_id());
    assert_eq!(redis.cli(&["XLEN", &replies]).trim(), "0");

    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

struct Tenant;

const TRACEPARENT: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

impl ClientLayer for Tenant {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        call.metadata.insert("tenant".into(), "acme".into());
        call.metadata
            .insert("note".into(), "quotes \" and ünïcode".into());
        call.metadata
            .insert("traceparent".into(), TRACEPARENT.into());
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_and_the_deadline_reach_the_handler_and_bad_fields_are_ignored() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("context");
    let server = options(&redis, &prefix).server().unwrap();
    let noted = Arc::new(AtomicBool::new(false));
    let n2 = Arc::clone(&noted);
    server
        .register_service(
            Contract::builder("ctx")
                .method("whoami", |_: Value| async {
                    let c = CallContext::current().unwrap();
                    Ok::<_, RpcError>(json!({
                        "metadata": c.metadata(),
                        "remainingMs": c.remaining().map(|r| r.as_millis() as u64),
                        "id": c.request_id().map(ToString::to_string),
                    }))
                })
                .notification("note", move |_: Value| {
                    let n2 = Arc::clone(&n2);
                    async move {
                        let c = CallContext::current().unwrap();
                        assert_eq!(c.metadata()["tenant"], "acme");
                        assert!(c.deadline().is_none());
                        n2.store(true, Ordering::SeqCst);
                    }
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = options(&redis, &prefix).client().unwrap().layer(Tenant);
    client.start().await.unwrap();

    let r = client
        .call("ctx", "whoami", json!({}), Some(Duration::from_secs(4)))
        .await
        .unwrap();
    assert_eq!(
        r["metadata"],
        json!({"note": "quotes \" and ünïcode", "tenant": "acme", "traceparent": TRACEPARENT})
    );
    // The trace context is an entry field of its own; the rest is one JSON field.
    let cmds = format!("{prefix}:cmds:ctx");
    let request: Vec<String> = redis
        .cli(&["XRANGE", &cmds, "-", "+", "COUNT", "1"])
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert_eq!(
        request[6..10],
        [
            "timeout-ms".to_owned(),
            "4000".to_owned(),
            "traceparent".to_owned(),
            TRACEPARENT.to_owned()
        ],
        "{request:?}"
    );
    assert_eq!(request[10], "metadata");
    assert_eq!(
        serde_json::from_str::<Value>(&request[11]).unwrap(),
        json!({"note": "quotes \" and ünïcode", "tenant": "acme"})
    );
    let left = r["remainingMs"].as_u64().unwrap();
    assert!((3000..=4000).contains(&left), "{left} ms left of 4000");
    assert_eq!(r["id"].as_str().map(str::len), Some(36));
    client.notify("ctx", "note", json!({})).await.unwrap();

    // An entry whose optional fields do not read is served as a peer's would be: no deadline,
    // no metadata.
    let replies = format!("{prefix}:replies:hand");
    let envelope = r#"{"jsonrpc":"2.0","method":"ctx.whoami","params":{},"id":"by-hand"}"#;
    redis.cli(&[
        "XADD",
        &cmds,
        "*",
        "type",
        "rpc",
        "envelope",
        envelope,
        "reply-to",
        &replies,
        "timeout-ms",
        "soon",
        "metadata",
        "[1,2]",
    ]);
    let mut reply = String::new();
    for _ in 0..50 {
        reply = redis.cli(&["XRANGE", &replies, "-", "+"]);
        if !reply.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        reply.contains(r#""result":{"metadata":{},"remainingMs":null,"id":"by-hand"}"#),
        "{reply}"
    );
    assert!(noted.load(Ordering::SeqCst), "notification handled");

    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

/// Poison entries are counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_entries_are_counted() {
    let recorded = Recorded::install();
    let redis = RedisServer::start();
    let prefix = unique_prefix("poison-count");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let cmds = format!("{prefix}:cmds:arith");
    let before = recorded.counter("clamator_redis_poison_entries_total{service=\"arith\"}");
    redis.cli(&["XADD", &cmds, "*", "type", "rpc"]);
    redis.cli(&["XADD", &cmds, "*", "type", "rpc", "envelope", "{not json"]);
    let counted = || recorded.counter("clamator_redis_poison_entries_total{service=\"arith\"}");
    for _ in 0..50 {
        if counted() >= before + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // At least: under `cargo test` other tests of this process may add theirs.
    assert!(counted() - before >= 2, "{:?}", recorded.keys());
    assert_eq!(handled.load(Ordering::SeqCst), 0);
    server.stop().await.unwrap();
}
