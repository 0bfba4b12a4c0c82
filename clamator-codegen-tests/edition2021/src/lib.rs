//! Generated code of the fixture contracts, compiled as edition 2021 with warnings denied: users
//! on either edition get code that builds cleanly.
//!
//! Not every fixture: what differs between editions is in how the code is written, not in how
//! much of it there is (keywords and raw identifiers, `impl Future` captures in the service
//! traits, unsafe attributes), and every service has the same trait and client. So the services
//! that reach the most of the templates: hostile names (`lint-traps`), every union and tuple form
//! (`shapes`), named, shared and recursive types (`pages`, `talk` and their `shared` module), and
//! the example contract (`launch-control`). clamator-codegen-tests compiles them all on 2024.
#![deny(warnings)]

/// The chosen services, laid out as `clamator-codegen-rs` writes them.
#[path = "../../src/generated"]
pub mod generated {
    pub mod launch_control;
    pub mod lint_traps;
    pub mod pages;
    pub mod shapes;
    pub mod shared;
    pub mod talk;
}
