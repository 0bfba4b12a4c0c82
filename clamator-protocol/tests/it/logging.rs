//! The dispatcher logs what it drops or fails with the other implementations' message texts and
//! the fields `service`, `method` and `rpc_id`, so no failure is lost silently.

use std::io::Write;
use std::sync::{Arc, Mutex};

use clamator_protocol::{Contract, RpcError, ServiceDispatcher};
use serde_json::{Value, json};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Strict {
    n: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("boom")]
struct Boom;

fn logs_of(envelopes: Vec<Value>) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let dispatcher = ServiceDispatcher::standalone(
            Contract::builder("arith")
                .method("strict", |_: Strict| async { Ok::<_, RpcError>(0) })
                .method("fail", |_: Value| async { Err::<Value, _>(Boom) })
                .notification("note", |_: Value| async { Err::<(), _>(Boom) })
                .build()
                .unwrap(),
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for e in envelopes {
            rt.block_on(dispatcher.dispatch_value(e));
        }
    });
    String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
}

#[test]
fn invalid_params_are_logged_with_service_method_and_id() {
    let logs = logs_of(vec![
        json!({"jsonrpc": "2.0", "method": "arith.strict", "params": {"n": "x"}, "id": "r-7"}),
    ]);
    assert!(logs.contains("WARN"), "{logs}");
    assert!(
        logs.contains("RPC params validation failed: arith.strict id=r-7"),
        "{logs}"
    );
    assert!(
        logs.contains("service=\"arith\"") || logs.contains("service=arith"),
        "{logs}"
    );
    assert!(
        logs.contains("rpc_id=\"r-7\"") || logs.contains("rpc_id=r-7"),
        "{logs}"
    );
}

#[test]
fn handler_failures_are_logged_for_requests_and_notifications() {
    let logs = logs_of(vec![
        json!({"jsonrpc": "2.0", "method": "arith.fail", "id": 3}),
        json!({"jsonrpc": "2.0", "method": "arith.note"}),
        json!({"jsonrpc": "2.0", "method": "arith.strict", "params": {}}),
    ]);
    assert!(
        logs.contains("ERROR") && logs.contains("RPC handler raised: arith.fail id=3"),
        "{logs}"
    );
    assert!(
        logs.contains("RPC handler raised: arith.note id=None"),
        "a failed notification is logged: {logs}"
    );
    assert!(
        logs.contains("RPC params validation failed: arith.strict id=None"),
        "an invalid notification is logged: {logs}"
    );
}

#[test]
fn dropped_notifications_and_misaddressed_requests_are_logged() {
    let logs = logs_of(vec![
        json!({"jsonrpc": "2.0", "method": "arith.nothing"}),
        json!({"jsonrpc": "2.0", "method": "arith.note", "id": "q"}),
    ]);
    assert!(
        logs.contains("notification for an unknown method dropped"),
        "{logs}"
    );
    assert!(
        logs.contains("request to a notification-only method"),
        "{logs}"
    );
}

#[test]
fn malformed_envelopes_are_logged_and_dropped() {
    let logs = logs_of(vec![
        json!({"jsonrpc": "1.0", "method": "arith.fail", "id": 1}),
    ]);
    assert!(logs.contains("malformed envelope dropped"), "{logs}");
    assert!(logs.contains("jsonrpc must equal"), "{logs}");
}
