//! Calls over a local Redis Cluster: the command stream and the reply streams live on different
//! masters, so every write that pairs them is two commands.

#![allow(missing_docs)]

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use clamator_over_redis::RedisOptions;
use clamator_protocol::{Client, Contract, RpcError};
use clamator_test_redis::{RedisCluster, unique_prefix};
use serde_json::json;

fn cluster_options(cluster: &RedisCluster, prefix: &str) -> RedisOptions {
    RedisOptions::new(prefix)
        .cluster(cluster.urls())
        .block(Duration::from_millis(200))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_round_trip_on_a_cluster_and_a_pool_shares_them() {
    let cluster = RedisCluster::start(3, 0);
    let prefix = unique_prefix("cluster");
    let (a, handled_a) = server_with(cluster_options(&cluster, &prefix).instance_id("a")).await;
    let client = client_with(cluster_options(&cluster, &prefix)).await;

    let sum = client
        .call("arith", "add", json!({"a": 2, "b": 3}), None)
        .await
        .unwrap();
    assert_eq!(sum, json!({"sum": 5}));
    let err = client
        .call("arith", "fail", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc().map(|e| e.code), Some(-32000));
    let err = client
        .call("arith", "nope", json!({}), None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc().map(|e| e.code), Some(-32601));
    client.notify("arith", "ping", json!({})).await.unwrap();

    // A thousand at once, each with its own reply.
    let calls = (0..1000).map(|i| {
        let client = &client;
        async move {
            client
                .call("arith", "add", json!({"a": i, "b": 1}), None)
                .await
        }
    });
    for (i, r) in futures_util::future::join_all(calls)
        .await
        .into_iter()
        .enumerate()
    {
        assert_eq!(r.unwrap(), json!({"sum": i + 1}));
    }
    assert_eq!(handled_a.load(Ordering::SeqCst), 1001);

    // A second server joins the group: the two share the calls, each handled once.
    let (b, handled_b) = server_with(cluster_options(&cluster, &prefix).instance_id("b")).await;
    handled_a.store(0, Ordering::SeqCst);
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
        handled_a.load(Ordering::SeqCst),
        handled_b.load(Ordering::SeqCst),
    );
    assert_eq!(na + nb, 200, "each entry handled once");
    assert!(na >= 10 && nb >= 10, "both servers took work: {na} / {nb}");
    client.stop().await.unwrap();
    a.stop().await.unwrap();
    b.stop().await.unwrap();
}

/// Set in the child process of [`a_sigkilled_servers_call_is_reclaimed_by_another`]: the seed
/// nodes and the key prefix of the server it runs until it is killed.
const CHILD_ENV: &str = "CLAMATOR_TEST_CHILD_SERVER";

/// A server whose `add` never answers: it takes the call and holds it until it is killed.
/// It also ends when its parent does (its stdin closes), so that no server outlives the test.
async fn run_hanging_server(spec: &str) -> ! {
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(1);
    });
    let (prefix, nodes) = spec.split_once('|').unwrap();
    let contract = Contract::builder("arith")
        .method("add", |_: serde_json::Value| async {
            std::future::pending::<Result<serde_json::Value, RpcError>>().await
        })
        .build()
        .unwrap();
    let server = RedisOptions::new(prefix)
        .cluster(nodes.split(','))
        .instance_id("doomed")
        .block(Duration::from_millis(200))
        .server()
        .unwrap();
    server.register_service(contract).unwrap();
    server.start().await.unwrap();
    std::future::pending().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_servers_call_is_reclaimed_by_another() {
    // The same test is the child: a real process, killed with SIGKILL holding the call.
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        run_hanging_server(&spec).await;
    }
    let cluster = RedisCluster::start(3, 0);
    let prefix = unique_prefix("cluster-reclaim");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &this_test_name(), "--nocapture"])
        .env(CHILD_ENV, format!("{prefix}|{}", cluster.urls().join(",")))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let client = client_with(cluster_options(&cluster, &prefix)).await;
    let cmds = format!("{prefix}:cmds:arith");
    // The group starts at the stream's end: a call written before it exists is not delivered.
    wait_until("the child server created its group", || {
        holder(&cluster, &cmds)
            .is_some_and(|n| n.cli(&["XINFO", "GROUPS", &cmds]).contains("arith"))
    })
    .await;
    let call = client.call(
        "arith",
        "add",
        json!({"a": 1, "b": 2}),
        Some(Duration::from_secs(20)),
    );
    let kill_then_rescue = async {
        wait_until("the child server took the call", || {
            holder(&cluster, &cmds).is_some_and(|n| {
                let pending = n.cli(&["XPENDING", &cmds, "arith"]);
                pending.starts_with("1\n") && pending.contains("arith:doomed")
            })
        })
        .await;
        child.kill().unwrap();
        child.wait().unwrap();
        server_with(
            cluster_options(&cluster, &prefix).consumer_claim_idle(Duration::from_millis(200)),
        )
        .await
    };
    let (answered, (rescuer, handled)) = tokio::join!(call, kill_then_rescue);
    assert_eq!(answered.unwrap(), json!({"sum": 3}));
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    client.stop().await.unwrap();
    rescuer.stop().await.unwrap();
}

/// The test's name as the harness knows it: its path below the crate root.
fn this_test_name() -> String {
    let module = module_path!();
    let module = module.split_once("::").map_or("", |(_, rest)| rest);
    format!("{module}::a_sigkilled_servers_call_is_reclaimed_by_another")
}

