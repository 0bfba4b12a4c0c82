//! What a decoded value looks like on the way back out, and whether the generated types accept
//! it, for comparing wire values in tests.

use clamator_protocol::Contract;
use clamator_protocol::serde_json::{Map, Value};
use clamator_protocol::validation::Violations;

use crate::fixture::Fixture;

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

/// Checks `value` as the server of `service.method` checks its params (or, with `result`, what
/// its handler returns): types, then value rules; `Ok` is the value encoded again. `None` for an
/// unknown method.
pub fn round_trip(
    service: &str,
    method: &str,
    result: bool,
    value: &Value,
) -> Option<Result<Value, Violations>> {
    static CONTRACTS: std::sync::OnceLock<Vec<Contract>> = std::sync::OnceLock::new();
    let contracts = CONTRACTS.get_or_init(|| crate::registry::contracts(&Fixture::default()));
    let entry = contracts
        .iter()
        .find(|c| c.service() == service)?
        .method(method)?;
    if result {
        entry.check_result(value)
    } else {
        Some(entry.check_params(value))
    }
}
