//! Where a driver connects, from its config: `"redisUrl"` (`redis://` or `rediss://`), with
//! `"tlsCaFile"` (a PEM file) to trust a private CA, or `"redisCluster"`: the seed nodes of a
//! Redis Cluster instead of `"redisUrl"`.

use std::path::PathBuf;

use clamator_over_redis::RedisOptions;
use serde::Deserialize;

/// The connection keys of a driver's config.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// One Redis.
    #[serde(default)]
    pub redis_url: Option<String>,
    /// The CA that signed a `rediss://` server's certificate.
    #[serde(default)]
    pub tls_ca_file: Option<PathBuf>,
    /// Seed nodes of a Redis Cluster.
    #[serde(default)]
    pub redis_cluster: Option<Vec<String>>,
}

impl Connection {
    /// Options for `key_prefix` that connect here.
    pub fn options(&self, key_prefix: &str) -> Result<RedisOptions, String> {
        let mut options = RedisOptions::new(key_prefix);
        options = match (&self.redis_url, &self.redis_cluster) {
            (Some(url), None) => options.redis_url(url),
            (None, Some(nodes)) => options.cluster(nodes.iter().cloned()),
            _ => return Err("give either \"redisUrl\" or \"redisCluster\"".to_owned()),
        };
        if let Some(ca) = &self.tls_ca_file {
            options = options.tls_ca_file(ca);
        }
        Ok(options)
    }
}
