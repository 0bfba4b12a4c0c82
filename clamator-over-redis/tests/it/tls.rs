//! Calls over TLS: a real `redis-server --tls-port` with a CA and certificates made at test time.

#![allow(missing_docs)]

use std::time::Duration;

use crate::common::*;
use clamator_over_redis::RedisOptions;
use clamator_protocol::Client;
use clamator_test_redis::{Certificates, RedisServer, unique_prefix};
use serde_json::json;

fn tls_options(redis: &RedisServer, certs: &Certificates, prefix: &str) -> RedisOptions {
    RedisOptions::new(prefix)
        .redis_url(redis.url())
        .tls_ca_file(&certs.ca_cert)
        .block(Duration::from_millis(200))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_round_trip_over_tls_with_a_private_ca() {
    let certs = Certificates::generate();
    let redis = RedisServer::start_tls(&certs, false);
    assert!(redis.url().starts_with("rediss://"));
    let prefix = unique_prefix("tls");
    let (server, handled) = server_with(tls_options(&redis, &certs, &prefix)).await;
    let client = client_with(tls_options(&redis, &certs, &prefix)).await;

    let calls = (0..200).map(|i| {
        let client = &client;
        async move {
            client
                .call("arith", "add", json!({"a": i, "b": 1}), None)
                .await
                .unwrap()
        }
    });
    let sums = futures_util::future::join_all(calls).await;
    for (i, sum) in sums.into_iter().enumerate() {
        assert_eq!(sum, json!({"sum": i + 1}));
    }
    assert_eq!(handled.load(std::sync::atomic::Ordering::SeqCst), 200);
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_ca_is_refused_with_a_certificate_error() {
    let certs = Certificates::generate();
    let redis = RedisServer::start_tls(&certs, false);
    // Without the CA file only the public roots are trusted: the test CA is not one of them.
    let options = RedisOptions::new(unique_prefix("tls-unknown-ca")).redis_url(redis.url());
    let client = options.client().unwrap();
    let err = client.start().await.unwrap_err().to_string();
    assert!(
        err.to_lowercase().contains("certificate"),
        "the error should say the certificate was refused: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_needs_the_client_certificate() {
    let certs = Certificates::generate();
    let redis = RedisServer::start_tls(&certs, true);
    let prefix = unique_prefix("mtls");
    let with_cert = |o: RedisOptions| o.tls_client_cert(&certs.client_cert, &certs.client_key);

    let (server, _) = server_with(with_cert(tls_options(&redis, &certs, &prefix))).await;
    let client = client_with(with_cert(tls_options(&redis, &certs, &prefix))).await;
    let sum = client
        .call("arith", "add", json!({"a": 2, "b": 3}), None)
        .await
        .unwrap();
    assert_eq!(sum, json!({"sum": 5}));

    let anonymous = tls_options(&redis, &certs, &prefix).client().unwrap();
    assert!(
        anonymous.start().await.is_err(),
        "a server with tls-auth-clients yes refuses a client without a certificate"
    );
    client.stop().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test]
async fn tls_files_without_a_tls_url_are_a_usage_error() {
    let err = RedisOptions::new("p")
        .redis_url("redis://127.0.0.1:1")
        .tls_ca_file("/nowhere/ca.crt")
        .client()
        .unwrap_err()
        .to_string();
    assert!(err.contains("rediss://"), "{err}");
}
