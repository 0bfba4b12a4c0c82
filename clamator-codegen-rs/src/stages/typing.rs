//! The typing view (manifest spec §4): what a schema manifest may carry beside each hashed schema
//! so that types keep the contract's own structure. Its `$ref`s name definitions
//! (`#/x-clamator-definitions/<key>`): one per exported Zod schema, named after its export, and
//! one per recursive schema that is not exported (`x-clamator-anonymous`). Objects say how they
//! treat unknown keys (`x-clamator-unknownKeys`).
//!
//! A view must stand for its hashed schema exactly: expanding its `$ref`s (a `$ref` met again
//! inside its own expansion becomes `{}`, as upstream's lowering turns recursion into `{}`) and
//! dropping the `x-clamator-…` keywords must give a schema with the recorded hash. [`expand`] is
//! that expansion; `verify` refuses a view that does not.

use serde_json::{Map, Value};

use super::normalize::MAX_NESTING;
use super::parse::{DEFINITIONS, escape_pointer};

/// The prefix of a `$ref` to a definition.
pub const REF_PREFIX: &str = "#/x-clamator-definitions/";

/// The key a definition `$ref` names (`#/x-clamator-definitions/Page` → `Page`), JSON-pointer
/// escapes undone; `None` for any other reference.
pub fn definition_key(reference: &str) -> Option<String> {
    let token = reference.strip_prefix(REF_PREFIX)?;
    (!token.contains('/')).then(|| token.replace("~1", "/").replace("~0", "~"))
}

/// `view` with its definition `$ref`s expanded and `x-clamator-…` keywords dropped. `Err` when a
/// `$ref` names no definition, or when the expansion would exceed `budget` nodes (a view of a
/// few kilobytes whose references multiply; a hashed schema that size would be in the manifest).
pub fn expand(
    view: &Value,
    definitions: &Map<String, Value>,
    budget: usize,
) -> Result<Value, String> {
    let mut left = budget;
    expand_into(view, definitions, &mut Vec::new(), &mut left)
}

fn expand_into(
    view: &Value,
    definitions: &Map<String, Value>,
    stack: &mut Vec<String>,
    left: &mut usize,
) -> Result<Value, String> {
    *left = left
        .checked_sub(1)
        .ok_or("expanding its references gives a schema larger than the hashed one")?;
    match view {
        Value::Array(items) => items
            .iter()
            .map(|v| expand_into(v, definitions, stack, left))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) if r.starts_with(REF_PREFIX) => {
                        let name = definition_key(r)
                            .ok_or_else(|| format!("\"$ref\": \"{r}\" is not a definition"))?;
                        let body = definitions
                            .get(&name)
                            .ok_or_else(|| format!("\"$ref\": \"{r}\" names no definition"))?;
                        if stack.contains(&name) {
                            continue;
                        }
                        if stack.len() >= MAX_NESTING {
                            return Err(format!(
                                "definitions refer to definitions more than {MAX_NESTING} deep"
                            ));
                        }
                        stack.push(name);
                        let expanded = expand_into(body, definitions, stack, left);
                        stack.pop();
                        if let Value::Object(fields) = expanded? {
                            out.extend(fields);
                        }
                    }
                    (k, _) if k.starts_with("x-clamator-") => {}
                    // Values, not schemas: kept as they are.
                    ("default" | "const" | "enum" | "examples", _) => {
                        out.insert(key.clone(), value.clone());
                    }
                    // Inside these the keys are names, not keywords.
                    ("properties" | "definitions" | "$defs", Value::Object(named)) => {
                        let mut inner = Map::new();
                        for (name, schema) in named {
                            inner.insert(
                                name.clone(),
                                expand_into(schema, definitions, stack, left)?,
                            );
                        }
                        out.insert(key.clone(), Value::Object(inner));
                    }
                    _ => {
                        out.insert(key.clone(), expand_into(value, definitions, stack, left)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

/// How many nodes `value` has: the budget of an expansion that must give a schema this size.
pub fn size(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(size).sum(),
        Value::Object(map) => map.values().map(size).sum(),
        _ => 0,
    }
}

/// The JSON pointer of a definition in the manifest.
pub fn definition_pointer(key: &str) -> String {
    format!("/{DEFINITIONS}/{}", escape_pointer(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_expand_and_recursion_becomes_any() {
        let definitions = json!({
            "Note": {"type": "object", "properties": {"replies": {"type": "array",
                     "items": {"$ref": "#/x-clamator-definitions/Note"}}},
                     "x-clamator-unknownKeys": "strip"},
            "a/b": {"type": "string"}
        });
        let definitions = definitions.as_object().unwrap();
        let view = json!({"type": "object", "properties": {
            "note": {"$ref": "#/x-clamator-definitions/Note", "description": "d"},
            "odd": {"$ref": "#/x-clamator-definitions/a~1b"}}});
        assert_eq!(
            expand(&view, definitions, 100).unwrap(),
            json!({"type": "object", "properties": {
                "note": {"type": "object", "properties": {"replies": {"type": "array", "items": {}}},
                         "description": "d"},
                "odd": {"type": "string"}}})
        );
        let missing = json!({"$ref": "#/x-clamator-definitions/Nope"});
        assert!(
            expand(&missing, definitions, 100)
                .unwrap_err()
                .contains("names no definition")
        );
        assert!(
            expand(&view, definitions, 5)
                .unwrap_err()
                .contains("larger")
        );
    }
}
