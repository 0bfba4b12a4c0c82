//! Stage 2: every recorded hash must be the hash of its schema, as @clamator/codegen computes it.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, HashMismatch, Side};
use crate::stages::parse::{Manifest, PARAMS_TYPING, RESULT_TYPING, escape_pointer};
use crate::stages::{js_json, typing};

/// Lowercase hex sha256 of `JSON.stringify(schema)`.
pub fn schema_hash(schema: &Value) -> String {
    let digest = Sha256::digest(js_json::stringify(schema).as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Checks every schema of a schema manifest against its hash, and every typing view against
/// the schema it stands for (expanded, it must have the same hash: a view edited by hand is
/// refused, so what is generated from it is what the hashes bind).
pub fn verify(manifest: &Manifest) -> Result<(), Error> {
    let definitions: Map<String, Value> = manifest.definitions.iter().cloned().collect();
    for service in &manifest.services {
        for method in &service.methods {
            let sides = [
                (
                    Side::Params,
                    Some(&method.params_hash),
                    method.params_schema.as_ref(),
                    method.params_typing.as_ref(),
                ),
                (
                    Side::Result,
                    method.result_hash.as_ref(),
                    method.result_schema.as_ref(),
                    method.result_typing.as_ref(),
                ),
            ];
            for (side, recorded, schema, view) in sides {
                let (Some(recorded), Some(schema)) = (recorded, schema) else {
                    continue;
                };
                let computed = schema_hash(schema);
                if &computed != recorded {
                    return Err(Error::HashMismatch(Box::new(HashMismatch {
                        file: manifest.file.clone(),
                        service: service.name.clone(),
                        method: method.name.clone(),
                        side,
                        recorded: recorded.clone(),
                        computed,
                    })));
                }
                if let Some(view) = view {
                    let key = match side {
                        Side::Params => PARAMS_TYPING,
                        Side::Result => RESULT_TYPING,
                    };
                    let refused = |why: String| Error::Shape {
                        file: manifest.file.clone(),
                        pointer: format!(
                            "/contracts/{}/{}/{key}",
                            escape_pointer(&service.name),
                            method.name
                        ),
                        message: format!(
                            "{}.{} {side}: the typing view {why}; the manifest was edited by hand or corrupted: regenerate it with clamator-manifest",
                            service.name, method.name
                        ),
                    };
                    let expanded =
                        typing::expand(view, &definitions, 2 * typing::size(schema) + 16)
                            .map_err(|e| refused(format!("cannot be expanded ({e})")))?;
                    let expanded_hash = schema_hash(&expanded);
                    if &expanded_hash != recorded {
                        return Err(refused(format!(
                            "does not stand for the hashed schema (expanded, it hashes to {expanded_hash}, not {recorded})"
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}
