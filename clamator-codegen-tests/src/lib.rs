//! The generated code for every fixture contract (`fixtures/manifests/all.schema.json`),
//! committed and compiled with warnings denied. Regenerate with
//! `cargo run -p clamator-codegen-rs -- --manifest fixtures/manifests/all.schema.json --out clamator-codegen-tests/src/generated`;
//! CI checks it is current with `--check`.
#![deny(warnings)]

pub mod fixture;
pub mod generated;
pub mod registry;
pub mod wire;
