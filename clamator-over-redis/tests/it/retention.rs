//! What Redis keeps: command streams trimmed of what no consumer can still need, reply streams
//! that expire after their last reply, and timeouts that say which call timed out.

#![allow(missing_docs)]

use std::time::{Duration, Instant};

use crate::common::*;
use clamator_protocol::{Client, Error};
use clamator_test_redis::{RedisServer, unique_prefix};
use serde_json::json;

async fn calls(client: &clamator_over_redis::RedisRpcClient, n: usize) {
    for chunk in 0..n / 500 {
        let batch = (0..500)
            .map(|i| client.call("arith", "add", json!({"a": chunk * 500 + i, "b": 1}), None));
        for r in futures_util::future::join_all(batch).await {
            r.unwrap();
        }
    }
}

/// What approximate trimming may leave: one node of the stream (`stream-node-max-entries`).
const MAX_LEFT: usize = 100;

fn xlen(redis: &RedisServer, stream: &str) -> usize {
    redis.cli(&["XLEN", stream]).trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_stream_stays_small_after_thousands_of_calls() {
    let redis = RedisServer::start();
    let trimmed = unique_prefix("trimmed");
    let kept = unique_prefix("untrimmed");
    let (s1, _) = server_with(
        options(&redis, &trimmed).trim_command_streams(Some(Duration::from_millis(100))),
    )
    .await;
    // As the Python and TypeScript servers do: nothing is ever removed.
    let (s2, _) = server_with(options(&redis, &kept).trim_command_streams(None)).await;
    let c1 = client_with(options(&redis, &trimmed)).await;
    let c2 = client_with(options(&redis, &kept)).await;
    tokio::join!(calls(&c1, 3_000), calls(&c2, 3_000));

    let cmds = |prefix: &str| format!("{prefix}:cmds:arith");
    let deadline = Instant::now() + Duration::from_secs(5);
    // What comes before the last entry delivered goes, a node of the stream at a time (`~`):
    // at most one node's worth stays.
    while xlen(&redis, &cmds(&trimmed)) > MAX_LEFT {
        assert!(
            Instant::now() < deadline,
            "{} entries left",
            xlen(&redis, &cmds(&trimmed))
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(xlen(&redis, &cmds(&kept)), 3_000);
    for c in [c1, c2] {
        c.stop().await.unwrap();
    }
    for s in [s1, s2] {
        s.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_a_consumer_holds_survive_trimming_until_they_are_reclaimed() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("held");
    let cmds = format!("{prefix}:cmds:arith");
    redis.cli(&["XGROUP", "CREATE", &cmds, "arith", "$", "MKSTREAM"]);
    let client = client_with(options(&redis, &prefix)).await;
    let held = client.call(
        "arith",
        "add",
        json!({"a": 40, "b": 2}),
        Some(Duration::from_secs(20)),
    );
    let take_trim_rescue = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A consumer takes the call and dies without acknowledging it.
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
        let id = taken
            .lines()
            .find(|l| l.contains('-') && l.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .expect("the dead consumer took an entry")
            .to_owned();
        // A trimming server answers a thousand calls after it (it does not reclaim yet).
        let (busy, _) = server_with(
            options(&redis, &prefix)
                .trim_command_streams(Some(Duration::from_millis(50)))
                .consumer_claim_idle(Duration::from_secs(60)),
        )
        .await;
        calls(&client, 1_000).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            redis
                .cli(&["XRANGE", &cmds, &id, &id])
                .contains("arith.add"),
            "the held entry {id} was trimmed"
        );
        // Entries after the held one stay too (XTRIM MINID removes only older ones).
        assert!(xlen(&redis, &cmds) >= 1_001);
        let (rescuer, handled) =
            server_with(options(&redis, &prefix).consumer_claim_idle(Duration::from_millis(200)))
                .await;
        (busy, rescuer, handled)
    };
    let (answered, (busy, rescuer, handled)) = tokio::join!(held, take_trim_rescue);
    assert_eq!(answered.unwrap(), json!({"sum": 42}));
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Once answered, the rest can go.
    let deadline = Instant::now() + Duration::from_secs(5);
    while xlen(&redis, &cmds) > MAX_LEFT {
        assert!(
            Instant::now() < deadline,
            "{} entries left",
            xlen(&redis, &cmds)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.stop().await.unwrap();
    busy.stop().await.unwrap();
    rescuer.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_stream_expires_after_its_last_reply() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("ttl");
    let (server, _) =
        server_with(options(&redis, &prefix).reply_stream_ttl(Duration::from_secs(30))).await;
    let client = client_with(options(&redis, &prefix).instance_id("gone")).await;
    client
        .call("arith", "add", json!({"a": 1, "b": 2}), None)
        .await
        .unwrap();
    let replies = format!("{prefix}:replies:gone");
    let ttl: i64 = redis.cli(&["PTTL", &replies]).trim().parse().unwrap();
    assert!(
        (1..=30_000).contains(&ttl),
        "the reply stream expires within 30 s: PTTL {ttl}"
    );
    // A client that dies without stopping leaves its stream; a late reply to it renews the
    // expiry rather than keeping the stream for ever.
    drop(client);
    redis.cli(&["PERSIST", &replies]);
    let orphan = format!(
        r#"{{"jsonrpc":"2.0","method":"arith.add","params":{{"a":1,"b":1}},"id":"{}"}}"#,
        "5d8b2e5c-6f7d-4c1e-9a8b-0c1d2e3f4a5b"
    );
    redis.cli(&[
        "XADD",
        &format!("{prefix}:cmds:arith"),
        "*",
        "type",
        "rpc",
        "envelope",
        &orphan,
        "reply-to",
        &replies,
    ]);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let ttl: i64 = redis.cli(&["PTTL", &replies]).trim().parse().unwrap();
        if ttl > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the late reply set no expiry (PTTL {ttl})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_names_the_call_and_the_wait() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("timeout");
    let (server, _) = server_with(options(&redis, &prefix)).await;
    let client = client_with(options(&redis, &prefix)).await;
    let err = client
        .call(
            "arith",
            "slowAdd",
            json!({"a": 1, "b": 2, "sleepMs": 800}),
            Some(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "transport error: arith.slowAdd: call timeout, no reply within 300 ms"
    );
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}
