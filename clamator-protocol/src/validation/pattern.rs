//! `pattern` keywords: ECMAScript regular expressions (`regress`), compiled once per process
//! as Ajv compiles them ([`compile`], from `clamator-formats`, which the generator uses too).

use std::sync::OnceLock;

pub use clamator_formats::compile_pattern as compile;

/// A pattern of a generated type: its source, compiled the first time it is used.
///
/// The generator compiled every pattern with the same engine before writing code, so a pattern
/// in generated code compiles; if it somehow does not, every value fails it with a
/// `pattern_error` violation instead of a panic.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    /// A pattern with this ECMAScript source (not compiled yet).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The ECMAScript source.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the pattern matches somewhere in `text` (patterns are unanchored unless they
    /// anchor themselves); `None` if it cannot be compiled.
    pub fn is_match(&self, text: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| compile(self.source).ok())
            .as_ref()
            .map(|re| re.find(text).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecmascript_features_and_plain_mode_fallback() {
        let cases = [
            (r"^https\:\/\/", "https://x", true),
            (r"^https\:\/\/", "http://x", false),
            (r"^(?!\.)(?!.*\.\.)[a-z.]+@x$", "a.b@x", true),
            (r"^(?!\.)(?!.*\.\.)[a-z.]+@x$", "a..b@x", false),
            (r"^\p{Extended_Pictographic}+$", "😀😀", true),
            (r"(a)\1", "xaa", true),
            (r"\bcat\b", "a cat!", true),
            (r"[a-z]", "0a", true),
        ];
        for (source, text, expected) in cases {
            let p = Pattern::new(source);
            assert_eq!(p.is_match(text), Some(expected), "{source} on {text}");
        }
    }

    #[test]
    fn broken_patterns_are_errors_not_panics() {
        assert!(compile("[").is_err());
        assert!(compile("a{2,1}").is_err());
        assert_eq!(Pattern::new("(").is_match("x"), None);
    }
}
