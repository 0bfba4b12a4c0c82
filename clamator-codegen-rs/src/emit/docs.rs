//! Doc comments. Schema descriptions are escaped so that rustdoc renders the text as written and
//! never finds code blocks (doctests), HTML, links or headings in it.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for Markdown `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote! { #( #[doc = #lines] )* }
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
}
