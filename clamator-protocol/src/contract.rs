//! A contract value: one service's name and its table of wire method name → type-erased handler.
//!
//! This is the type-erasure boundary. Generated code and hand-written code both build contracts
//! from typed async closures; the server core only ever sees JSON in, JSON or an error out.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, RpcError};
use crate::names::{is_valid_method_name, is_valid_service_name};
use crate::validation::{Path, Violations, decode, encode};

/// A value check: records each rule `value` breaks. Generated code passes
/// `<T as Validate>::validate_at`, or a closure for a type alias whose rules are its own.
pub type Check<T> = fn(&T, &Path<'_>, &mut Violations);

/// The check of a type with no value rules (what hand-built contracts use).
pub fn no_check<T>(_: &T, _: &Path<'_>, _: &mut Violations) {}

/// The params check of a hand-built method: decoding only; what is handed back is the input
/// (the type need not be `Serialize`).
fn decode_only<P: DeserializeOwned + 'static>() -> ErasedCheck {
    Arc::new(|value: &Value| decode::<P>(value).map(|_| value.clone()))
}

/// Runs `check` on a whole value: `Err` lists every violation.
pub(crate) fn run_check<T>(check: Check<T>, value: &T) -> Result<(), Violations> {
    let mut out = Violations::new();
    check(value, &Path::Root, &mut out);
    out.into_result()
}

/// Decodes `value` and checks its value rules, as a server does with params: the type error,
/// or every broken rule.
fn decode_checked<T: DeserializeOwned>(value: &Value, check: Check<T>) -> Result<T, Violations> {
    let typed: T = decode(value)?;
    run_check(check, &typed)?;
    Ok(typed)
}

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Why a handler did not produce a result.
///
/// Any `std::error::Error` converts into it, so handlers can use `?`. An [`RpcError`] is passed to
/// the caller verbatim; anything else becomes `-32603 Internal error` with
/// `data = {"name": <type name>, "message": <Display>}`.
pub struct HandlerError {
    kind: HandlerErrorKind,
}

enum HandlerErrorKind {
    Rpc(RpcError),
    Other { name: String, message: String },
}

impl HandlerError {
    /// A failure that is not an `RpcError`, with an explicit name and message.
    pub fn other(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: HandlerErrorKind::Other {
                name: name.into(),
                message: message.into(),
            },
        }
    }

    /// The error the caller will see.
    pub fn into_rpc_error(self) -> RpcError {
        match self.kind {
            HandlerErrorKind::Rpc(e) => e,
            HandlerErrorKind::Other { name, message } => RpcError::internal(&name, &message),
        }
    }

    /// Whether this is a deliberate `RpcError` (as opposed to an internal failure).
    pub fn is_rpc_error(&self) -> bool {
        matches!(self.kind, HandlerErrorKind::Rpc(_))
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for HandlerError {
    fn from(err: E) -> Self {
        let boxed: Box<dyn std::any::Any> = Box::new(err);
        match boxed.downcast::<RpcError>() {
            Ok(rpc) => Self {
                kind: HandlerErrorKind::Rpc(*rpc),
            },
            Err(other) => {
                let message = other
                    .downcast_ref::<E>()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                Self::other(short_type_name::<E>(), message)
            }
        }
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            HandlerErrorKind::Rpc(e) => f.debug_tuple("Rpc").field(e).finish(),
            HandlerErrorKind::Other { name, message } => f
                .debug_struct("Other")
                .field("name", name)
                .field("message", message)
                .finish(),
        }
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            HandlerErrorKind::Rpc(e) => write!(f, "{e}"),
            HandlerErrorKind::Other { name, message } => write!(f, "{name}: {message}"),
        }
    }
}

/// `std::io::error::Error` → `Error`; `my::Wrapper<a::B>` → `Wrapper`.
fn short_type_name<T: ?Sized>() -> &'static str {
    short_name(std::any::type_name::<T>())
}

/// The last segment of a `type_name`, without generic arguments.
pub(crate) fn short_name(full: &str) -> &str {
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

/// What a notification handler may return: nothing, or a `Result` whose error the server logs.
pub trait NotificationOutput: Send + 'static {
    /// The failure to log, if any.
    fn into_result(self) -> Result<(), HandlerError>;
}

