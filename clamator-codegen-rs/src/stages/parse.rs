//! Stage 1: manifest bytes → [`Manifest`], in file order, with every structural rule checked.

use serde_json::{Map, Value};

use crate::error::Error;

/// A parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The file name it was read from (for messages and the generated header).
    pub file: String,
    /// Services in file order.
    pub services: Vec<Service>,
    /// Whether the manifest carries schemas (§3) or only hashes (§1).
    pub kind: ManifestKind,
    /// The typing view's definitions (`x-clamator-definitions`), by key, in file order.
    pub definitions: Vec<(String, Value)>,
}

/// The two manifest forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    /// Hashes and schemas: what clamator-manifest writes; types can be generated.
    Schema,
    /// Hashes only: what @clamator/codegen writes; good for drift checks only.
    HashesOnly,
}

/// One service of a manifest.
#[derive(Debug, Clone)]
pub struct Service {
    /// Wire name.
    pub name: String,
    /// Methods in file order.
    pub methods: Vec<Method>,
}

/// One method of a manifest.
#[derive(Debug, Clone)]
pub struct Method {
    /// Wire name.
    pub name: String,
    /// `paramsHash`.
    pub params_hash: String,
    /// `resultHash`; `None` marks a notification.
    pub result_hash: Option<String>,
    /// `paramsSchema` (schema manifests only).
    pub params_schema: Option<Value>,
    /// `resultSchema` (schema manifests only; `None` for notifications).
    pub result_schema: Option<Value>,
    /// The typing view of the params (`x-clamator-params`), when the manifest has one.
    pub params_typing: Option<Value>,
    /// The typing view of the result (`x-clamator-result`).
    pub result_typing: Option<Value>,
}

impl Method {
    /// Whether the method is a notification.
    pub fn is_notification(&self) -> bool {
        self.result_hash.is_none()
    }
}

/// The keys of the typing view (manifest spec §4): per method side, and the manifest's
/// definitions.
pub const PARAMS_TYPING: &str = "x-clamator-params";
/// See [`PARAMS_TYPING`].
pub const RESULT_TYPING: &str = "x-clamator-result";
/// See [`PARAMS_TYPING`].
pub const DEFINITIONS: &str = "x-clamator-definitions";

const SERVICE_PATTERN: &str = "^[a-z][a-z0-9-]*$";
const METHOD_PATTERN: &str = "^[a-z][a-zA-Z0-9]*$";

fn valid_service(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(b'a'..=b'z'))
        && b.all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

fn valid_method(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(b'a'..=b'z')) && b.all(|c| c.is_ascii_alphanumeric())
}

