//! What a decoded value looks like on the way back out, for comparing wire values in tests.

use clamator_protocol::serde_json::{Map, Value};

/// `value` with the schema's defaults filled in where keys are absent, through nested object
/// properties: what a generated type sends back for a value it received.
pub fn with_defaults(value: &Value, schema: &Value) -> Value {
    let (Value::Object(map), Some(Value::Object(props))) = (value, schema.get("properties")) else {
        return value.clone();
    };
    let mut out = Map::new();
    for (k, v) in map {
        let inner = props.get(k).map_or(v.clone(), |s| with_defaults(v, s));
        out.insert(k.clone(), inner);
    }
    for (k, s) in props {
        if let (false, Some(d)) = (map.contains_key(k), s.get("default")) {
            // As Zod does: an outer default gets its own inner defaults.
            out.insert(k.clone(), with_defaults(d, s));
        }
    }
    Value::Object(out)
}