impl NotificationOutput for () {
    fn into_result(self) -> Result<(), HandlerError> {
        Ok(())
    }
}

impl<E: Into<HandlerError> + Send + 'static> NotificationOutput for Result<(), E> {
    fn into_result(self) -> Result<(), HandlerError> {
        self.map_err(Into::into)
    }
}

/// Whether a method answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodKind {
    /// Called with an id; answers with a result or an error.
    Request,
    /// Called without an id; never answers.
    Notification,
}

/// What a contract records about one method besides its handler: the hashes of the schemas it was
/// generated from (`None` for hand-built contracts), so drift can be reported at run time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MethodHashes {
    /// sha256 of the params JSON Schema.
    pub params: Option<String>,
    /// sha256 of the result JSON Schema; `None` for notifications.
    pub result: Option<String>,
}

/// The outcome of running a handler on decoded params.
pub(crate) enum HandlerFailure {
    /// The handler failed.
    Handler(HandlerError),
    /// The handler returned a value that could not be encoded (`data` of the -32603).
    InvalidResult(Value),
}

pub(crate) type HandlerFuture = BoxFuture<Result<Value, HandlerFailure>>;

/// Decodes params (the `Err` is the `data` of a -32602), then yields the handler's future.
pub(crate) type ErasedHandler = Arc<dyn Fn(&Value) -> Result<HandlerFuture, Value> + Send + Sync>;

/// One entry of a contract's method table.
#[derive(Clone)]
pub struct MethodEntry {
    /// The wire method name, shared with every call's context.
    pub(crate) name: Arc<str>,
    pub(crate) kind: MethodKind,
    pub(crate) hashes: MethodHashes,
    pub(crate) handler: ErasedHandler,
    checks: ErasedChecks,
}

/// Decode, check and encode again, for params and (when known) results.
type ErasedCheck = Arc<dyn Fn(&Value) -> Result<Value, Violations> + Send + Sync>;

#[derive(Clone)]
struct ErasedChecks {
    params: ErasedCheck,
    result: Option<ErasedCheck>,
}

fn erased_check<T>(check: Check<T>) -> ErasedCheck
where
    T: DeserializeOwned + Serialize + 'static,
{
    Arc::new(move |value: &Value| encode(&decode_checked(value, check)?))
}

impl MethodEntry {
    /// Whether the method answers.
    pub fn kind(&self) -> MethodKind {
        self.kind
    }

    /// Checks `params` exactly as the server does before the handler runs (types, then value
    /// rules): `Ok` holds them as the handler would see them, encoded again (defaults filled in).
    pub fn check_params(&self, params: &Value) -> Result<Value, Violations> {
        (self.checks.params)(params)
    }

    /// Checks `result` as the server checks what a handler returns; `None` when the method has no
    /// result or was added without result checks ([`ContractBuilder::method`]).
    pub fn check_result(&self, result: &Value) -> Option<Result<Value, Violations>> {
        self.checks.result.as_ref().map(|check| check(result))
    }

    /// The schema hashes the method was generated from.
    pub fn hashes(&self) -> &MethodHashes {
        &self.hashes
    }
}

impl fmt::Debug for MethodEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodEntry")
            .field("kind", &self.kind)
            .field("hashes", &self.hashes)
            .finish_non_exhaustive()
    }
}

/// A service's name and its handlers, ready to register on a server.
#[derive(Clone, Debug)]
pub struct Contract {
    service: String,
    methods: HashMap<String, MethodEntry>,
}

impl Contract {
    /// Starts a contract for `service`.
    pub fn builder(service: impl Into<String>) -> ContractBuilder {
        ContractBuilder {
            service: service.into(),
            methods: Vec::new(),
        }
    }

    /// The wire service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The entry for a wire method name.
    pub fn method(&self, name: &str) -> Option<&MethodEntry> {
        self.methods.get(name)
    }