/// A JSON-pointer token for `key` (`a/b` → `a~1b`).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Parses manifest bytes. `file` names the manifest in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Manifest, Error> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let message = strip_position(&e.to_string());
        if message.starts_with("recursion limit exceeded") {
            // Valid JSON, only deeper than the parser goes: say so, not "not valid JSON".
            return Error::Shape {
                file: format!("{file}:{}:{}", e.line(), e.column()),
                pointer: "/".to_owned(),
                message:
                    "nested deeper than 128 arrays and objects, which no clamator schema needs; \
                          is this a schema manifest?"
                        .to_owned(),
            };
        }
        Error::Json {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let shape = |pointer: &str, message: String| Error::Shape {
        file: file.to_owned(),
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        message,
    };
    let Value::Object(mut root) = value else {
        return Err(shape("", "a manifest must be a JSON object".to_owned()));
    };
    // Checked as upstream writes it; what wrote the manifest does not change what is generated.
    match root.remove("generatedBy") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(shape("/generatedBy", "must be a string".to_owned())),
        None => return Err(shape("", "missing \"generatedBy\"".to_owned())),
    }
    let definitions = match root.remove(DEFINITIONS) {
        None => Vec::new(),
        Some(Value::Object(map)) => {
            let mut out = Vec::with_capacity(map.len());
            for (key, body) in map {
                if !matches!(body, Value::Object(_) | Value::Bool(_)) {
                    return Err(shape(
                        &format!("/{DEFINITIONS}/{}", escape_pointer(&key)),
                        "a definition must be a schema (an object)".to_owned(),
                    ));
                }
                out.push((key, body));
            }
            out
        }
        Some(_) => {
            return Err(shape(
                &format!("/{DEFINITIONS}"),
                "must be an object of definitions".to_owned(),
            ));
        }
    };
    let contracts = match root.remove("contracts") {
        Some(Value::Object(c)) => c,
        Some(_) => return Err(shape("/contracts", "must be an object".to_owned())),
        None => return Err(shape("", "missing \"contracts\"".to_owned())),
    };

    let mut services = Vec::with_capacity(contracts.len());
    let mut kinds = (0usize, 0usize);
    for (service_name, methods) in contracts {
        let sp = format!("/contracts/{}", escape_pointer(&service_name));
        if !valid_service(&service_name) {
            return Err(shape(
                &sp,
                format!("service name \"{service_name}\" does not match {SERVICE_PATTERN}"),
            ));
        }
        let Value::Object(methods) = methods else {
            return Err(shape(
                &sp,
                "a service must be an object of methods".to_owned(),
            ));
        };
        let mut out = Vec::with_capacity(methods.len());
        for (method_name, entry) in methods {
            let mp = format!("{sp}/{}", escape_pointer(&method_name));
            if !valid_method(&method_name) {
                return Err(shape(
                    &mp,
                    format!("method name \"{method_name}\" does not match {METHOD_PATTERN}"),
                ));
            }
            let Value::Object(entry) = entry else {
                return Err(shape(&mp, "a method must be an object".to_owned()));
            };
            let method = parse_method(method_name, entry, &mp, &shape)?;
            match (
                &method.params_schema,
                method.is_notification(),
                &method.result_schema,
            ) {
                (None, _, None) => kinds.1 += 1,
                (Some(_), true, None) | (Some(_), false, Some(_)) => kinds.0 += 1,
                (None, _, Some(_)) => {
                    return Err(shape(
                        &mp,
                        "has \"resultSchema\" but no \"paramsSchema\"".to_owned(),
                    ));
                }
                (Some(_), false, None) => {
                    return Err(shape(
                        &mp,
                        "has \"resultHash\" but no \"resultSchema\"".to_owned(),
                    ));
                }
                (Some(_), true, Some(_)) => {
                    return Err(shape(
                        &mp,
                        "a notification (\"resultHash\": null) must have \"resultSchema\": null"
                            .to_owned(),
                    ));
                }
            }
            out.push(method);
        }
        services.push(Service {
            name: service_name,
            methods: out,
        });
    }
    let kind = match kinds {
        (_, 0) => ManifestKind::Schema,
        (0, _) => ManifestKind::HashesOnly,
        _ => {
            return Err(shape(
                "/contracts",
                "some methods carry schemas and some do not; regenerate the manifest with clamator-manifest".to_owned(),
            ));
        }
    };
    Ok(Manifest {
        file: file.to_owned(),
        services,
        kind,
        definitions,
    })
}

fn parse_method(
    name: String,
    mut entry: Map<String, Value>,
    pointer: &str,
    shape: &impl Fn(&str, String) -> Error,
) -> Result<Method, Error> {
    let hash = |v: Option<Value>, key: &str, nullable: bool| -> Result<Option<String>, Error> {
        match v {
            Some(Value::String(h)) if is_sha256_hex(&h) => Ok(Some(h)),
            Some(Value::Null) if nullable => Ok(None),
            Some(_) => Err(shape(
                &format!("{pointer}/{key}"),
                format!(
                    "must be a lowercase hex sha256{}",
                    if nullable { " or null" } else { "" }
                ),
            )),
            None => Err(shape(pointer, format!("missing \"{key}\""))),
        }
    };
    let params_hash = hash(entry.remove("paramsHash"), "paramsHash", false)?.unwrap_or_default();
    let result_hash = hash(entry.remove("resultHash"), "resultHash", true)?;
    let schema = |v: Option<Value>, key: &str| -> Result<Option<Value>, Error> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v @ (Value::Object(_) | Value::Bool(_))) => Ok(Some(v)),
            Some(_) => Err(shape(
                &format!("{pointer}/{key}"),
                "a schema must be an object".to_owned(),
            )),
        }
    };
    let params_schema = schema(entry.remove("paramsSchema"), "paramsSchema")?;
    let result_schema = schema(entry.remove("resultSchema"), "resultSchema")?;
    let params_typing = schema(entry.remove(PARAMS_TYPING), PARAMS_TYPING)?;
    let result_typing = schema(entry.remove(RESULT_TYPING), RESULT_TYPING)?;
    for (typing, hashed, key) in [
        (&params_typing, &params_schema, PARAMS_TYPING),
        (&result_typing, &result_schema, RESULT_TYPING),
    ] {
        if typing.is_some() && hashed.is_none() {
            return Err(shape(
                &format!("{pointer}/{key}"),
                "a typing view without the schema it stands for".to_owned(),
            ));
        }
    }
    Ok(Method {
        name,
        params_hash,
        result_hash,
        params_schema,
        result_schema,
        params_typing,
        result_typing,
    })
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// serde_json appends " at line L column C"; the error already carries both.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
