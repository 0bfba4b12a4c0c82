//! Doc comments. Schema descriptions are escaped so that rustdoc renders the text as written and
//! never finds code blocks (doctests), HTML, links or headings in it.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for Markdown `text`, one per line. A lone `\r` breaks the line too
/// (a bare CR is not allowed in a doc comment), and control and text-direction characters are
/// written as `\u{…}` (rustc denies direction overrides in comments).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .split(['\n', '\r'])
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {}", visible(l))
            }
        })
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// `text` with the characters a comment must not hold raw spelled `\u{…}`.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let direction = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if direction || (c.is_control() && c != '\t') {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A schema description as inert Markdown: the ASCII punctuation Markdown gives meaning to is
/// backslash-escaped, and leading spaces are dropped so no line becomes an indented code block
/// (which rustdoc would compile as a doctest).
pub fn escape_description(text: &str) -> String {
    text.lines().map(escape_line).collect::<Vec<_>>().join("\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.trim().chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '&'
                | '!'
                | '{'
                | '}'
                | '='
                | '+'
                | '-'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_inert_markdown() {
        assert_eq!(
            escape_description("ends */ and `ticks`"),
            "ends \\*/ and \\`ticks\\`"
        );
        assert_eq!(
            escape_description("    indented\n# Not a heading"),
            "indented\n\\# Not a heading"
        );
        assert_eq!(
            escape_description("<b>in</b> [order](#)"),
            "\\<b\\>in\\</b\\> \\[order\\](\\#)"
        );
        assert_eq!(escape_description("https://x.y"), "https\\://x.y");
    }

    #[test]
    fn doc_lines_hold_no_bare_cr_nor_direction_overrides() {
        let docs = doc_attrs("a\rb\u{202e}c\u{7}").to_string();
        assert!(!docs.contains('\r') && !docs.contains('\u{202e}'), "{docs}");
        assert!(docs.contains("u{202e}") && docs.contains("u{7}"), "{docs}");
    }
}
