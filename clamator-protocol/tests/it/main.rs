//! The runtime from the outside: envelopes, dispatch, validation, hostile input, logs.
//!
//! One test binary for the crate's integration tests (one module each): a binary per file
//! would link the same dependencies again for each.

mod dispatcher;
mod envelope_rules;
mod hostile_input;
mod logging;
mod poison;
mod value_rules;