    /// Wire method names with their entries, sorted by name.
    pub fn methods(&self) -> Vec<(&str, &MethodEntry)> {
        let mut all: Vec<_> = self.methods.iter().map(|(k, v)| (k.as_str(), v)).collect();
        all.sort_by_key(|(k, _)| *k);
        all
    }
}

/// Builds a [`Contract`] from typed async handlers.
///
/// ```
/// use clamator_protocol::{Contract, RpcError};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Deserialize)]
/// struct AddParams { a: i64, b: i64 }
/// #[derive(Serialize)]
/// struct AddResult { sum: i64 }
///
/// let contract = Contract::builder("arith")
///     .method("add", |p: AddParams| async move { Ok::<_, RpcError>(AddResult { sum: p.a + p.b }) })
///     .notification("ping", |_: serde_json::Value| async {})
///     .build()
///     .unwrap();
/// assert_eq!(contract.service(), "arith");
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ContractBuilder {
    service: String,
    methods: Vec<(String, MethodEntry)>,
}

impl ContractBuilder {
    /// Adds a method that answers. Params are decoded into `P` before the handler runs; the
    /// handler's `R` is encoded as the result.
    pub fn method<P, R, E, F, Fut>(self, name: impl Into<String>, handler: F) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
        E: Into<HandlerError> + Send + 'static,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        self.method_with_hashes(name, MethodHashes::default(), handler)
    }

    /// [`method`](Self::method), recording the schema hashes it was generated from.
    pub fn method_with_hashes<P, R, E, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
        E: Into<HandlerError> + Send + 'static,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let checks = ErasedChecks {
            params: decode_only::<P>(),
            result: None,
        };
        self.request(name, hashes, no_check, no_check, checks, handler)
    }

    /// [`method_with_hashes`](Self::method_with_hashes) that also checks the value rules of
    /// params (after decoding: -32602 listing every violation) and of the result (before
    /// encoding: -32603 `Result validation failed`).
    pub fn checked_method<P, R, E, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        check_params: Check<P>,
        check_result: Check<R>,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Serialize + Send + 'static,
        R: DeserializeOwned + Serialize + Send + 'static,
        E: Into<HandlerError> + Send + 'static,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let checks = ErasedChecks {
            params: erased_check(check_params),
            result: Some(erased_check(check_result)),
        };
        self.request(name, hashes, check_params, check_result, checks, handler)
    }

    fn request<P, R, E, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        check_params: Check<P>,
        check_result: Check<R>,
        checks: ErasedChecks,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
        E: Into<HandlerError> + Send + 'static,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let erased: ErasedHandler = Arc::new(move |params: &Value| {
            let params: P = decode_checked(params, check_params).map_err(|v| v.to_data())?;
            let fut = handler(params);
            Ok(Box::pin(async move {
                let result = fut.await.map_err(|e| HandlerFailure::Handler(e.into()))?;
                run_check(check_result, &result)
                    .map_err(|v| HandlerFailure::InvalidResult(v.to_data()))?;
                encode(&result).map_err(|v| HandlerFailure::InvalidResult(v.to_data()))
            }) as HandlerFuture)
        });
        self.push(name, MethodKind::Request, hashes, erased, checks)
    }

    /// Adds a notification handler. It never answers; a failure it returns is logged.
    pub fn notification<P, O, F, Fut>(self, name: impl Into<String>, handler: F) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        O: NotificationOutput,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
    {
        self.notification_with_hashes(name, MethodHashes::default(), handler)
    }

    /// [`notification`](Self::notification), recording the params schema hash.
    pub fn notification_with_hashes<P, O, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        O: NotificationOutput,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
    {
        let checks = ErasedChecks {
            params: decode_only::<P>(),
            result: None,
        };
        self.notification_entry(name, hashes, no_check, checks, handler)
    }

    /// [`notification_with_hashes`](Self::notification_with_hashes) that also checks the value
    /// rules of params; a notification that breaks them is logged and dropped.
    pub fn checked_notification<P, O, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        check_params: Check<P>,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Serialize + Send + 'static,
        O: NotificationOutput,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
    {
        let checks = ErasedChecks {
            params: erased_check(check_params),
            result: None,
        };
        self.notification_entry(name, hashes, check_params, checks, handler)
    }

    fn notification_entry<P, O, F, Fut>(
        self,
        name: impl Into<String>,
        hashes: MethodHashes,
        check_params: Check<P>,
        checks: ErasedChecks,
        handler: F,
    ) -> Self
    where
        P: DeserializeOwned + Send + 'static,
        O: NotificationOutput,
        F: Fn(P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
    {
        let erased: ErasedHandler = Arc::new(move |params: &Value| {
            let params: P = decode_checked(params, check_params).map_err(|v| v.to_data())?;
            let fut = handler(params);
            Ok(Box::pin(async move {
                fut.await
                    .into_result()
                    .map(|()| Value::Null)
                    .map_err(HandlerFailure::Handler)
            }) as HandlerFuture)
        });
        self.push(name, MethodKind::Notification, hashes, erased, checks)
    }

    fn push(
        mut self,
        name: impl Into<String>,
        kind: MethodKind,
        hashes: MethodHashes,
        handler: ErasedHandler,
        checks: ErasedChecks,
    ) -> Self {
        let name = name.into();
        self.methods.push((
            name.clone(),
            MethodEntry {
                name: Arc::from(name),
                kind,
                hashes,
                handler,
                checks,
            },
        ));
        self
    }

    /// Finishes a contract whose names were checked when its code was generated. A method given
    /// twice keeps its last handler.
    pub(crate) fn build_unchecked(self) -> Contract {
        Contract {
            service: self.service,
            methods: self.methods.into_iter().collect(),
        }
    }

    /// Checks the names and finishes the contract.
    ///
    /// Fails on a service or method name that breaks the naming rules, and on a method name given
    /// twice.
    pub fn build(self) -> Result<Contract, Error> {
        if !is_valid_service_name(&self.service) {
            return Err(Error::Usage(format!(
                "invalid service name \"{}\" (must match {})",
                self.service,
                crate::names::SERVICE_NAME_PATTERN
            )));
        }
        let mut methods = HashMap::with_capacity(self.methods.len());
        for (name, entry) in self.methods {
            if !is_valid_method_name(&name) {
                return Err(Error::Usage(format!(
                    "invalid method name \"{name}\" (must match {})",
                    crate::names::METHOD_NAME_PATTERN
                )));
            }
            if methods.insert(name.clone(), entry).is_some() {
                return Err(Error::Usage(format!(
                    "method \"{name}\" defined twice in service \"{}\"",
                    self.service
                )));
            }
        }
        Ok(Contract {
            service: self.service,
            methods,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("disk on fire")]
    struct DiskError;

    #[test]
    fn rpc_errors_pass_through_and_others_become_internal() {
        let rpc = HandlerError::from(RpcError::new(42, "nope"));
        assert!(rpc.is_rpc_error());
        assert_eq!(rpc.into_rpc_error(), RpcError::new(42, "nope"));

        let other = HandlerError::from(DiskError).into_rpc_error();
        assert_eq!(other.code, -32603);
        assert_eq!(other.message, "Internal error");
        assert_eq!(
            other.data,
            serde_json::json!({"name": "DiskError", "message": "disk on fire"})
        );
    }

    #[test]
    fn build_rejects_bad_names_and_duplicates() {
        let bad_service = Contract::builder("Arith").build().unwrap_err();
        assert_eq!(
            bad_service.to_string(),
            "invalid service name \"Arith\" (must match ^[a-z][a-z0-9-]*$)"
        );
        let bad_method = Contract::builder("arith")
            .notification("do-it", |_: Value| async {})
            .build()
            .unwrap_err();
        assert_eq!(
            bad_method.to_string(),
            "invalid method name \"do-it\" (must match ^[a-z][a-zA-Z0-9]*$)"
        );
        let twice = Contract::builder("arith")
            .notification("ping", |_: Value| async {})
            .notification("ping", |_: Value| async {})
            .build()
            .unwrap_err();
        assert_eq!(
            twice.to_string(),
            "method \"ping\" defined twice in service \"arith\""
        );
    }
}
