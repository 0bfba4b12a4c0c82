//! What must not hurt a server or a client: poison entries, Redis going away, stops with work in
//! flight, a consumer that died holding entries.

#![allow(missing_docs)]

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::common::*;
use clamator_over_redis::RedisOptions;
use clamator_protocol::{Client, Error};
use clamator_test_redis::{RedisServer, unique_prefix};
use serde_json::{Value, json};

async fn connection(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

async fn xadd(
    conn: &mut redis::aio::MultiplexedConnection,
    stream: &str,
    fields: &[(&[u8], &[u8])],
) {
    let mut cmd = redis::cmd("XADD");
    cmd.arg(stream).arg("*");
    for (k, v) in fields {
        cmd.arg(*k).arg(*v);
    }
    let _: String = cmd.query_async(conn).await.unwrap();
}

async fn read_replies(conn: &mut redis::aio::MultiplexedConnection, stream: &str) -> Vec<Value> {
    let entries: Vec<(String, Vec<(String, String)>)> = {
        let raw: redis::Value = redis::cmd("XRANGE")
            .arg(stream)
            .arg("-")
            .arg("+")
            .query_async(conn)
            .await
            .unwrap();
        redis::FromRedisValue::from_redis_value(raw).unwrap()
    };
    entries
        .into_iter()
        .map(|(_, fields)| {
            let envelope = fields.into_iter().find(|(k, _)| k == "envelope").unwrap().1;
            serde_json::from_str(&envelope).unwrap()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_entries_are_acknowledged_and_skipped_and_the_server_goes_on() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("poison");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let cmds = format!("{prefix}:cmds:arith");
    let replies = format!("{prefix}:replies:probe");
    let mut conn = connection(&redis).await;
    let to: &[u8] = replies.as_bytes();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let poison: Vec<Vec<(&[u8], &[u8])>> = vec![
        vec![(b"type", b"rpc")],                                           // no envelope
        vec![(b"envelope", b"{not json"), (b"reply-to", to)],             // bad JSON
        vec![(b"envelope", b"\xff\xfe{}"), (b"reply-to", to)],            // not UTF-8
        vec![(b"envelope", br#"{"jsonrpc":"1.0","method":"arith.add","id":1}"#), (b"reply-to", to)],
        vec![(b"envelope", br#"[{"jsonrpc":"2.0","method":"arith.add","id":1}]"#), (b"reply-to", to)],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"arith","id":1}"#), (b"reply-to", to)],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"Arith.add","id":1}"#), (b"reply-to", to)],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"arith.add","id":true}"#), (b"reply-to", to)],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","id":"x","result":1}"#), (b"reply-to", to)],
        vec![(b"envelope", br#""just a string""#), (b"reply-to", to)],
        vec![(b"envelope", deep.as_bytes()), (b"reply-to", to)],          // nested past any limit
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"arith.add","params":{"a":1,"b":1},"id":"elsewhere"}"#), (b"reply-to", b"some:other:key")],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"arith.add","params":{"a":1,"b":1},"id":"no-reply-to"}"#)],
        vec![(b"envelope", br#"{"jsonrpc":"2.0","method":"arith.add","params":{"a":1,"b":1},"id":null}"#), (b"reply-to", to)],
    ];
    for fields in &poison {
        xadd(&mut conn, &cmds, fields).await;
    }
    // Requests that do get answers, after the poison.
    let answered: [&[u8]; 4] = [
        br#"{"jsonrpc": "2.0", "method": "arith.add", "params": {"a": 2, "b": 3}, "id": "py-style"}"#,
        br#"{"jsonrpc":"2.0","method":"arith.nope","params":{},"id":7}"#,
        br#"{"jsonrpc":"2.0","method":"other.add","params":{"a":1,"b":1},"id":"misaddressed"}"#,
        br#"{"jsonrpc":"2.0","method":"arith.ping","params":{},"id":"to-a-notification"}"#,
    ];
    for envelope in answered {
        xadd(
            &mut conn,
            &cmds,
            &[
                (b"type", b"rpc"),
                (b"envelope", envelope),
                (b"reply-to", to),
            ],
        )
        .await;
    }

    let deadline = Instant::now() + Duration::from_secs(10);
    let replies_seen = loop {
        let seen = read_replies(&mut conn, &replies).await;
        if seen.len() >= answered.len() || Instant::now() > deadline {
            break seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        replies_seen.len(),
        answered.len(),
        "only well-formed requests are answered: {replies_seen:?}"
    );
    // Entries are handled concurrently: replies come in any order.
    let by_id = |id: Value| replies_seen.iter().find(|r| r["id"] == id).cloned();
    assert_eq!(
        by_id(json!("py-style")),
        Some(json!({"jsonrpc": "2.0", "id": "py-style", "result": {"sum": 5}}))
    );
    for id in [json!(7), json!("misaddressed"), json!("to-a-notification")] {
        let reply = by_id(id.clone()).unwrap_or_else(|| panic!("no reply to {id}"));
        assert_eq!(reply["error"]["code"], json!(-32601), "{reply}");
    }
    // The request without reply-to and the `"id": null` one (a notification) still ran.
    assert_eq!(handled.load(Ordering::SeqCst), 3);
    assert_eq!(
        redis.cli(&["EXISTS", "some:other:key"]).trim(),
        "0",
        "no reply outside the prefix"
    );
    let pending = redis.cli(&["XPENDING", &cmds, "arith"]);
    assert_eq!(
        pending.lines().next(),
        Some("0"),
        "every entry acknowledged: {pending}"
    );

    let client = client_with(options(&redis, &prefix)).await;
    let sum = client
        .call("arith", "add", json!({"a": 1, "b": 1}), None)
        .await
        .unwrap();
    assert_eq!(sum, json!({"sum": 2}), "the server is still serving");
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_resume_after_redis_restarts() {
    let mut redis = RedisServer::start();
    let prefix = unique_prefix("restart");
    let (server, _) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;
    assert_eq!(
        client
            .call("arith", "add", json!({"a": 1, "b": 1}), None)
            .await
            .unwrap(),
        json!({"sum": 2})
    );

    redis.kill();
    let started = Instant::now();
    let err = client
        .call(
            "arith",
            "add",
            json!({"a": 1, "b": 1}),
            Some(Duration::from_secs(2)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "a call during the outage fails in time"
    );
    assert_eq!(
        client.transport().pending_calls(),
        0,
        "a call that was never sent leaves no entry behind"
    );

    // Empty again, consumer group and all: the server must recreate its group.
    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match client
            .call(
                "arith",
                "add",
                json!({"a": 2, "b": 2}),
                Some(Duration::from_secs(1)),
            )
            .await
        {
            Ok(sum) => {
                assert_eq!(sum, json!({"sum": 4}));
                break;
            }
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no recovery within 20 s: {e}"),
        }
    }
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_lets_a_handler_in_flight_answer() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("stop");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;
    let call = client.call(
        "arith",
        "slowAdd",
        json!({"a": 1, "b": 2, "sleepMs": 400}),
        None,
    );
    let stop = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        server.stop().await.unwrap();
        // Stopped: what arrives now waits in the stream for another server.
        client
            .call(
                "arith",
                "add",
                json!({"a": 1, "b": 1}),
                Some(Duration::from_millis(300)),
            )
            .await
    };
    let (answered, after_stop) = tokio::join!(call, stop);
    assert_eq!(answered.unwrap(), json!({"sum": 3}));
    assert!(
        matches!(after_stop, Err(Error::Transport(ref t)) if t.is_timeout()),
        "{after_stop:?}"
    );
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    let cmds = format!("{prefix}:cmds:arith");
    assert_eq!(
        redis.cli(&["XPENDING", &cmds, "arith"]).lines().next(),
        Some("0")
    );

    // A new server of the pool reads the call left in the stream (it was added after the group
    // existed, so it is delivered) but skips it: its caller timed out meanwhile. New calls run.
    let (other, handled_other) = server_with(options(&redis, &prefix)).await;
    let late = client
        .call("arith", "add", json!({"a": 5, "b": 5}), None)
        .await
        .unwrap();
    assert_eq!(late, json!({"sum": 10}));
    assert!(handled_other.load(Ordering::SeqCst) >= 1);
    client.stop().await.unwrap();
    other.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_outlives_the_grace_stays_pending_and_another_server_claims_it() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("grace");
    let quick_exit = options(&redis, &prefix).shutdown_grace(Duration::from_millis(100));
    let (server, handled) = server_with(quick_exit).await;
    let client = client_with(options(&redis, &prefix)).await;
    let call = client.call(
        "arith",
        "slowAdd",
        json!({"a": 2, "b": 2, "sleepMs": 1500}),
        Some(Duration::from_secs(8)),
    );
    let stop_then_rescue = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        server
            .stop_with_grace(Duration::from_millis(100))
            .await
            .unwrap();
        let cmds = format!("{prefix}:cmds:arith");
        assert_eq!(
            redis.cli(&["XPENDING", &cmds, "arith"]).lines().next(),
            Some("1"),
            "left unacknowledged"
        );
        server_with(options(&redis, &prefix).consumer_claim_idle(Duration::from_millis(200))).await
    };
    let (answered, (rescuer, handled_rescuer)) = tokio::join!(call, stop_then_rescue);
    assert_eq!(answered.unwrap(), json!({"sum": 4}));
    assert_eq!(
        handled.load(Ordering::SeqCst),
        0,
        "the first handler was dropped"
    );
    assert_eq!(handled_rescuer.load(Ordering::SeqCst), 1);
    client.stop().await.unwrap();
    rescuer.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_consumers_entries_are_reclaimed_and_answered_once() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("reclaim");
    let cmds = format!("{prefix}:cmds:arith");
    // The group exists, a consumer takes the entry and dies without acknowledging it.
    redis.cli(&["XGROUP", "CREATE", &cmds, "arith", "$", "MKSTREAM"]);
    let client = client_with(options(&redis, &prefix)).await;
    let call = client.call(
        "arith",
        "add",
        json!({"a": 1, "b": 2}),
        Some(Duration::from_secs(5)),
    );
    let crash_then_rescue = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let taken = redis.cli(&[
            "XREADGROUP",
            "GROUP",
            "arith",
            "arith:dead",
            "COUNT",
            "10",
            "STREAMS",
            &cmds,
            ">",
        ]);
        assert!(
            taken.contains("arith.add"),
            "the dead consumer took the call: {taken}"
        );
        server_with(options(&redis, &prefix).consumer_claim_idle(Duration::from_millis(200))).await
    };
    let (answered, (server, handled)) = tokio::join!(call, crash_then_rescue);
    assert_eq!(answered.unwrap(), json!({"sum": 3}));
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_client_fails_its_pending_calls() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("client-stop");
    let client = client_with(options(&redis, &prefix)).await;
    let call = client.call("arith", "add", json!({"a": 1, "b": 2}), None);
    let stop = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client.stop().await.unwrap();
    };
    let (result, ()) = tokio::join!(call, stop);
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.message() == "transport stopped"),
        "{err}"
    );
    let err = client
        .call("arith", "add", json!({}), None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not started (state=stopped)"),
        "{err}"
    );
}

#[tokio::test]
async fn options_errors_are_clear() {
    let both = RedisOptions::new("p")
        .redis_url("redis://127.0.0.1:1")
        .redis_client(redis::Client::open("redis://127.0.0.1:1").unwrap());
    let err = both.client().unwrap_err();
    assert_eq!(
        err.to_string(),
        "provide either `redis_url` or `redis_client`, not both"
    );

    let err = RedisOptions::new("p")
        .redis_url("http://x")
        .server()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid Redis URL \"http://x\""),
        "{err}"
    );

    // Nothing listens on port 1: start says where it tried.
    let client = RedisOptions::new("p")
        .redis_url("redis://127.0.0.1:1")
        .client()
        .unwrap();
    let err = client.start().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot connect to Redis at 127.0.0.1:1"),
        "{err}"
    );
}
