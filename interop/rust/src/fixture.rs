//! Fixture services served and called through their generated code, for the fixture rows of the
//! interop runner: `launch-control` (unions, optional and nullable fields, a tuple) and `talk`
//! (named types shared with `pages`, recursion, objects that strip or refuse unknown keys).
//!
//! The server answers every call of a method with one canned result (an accepted sample of the
//! fixture), decoded into the generated result type; the client sends params through the generated
//! client when they fit its types and raw otherwise, and decodes results into the generated types.

use std::collections::HashMap;

use clamator_codegen_tests::generated::{launch_control as lc, talk};
use clamator_protocol::validation::decode;
use clamator_protocol::{Client, Contract, Error, HandlerError, ProtocolError, RpcError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fixture services this module can serve and call.
pub const SERVICES: &[&str] = &[lc::SERVICE, talk::SERVICE];

/// Serves the fixture `service` (one of [`SERVICES`]) with `results` (method → result in wire
/// form).
pub fn contract(
    service: &str,
    results: HashMap<String, Value>,
    on_handled: impl Fn() + Send + Sync + 'static,
) -> Option<Contract> {
    let canned = Canned {
        results,
        on_handled: Box::new(on_handled),
    };
    match service {
        lc::SERVICE => Some(lc::into_contract(canned)),
        talk::SERVICE => Some(talk::into_contract(canned)),
        _ => None,
    }
}

struct Canned {
    results: HashMap<String, Value>,
    on_handled: Box<dyn Fn() + Send + Sync>,
}

impl Canned {
    fn result<T: DeserializeOwned>(&self, method: &str) -> Result<T, HandlerError> {
        (self.on_handled)();
        let value = self.results.get(method).cloned().unwrap_or(Value::Null);
        let typed = decode(&value).map_err(|errors| {
            RpcError::new(
                -32001,
                format!("canned result of {method} does not fit its type"),
            )
            .with_data(errors.to_data())
        })?;
        Ok(typed)
    }
}

impl lc::LaunchControlService for Canned {
    async fn abort(&self, _: lc::AbortParams) -> Result<lc::AbortResult, HandlerError> {
        self.result("abort")
    }
    async fn get_weather(
        &self,
        _: lc::GetWeatherParams,
    ) -> Result<lc::GetWeatherResult, HandlerError> {
        self.result("getWeather")
    }
    async fn heartbeat(&self, _: lc::HeartbeatParams) {
        (self.on_handled)();
    }
    async fn launch(&self, _: lc::LaunchParams) -> Result<lc::LaunchResult, HandlerError> {
        self.result("launch")
    }
    async fn list_launches(
        &self,
        _: lc::ListLaunchesParams,
    ) -> Result<lc::ListLaunchesResult, HandlerError> {
        self.result("listLaunches")
    }
    async fn reset(&self, _: lc::ResetParams) -> Result<lc::ResetResult, HandlerError> {
        self.result("reset")
    }
    async fn scrub(&self, _: lc::ScrubParams) {
        (self.on_handled)();
    }
    async fn set_countdown(
        &self,
        _: lc::SetCountdownParams,
    ) -> Result<lc::SetCountdownResult, HandlerError> {
        self.result("setCountdown")
    }
    async fn status(&self, _: lc::StatusParams) -> Result<lc::StatusResult, HandlerError> {
        self.result("status")
    }
    async fn telemetry(&self, _: lc::TelemetryParams) {
        (self.on_handled)();
    }
}

impl talk::TalkService for Canned {
    async fn post(&self, _: talk::PostParams) -> Result<talk::PostResult, HandlerError> {
        self.result("post")
    }
    async fn thread(&self, _: talk::ThreadParams) -> Result<talk::ThreadResult, HandlerError> {
        self.result("thread")
    }
}

/// Calls `service.method` through the generated client when `params` fit its params type (the
/// result is then decoded into the generated result type), raw otherwise. `None` for a method
/// this module does not know.
pub async fn call<C: Client>(
    client: &C,
    service: &str,
    method: &str,
    params: &Value,
) -> Option<Result<Value, Error>> {
    if service == talk::SERVICE {
        let typed = &talk::TalkClient::new(client);
        return Some(match method {
            "post" => {
                via(client, service, method, params, |p| async move {
                    typed.post(&p).await
                })
                .await
            }
            "thread" => {
                via(client, service, method, params, |p| async move {
                    typed.thread(&p).await
                })
                .await
            }
            _ => return None,
        });
    }
    let typed = &lc::LaunchControlClient::new(client);
    let service = lc::SERVICE;
    Some(match method {
        "abort" => {
            via(client, service, method, params, |p| async move {
                typed.abort(&p).await
            })
            .await
        }
        "getWeather" => {
            via(client, service, method, params, |p| async move {
                typed.get_weather(&p).await
            })
            .await
        }
        "launch" => {
            via(client, service, method, params, |p| async move {
                typed.launch(&p).await
            })
            .await
        }
        "listLaunches" => {
            via(client, service, method, params, |p| async move {
                typed.list_launches(&p).await
            })
            .await
        }
        "reset" => {
            via(client, service, method, params, |p| async move {
                typed.reset(&p).await
            })
            .await
        }
        "setCountdown" => {
            via(client, service, method, params, |p| async move {
                typed.set_countdown(&p).await
            })
            .await
        }
        "status" => {
            via(client, service, method, params, |p| async move {
                typed.status(&p).await
            })
            .await
        }
        _ => return None,
    })
}

async fn via<C, P, R, F, Fut>(
    client: &C,
    service: &str,
    method: &str,
    params: &Value,
    typed: F,
) -> Result<Value, Error>
where
    C: Client,
    P: DeserializeOwned,
    R: Serialize,
    F: FnOnce(P) -> Fut,
    Fut: std::future::Future<Output = Result<R, Error>>,
{
    match decode::<P>(params) {
        Ok(p) => {
            let result = typed(p).await?;
            serde_json::to_value(result)
                .map_err(|e| ProtocolError::new(format!("result re-encoding failed: {e}")).into())
        }
        Err(_) => client.call(service, method, params.clone(), None).await,
    }
}
