//! The pipeline, one module per stage: parse → verify → normalize → lower → defaults → (emit) →
//! format.

pub mod defaults;
pub mod format;
pub mod js_json;
pub mod lower;
pub mod normalize;
pub mod parse;
pub mod verify;
