//! One cell of the matrix: a scenario run with one client language against one server language,
//! on its own key prefix, through the driver executables.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::backend::Backend;
use crate::scenario::{Expect, Scenario, ServerSpec, check_results};
use crate::tail;

pub(crate) const READY_TIMEOUT: Duration = Duration::from_secs(20);
pub(crate) const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);
/// Handlers count after the client got its answer (a notification has none): wait this long.
pub(crate) const HANDLED_SETTLE: Duration = Duration::from_secs(3);

/// A running server driver: its process and the last `HANDLED:<n>` and `STARTED:<n>` it printed.
pub(crate) struct ServerProcess {
    pub(crate) child: Child,
    pub(crate) handled: Arc<Mutex<usize>>,
    pub(crate) started: Arc<Mutex<usize>>,
    pub(crate) stderr: Arc<Mutex<String>>,
}

impl ServerProcess {
    pub(crate) fn handled(&self) -> usize {
        *self.handled.lock().unwrap()
    }

    pub(crate) fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// After [`terminate`](Self::terminate): waits for a graceful exit, then SIGKILLs.
    pub(crate) fn wait_or_kill(mut self) {
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

pub(crate) struct Cell<'a> {
    pub(crate) root: &'a Path,
    pub(crate) backend: &'a Backend,
    pub(crate) client_lang: &'a str,
    pub(crate) server_lang: &'a str,
    pub(crate) prefix: String,
}

impl Cell<'_> {
    pub(crate) fn driver(&self, lang: &str, side: &str) -> PathBuf {
        self.root.join("interop/drivers").join(lang).join(side)
    }

