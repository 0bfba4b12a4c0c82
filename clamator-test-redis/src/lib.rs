//! A private `redis-server` for a test: started on a free loopback port (never 6379, never
//! shared), without persistence, and killed when the handle drops, even when the test panics; a
//! small watchdog kills it too if the test process dies without dropping it. Also a TLS-only
//! server with certificates made at test time, and a local Redis Cluster.
//!
//! `./scripts/test` installs `redis-server` when it is missing. Without it, [`RedisServer::start`]
//! panics with a message that says so: a test that needs Redis never passes without one.
//!
//! [`recorder`] holds a `metrics` recorder whose values a test can read back.

pub mod recorder;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server` owned by the caller.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
    /// Kills the server if this process dies without dropping the handle (an abort, a SIGKILL,
    /// a test runner's timeout), so that no server outlives its test run.
    watchdog: Option<Child>,
    dir: PathBuf,
    /// Arguments beside the port and the persistence settings (TLS, cluster mode).
    extra: Vec<String>,
    tls: bool,
    /// What `redis-cli` needs beside the port (TLS and its certificates).
    cli_args: Vec<String>,
}

impl RedisServer {
    /// Starts a server on a free loopback port and waits until it answers `PING`.
    pub fn start() -> Self {
        Self::start_with(free_port(), Vec::new(), false)
    }

    /// Starts a server that speaks only TLS (`--port 0 --tls-port <port>`), with the server
    /// certificate of `certs`; with `mutual`, clients must present a certificate of its CA.
    pub fn start_tls(certs: &Certificates, mutual: bool) -> Self {
        let path = |p: &PathBuf| p.display().to_string();
        let port = free_port();
        let extra = vec![
            "--port".to_owned(),
            "0".to_owned(),
            "--tls-port".to_owned(),
            port.to_string(),
            "--tls-cert-file".to_owned(),
            path(&certs.server_cert),
            "--tls-key-file".to_owned(),
            path(&certs.server_key),
            "--tls-ca-cert-file".to_owned(),
            path(&certs.ca_cert),
            "--tls-auth-clients".to_owned(),
            (if mutual { "yes" } else { "no" }).to_owned(),
        ];
        let mut server = Self::start_with(port, extra, true);
        server.cli_args = ["--tls", "--cacert"].map(str::to_owned).to_vec();
        server.cli_args.push(path(&certs.ca_cert));
        if mutual {
            server.cli_args.extend([
                "--cert".to_owned(),
                path(&certs.client_cert),
                "--key".to_owned(),
                path(&certs.client_key),
            ]);
        }
        server
    }

    fn start_with(port: u16, extra: Vec<String>, tls: bool) -> Self {
        let dir = std::env::temp_dir().join(format!("clamator-redis-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create the redis-server working directory");
        let mut server = Self {
            port,
            child: None,
            watchdog: None,
            dir,
            extra,
            tls,
            cli_args: Vec::new(),
        };
        server.spawn();
        server
    }

    /// `redis://127.0.0.1:<port>` (`rediss://` for a TLS server).
    pub fn url(&self) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server at once (SIGKILL): every connection drops and, without persistence, every
    /// key and consumer group is gone.
    pub fn kill(&mut self) {
        for mut child in [self.child.take(), self.watchdog.take()]
            .into_iter()
            .flatten()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Runs a command through `redis-cli` and returns its output: for tests that inspect or
    /// poison the streams without going through the code under test.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(&self.cli_args)
            .args(args)
            .output()
            .expect("redis-cli runs (./scripts/test installs it with redis-server)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn spawn(&mut self) {
        let port = self.port.to_string();
        let port_args: &[&str] = if self.tls { &[] } else { &["--port", &port] };
        let child = Command::new("redis-server")
            .args(port_args)
            .args(&self.extra)
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--loglevel", "warning", "--daemonize", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): the Redis tests need it on PATH; \
                     ./scripts/test installs it (apt-get install redis-server)"
                )
            });
        let watch = format!(
            "while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill -9 {server} 2>/dev/null; rm -rf '{dir}'",
            parent = std::process::id(),
            server = child.id(),
            dir = self.dir.display(),
        );
        self.watchdog = Command::new("sh")
            .args(["-c", &watch])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            // A TLS server cannot be pinged in plain text: that it accepts connections will do.
            let up = if self.tls {
                TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok()
            } else {
                ping(self.port)
            };
            if up {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "redis-server on port {} did not answer PING within 10 s",
            self.port
        );
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A test CA and certificates it signed, made with `openssl` at test time: a server
/// certificate for `127.0.0.1` and `localhost`, and a client certificate for mutual TLS.
#[derive(Debug)]
pub struct Certificates {
    dir: PathBuf,
    /// The CA's certificate (PEM): what clients trust.
    pub ca_cert: PathBuf,
    /// The server's certificate (PEM).
    pub server_cert: PathBuf,
    /// The server's key (PEM).
    pub server_key: PathBuf,
    /// A client certificate (PEM) the CA signed.
    pub client_cert: PathBuf,
    /// Its key (PEM).
    pub client_key: PathBuf,
}

