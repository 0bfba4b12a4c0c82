//! Value rules at every edge, end to end over the in-memory transport, with the generated
//! `launch-control` code (a uuid, date-times, a positive number, an item count on params; a uuid
//! and a date-time on the result):
//! - server: params breaking rules → -32602 listing every violation, the handler never runs;
//!   a handler's result breaking rules → -32603 `Result validation failed`, listing them;
//! - client: params breaking rules → `Error::InvalidParams`, nothing sent; a result breaking rules
//!   → `Error::InvalidResult`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::serve;
use clamator_codegen_tests::fixture::Fixture;
use clamator_codegen_tests::generated::launch_control as lc;
use clamator_codegen_tests::generated::value_rules as vr;
use clamator_codegen_tests::registry::contracts;
use clamator_protocol::validation::{Segment, Validate, Violation};
use clamator_protocol::{Client, Contract, Error, HandlerError, RpcError};
use serde_json::{Value, json};

const UUID: &str = "6f1c2a4e-8b7d-4e2f-9a1b-3c4d5e6f7a8b";

/// Params that break four rules at once, at different depths.
fn bad_params() -> Value {
    json!({
        "missionId": "not-a-uuid",
        "payloadKg": 0,
        "window": {"opensAt": "tomorrow", "closesAt": "2026-11-25T12:30:00.000Z"},
        "crew": ["1", "2", "3", "4", "5", "6", "7", "8"],
    })
}

fn summary(violations: &[Violation]) -> Vec<(String, Vec<Segment>)> {
    violations
        .iter()
        .map(|v| (v.kind.clone(), v.loc.clone()))
        .collect()
}

fn key(k: &str) -> Segment {
    Segment::Key(k.to_owned())
}

fn expected_params_violations() -> Vec<(String, Vec<Segment>)> {
    vec![
        ("uuid_parsing".to_owned(), vec![key("missionId")]),
        ("greater_than".to_owned(), vec![key("payloadKg")]),
        (
            "datetime_parsing".to_owned(),
            vec![key("window"), key("opensAt")],
        ),
        ("too_long".to_owned(), vec![key("crew")]),
    ]
}

#[tokio::test]
async fn server_lists_every_params_violation_and_skips_the_handler() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let err = client
        .call("launch-control", "launch", bad_params(), None)
        .await
        .unwrap_err();
    let Error::Rpc(rpc) = err else {
        panic!("expected an RPC error, got {err:?}")
    };
    assert_eq!((rpc.code, rpc.message.as_str()), (-32602, "Invalid params"));
    let violations = rpc.violations().expect("data.errors");
    assert_eq!(summary(violations.as_slice()), expected_params_violations());
    // Pydantic's shape on the wire: type, loc, msg, input, ctx.
    assert_eq!(
        rpc.data["errors"][1],
        json!({
            "type": "greater_than",
            "loc": ["payloadKg"],
            "msg": "Input should be greater than 0",
            "input": 0.0,
            "ctx": {"gt": 0},
        })
    );
    assert_eq!(rpc.data["errors"][0]["input"], "not-a-uuid");
    assert!(fixture.received().is_empty(), "the handler ran");
}

#[tokio::test]
async fn server_refuses_a_result_that_breaks_its_rules() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    fixture.answer_with(
        "launch-control",
        "launch",
        json!({"ok": true, "launchId": "L-1", "scheduledAt": "soon"}),
    );
    let params = json!({
        "missionId": UUID,
        "payloadKg": 10,
        "window": {"opensAt": "2026-11-25T10:00:00Z", "closesAt": "2026-11-25T12:30:00Z"},
    });
    let err = client
        .call("launch-control", "launch", params, None)
        .await
        .unwrap_err();
    let Error::Rpc(rpc) = err else {
        panic!("expected an RPC error, got {err:?}")
    };
    assert_eq!(
        (rpc.code, rpc.message.as_str()),
        (-32603, "Result validation failed")
    );
    assert_eq!(
        summary(rpc.violations().unwrap().as_slice()),
        vec![
            ("uuid_parsing".to_owned(), vec![key("launchId")]),
            ("datetime_parsing".to_owned(), vec![key("scheduledAt")]),
        ]
    );
}

