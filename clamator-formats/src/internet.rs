//! `uuid`, `email`, `ipv4`/`ipv6` and `uri`, with ajv-formats' "full" grammar.

use std::net::Ipv6Addr;

/// `[urn:uuid:]8-4-4-4-12` hex digits, any case.
pub(crate) fn uuid(text: &str) -> bool {
    let text = match text.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("urn:uuid:") => &text[9..],
        _ => text,
    };
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

const EMAIL_LOCAL_SPECIALS: &[u8] = b"!#$%&'*+/=?^_`{|}~-";

/// A dot-separated local part of letters, digits and `!#$%&'*+/=?^_\`{|}~-`, `@`, then at least
/// two dot-separated labels of letters, digits and inner hyphens.
pub(crate) fn email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || EMAIL_LOCAL_SPECIALS.contains(&b))
    });
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

pub(crate) fn ipv6(text: &str) -> bool {
    // Rust's parser and Ajv's pattern agree on the grammar, except that Ajv also accepts
    // hexadecimal digits in any case, as Rust does, and refuses zone ids, as Rust does.
    text.parse::<Ipv6Addr>().is_ok()
}

fn unreserved_or_sub_delim(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
}

/// Whether `text` is made of `allowed` bytes and `%XX` escapes.
fn escaped(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else if allowed(b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn pchar(b: u8) -> bool {
    unreserved_or_sub_delim(b) || b == b':' || b == b'@'
}

/// An absolute URI (RFC 3986 `URI`): a scheme, `:`, then an authority and path or a path, and
/// an optional query and fragment, all in ASCII with `%XX` escapes.
pub(crate) fn uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let s = scheme.as_bytes();
    if s.is_empty()
        || !s[0].is_ascii_alphabetic()
        || !s
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
    {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (hier, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    let tail_ok = |part: Option<&str>| {
        part.is_none_or(|p| escaped(p, |b| pchar(b) || b == b'/' || b == b'?'))
    };
    if !(tail_ok(query) && tail_ok(fragment)) {
        return false;
    }
    match hier.strip_prefix('/') {
        // `/path` or `//authority/path`: a path of segments always parses (an empty authority
        // followed by the path); otherwise the authority must, with an IP literal in brackets.
        Some(after) => {
            escaped(after, |b| pchar(b) || b == b'/') || {
                let after = after.strip_prefix('/').unwrap_or(after);
                let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
                authority_with_ip_literal(authority) && escaped(path, |b| pchar(b) || b == b'/')
            }
        }
        // A rootless path: one or more characters.
        None => {
            !hier.is_empty() && escaped(hier, |b| pchar(b) || b == b'/') && !hier.starts_with('/')
        }
    }
}

/// `[userinfo@][IP-literal][:port]` with an IP literal (`[v6]` or `[vX.…]`) as the host.
fn authority_with_ip_literal(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if userinfo.is_some_and(|u| !escaped(u, |b| unreserved_or_sub_delim(b) || b == b':')) {
        return false;
    }
    let Some(inner) = host_port.strip_prefix('[') else {
        return false;
    };
    let Some((literal, port)) = inner.split_once(']') else {
        return false;
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let literal_ok = match literal.strip_prefix(['v', 'V']) {
        Some(future) => future.split_once('.').is_some_and(|(hex, rest)| {
            !hex.is_empty()
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| unreserved_or_sub_delim(b) || b == b':')
        }),
        None => ipv6(literal),
    };
    port_ok && literal_ok
}

#[cfg(test)]
mod tests {
    use crate::Format::*;
    use crate::tests::check;

    // Verdicts as Ajv 8 with ajv-formats 3 ("full") gives them.
    #[test]
    fn identifiers_and_addresses() {
        check(
            Uuid,
            &[
                "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
                "0B9F6B4C-3F1E-4A8E-9A7D-2C1B0A9F8E7D",
                "urn:uuid:0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d",
            ],
            &[
                "nope",
                "0b9f6b4c3f1e4a8e9a7d2c1b0a9f8e7d",
                "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7",
                "{0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d}",
            ],
        );
        check(
            Email,
            &["ada@example.com", "a.b+c@x-y.example.org", "A@B.CO"],
            &[
                "ada",
                "ada@example",
                "@example.com",
                "a..b@example.com",
                ".a@example.com",
                "a@-x.com",
                "a@x-.com",
                "a b@x.com",
                "ada@exa_mple.com",
            ],
        );
        check(
            Ipv4,
            &["192.168.0.1", "0.0.0.0"],
            &["256.1.1.1", "01.1.1.1", "1.1.1", "::1"],
        );
        check(
            Ipv6,
            &[
                "::1",
                "::",
                "2001:db8::8a2e:370:7334",
                "::ffff:192.168.0.1",
                "FE80::1",
            ],
            &[
                "1.2.3.4",
                ":::",
                "2001:db8::1::1",
                "fe80::1%eth0",
                "12345::",
            ],
        );
    }

    #[test]
    fn uris() {
        check(
            Uri,
            &[
                "https://example.com/a?b=c",
                "mailto:ada@example.com",
                "urn:isbn:0451450523",
                "http://[::1]:8080/x",
                "ftp://user:pw@host:21/f#top",
                "x:/a@b@c",
                "a://x@y@z",
                "http://h/%20",
            ],
            &[
                "example.com",
                "/relative",
                "1http://x",
                "http://exa mple.com",
                "http://h/%2",
                "http://h/ü",
                "x:",
                "http://[::1",
            ],
        );
    }
}
