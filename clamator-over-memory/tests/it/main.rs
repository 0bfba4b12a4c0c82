//! The in-process transport: calls, errors, load.
//!
//! One test binary for the crate's integration tests (one module each): a binary per file
//! would link the same dependencies again for each.

mod context;
mod many_calls;
mod memory_transport;
mod metrics;
mod trace_propagation;
