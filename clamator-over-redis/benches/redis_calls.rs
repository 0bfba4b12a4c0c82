//! Calls per second and latency over a private local redis-server, Rust client → Rust server, next
//! to a floor measured in the same run: the same Redis commands a call needs (XADD the request,
//! XREADGROUP it, XADD the reply with XACK, XREAD the reply) issued raw, with a pre-encoded
//! envelope and no JSON work, no clamator. Then the same over TLS (a test CA) and over a local
//! three-master Redis Cluster (where the reply and the XACK are two commands, for both).
//!
//! `cargo bench -p clamator-over-redis --bench redis_calls` (`-- --quick` for a short run;
//! `-- plain`, `-- tls` or `-- cluster` for one of them). Read the ratios: the machine is shared
//! and noisy.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clamator_over_redis::{RedisOptions, RedisRpcClient};
use clamator_protocol::{Contract, RpcError, typed};
use clamator_test_redis::{Certificates, RedisCluster, RedisServer, unique_prefix};
use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Value};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

#[derive(Serialize, Deserialize)]
struct AddParams {
    a: i64,
    b: i64,
}

#[derive(Serialize, Deserialize)]
struct AddResult {
    sum: i64,
}

struct Stats {
    calls_per_s: f64,
    p50: Duration,
    p99: Duration,
}

impl Stats {
    fn of(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort();
        let pick =
            |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
        Stats {
            calls_per_s: latencies.len() as f64 / elapsed.as_secs_f64(),
            p50: pick(0.50),
            p99: pick(0.99),
        }
    }
}

/// Runs `total` calls through `call`, `concurrency` at a time.
async fn drive<F, Fut>(total: usize, concurrency: usize, call: F) -> Stats
where
    F: Fn(usize) -> Fut + Sync,
    Fut: std::future::Future<Output = ()>,
{
    let next = std::sync::atomic::AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total));
    let started = Instant::now();
    let worker = || async {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= total {
                break;
            }
            let t = Instant::now();
            call(i).await;
            mine.push(t.elapsed());
        }
        latencies.lock().unwrap().extend(mine);
    };
    futures_util::future::join_all((0..concurrency).map(|_| worker())).await;
    Stats::of(latencies.into_inner().unwrap(), started.elapsed())
}

/// Where a run connects: one Redis (plain or TLS) or a cluster.
enum Target {
    Single {
        url: String,
        ca: Option<std::path::PathBuf>,
    },
    Cluster(Vec<String>),
}

impl Target {
    fn options(&self, prefix: &str) -> RedisOptions {
        match self {
            Target::Single { url, ca: None } => RedisOptions::new(prefix).redis_url(url),
            Target::Single { url, ca: Some(ca) } => {
                RedisOptions::new(prefix).redis_url(url).tls_ca_file(ca)
            }
            Target::Cluster(nodes) => RedisOptions::new(prefix).cluster(nodes.iter().cloned()),
        }
    }

    /// A raw connection: multiplexed to one Redis, or the cluster connection.
    async fn connection(&self, response_timeout: Duration) -> Conn {
        match self {
            Target::Single { url, ca } => {
                let client = match ca {
                    None => redis::Client::open(url.as_str()).unwrap(),
                    Some(ca) => redis::Client::build_with_tls(
                        url.as_str(),
                        redis::TlsCertificates {
                            client_tls: None,
                            root_cert: Some(std::fs::read(ca).unwrap()),
                        },
                    )
                    .unwrap(),
                };
                let config = redis::AsyncConnectionConfig::new()
                    .set_response_timeout(Some(response_timeout));
                Conn::Single(
                    client
                        .get_multiplexed_async_connection_with_config(&config)
                        .await
                        .unwrap(),
                )
            }
            Target::Cluster(nodes) => {
                let client = redis::cluster::ClusterClient::builder(nodes.clone())
                    .response_timeout(response_timeout)
                    .build()
                    .unwrap();
                Conn::Cluster(client.get_async_connection().await.unwrap())
            }
        }
    }
}

