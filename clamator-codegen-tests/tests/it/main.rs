//! The generated code of every fixture contract, used: calls through it, its types, its checks.
//!
//! One test binary for the crate's integration tests (one module each): a binary per file
//! would link the same dependencies again for each.

mod common;
mod constructors;
mod derives;
mod end_to_end;
mod enum_helpers;
mod named_types;
mod round_trip;
mod shared_types;
mod through_facade;
mod typed_formats;
mod value_rules;
mod wide;
