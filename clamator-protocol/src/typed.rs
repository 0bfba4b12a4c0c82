//! Typed calls over any [`Client`]: the one-line bodies of generated client methods.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, ProtocolError};

/// Calls `service.method` with typed params and decodes the typed result.
///
/// A result that does not fit `R` is a protocol error naming the method: the peer answered with
/// something its own contract does not allow.
pub async fn call<C, P, R>(
    client: &C,
    service: &str,
    method: &str,
    params: &P,
    timeout: Option<Duration>,
) -> Result<R, Error>
where
    C: Client + ?Sized,
    P: Serialize + ?Sized,
    R: DeserializeOwned,
{
    let params = encode_params(service, method, params)?;
    let result = client.call(service, method, params, timeout).await?;
    crate::validation::decode(&result).map_err(|errors| {
        ProtocolError::new(format!("invalid result for {service}.{method}: {errors}")).into()
    })
}

/// Sends a typed notification.
pub async fn notify<C, P>(client: &C, service: &str, method: &str, params: &P) -> Result<(), Error>
where
    C: Client + ?Sized,
    P: Serialize + ?Sized,
{
    let params = encode_params(service, method, params)?;
    client.notify(service, method, params).await
}

fn encode_params<P: Serialize + ?Sized>(
    service: &str,
    method: &str,
    params: &P,
) -> Result<serde_json::Value, Error> {
    crate::validation::encode(params).map_err(|errors| {
        ProtocolError::new(format!(
            "params for {service}.{method} could not be encoded: {errors}"
        ))
        .into()
    })
}
