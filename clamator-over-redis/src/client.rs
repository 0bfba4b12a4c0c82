//! The client half: requests go to `<prefix>:cmds:<service>` with this client's reply stream in
//! `reply-to`; one loop reads that stream and hands each reply to the call waiting for it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clamator_protocol::envelope::{Envelope, Notification, Request};
use clamator_protocol::{ClientTransport, Error, Metadata, PendingCalls, State, TransportError};
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::{METADATA_FIELD, TIMEOUT_FIELD, TRACE_FIELDS};
use crate::connect::{BLOCK_SLACK, Backoff, Commands, Target, deadline, sleep_unless_stopping};
use crate::entry::{StreamEntry, read_reply};
use crate::keys::{command_stream, reply_stream};
use crate::options::RedisOptions;

/// The client side of the Redis transport. Wrap it in [`clamator_protocol::RpcClient`] (see
/// [`RedisRpcClient`](crate::RedisRpcClient)); it needs a Tokio runtime.
#[derive(Debug)]
pub struct RedisClientTransport {
    options: RedisOptions,
    target: Target,
    instance_id: String,
    reply_stream: String,
    pending: Arc<PendingCalls>,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: State,
    commands: Option<Commands>,
    shutdown: Option<watch::Sender<bool>>,
    reply_loop: Option<JoinHandle<()>>,
}

impl RedisClientTransport {
    /// A client transport with these options. Fails (`Error::Usage`) when the options do not say
    /// one place to connect (a URL, a client or cluster nodes, at most one of them; cluster
    /// nodes all TLS or none), the URL is not a Redis URL, TLS files go with an address that is
    /// not TLS, or a TLS file cannot be read. Connects on [`start`](ClientTransport::start).
    pub fn new(options: RedisOptions) -> Result<Self, Error> {
        let target = options.target()?;
        let instance_id = options.resolved_instance_id();
        Ok(Self {
            reply_stream: reply_stream(&options.key_prefix, &instance_id),
            options,
            target,
            instance_id,
            pending: Arc::default(),
            inner: Mutex::new(Inner {
                state: State::Idle,
                commands: None,
                shutdown: None,
                reply_loop: None,
            }),
        })
    }

    /// This client's instance id.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// The stream this client reads its replies from: `<prefix>:replies:<instance id>`.
    pub fn reply_stream(&self) -> &str {
        &self.reply_stream
    }

    /// How many calls are waiting for their reply.
    pub fn pending_calls(&self) -> usize {
        self.pending.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn commands(&self) -> Result<Commands, TransportError> {
        let inner = self.lock();
        match (&inner.state, &inner.commands) {
            (State::Started, Some(commands)) => Ok(commands.clone()),
            (state, _) => Err(TransportError::new(format!(
                "transport not started (state={state})"
            ))),
        }
    }

    /// `XADD <stream> * type rpc envelope <json> [reply-to <stream>] [timeout-ms <ms>]
    /// [traceparent <tp>] [tracestate <ts>] [metadata <json>]`. All after `reply-to` are Rust's
    /// own: a Python or TypeScript server ignores them.
    async fn xadd(
        mut commands: Commands,
        stream: &str,
        envelope: &Envelope,
        reply_to: Option<&str>,
        timeout: Option<Duration>,
        metadata: &Metadata,
    ) -> Result<(), TransportError> {
        let text = serde_json::to_vec(envelope)
            .map_err(|e| TransportError::with_source("cannot encode the envelope", e))?;
        let mut cmd = redis::cmd("XADD");
        cmd.arg(stream)
            .arg("*")
            .arg("type")
            .arg("rpc")
            .arg("envelope")
            .arg(text);
        if let Some(reply_to) = reply_to {
            cmd.arg("reply-to").arg(reply_to);
        }
        if let Some(timeout) = timeout {
            let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
            cmd.arg(TIMEOUT_FIELD).arg(ms);
        }
        for name in TRACE_FIELDS {
            if let Some(value) = metadata.get(name) {
                cmd.arg(name).arg(value.as_str());
            }
        }
        let rest: BTreeMap<&str, &str> = metadata
            .iter()
            .filter(|(key, _)| !TRACE_FIELDS.contains(&key.as_str()))
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        if !rest.is_empty() {
            let text = serde_json::to_vec(&rest)
                .map_err(|e| TransportError::with_source("cannot encode the metadata", e))?;
            cmd.arg(METADATA_FIELD).arg(text);
        }
        cmd.query_async::<redis::Value>(&mut commands)
            .await
            .map(drop)
            .map_err(|e| TransportError::with_source(format!("xadd failed: {e}"), e))
    }
}

impl ClientTransport for RedisClientTransport {
    async fn start(&self) -> Result<(), TransportError> {
        match self.lock().state {
            State::Started => return Ok(()),
            State::Stopped => return Err(TransportError::new("transport has been stopped")),
            State::Idle => {}
        }
        let commands = self.target.commands().await?;
        let (shutdown, stopping) = watch::channel(false);
        let reply_loop = tokio::spawn(reply_loop(
            self.target.clone(),
            self.reply_stream.clone(),
            self.options.block,
            Arc::clone(&self.pending),
            stopping,
        ));
        let mut inner = self.lock();
        if inner.state != State::Idle {
            // Raced with another start or a stop: keep what is there.
            reply_loop.abort();
            return match inner.state {
                State::Stopped => Err(TransportError::new("transport has been stopped")),
                _ => Ok(()),
            };
        }
        inner.state = State::Started;
        inner.commands = Some(commands);
        inner.shutdown = Some(shutdown);
        inner.reply_loop = Some(reply_loop);
        Ok(())
    }

