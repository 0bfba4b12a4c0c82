//! Where a value sits inside the params or result being checked: a path of wire names and
//! indexes, built on the stack as checks descend, and turned into a `loc` only when a violation
//! is recorded (so checking a valid value allocates nothing).

use serde::{Deserialize, Serialize};

/// A borrowed path from the checked value's root to the value at hand.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The root value itself.
    Root,
    /// The value of `key` inside the object at the parent path.
    Key(&'a Path<'a>, &'a str),
    /// Item `index` of the array at the parent path.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of `key` below this one.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of item `index` below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path as `loc` segments, root first.
    pub fn to_loc(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    out.push(Segment::Key((*key).to_owned()));
                    at = parent;
                }
                Path::Index(parent, index) => {
                    out.push(Segment::Index(*index));
                    at = parent;
                }
            }
        }
        out.reverse();
        out
    }
}

/// One step of a `loc`: a wire name (a JSON string) or an array index (a JSON number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Segment {
    /// An array index.
    Index(usize),
    /// An object key, as on the wire.
    Key(String),
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Segment::Index(i) => write!(f, "{i}"),
            Segment::Key(k) => f.write_str(k),
        }
    }
}
