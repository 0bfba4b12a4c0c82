//! What a generated client proxy and `into_contract` are made of, so that each generated method
//! is one line: `self.service.call("method", params)` on the client side, `.method(&METHODS[i],
//! S::method)` on the serving side (the service trait's method itself, see [`Handler`]). Value
//! checks come from the params' and result's `Validate` impls; a root type that is an alias
//! (which cannot have an impl of its own) passes its checks explicitly (`call_checked`,
//! `checked_method`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::MethodInfo;
use crate::contract::{Check, ContractBuilder, HandlerError};
use crate::typed::{call_checked, notify_checked};
use crate::validation::Validate;
use crate::{Client, Contract, Error};

/// A generated client's link to its service: the transport's client, the service's wire name,
/// and the timeout of the calls made through it (`None`: the client's default).
#[derive(Debug, Clone)]
pub struct ServiceClient<C> {
    client: C,
    service: &'static str,
    timeout: Option<Duration>,
}

impl<C: Client> ServiceClient<C> {
    /// Calls to `service` through `client`, with the client's default timeout.
    pub fn new(client: C, service: &'static str) -> Self {
        Self {
            client,
            service,
            timeout: None,
        }
    }

    /// The same link, whose calls wait at most `timeout`.
    pub fn with_timeout(&self, timeout: Duration) -> ServiceClient<&C> {
        ServiceClient {
            client: &self.client,
            service: self.service,
            timeout: Some(timeout),
        }
    }

    /// The transport's client.
    pub fn client(&self) -> &C {
        &self.client
    }

    /// Calls `method`, checking params and result with their `Validate` impls.
    pub fn call<'a, P, R>(
        &'a self,
        method: &'a str,
        params: &'a P,
    ) -> impl Future<Output = Result<R, Error>> + 'a
    where
        P: Validate + Serialize,
        R: Validate + DeserializeOwned + 'a,
    {
        self.call_checked(method, params, (P::validate_at, R::validate_at))
    }

    /// Calls `method` with explicit checks.
    pub fn call_checked<'a, P, R>(
        &'a self,
        method: &'a str,
        params: &'a P,
        checks: (Check<P>, Check<R>),
    ) -> impl Future<Output = Result<R, Error>> + 'a
    where
        P: Serialize,
        R: DeserializeOwned + 'a,
    {
        call_checked(
            &self.client,
            self.service,
            method,
            params,
            self.timeout,
            checks,
        )
    }

    /// Sends the notification `method`, checking params with their `Validate` impl.
    pub fn notify<'a, P>(
        &'a self,
        method: &'a str,
        params: &'a P,
    ) -> impl Future<Output = Result<(), Error>> + 'a
    where
        P: Validate + Serialize,
    {
        self.notify_checked(method, params, P::validate_at)
    }

    /// Sends the notification `method` with an explicit check.
    pub fn notify_checked<'a, P>(
        &'a self,
        method: &'a str,
        params: &'a P,
        check: Check<P>,
    ) -> impl Future<Output = Result<(), Error>> + 'a
    where
        P: Serialize,
    {
        notify_checked(&self.client, self.service, method, params, check)
    }
}

/// A method of a service trait as its contract calls it: `S::method`, a function of the
/// implementation (borrowed while its future runs) and the params. Generated code passes the
/// trait's methods themselves, so no closure or `async` block is generated per method.
pub trait Handler<'a, S: 'a, P>: Copy + Send + Sync + 'static {
    /// What the method's future gives.
    type Output;
    /// The method's future, which borrows the implementation.
    type Future: Future<Output = Self::Output> + Send + 'a;

    /// Calls the method.
    fn call(self, service: &'a S, params: P) -> Self::Future;
}

impl<'a, S: 'a, P, F, Fut> Handler<'a, S, P> for F
where
    F: Fn(&'a S, P) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future + Send + 'a,
{
    type Output = Fut::Output;
    type Future = Fut;

    fn call(self, service: &'a S, params: P) -> Fut {
        self(service, params)
    }
}

/// Builds the contract of a generated service from its implementation: one registration per
/// method, each calling it on the shared implementation with the decoded params.
pub struct ContractOf<S> {
    builder: ContractBuilder,
    service: Arc<S>,
}

impl<S: Send + Sync + 'static> ContractOf<S> {
    /// The contract of `service` under the wire name `name`.
    pub fn new(name: &'static str, service: S) -> Self {
        Self {
            builder: Contract::builder(name),
            service: Arc::new(service),
        }
    }

    /// Adds a request method whose params and result check themselves (`Validate`).
    pub fn method<P, R, H>(self, info: &MethodInfo, handler: H) -> Self
    where
        P: Validate + DeserializeOwned + Serialize + Send + 'static,
        R: Validate + DeserializeOwned + Serialize + Send + 'static,
        H: for<'a> Handler<'a, S, P, Output = Result<R, HandlerError>>,
    {
        self.checked_method(info, (P::validate_at, R::validate_at), handler)
    }

    /// Adds a request method with explicit checks.
    pub fn checked_method<P, R, H>(
        self,
        info: &MethodInfo,
        checks: (Check<P>, Check<R>),
        handler: H,
    ) -> Self
    where
        P: DeserializeOwned + Serialize + Send + 'static,
        R: DeserializeOwned + Serialize + Send + 'static,
        H: for<'a> Handler<'a, S, P, Output = Result<R, HandlerError>>,
    {
        let service = Arc::clone(&self.service);
        let builder =
            self.builder
                .checked_method(info.name, info.hashes(), checks.0, checks.1, move |p| {
                    let service = Arc::clone(&service);
                    async move { handler.call(&service, p).await }
                });
        Self { builder, ..self }
    }

    /// Adds a notification whose params check themselves (`Validate`).
    pub fn notification<P, H>(self, info: &MethodInfo, handler: H) -> Self
    where
        P: Validate + DeserializeOwned + Serialize + Send + 'static,
        H: for<'a> Handler<'a, S, P, Output = ()>,
    {
        self.checked_notification(info, P::validate_at, handler)
    }

    /// Adds a notification with an explicit check.
    pub fn checked_notification<P, H>(self, info: &MethodInfo, check: Check<P>, handler: H) -> Self
    where
        P: DeserializeOwned + Serialize + Send + 'static,
        H: for<'a> Handler<'a, S, P, Output = ()>,
    {
        let service = Arc::clone(&self.service);
        let builder =
            self.builder
                .checked_notification(info.name, info.hashes(), check, move |p| {
                    let service = Arc::clone(&service);
                    async move { handler.call(&service, p).await }
                });
        Self { builder, ..self }
    }

    /// The contract. Its names were checked by the generator.
    pub fn finish(self) -> Contract {
        self.builder.build_unchecked()
    }
}
