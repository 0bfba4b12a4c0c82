//! The fixture rows: every params sample of a fixture service through each direction, and the
//! reviewed list of where the servers' verdicts differ from the JSON Schema's.

use std::path::Path;

use serde_json::{Value, json};

use crate::cell::{CLIENT_TIMEOUT, Cell};
use clamator_protocol::__private::json_equal;

use crate::scenario::ServerSpec;

/// One params sample of a fixture service and what a cell made of it.
pub(crate) struct SampleOutcome {
    pub(crate) method: String,
    pub(crate) label: String,
    /// The contract's verdict: `accepted` or `rejected`.
    pub(crate) schema: &'static str,
    /// Whether every peer must answer it: the JSON Schema and the contract both accept it.
    pub(crate) must_answer: bool,
    pub(crate) outcome: String,
}

/// The contract's verdict on a sample: the JSON Schema's, as the typing view refines it where the
/// samples record its own (unknown keys a Zod object strips, recursion checked all the way down).
fn contract_accepts(sample: &Value) -> bool {
    sample.get("typing").unwrap_or(&sample["jsonSchema"]) == &json!(true)
}

/// Calls every method of a fixture service with every params sample (notifications: the valid
/// ones). Fails when a valid sample is not answered; records every outcome.
pub(crate) fn fixture_cell(cell: &Cell, service: &str) -> Result<Vec<SampleOutcome>, String> {
    let read = |path: String| -> Result<Value, String> {
        let text =
            std::fs::read_to_string(cell.root.join(&path)).map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
    };
    let manifest = read(format!("fixtures/manifests/{service}.schema.json"))?;
    let samples = read(format!("fixtures/samples/{service}.json"))?;
    let methods = manifest["contracts"][service]
        .as_object()
        .ok_or("no such service in its manifest")?;
    let mut canned = serde_json::Map::new();
    let mut calls = Vec::new();
    let mut rows = Vec::new();
    for (method, entry) in methods {
        let notification = entry.get("resultSchema").is_none_or(Value::is_null);
        let method_samples = &samples["methods"][method];
        if !notification {
            let result = method_samples["results"]
                .as_array()
                .and_then(|r| r.iter().find(|s| contract_accepts(s)))
                .ok_or_else(|| format!("{method}: no valid result sample"))?;
            canned.insert(method.clone(), result["value"].clone());
        }
        for sample in method_samples["params"].as_array().into_iter().flatten() {
            let valid = contract_accepts(sample);
            // Every peer must answer what both the JSON Schema and the contract accept; where
            // they differ (unknown keys a Zod object strips, deep recursion) peers differ too,
            // as the reviewed differences record.
            let agreed = valid && sample["jsonSchema"] == json!(true);
            if notification && !valid {
                continue;
            }
            calls.push(json!({
                "method": format!("{service}.{method}"),
                "params": sample["value"],
                "notification": notification,
            }));
            rows.push(SampleOutcome {
                method: method.clone(),
                label: format!(
                    "{} {}",
                    sample["label"].as_str().unwrap_or_default(),
                    sample["value"]
                ),
                schema: if valid { "accepted" } else { "rejected" },
                must_answer: agreed,
                outcome: String::new(),
            });
        }
    }
    let spec = ServerSpec {
        contract: json!(service),
        ..ServerSpec::default()
    };
    let server = cell.start_server_with(&spec, 0, json!({ "cannedResults": canned }))?;
    let client = cell.start_client(&json!({ "defaultTimeoutMs": 5000, "calls": calls }))?;
    let results = match client.recv_timeout(CLIENT_TIMEOUT) {
        Ok(results) => results,
        Err(_) => Err(format!("client gave no results in {CLIENT_TIMEOUT:?}")),
    };
    server.terminate();
    server.wait_or_kill();
    cell.cleanup();
    let results = results?;
    let results = results["results"].as_array().ok_or("no results array")?;
    if results.len() != rows.len() {
        return Err(format!(
            "{} results for {} calls",
            results.len(),
            rows.len()
        ));
    }
    let mut wrong = Vec::new();
    for ((row, got), call) in rows.iter_mut().zip(results).zip(&calls) {
        let method = call["method"].as_str().unwrap_or_default();
        let expected = method.split_once('.').and_then(|(_, m)| canned.get(m));
        row.outcome = match got["kind"].as_str() {
            Some("notification") => "accepted".to_owned(),
            Some("result") if expected.is_some_and(|e| json_equal(e, &got["result"])) => {
                "accepted".to_owned()
            }
            Some("result") => format!("accepted, result differs: {}", got["result"]),
            Some("rpc-error") if got["code"] == json!(-32602) => "rejected".to_owned(),
            _ => format!("{} {} {}", got["kind"], got["code"], got["message"]),
        };
        // A Rust client checks params before sending; the driver then sends them raw, so that
        // both verdicts show: "rejected" only when the client and the server both refuse.
        if got.get("clientRefused").is_some() {
            row.outcome = if row.outcome == "rejected" {
                "rejected".to_owned()
            } else {
                format!("refused by the client; server: {}", row.outcome)
            };
        }
        // A valid call must be answered; how the answer's values are spelled is compared across
        // servers with the reviewed differences instead.
        if row.must_answer && !row.outcome.starts_with("accepted") {
            wrong.push(format!("{} {}: {}", row.method, row.label, row.outcome));
        }
    }
    if wrong.is_empty() {
        Ok(rows)
    } else {
        Err(format!(
            "valid params not answered as expected: {}",
            wrong.join("; ")
        ))
    }
}

