//! The Rust side of the interop matrix: drivers that follow upstream's process convention (config
//! as JSON on stdin; a server prints `READY` on stdout and `HANDLED:<n>` on stderr, a client prints
//! one `{"results": […]}` document), and the runner that pairs them with the Python drivers.
//!
//! The drivers use the code generated from `interop/contracts.schema.json` (committed in
//! `src/generated`): the typed client proxies and the service traits.

pub mod connection;
pub mod fixture;
pub mod generated;
