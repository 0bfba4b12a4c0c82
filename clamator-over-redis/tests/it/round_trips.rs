//! Calls over a real redis-server: results, errors, the exact stream layout, load.

#![allow(missing_docs)]

use std::collections::HashSet;
use std::time::Duration;

use crate::common::*;
use clamator_protocol::{Client, Error};
use clamator_test_redis::{RedisServer, unique_prefix};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_errors_and_notifications_round_trip() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("basic");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;

    let sum = client
        .call("arith", "add", json!({"a": 2, "b": 3}), None)
        .await
        .unwrap();
    assert_eq!(sum, json!({"sum": 5}));

    let err = client
        .call("arith", "fail", json!({}), None)
        .await
        .unwrap_err();
    let rpc = err.as_rpc().expect("an rpc error");
    assert_eq!(
        (rpc.code, rpc.message.as_str()),
        (-32000, "division by zero")
    );

    let err = client
        .call("arith", "add", json!({"a": "two", "b": 3}), None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc().map(|e| e.code), Some(-32602));

    let err = client
        .call("arith", "nope", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc().map(|e| e.code), Some(-32601));

    client
        .notify("arith", "ping", json!({"tag": "x"}))
        .await
        .unwrap();

    let err = client
        .call("nobody", "add", json!({}), Some(Duration::from_millis(300)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );

    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 1);
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_groups_and_entries_are_laid_out_as_upstream() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("layout");
    let (server, _) = server_with(options(&redis, &prefix).instance_id("s1")).await;
    let client = client_with(options(&redis, &prefix).instance_id("c1")).await;
    client
        .call("arith", "add", json!({"a": 2, "b": 3}), None)
        .await
        .unwrap();

    let cmds = format!("{prefix}:cmds:arith");
    let replies = format!("{prefix}:replies:c1");
    let groups = redis.cli(&["XINFO", "GROUPS", &cmds]);
    assert!(
        groups.lines().any(|l| l == "arith"),
        "group named after the service: {groups}"
    );
    let consumers = redis.cli(&["XINFO", "CONSUMERS", &cmds, "arith"]);
    assert!(
        consumers.lines().any(|l| l == "arith:s1"),
        "consumer <service>:<id>: {consumers}"
    );

    let request: Vec<String> = redis
        .cli(&["XRANGE", &cmds, "-", "+"])
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert_eq!(request[0], "type");
    assert_eq!(request[1], "rpc");
    assert_eq!(request[2], "envelope");
    let envelope: Value = serde_json::from_str(&request[3]).unwrap();
    assert_eq!(envelope["method"], "arith.add");
    assert!(
        request[3]
            .starts_with(r#"{"jsonrpc":"2.0","method":"arith.add","params":{"a":2,"b":3},"id":""#)
    );
    // Then the caller's timeout (Rust's own field; peers ignore it): the default 30 s.
    assert_eq!(
        &request[4..],
        [
            String::from("reply-to"),
            replies.clone(),
            String::from("timeout-ms"),
            String::from("30000")
        ]
    );

    let reply: Vec<String> = redis
        .cli(&["XRANGE", &replies, "-", "+"])
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert_eq!(reply.len(), 4, "{reply:?}");
    assert_eq!(
        (reply[0].as_str(), reply[1].as_str(), reply[2].as_str()),
        ("type", "rpc", "envelope")
    );
    assert_eq!(
        reply[3],
        format!(
            r#"{{"jsonrpc":"2.0","id":{},"result":{{"sum":5}}}}"#,
            envelope["id"]
        )
    );

    let pending = redis.cli(&["XPENDING", &cmds, "arith"]);
    assert_eq!(
        pending.lines().next(),
        Some("0"),
        "acknowledged after the reply: {pending}"
    );

    client.stop().await.unwrap();
    assert_eq!(
        redis.cli(&["EXISTS", &replies]).trim(),
        "0",
        "a stopped client deletes its reply stream"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_each_get_their_own_reply() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("thousand");
    let (server, handled) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;
    let calls = (0..1000).map(|i| {
        let client = &client;
        async move {
            client
                .call("arith", "add", json!({"a": i, "b": 1}), None)
                .await
        }
    });
    let results = futures_util::future::join_all(calls).await;
    for (i, r) in results.into_iter().enumerate() {
        assert_eq!(r.unwrap(), json!({"sum": i + 1}));
    }
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 1000);
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_one_group_and_handle_each_call_once() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("pool");
    let (a, handled_a) = server_with(options(&redis, &prefix).instance_id("a")).await;
    let (b, handled_b) = server_with(options(&redis, &prefix).instance_id("b")).await;
    let client = client_with(options(&redis, &prefix)).await;
    let calls = (0..200).map(|i| {
        let client = &client;
        async move {
            client
                .call(
                    "arith",
                    "slowAdd",
                    json!({"a": i, "b": 0, "sleepMs": 5}),
                    None,
                )
                .await
        }
    });
    let sums: HashSet<i64> = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.unwrap()["sum"].as_i64().unwrap())
        .collect();
    assert_eq!(sums.len(), 200);
    let (na, nb) = (
        handled_a.load(std::sync::atomic::Ordering::SeqCst),
        handled_b.load(std::sync::atomic::Ordering::SeqCst),
    );
    assert_eq!(na + nb, 200, "each entry handled once");
    assert!(na >= 10 && nb >= 10, "both servers took work: {na} / {nb}");
    client.stop().await.unwrap();
    a.stop().await.unwrap();
    b.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numeric_ids_are_echoed_exactly_as_they_came() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("ids");
    let (server, _) = server_with(options(&redis, &prefix)).await;
    let cmds = format!("{prefix}:cmds:arith");
    let replies = format!("{prefix}:replies:probe");
    let tokens = ["7", "-3", "1.0", "-0", "18446744073709551616", "1e2", "0.1"];
    for token in tokens {
        let envelope = format!(
            r#"{{"jsonrpc": "2.0", "method": "arith.add", "params": {{"a": 1, "b": 1}}, "id": {token}}}"#
        );
        redis.cli(&[
            "XADD", &cmds, "*", "type", "rpc", "envelope", &envelope, "reply-to", &replies,
        ]);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let texts: Vec<String> = loop {
        let texts: Vec<String> = redis
            .cli(&["XRANGE", &replies, "-", "+"])
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(str::to_owned)
            .collect();
        if texts.len() == tokens.len() || std::time::Instant::now() > deadline {
            break texts;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    for token in tokens {
        let expected = format!(r#"{{"jsonrpc":"2.0","id":{token},"result":{{"sum":2}}}}"#);
        assert!(
            texts.contains(&expected),
            "no reply {expected} in {texts:?}"
        );
    }
    server.stop().await.unwrap();
}
