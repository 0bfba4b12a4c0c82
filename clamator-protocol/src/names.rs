//! The two name rules every clamator implementation shares.
//!
//! The patterns are checked by hand rather than with a regex engine: they are tiny, fixed and on
//! the hot path of every envelope.

/// Pattern a service name must match (`arith`, `excavator-engine`).
pub const SERVICE_NAME_PATTERN: &str = "^[a-z][a-z0-9-]*$";

/// Pattern a method name must match (`add`, `slowAdd`).
pub const METHOD_NAME_PATTERN: &str = "^[a-z][a-zA-Z0-9]*$";

/// Whether `name` matches [`SERVICE_NAME_PATTERN`].
pub fn is_valid_service_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// Whether `name` matches [`METHOD_NAME_PATTERN`].
pub fn is_valid_method_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z')) && bytes.all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        for ok in ["a", "arith", "excavator-engine", "a1-b2", "x-"] {
            assert!(is_valid_service_name(ok), "{ok}");
        }
        for bad in [
            "", "Arith", "1a", "-a", "a_b", "a.b", "aé", "a\n", "slowAdd",
        ] {
            assert!(!is_valid_service_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn method_names() {
        for ok in ["a", "add", "slowAdd", "getHTTPStatus", "v2"] {
            assert!(is_valid_method_name(ok), "{ok}");
        }
        for bad in ["", "Add", "1a", "group-cancel", "a_b", "a.b", "ñ", "a\n"] {
            assert!(!is_valid_method_name(bad), "{bad:?}");
        }
    }
}
