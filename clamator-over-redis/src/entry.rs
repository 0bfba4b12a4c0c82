//! Stream entries out of `XREAD`, `XREADGROUP` and `XAUTOCLAIM` replies, read from the raw
//! protocol values so that no entry, however malformed, can fail a whole read.

use redis::Value;

/// One stream entry: its id and its field/value pairs, in order, as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamEntry {
    pub id: String,
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl StreamEntry {
    /// The value of `name`. When a field repeats, the last one wins, as in the Python transport
    /// (which reads the fields into a dict).
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name.as_bytes())
            .map(|(_, v)| v.as_slice())
    }
}

/// Entries of an `XREAD`/`XREADGROUP` reply: nil (the block timed out), or per stream its name
/// and entries (an array in RESP2, a map in RESP3).
pub(crate) fn read_reply(value: Value) -> Result<Vec<StreamEntry>, String> {
    let streams: Vec<Value> = match value {
        Value::Nil => return Ok(Vec::new()),
        Value::Array(streams) => streams
            .into_iter()
            .map(|s| match s {
                Value::Array(mut pair) if pair.len() == 2 => Ok(pair.swap_remove(1)),
                other => Err(format!("unexpected stream in read reply: {other:?}")),
            })
            .collect::<Result<_, _>>()?,
        Value::Map(streams) => streams.into_iter().map(|(_, entries)| entries).collect(),
        other => return Err(format!("unexpected read reply: {other:?}")),
    };
    let mut out = Vec::new();
    for entries in streams {
        entries_into(entries, &mut out)?;
    }
    Ok(out)
}

/// Entries of an `XAUTOCLAIM` reply: `[next cursor, entries, deleted ids]` (the last since 7.0).
pub(crate) fn autoclaim_reply(value: Value) -> Result<Vec<StreamEntry>, String> {
    match value {
        Value::Array(mut parts) if parts.len() >= 2 => {
            let mut out = Vec::new();
            entries_into(parts.swap_remove(1), &mut out)?;
            Ok(out)
        }
        other => Err(format!("unexpected XAUTOCLAIM reply: {other:?}")),
    }
}

fn entries_into(entries: Value, out: &mut Vec<StreamEntry>) -> Result<(), String> {
    let Value::Array(entries) = entries else {
        return Err(format!("unexpected entry list: {entries:?}"));
    };
    for entry in entries {
        let Value::Array(mut parts) = entry else {
            return Err(format!("unexpected entry: {entry:?}"));
        };
        if parts.len() != 2 {
            return Err(format!("unexpected entry: {parts:?}"));
        }
        let fields = parts.pop().unwrap_or(Value::Nil);
        let id = bytes(parts.pop().unwrap_or(Value::Nil))
            .and_then(|id| String::from_utf8(id).ok())
            .ok_or("entry without an id")?;
        // A pending entry that was deleted from the stream comes back with nil fields.
        let fields = match fields {
            Value::Array(flat) => pairs(flat),
            Value::Map(map) => map
                .into_iter()
                .filter_map(|(k, v)| Some((bytes(k)?, bytes(v)?)))
                .collect(),
            _ => Vec::new(),
        };
        out.push(StreamEntry { id, fields });
    }
    Ok(())
}

fn pairs(flat: Vec<Value>) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::with_capacity(flat.len() / 2);
    let mut it = flat.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        if let (Some(k), Some(v)) = (bytes(k), bytes(v)) {
            out.push((k, v));
        }
    }
    out
}

fn bytes(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        Value::Int(i) => Some(i.to_string().into_bytes()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn reads_resp2_and_resp3_replies() {
        let entry = Value::Array(vec![
            bulk("1-0"),
            Value::Array(vec![
                bulk("type"),
                bulk("rpc"),
                bulk("envelope"),
                bulk("{}"),
            ]),
        ]);
        let resp2 = Value::Array(vec![Value::Array(vec![
            bulk("p:cmds:a"),
            Value::Array(vec![entry.clone()]),
        ])]);
        let resp3 = Value::Map(vec![(bulk("p:cmds:a"), Value::Array(vec![entry]))]);
        for reply in [resp2, resp3] {
            let entries = read_reply(reply).unwrap();
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].id, "1-0");
            assert_eq!(entries[0].field("envelope"), Some(&b"{}"[..]));
            assert_eq!(entries[0].field("reply-to"), None);
        }
        assert!(read_reply(Value::Nil).unwrap().is_empty());
    }

    #[test]
    fn deleted_entries_odd_fields_and_repeats_do_not_fail_a_read() {
        let reply = Value::Array(vec![
            bulk("0-0"),
            Value::Array(vec![
                Value::Array(vec![bulk("1-0"), Value::Nil]),
                Value::Array(vec![
                    bulk("2-0"),
                    Value::Array(vec![
                        bulk("envelope"),
                        bulk("a"),
                        bulk("envelope"),
                        bulk("b"),
                        bulk("odd"),
                    ]),
                ]),
            ]),
            Value::Array(vec![]),
        ]);
        let entries = autoclaim_reply(reply).unwrap();
        assert_eq!(entries[0].fields, Vec::<(Vec<u8>, Vec<u8>)>::new());
        assert_eq!(entries[1].field("envelope"), Some(&b"b"[..]));
    }

    #[test]
    fn unexpected_shapes_are_errors_not_panics() {
        assert!(read_reply(Value::Int(3)).is_err());
        assert!(read_reply(Value::Array(vec![Value::Int(3)])).is_err());
        assert!(autoclaim_reply(Value::Array(vec![])).is_err());
    }
}
