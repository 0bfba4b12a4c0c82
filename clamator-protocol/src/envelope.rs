//! JSON-RPC 2.0 envelopes: parsing with the exact rules and messages of the other clamator
//! implementations, and building with their key order (`jsonrpc` first).

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Number, Value};

use crate::error::RpcError;
use crate::names::{is_valid_method_name, is_valid_service_name};

/// The value of the `jsonrpc` member.
pub const JSONRPC_VERSION: &str = "2.0";

/// A request id: a string (clients send UUID v4 strings) or a number (echoed as received).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Id {
    /// A string id.
    String(String),
    /// A numeric id, kept exactly as received.
    Number(Number),
}

impl Id {
    /// A fresh random UUID v4 id, lowercase and hyphenated.
    pub fn new_v4() -> Self {
        Id::String(uuid::Uuid::new_v4().to_string())
    }
}

impl fmt::Display for Id {
    /// The key replies are matched by: the string itself, or the number's text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::String(s) => f.write_str(s),
            Id::Number(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::String(v) => v.serialize(s),
            Id::Number(v) => v.serialize(s),
        }
    }
}

impl From<Id> for Value {
    fn from(id: Id) -> Value {
        match id {
            Id::String(s) => Value::String(s),
            Id::Number(n) => Value::Number(n),
        }
    }
}

/// A call that expects a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The id the reply will carry.
    pub id: Id,
    /// Service segment of `method`.
    pub service: String,
    /// Method segment of `method`.
    pub method: String,
    /// Params; `{}` when the envelope had none.
    pub params: Value,
}

/// A call without an id: no reply, ever.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// Service segment of `method`.
    pub service: String,
    /// Method segment of `method`.
    pub method: String,
    /// Params; `{}` when the envelope had none.
    pub params: Value,
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// Id of the request answered.
    pub id: Id,
    /// The result.
    pub result: Value,
}

/// An error reply.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// Id of the request answered; absent or null when the server could not tell.
    pub id: Option<Id>,
    /// The error.
    pub error: RpcError,
}

/// Any clamator envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// See [`Request`].
    Request(Request),
    /// See [`Notification`].
    Notification(Notification),
    /// See [`SuccessResponse`].
    Success(SuccessResponse),
    /// See [`ErrorResponse`].
    Error(ErrorResponse),
}

impl Envelope {
    /// The kind's name, as the other implementations print it.
    pub fn kind(&self) -> &'static str {
        match self {
            Envelope::Request(_) => "request",
            Envelope::Notification(_) => "notification",
            Envelope::Success(_) => "success",
            Envelope::Error(_) => "error",
        }
    }

    /// The envelope as a JSON value, keys in wire order.
    pub fn to_value(&self) -> Value {
        // Serialising these types into a Value cannot fail: every key is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Why an envelope was refused. Displays as `-32600 Invalid Request: <reason>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidEnvelope {
    reason: &'static str,
}

impl InvalidEnvelope {
    /// `batch requests not supported`.
    pub const BATCH: Self = Self::new("batch requests not supported");
    /// `not an object`.
    pub const NOT_OBJECT: Self = Self::new("not an object");
    /// `jsonrpc must equal "2.0"`.
    pub const JSONRPC: Self = Self::new("jsonrpc must equal \"2.0\"");
    /// `method must be "<service>.<method>"`.
    pub const METHOD_SHAPE: Self = Self::new("method must be \"<service>.<method>\"");
    /// `invalid service segment`.
    pub const SERVICE_SEGMENT: Self = Self::new("invalid service segment");
    /// `invalid method segment`.
    pub const METHOD_SEGMENT: Self = Self::new("invalid method segment");
    /// `id must be string or number`.
    pub const ID_TYPE: Self = Self::new("id must be string or number");
    /// `response must have id`.
    pub const RESPONSE_ID: Self = Self::new("response must have id");
    /// `error must have numeric code + string message`.
    pub const ERROR_SHAPE: Self = Self::new("error must have numeric code + string message");
    /// `envelope must be request, notification, or response`.
    pub const UNKNOWN_KIND: Self = Self::new("envelope must be request, notification, or response");

    const fn new(reason: &'static str) -> Self {
        Self { reason }
    }

    /// The reason alone, without the code prefix.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for InvalidEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-32600 Invalid Request: {}", self.reason)
    }
}

impl std::error::Error for InvalidEnvelope {}

