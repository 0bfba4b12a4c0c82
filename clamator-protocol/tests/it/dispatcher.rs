//! Every branch of the dispatcher pipeline, driven through a hand-built contract.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clamator_protocol::{Contract, RpcError, ServiceDispatcher};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DivideParams {
    dividend: f64,
    divisor: f64,
}

#[derive(Serialize)]
struct DivideResult {
    quotient: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("the abacus broke")]
struct AbacusError;

struct BadResult;

impl Serialize for BadResult {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot encode a BadResult"))
    }
}

fn dispatcher(pings: Arc<AtomicUsize>) -> ServiceDispatcher {
    let contract = Contract::builder("arith")
        .method("divide", |p: DivideParams| async move {
            if p.divisor == 0.0 {
                return Err(RpcError::new(1001, "division by zero")
                    .with_data(json!({"dividend": p.dividend})));
            }
            Ok(DivideResult {
                quotient: p.dividend / p.divisor,
            })
        })
        .method("fail", |_: Value| async { Err::<Value, _>(AbacusError) })
        .method("explode", |_: Value| async {
            if true {
                panic!("kaboom");
            }
            Ok::<Value, RpcError>(Value::Null)
        })
        .method("badResult", |_: Value| async {
            Ok::<_, RpcError>(BadResult)
        })
        .notification("ping", move |_: Value| {
            let pings = Arc::clone(&pings);
            async move {
                pings.fetch_add(1, Ordering::SeqCst);
            }
        })
        .notification("failingPing", |_: Value| async {
            Err::<(), _>(AbacusError)
        })
        .build()
        .unwrap();
    ServiceDispatcher::standalone(contract)
}

async fn call(d: &ServiceDispatcher, method: &str, params: Value) -> Value {
    d.dispatch_value(json!({"jsonrpc": "2.0", "method": format!("arith.{method}"), "params": params, "id": "r1"}))
        .await
        .expect("a request is always answered")
}

async fn notify(d: &ServiceDispatcher, method: &str, params: Value) -> Option<Value> {
    d.dispatch_value(
        json!({"jsonrpc": "2.0", "method": format!("arith.{method}"), "params": params}),
    )
    .await
}

#[tokio::test]
async fn success_reply_carries_the_request_id() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "divide", json!({"dividend": 6, "divisor": 3})).await;
    assert_eq!(
        reply,
        json!({"jsonrpc": "2.0", "id": "r1", "result": {"quotient": 2.0}})
    );
    let numeric = d
        .dispatch_value(json!({"jsonrpc": "2.0", "method": "arith.divide", "params": {"dividend": 1, "divisor": 1}, "id": 41}))
        .await
        .unwrap();
    assert_eq!(
        numeric["id"],
        json!(41),
        "integer ids are echoed as integers"
    );
}

#[tokio::test]
async fn unknown_method_is_method_not_found() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "modulo", json!({})).await;
    assert_eq!(
        reply,
        json!({"jsonrpc": "2.0", "id": "r1", "error": {"code": -32601, "message": "Method not found", "data": null}})
    );
    assert_eq!(notify(&d, "modulo", json!({})).await, None);
}

#[tokio::test]
async fn request_to_a_notification_method_is_method_not_found() {
    let pings = Arc::new(AtomicUsize::new(0));
    let d = dispatcher(Arc::clone(&pings));
    let reply = call(&d, "ping", json!({})).await;
    assert_eq!(reply["error"]["code"], -32601);
    assert_eq!(pings.load(Ordering::SeqCst), 0, "the handler did not run");
}

#[tokio::test]
async fn invalid_params_report_wire_locations() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "divide", json!({"dividend": "six", "divisor": 3})).await;
    let error = &reply["error"];
    assert_eq!(error["code"], -32602);
    assert_eq!(error["message"], "Invalid params");
    let first = &error["data"]["errors"][0];
    assert_eq!(first["loc"], json!(["dividend"]));
    assert_eq!(first["type"], "type_error");
    assert_eq!(first["input"], "six");

    let missing = call(&d, "divide", json!({"dividend": 1})).await;
    assert_eq!(
        missing["error"]["data"]["errors"][0]["loc"],
        json!(["divisor"])
    );
    assert_eq!(missing["error"]["data"]["errors"][0]["type"], "missing");

    let extra = call(
        &d,
        "divide",
        json!({"dividend": 1, "divisor": 2, "mode": "x"}),
    )
    .await;
    assert_eq!(
        extra["error"]["data"]["errors"][0]["type"],
        "extra_forbidden"
    );

    let not_object = call(&d, "divide", json!("six over three")).await;
    assert_eq!(not_object["error"]["code"], -32602);
}

