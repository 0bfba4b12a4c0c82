//! Inputs that must not take a process down or make it lie: values nested past any limit, NaN and
//! infinities in results, huge invalid params.

use clamator_protocol::envelope::{Envelope, Id, Request};
use clamator_protocol::{Contract, RpcError, ServiceDispatcher};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Point {
    x: f64,
}

#[derive(Serialize)]
struct Ratio {
    ratio: f64,
    parts: Vec<f64>,
}

fn dispatcher() -> ServiceDispatcher {
    ServiceDispatcher::standalone(
        Contract::builder("geo")
            .method("echo", |v: Value| async move { Ok::<_, RpcError>(v) })
            .method("point", |p: Point| async move {
                Ok::<_, RpcError>(json!({"x": p.x}))
            })
            .method("ratio", |p: Point| async move {
                Ok::<_, RpcError>(Ratio {
                    ratio: 1.0 / p.x,
                    parts: vec![1.0, p.x.sqrt()],
                })
            })
            .build()
            .unwrap(),
    )
}

fn call(method: &str, params: Value) -> Value {
    let request = Envelope::Request(Request {
        id: Id::String("r".to_owned()),
        service: "geo".to_owned(),
        method: method.to_owned(),
        params,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(dispatcher().dispatch(request)).unwrap()
}

fn nested(depth: usize) -> Value {
    // Not `json!([v])`: that serialises `v` again at every level.
    let mut v = json!(1);
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

/// Runs `f` on a thread with a main thread's stack (8 MiB): serde_json's own recursive drop and
/// clone of a very deep value need it in a debug build, whatever clamator does.
fn on_main_sized_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn params_nested_past_the_limit_get_invalid_params_not_a_stack_overflow() {
    // 3 000 levels overflowed the decoder's stack here (an abort no catch_unwind can stop).
    let reply = on_main_sized_stack(|| call("echo", nested(3_000)));
    assert_eq!(reply["error"]["code"], json!(-32602), "{reply:.300}");
    let error = &reply["error"]["data"]["errors"][0];
    assert_eq!(error["type"], json!("too_deep"));
    assert_eq!(
        error["msg"],
        json!("Input is nested deeper than 128 levels")
    );
    assert_eq!(error["loc"].as_array().unwrap().len(), 128);
    // The limit is serde_json's own when parsing text: what can arrive on a wire passes in process.
    let reply = call("echo", nested(127));
    assert_eq!(reply["result"], nested(127));
    let reply = call("echo", nested(129));
    assert_eq!(reply["error"]["code"], json!(-32602));
}

#[test]
fn non_finite_results_fail_result_validation_instead_of_arriving_as_null() {
    for (x, loc) in [(0.0, json!(["ratio"])), (-1.0, json!(["parts", 1]))] {
        let reply = call("ratio", json!({ "x": x }));
        assert_eq!(reply["error"]["code"], json!(-32603), "x = {x}: {reply}");
        assert_eq!(reply["error"]["message"], json!("Result validation failed"));
        let error = &reply["error"]["data"]["errors"][0];
        assert_eq!(error["type"], json!("finite_number"));
        assert_eq!(error["loc"], loc);
    }
    let reply = call("ratio", json!({"x": 4.0}));
    assert_eq!(reply["result"], json!({"ratio": 0.25, "parts": [1.0, 2.0]}));
}

#[test]
fn invalid_params_echo_a_bounded_input() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let reply = call("point", json!({ "x": huge }));
    assert_eq!(reply["error"]["code"], json!(-32602));
    let size = reply.to_string().len();
    assert!(
        size < 4096,
        "a 10 MB invalid string came back as {size} bytes"
    );
    let error = &reply["error"]["data"]["errors"][0];
    assert_eq!(error["loc"], json!(["x"]));
    assert!(error["input"].as_str().unwrap().ends_with('…'));

    let wide: Vec<Value> = (0..100_000).map(|i| json!({ "i": i })).collect();
    let reply = call("point", json!({ "x": wide }));
    let size = reply.to_string().len();
    assert!(
        size < 8192,
        "a large invalid array came back as {size} bytes"
    );

    // Small inputs are echoed whole, as Pydantic does.
    let reply = call("point", json!({ "x": "two" }));
    assert_eq!(reply["error"]["data"]["errors"][0]["input"], json!("two"));
}
