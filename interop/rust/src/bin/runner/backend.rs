//! What the matrix runs over: one redis-server, the same over TLS (a CA and certificates made
//! for the run), or a local three-master Redis Cluster. Each tells the drivers where to connect
//! and lets the runner look into the streams.

use clamator_test_redis::{Certificates, RedisCluster, RedisServer};
use serde_json::{Value, json};

/// Which of the three a backend is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Plain,
    Tls,
    Cluster,
}

impl Kind {
    /// How the matrix names a row: scenario `s` runs as `s` (plain), `s@tls`, `s@cluster`.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Kind::Plain => "",
            Kind::Tls => "@tls",
            Kind::Cluster => "@cluster",
        }
    }

    /// Whether scenario `name` runs over it. Every scenario runs plain; over TLS, a call and its
    /// errors (TLS is the connection's business: the streams are the same); over the cluster
    /// also load, a worker pool and a killed server's call reclaimed, whose streams and groups
    /// live on other masters than the replies.
    pub(crate) fn runs(self, name: &str) -> bool {
        match self {
            Kind::Plain => true,
            Kind::Tls => ["basic-call", "error-mapping"].contains(&name),
            Kind::Cluster => [
                "basic-call",
                "concurrent-calls",
                "worker-pool",
                "crash-recovery",
            ]
            .contains(&name),
        }
    }
}

pub(crate) enum Backend {
    Plain(RedisServer),
    Tls {
        server: RedisServer,
        certs: Certificates,
    },
    Cluster(RedisCluster),
}

impl Backend {
    pub(crate) fn plain() -> Self {
        Backend::Plain(RedisServer::start())
    }

    pub(crate) fn tls() -> Self {
        let certs = Certificates::generate();
        let server = RedisServer::start_tls(&certs, false);
        Backend::Tls { server, certs }
    }

    pub(crate) fn cluster() -> Self {
        Backend::Cluster(RedisCluster::start(3, 0))
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Backend::Plain(_) => Kind::Plain,
            Backend::Tls { .. } => Kind::Tls,
            Backend::Cluster(_) => Kind::Cluster,
        }
    }

    /// The connection keys of a driver's config.
    pub(crate) fn connection(&self) -> Value {
        match self {
            Backend::Plain(server) => json!({"redisUrl": server.url()}),
            Backend::Tls { server, certs } => {
                json!({"redisUrl": server.url(), "tlsCaFile": certs.ca_cert})
            }
            Backend::Cluster(cluster) => json!({"redisCluster": cluster.urls()}),
        }
    }

    /// `redis-cli <args>` where `key` lives.
    pub(crate) fn cli(&self, key: &str, args: &[&str]) -> String {
        match self {
            Backend::Plain(server) | Backend::Tls { server, .. } => server.cli(args),
            Backend::Cluster(cluster) => cluster.cli_for(key, args),
        }
    }

    /// Deletes every key under `prefix`.
    pub(crate) fn delete_prefix(&self, prefix: &str) {
        // KEYS sees one node's keys, so the script deletes only keys of its own node.
        let script = "for _,k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end";
        let pattern = format!("{prefix}:*");
        let args = ["EVAL", script, "0", &pattern];
        match self {
            Backend::Plain(server) | Backend::Tls { server, .. } => {
                server.cli(&args);
            }
            Backend::Cluster(cluster) => {
                for node in cluster.nodes() {
                    node.cli(&args);
                }
            }
        }
    }
}
