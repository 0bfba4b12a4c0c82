//! The single-file layout (for `build.rs` + `include!`) holds exactly the directory layout's
//! services, as inline modules, and nothing that `include!` refuses.

use clamator_codegen_rs::{Layout, Options, SINGLE_FILE_NAME, generate, generate_with};
use quote::ToTokens;

#[test]
fn single_file_holds_the_same_services_as_inline_modules() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/manifests/all.schema.json"
    ))
    .unwrap();
    let directory = generate("all.schema.json", &bytes).unwrap();
    let single = generate_with(
        "all.schema.json",
        &bytes,
        &Options::default().layout(Layout::SingleFile),
    )
    .unwrap();
    assert_eq!(single.len(), 1);
    assert_eq!(single[0].name, SINGLE_FILE_NAME);

    let file = syn::parse_file(&single[0].contents).unwrap();
    assert!(
        file.attrs.is_empty(),
        "no inner attributes at the top of an include!d file"
    );
    let modules: Vec<&syn::ItemMod> = file
        .items
        .iter()
        .map(|i| match i {
            syn::Item::Mod(m) => m,
            other => panic!("only modules at the top: {}", other.to_token_stream()),
        })
        .collect();
    assert_eq!(
        modules.len(),
        directory.len() - 1,
        "one module per service file"
    );
    for service in directory.iter().filter(|f| f.name != "mod.rs") {
        let name = service.name.trim_end_matches(".rs");
        let module = modules
            .iter()
            .find(|m| m.ident.to_string().trim_start_matches("r#") == name)
            .unwrap();
        let (_, items) = module.content.as_ref().unwrap();
        let alone = syn::parse_file(&service.contents).unwrap();
        let inline: Vec<String> = items.iter().map(tokens).collect();
        let alone: Vec<String> = alone.items.iter().map(tokens).collect();
        assert_eq!(inline.len(), alone.len(), "{name}: item count");
        for (a, b) in inline.iter().zip(&alone) {
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(80);
            assert!(
                a == b,
                "{name}: …{}\n!=\n…{}",
                &a[from..(at + 80).min(a.len())],
                &b[from..(at + 80).min(b.len())]
            );
        }
    }
}

/// An item's tokens, without what prettyplease adds or leaves out depending on how deep the item
/// is indented: trailing commas, and braces around a match arm's expression.
fn tokens(item: &syn::Item) -> String {
    let text = unbraced_arms(&item.to_token_stream().to_string());
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find(" ,") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let trailing = after.trim_start().starts_with([')', ']', '}', '>']);
        if !trailing {
            out.push_str(" ,");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `=> { expr }` as `=> expr ,` when `expr` is one expression (no `;` in it at its own depth).
fn unbraced_arms(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("=> {") {
        out.push_str(&rest[..i + 3]);
        let body = &rest[i + 3..];
        let (mut depth, mut end, mut single) = (0usize, None, true);
        for (j, c) in body.char_indices() {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                ';' if depth == 1 => single = false,
                _ => {}
            }
        }
        match end {
            Some(j) if single => {
                out.push_str(body[1..j].trim());
                let after = &body[j + 1..];
                if !after.trim_start().starts_with(',') {
                    out.push_str(" ,");
                }
                rest = after;
            }
            _ => rest = body,
        }
    }
    out.push_str(rest);
    out
}
