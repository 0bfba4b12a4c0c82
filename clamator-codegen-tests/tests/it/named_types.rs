//! Types as the contract author named them (`fixtures/contracts/model/documents.ts`, used by the
//! `pages` and `talk` services): one Rust type per exported schema, shared by both services;
//! recursion typed and checked all the way down; unknown keys as Zod treats them.

use std::sync::{Arc, Mutex};

use crate::common::serve;
use clamator_codegen_tests::generated::{pages, shared, talk};
use clamator_protocol::{Client, HandlerError};
use serde_json::{Value, json};

const ID: &str = "0b9f6b4c-3f1e-4a8e-9a7d-2c1b0a9f8e7d";

/// A `talk` server that keeps what its handlers were given.
#[derive(Clone, Default)]
struct Talk {
    posted: Arc<Mutex<Vec<talk::PostParams>>>,
}

impl talk::TalkService for Talk {
    async fn post(&self, params: talk::PostParams) -> Result<talk::PostResult, HandlerError> {
        let note = params.note.clone();
        self.posted.lock().unwrap().push(params);
        Ok(talk::PostResult::new(vec![note]))
    }

    async fn thread(&self, _: talk::ThreadParams) -> Result<talk::ThreadResult, HandlerError> {
        let leaf = talk::ThreadResultTree::new("b".into(), vec![]);
        Ok(talk::ThreadResult::new(
            vec![],
            talk::ThreadResultTree::new("root".into(), vec![leaf]),
        ))
    }
}

fn note(author: &str, replies: Vec<talk::Note>) -> talk::Note {
    talk::Note::new(author.to_owned(), format!("by {author}"), replies)
}

#[test]
fn one_type_per_exported_schema_in_every_service() {
    // `Page` and `Span` live in the shared module; both services re-export the same types.
    fn same_page(page: pages::Page) -> talk::Page {
        page
    }
    fn same_span(span: talk::Span) -> shared::Span {
        span
    }
    let page = shared::Page::new(
        ID.into(),
        "Intro".into(),
        "".into(),
        vec![same_span(talk::Span::new(0, 1))],
    );
    assert_eq!(same_page(page.clone()), page);
    // A method whose result is the exported schema names it: `pages.create` returns a `Page`.
    let created: pages::CreateResult = page;
    assert_eq!(created.highlights, vec![shared::Span::new(0, 1)]);

    // Recursion: a thread of notes holds notes; an expression holds expressions behind a `Box`;
    // an outline holds outlines in a list and, optionally, one more.
    let thread = note("ada", vec![note("bob", vec![note("cy", vec![])])]);
    assert_eq!(thread.replies[0].replies[0].author, "cy");
    let expr = pages::Expr::Neg(pages::ExprNeg::new(Box::new(pages::Expr::Num(
        pages::ExprNum::new(2.0),
    ))));
    assert_eq!(
        serde_json::to_value(&expr).unwrap(),
        json!({"op": "neg", "operand": {"op": "num", "value": 2.0}})
    );
    let mut outline = pages::Outline::new("Book".into(), vec![]);
    outline.appendix = Some(Box::new(pages::Outline::new("Notes".into(), vec![])));
    assert_eq!(
        serde_json::to_value(&outline).unwrap(),
        json!({"heading": "Book", "sections": [], "appendix": {"heading": "Notes", "sections": []}})
    );

    // Each type is defined once across the generated files.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated");
    for name in ["Page", "Span", "Change", "Note", "Outline", "Expr"] {
        let definitions: usize = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .map(|text| {
                text.matches(&format!("pub struct {name} {{"))
                    .chain(text.matches(&format!("pub enum {name} {{")))
                    .count()
            })
            .sum();
        assert_eq!(definitions, 1, "{name}");
    }
}

#[tokio::test]
async fn nested_replies_are_checked_all_the_way_down() {
    let server = Talk::default();
    let (_bus, _server, client) = serve(vec![talk::into_contract(server.clone())]).await;
    let page = json!({"id": ID, "title": "Intro", "body": "", "highlights": []});
    let at = json!({"start": 0, "end": 5});
    let deep = |author: Value| {
        json!({"author": "ada", "text": "1", "replies": [
            {"author": "bob", "text": "2", "replies": [
                {"author": author, "text": "3", "replies": []}]}]})
    };

    let ok = client
        .call(
            "talk",
            "post",
            json!({"page": page, "at": at, "note": deep(json!("cy"))}),
            None,
        )
        .await
        .unwrap();
    assert_eq!(ok["thread"][0]["replies"][0]["replies"][0]["author"], "cy");

    // A broken rule three levels down, and a wrong type there: refused where they are.
    for (author, kind) in [(json!(""), "string_too_short"), (json!(3), "type_error")] {
        let err = client
            .call(
                "talk",
                "post",
                json!({"page": page, "at": at, "note": deep(author)}),
                None,
            )
            .await
            .unwrap_err();
        let rpc = err.as_rpc().unwrap();
        assert_eq!(rpc.code, -32602, "{rpc:?}");
        let first = &rpc.data["errors"][0];
        assert_eq!(first["type"], kind, "{first}");
        assert_eq!(
            first["loc"],
            json!(["note", "replies", 0, "replies", 0, "author"]),
            "{first}"
        );
    }
    assert_eq!(
        server.posted.lock().unwrap().len(),
        1,
        "only the valid call ran"
    );
}

#[tokio::test]
async fn unknown_keys_as_zod_decides_them() {
    let server = Talk::default();
    let (_bus, _server, client) = serve(vec![talk::into_contract(server.clone())]).await;
    let page = json!({"id": ID, "title": "Intro", "body": "", "highlights": [],
                      "meta": {"source": "import", "kept": true}});
    let note = json!({"author": "ada", "text": "1", "replies": []});

    // `Page` is a `z.object()`: an unknown key is dropped and the call runs; its `meta` is
    // `.passthrough()`: unknown keys are kept.
    let mut stripped = page.clone();
    stripped["draft"] = json!(true);
    client
        .call(
            "talk",
            "post",
            json!({"page": stripped, "at": {"start": 0, "end": 1}, "note": note}),
            None,
        )
        .await
        .unwrap();
    let posted = server.posted.lock().unwrap().pop().unwrap();
    assert_eq!(
        serde_json::to_value(&posted.page).unwrap(),
        page,
        "draft dropped, meta.kept kept"
    );

    // `Span` is `.strict()`: an unknown key is refused.
    let err = client
        .call(
            "talk",
            "post",
            json!({"page": page, "at": {"start": 0, "end": 1, "length": 1}, "note": note}),
            None,
        )
        .await
        .unwrap_err();
    let first = &err.as_rpc().unwrap().data["errors"][0];
    assert_eq!(first["type"], "extra_forbidden", "{first}");
    assert_eq!(first["loc"], json!(["at", "length"]), "{first}");
}

#[tokio::test]
async fn a_recursive_schema_that_is_not_exported_is_typed_too() {
    let (_bus, _server, client) = serve(vec![talk::into_contract(Talk::default())]).await;
    let result = talk::TalkClient::new(&client)
        .thread(&talk::ThreadParams::new(ID.into()))
        .await
        .unwrap();
    // `Tree` is not exported: its type is named by where it is first met.
    let leaf: &talk::ThreadResultTree = &result.tree.children[0];
    assert_eq!(leaf.label, "b");
}
