//! What a server records through the `metrics` facade.

use std::time::Duration;

use clamator_over_memory::MemoryBus;
use clamator_protocol::metrics::{ClientMetrics, ServerMetrics};
use clamator_protocol::{Client, Contract, RpcError};
use clamator_test_redis::recorder::Recorded;
use serde_json::{Value, json};

#[tokio::test]
async fn calls_outcomes_latency_and_calls_in_flight_are_recorded_by_the_metrics_layers() {
    let recorded = Recorded::install();
    let bus = MemoryBus::new();
    let server = bus.server().layer(ServerMetrics);
    server
        .register_service(
            Contract::builder("metered")
                .method("ok", |_: Value| async { Ok::<_, RpcError>(json!({})) })
                .method("fail", |_: Value| async {
                    Err::<Value, _>(RpcError::new(-32000, "no"))
                })
                .method("nap", |_: Value| async {
                    tokio::time::sleep(Duration::from_millis(2000)).await;
                    Ok::<_, RpcError>(json!({}))
                })
                .build()
                .unwrap(),
        )
        .unwrap();
    server.start().await.unwrap();
    let client = bus.client().layer(ClientMetrics);
    client.start().await.unwrap();

    for _ in 0..3 {
        client.call("metered", "ok", json!({}), None).await.unwrap();
    }
    client
        .call("metered", "fail", json!({}), None)
        .await
        .unwrap_err();
    let napping = tokio::spawn(async move {
        client
            .call(
                "metered",
                "nap",
                json!({}),
                Some(Duration::from_millis(600)),
            )
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let key =
        |name: &str, method: &str| format!("{name}{{service=\"metered\",method=\"{method}\"}}");
    assert_eq!(
        recorded.gauge(&key("clamator_server_calls_in_flight", "nap")),
        1.0,
        "{:?}",
        recorded.keys()
    );
    let nap = napping.await.unwrap();
    assert!(nap.unwrap_err().to_string().contains("call timeout"));
    assert_eq!(
        recorded.gauge(&key("clamator_server_calls_in_flight", "nap")),
        0.0
    );

    let calls = |method: &str, outcome: &str| {
        recorded.counter(&format!(
            "clamator_server_calls_total{{service=\"metered\",method=\"{method}\",outcome=\"{outcome}\"}}"
        ))
    };
    assert_eq!(calls("ok", "ok"), 3, "{:?}", recorded.keys());
    assert_eq!(calls("fail", "error"), 1);
    assert_eq!(calls("nap", "deadline_exceeded"), 1);
    let latencies = recorded.histogram(&key("clamator_server_call_duration_seconds", "nap"));
    assert_eq!(latencies.len(), 1);
    assert!(
        (0.55..1.9).contains(&latencies[0]),
        "cancelled at about 600 ms, not after the handler's 2 s: {latencies:?}"
    );

    let client_calls = |method: &str, outcome: &str| {
        recorded.counter(&format!(
            "clamator_client_calls_total{{service=\"metered\",method=\"{method}\",outcome=\"{outcome}\"}}"
        ))
    };
    assert_eq!(client_calls("ok", "ok"), 3);
    assert_eq!(client_calls("nap", "deadline_exceeded"), 1);
    assert_eq!(client_calls("fail", "error"), 1);
    assert_eq!(
        recorded
            .histogram(&key("clamator_client_call_duration_seconds", "ok"))
            .len(),
        3
    );
}
