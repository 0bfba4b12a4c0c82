//! Shared setup for the Redis tests: an `arith` contract and servers and clients on a private
//! redis-server.
#![allow(dead_code, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clamator_over_redis::{RedisOptions, RedisRpcClient, RedisRpcServer};
use clamator_protocol::{Contract, RpcError};
use clamator_test_redis::RedisServer;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddParams {
    pub a: i64,
    pub b: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlowParams {
    pub a: i64,
    pub b: i64,
    pub sleep_ms: u64,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Sum {
    pub sum: i64,
}

/// `arith` with `add` and `slowAdd`, counting the calls it handles.
pub fn arith(handled: Arc<AtomicUsize>) -> Contract {
    let h2 = Arc::clone(&handled);
    Contract::builder("arith")
        .method("add", move |p: AddParams| {
            handled.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, RpcError>(Sum { sum: p.a + p.b }) }
        })
        .method("slowAdd", move |p: SlowParams| {
            let handled = Arc::clone(&h2);
            async move {
                tokio::time::sleep(Duration::from_millis(p.sleep_ms)).await;
                handled.fetch_add(1, Ordering::SeqCst);
                Ok::<_, RpcError>(Sum { sum: p.a + p.b })
            }
        })
        .method("fail", |_: serde_json::Value| async {
            Err::<serde_json::Value, _>(RpcError::new(-32000, "division by zero"))
        })
        .notification("ping", |_: serde_json::Value| async {})
        .build()
        .unwrap()
}

pub fn options(redis: &RedisServer, prefix: &str) -> RedisOptions {
    RedisOptions::new(prefix)
        .redis_url(redis.url())
        .block(Duration::from_millis(200))
}

pub async fn server_with(options: RedisOptions) -> (RedisRpcServer, Arc<AtomicUsize>) {
    let handled = Arc::new(AtomicUsize::new(0));
    let server = options.server().unwrap();
    server
        .register_service(arith(Arc::clone(&handled)))
        .unwrap();
    server.start().await.unwrap();
    (server, handled)
}

pub async fn client_with(options: RedisOptions) -> RedisRpcClient {
    let client = options.client().unwrap();
    client.start().await.unwrap();
    client
}
