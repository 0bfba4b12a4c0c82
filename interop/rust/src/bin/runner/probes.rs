//! The wire probes: raw stream entries to a Python and to a Rust server, their replies compared.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use clamator_protocol::__private::json_equal;
use clamator_test_redis::unique_prefix;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::backend::Backend;
use crate::cell::Cell;
use crate::scenario::ServerSpec;

#[derive(Deserialize)]
pub(crate) struct ProbeFile {
    pub(crate) probes: Vec<Probe>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Probe {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) envelope: Option<Value>,
    #[serde(default)]
    pub(crate) raw: Option<String>,
    #[serde(default)]
    pub(crate) no_envelope: bool,
    #[serde(default)]
    pub(crate) no_reply_to: bool,
    #[serde(default)]
    pub(crate) deliberate: Option<String>,
}

impl Probe {
    /// The reply's id as JSON text, when the envelope has one.
    pub(crate) fn id_key(&self) -> Option<String> {
        let envelope = match (&self.envelope, &self.raw) {
            (Some(e), _) => e.clone(),
            (None, Some(raw)) => serde_json::from_str(raw).ok()?,
            _ => return None,
        };
        envelope
            .get("id")
            .filter(|id| !id.is_null())
            .map(Value::to_string)
    }
}

/// Sends every probe as a raw entry to a server of `lang` and returns, per probe, the shape of
/// its reply (`null` for none).
pub(crate) fn probe_server(
    root: &Path,
    backend: &Backend,
    lang: &str,
    probes: &[Probe],
) -> Result<Vec<Value>, String> {
    let cell = Cell {
        root,
        backend,
        client_lang: "none",
        server_lang: lang,
        prefix: unique_prefix(&format!("probe-{lang}")),
    };
    let spec = ServerSpec {
        contract: json!(["arith", "notifications"]),
        ..ServerSpec::default()
    };
    let server = cell.start_server(&spec, 0)?;
    let stream = format!("{}:cmds:arith", cell.prefix);
    let replies = format!("{}:replies:probe", cell.prefix);
    let sentinel = json!({"jsonrpc": "2.0", "method": "arith.add", "params": {"a": 0, "b": 0}, "id": "p-sentinel"});
    let entries = probes
        .iter()
        .map(|p| {
            (
                p.no_envelope,
                p.no_reply_to,
                p.raw
                    .clone()
                    .or_else(|| p.envelope.as_ref().map(Value::to_string)),
            )
        })
        .chain([(false, false, Some(sentinel.to_string()))]);
    for (no_envelope, no_reply_to, text) in entries {
        let mut args = vec![
            "XADD".to_owned(),
            stream.clone(),
            "*".to_owned(),
            "type".to_owned(),
            "rpc".to_owned(),
        ];
        if !no_envelope {
            args.extend(["envelope".to_owned(), text.unwrap_or_default()]);
        }
        if !no_reply_to {
            args.extend(["reply-to".to_owned(), replies.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        backend.cli(&stream, &args);
    }
    // Python handles entries in order: once the sentinel is answered, so is everything before it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let by_id = loop {
        let by_id: HashMap<String, Value> = backend
            .cli(&replies, &["XRANGE", &replies, "-", "+"])
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(Value::is_object)
            .map(|reply| (reply["id"].to_string(), reply))
            .collect();
        if by_id.contains_key("\"p-sentinel\"") || Instant::now() > deadline {
            break by_id;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    server.terminate();
    server.wait_or_kill();
    cell.cleanup();
    if !by_id.contains_key("\"p-sentinel\"") {
        return Err(format!("{lang} server never answered the sentinel"));
    }
    Ok(probes
        .iter()
        .map(|p| {
            p.id_key()
                .and_then(|id| by_id.get(&id))
                .map_or(Value::Null, reply_shape)
        })
        .collect())
}

/// What is compared of a reply: the result, or the error's code, message and the shape of its data
/// (the `loc`s of `data.errors`, else the keys of an object).
pub(crate) fn reply_shape(reply: &Value) -> Value {
    if let Some(result) = reply.get("result") {
        return json!({ "result": result });
    }
    let error = &reply["error"];
    let data = &error["data"];
    let shape = if let Some(errors) = data.get("errors").and_then(Value::as_array) {
        json!({ "errors.loc": errors.iter().map(|e| e["loc"].clone()).collect::<Vec<_>>() })
    } else if let Some(obj) = data.as_object() {
        json!({ "keys": obj.keys().collect::<Vec<_>>() })
    } else {
        data.clone()
    };
    json!({ "code": error["code"], "message": error["message"], "data": shape })
}

/// The wire probes: the same raw entries to a Python and a Rust server; every difference must be
/// one the probe file names as deliberate.
pub(crate) fn wire_probes(root: &Path, backend: &Backend) -> Result<usize, String> {
    let text = std::fs::read_to_string(root.join("interop/wire-probes.json"))
        .map_err(|e| e.to_string())?;
    let file: ProbeFile =
        serde_json::from_str(&text).map_err(|e| format!("wire-probes.json: {e}"))?;
    let python = probe_server(root, backend, "python", &file.probes)?;
    let rust = probe_server(root, backend, "rust", &file.probes)?;
    println!("\nwire probes (raw entries; reply shape from the Python server / the Rust server):");
    let mut failures = 0;
    for ((probe, p), r) in file.probes.iter().zip(&python).zip(&rust) {
        let show = |v: &Value| {
            if v.is_null() {
                "no reply".to_owned()
            } else {
                v.to_string()
            }
        };
        let same = json_equal(p, r);
        let verdict = match (same, &probe.deliberate) {
            (true, _) => "same".to_owned(),
            (false, Some(why)) => format!("differs, deliberately: {why}"),
            (false, None) => {
                failures += 1;
                "DIFFERS".to_owned()
            }
        };
        println!("  {:<30} {verdict}", probe.name);
        if !same || !p.is_null() {
            println!("      python: {}\n      rust:   {}", show(p), show(r));
        }
    }
    Ok(failures)
}
