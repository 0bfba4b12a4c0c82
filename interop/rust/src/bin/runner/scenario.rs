//! Scenario files (`interop/scenarios/*.json`) and how a client's results are checked against them.

use clamator_protocol::__private::json_equal;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Scenario {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) check: Option<String>,
    /// For `"check": "fixture-service"`: which fixture service.
    #[serde(default)]
    pub(crate) service: Option<String>,
    #[serde(default)]
    pub(crate) servers: Vec<ServerSpec>,
    #[serde(default)]
    pub(crate) kill_first_server_once_taken: Option<String>,
    #[serde(default)]
    pub(crate) client: Value,
    #[serde(default)]
    pub(crate) expect: Expect,
}

#[derive(Deserialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServerSpec {
    pub(crate) contract: Value,
    pub(crate) consumer_claim_idle_ms: Option<u64>,
    #[serde(default)]
    pub(crate) handler_delay_ms: u64,
    /// How many entries a server handles at once (Rust servers; a Python server handles one).
    #[serde(default)]
    pub(crate) max_in_flight: Option<usize>,
    #[serde(default)]
    pub(crate) start_after_kill: bool,
    /// This server's language, whatever the cell's server language (a mixed pool).
    #[serde(default)]
    pub(crate) lang: Option<String>,
    /// How often a Rust server trims its command streams (Python servers never do).
    #[serde(default)]
    pub(crate) trim_command_streams_ms: Option<u64>,
    /// Started once the client has its results. Its consumer group is made before the client
    /// starts, as a server that ran before would have left it.
    #[serde(default)]
    pub(crate) start_after_client: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Expect {
    #[serde(default)]
    pub(crate) results: Vec<Value>,
    pub(crate) handled: Option<Vec<usize>>,
    pub(crate) handled_at_least_each: Option<usize>,
    pub(crate) handled_total: Option<usize>,
    /// Instead of `handled` when the client sends deadlines and every server honours them (a
    /// Rust client and Rust servers): Python sends none and ignores Rust's.
    pub(crate) handled_if_deadlines_honoured: Option<Vec<usize>>,
    /// Wait this long after the client's results before counting what servers handled (for
    /// a count that must stay low: a cancelled handler that would otherwise finish later).
    pub(crate) settle_ms: Option<u64>,
    /// How many `slowAdd` handlers began (`STARTED:<n>`), across the servers.
    pub(crate) started_total: Option<usize>,
    /// Every entry of the first server's stream was read and acknowledged by its group.
    #[serde(default)]
    pub(crate) all_acknowledged: bool,
}

/// Each expected key must match: `messageContains` as a substring of `message`, anything else by
/// JSON equality with numbers compared by value (a Python peer sends `5.0` for a `number` 5).
pub(crate) fn check_results(expected: &[Value], actual: &Value) -> Result<(), String> {
    let actual = actual.as_array().ok_or("no results array")?;
    if actual.len() != expected.len() {
        return Err(format!(
            "{} results, expected {}",
            actual.len(),
            expected.len()
        ));
    }
    for (i, (want, got)) in expected.iter().zip(actual).enumerate() {
        for (key, value) in want.as_object().into_iter().flatten() {
            let ok = match key.as_str() {
                "messageContains" => got["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(value.as_str().unwrap_or_default())),
                _ => json_equal(value, &got[key.as_str()]),
            };
            if !ok {
                return Err(format!("call {i}: expected {key} {value}, got {got}"));
            }
        }
    }
    Ok(())
}
