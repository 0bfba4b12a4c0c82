//! The same generated code as `clamator-codegen-tests`, compiled as edition 2021 with warnings
//! denied: users on either edition get code that builds cleanly.
#![deny(warnings)]

#[path = "../../src/generated/mod.rs"]
pub mod generated;
