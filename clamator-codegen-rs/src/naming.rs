//! Rust names for wire names: case conversion with an acronym rule, escaping of keywords and
//! non-identifiers, and deterministic disambiguation of collisions.

use std::collections::BTreeSet;

/// Keywords of every edition (strict and reserved), which need `r#` or another spelling.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a wire name into words: at non-alphanumerics, lower→upper steps, and the end of an
/// acronym (`getHTTPStatus` → get, HTTP, Status; `userID` → user, ID). A non-ASCII character is a
/// word of its own, spelled `u` + its code point in hex, so every name stays ASCII (rustc warns
/// about some non-ASCII identifiers, and `deny(warnings)` must hold).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if !current.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii() {
            flush(&mut current, &mut words);
            words.push(format!("u{:04x}", c as u32));
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            flush(&mut current, &mut words);
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase() || prev.is_ascii_digit()))
                || (c.is_ascii_uppercase()
                    && prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary {
                flush(&mut current, &mut words);
            }
        }
        current.push(c);
    }
    flush(&mut current, &mut words);
    words
}

/// `snake_case` for fields and functions.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    let joined = if joined.is_empty() {
        if name.is_empty() {
            "empty".to_owned()
        } else {
            "underscore".to_owned()
        }
    } else {
        joined
    };
    escape(if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else {
        joined
    })
}

/// `PascalCase` for types and variants. Acronyms become words (`HTTP` → `Http`), which keeps
/// clippy's `upper_case_acronyms` quiet.
pub fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    let joined = if joined.is_empty() {
        "Empty".to_owned()
    } else {
        joined
    };
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else if joined == "Self" {
        "Self_".to_owned()
    } else {
        joined
    }
}

/// The wire method name with its first letter upper-cased, as the TypeScript and Python sides
/// name `<Method>Params` / `<Method>Result` (`slowAdd` → `SlowAdd`).
pub fn method_type_prefix(method: &str) -> String {
    let mut chars = method.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Makes a snake_case word usable as an identifier: `type` → `r#type`, `self` → `self_`.
fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// Hands out names within one scope, never the same twice: a taken name gets `2`, `3`, … (with
/// an `_` for snake_case names), in the order names are asked for, so the result is
/// deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `wanted`, or the first free `wanted2`, `wanted3`, … (`wanted_2` for snake_case).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(bare(wanted).to_owned()) {
            return wanted.to_owned();
        }
        let snake = wanted.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let base = bare(wanted).trim_end_matches('_');
        (2..)
            .map(|n| {
                if snake {
                    format!("{base}_{n}")
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range has a free name")
    }
}

/// The name without a raw prefix, for collision checks (`r#type` and `type` are one name).
fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_acronym_rule() {
        assert_eq!(words("getHTTPStatus"), ["get", "HTTP", "Status"]);
        assert_eq!(words("userID"), ["user", "ID"]);
        assert_eq!(words("content-type"), ["content", "type"]);
        assert_eq!(words("v2Api"), ["v2", "Api"]);
        assert_eq!(words("größe"), ["gr", "u00f6", "u00df", "e"]);
    }

    #[test]
    fn snake_names() {
        for (wire, rust) in [
            ("userID", "user_id"),
            ("getHTTPStatus", "get_http_status"),
            ("type", "r#type"),
            ("gen", "r#gen"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("2fa", "_2fa"),
            ("100", "_100"),
            ("a.b", "a_b"),
            ("$ref", "r#ref"),
            ("@type", "r#type"),
            ("with space", "with_space"),
            ("", "empty"),
            ("_", "underscore"),
            ("FooBar", "foo_bar"),
        ] {
            assert_eq!(snake(wire), rust, "{wire:?}");
        }
    }

    #[test]
    fn pascal_names() {
        for (wire, rust) in [
            ("not-found", "NotFound"),
            ("excavator-engine", "ExcavatorEngine"),
            ("HTTP", "Http"),
            ("2fa", "V2fa"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("", "Empty"),
            ("😀", "U1f600"),
        ] {
            assert_eq!(pascal(wire), rust, "{wire:?}");
        }
        assert_eq!(method_type_prefix("slowAdd"), "SlowAdd");
        assert_eq!(method_type_prefix("getHTTPStatus"), "GetHTTPStatus");
    }

    #[test]
    fn scopes_disambiguate_in_order() {
        let mut s = Scope::default();
        assert_eq!(s.claim("user_id"), "user_id");
        assert_eq!(s.claim("user_id"), "user_id_2");
        assert_eq!(s.claim("r#type"), "r#type");
        assert_eq!(s.claim("type_2"), "type_2");
        assert_eq!(s.claim("r#type"), "type_3");
        let mut t = Scope::default();
        assert_eq!(t.claim("NotFound"), "NotFound");
        assert_eq!(t.claim("NotFound"), "NotFound2");
        assert_eq!(t.claim("Self_"), "Self_");
        assert_eq!(t.claim("Self_"), "Self2");
    }
}
