//! Types for string formats, which generated code uses instead of `String` when asked
//! (`clamator-codegen-rs`'s `typed_format`). Each accepts exactly what the format check accepts
//! (Ajv's verdict, through `clamator-formats`), so the contract's verdicts do not change.

mod date_time;
mod uuid;

pub use self::date_time::{DateTime, NotADateTime};
pub use self::uuid::{NotAUuid, Uuid};
