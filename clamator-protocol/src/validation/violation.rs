//! What a failed check reports: one [`Violation`] per broken rule, in Pydantic's shape, so that a
//! -32602 / -32603 from a Rust peer reads like one from the Python peer, and a Rust caller can
//! match on the list instead of parsing text.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::path::{Path, Segment};

/// One broken rule: its Pydantic error type, where, a message, and the offending input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// Pydantic's error type: `string_too_short`, `greater_than`, `uuid_parsing`, `missing`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Wire names and indexes from the root of the params or result to the value.
    pub loc: Vec<Segment>,
    /// A sentence saying what is wrong.
    pub msg: String,
    /// The offending value (cut when large).
    pub input: Value,
    /// The rule's parameters, as Pydantic gives them (`{"min_length": 3}`); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Map<String, Value>>,
}

impl Violation {
    /// A violation at `loc` with no `ctx`.
    pub fn new(
        kind: impl Into<String>,
        loc: Vec<Segment>,
        msg: impl Into<String>,
        input: Value,
    ) -> Self {
        Self {
            kind: kind.into(),
            loc,
            msg: msg.into(),
            input,
            ctx: None,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loc.is_empty() {
            f.write_str("(root)")?;
        }
        for (i, segment) in self.loc.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{segment}")?;
        }
        write!(f, ": {} [{}]", self.msg, self.kind)
    }
}

/// Every violation found in one value, in the order met.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// No violations yet (allocates nothing).
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The violations, in the order met.
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// Iterates over the violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// Adds one.
    pub fn push(&mut self, violation: Violation) {
        self.0.push(violation);
    }

    /// Records a broken rule at `at`. `input` and `ctx` are only built when called, so the
    /// callers pass what they already have.
    pub fn record(
        &mut self,
        kind: &str,
        at: &Path<'_>,
        msg: String,
        input: Value,
        ctx: Option<Map<String, Value>>,
    ) {
        self.0.push(Violation {
            kind: kind.to_owned(),
            loc: at.to_loc(),
            msg,
            input: super::bounded(&input),
            ctx,
        });
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The `data` of a -32602 / -32603 reply: `{"errors": [...]}`.
    pub fn to_data(&self) -> Value {
        serde_json::json!({ "errors": self })
    }

    /// Reads the violations out of a reply's `data` (`{"errors": [...]}`), as the Python and
    /// Rust servers send them; `None` when `data` has no such list.
    pub fn from_data(data: &Value) -> Option<Self> {
        serde_json::from_value(data.get("errors")?.clone()).ok()
    }
}

impl From<Vec<Violation>> for Violations {
    fn from(list: Vec<Violation>) -> Self {
        Self(list)
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}
