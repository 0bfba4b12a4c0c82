//! The server half: registration, start (consumer groups, one [`ServiceLoop`] per service), and
//! the two-step stop (stop reading, then let taken entries finish within the grace).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clamator_protocol::{Error, ServerTransport, ServiceDispatcher, State, TransportError};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use crate::clock::RedisClock;
use crate::connect::Target;
use crate::options::RedisOptions;
use crate::service_loop::{Server, ServiceLoop, create_group};

/// The server side of the Redis transport. Wrap it in [`clamator_protocol::RpcServer`] (see
/// [`RedisRpcServer`](crate::RedisRpcServer)); it needs a Tokio runtime.
#[derive(Debug)]
pub struct RedisServerTransport {
    pub(crate) options: RedisOptions,
    pub(crate) target: Target,
    pub(crate) instance_id: String,
    pub(crate) slots: Arc<Semaphore>,
    pub(crate) inner: Mutex<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) state: State,
    pub(crate) dispatchers: Vec<ServiceDispatcher>,
    /// `true` stops the loops reading.
    pub(crate) stop_reading: watch::Sender<bool>,
    /// `true` drops the entries still being handled, unacknowledged.
    pub(crate) abandon: watch::Sender<bool>,
    pub(crate) loops: Vec<JoinHandle<()>>,
    pub(crate) services: Vec<Arc<ServiceLoop>>,
}

impl RedisServerTransport {
    /// A server transport with these options. Fails (`Error::Usage`) when the options do not say
    /// one place to connect (a URL, a client or cluster nodes, at most one of them; cluster
    /// nodes all TLS or none), the URL is not a Redis URL, TLS files go with an address that is
    /// not TLS, or a TLS file cannot be read. Connects on [`start`](ServerTransport::start).
    pub fn new(options: RedisOptions) -> Result<Self, Error> {
        let target = options.target()?;
        let instance_id = options.resolved_instance_id();
        Ok(Self {
            slots: Arc::new(Semaphore::new(options.max_in_flight)),
            options,
            target,
            instance_id,
            inner: Mutex::new(Inner {
                state: State::Idle,
                dispatchers: Vec::new(),
                stop_reading: watch::channel(false).0,
                abandon: watch::channel(false).0,
                loops: Vec::new(),
                services: Vec::new(),
            }),
        })
    }

    /// This server's instance id; its consumer in each group is `<service>:<instance id>`.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// How many entries are being handled now.
    pub fn in_flight(&self) -> usize {
        self.options.max_in_flight - self.slots.available_permits()
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl ServerTransport for RedisServerTransport {
    async fn register_service(&self, dispatcher: ServiceDispatcher) -> Result<(), Error> {
        let mut inner = self.lock();
        if inner
            .dispatchers
            .iter()
            .any(|d| d.service() == dispatcher.service())
        {
            return Err(Error::Usage(format!(
                "service \"{}\" already registered on this transport",
                dispatcher.service()
            )));
        }
        inner.dispatchers.push(dispatcher);
        Ok(())
    }

    async fn start(&self) -> Result<(), TransportError> {
        let dispatchers = {
            let inner = self.lock();
            match inner.state {
                State::Started => return Ok(()),
                State::Stopped => return Err(TransportError::new("transport has been stopped")),
                State::Idle => inner.dispatchers.clone(),
            }
        };
        let mut commands = self.target.commands().await?;
        let clock = Arc::new(RedisClock::default());
        if let Err(e) = clock.sync(&mut commands).await {
            tracing::warn!(error = %e, "cannot read Redis's clock; deadlines are judged on this machine's until it can");
        }
        let mut services = Vec::with_capacity(dispatchers.len());
        for dispatcher in dispatchers {
            let server = Server {
                options: &self.options,
                target: &self.target,
                instance_id: &self.instance_id,
                slots: &self.slots,
                abandon: self.lock().abandon.subscribe(),
                clock: &clock,
            };
            let service = Arc::new(ServiceLoop::new(server, dispatcher, commands.clone()));
            create_group(&mut commands, &service.stream, &service.group).await?;
            services.push(service);
        }
        let mut inner = self.lock();
        if inner.state != State::Idle {
            return match inner.state {
                State::Stopped => Err(TransportError::new("transport has been stopped")),
                _ => Ok(()),
            };
        }
        for service in services {
            let stopping = inner.stop_reading.subscribe();
            inner
                .loops
                .push(tokio::spawn(Arc::clone(&service).consume(stopping)));
            let stopping = inner.stop_reading.subscribe();
            inner
                .loops
                .push(tokio::spawn(Arc::clone(&service).reclaim(stopping)));
            if let Some(every) = self.options.trim_interval {
                let stopping = inner.stop_reading.subscribe();
                inner
                    .loops
                    .push(tokio::spawn(Arc::clone(&service).trim(every, stopping)));
            }
            inner.services.push(service);
        }
        inner.state = State::Started;
        Ok(())
    }

    async fn stop_accepting(&self) {
        let (loops, services) = {
            let mut inner = self.lock();
            let _ = inner.stop_reading.send(true);
            (
                std::mem::take(&mut inner.loops),
                std::mem::take(&mut inner.services),
            )
        };
        // A read in progress is ended with CLIENT UNBLOCK, which makes it return what it has
        // (nothing) rather than drop entries it was about to deliver; they would otherwise wait
        // for a reclaim. If the unblock misses, the read ends within one BLOCK anyway.
        for service in &services {
            service.unblock_reader().await;
        }
        for handle in loops {
            let _ = handle.await;
        }
    }

    async fn stop(&self) -> Result<(), TransportError> {
        if std::mem::replace(&mut self.lock().state, State::Stopped) != State::Started {
            return Ok(());
        }
        self.stop_accepting().await;
        let all = u32::try_from(self.options.max_in_flight).unwrap_or(u32::MAX);
        let drained =
            tokio::time::timeout(self.options.shutdown_grace, self.slots.acquire_many(all)).await;
        if drained.is_err() {
            tracing::warn!(
                in_flight = self.in_flight(),
                "entries still running after the shutdown grace are dropped unacknowledged; \
                 another server will claim them"
            );
            let _ = self.lock().abandon.send(true);
            let _ =
                tokio::time::timeout(Duration::from_secs(1), self.slots.acquire_many(all)).await;
        }
        Ok(())
    }
}
