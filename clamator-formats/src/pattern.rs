//! `pattern` keywords: ECMAScript regular expressions, compiled as Ajv compiles them.
//!
//! JSON Schema patterns are JavaScript regular expressions (Zod's email check uses lookahead, its
//! emoji check `\p{Extended_Pictographic}`), which Rust's `regex` crate cannot run; `regress`
//! implements ECMAScript's syntax and semantics. Ajv compiles patterns with the `u` flag and falls
//! back to plain mode for patterns that `u` mode refuses (zod-to-json-schema writes
//! `startsWith("https://")` as `^https\:\/\/`, whose identity escapes only plain mode allows).
//! The generator refuses a pattern this cannot compile, so none fails in generated code.

/// Compiles an ECMAScript pattern as Ajv does: with the `u` flag, else without it. The error is
/// the engine's message for the plain-mode attempt.
pub fn compile_pattern(source: &str) -> Result<regress::Regex, String> {
    regress::Regex::with_flags(source, "u")
        .or_else(|_| regress::Regex::new(source))
        .map_err(|e| e.to_string())
}
