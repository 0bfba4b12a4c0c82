//! The interop matrix: every scenario of `interop/scenarios/` in every direction (client → server:
//! Rust → Rust, Rust → Python, Python → Rust, and Python → Python as the control), each on a fresh
//! key prefix of one private redis-server. Drivers are the executables under `interop/drivers/`.
//! Prints a table and exits 1 when any cell fails.
//!
//! Then the wire probes (`interop/wire-probes.json`): raw entries to a Python and a Rust server,
//! whose replies must not differ except where the probe file says why.
//!
//! `cargo run -p clamator-interop --bin interop-runner [-- <scenario>|wire-probes …]`, after
//! `./scripts/interop-venv` (what `./scripts/test` does).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clamator_test_redis::{RedisServer, unique_prefix};
use serde::Deserialize;
use serde_json::{Value, json};

const LANGUAGES: [&str; 2] = ["rust", "python"];
const READY_TIMEOUT: Duration = Duration::from_secs(20);
const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);
/// Handlers count after the client got its answer (a notification has none): wait this long.
const HANDLED_SETTLE: Duration = Duration::from_secs(3);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Scenario {
    name: String,
    #[serde(default)]
    check: Option<String>,
    /// For `"check": "fixture-service"`: which fixture service.
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    servers: Vec<ServerSpec>,
    #[serde(default)]
    kill_first_server_once_taken: Option<String>,
    #[serde(default)]
    client: Value,
    #[serde(default)]
    expect: Expect,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ServerSpec {
    contract: Value,
    consumer_claim_idle_ms: Option<u64>,
    #[serde(default)]
    handler_delay_ms: u64,
    #[serde(default)]
    start_after_kill: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Expect {
    #[serde(default)]
    results: Vec<Value>,
    handled: Option<Vec<usize>>,
    handled_at_least_each: Option<usize>,
    handled_total: Option<usize>,
}

/// A running server driver: its process and the last `HANDLED:<n>` it printed.
struct ServerProcess {
    child: Child,
    handled: Arc<Mutex<usize>>,
    stderr: Arc<Mutex<String>>,
}

impl ServerProcess {
    fn handled(&self) -> usize {
        *self.handled.lock().unwrap()
    }

    fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// After [`terminate`](Self::terminate): waits for a graceful exit, then SIGKILLs.
    fn wait_or_kill(mut self) {
        let deadline = Instant::now() + Duration::from_secs(8);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Cell<'a> {
    root: &'a Path,
    redis: &'a RedisServer,
    client_lang: &'a str,
    server_lang: &'a str,
    prefix: String,
}

impl Cell<'_> {
    fn driver(&self, lang: &str, side: &str) -> PathBuf {
        self.root.join("interop/drivers").join(lang).join(side)
    }

    /// Starts `interop/drivers/<lang>/<side>` and hands it `config` on stdin, then closes stdin.
    fn spawn_driver(&self, lang: &str, side: &str, config: &Value) -> Result<Child, String> {
        let path = self.driver(lang, side);
        let mut child = Command::new(&path)
            .current_dir(self.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(config.to_string().as_bytes())
            .map_err(|e| format!("{lang} {side} stdin: {e}"))?;
        Ok(child)
    }

    fn start_server(&self, spec: &ServerSpec, index: usize) -> Result<ServerProcess, String> {
        self.start_server_with(spec, index, json!({}))
    }

    /// [`start_server`](Self::start_server) with more config keys.
    fn start_server_with(
        &self,
        spec: &ServerSpec,
        index: usize,
        extra: Value,
    ) -> Result<ServerProcess, String> {
        let mut config = json!({
            "contract": spec.contract,
            "redisUrl": self.redis.url(),
            "keyPrefix": self.prefix,
            "instanceId": format!("{}-{}-s{index}", self.server_lang, self.prefix),
            "handlerDelayMs": spec.handler_delay_ms,
        });
        if let Some(ms) = spec.consumer_claim_idle_ms {
            config["consumerClaimIdleMs"] = json!(ms);
        }
        for (k, v) in extra.as_object().into_iter().flatten() {
            config[k.as_str()] = v.clone();
        }
        let mut child = self.spawn_driver(self.server_lang, "server", &config)?;
        let handled = Arc::new(Mutex::new(0));
        let stderr_text = Arc::new(Mutex::new(String::new()));
        let (h, t, stderr) = (
            Arc::clone(&handled),
            Arc::clone(&stderr_text),
            child.stderr.take().unwrap(),
        );
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                match line
                    .strip_prefix("HANDLED:")
                    .and_then(|n| n.trim().parse().ok())
                {
                    Some(n) => {
                        let mut h = h.lock().unwrap();
                        *h = (*h).max(n);
                    }
                    None => {
                        let mut t = t.lock().unwrap();
                        t.push_str(&line);
                        t.push('\n');
                    }
                }
            }
        });
        let (ready_tx, ready_rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "READY" {
                    let _ = ready_tx.send(());
                }
            }
        });
        let server = ServerProcess {
            child,
            handled,
            stderr: stderr_text,
        };
        match ready_rx.recv_timeout(READY_TIMEOUT) {
            Ok(()) => Ok(server),
            Err(_) => Err(format!(
                "{} server {index} not READY in {READY_TIMEOUT:?}: {}",
                self.server_lang,
                tail(&server.stderr.lock().unwrap())
            )),
        }
    }

    fn start_client(
        &self,
        client: &Value,
    ) -> Result<mpsc::Receiver<Result<Value, String>>, String> {
        let mut config = client.clone();
        config["redisUrl"] = json!(self.redis.url());
        config["keyPrefix"] = json!(self.prefix);
        let mut child = self.spawn_driver(self.client_lang, "client", &config)?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = String::new();
            let mut err = String::new();
            let _ = child.stdout.take().unwrap().read_to_string(&mut out);
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            let status = child.wait();
            let parsed = serde_json::from_str::<Value>(out.trim()).map_err(|e| {
                format!(
                    "client printed no results ({e}; {status:?}): {}",
                    tail(&err)
                )
            });
            let _ = tx.send(parsed);
        });
        Ok(rx)
    }

    fn pending(&self, service: &str) -> usize {
        let stream = format!("{}:cmds:{service}", self.prefix);
        self.redis
            .cli(&["XPENDING", &stream, service])
            .lines()
            .next()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    }

    fn cleanup(&self) {
        let script = "for _,k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end";
        self.redis
            .cli(&["EVAL", script, "0", &format!("{}:*", self.prefix)]);
    }

    fn run(&self, scenario: &Scenario) -> Result<(), String> {
        let result = self.run_processes(scenario);
        self.cleanup();
        result
    }

    fn run_processes(&self, scenario: &Scenario) -> Result<(), String> {
        let mut servers = Vec::new();
        for (i, spec) in scenario.servers.iter().enumerate() {
            if !spec.start_after_kill {
                servers.push((i, self.start_server(spec, i)?));
            }
        }
        let client = self.start_client(&scenario.client)?;
        let mut killed = None;
        if let Some(service) = &scenario.kill_first_server_once_taken {
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.pending(service) == 0 {
                if Instant::now() > deadline {
                    return Err("the first server never took the call".to_owned());
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let (i, mut victim) = servers.remove(0);
            victim.child.kill().map_err(|e| format!("SIGKILL: {e}"))?;
            let _ = victim.child.wait();
            killed = Some((i, victim.handled()));
            for (i, spec) in scenario.servers.iter().enumerate() {
                if spec.start_after_kill {
                    servers.push((i, self.start_server(spec, i)?));
                }
            }
        }
        let results = match client.recv_timeout(CLIENT_TIMEOUT) {
            Ok(results) => results?,
            Err(_) => return Err(format!("client gave no results in {CLIENT_TIMEOUT:?}")),
        };
        let verdict = check_results(&scenario.expect.results, &results["results"])
            .and_then(|()| self.check_handled(&scenario.expect, &servers, killed));
        let stderr: Vec<String> = servers
            .iter()
            .map(|(_, s)| s.stderr.lock().unwrap().clone())
            .collect();
        for (_, server) in &servers {
            server.terminate();
        }
        for (_, server) in servers {
            server.wait_or_kill();
        }
        verdict.map_err(|e| match stderr.iter().find(|s| !s.trim().is_empty()) {
            Some(log) => format!("{e} (server log: {})", tail(log)),
            None => e,
        })
    }

    fn check_handled(
        &self,
        expect: &Expect,
        servers: &[(usize, ServerProcess)],
        killed: Option<(usize, usize)>,
    ) -> Result<(), String> {
        let counts = || {
            let mut counts = vec![0; servers.len() + usize::from(killed.is_some())];
            for (i, s) in servers {
                counts[*i] = s.handled();
            }
            if let Some((i, n)) = killed {
                counts[i] = n;
            }
            counts
        };
        let satisfied = |c: &[usize]| -> Result<(), String> {
            if let Some(want) = &expect.handled {
                if c != want.as_slice() {
                    return Err(format!("handled per server {c:?}, expected {want:?}"));
                }
            }
            if let Some(min) = expect.handled_at_least_each {
                if c.iter().any(|n| *n < min) {
                    return Err(format!("handled per server {c:?}, expected each ≥ {min}"));
                }
            }
            if let Some(total) = expect.handled_total {
                if c.iter().sum::<usize>() != total {
                    return Err(format!("handled per server {c:?}, expected {total} in all"));
                }
            }
            Ok(())
        };
        let deadline = Instant::now() + HANDLED_SETTLE;
        loop {
            let c = counts();
            match satisfied(&c) {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() > deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

/// Each expected key must match: `messageContains` as a substring of `message`, anything else by
/// JSON equality with numbers compared by value (a Python peer sends `5.0` for a `number` 5).
fn check_results(expected: &[Value], actual: &Value) -> Result<(), String> {
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
                _ => json_eq(value, &got[key.as_str()]),
            };
            if !ok {
                return Err(format!("call {i}: expected {key} {value}, got {got}"));
            }
        }
    }
    Ok(())
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// schema-hash: the manifest exports byte-identical twice and equals the committed one; where a
/// side is Rust, generating twice gives the same files, they are the committed ones, and every
/// hash of the manifest is recorded in them.
fn schema_hash(root: &Path, rust_side: bool) -> Result<(), String> {
    let committed_path = root.join("interop/contracts.schema.json");
    let committed = std::fs::read(&committed_path).map_err(|e| format!("{e}"))?;
    let tmp = std::env::temp_dir().join(format!("clamator-interop-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let mut exports = Vec::new();
    for i in 0..2 {
        let out = tmp.join(format!("m{i}.json"));
        let run = Command::new("node")
            .arg(root.join("clamator-manifest/bin/clamator-manifest.mjs"))
            .arg("--src")
            .arg(root.join("interop/contracts"))
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|e| format!("node: {e}"))?;
        if !run.status.success() {
            return Err(format!(
                "clamator-manifest failed ({}): {}",
                run.status,
                tail(&String::from_utf8_lossy(&run.stderr))
            ));
        }
        exports.push(std::fs::read(&out).map_err(|e| e.to_string())?);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    if exports[0] != exports[1] {
        return Err("two manifest exports differ".to_owned());
    }
    if exports[0] != committed {
        return Err("interop/contracts.schema.json is not what the contracts export".to_owned());
    }
    if !rust_side {
        return Ok(());
    }
    let generate = || clamator_codegen_rs::generate("contracts.schema.json", &committed);
    let (first, second) = (
        generate().map_err(|e| e.to_string())?,
        generate().map_err(|e| e.to_string())?,
    );
    if first != second {
        return Err("two generations differ".to_owned());
    }
    let manifest: Value = serde_json::from_slice(&committed).map_err(|e| e.to_string())?;
    let generated = root.join("interop/rust/src/generated");
    let mut all_text = String::new();
    for file in &first {
        let on_disk = std::fs::read_to_string(generated.join(&file.name)).unwrap_or_default();
        if on_disk != file.contents {
            return Err(format!("interop/rust/src/generated/{} is stale", file.name));
        }
        all_text.push_str(&file.contents);
    }
    for (service, methods) in manifest["contracts"].as_object().into_iter().flatten() {
        for (method, entry) in methods.as_object().into_iter().flatten() {
            for key in ["paramsHash", "resultHash"] {
                if let Some(hash) = entry[key].as_str() {
                    if !all_text.contains(hash) {
                        return Err(format!(
                            "{service}.{method} {key} {hash} not in generated code"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct ProbeFile {
    probes: Vec<Probe>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    name: String,
    #[serde(default)]
    envelope: Option<Value>,
    #[serde(default)]
    raw: Option<String>,
    #[serde(default)]
    no_envelope: bool,
    #[serde(default)]
    no_reply_to: bool,
    #[serde(default)]
    deliberate: Option<String>,
}

impl Probe {
    /// The reply's id as JSON text, when the envelope has one.
    fn id_key(&self) -> Option<String> {
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
fn probe_server(
    root: &Path,
    redis: &RedisServer,
    lang: &str,
    probes: &[Probe],
) -> Result<Vec<Value>, String> {
    let cell = Cell {
        root,
        redis,
        client_lang: "none",
        server_lang: lang,
        prefix: unique_prefix(&format!("probe-{lang}")),
    };
    let spec = ServerSpec {
        contract: json!(["arith", "notifications"]),
        consumer_claim_idle_ms: None,
        handler_delay_ms: 0,
        start_after_kill: false,
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
        redis.cli(&args);
    }
    // Python handles entries in order: once the sentinel is answered, so is everything before it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let by_id = loop {
        let by_id: HashMap<String, Value> = redis
            .cli(&["XRANGE", &replies, "-", "+"])
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
fn reply_shape(reply: &Value) -> Value {
    if let Some(result) = reply.get("result") {
        return json!({ "result": normalize_numbers(result) });
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

fn normalize_numbers(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(normalize_numbers).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), normalize_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The wire probes: the same raw entries to a Python and a Rust server; every difference must be
/// one the probe file names as deliberate.
fn wire_probes(root: &Path, redis: &RedisServer) -> Result<usize, String> {
    let text = std::fs::read_to_string(root.join("interop/wire-probes.json"))
        .map_err(|e| e.to_string())?;
    let file: ProbeFile =
        serde_json::from_str(&text).map_err(|e| format!("wire-probes.json: {e}"))?;
    let python = probe_server(root, redis, "python", &file.probes)?;
    let rust = probe_server(root, redis, "rust", &file.probes)?;
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
        let verdict = match (p == r, &probe.deliberate) {
            (true, _) => "same".to_owned(),
            (false, Some(why)) => format!("differs, deliberately: {why}"),
            (false, None) => {
                failures += 1;
                "DIFFERS".to_owned()
            }
        };
        println!("  {:<30} {verdict}", probe.name);
        if p != r || !p.is_null() {
            println!("      python: {}\n      rust:   {}", show(p), show(r));
        }
    }
    Ok(failures)
}

/// One params sample of a fixture service and what a cell made of it.
struct SampleOutcome {
    method: String,
    label: String,
    /// The JSON Schema's verdict: `accepted` or `rejected`.
    schema: &'static str,
    outcome: String,
}

/// Calls every method of a fixture service with every params sample (notifications: the valid
/// ones). Fails when a valid sample is not answered; records every outcome.
fn fixture_cell(cell: &Cell, service: &str) -> Result<Vec<SampleOutcome>, String> {
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
                .and_then(|r| r.iter().find(|s| s["jsonSchema"] == json!(true)))
                .ok_or_else(|| format!("{method}: no valid result sample"))?;
            canned.insert(method.clone(), result["value"].clone());
        }
        for sample in method_samples["params"].as_array().into_iter().flatten() {
            let valid = sample["jsonSchema"] == json!(true);
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
                outcome: String::new(),
            });
        }
    }
    let spec = ServerSpec {
        contract: json!(service),
        consumer_claim_idle_ms: None,
        handler_delay_ms: 0,
        start_after_kill: false,
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
            Some("result") if expected.is_some_and(|e| json_eq(e, &got["result"])) => {
                "accepted".to_owned()
            }
            Some("result") => format!("accepted, result differs: {}", got["result"]),
            Some("rpc-error") if got["code"] == json!(-32602) => "rejected".to_owned(),
            _ => format!("{} {} {}", got["kind"], got["code"], got["message"]),
        };
        // A valid call must be answered; how the answer's values are spelled is compared across
        // servers with the reviewed differences instead.
        if row.schema == "accepted" && !row.outcome.starts_with("accepted") {
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

/// Every sample where some cell disagrees with the JSON Schema, with each cell's outcome: what the
/// runner compares with the reviewed list in `interop/fixture-differences.txt`.
fn fixture_differences(service: &str, cells: &[(String, Vec<SampleOutcome>)]) -> String {
    let mut out = format!(
        "# {service}: params samples on which a server's verdict differs from the JSON Schema's.\n\
         # Columns: method | sample | schema | {}\n",
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
fn compare_fixture_differences(
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

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn repo_root() -> PathBuf {
    let from_crate = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    from_crate.canonicalize().unwrap_or(from_crate)
}

fn main() {
    let root = repo_root();
    let only: Vec<String> = std::env::args().skip(1).collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("interop/scenarios"))
        .expect("interop/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let scenarios: Vec<Scenario> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read scenario");
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a scenario: {e}", p.display()))
        })
        .filter(|s: &Scenario| only.is_empty() || only.contains(&s.name))
        .collect();
    let redis = RedisServer::start();
    let directions: Vec<(&str, &str)> = LANGUAGES
        .iter()
        .flat_map(|c| LANGUAGES.iter().map(move |s| (*c, *s)))
        .collect();
    let mut rows = Vec::new();
    let mut failures = 0;
    let started = Instant::now();
    for scenario in &scenarios {
        let mut cells = Vec::new();
        let mut fixture_rows = Vec::new();
        for (client_lang, server_lang) in &directions {
            let t = Instant::now();
            let cell = || Cell {
                root: &root,
                redis: &redis,
                client_lang,
                server_lang,
                prefix: unique_prefix(&format!("interop-{}", scenario.name)),
            };
            let outcome = match scenario.check.as_deref() {
                Some("schema-hash") => {
                    schema_hash(&root, *client_lang == "rust" || *server_lang == "rust")
                }
                Some("fixture-service") => {
                    let service = scenario.service.as_deref().unwrap_or_default();
                    fixture_cell(&cell(), service).map(|rows| {
                        fixture_rows.push((format!("{client_lang}→{server_lang}"), rows));
                    })
                }
                Some(other) => Err(format!("unknown check {other:?}")),
                None => cell().run(scenario),
            };
            let label = format!("{client_lang}→{server_lang}");
            match &outcome {
                Ok(()) => eprintln!(
                    "  {:<20} {label:<15} pass ({:.1} s)",
                    scenario.name,
                    t.elapsed().as_secs_f64()
                ),
                Err(why) => {
                    failures += 1;
                    eprintln!("  {:<20} {label:<15} FAIL: {why}", scenario.name);
                }
            }
            cells.push(outcome);
        }
        if fixture_rows.len() == directions.len() {
            let service = scenario.service.as_deref().unwrap_or_default();
            if let Err(why) = compare_fixture_differences(&root, service, &fixture_rows) {
                failures += 1;
                eprintln!("  {:<20} differences     FAIL: {why}", scenario.name);
                cells.push(Err(why));
            }
        }
        rows.push((scenario.name.clone(), cells));
    }
    print_table(&directions, &rows);
    let run_probes = only.is_empty() || only.iter().any(|o| o == "wire-probes");
    let probe_failures = if run_probes {
        match wire_probes(&root, &redis) {
            Ok(n) => n,
            Err(e) => {
                println!("wire probes: FAIL: {e}");
                1
            }
        }
    } else {
        0
    };
    let total = rows.len() * directions.len();
    println!("\nmatrix took {:.1} s", started.elapsed().as_secs_f64());
    println!("interop: {} passed, {failures} failed", total - failures);
    if probe_failures > 0 {
        println!("wire probes: {probe_failures} unexplained difference(s)");
    }
    if failures > 0 || probe_failures > 0 || (rows.is_empty() && !run_probes) {
        std::process::exit(1);
    }
}

fn print_table(directions: &[(&str, &str)], rows: &[(String, Vec<Result<(), String>>)]) {
    print!("\n{:<20}", "scenario (client→server)");
    for (c, s) in directions {
        print!(" | {:<15}", format!("{c}→{s}"));
    }
    println!();
    println!("{}", "-".repeat(20 + directions.len() * 18));
    for (name, cells) in rows {
        print!("{name:<20}    ");
        for cell in cells {
            print!(" | {:<15}", if cell.is_ok() { "pass" } else { "FAIL" });
        }
        println!();
    }
    for (name, cells) in rows {
        for ((c, s), cell) in directions.iter().zip(cells) {
            if let Err(why) = cell {
                println!("  {name} {c}→{s}: {why}");
            }
        }
    }
}
