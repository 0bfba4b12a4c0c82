//! 10 000 concurrent calls with random handler delays and random timeouts: every caller gets
//! exactly one outcome, and the pending-call table drains.

use std::time::Duration;

use clamator_over_memory::MemoryBus;
use clamator_protocol::{Client, Contract, Error, RpcError};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Nap {
    ms: u64,
    n: u64,
}

/// A small deterministic generator, so a failure can be replayed.
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_caller_gets_one_outcome_and_the_table_drains() {
    let bus = MemoryBus::new();
    let server = bus.server();
    server
        .register_service(
            Contract::builder("nap")
                .method("take", |p: Nap| async move {
                    if p.ms > 0 {
                        tokio::time::sleep(Duration::from_millis(p.ms)).await;
                    }
                    Ok::<_, RpcError>(json!({ "n": p.n }))
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client();
    client.start().await.unwrap();

    let mut seed = 7;
    let calls: Vec<(u64, u64, u64)> = (0..10_000)
        .map(|n| {
            // A third answer at once (inline), the rest after up to 20 ms, against timeouts of 1–20 ms.
            let ms = if lcg(&mut seed) % 3 == 0 {
                0
            } else {
                lcg(&mut seed) % 20
            };
            (n, ms, 1 + lcg(&mut seed) % 20)
        })
        .collect();
    // Each caller in a task of its own, so that its timeout fires on time.
    let client = std::sync::Arc::new(client);
    let tasks: Vec<_> = calls
        .iter()
        .map(|&(n, ms, timeout)| {
            let client = std::sync::Arc::clone(&client);
            tokio::spawn(async move {
                let params = json!({ "ms": ms, "n": n });
                let r = client
                    .call("nap", "take", params, Some(Duration::from_millis(timeout)))
                    .await;
                (n, ms, r)
            })
        })
        .collect();
    let outcomes = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap);

    let (mut answered, mut timed_out) = (0, 0);
    for (n, ms, outcome) in outcomes {
        match outcome {
            Ok(v) => {
                assert_eq!(v, json!({ "n": n }), "a reply reached the wrong caller");
                answered += 1;
            }
            Err(Error::Transport(t)) if t.is_timeout() => {
                assert!(ms > 0, "call {n} answered at once yet timed out");
                timed_out += 1;
            }
            Err(e) => panic!("call {n}: unexpected {e}"),
        }
    }
    assert_eq!(answered + timed_out, 10_000);
    assert!(
        answered > 3_000 && timed_out > 0,
        "{answered} answered, {timed_out} timed out"
    );
    // Handlers that outlived their callers finish and find no one waiting.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        client.transport().pending_calls(),
        0,
        "the pending table drains"
    );
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}
