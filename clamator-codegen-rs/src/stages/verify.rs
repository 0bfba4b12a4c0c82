//! Stage 2: every recorded hash must be the hash of its schema, as @clamator/codegen computes it.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, HashMismatch, Side};
use crate::stages::js_json;
use crate::stages::parse::Manifest;

/// Lowercase hex sha256 of `JSON.stringify(schema)`.
pub fn schema_hash(schema: &Value) -> String {
    let digest = Sha256::digest(js_json::stringify(schema).as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Checks every schema of a schema manifest against its hash.
pub fn verify(manifest: &Manifest) -> Result<(), Error> {
    for service in &manifest.services {
        for method in &service.methods {
            let sides = [
                (
                    Side::Params,
                    Some(&method.params_hash),
                    method.params_schema.as_ref(),
                ),
                (
                    Side::Result,
                    method.result_hash.as_ref(),
                    method.result_schema.as_ref(),
                ),
            ];
            for (side, recorded, schema) in sides {
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
            }
        }
    }
    Ok(())
}
