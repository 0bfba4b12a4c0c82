//! Typed calls over any [`Client`]: the one-line bodies of generated client methods.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::contract::{Check, no_check, run_check};
use crate::error::{Error, ValidationError};

/// Calls `service.method` with typed params and decodes the typed result (types only; see
/// [`call_checked`] for value rules).
///
/// A result that does not fit `R` is [`Error::InvalidResult`].
pub async fn call<C, P, R>(
    client: &C,
    service: &str,
    method: &str,
    params: &P,
    timeout: Option<Duration>,
) -> Result<R, Error>
where
    C: Client + ?Sized,
    P: Serialize,
    R: DeserializeOwned,
{
    call_checked(
        client,
        service,
        method,
        params,
        timeout,
        (no_check, no_check),
    )
    .await
}

/// [`call`] that also checks value rules: generated clients call it with each method's checks.
///
/// Params that break the contract's value rules are [`Error::InvalidParams`] and are not sent.
/// A result that does not fit `R` or breaks its rules is [`Error::InvalidResult`]: the peer
/// answered with something its own contract does not allow.
pub async fn call_checked<C, P, R>(
    client: &C,
    service: &str,
    method: &str,
    params: &P,
    timeout: Option<Duration>,
    checks: (Check<P>, Check<R>),
) -> Result<R, Error>
where
    C: Client + ?Sized,
    P: Serialize,
    R: DeserializeOwned,
{
    let (check_params, check_result) = checks;
    let params = encode_params(service, method, params, check_params)?;
    let result = client.call(service, method, params, timeout).await?;
    let invalid = |violations| {
        Error::InvalidResult(ValidationError {
            service: service.to_owned(),
            method: method.to_owned(),
            violations,
        })
    };
    // Unknown keys in a result are dropped, as a Zod client drops them (a server that added a
    // field must not break its callers); params and servers stay strict.
    let typed: R = crate::validation::decode_lenient(&result).map_err(invalid)?;
    run_check(check_result, &typed).map_err(invalid)?;
    Ok(typed)
}

/// Sends a typed notification.
pub async fn notify<C, P>(client: &C, service: &str, method: &str, params: &P) -> Result<(), Error>
where
    C: Client + ?Sized,
    P: Serialize,
{
    notify_checked(client, service, method, params, no_check).await
}

/// [`notify`] that also checks the params' value rules; params that break them are not sent.
pub async fn notify_checked<C, P>(
    client: &C,
    service: &str,
    method: &str,
    params: &P,
    check_params: Check<P>,
) -> Result<(), Error>
where
    C: Client + ?Sized,
    P: Serialize,
{
    let params = encode_params(service, method, params, check_params)?;
    client.notify(service, method, params).await
}

fn encode_params<P: Serialize>(
    service: &str,
    method: &str,
    params: &P,
    check: Check<P>,
) -> Result<serde_json::Value, Error> {
    run_check(check, params)
        .and_then(|()| crate::validation::encode(params))
        .map_err(|violations| {
            Error::InvalidParams(ValidationError {
                service: service.to_owned(),
                method: method.to_owned(),
                violations,
            })
        })
}
