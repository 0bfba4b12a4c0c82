//! Interop server driver: serves `arith` and/or `notifications` over Redis through the generated
//! service traits until SIGTERM (graceful stop) or SIGKILL.
//!
//! stdin: `{"contract": "arith" | "notifications" | [..], "redisUrl" (with "tlsCaFile"?) or
//! "redisCluster", "keyPrefix", "instanceId"?,
//! "consumerClaimIdleMs"?, "handlerDelayMs"?, "maxInFlight"?, "trimCommandStreamsMs"?,
//! "cannedResults"?}` (a fixture service such as
//! `launch-control` answers each method with its canned result). stdout: `READY` once serving. stderr:
//! `HANDLED:<n>` after each handled call or notification (n counts both), `STARTED:<n>` when a
//! `slowAdd` begins to sleep.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clamator_interop::connection::Connection;
use clamator_interop::generated::{arith, notifications};
use clamator_protocol::{HandlerError, RpcError};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    contract: Contracts,
    #[serde(flatten)]
    connection: Connection,
    key_prefix: String,
    instance_id: Option<String>,
    consumer_claim_idle_ms: Option<u64>,
    /// Each handler waits this long before it works: lets a scenario kill a server mid-call.
    #[serde(default)]
    handler_delay_ms: u64,
    /// At most this many entries handled at once (`RedisOptions::max_in_flight`).
    max_in_flight: Option<usize>,
    /// How often the command streams are trimmed (`RedisOptions::trim_command_streams`).
    trim_command_streams_ms: Option<u64>,
    /// For a fixture service: method → the result every call of it gets.
    #[serde(default)]
    canned_results: std::collections::HashMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Contracts {
    One(String),
    Many(Vec<String>),
}

#[derive(Clone)]
struct Handled {
    count: Arc<AtomicUsize>,
    started: Arc<AtomicUsize>,
    delay: Duration,
}

impl Handled {
    async fn delay(&self) {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
    }

    /// `STARTED:<n>` once a slow handler began its work: a scenario can tell a handler that was
    /// cancelled from one that never ran.
    fn start(&self) {
        let mut err = std::io::stderr().lock();
        let n = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = writeln!(err, "STARTED:{n}");
        let _ = err.flush();
    }

    fn bump(&self) {
        // Count under the lock, so that the lines come out in order.
        let mut err = std::io::stderr().lock();
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = writeln!(err, "HANDLED:{n}");
        let _ = err.flush();
    }
}

struct Arith(Handled);

impl arith::ArithService for Arith {
    async fn add(&self, p: arith::AddParams) -> Result<arith::AddResult, HandlerError> {
        self.0.delay().await;
        self.0.bump();
        Ok(arith::AddResult { sum: p.a + p.b })
    }

    async fn divide(&self, p: arith::DivideParams) -> Result<arith::DivideResult, HandlerError> {
        self.0.delay().await;
        self.0.bump();
        if p.b == 0.0 {
            return Err(RpcError::new(-32000, "division by zero").into());
        }
        Ok(arith::DivideResult { q: p.a / p.b })
    }

    async fn echo_text(
        &self,
        p: arith::EchoTextParams,
    ) -> Result<arith::EchoTextResult, HandlerError> {
        self.0.delay().await;
        self.0.bump();
        Ok(arith::EchoTextResult { text: p.text })
    }

    async fn slow_add(
        &self,
        p: arith::SlowAddParams,
    ) -> Result<arith::SlowAddResult, HandlerError> {
        self.0.delay().await;
        self.0.start();
        tokio::time::sleep(Duration::from_millis(p.sleep_ms.max(0) as u64)).await;
        self.0.bump();
        Ok(arith::SlowAddResult { sum: p.a + p.b })
    }
}

struct Notifications(Handled);

impl notifications::NotificationsService for Notifications {
    async fn ping(&self, _: notifications::PingParams) {
        self.0.delay().await;
        self.0.bump();
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let config: Config = serde_json::from_str(&input)?;
    let mut options = config.connection.options(&config.key_prefix)?;
    if let Some(id) = config.instance_id {
        options = options.instance_id(id);
    }
    if let Some(ms) = config.consumer_claim_idle_ms {
        options = options.consumer_claim_idle(Duration::from_millis(ms));
    }
    if let Some(max) = config.max_in_flight {
        options = options.max_in_flight(max);
    }
    if let Some(ms) = config.trim_command_streams_ms {
        options = options.trim_command_streams(Some(Duration::from_millis(ms)));
    }
    let handled = Handled {
        count: Arc::default(),
        started: Arc::default(),
        delay: Duration::from_millis(config.handler_delay_ms),
    };
    let server = options.server()?;
    let contracts = match config.contract {
        Contracts::One(c) => vec![c],
        Contracts::Many(cs) => cs,
    };
    for contract in contracts {
        match contract.as_str() {
            "arith" => server.register_service(arith::into_contract(Arith(handled.clone())))?,
            "notifications" => server
                .register_service(notifications::into_contract(Notifications(handled.clone())))?,
            fixture if clamator_interop::fixture::SERVICES.contains(&fixture) => {
                let handled = handled.clone();
                let contract = clamator_interop::fixture::contract(
                    fixture,
                    config.canned_results.clone(),
                    move || handled.bump(),
                )
                .ok_or("a fixture service without a contract")?;
                server.register_service(contract)?
            }
            other => return Err(format!("unknown contract {other:?}").into()),
        }
    }
    server.start().await?;
    println!("READY");
    std::io::stdout().flush()?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    server.stop().await?;
    Ok(())
}
