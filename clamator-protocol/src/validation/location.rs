//! Where, deep inside a value, decoding failed, when the value was decoded in steps.
//!
//! `serde_path_to_error` follows the path down to a hand-written impl (a tagged or untagged union,
//! an object with additional properties, a set). Below it, such an impl decodes a sub-value afresh
//! and that path restarts, so the impl records the rest of the way here, with the innermost
//! message; [`super::decode`] joins it to its own path. Decoding is synchronous, so one slot per
//! thread is exact; every top-level decode clears it first.

use std::cell::RefCell;

use serde_json::Value;

use super::failure::Failure;

/// The path below a hand-written impl, and the innermost failure: what failed and its own
/// message.
pub(crate) struct Inner {
    pub(crate) path: Vec<Value>,
    pub(crate) failure: Failure,
    pub(crate) message: String,
}

thread_local! {
    static INNER: RefCell<Option<Inner>> = const { RefCell::new(None) };
}

/// Forgets any recorded location.
pub(crate) fn clear() {
    INNER.with(|slot| slot.borrow_mut().take());
}

/// Takes the recorded location, if a nested decode failed.
pub(crate) fn take() -> Option<Inner> {
    INNER.with(|slot| slot.borrow_mut().take())
}

/// Records a failure `path` deep inside the value being decoded, in front of whatever a deeper
/// step recorded (whose message, being innermost, is kept).
pub(crate) fn prepend(path: Vec<Value>, failure: impl FnOnce() -> (Failure, String)) {
    INNER.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.as_mut() {
            Some(inner) => {
                let mut full = path;
                full.append(&mut inner.path);
                inner.path = full;
            }
            None => {
                let (failure, message) = failure();
                *slot = Some(Inner {
                    path,
                    failure,
                    message,
                })
            }
        }
    });
}

/// The segments of a `serde_path_to_error` path, as JSON (`loc` entries).
pub(crate) fn segments(path: &serde_path_to_error::Path) -> Vec<Value> {
    path.iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(Value::from(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Value::from(key.as_str())),
            serde_path_to_error::Segment::Enum { variant } => Some(Value::from(variant.as_str())),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect()
}