    async fn stop(&self) -> Result<(), TransportError> {
        let (commands, shutdown, reply_loop) = {
            let mut inner = self.lock();
            let was = std::mem::replace(&mut inner.state, State::Stopped);
            if was != State::Started {
                return Ok(());
            }
            (
                inner.commands.take(),
                inner.shutdown.take(),
                inner.reply_loop.take(),
            )
        };
        if let Some(shutdown) = shutdown {
            let _ = shutdown.send(true);
        }
        if let Some(reply_loop) = reply_loop {
            // The loop may sit in a blocking read: do not wait for it to end.
            reply_loop.abort();
            let _ = reply_loop.await;
        }
        self.pending.fail_all(&TransportError::stopped());
        if let Some(mut commands) = commands {
            // Best effort, and bounded: a stop must not hang on an unreachable Redis.
            let mut del = redis::cmd("DEL");
            del.arg(&self.reply_stream);
            let del = del.query_async::<redis::Value>(&mut commands);
            match tokio::time::timeout(Duration::from_secs(1), del).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    tracing::warn!(stream = %self.reply_stream, error = %e, "could not delete the reply stream")
                }
                Err(_) => {
                    tracing::warn!(stream = %self.reply_stream, "deleting the reply stream timed out")
                }
            }
        }
        Ok(())
    }

    async fn send(
        &self,
        request: Request,
        timeout: Duration,
        metadata: &Metadata,
    ) -> Result<Value, TransportError> {
        let commands = self.commands()?;
        let started = Instant::now();
        let call = self.pending.register(request.id.to_string());
        let stream = command_stream(&self.options.key_prefix, &request.service);
        let envelope = Envelope::Request(request);
        // The call's timeout covers the XADD too: an unreachable Redis yields `call timeout` or the
        // connection's error, never a hang.
        let sent = tokio::time::timeout(
            timeout,
            Self::xadd(
                commands,
                &stream,
                &envelope,
                Some(&self.reply_stream),
                Some(timeout),
                metadata,
            ),
        )
        .await;
        let failed = match sent {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(TransportError::timeout()),
        };
        if let Some(error) = failed {
            // Nothing will answer a request that was not sent: no entry may stay behind.
            self.pending.forget(call);
            return Err(error);
        }
        self.pending
            .wait(call, timeout.saturating_sub(started.elapsed()))
            .await
    }

    async fn notify(
        &self,
        notification: Notification,
        metadata: &Metadata,
    ) -> Result<(), TransportError> {
        let commands = self.commands()?;
        let stream = command_stream(&self.options.key_prefix, &notification.service);
        Self::xadd(
            commands,
            &stream,
            &Envelope::Notification(notification),
            None,
            None,
            metadata,
        )
        .await
    }
}

/// Reads the reply stream from its start and completes the calls the replies answer, until the
/// transport stops. Survives Redis going away: it logs, waits, reconnects and reads on from the
/// last id it saw.
async fn reply_loop(
    target: Target,
    stream: String,
    block: Duration,
    pending: Arc<PendingCalls>,
    mut stopping: watch::Receiver<bool>,
) {
    let mut last_id = "0".to_owned();
    let mut backoff = Backoff::new();
    let mut connection = None;
    while !*stopping.borrow() {
        let conn = match connection.as_mut() {
            Some(conn) => conn,
            None => match target.blocking(block).await {
                Ok(conn) => connection.insert(conn),
                Err(e) => {
                    tracing::warn!(%stream, error = %e, "reply loop cannot connect; retrying");
                    sleep_unless_stopping(backoff.next_delay(), &mut stopping).await;
                    continue;
                }
            },
        };
        let mut read = redis::cmd("XREAD");
        read.arg("BLOCK")
            .arg(block.as_millis() as u64)
            .arg("STREAMS")
            .arg(&stream)
            .arg(&last_id);
        let read = deadline(block + BLOCK_SLACK, read.query_async::<redis::Value>(conn)).await;
        match read.map_err(|e| e.to_string()).and_then(read_reply) {
            Ok(entries) => {
                backoff.reset();
                for entry in entries {
                    last_id.clone_from(&entry.id);
                    deliver(&entry, &pending);
                }
            }
            Err(e) => {
                tracing::warn!(%stream, error = %e, "reply loop read failed; reconnecting");
                connection = None;
                sleep_unless_stopping(backoff.next_delay(), &mut stopping).await;
            }
        }
    }
}

fn deliver(entry: &StreamEntry, pending: &PendingCalls) {
    let Some(text) = entry.field("envelope") else {
        tracing::debug!(entry_id = %entry.id, "reply entry without an envelope dropped");
        return;
    };
    let reply: Value = match serde_json::from_slice(text) {
        Ok(reply) => reply,
        Err(e) => {
            tracing::warn!(entry_id = %entry.id, error = %e, "unparseable reply dropped");
            return;
        }
    };
    // Matched by the id's text, as the Python client does (`str(id)`).
    let key = match reply.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            tracing::warn!(entry_id = %entry.id, "reply without a usable id dropped");
            return;
        }
    };
    if !pending.complete(&key, Ok(reply)) {
        tracing::debug!(entry_id = %entry.id, rpc_id = %key, "reply for no waiting call dropped");
    }
}
