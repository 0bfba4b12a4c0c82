//! The pipeline, one module per stage: parse → verify → normalize → lower (→ defaults, share) →
//! (emit) → format.

pub mod defaults;
pub mod format;
pub mod js_json;
pub mod lower;
pub mod normalize;
pub mod parse;
pub mod share;
pub mod verify;
