//! `kill -9` of a server process with calls in flight: the survivor answers every call, none is
//! lost, and none is answered twice.

#![allow(missing_docs)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clamator_interop::generated::arith::{AddParams, ArithClient};
use clamator_over_redis::RedisOptions;
use clamator_test_redis::{RedisServer, unique_prefix};
use serde_json::json;

struct Server(Child);

impl Server {
    fn start(redis: &RedisServer, prefix: &str, id: &str, handler_delay_ms: u64) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_interop-server"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server driver");
        let config = json!({
            "contract": "arith", "redisUrl": redis.url(), "keyPrefix": prefix, "instanceId": id,
            "consumerClaimIdleMs": 300, "handlerDelayMs": handler_delay_ms,
        });
        child
            .stdin
            .take()
            .unwrap()
            .write_all(config.to_string().as_bytes())
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "READY");
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_survives_a_sigkilled_server() {
    let redis = RedisServer::start();
    let prefix = unique_prefix("kill9");
    let cmds = format!("{prefix}:cmds:arith");
    // The victim holds every call it takes for 5 s, so it dies with all of them in flight.
    let mut victim = Server::start(&redis, &prefix, "victim", 5_000);
    let _survivor = Server::start(&redis, &prefix, "survivor", 0);

    let client = RedisOptions::new(&prefix)
        .redis_url(redis.url())
        .client()
        .unwrap()
        .with_default_timeout(Duration::from_secs(15));
    client.start().await.unwrap();
    let arith = ArithClient::new(&client);
    let calls = (0..200).map(|i| {
        let arith = &arith;
        async move {
            arith
                .add(&AddParams {
                    a: f64::from(i),
                    b: 1000.0,
                })
                .await
        }
    });
    let killer = async {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let held = redis.cli(&["XPENDING", &cmds, "arith", "-", "+", "1000", "arith:victim"]);
            if held.lines().count() >= 4 * 5 {
                break; // at least 5 entries (4 lines each) taken by the victim
            }
            assert!(Instant::now() < deadline, "the victim never took work");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        victim.0.kill().unwrap(); // SIGKILL
        victim.0.wait().unwrap();
    };
    let (results, ()) = tokio::join!(futures_util::future::join_all(calls), killer);
    let sums: BTreeSet<i64> = results
        .into_iter()
        .map(|r| r.expect("every call answered").sum as i64)
        .collect();
    assert_eq!(sums, (1000..1200).collect::<BTreeSet<_>>(), "0 lost");

    let replies = redis.cli(&[
        "XLEN",
        &format!("{prefix}:replies:{}", client.transport().instance_id()),
    ]);
    assert_eq!(replies.trim(), "200", "each call answered exactly once");
    assert_eq!(
        redis.cli(&["XPENDING", &cmds, "arith"]).lines().next(),
        Some("0")
    );
    client.stop().await.unwrap();
}
