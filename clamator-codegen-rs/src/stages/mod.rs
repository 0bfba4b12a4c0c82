//! The pipeline, one module per stage: parse → verify (hashes, typing views) → normalize →
//! definitions → lower (→ defaults, share, boxing) → (emit) → format.

pub mod boxing;
pub mod defaults;
pub mod definitions;
pub mod format;
pub mod js_json;
pub mod lower;
pub mod normalize;
pub mod parse;
pub mod share;
pub mod typing;
pub mod verify;
