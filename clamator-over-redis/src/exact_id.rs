//! Numeric request ids echoed exactly as they came.
//!
//! serde_json keeps integers exactly but reads any other number as an `f64`, which it writes back
//! in its own spelling: `-0` would be answered as `-0.0`, `18446744073709551616` as
//! `1.8446744073709552e+19`. A client matching replies by the id's text (the Python one uses
//! `str(id)`) would then never see its answer. For those ids only (rare, so the common path pays
//! nothing), the reply carries the id's original token.

use clamator_protocol::Id;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// Whether `id` may not be written back as it was read.
pub(crate) fn needs_raw(id: &Id) -> bool {
    matches!(id, Id::Number(n) if n.is_f64())
}

/// The `id` member's token in the envelope text.
pub(crate) fn token(envelope: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow)]
        id: Option<&'a RawValue>,
    }
    let id: IdOnly<'_> = serde_json::from_slice(envelope).ok()?;
    id.id.map(|raw| raw.get().trim().to_owned())
}

/// `reply` as text, its `id` spelled `raw`.
pub(crate) fn reply_text(reply: &Value, raw: &str) -> Result<Vec<u8>, serde_json::Error> {
    // A placeholder no id or result can contain: it is built from the token itself.
    let placeholder = format!("\u{0}clamator-raw-id\u{0}{raw}");
    let mut reply = reply.clone();
    reply["id"] = Value::String(placeholder.clone());
    let text = serde_json::to_string(&reply)?;
    let quoted = serde_json::to_string(&placeholder)?;
    // `id` precedes `result` and `error` in a reply, so the first occurrence is the id.
    Ok(text.replacen(&quoted, raw, 1).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clamator_protocol::Envelope;
    use clamator_protocol::envelope::{parse_envelope_text, success_response};
    use serde_json::json;

    #[test]
    fn float_spelled_ids_come_back_as_they_came() {
        for token_text in ["1.0", "-0", "18446744073709551616", "1e2", "2.50"] {
            let envelope =
                format!(r#"{{"jsonrpc":"2.0","method":"a.b","params":{{}},"id": {token_text} }}"#);
            let Some(Ok(Envelope::Request(request))) = parse_envelope_text(envelope.as_bytes())
            else {
                panic!("{envelope}");
            };
            assert!(needs_raw(&request.id), "{token_text}");
            let raw = token(envelope.as_bytes()).unwrap();
            let reply = success_response(request.id, json!({"id": "\u{0}clamator-raw-id\u{0}x"}));
            let text = String::from_utf8(reply_text(&reply, &raw).unwrap()).unwrap();
            assert!(
                text.starts_with(&format!(r#"{{"jsonrpc":"2.0","id":{token_text},"result":"#)),
                "{text}"
            );
            assert!(serde_json::from_str::<Value>(&text).is_ok());
        }
    }

    #[test]
    fn integers_and_strings_need_nothing() {
        for id in [json!(1), json!(-7), json!(u64::MAX), json!("x")] {
            let envelope = json!({"jsonrpc": "2.0", "method": "a.b", "id": id}).to_string();
            let Some(Ok(Envelope::Request(request))) = parse_envelope_text(envelope.as_bytes())
            else {
                panic!();
            };
            assert!(!needs_raw(&request.id));
        }
    }
}
