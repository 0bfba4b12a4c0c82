//! The schema-hash row: manifests and generated code are deterministic and agree.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::tail;

/// schema-hash: the manifest exports byte-identical twice and equals the committed one; where a
/// side is Rust, generating twice gives the same files, they are the committed ones, and every
/// hash of the manifest is recorded in them.
pub(crate) fn schema_hash(root: &Path, rust_side: bool) -> Result<(), String> {
    let committed_path = root.join("interop/contracts.schema.json");
    let committed = std::fs::read(&committed_path).map_err(|e| format!("{e}"))?;
    let tmp = std::env::temp_dir().join(format!("clamator-interop-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let mut exports = Vec::new();
    for i in 0..2 {
        let out = tmp.join(format!("m{i}.json"));
        let run = Command::new("node")
            .arg(root.join("clamator-manifest/bin/clamator-manifest.mjs"))
            .arg("--src")
            .arg(root.join("interop/contracts"))
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|e| format!("node: {e}"))?;
        if !run.status.success() {
            return Err(format!(
                "clamator-manifest failed ({}): {}",
                run.status,
                tail(&String::from_utf8_lossy(&run.stderr))
            ));
        }
        exports.push(std::fs::read(&out).map_err(|e| e.to_string())?);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    if exports[0] != exports[1] {
        return Err("two manifest exports differ".to_owned());
    }
    if exports[0] != committed {
        return Err("interop/contracts.schema.json is not what the contracts export".to_owned());
    }
    if !rust_side {
        return Ok(());
    }
    let generate = || clamator_codegen_rs::generate("contracts.schema.json", &committed);
    let (first, second) = (
        generate().map_err(|e| e.to_string())?,
        generate().map_err(|e| e.to_string())?,
    );
    if first != second {
        return Err("two generations differ".to_owned());
    }
    let manifest: Value = serde_json::from_slice(&committed).map_err(|e| e.to_string())?;
    let generated = root.join("interop/rust/src/generated");
    let mut all_text = String::new();
    for file in &first {
        let on_disk = std::fs::read_to_string(generated.join(&file.name)).unwrap_or_default();
        if on_disk != file.contents {
            return Err(format!("interop/rust/src/generated/{} is stale", file.name));
        }
        all_text.push_str(&file.contents);
    }
    for (service, methods) in manifest["contracts"].as_object().into_iter().flatten() {
        for (method, entry) in methods.as_object().into_iter().flatten() {
            for key in ["paramsHash", "resultHash"] {
                if let Some(hash) = entry[key].as_str() {
                    if !all_text.contains(hash) {
                        return Err(format!(
                            "{service}.{method} {key} {hash} not in generated code"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
