//! Interop client driver: makes the calls of its config over Redis and prints what came back.
//!
//! stdin: `{"redisUrl" (with "tlsCaFile"?) or "redisCluster", "keyPrefix", "defaultTimeoutMs", "concurrent" (a count, or `true`),
//! "calls": [{"method": "<service>.<method>", "params", "notification"?, "raw"?}], "metadata"?}`.
//! stdout: `{"results": [{"ok", "kind", "result"?, "code"?, "message"?, "data"?}]}`, one per
//! call, in order. Known methods go
//! through the generated typed client unless `raw` is set or the params do not fit its types
//! (which is how a scenario sends invalid params).

use std::io::Read;
use std::time::Duration;

use clamator_interop::connection::Connection;
use clamator_interop::generated::{arith, notifications};
use clamator_over_redis::RedisRpcClient;
use clamator_protocol::{Client, ClientLayer, Error, Metadata, OutgoingCall};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    #[serde(flatten)]
    connection: Connection,
    key_prefix: String,
    default_timeout_ms: Option<u64>,
    #[serde(default)]
    concurrent: Concurrent,
    calls: Vec<Call>,
    /// Sent with every call (a client layer adds it); a Python client driver ignores it.
    #[serde(default)]
    metadata: Metadata,
}

/// Adds the configured metadata to every call.
struct WithMetadata(Metadata);

impl ClientLayer for WithMetadata {
    fn on_request(&self, call: &mut OutgoingCall) -> Result<(), Error> {
        call.metadata.extend(self.0.clone());
        Ok(())
    }
}

/// How the calls run. Upstream's drivers take a count: the call list runs that many times at
/// once, results in order (absent, 0 or 1: one after another). `true` runs the list once, every
/// call at once.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Concurrent {
    #[default]
    Sequential,
    Flag(bool),
    Copies(u64),
}

impl Concurrent {
    /// How many copies of the call list run at once; `None`: one after another.
    fn copies(&self) -> Option<usize> {
        match self {
            Concurrent::Flag(true) => Some(1),
            Concurrent::Copies(n) if *n > 1 => usize::try_from(*n).ok(),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Call {
    method: String,
    #[serde(default)]
    params: Value,
    #[serde(default)]
    notification: bool,
    #[serde(default)]
    raw: bool,
}

fn typed<P: DeserializeOwned>(params: &Value, raw: bool) -> Option<P> {
    if raw {
        return None;
    }
    serde_json::from_value(params.clone()).ok()
}

fn to_json<T: serde::Serialize>(r: Result<T, Error>) -> Result<Value, Error> {
    r.map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
}

async fn run(client: &RedisRpcClient, call: &Call) -> Value {
    let Some((service, method)) = call.method.split_once('.') else {
        return json!({"ok": false, "kind": "usage-error", "message": "method must be <service>.<method>"});
    };
    let (p, raw) = (&call.params, call.raw);
    if call.notification {
        let sent = match (
            call.method.as_str(),
            typed::<notifications::PingParams>(p, raw),
        ) {
            ("notifications.ping", Some(params)) => {
                notifications::NotificationsClient::new(client)
                    .ping(&params)
                    .await
            }
            _ => client.notify(service, method, p.clone()).await,
        };
        return match sent {
            Ok(()) => json!({"ok": true, "kind": "notification"}),
            Err(e) => error_result(e),
        };
    }
    let arith = arith::ArithClient::new(client);
    let typed_result = match call.method.as_str() {
        _ if clamator_interop::fixture::SERVICES.contains(&service) && !raw => {
            clamator_interop::fixture::call(client, service, method, p).await
        }
        "arith.add" => match typed(p, raw) {
            Some(params) => Some(to_json(arith.add(&params).await)),
            None => None,
        },
        "arith.slowAdd" => match typed(p, raw) {
            Some(params) => Some(to_json(arith.slow_add(&params).await)),
            None => None,
        },
        "arith.divide" => match typed(p, raw) {
            Some(params) => Some(to_json(arith.divide(&params).await)),
            None => None,
        },
        "arith.echoText" => match typed(p, raw) {
            Some(params) => Some(to_json(arith.echo_text(&params).await)),
            None => None,
        },
        _ => None,
    };
    let (result, client_refused) = match typed_result {
        // The generated client refused the params before sending: send them anyway, raw, so the
        // server's own verdict is seen too, and say that the client refused them.
        Some(Err(Error::InvalidParams(refused))) => (
            client.call(service, method, p.clone(), None).await,
            Some(refused.violations.to_data()),
        ),
        Some(result) => (result, None),
        None => (client.call(service, method, p.clone(), None).await, None),
    };
    let mut out = match result {
        Ok(result) => json!({"ok": true, "kind": "result", "result": result}),
        Err(e) => error_result(e),
    };
    if let Some(violations) = client_refused {
        out["clientRefused"] = violations;
    }
    out
}

fn error_result(e: Error) -> Value {
    match e {
        Error::Rpc(e) => {
            json!({"ok": false, "kind": "rpc-error", "code": e.code, "message": e.message, "data": e.data})
        }
        Error::Transport(e) => {
            json!({"ok": false, "kind": "transport-error", "message": e.message()})
        }
        Error::Protocol(e) => {
            json!({"ok": false, "kind": "protocol-error", "message": e.message()})
        }
        Error::Usage(message) => json!({"ok": false, "kind": "usage-error", "message": message}),
        // Checked locally by the generated client: nothing was sent, or the reply broke the
        // contract. The violations are typed; the driver prints them as the wire would.
        Error::InvalidParams(e) => {
            json!({"ok": false, "kind": "invalid-params", "message": e.to_string(), "data": e.violations.to_data()})
        }
        Error::InvalidResult(e) => {
            json!({"ok": false, "kind": "invalid-result", "message": e.to_string(), "data": e.violations.to_data()})
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let config: Config = serde_json::from_str(&input)?;
    let mut client = config.connection.options(&config.key_prefix)?.client()?;
    if let Some(ms) = config.default_timeout_ms {
        client = client.with_default_timeout(Duration::from_millis(ms));
    }
    if !config.metadata.is_empty() {
        client = client.layer(WithMetadata(config.metadata));
    }
    client.start().await?;
    let results: Vec<Value> = if let Some(copies) = config.concurrent.copies() {
        let all = std::iter::repeat_n(&config.calls, copies).flatten();
        futures_util::future::join_all(all.map(|c| run(&client, c))).await
    } else {
        let mut out = Vec::new();
        for call in &config.calls {
            out.push(run(&client, call).await);
        }
        out
    };
    client.stop().await?;
    println!("{}", json!({ "results": results }));
    Ok(())
}