/// Parses a JSON value into an envelope, applying the protocol rules in their fixed order.
pub fn parse_envelope(value: Value) -> Result<Envelope, InvalidEnvelope> {
    let mut obj = match value {
        Value::Array(_) => return Err(InvalidEnvelope::BATCH),
        Value::Object(obj) => obj,
        _ => return Err(InvalidEnvelope::NOT_OBJECT),
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some(JSONRPC_VERSION) {
        return Err(InvalidEnvelope::JSONRPC);
    }
    // An explicit `"id": null` counts as no id, as on the other sides.
    let id = obj.remove("id").filter(|id| !id.is_null());

    if let Some(Value::String(full)) = obj.get("method") {
        let (service, method) = split_method(full)?;
        let params = obj
            .remove("params")
            .unwrap_or_else(|| Value::Object(Map::new()));
        return match id {
            Some(id) => Ok(Envelope::Request(Request {
                id: parse_id(id)?,
                service,
                method,
                params,
            })),
            None => Ok(Envelope::Notification(Notification {
                service,
                method,
                params,
            })),
        };
    }

    match (obj.remove("result"), obj.remove("error")) {
        (Some(result), None) => {
            let id = id.ok_or(InvalidEnvelope::RESPONSE_ID)?;
            Ok(Envelope::Success(SuccessResponse {
                id: any_id(id),
                result,
            }))
        }
        (None, Some(error)) => Ok(Envelope::Error(ErrorResponse {
            id: id.map(any_id),
            error: parse_error_object(error)?,
        })),
        _ => Err(InvalidEnvelope::UNKNOWN_KIND),
    }
}

/// Parses envelope text. `None` for text that is not JSON at all.
pub fn parse_envelope_text(text: &[u8]) -> Option<Result<Envelope, InvalidEnvelope>> {
    serde_json::from_slice::<Value>(text)
        .ok()
        .map(parse_envelope)
}

fn split_method(full: &str) -> Result<(String, String), InvalidEnvelope> {
    let (service, method) = full.split_once('.').ok_or(InvalidEnvelope::METHOD_SHAPE)?;
    if service.is_empty() || method.is_empty() {
        return Err(InvalidEnvelope::METHOD_SHAPE);
    }
    if !is_valid_service_name(service) {
        return Err(InvalidEnvelope::SERVICE_SEGMENT);
    }
    if !is_valid_method_name(method) {
        return Err(InvalidEnvelope::METHOD_SEGMENT);
    }
    Ok((service.to_owned(), method.to_owned()))
}

fn parse_id(id: Value) -> Result<Id, InvalidEnvelope> {
    match id {
        Value::String(s) => Ok(Id::String(s)),
        Value::Number(n) => Ok(Id::Number(n)),
        _ => Err(InvalidEnvelope::ID_TYPE),
    }
}

/// Response ids are not type-checked by the other implementations; an odd one simply matches no
/// pending call, so it is kept as its JSON text.
fn any_id(id: Value) -> Id {
    parse_id(id.clone()).unwrap_or_else(|_| Id::String(id.to_string()))
}

fn parse_error_object(error: Value) -> Result<RpcError, InvalidEnvelope> {
    let Value::Object(mut error) = error else {
        return Err(InvalidEnvelope::ERROR_SHAPE);
    };
    let code = error.get("code").and_then(Value::as_i64);
    let message = match error.remove("message") {
        Some(Value::String(m)) => Some(m),
        _ => None,
    };
    match (code, message) {
        (Some(code), Some(message)) => Ok(RpcError {
            code,
            message,
            data: error.remove("data").unwrap_or(Value::Null),
        }),
        _ => Err(InvalidEnvelope::ERROR_SHAPE),
    }
}

impl Serialize for Envelope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Envelope::Request(r) => {
                let mut m = s.serialize_map(Some(4))?;
                m.serialize_entry("jsonrpc", JSONRPC_VERSION)?;
                m.serialize_entry("method", &FullMethod(&r.service, &r.method))?;
                m.serialize_entry("params", &r.params)?;
                m.serialize_entry("id", &r.id)?;
                m.end()
            }
            Envelope::Notification(n) => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("jsonrpc", JSONRPC_VERSION)?;
                m.serialize_entry("method", &FullMethod(&n.service, &n.method))?;
                m.serialize_entry("params", &n.params)?;
                m.end()
            }
            Envelope::Success(r) => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("jsonrpc", JSONRPC_VERSION)?;
                m.serialize_entry("id", &r.id)?;
                m.serialize_entry("result", &r.result)?;
                m.end()
            }
            Envelope::Error(r) => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("jsonrpc", JSONRPC_VERSION)?;
                m.serialize_entry("id", &r.id)?;
                m.serialize_entry("error", &r.error)?;
                m.end()
            }
        }
    }
}

struct FullMethod<'a>(&'a str, &'a str);

impl Serialize for FullMethod<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}.{}", self.0, self.1))
    }
}

/// A success reply to `id`. Built by moving `result` in: serialising the envelope would copy it.
pub fn success_response(id: Id, result: Value) -> Value {
    let mut reply = Map::with_capacity(3);
    reply.insert(
        "jsonrpc".to_owned(),
        Value::String(JSONRPC_VERSION.to_owned()),
    );
    reply.insert("id".to_owned(), id.into());
    reply.insert("result".to_owned(), result);
    Value::Object(reply)
}

/// An error reply to `id`.
pub fn error_response(id: Option<Id>, error: RpcError) -> Value {
    let mut body = Map::with_capacity(3);
    body.insert("code".to_owned(), Value::from(error.code));
    body.insert("message".to_owned(), Value::String(error.message));
    body.insert("data".to_owned(), error.data);
    let mut reply = Map::with_capacity(3);
    reply.insert(
        "jsonrpc".to_owned(),
        Value::String(JSONRPC_VERSION.to_owned()),
    );
    reply.insert("id".to_owned(), id.map_or(Value::Null, Value::from));
    reply.insert("error".to_owned(), Value::Object(body));
    Value::Object(reply)
}