    /// Starts `interop/drivers/<lang>/<side>` and hands it `config` on stdin, then closes stdin.
    pub(crate) fn spawn_driver(
        &self,
        lang: &str,
        side: &str,
        config: &Value,
    ) -> Result<Child, String> {
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

    pub(crate) fn start_server(
        &self,
        spec: &ServerSpec,
        index: usize,
    ) -> Result<ServerProcess, String> {
        self.start_server_with(spec, index, json!({}))
    }

    /// [`start_server`](Self::start_server) with more config keys.
    pub(crate) fn start_server_with(
        &self,
        spec: &ServerSpec,
        index: usize,
        extra: Value,
    ) -> Result<ServerProcess, String> {
        let lang = spec.lang.as_deref().unwrap_or(self.server_lang);
        let mut config = json!({
            "contract": spec.contract,
            "keyPrefix": self.prefix,
            "instanceId": self.instance_id(lang, index),
            "handlerDelayMs": spec.handler_delay_ms,
        });
        if let Some(ms) = spec.trim_command_streams_ms {
            config["trimCommandStreamsMs"] = json!(ms);
        }
        if let Some(ms) = spec.consumer_claim_idle_ms {
            config["consumerClaimIdleMs"] = json!(ms);
        }
        if let Some(max) = spec.max_in_flight {
            config["maxInFlight"] = json!(max);
        }
        merge(&mut config, &self.backend.connection());
        merge(&mut config, &extra);
        let mut child = self.spawn_driver(lang, "server", &config)?;
        let handled = Arc::new(Mutex::new(0));
        let started = Arc::new(Mutex::new(0));
        let stderr_text = Arc::new(Mutex::new(String::new()));
        let (h, st, t, stderr) = (
            Arc::clone(&handled),
            Arc::clone(&started),
            Arc::clone(&stderr_text),
            child.stderr.take().unwrap(),
        );
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let count = |prefix: &str| -> Option<usize> {
                    line.strip_prefix(prefix)
                        .and_then(|n| n.trim().parse().ok())
                };
                match (count("HANDLED:"), count("STARTED:")) {
                    (Some(n), _) => {
                        let mut h = h.lock().unwrap();
                        *h = (*h).max(n);
                    }
                    (None, Some(n)) => {
                        let mut st = st.lock().unwrap();
                        *st = (*st).max(n);
                    }
                    (None, None) => {
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
            started,
            stderr: stderr_text,
        };
        match ready_rx.recv_timeout(READY_TIMEOUT) {
            Ok(()) => Ok(server),
            Err(_) => Err(format!(
                "{lang} server {index} not READY in {READY_TIMEOUT:?}: {}",
                tail(&server.stderr.lock().unwrap())
            )),
        }
    }

    pub(crate) fn start_client(
        &self,
        client: &Value,
    ) -> Result<mpsc::Receiver<Result<Value, String>>, String> {
        let mut config = client.clone();
        merge(&mut config, &self.backend.connection());
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

    fn instance_id(&self, lang: &str, index: usize) -> String {
        format!("{lang}-{}-s{index}", self.prefix)
    }

    /// Whether the server at `index` (of language `lang`) holds an entry of `service`'s stream.
    pub(crate) fn holds(&self, service: &str, lang: &str, index: usize) -> bool {
        let stream = self.command_stream(service);
        let consumer = format!("{service}:{}", self.instance_id(lang, index));
        let pending = self.backend.cli(
            &stream,
            &["XPENDING", &stream, service, "-", "+", "1", &consumer],
        );
        !pending.trim().is_empty()
    }

    /// `startedTotal`: how many slow handlers began, across the servers still running.
    fn check_started(
        &self,
        expect: &Expect,
        servers: &[(usize, ServerProcess)],
    ) -> Result<(), String> {
        let Some(want) = expect.started_total else {
            return Ok(());
        };
        let got: usize = servers
            .iter()
            .map(|(_, s)| *s.started.lock().unwrap())
            .sum();
        match got == want {
            true => Ok(()),
            false => Err(format!("{got} slow handlers started, expected {want}")),
        }
    }

    /// `allAcknowledged`: every entry of the first server's service stream was delivered to its
    /// group and acknowledged (`lag` and `pending` 0 in `XINFO GROUPS`): a count of 0 handled
    /// then means skipped, not never read.
    fn check_acknowledged(&self, scenario: &Scenario) -> Result<(), String> {
        if !scenario.expect.all_acknowledged {
            return Ok(());
        }
        let service = scenario.servers[0].contract.as_str().unwrap_or("arith");
        let stream = self.command_stream(service);
        let info = self.backend.cli(&stream, &["XINFO", "GROUPS", &stream]);
        let lines: Vec<&str> = info.lines().map(str::trim).collect();
        let value = |key: &str| {
            lines
                .iter()
                .position(|l| *l == key)
                .and_then(|i| lines.get(i + 1))
                .copied()
        };
        match (value("pending"), value("lag")) {
            (Some("0"), Some("0")) => Ok(()),
            (pending, lag) => Err(format!(
                "entries not all read and acknowledged: pending {pending:?}, lag {lag:?}"
            )),
        }
    }

    /// `<prefix>:cmds:<service>`.
    fn command_stream(&self, service: &str) -> String {
        format!("{}:cmds:{service}", self.prefix)
    }

    /// `XGROUP CREATE <cmds> <service> $ MKSTREAM`, as the server `spec` would on its start.
    fn create_group(&self, spec: &ServerSpec) {
        let service = spec.contract.as_str().unwrap_or("arith");
        let stream = self.command_stream(service);
        self.backend.cli(
            &stream,
            &["XGROUP", "CREATE", &stream, service, "$", "MKSTREAM"],
        );
    }

    pub(crate) fn cleanup(&self) {
        self.backend.delete_prefix(&self.prefix);
    }

    pub(crate) fn run(&self, scenario: &Scenario) -> Result<(), String> {
        let result = self.run_processes(scenario);
        self.cleanup();
        result
    }

    pub(crate) fn run_processes(&self, scenario: &Scenario) -> Result<(), String> {
        let mut servers = Vec::new();
        for (i, spec) in scenario.servers.iter().enumerate() {
            if spec.start_after_client {
                self.create_group(spec);
            } else if !spec.start_after_kill {
                servers.push((i, self.start_server(spec, i)?));
            }
        }
        let client = self.start_client(&scenario.client)?;
        let mut killed = None;
        if let Some(service) = &scenario.kill_first_server_once_taken {
            let lang = scenario.servers[0]
                .lang
                .as_deref()
                .unwrap_or(self.server_lang);
            let deadline = Instant::now() + Duration::from_secs(10);
            while !self.holds(service, lang, 0) {
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
        for (i, spec) in scenario.servers.iter().enumerate() {
            if spec.start_after_client {
                servers.push((i, self.start_server(spec, i)?));
            }
        }
        if let Some(ms) = scenario.expect.settle_ms {
            std::thread::sleep(Duration::from_millis(ms));
        }
        let honoured = self.client_lang == "rust"
            && scenario
                .servers
                .iter()
                .all(|s| s.lang.as_deref().unwrap_or(self.server_lang) == "rust");
        let verdict = check_results(&scenario.expect.results, &results["results"])
            .and_then(|()| self.check_handled(&scenario.expect, &servers, killed, honoured))
            .and_then(|()| self.check_started(&scenario.expect, &servers))
            .and_then(|()| self.check_acknowledged(scenario));
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

    pub(crate) fn check_handled(
        &self,
        expect: &Expect,
        servers: &[(usize, ServerProcess)],
        killed: Option<(usize, usize)>,
        deadlines_honoured: bool,
    ) -> Result<(), String> {
        let handled = match &expect.handled_if_deadlines_honoured {
            Some(want) if deadlines_honoured => Some(want),
            _ => expect.handled.as_ref(),
        };
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
            if let Some(want) = handled {
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

/// Sets each key of `more` in `config`.
fn merge(config: &mut Value, more: &Value) {
    for (k, v) in more.as_object().into_iter().flatten() {
        config[k.as_str()] = v.clone();
    }
}