impl Certificates {
    /// Makes a CA and the two certificates in a fresh directory (P-256 keys: fast to make).
    pub fn generate() -> Self {
        let dir = std::env::temp_dir().join(format!("clamator-tls-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create the certificates directory");
        let at = |name: &str| dir.join(name);
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run openssl ({e}): the TLS tests make their certificates with it; ./scripts/test installs it")
                });
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let key = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509"],
                &key[..],
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.crt",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=clamator test CA",
                ],
            ]
            .concat(),
        );
        for (name, ext) in [
            (
                "server",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
            ),
            ("client", "extendedKeyUsage=clientAuth\n"),
        ] {
            let (csr, crt, key_file, ext_file) = (
                format!("{name}.csr"),
                format!("{name}.crt"),
                format!("{name}.key"),
                format!("{name}.ext"),
            );
            std::fs::write(at(&ext_file), ext).expect("write the extensions file");
            openssl(
                &[
                    &["req"],
                    &key[..],
                    &[
                        "-keyout",
                        &key_file,
                        "-out",
                        &csr,
                        "-subj",
                        &format!("/CN=clamator test {name}"),
                    ],
                ]
                .concat(),
            );
            openssl(&[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &crt,
                "-days",
                "2",
                "-extfile",
                &ext_file,
            ]);
        }
        Self {
            ca_cert: at("ca.crt"),
            server_cert: at("server.crt"),
            server_key: at("server.key"),
            client_cert: at("client.crt"),
            client_key: at("client.key"),
            dir,
        }
    }
}

impl Drop for Certificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A local Redis Cluster: `masters` servers in cluster mode, each with `replicas` replicas,
/// the slots spread by `redis-cli --cluster create`. A master that dies is replaced by one of
/// its replicas within about a second (`cluster-node-timeout 1000`).
#[derive(Debug)]
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Starts the nodes, forms the cluster and waits until every node says it is `ok`.
    pub fn start(masters: usize, replicas: usize) -> Self {
        let count = masters * (1 + replicas);
        let nodes: Vec<RedisServer> = (0..count)
            .map(|_| {
                let port = free_cluster_port();
                let extra = [
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    &format!("nodes-{port}.conf"),
                    "--cluster-node-timeout",
                    "1000",
                    // A replica syncs at once (not after the default 5 s wait for more
                    // replicas) and may replace its master however long it was apart from it.
                    "--repl-diskless-sync-delay",
                    "0",
                    "--cluster-replica-validity-factor",
                    "0",
                ]
                .map(str::to_owned)
                .to_vec();
                RedisServer::start_with(port, extra, false)
            })
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"])
            .output()
            .expect("redis-cli runs (./scripts/test installs it with redis-server)");
        assert!(
            out.status.success(),
            "redis-cli --cluster create: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let cluster = Self { nodes };
        // A replica that has not synced with its master yet would refuse to replace it: wait
        // for the replication links too.
        let ready = |n: &RedisServer| {
            n.cli(&["cluster", "info"]).contains("cluster_state:ok") && {
                let replication = n.cli(&["info", "replication"]);
                replication.contains("role:master") || replication.contains("master_link_status:up")
            }
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !cluster.nodes.iter().all(ready) {
            assert!(
                Instant::now() < deadline,
                "the cluster did not become ok within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        cluster
    }

    /// `redis://127.0.0.1:<port>` of every node: seed nodes for a cluster client.
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    /// The node at `index`.
    pub fn node(&self, index: usize) -> &RedisServer {
        &self.nodes[index]
    }

    /// Every node, masters and replicas, dead or alive.
    pub fn nodes(&self) -> &[RedisServer] {
        &self.nodes
    }

    /// Runs a command through `redis-cli` on the master that holds `key` (empty output when
    /// none does).
    pub fn cli_for(&self, key: &str, args: &[&str]) -> String {
        self.master_of(key)
            .map(|m| self.nodes[m].cli(args))
            .unwrap_or_default()
    }

    /// The index of the live master that holds `key`'s slot (the others answer `MOVED`).
    pub fn master_of(&self, key: &str) -> Option<usize> {
        self.nodes.iter().position(|n| {
            n.child.is_some() && n.cli(&["cluster", "info"]).contains("cluster_state:ok") && {
                let reply = n.cli(&["type", key]);
                !reply.is_empty() && !reply.starts_with("MOVED") && !reply.contains("CLUSTERDOWN")
            }
        })
    }

    /// Kills the node at `index` (SIGKILL).
    pub fn kill(&mut self, index: usize) {
        self.nodes[index].kill();
    }
}

/// A free port whose cluster bus port (port + 10000) is a valid port too.
fn free_cluster_port() -> u16 {
    loop {
        let port = free_port();
        if port < 55_000 && TcpListener::bind((Ipv4Addr::LOCALHOST, port + 10_000)).is_ok() {
            return port;
        }
    }
}

/// A key prefix no other test run uses.
pub fn unique_prefix(name: &str) -> String {
    format!(
        "test-{name}-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

fn free_port() -> u16 {
    loop {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        if port != 6379 {
            return port;
        }
    }
}

fn ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut buf).is_ok()
        && &buf == b"+PONG\r\n"
}
