//! Numbers as the value checks see them: exact integers and floats, compared with JSON Schema's
//! `f64` bounds exactly.

use serde_json::{Value, json};

/// A number as checks see it: an exact integer or a float.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    /// An integer (`i64` field).
    Int(i64),
    /// A non-negative integer (`u64` field).
    UInt(u64),
    /// A float (`f64` field).
    Float(f64),
}

impl From<&i64> for Num {
    fn from(v: &i64) -> Self {
        Num::Int(*v)
    }
}

impl From<&u64> for Num {
    fn from(v: &u64) -> Self {
        Num::UInt(*v)
    }
}

impl From<&f64> for Num {
    fn from(v: &f64) -> Self {
        Num::Float(*v)
    }
}

impl Num {
    /// How the value compares with a bound, exactly.
    pub(super) fn cmp(self, bound: f64) -> Option<std::cmp::Ordering> {
        match self {
            Num::Float(v) => v.partial_cmp(&bound),
            Num::Int(v) => Some(compare_int_float(v, bound)),
            // Above i64::MAX a u64 is above every bound an i64 is compared with, up to 2^63;
            // past that, f64s near 2^64 are still exact enough for schema bounds.
            Num::UInt(v) => Some(match i64::try_from(v) {
                Ok(v) => compare_int_float(v, bound),
                #[allow(clippy::cast_precision_loss)]
                Err(_) => (v as f64)
                    .partial_cmp(&bound)
                    .unwrap_or(std::cmp::Ordering::Greater),
            }),
        }
    }

    pub(super) fn to_json(self) -> Value {
        match self {
            Num::Int(v) => json!(v),
            Num::UInt(v) => json!(v),
            Num::Float(v) => json!(v),
        }
    }
}

/// Exact comparison of an `i64` with an `f64` (no rounding of the integer to a float).
fn compare_int_float(v: i64, bound: f64) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // 2^63 as f64 is exact; every i64 is below it and at or above -2^63.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if bound.is_nan() {
        return Ordering::Equal;
    }
    if bound >= TWO_63 {
        return Ordering::Less;
    }
    if bound < -TWO_63 {
        return Ordering::Greater;
    }
    let whole = bound.trunc();
    // In range, so the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    let whole_int = whole as i64;
    match v.cmp(&whole_int) {
        Ordering::Equal => {
            let fraction = bound - whole;
            if fraction > 0.0 {
                Ordering::Less
            } else if fraction < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    }
}