/// Every sample where some cell disagrees with the contract, with each cell's outcome: what the
/// runner compares with the reviewed list in `interop/fixture-differences.txt`.
pub(crate) fn fixture_differences(service: &str, cells: &[(String, Vec<SampleOutcome>)]) -> String {
    let mut out = format!(
        "# {service}: params samples on which a server's verdict differs from the contract's.\n\
         # Columns: method | sample | contract | {}\n",
        cells
            .iter()
            .map(|(d, _)| d.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let Some((_, first)) = cells.first() else {
        return out;
    };
    for (i, row) in first.iter().enumerate() {
        let outcomes: Vec<&str> = cells
            .iter()
            .map(|(_, rows)| rows.get(i).map_or("?", |r| r.outcome.as_str()))
            .collect();
        if outcomes.iter().any(|o| *o != row.schema) {
            out.push_str(&format!(
                "{} | {} | {} | {}\n",
                row.method,
                row.label,
                row.schema,
                outcomes.join(" | ")
            ));
        }
    }
    out
}

/// Compares the differences found with the reviewed list; writes what was found next to it in
/// `target/` so that a change can be reviewed and copied over.
pub(crate) fn compare_fixture_differences(
    root: &Path,
    service: &str,
    cells: &[(String, Vec<SampleOutcome>)],
) -> Result<(), String> {
    let found = fixture_differences(service, cells);
    let reviewed_path = root.join("interop/fixture-differences.txt");
    let reviewed = std::fs::read_to_string(&reviewed_path).unwrap_or_default();
    let section = |text: &str| -> String {
        let header = format!("# {service}:");
        let mut lines = text.lines().skip_while(|l| !l.starts_with(&header));
        let mut out: Vec<&str> = lines.next().into_iter().collect();
        out.extend(lines.take_while(|l| !l.starts_with("# ") || l.starts_with("# Columns")));
        out.join("\n")
    };
    println!("\n{found}");
    if section(&reviewed) == section(&found) {
        return Ok(());
    }
    let out = root.join("target/interop");
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(out.join("fixture-differences.txt"), &found);
    Err("differences changed from the reviewed interop/fixture-differences.txt; review target/interop/fixture-differences.txt and copy it over".to_owned())
}
