//! Round trips per second over the in-memory transport, against a baseline measured in the same
//! run: encoding and decoding the same request and reply envelopes with serde_json alone.
//!
//! `cargo bench -p clamator-over-memory --bench round_trip` — compare the `thrpt` figures. Each
//! runtime flavour runs with the caller outside the workers (`block_on`), inside a spawned task,
//! and with 1 000 calls in flight. `python_memory.py` beside this file measures the Python peer's
//! memory transport the same way, for reference.
#![allow(missing_docs)]

use clamator_over_memory::{MemoryBus, MemoryRpcClient, MemoryRpcServer};
use clamator_protocol::{Contract, RpcError, typed};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::runtime::Runtime;

#[derive(Serialize, Deserialize)]
struct AddParams {
    a: i64,
    b: i64,
}

#[derive(Serialize, Deserialize)]
struct AddResult {
    sum: i64,
}

fn baseline_round_trip() -> i64 {
    let params = serde_json::to_value(AddParams { a: 2, b: 3 }).unwrap();
    let request = json!({"jsonrpc": "2.0", "method": "arith.add", "params": params, "id": "3d597d00-71d0-4a47-8277-2fb2a742ca88"});
    let text = serde_json::to_vec(&request).unwrap();
    let mut incoming: Value = serde_json::from_slice(&text).unwrap();
    let p: AddParams = serde_json::from_value(incoming["params"].take()).unwrap();
    let result = serde_json::to_value(AddResult { sum: p.a + p.b }).unwrap();
    let reply = json!({"jsonrpc": "2.0", "id": incoming["id"].take(), "result": result});
    let text = serde_json::to_vec(&reply).unwrap();
    let mut reply: Value = serde_json::from_slice(&text).unwrap();
    let r: AddResult = serde_json::from_value(reply["result"].take()).unwrap();
    r.sum
}

fn serve(rt: &Runtime) -> (MemoryRpcServer, MemoryRpcClient) {
    let bus = MemoryBus::new();
    rt.block_on(async {
        let server = bus.server();
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
        let client = bus.client();
        client.start().await.unwrap();
        (server, client)
    })
}

fn round_trips(c: &mut Criterion) {
    let mut group = c.benchmark_group("round_trip");
    group.throughput(Throughput::Elements(1));
    group.bench_function("baseline_serde_json_envelopes", |b| {
        b.iter(|| std::hint::black_box(baseline_round_trip()))
    });

    let runtimes = [
        (
            "memory_typed_call_current_thread",
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        ),
        (
            "memory_typed_call_multi_thread",
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        ),
    ];
    for (name, rt) in &runtimes {
        let (_server, client) = serve(rt);
        let client = std::sync::Arc::new(client);
        // The caller outside the runtime's workers (`block_on`, the `#[tokio::main]` shape).
        group.bench_function(*name, |b| {
            b.to_async(rt).iter(|| async {
                let params = AddParams { a: 2, b: 3 };
                let r: AddResult = typed::call(&*client, "arith", "add", &params, None)
                    .await
                    .unwrap();
                std::hint::black_box(r.sum)
            })
        });
        // 1 000 calls in flight at once from one caller: each iteration is one call.
        group.bench_function(format!("{name}_1000_concurrent"), |b| {
            b.iter_custom(|iters| {
                let client = std::sync::Arc::clone(&client);
                rt.block_on(async move {
                    let started = std::time::Instant::now();
                    let mut left = iters;
                    while left > 0 {
                        let batch = left.min(1000);
                        left -= batch;
                        futures_util::future::join_all((0..batch).map(|_| async {
                            let params = AddParams { a: 2, b: 3 };
                            let r: AddResult = typed::call(&*client, "arith", "add", &params, None)
                                .await
                                .unwrap();
                            std::hint::black_box(r.sum);
                        }))
                        .await;
                    }
                    started.elapsed()
                })
            })
        });
        // The caller in a task of its own, as a request handler of a server would be.
        group.bench_function(format!("{name}_in_spawned_task"), |b| {
            b.iter_custom(|iters| {
                let client = std::sync::Arc::clone(&client);
                rt.block_on(async move {
                    tokio::spawn(async move {
                        let started = std::time::Instant::now();
                        for _ in 0..iters {
                            let params = AddParams { a: 2, b: 3 };
                            let r: AddResult = typed::call(&*client, "arith", "add", &params, None)
                                .await
                                .unwrap();
                            std::hint::black_box(r.sum);
                        }
                        started.elapsed()
                    })
                    .await
                    .unwrap()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, round_trips);
criterion_main!(benches);