#[derive(Clone)]
enum Conn {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Single(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

async fn clamator_pair(target: &Target) -> (clamator_over_redis::RedisRpcServer, RedisRpcClient) {
    let prefix = unique_prefix("bench");
    let server = target.options(&prefix).server().unwrap();
    server
        .register_service(
            Contract::builder("arith")
                .method("add", |p: AddParams| async move {
                    Ok::<_, RpcError>(AddResult { sum: p.a + p.b })
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = target.options(&prefix).client().unwrap();
    client.start().await.unwrap();
    (server, client)
}

/// The floor: a raw server loop and a raw client with one reply reader, matching replies by a
/// numeric id field, payloads pre-encoded.
struct Floor {
    commands: Conn,
    waiting: Arc<Mutex<HashMap<u64, oneshot::Sender<()>>>>,
    cmds: String,
    replies: String,
    request: Vec<u8>,
    /// The server loop and the reply reader, stopped with the floor (before its Redis goes).
    loops: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Floor {
    fn drop(&mut self) {
        for task in &self.loops {
            task.abort();
        }
    }
}

impl Floor {
    async fn start(target: &Target) -> Floor {
        let prefix = unique_prefix("floor");
        let (cmds, replies) = (
            format!("{prefix}:cmds:arith"),
            format!("{prefix}:replies:c"),
        );
        let cluster = matches!(target, Target::Cluster(_));
        let mut commands = target.connection(Duration::from_secs(10)).await;
        let _: redis::Value = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(&cmds)
            .arg("arith")
            .arg("$")
            .arg("MKSTREAM")
            .query_async(&mut commands)
            .await
            .unwrap();
        let reply =
            br#"{"jsonrpc":"2.0","id":"3d597d00-71d0-4a47-8277-2fb2a742ca88","result":{"sum":5}}"#
                .to_vec();
        // Server: XREADGROUP, then XADD reply + XACK in one round trip per entry (on a cluster,
        // two: they are in different slots).
        let mut reader = target.connection(Duration::from_secs(10)).await;
        let (server_cmds, server_commands) = (cmds.clone(), commands.clone());
        let server_loop = tokio::spawn(async move {
            loop {
                let read: redis::Value = redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg("arith")
                    .arg("c1")
                    .arg("COUNT")
                    .arg(16)
                    .arg("BLOCK")
                    .arg(1000)
                    .arg("STREAMS")
                    .arg(&server_cmds)
                    .arg(">")
                    .query_async(&mut reader)
                    .await
                    .unwrap();
                for (id, fields) in entries(read) {
                    let (mut conn, reply, cmds) =
                        (server_commands.clone(), reply.clone(), server_cmds.clone());
                    tokio::spawn(async move {
                        let call_id = field(&fields, "id");
                        let to = field(&fields, "reply-to");
                        let mut add = redis::cmd("XADD");
                        add.arg(to)
                            .arg("MAXLEN")
                            .arg("~")
                            .arg(1024)
                            .arg("*")
                            .arg("id")
                            .arg(call_id)
                            .arg("envelope")
                            .arg(reply);
                        let mut ack = redis::cmd("XACK");
                        ack.arg(&cmds).arg("arith").arg(id);
                        if cluster {
                            let _: Value = add.query_async(&mut conn).await.unwrap();
                            let _: Value = ack.query_async(&mut conn).await.unwrap();
                        } else {
                            let _: (Value, Value) = redis::pipe()
                                .add_command(add)
                                .add_command(ack)
                                .query_async(&mut conn)
                                .await
                                .unwrap();
                        }
                    });
                }
            }
        });
        // Client reply reader.
        let waiting: Arc<Mutex<HashMap<u64, oneshot::Sender<()>>>> = Arc::default();
        let mut reader = target.connection(Duration::from_secs(10)).await;
        let (w, stream) = (Arc::clone(&waiting), replies.clone());
        let reply_reader = tokio::spawn(async move {
            let mut last = "0".to_owned();
            loop {
                let read: redis::Value = redis::cmd("XREAD")
                    .arg("BLOCK")
                    .arg(1000)
                    .arg("STREAMS")
                    .arg(&stream)
                    .arg(&last)
                    .query_async(&mut reader)
                    .await
                    .unwrap();
                for (id, fields) in entries(read) {
                    last = id;
                    let call: u64 = String::from_utf8_lossy(&field(&fields, "id"))
                        .parse()
                        .unwrap();
                    if let Some(tx) = w.lock().unwrap().remove(&call) {
                        let _ = tx.send(());
                    }
                }
            }
        });
        let request = br#"{"jsonrpc":"2.0","method":"arith.add","params":{"a":2,"b":3},"id":"3d597d00-71d0-4a47-8277-2fb2a742ca88"}"#.to_vec();
        Floor {
            commands,
            waiting,
            cmds,
            replies,
            request,
            loops: vec![server_loop, reply_reader],
        }
    }

    async fn call(&self, i: usize) {
        let (tx, rx) = oneshot::channel();
        self.waiting.lock().unwrap().insert(i as u64, tx);
        let _: String = redis::cmd("XADD")
            .arg(&self.cmds)
            .arg("*")
            .arg("type")
            .arg("rpc")
            .arg("id")
            .arg(i)
            .arg("envelope")
            .arg(&self.request)
            .arg("reply-to")
            .arg(&self.replies)
            .query_async(&mut self.commands.clone())
            .await
            .unwrap();
        rx.await.unwrap();
    }
}

/// A stream entry: id and fields.
type Entry = (String, Vec<(String, Vec<u8>)>);

fn entries(read: redis::Value) -> Vec<Entry> {
    if read == redis::Value::Nil {
        return Vec::new();
    }
    let streams: Vec<(String, Vec<Entry>)> = redis::FromRedisValue::from_redis_value(read).unwrap();
    streams.into_iter().flat_map(|(_, e)| e).collect()
}

fn field(fields: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn print(label: &str, floor: &Stats, ours: &Stats) {
    println!(
        "{label:<24} floor {:>8.0} calls/s p50 {:>7.0} µs p99 {:>7.0} µs | clamator {:>8.0} calls/s p50 {:>7.0} µs p99 {:>7.0} µs | throughput {:.2}× floor, p50 {:.2}× floor",
        floor.calls_per_s,
        floor.p50.as_secs_f64() * 1e6,
        floor.p99.as_secs_f64() * 1e6,
        ours.calls_per_s,
        ours.p50.as_secs_f64() * 1e6,
        ours.p99.as_secs_f64() * 1e6,
        ours.calls_per_s / floor.calls_per_s,
        ours.p50.as_secs_f64() / floor.p50.as_secs_f64(),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    // `cargo test --benches` runs this with `--bench`-less args: keep that short too.
    let scale = if quick || !args.iter().any(|a| a == "--bench") {
        1
    } else {
        5
    };
    let only: Vec<&str> = ["plain", "tls", "cluster"]
        .into_iter()
        .filter(|k| args.iter().any(|a| a == k))
        .collect();
    let wanted = |kind: &str| only.is_empty() || only.contains(&kind);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if wanted("plain") {
        let redis = RedisServer::start();
        let target = Target::Single {
            url: redis.url(),
            ca: None,
        };
        runtime.block_on(run("", &target, scale));
    }
    if wanted("tls") {
        let certs = Certificates::generate();
        let redis = RedisServer::start_tls(&certs, false);
        let target = Target::Single {
            url: redis.url(),
            ca: Some(certs.ca_cert.clone()),
        };
        runtime.block_on(run("TLS ", &target, scale));
    }
    if wanted("cluster") {
        let cluster = RedisCluster::start(3, 0);
        runtime.block_on(run("cluster ", &Target::Cluster(cluster.urls()), scale));
    }
}

/// The three loads over `target`, clamator next to the raw floor.
async fn run(label: &str, target: &Target, scale: usize) {
    let floor = Floor::start(target).await;
    let (server, client) = clamator_pair(target).await;
    let ours = |_: usize| async {
        let r: AddResult = typed::call(&client, "arith", "add", &AddParams { a: 2, b: 3 }, None)
            .await
            .unwrap();
        assert_eq!(r.sum, 5);
    };
    // Warm up both paths.
    drive(500, 16, |i| floor.call(i)).await;
    drive(500, 16, ours).await;
    for (load, total, concurrency) in [
        ("sequential", 1_000 * scale, 1),
        ("64 concurrent", 4_000 * scale, 64),
        ("1000 concurrent", 10_000 * scale, 1_000),
    ] {
        let f = drive(total, concurrency, |i| floor.call(i)).await;
        let o = drive(total, concurrency, ours).await;
        print(&format!("{label}{load}"), &f, &o);
    }
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}
