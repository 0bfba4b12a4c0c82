//! Arbitrary JSON never panics the envelope parser or the dispatcher, and whatever the
//! dispatcher answers is itself a well-formed response envelope.

use clamator_protocol::envelope::{Envelope, parse_envelope, parse_envelope_text};
use clamator_protocol::{Contract, RpcError, ServiceDispatcher};
use serde_json::{Map, Value, json};

/// A tiny deterministic generator, so every run tries the same values.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const KEYS: &[&str] = &[
    "jsonrpc", "method", "id", "params", "result", "error", "code", "message", "data", "x",
];
const STRINGS: &[&str] = &[
    "2.0",
    "arith.add",
    "arith.ping",
    "arith.",
    ".add",
    "Arith.add",
    "arith.a-b",
    "",
    "é",
    "arith.add.more",
];

fn value(rng: &mut Lcg, depth: usize) -> Value {
    match rng.next(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.next(2) == 0),
        2 => json!(rng.next(5) as i64 - 2),
        3 => json!(rng.next(100) as f64 / 7.0),
        4 | 5 => json!(STRINGS[rng.next(STRINGS.len())]),
        6 => Value::Array((0..rng.next(3)).map(|_| value(rng, depth + 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.next(6) {
                map.insert(KEYS[rng.next(KEYS.len())].to_owned(), value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

#[tokio::test]
async fn arbitrary_json_never_panics_and_replies_are_well_formed() {
    #[derive(serde::Deserialize)]
    struct Add {
        a: i64,
        b: i64,
    }
    let dispatcher = ServiceDispatcher::standalone(
        Contract::builder("arith")
            .method("add", |p: Add| async move { Ok::<_, RpcError>(p.a + p.b) })
            .notification("ping", |_: Value| async {})
            .build()
            .unwrap(),
    );
    let mut rng = Lcg(7);
    let (mut replies, mut requests) = (0, 0);
    for _ in 0..5000 {
        // Mostly envelope-shaped objects, so that most values get past the first rules.
        let v = if rng.next(5) == 0 {
            value(&mut rng, 0)
        } else {
            let mut map = Map::new();
            for key in KEYS {
                if rng.next(3) == 0 {
                    continue;
                }
                let plausible = match *key {
                    "jsonrpc" => json!("2.0"),
                    "method" => json!(STRINGS[rng.next(STRINGS.len())]),
                    "id" => json!(["q", "7"][rng.next(2)]),
                    "params" => json!({"a": rng.next(3), "b": 1}),
                    _ => value(&mut rng, 1),
                };
                let v = if rng.next(4) == 0 {
                    value(&mut rng, 1)
                } else {
                    plausible
                };
                map.insert((*key).to_owned(), v);
            }
            if rng.next(3) != 0 {
                map.insert("jsonrpc".into(), json!("2.0"));
            }
            Value::Object(map)
        };
        if matches!(parse_envelope(v.clone()), Ok(Envelope::Request(_))) {
            requests += 1;
        }
        if let Some(reply) = dispatcher.dispatch_value(v.clone()).await {
            replies += 1;
            match parse_envelope(reply.clone()) {
                Ok(Envelope::Success(_) | Envelope::Error(_)) => {}
                other => panic!("reply {reply} to {v} is not a response: {other:?}"),
            }
        }
        let text = serde_json::to_vec(&v).unwrap();
        let _ = parse_envelope_text(&text);
        let _ = parse_envelope_text(&text[..text.len() / 2]);
    }
    assert!(
        requests > 100 && replies > 100,
        "{requests} requests, {replies} replies"
    );
}