/// The master that holds `key`.
fn holder<'a>(
    cluster: &'a RedisCluster,
    key: &str,
) -> Option<&'a clamator_test_redis::RedisServer> {
    cluster.master_of(key).map(|m| cluster.node(m))
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_resume_after_the_command_streams_master_fails_over() {
    // Shown only when the test fails: what the transport saw during the failover.
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_test_writer()
        .try_init();
    let mut cluster = RedisCluster::start(3, 1);
    let prefix = unique_prefix("failover");
    let cmds = format!("{prefix}:cmds:arith");
    // How many times each call's `a` was handled.
    let seen = Arc::new(Mutex::new(HashMap::<i64, usize>::new()));
    let counted = Arc::clone(&seen);
    let contract = Contract::builder("arith")
        .method("add", move |p: AddParams| {
            *counted.lock().unwrap().entry(p.a).or_default() += 1;
            async move { Ok::<_, RpcError>(Sum { sum: p.a + p.b }) }
        })
        .build()
        .unwrap();
    let server = cluster_options(&cluster, &prefix)
        .consumer_claim_idle(Duration::from_millis(500))
        .server()
        .unwrap();
    server.register_service(contract).unwrap();
    server.start().await.unwrap();
    let client = client_with(cluster_options(&cluster, &prefix)).await;
    let timeout = Some(Duration::from_secs(1));

    // Calls in rounds of 20 at once; each round records when it ran and how many failed.
    let started = Instant::now();
    let mut killed_at = None;
    let mut rounds = Vec::new();
    let mut next = 0i64;
    let mut ok_since_kill = 0;
    while ok_since_kill < 200 {
        if started.elapsed() > Duration::from_secs(30) {
            let view = cluster
                .nodes()
                .iter()
                .map(|n| n.cli(&["CLUSTER", "NODES"]))
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            panic!("calls did not resume: {rounds:?}\nthe cluster as a live node sees it:\n{view}");
        }
        if killed_at.is_none() && started.elapsed() > Duration::from_millis(300) {
            let master = cluster.master_of(&cmds).expect("a master holds the stream");
            cluster.kill(master);
            killed_at = Some(Instant::now());
        }
        let calls = (next..next + 20).map(|i| {
            let client = &client;
            async move {
                let r = client
                    .call("arith", "add", json!({"a": i, "b": 1}), timeout)
                    .await;
                (i, r)
            }
        });
        next += 20;
        let mut failed = 0;
        for (i, r) in futures_util::future::join_all(calls).await {
            match r {
                Ok(sum) => {
                    assert_eq!(sum, json!({"sum": i + 1}), "a reply went to the wrong call");
                    if killed_at.is_some() {
                        ok_since_kill += 1;
                    }
                }
                Err(_) => failed += 1,
            }
        }
        rounds.push((started.elapsed().as_millis(), failed));
        if failed > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let killed_at = killed_at.unwrap();
    let last_failure = rounds.iter().rev().find(|(_, failed)| *failed > 0);
    if let Some((at, _)) = last_failure {
        let outage =
            Duration::from_millis(*at as u64).saturating_sub(killed_at.duration_since(started));
        // About 3 s as a rule: the node timeout, the election, the new slots. A connection
        // that stopped answering is replaced within its deadlines (5 s) on top.
        assert!(
            outage < Duration::from_secs(15),
            "calls failed for {outage:?} after the kill: {rounds:?}"
        );
    }
    // Let a reclaim of what the failover left pending happen, if it would.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let twice: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(a, _)| *a)
        .collect();
    eprintln!("rounds (ms since start, failed calls): {rounds:?}; handled twice: {twice:?}");
    // Replication is asynchronous: an acknowledgement the dead master had not passed on makes
    // its entry pending again on the new one. Only calls in flight at the kill can be.
    assert!(twice.len() <= 20, "calls handled twice: {twice:?}");
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_that_stops_answering_fails_calls_within_the_deadline_then_serves_again() {
    let cluster = RedisCluster::start(3, 0);
    let prefix = unique_prefix("cluster-paused");
    let (server, _) = server_with(cluster_options(&cluster, &prefix)).await;
    let client = client_with(cluster_options(&cluster, &prefix)).await;
    let add = |a: i64| {
        client.call(
            "arith",
            "add",
            json!({"a": a, "b": 1}),
            Some(Duration::from_secs(30)),
        )
    };
    assert_eq!(add(1).await.unwrap(), json!({"sum": 2}));

    // Every node holds every client's commands for 7 s: nothing answers, nothing fails at once.
    for node in cluster.nodes() {
        node.cli(&["CLIENT", "PAUSE", "7000", "ALL"]);
    }
    let paused = Instant::now();
    let err = add(2).await.unwrap_err();
    let waited = paused.elapsed();
    assert!(
        err.to_string()
            .contains("no answer from Redis within 5000 ms"),
        "{err}"
    );
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(7),
        "the command's own deadline, not the call's 30 s: {waited:?}"
    );
    // Once the nodes answer again, so does the transport, on the connection made anew.
    tokio::time::sleep(Duration::from_secs(7).saturating_sub(paused.elapsed())).await;
    assert_eq!(add(3).await.unwrap(), json!({"sum": 4}));
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}
