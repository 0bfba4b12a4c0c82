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

/// A stream entry id, `<ms>-<seq>`, ordered as Redis orders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EntryId {
    pub ms: u64,
    pub seq: u64,
}

impl EntryId {
    /// `0-0`, below every entry.
    pub const ZERO: EntryId = EntryId { ms: 0, seq: 0 };

    /// Reads `<ms>-<seq>` (or a bare `<ms>`).
    pub fn parse(text: &str) -> Option<EntryId> {
        let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
        Some(EntryId {
            ms: ms.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// What `XINFO GROUPS` says of one consumer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GroupInfo {
    pub name: Vec<u8>,
    pub pending: u64,
    pub last_delivered: EntryId,
}

/// The groups of an `XINFO GROUPS` reply (a list of field/value lists in RESP2, of maps in
/// RESP3). A group whose fields cannot be read is left out, and then nothing may be trimmed:
/// callers treat an unreadable reply as "keep everything" by getting fewer groups only when
/// every group was readable.
pub(crate) fn groups_reply(value: Value) -> Vec<GroupInfo> {
    let Value::Array(groups) = value else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let fields: Vec<(Vec<u8>, Value)> = match group {
            Value::Array(flat) => {
                let mut it = flat.into_iter();
                let mut fields = Vec::new();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    if let Some(k) = bytes(k) {
                        fields.push((k, v));
                    }
                }
                fields
            }
            Value::Map(map) => map
                .into_iter()
                .filter_map(|(k, v)| Some((bytes(k)?, v)))
                .collect(),
            _ => return Vec::new(),
        };
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name.as_bytes())
                .map(|(_, v)| v.clone())
        };
        let name = field("name").and_then(bytes);
        let pending = match field("pending") {
            Some(Value::Int(n)) => u64::try_from(n).ok(),
            _ => None,
        };
        let last_delivered = field("last-delivered-id")
            .and_then(bytes)
            .and_then(|b| EntryId::parse(std::str::from_utf8(&b).ok()?));
        match (name, pending, last_delivered) {
            (Some(name), Some(pending), Some(last_delivered)) => out.push(GroupInfo {
                name,
                pending,
                last_delivered,
            }),
            // One group we cannot read: no bound is safe.
            _ => return Vec::new(),
        }
    }
    out
}

/// The oldest pending id of an `XPENDING <stream> <group>` summary (`[count, oldest, newest,
/// consumers]`); `None` when there is none or it cannot be read.
pub(crate) fn oldest_pending(value: Value) -> Option<EntryId> {
    let Value::Array(mut parts) = value else {
        return None;
    };
    if parts.len() < 2 {
        return None;
    }
    let oldest = bytes(parts.swap_remove(1))?;
    EntryId::parse(std::str::from_utf8(&oldest).ok()?)
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
    fn consumer_groups_and_their_oldest_pending_entry() {
        let group = |name: &str, pending: i64, last: &str| {
            Value::Array(vec![
                bulk("name"),
                bulk(name),
                bulk("consumers"),
                Value::Int(1),
                bulk("pending"),
                Value::Int(pending),
                bulk("last-delivered-id"),
                bulk(last),
            ])
        };
        let groups = groups_reply(Value::Array(vec![
            group("arith", 2, "12-3"),
            group("other", 0, "9-0"),
        ]));
        assert_eq!(
            groups,
            [
                GroupInfo {
                    name: b"arith".to_vec(),
                    pending: 2,
                    last_delivered: EntryId { ms: 12, seq: 3 }
                },
                GroupInfo {
                    name: b"other".to_vec(),
                    pending: 0,
                    last_delivered: EntryId { ms: 9, seq: 0 }
                },
            ]
        );
        // One unreadable group: nothing may be trimmed, so no groups at all.
        assert!(groups_reply(Value::Array(vec![group("a", 0, "1-0"), Value::Int(3)])).is_empty());
        let summary = Value::Array(vec![Value::Int(2), bulk("10-1"), bulk("12-3"), Value::Nil]);
        assert_eq!(oldest_pending(summary), Some(EntryId { ms: 10, seq: 1 }));
        assert_eq!(
            oldest_pending(Value::Array(vec![
                Value::Int(0),
                Value::Nil,
                Value::Nil,
                Value::Nil
            ])),
            None
        );
        assert!(EntryId { ms: 1, seq: 9 } < EntryId { ms: 2, seq: 0 });
        assert_eq!(EntryId::parse("5").unwrap().to_string(), "5-0");
    }

    #[test]
    fn unexpected_shapes_are_errors_not_panics() {
        assert!(read_reply(Value::Int(3)).is_err());
        assert!(read_reply(Value::Array(vec![Value::Int(3)])).is_err());
        assert!(autoclaim_reply(Value::Array(vec![])).is_err());
    }
}
