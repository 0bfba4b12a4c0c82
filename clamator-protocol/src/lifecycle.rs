//! The idle → started → stopped state both cores share.

use std::fmt;

/// Where a client or server is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Built, not started.
    Idle,
    /// Started and usable.
    Started,
    /// Stopped for good.
    Stopped,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Idle => "idle",
            State::Started => "started",
            State::Stopped => "stopped",
        })
    }
}
