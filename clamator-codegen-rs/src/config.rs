//! The options file, `clamator-codegen.json` (its keys: [`Options::from_config_file`]), so that
//! the command line, `--check`, [`compile`](crate::compile) and
//! [`assert_current`](crate::assert_current) all generate what the user chose.

use std::path::Path;

use serde_json::Value;

use crate::customize::Customize;
use crate::{Error, Options};

/// The name of the options file read from beside the manifest.
pub const CONFIG_FILE: &str = "clamator-codegen.json";

/// Reads the options file's text; `file` names it in messages.
pub(crate) fn from_json(file: &str, text: &str) -> Result<Options, Error> {
    let invalid = |message: String| Error::Config {
        file: file.to_owned(),
        message,
    };
    let value: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not valid JSON: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(invalid("must be a JSON object".to_owned()));
    };
    let runtime_path = match map.remove("runtimePath") {
        None => None,
        Some(Value::String(path)) => Some(path),
        Some(_) => {
            return Err(invalid(
                "\"runtimePath\" must be a path such as \"::my_platform::clamator\"".to_owned(),
            ));
        }
    };
    let customize = Customize::from_map(&map).map_err(invalid)?;
    Ok(Options {
        customize,
        runtime_path,
        ..Options::default()
    })
}

/// Reads the options file at `path`.
pub(crate) fn from_file(path: &Path) -> Result<Options, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    from_json(&path.display().to_string(), &text)
}

/// The options file beside `manifest` if there is one, else the defaults.
pub(crate) fn for_manifest(manifest: &Path) -> Result<Options, Error> {
    match manifest
        .parent()
        .map(|dir| dir.join(CONFIG_FILE))
        .filter(|p| p.is_file())
    {
        Some(path) => from_file(&path),
        None => Ok(Options::default()),
    }
}
