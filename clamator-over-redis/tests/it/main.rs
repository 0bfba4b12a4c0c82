//! The Redis transport on real redis-servers: a single one, TLS, a cluster.
//!
//! One test binary for the crate's integration tests (one module each): a binary per file
//! would link the same dependencies again for each.

mod cluster;
mod common;
mod deadlines;
mod resilience;
mod retention;
mod round_trips;
mod tls;
mod trace_propagation;
