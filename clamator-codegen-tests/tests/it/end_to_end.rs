//! Every fixture method end to end over the in-memory transport: generated client proxy →
//! client core → bus → server core → the generated contract → a test implementation of the
//! generated service trait → back.

use std::path::Path;
use std::time::Duration;

use crate::common::serve;
use clamator_codegen_tests::fixture::Fixture;
use clamator_codegen_tests::registry::{call_through_client, contracts};
use clamator_codegen_tests::wire::with_defaults;
use clamator_protocol::__private::json_equal;
use clamator_protocol::{Client, Error, RpcError};
use serde_json::Value;

struct Method {
    service: String,
    method: String,
    notification: bool,
    params: Value,
    params_schema: Value,
    invalid_params: Option<Value>,
    result: Option<Value>,
}

fn read(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(rel);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Per method: a params sample both Zod and the schema accept, one the schema rejects by type,
/// and a result sample both accept (the schema's verdict being the typing view's where the
/// samples record one: unknown keys a Zod object strips, recursion checked all the way down).
fn methods() -> Vec<Method> {
    let manifest = read("manifests/all.schema.json");
    let mut out = Vec::new();
    for (service, methods) in manifest["contracts"].as_object().unwrap() {
        let samples = read(&format!("samples/{service}.json"));
        for (method, entry) in methods.as_object().unwrap() {
            let s = &samples["methods"][method];
            let pick = |side: &str, f: &dyn Fn(&Value) -> bool| {
                s[side]
                    .as_array()
                    .and_then(|l| l.iter().find(|x| f(x)))
                    .map(|x| x["value"].clone())
            };
            // The generated types follow the typing view where it has its own verdict.
            let accepted = |x: &Value| x.get("typing").unwrap_or(&x["jsonSchema"]) == true;
            let valid = |x: &Value| x["zod"] == true && accepted(x);
            let Some(params) = pick("params", &valid) else {
                continue;
            };
            out.push(Method {
                service: service.clone(),
                method: method.clone(),
                notification: entry["resultSchema"].is_null(),
                params,
                params_schema: entry["paramsSchema"].clone(),
                invalid_params: pick("params", &|x| {
                    x["typeLevel"] == true
                        && x.get("withoutOptionalNulls").is_none()
                        && !accepted(x)
                }),
                result: pick("results", &valid),
            });
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_round_trips_through_client_server_and_trait() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let methods = methods();
    assert!(
        methods.len() >= 60,
        "only {} methods had a valid params sample",
        methods.len()
    );
    let mut calls = 0;
    let mut notifications = 0;
    for m in &methods {
        let place = format!("{}.{}", m.service, m.method);
        if m.notification {
            let before = fixture.received().len();
            let out = call_through_client(&client, &m.service, &m.method, &m.params)
                .await
                .unwrap();
            assert_eq!(out.unwrap(), Value::Null, "{place}");
            tokio::time::timeout(Duration::from_secs(5), fixture.wait_received(before + 1))
                .await
                .unwrap_or_else(|_| panic!("{place}: handler never ran"));
            let received = fixture.received();
            assert_eq!(received.len(), before + 1, "{place}");
            assert_eq!(
                (received[before].0.as_str(), received[before].1.as_str()),
                (m.service.as_str(), m.method.as_str())
            );
            notifications += 1;
            continue;
        }
        let Some(result) = &m.result else { continue };
        fixture.answer_with(&m.service, &m.method, result.clone());
        let out = call_through_client(&client, &m.service, &m.method, &m.params)
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{place}: {e}"));
        assert!(
            json_equal(&out, result),
            "{place}: answered {result}, the client got {out}"
        );
        let (service, method, seen) = fixture.received().pop().unwrap();
        assert_eq!(
            (service.as_str(), method.as_str()),
            (m.service.as_str(), m.method.as_str())
        );
        // The handler saw the params the client sent, decoded and typed (defaults filled in).
        let sent = with_defaults(&m.params, &m.params_schema);
        assert!(
            json_equal(&seen, &sent),
            "{place}: {sent} when sent, {seen} when handled"
        );
        calls += 1;
    }
    assert!(
        calls >= 50 && notifications >= 5,
        "{calls} calls, {notifications} notifications"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rpc_errors_from_the_trait_reach_the_generated_client_verbatim() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let error =
        RpcError::new(4242, "launch scrubbed").with_data(serde_json::json!({"retryInSeconds": 90}));
    fixture.fail_with(Some(error.clone()));
    let mut checked = 0;
    for m in methods().iter().filter(|m| !m.notification) {
        let out = call_through_client(&client, &m.service, &m.method, &m.params)
            .await
            .unwrap();
        match out {
            Err(Error::Rpc(got)) => assert_eq!(got, error, "{}.{}", m.service, m.method),
            other => panic!(
                "{}.{}: expected the RpcError, got {other:?}",
                m.service, m.method
            ),
        }
        checked += 1;
    }
    assert!(checked >= 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_invalid_params_are_answered_with_invalid_params() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let mut checked = 0;
    for m in methods().iter().filter(|m| !m.notification) {
        let Some(invalid) = &m.invalid_params else {
            continue;
        };
        let err = client
            .call(&m.service, &m.method, invalid.clone(), None)
            .await
            .unwrap_err();
        let rpc = err
            .as_rpc()
            .unwrap_or_else(|| panic!("{}.{}: {err:?}", m.service, m.method));
        assert_eq!(
            (rpc.code, rpc.message.as_str()),
            (-32602, "Invalid params"),
            "{}.{} with {invalid}",
            m.service,
            m.method
        );
        assert!(rpc.data["errors"][0]["msg"].is_string(), "{}", rpc.data);
        checked += 1;
    }
    assert!(
        fixture.received().is_empty(),
        "no handler saw invalid params"
    );
    assert!(checked >= 40, "{checked}");
}

#[tokio::test]
async fn invalid_params_deep_inside_unions_and_open_objects_are_located() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let cases = [
        (
            "shapes",
            "stringTagged",
            serde_json::json!({"content": {"type": "image", "url": "https://x.y", "width": "wide"}}),
            serde_json::json!(["content", "width"]),
            "wide",
        ),
        (
            "collections",
            "objectModes",
            serde_json::json!({"stripped": {"a": "x"}, "strict": {"a": "x"}, "open": {"a": "x"}, "counters": {"total": 1, "apples": "three"}}),
            serde_json::json!(["counters", "apples"]),
            "three",
        ),
        (
            "collections",
            "tuples",
            serde_json::json!({"point": [1, 2], "labelled": ["a", 1, true], "head": ["h", 1, "two"]}),
            serde_json::json!(["head", 2]),
            "two",
        ),
        (
            "collections",
            "setsAndMaps",
            serde_json::json!({"tags": ["a", 7], "scores": []}),
            serde_json::json!(["tags", 1]),
            "7",
        ),
    ];
    for (service, method, params, loc, input) in cases {
        let err = client
            .call(service, method, params, None)
            .await
            .unwrap_err();
        let rpc = err
            .as_rpc()
            .unwrap_or_else(|| panic!("{service}.{method}: {err:?}"));
        let first = &rpc.data["errors"][0];
        assert_eq!(first["loc"], loc, "{service}.{method}: {first}");
        assert_eq!(
            first["input"].to_string().trim_matches('"'),
            input,
            "{service}.{method}: {first}"
        );
        assert_eq!(first["type"], "type_error", "{service}.{method}: {first}");
    }
}