#[tokio::test]
async fn client_refuses_params_that_break_rules_and_sends_nothing() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    let params: lc::LaunchParams = serde_json::from_value(bad_params()).unwrap();
    let local = params.validate().unwrap_err();
    assert_eq!(summary(local.as_slice()), expected_params_violations());

    let err = lc::LaunchControlClient::new(&client)
        .launch(&params)
        .await
        .unwrap_err();
    let Error::InvalidParams(invalid) = err else {
        panic!("expected InvalidParams, got {err:?}")
    };
    assert_eq!(
        (invalid.service.as_str(), invalid.method.as_str()),
        ("launch-control", "launch")
    );
    assert_eq!(invalid.violations, local);
    assert!(fixture.received().is_empty(), "params were sent");
}

#[tokio::test]
async fn client_refuses_a_result_that_breaks_the_contract() {
    // A server that does not check (hand-built, plain types) answers with an invalid result.
    let handled = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&handled);
    let lenient = Contract::builder("launch-control")
        .method("launch", move |_: Value| {
            seen.fetch_add(1, Ordering::SeqCst);
            async {
                Ok::<_, RpcError>(
                    json!({"ok": true, "launchId": "L-1", "scheduledAt": "2026-11-25T10:00:00Z"}),
                )
            }
        })
        .build()
        .unwrap();
    let (_bus, _server, client) = serve(vec![lenient]).await;
    let params = lc::LaunchParams {
        mission_id: UUID.to_owned(),
        payload_kg: 10.0,
        window: lc::LaunchParamsWindow {
            opens_at: "2026-11-25T10:00:00Z".to_owned(),
            closes_at: "2026-11-25T12:30:00Z".to_owned(),
        },
        crew: None,
    };
    let err = lc::LaunchControlClient::new(&client)
        .launch(&params)
        .await
        .unwrap_err();
    let Error::InvalidResult(invalid) = err else {
        panic!("expected InvalidResult, got {err:?}")
    };
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    assert_eq!(
        summary(invalid.violations.as_slice()),
        vec![("uuid_parsing".to_owned(), vec![key("launchId")])]
    );
    assert_eq!(
        invalid.to_string(),
        "launch-control.launch: launchId: Input should be a valid UUID (format uuid) [uuid_parsing]"
    );
}

#[tokio::test]
async fn a_notification_that_breaks_rules_is_dropped_before_its_handler() {
    let fixture = Fixture::default();
    let (_bus, _server, client) = serve(contracts(&fixture)).await;
    client
        .notify(
            "launch-control",
            "scrub",
            json!({"launchId": "not-a-uuid", "reason": "wind"}),
        )
        .await
        .unwrap();
    // A valid one after it is handled; the invalid one never was.
    client
        .notify("launch-control", "scrub", json!({"launchId": UUID}))
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), fixture.wait_received(1))
        .await
        .unwrap();
    let received = fixture.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].2, json!({"launchId": UUID}));
}

/// A service whose methods use `?` on errors that are not `RpcError`s.
struct Failing;

impl vr::ValueRulesService for Failing {
    async fn strings(&self, _: vr::StringsParams) -> Result<vr::StringsResult, HandlerError> {
        // Any std error converts: this one is an I/O error.
        let text = std::fs::read_to_string("/nonexistent/clamator")?;
        Ok(vr::StringsResult::new(text.clone(), text))
    }
    async fn numbers(&self, _: vr::NumbersParams) -> Result<vr::NumbersResult, HandlerError> {
        Err(RpcError::new(4000, "over budget").into())
    }
    async fn nested(&self, _: vr::NestedParams) -> Result<vr::NestedResult, HandlerError> {
        let n: i64 = "many".parse()?;
        Ok(vr::NestedResult::new(vec![n.to_string()]))
    }
    async fn piped(&self, _: vr::PipedParams) -> Result<vr::PipedResult, HandlerError> {
        Err(RpcError::new(4001, "not piped").into())
    }
}

