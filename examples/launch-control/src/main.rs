//! Serves the `launch-control` contract from Rust and calls it through the generated client, all
//! in one process over the in-memory bus. The same client and trait work over Redis streams,
//! against TypeScript and Python peers.
//!
//! `src/generated` is committed output of
//! `clamator-codegen-rs --manifest fixtures/manifests/launch-control.schema.json --out examples/launch-control/src/generated`;
//! `tests/generated_is_current.rs` fails when it drifts from the manifest.

mod generated;

use clamator_over_memory::MemoryBus;
use clamator_protocol::{Error, HandlerError, RpcError};
use generated::launch_control::{
    LaunchControlClient, LaunchControlService, LaunchParams, LaunchParamsWindow, LaunchResult,
    LaunchResultNotOk, LaunchResultNotOkReason, LaunchResultOk, into_contract,
};

/// The serving side: implement the generated trait with plain `async fn`s.
struct Pad;

impl LaunchControlService for Pad {
    async fn launch(&self, params: LaunchParams) -> Result<LaunchResult, HandlerError> {
        if params.payload_kg > 20_000.0 {
            return Ok(LaunchResult::NotOk(LaunchResultNotOk {
                reason: LaunchResultNotOkReason::PayloadTooHeavy,
            }));
        }
        // Each union variant's payload converts into the union.
        Ok(LaunchResultOk {
            launch_id: "9b2f6c1e-4d3a-4b5c-8d7e-0f1a2b3c4d5e".to_owned(),
            scheduled_at: params.window.opens_at,
        }
        .into())
    }

    async fn abort(
        &self,
        _: generated::launch_control::AbortParams,
    ) -> Result<generated::launch_control::AbortResult, HandlerError> {
        Err(RpcError::new(4001, "nothing to abort").into())
    }

    async fn status(
        &self,
        _: generated::launch_control::StatusParams,
    ) -> Result<generated::launch_control::StatusResult, HandlerError> {
        Ok(generated::launch_control::StatusResult::Idle)
    }

    async fn list_launches(
        &self,
        params: generated::launch_control::ListLaunchesParams,
    ) -> Result<generated::launch_control::ListLaunchesResult, HandlerError> {
        println!("listing up to {} launches", params.limit);
        Ok(generated::launch_control::ListLaunchesResult {
            items: Vec::new(),
            next_cursor: None,
        })
    }

    async fn get_weather(
        &self,
        _: generated::launch_control::GetWeatherParams,
    ) -> Result<generated::launch_control::GetWeatherResult, HandlerError> {
        Ok(generated::launch_control::GetWeatherResult {
            wind_knots: 8.0,
            gust_knots: None,
            ceiling_ft: Some(4500),
            go: true,
        })
    }

    async fn set_countdown(
        &self,
        params: generated::launch_control::SetCountdownParams,
    ) -> Result<generated::launch_control::SetCountdownResult, HandlerError> {
        Ok(generated::launch_control::SetCountdownResult {
            seconds_left: params.1,
        })
    }

    async fn reset(
        &self,
        _: generated::launch_control::ResetParams,
    ) -> Result<generated::launch_control::ResetResult, HandlerError> {
        Ok(clamator_protocol::serde_json::Value::Null)
    }

    async fn telemetry(&self, params: generated::launch_control::TelemetryParams) {
        println!("telemetry: {} km", params.altitude_km);
    }

    async fn heartbeat(&self, _: generated::launch_control::HeartbeatParams) {}

    async fn scrub(&self, params: generated::launch_control::ScrubParams) {
        println!("scrubbed {}: {:?}", params.launch_id, params.reason);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bus = MemoryBus::new();
    let server = bus.server();
    server.register_service(into_contract(Pad))?;
    server.start().await?;

    let client = bus.client();
    client.start().await?;
    let launch_control = LaunchControlClient::new(&client);

    let params = LaunchParams {
        mission_id: "6f1c2a4e-8b7d-4e2f-9a1b-3c4d5e6f7a8b".to_owned(),
        payload_kg: 1200.5,
        window: LaunchParamsWindow {
            opens_at: "2026-11-25T10:00:00Z".to_owned(),
            closes_at: "2026-11-25T12:30:00Z".to_owned(),
        },
        crew: None,
    };
    match launch_control.launch(&params).await? {
        LaunchResult::Ok(ok) => {
            println!("launch {} scheduled at {}", ok.launch_id, ok.scheduled_at)
        }
        LaunchResult::NotOk(no) => println!("no launch: {:?}", no.reason),
    }
    let heavy = LaunchParams {
        payload_kg: 50_000.0,
        ..params
    };
    if let LaunchResult::NotOk(no) = launch_control.launch(&heavy).await? {
        println!("too heavy: {:?}", no.reason);
    }
    // The handler answers with an application error: it reaches the caller as `Error::Rpc`,
    // code and message as the handler made them.
    let abort = generated::launch_control::AbortParams {
        launch_id: "9b2f6c1e-4d3a-4b5c-8d7e-0f1a2b3c4d5e".to_owned(),
        reason: "weather".to_owned(),
    };
    match launch_control
        .with_timeout(std::time::Duration::from_secs(2))
        .abort(&abort)
        .await
    {
        Err(Error::Rpc(e)) => println!("abort answered {}: {}", e.code, e.message),
        other => return Err(unexpected("the handler's RpcError", other)),
    }
    // Params that break the contract (`launchId` must be a uuid) never leave the client: it
    // refuses them with `Error::InvalidParams`, naming what is wrong, and sends nothing.
    let not_a_uuid = generated::launch_control::AbortParams {
        launch_id: "x".to_owned(),
        ..abort
    };
    match launch_control.abort(&not_a_uuid).await {
        Err(Error::InvalidParams(refused)) => println!("refused before sending: {refused}"),
        other => return Err(unexpected("a local InvalidParams", other)),
    }

    client.stop().await?;
    server.stop().await?;
    Ok(())
}

/// The example's own failure: a call answered otherwise than it shows.
fn unexpected<T: std::fmt::Debug>(
    expected: &str,
    got: Result<T, Error>,
) -> Box<dyn std::error::Error> {
    format!("expected {expected}, got {got:?}").into()
}
