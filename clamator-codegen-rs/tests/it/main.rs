//! The generator from the outside: its public API and command line on fixture and hostile manifests.
//!
//! One test binary for the crate's integration tests (one module each): a binary per file
//! would link the same dependencies again for each.

mod check;
mod cli;
mod customize;
mod errors;
mod field_docs;
mod hostile_fixtures;
mod hostile_manifests;
mod layouts;
mod mutated_manifests;
mod shared_names;
mod snapshots;
mod typing_view;