#[tokio::test]
async fn handlers_use_question_mark_on_any_error() {
    let (_bus, _server, client) = serve(vec![vr::into_contract(Failing)]).await;
    let strings = json!({"exact": "abc", "between": "ab", "prefixed": "id-7!", "code": "AB12",
        "when": "2026-11-25T14:47:07Z", "day": "2024-02-29", "span": "P1D", "host": "::1"});
    let err = client
        .call("value-rules", "strings", strings, None)
        .await
        .unwrap_err();
    let rpc = err.as_rpc().unwrap();
    assert_eq!((rpc.code, rpc.message.as_str()), (-32603, "Internal error"));
    assert_eq!(rpc.data["name"], "Error");
    assert!(
        rpc.data["message"]
            .as_str()
            .unwrap()
            .contains("No such file"),
        "{rpc:?}"
    );

    let numbers = json!({"safe": 1, "small": 0, "open": 0, "above": 1, "cents": 1, "fives": 5});
    let err = client
        .call("value-rules", "numbers", numbers, None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc(), Some(&RpcError::new(4000, "over budget")));

    let nested = json!({"names": ["ab"], "groups": [], "scores": {}, "owners": {}, "labels": {}, "pair": ["a"], "maybe": null});
    let err = client
        .call("value-rules", "nested", nested, None)
        .await
        .unwrap_err();
    assert_eq!(err.as_rpc().unwrap().data["name"], "ParseIntError");
}

#[tokio::test]
async fn a_client_drops_result_keys_it_does_not_know() {
    // A newer server added `eta` and `pad.crew` to its result: this client still reads it, as a
    // Zod client would; the server side stays strict (see `MethodEntry::check_result`).
    let newer = Contract::builder("launch-control")
        .method("launch", |_: Value| async {
            Ok::<_, RpcError>(json!({
                "ok": true, "launchId": UUID, "scheduledAt": "2026-11-25T10:00:00Z", "eta": 42,
            }))
        })
        .build()
        .unwrap();
    let (_bus, _server, client) = serve(vec![newer]).await;
    let params = lc::LaunchParams::new(
        UUID.to_owned(),
        10.0,
        lc::LaunchParamsWindow::new("2026-11-25T10:00:00Z".into(), "2026-11-25T12:30:00Z".into()),
    );
    let result = lc::LaunchControlClient::new(&client)
        .launch(&params)
        .await
        .unwrap();
    let lc::LaunchResult::Ok(ok) = result else {
        panic!("{result:?}")
    };
    assert_eq!(ok.launch_id, UUID);

    // A server checks its results as Zod parses them: a `z.object()` drops the key it does not
    // know, a `.strict()` one refuses it (`Span` of the `pages` fixture).
    let served = contracts(&Fixture::default());
    let service = |name: &str| served.iter().find(|c| c.service() == name).unwrap();
    let dropped = service("launch-control")
        .method("launch")
        .unwrap()
        .check_result(&json!({"ok": true, "launchId": UUID, "scheduledAt": "2026-11-25T10:00:00Z", "eta": 42}))
        .unwrap()
        .unwrap();
    assert_eq!(
        dropped,
        json!({"ok": true, "launchId": UUID, "scheduledAt": "2026-11-25T10:00:00Z"})
    );
    let page = json!({"id": UUID, "title": "t", "body": "", "highlights": []});
    let refused = service("pages")
        .method("edit")
        .unwrap()
        .check_result(&json!({"page": page, "touched": [{"start": 0, "end": 1, "eta": 42}]}))
        .unwrap()
        .unwrap_err();
    let first = &refused.as_slice()[0];
    assert_eq!(first.kind, "extra_forbidden");
    assert_eq!(
        refused.to_data()["errors"][0]["loc"],
        json!(["touched", 0, "eta"])
    );
}