#[tokio::test]
async fn invalid_notification_params_are_dropped() {
    let pings = Arc::new(AtomicUsize::new(0));
    let d = dispatcher(Arc::clone(&pings));
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {}
    let strict = ServiceDispatcher::standalone(
        Contract::builder("arith")
            .notification("ping", |_: Strict| async {})
            .build()
            .unwrap(),
    );
    assert_eq!(notify(&strict, "ping", json!({"x": 1})).await, None);
    assert_eq!(notify(&d, "ping", json!({})).await, None);
    assert_eq!(pings.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rpc_errors_pass_through_verbatim() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "divide", json!({"dividend": 5, "divisor": 0})).await;
    assert_eq!(
        reply["error"],
        json!({"code": 1001, "message": "division by zero", "data": {"dividend": 5.0}})
    );
}

#[tokio::test]
async fn other_failures_are_internal_errors_with_name_and_message() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "fail", json!({})).await;
    assert_eq!(
        reply["error"],
        json!({"code": -32603, "message": "Internal error", "data": {"name": "AbacusError", "message": "the abacus broke"}})
    );
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_error_and_the_dispatcher_survives() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "explode", json!({})).await;
    assert_eq!(
        reply["error"],
        json!({"code": -32603, "message": "Internal error", "data": {"name": "panic", "message": "kaboom"}})
    );
    let after = call(&d, "divide", json!({"dividend": 1, "divisor": 1})).await;
    assert_eq!(after["result"]["quotient"], 1.0);
}

#[tokio::test]
async fn a_result_that_cannot_be_encoded_is_result_validation_failed() {
    let d = dispatcher(Arc::default());
    let reply = call(&d, "badResult", json!({})).await;
    assert_eq!(reply["error"]["code"], -32603);
    assert_eq!(reply["error"]["message"], "Result validation failed");
    assert_eq!(
        reply["error"]["data"]["errors"][0]["msg"],
        "cannot encode a BadResult"
    );
}

#[tokio::test]
async fn notifications_never_answer_even_when_they_fail() {
    let d = dispatcher(Arc::default());
    assert_eq!(notify(&d, "failingPing", json!({})).await, None);
    assert_eq!(notify(&d, "explode", json!({})).await, None);
    assert_eq!(
        notify(&d, "divide", json!({"dividend": 1, "divisor": 0})).await,
        None
    );
}

#[tokio::test]
async fn responses_and_malformed_envelopes_get_no_reply() {
    let d = dispatcher(Arc::default());
    for envelope in [
        json!({"jsonrpc": "2.0", "id": "x", "result": 1}),
        json!({"jsonrpc": "2.0", "id": "x", "error": {"code": 1, "message": "m"}}),
        json!({"jsonrpc": "1.0", "method": "arith.divide", "id": 1}),
        json!([{"jsonrpc": "2.0", "method": "arith.divide", "id": 1}]),
        json!({"jsonrpc": "2.0", "method": "arith.divide", "id": true}),
    ] {
        assert_eq!(d.dispatch_value(envelope.clone()).await, None, "{envelope}");
    }
}

/// Transports box the dispatch future of every call (in process, when its handler waits). Past
/// 1 KiB glibc's allocator takes its slow path (`malloc_consolidate`): a dispatch future of 1.5
/// KiB once made every in-process call 20-35 % slower. Size, not time, so that it cannot flake.
#[test]
fn the_dispatch_future_stays_small() {
    let d = ServiceDispatcher::standalone(
        Contract::builder("arith")
            .method(
                "add",
                |p: serde_json::Value| async move { Ok::<_, RpcError>(p) },
            )
            .build()
            .unwrap(),
    );
    let envelope = clamator_protocol::envelope::parse_envelope(
        json!({"jsonrpc": "2.0", "method": "arith.add", "params": {}, "id": "r1"}),
    )
    .unwrap();
    let future = d.dispatch_incoming(envelope, clamator_protocol::Incoming::new());
    let size = std::mem::size_of_val(&future);
    eprintln!("dispatch future: {size} bytes");
    assert!(size <= 768, "dispatch future of {size} bytes");
}
