//! One served service: its consumer loop (`XREADGROUP`), its reclaim loop (`XAUTOCLAIM`), and the
//! handling of each entry (check, dispatch, reply, acknowledge).

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clamator_protocol::envelope::{Envelope, error_response, parse_envelope_text};
use clamator_protocol::{Incoming, Metadata, RpcError, ServiceDispatcher, TransportError};
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tracing::Instrument;

use crate::clock::{METADATA_FIELD, RedisClock, TIMEOUT_FIELD, TRACE_FIELDS, parse_timeout};
use crate::connect::{
    BLOCK_SLACK, Backoff, Blocking, Commands, Target, deadline, sleep_unless_stopping,
};
use crate::entry::{self, EntryId, StreamEntry, autoclaim_reply, read_reply};
use crate::exact_id;
use crate::keys::{command_stream, consumer_group, consumer_name, reply_stream};
use crate::options::RedisOptions;

/// Entries one `XAUTOCLAIM` takes over, as the Python server asks.
const RECLAIM_COUNT: usize = 32;

/// An entry id in [`ServiceLoop::handling`] until dropped.
struct Handling<'a>(&'a ServiceLoop, &'a str);

impl Drop for Handling<'_> {
    fn drop(&mut self) {
        self.0.lock_handling().remove(self.1);
    }
}

/// Everything the loops and entry tasks of one served service share.
#[derive(Debug)]
pub(crate) struct ServiceLoop {
    dispatcher: ServiceDispatcher,
    target: Target,
    commands: Commands,
    pub(crate) stream: String,
    pub(crate) group: String,
    consumer: String,
    /// Only streams under `<prefix>:replies:` are written to; anything else in `reply-to` marks
    /// a poison entry.
    reply_prefix: String,
    read_count: usize,
    block: Duration,
    claim_idle: Duration,
    reply_maxlen: usize,
    reply_ttl: Duration,
    slots: Arc<Semaphore>,
    abandon: watch::Receiver<bool>,
    /// Entry ids being handled here, so that reclaiming our own slow entry does not run it twice.
    handling: Mutex<HashSet<String>>,
    /// Redis's id of the connection the consumer loop blocks on (0: none yet).
    reader_id: AtomicI64,
    /// Judges callers' deadlines on Redis's clock.
    clock: Arc<RedisClock>,
}

/// What the loops of every service of one server share.
pub(crate) struct Server<'a> {
    pub(crate) options: &'a RedisOptions,
    pub(crate) target: &'a Target,
    pub(crate) instance_id: &'a str,
    /// Handler slots: how many entries may be handled at once, across services.
    pub(crate) slots: &'a Arc<Semaphore>,
    /// Becomes true when the server gives up on handlers still running.
    pub(crate) abandon: watch::Receiver<bool>,
    pub(crate) clock: &'a Arc<RedisClock>,
}

impl ServiceLoop {
    pub(crate) fn new(
        server: Server<'_>,
        dispatcher: ServiceDispatcher,
        commands: Commands,
    ) -> Self {
        let options = server.options;
        let service = dispatcher.service().to_owned();
        Self {
            stream: command_stream(&options.key_prefix, &service),
            group: consumer_group(&service).to_owned(),
            consumer: consumer_name(&service, server.instance_id),
            reply_prefix: reply_stream(&options.key_prefix, ""),
            read_count: options.read_count,
            block: options.block,
            claim_idle: options.consumer_claim_idle,
            reply_maxlen: options.reply_stream_maxlen,
            reply_ttl: options.reply_stream_ttl,
            slots: Arc::clone(server.slots),
            abandon: server.abandon,
            target: server.target.clone(),
            commands,
            dispatcher,
            handling: Mutex::new(HashSet::new()),
            reader_id: AtomicI64::new(0),
            clock: Arc::clone(server.clock),
        }
    }

    pub(crate) async fn unblock_reader(&self) {
        let id = self.reader_id.load(Ordering::SeqCst);
        if id == 0 {
            return;
        }
        let mut unblock = redis::cmd("CLIENT");
        unblock.arg("UNBLOCK").arg(id);
        let mut commands = self.commands.clone();
        let sent = unblock.query_async::<redis::Value>(&mut commands);
        if let Ok(Err(e)) = tokio::time::timeout(Duration::from_secs(1), sent).await {
            tracing::debug!(service = %self.service(), error = %e, "CLIENT UNBLOCK failed");
        }
    }

    fn service(&self) -> &str {
        self.dispatcher.service()
    }

    /// `XREADGROUP … >` until told to stop. Reads only while a slot is free, and at most as many
    /// entries as there are free slots.
    pub(crate) async fn consume(self: Arc<Self>, mut stopping: watch::Receiver<bool>) {
        let mut backoff = Backoff::new();
        let mut connection: Option<Blocking> = None;
        while !*stopping.borrow() {
            let first = tokio::select! {
                permit = Arc::clone(&self.slots).acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
                _ = stopping.wait_for(|s| *s) => break,
            };
            let conn = match connection.as_mut() {
                Some(conn) => conn,
                None => match self.reader_connection().await {
                    Ok(conn) => connection.insert(conn),
                    Err(e) => {
                        tracing::warn!(service = %self.service(), error = %e, "consumer loop cannot connect; retrying");
                        drop(first);
                        sleep_unless_stopping(backoff.next_delay(), &mut stopping).await;
                        continue;
                    }
                },
            };
            let count = self.read_count.min(1 + self.slots.available_permits());
            let mut read = redis::cmd("XREADGROUP");
            read.arg("GROUP")
                .arg(&self.group)
                .arg(&self.consumer)
                .arg("COUNT")
                .arg(count)
                .arg("BLOCK")
                .arg(self.block.as_millis() as u64)
                .arg("STREAMS")
                .arg(&self.stream)
                .arg(">");
            let read = deadline(
                self.block + BLOCK_SLACK,
                read.query_async::<redis::Value>(conn),
            )
            .await;
            let entries = match read {
                Ok(reply) => read_reply(reply),
                Err(e) => {
                    drop(first);
                    self.recover(&e, &mut backoff, &mut stopping).await;
                    // A cluster connection that failed may hold a view of the slots from before
                    // a failover: a new one asks the cluster again.
                    if self.target.is_cluster()
                        || e.is_io_error()
                        || e.is_timeout()
                        || e.is_connection_dropped()
                    {
                        connection = None;
                    }
                    continue;
                }
            };
            backoff.reset();
            match entries {
                Ok(entries) => self.hand_out(entries, Some(first)).await,
                Err(e) => {
                    tracing::error!(service = %self.service(), error = %e, "unreadable XREADGROUP reply")
                }
            }
        }
    }

    async fn reader_connection(&self) -> Result<Blocking, TransportError> {
        let mut conn = self.target.blocking(self.block).await?;
        // On a cluster the read's node is the stream's, which `CLIENT ID` would not reach: a
        // stopping server waits out the block there instead of unblocking the read.
        if self.target.is_cluster() {
            return Ok(conn);
        }
        let id = redis::cmd("CLIENT")
            .arg("ID")
            .query_async::<i64>(&mut conn)
            .await
            .map_err(|e| TransportError::with_source("CLIENT ID failed", e))?;
        self.reader_id.store(id, Ordering::SeqCst);
        Ok(conn)
    }

    /// Every max(1 s, claim idle / 4), takes over entries idle for longer than the claim idle in
    /// any consumer of the group (a crashed server's) and handles them.
    pub(crate) async fn reclaim(self: Arc<Self>, mut stopping: watch::Receiver<bool>) {
        let every = (self.claim_idle / 4).max(Duration::from_secs(1));
        let mut backoff = Backoff::new();
        loop {
            sleep_unless_stopping(every, &mut stopping).await;
            if *stopping.borrow() {
                break;
            }
            let mut autoclaim = redis::cmd("XAUTOCLAIM");
            autoclaim
                .arg(&self.stream)
                .arg(&self.group)
                .arg(&self.consumer)
                .arg(self.claim_idle.as_millis() as u64)
                .arg("0-0")
                .arg("COUNT")
                .arg(RECLAIM_COUNT);
            let mut commands = self.commands.clone();
            let synced = tokio::select! {
                synced = self.clock.sync(&mut commands) => synced,
                _ = stopping.wait_for(|s| *s) => break,
            };
            if let Err(e) = synced {
                tracing::debug!(service = %self.service(), error = %e, "reading Redis's clock failed; keeping the last reading");
            }
            // Stopping does not wait for the claim: what it took and this server does not handle
            // stays pending, for the next server's claim.
            let claimed = tokio::select! {
                claimed = autoclaim.query_async::<redis::Value>(&mut commands) => claimed,
                _ = stopping.wait_for(|s| *s) => break,
            };
            match claimed {
                Ok(reply) => match autoclaim_reply(reply) {
                    Ok(entries) => {
                        backoff.reset();
                        if !entries.is_empty() {
                            tracing::info!(service = %self.service(), count = entries.len(), "reclaimed idle entries");
                            metrics::counter!("clamator_redis_entries_reclaimed_total", "service" => self.service().to_owned())
                                .increment(entries.len() as u64);
                        }
                        self.hand_out(entries, None).await;
                    }
                    Err(e) => {
                        tracing::error!(service = %self.service(), error = %e, "unreadable XAUTOCLAIM reply")
                    }
                },
                Err(e) => self.recover(&e, &mut backoff, &mut stopping).await,
            }
        }
    }

    /// After a failed command: recreate the group if Redis lost it (a restart without
    /// persistence), else log and back off.
    async fn recover(
        &self,
        e: &redis::RedisError,
        backoff: &mut Backoff,
        stopping: &mut watch::Receiver<bool>,
    ) {
        if e.code() == Some("NOGROUP") {
            tracing::warn!(service = %self.service(), stream = %self.stream, "consumer group is gone; creating it again");
            match create_group(&mut self.commands.clone(), &self.stream, &self.group).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(service = %self.service(), error = %e, "cannot create the consumer group")
                }
            }
        } else {
            tracing::warn!(service = %self.service(), error = %e, "redis command failed; retrying");
        }
        sleep_unless_stopping(backoff.next_delay(), stopping).await;
    }

    async fn hand_out(
        self: &Arc<Self>,
        entries: Vec<StreamEntry>,
        mut first: Option<OwnedSemaphorePermit>,
    ) {
        for entry in entries {
            let permit = match first.take() {
                Some(permit) => permit,
                // Waits only when other services of this server took the free slots meanwhile.
                None => match Arc::clone(&self.slots).acquire_owned().await {
                    Ok(permit) => permit,
                    Err(_) => return,
                },
            };
            self.spawn(entry, permit);
        }
    }

    fn spawn(self: &Arc<Self>, entry: StreamEntry, permit: OwnedSemaphorePermit) {
        if !self.lock_handling().insert(entry.id.clone()) {
            return;
        }
        let this = Arc::clone(self);
        let mut abandon = self.abandon.clone();
        let span = tracing::info_span!("clamator_redis_entry", service = %self.service(), entry_id = %entry.id);
        tokio::spawn(
            async move {
                let _permit = permit;
                // Leaves the set however the task ends, a panic included: an id left behind
                // would keep this server from ever reclaiming the entry.
                let _handling = Handling(&this, &entry.id);
                tokio::select! {
                    _ = this.handle(&entry) => {}
                    _ = abandon.wait_for(|a| *a) => {
                        tracing::warn!("stopping: entry left unacknowledged for another server");
                    }
                }
            }
            .instrument(span),
        );
    }

    fn lock_handling(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.handling.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One entry: check it, dispatch it, write the reply, acknowledge. A poison entry is logged,
    /// acknowledged and skipped; it never stops the loop and is never answered.
    async fn handle(&self, entry: &StreamEntry) {
        let Some(text) = entry.field("envelope") else {
            tracing::warn!("poison entry: no envelope field; acknowledged and skipped");
            return self.skip_poison(&entry.id).await;
        };
        let reply_to = match entry.field("reply-to").map(std::str::from_utf8) {
            None => None,
            Some(Ok(to))
                if to.starts_with(&self.reply_prefix) && to.len() > self.reply_prefix.len() =>
            {
                Some(to)
            }
            Some(to) => {
                tracing::warn!(
                    reply_to = %String::from_utf8_lossy(entry.field("reply-to").unwrap_or_default()),
                    expected_prefix = %self.reply_prefix,
                    valid_utf8 = to.is_ok(),
                    "poison entry: reply-to is not a reply stream of this key prefix; acknowledged and skipped"
                );
                return self.skip_poison(&entry.id).await;
            }
        };
        let envelope = match parse_envelope_text(text) {
            Some(Ok(envelope)) => envelope,
            Some(Err(reason)) => {
                tracing::warn!(%reason, "poison envelope: acknowledged, no reply");
                return self.skip_poison(&entry.id).await;
            }
            None => {
                tracing::warn!(
                    bytes = text.len(),
                    "poison envelope: not JSON; acknowledged, no reply"
                );
                return self.skip_poison(&entry.id).await;
            }
        };
        let raw_id = match &envelope {
            Envelope::Request(request) => exact_id::needs_raw(&request.id)
                .then(|| exact_id::token(text))
                .flatten(),
            _ => None,
        };
        let reply = match envelope {
            // Routing is by stream. A method string naming another service is misaddressed: the
            // Python server would run this stream's method of that name; this one refuses.
            Envelope::Request(request) if request.service != self.service() => {
                tracing::warn!(
                    method = %format_args!("{}.{}", request.service, request.method),
                    rpc_id = %request.id,
                    "request for another service on this stream answered with Method not found"
                );
                Some(error_response(
                    Some(request.id),
                    RpcError::method_not_found(),
                ))
            }
            Envelope::Notification(n) if n.service != self.service() => {
                tracing::warn!(
                    method = %format_args!("{}.{}", n.service, n.method),
                    "notification for another service on this stream dropped"
                );
                None
            }
            envelope => {
                let incoming = self.incoming(entry, &envelope);
                if let (Envelope::Request(request), Some(deadline)) =
                    (&envelope, incoming.deadline())
                {
                    if deadline <= tokio::time::Instant::now() {
                        // Its caller gave up while it waited in the stream: running it now
                        // would do work no one waits for (a create the caller will retry).
                        tracing::warn!(
                            method = %format_args!("{}.{}", request.service, request.method),
                            rpc_id = %request.id,
                            "request skipped: its caller's deadline passed before it started; acknowledged, not answered"
                        );
                        // A method this service does not have is labelled as such: labels must
                        // not grow with what callers send.
                        let method = match self.dispatcher.serves(&request.method) {
                            true => request.method.clone(),
                            false => "unknown".to_owned(),
                        };
                        metrics::counter!(
                            clamator_protocol::metrics::SERVER_STALE_REQUESTS,
                            "service" => self.service().to_owned(),
                            "method" => method
                        )
                        .increment(1);
                        return self.ack(&entry.id).await;
                    }
                }
                self.dispatcher.dispatch_incoming(envelope, incoming).await
            }
        };
        match (reply, reply_to) {
            (Some(reply), Some(reply_to)) => {
                self.reply_and_ack(&entry.id, reply_to, &reply, raw_id.as_deref())
                    .await
            }
            (Some(_), None) => {
                tracing::warn!("request without reply-to: handled, no reply sent");
                self.ack(&entry.id).await
            }
            (None, _) => self.ack(&entry.id).await,
        }
    }

    /// Acknowledges a poison entry, so that no server reads it again, and counts it.
    async fn skip_poison(&self, entry_id: &str) {
        metrics::counter!("clamator_redis_poison_entries_total", "service" => self.service().to_owned())
            .increment(1);
        self.ack(entry_id).await;
    }

    /// The caller's deadline and metadata, from the entry's optional fields (sent by Rust
    /// clients). A field that does not read is logged and left out: the call runs as a peer's
    /// call without it would.
    fn incoming(&self, entry: &StreamEntry, envelope: &Envelope) -> Incoming {
        let mut incoming = Incoming::new();
        if let (Envelope::Request(_), Some(timeout)) = (envelope, entry.field(TIMEOUT_FIELD)) {
            match (parse_timeout(timeout), EntryId::parse(&entry.id)) {
                (Some(ms), Some(id)) => {
                    incoming = incoming.with_deadline(Some(self.clock.deadline(id.ms, ms)))
                }
                _ => tracing::warn!(
                    value = %String::from_utf8_lossy(timeout),
                    "unreadable timeout-ms field ignored: the request has no deadline"
                ),
            }
        }
        let mut metadata = match entry.field(METADATA_FIELD) {
            None => Metadata::new(),
            Some(text) => serde_json::from_slice::<Metadata>(text).unwrap_or_else(|e| {
                tracing::warn!(
                    error = %e,
                    "metadata field is not a JSON object of strings; ignored"
                );
                Metadata::new()
            }),
        };
        for name in TRACE_FIELDS {
            if let Some(value) = entry.field(name).and_then(|v| std::str::from_utf8(v).ok()) {
                metadata.insert(name.to_owned(), value.to_owned());
            }
        }
        incoming.with_metadata(metadata)
    }

    /// `XADD <reply-to> MAXLEN ~ n * type rpc envelope <json>` (and `PEXPIRE`), then `XACK`:
    /// on one Redis in one transaction, so that an entry is acknowledged only with its reply
    /// written; on a cluster as two commands, in that order.
    async fn reply_and_ack(
        &self,
        entry_id: &str,
        reply_to: &str,
        reply: &Value,
        raw_id: Option<&str>,
    ) {
        let encoded = match raw_id {
            Some(raw) => exact_id::reply_text(reply, raw),
            None => serde_json::to_vec(reply),
        };
        let text = match encoded {
            Ok(text) => text,
            Err(e) => {
                tracing::error!(error = %e, "cannot encode the reply");
                return self.ack(entry_id).await;
            }
        };
        // The reply, and its stream's expiry (the stream of a client that died goes away);
        // one key, so one round trip on a cluster too.
        let mut reply = redis::pipe();
        reply
            .cmd("XADD")
            .arg(reply_to)
            .arg("MAXLEN")
            .arg("~")
            .arg(self.reply_maxlen)
            .arg("*")
            .arg("type")
            .arg("rpc")
            .arg("envelope")
            .arg(text);
        if !self.reply_ttl.is_zero() {
            reply
                .cmd("PEXPIRE")
                .arg(reply_to)
                // At least 1 ms: `PEXPIRE key 0` would delete the reply just written.
                .arg(u64::try_from(self.reply_ttl.as_millis()).map_or(u64::MAX, |ms| ms.max(1)))
                .ignore();
        }
        let mut ack = redis::cmd("XACK");
        ack.arg(&self.stream).arg(&self.group).arg(entry_id);
        let mut commands = self.commands.clone();
        let written = if self.target.is_cluster() {
            // The reply and the command stream are in different slots: two commands, in order.
            let replied = self
                .through_failover("writing the reply", Write::Pipeline(&reply), &mut commands)
                .await;
            match replied {
                Ok(()) => {
                    self.through_failover("XACK", Write::Command(&ack), &mut commands)
                        .await
                }
                Err(e) => Err(e),
            }
        } else {
            // One transaction: if Redis refuses the reply (out of memory), the entry is not
            // acknowledged either, and stays pending for a later try.
            reply.add_command(ack).atomic();
            reply
                .query_async::<redis::Value>(&mut commands)
                .await
                .map(drop)
        };
        if let Err(e) = written {
            tracing::error!(%reply_to, error = %e, "writing the reply failed; the entry stays pending");
        }
    }

    /// Every `every`, removes from the command stream what no consumer group can still need:
    /// entries before the oldest one any group has pending, and before the last one it was given
    /// (`XTRIM … MINID`). Python and TypeScript servers in the same group are safe: what they
    /// hold is pending.
    pub(crate) async fn trim(
        self: Arc<Self>,
        every: Duration,
        mut stopping: watch::Receiver<bool>,
    ) {
        loop {
            sleep_unless_stopping(every, &mut stopping).await;
            if *stopping.borrow() {
                break;
            }
            // Stopping does not wait for a trim: abandoned half-way it removes nothing unsafe.
            let trimmed = tokio::select! {
                trimmed = self.trim_once() => trimmed,
                _ = stopping.wait_for(|s| *s) => break,
            };
            if let Err(e) = trimmed {
                tracing::debug!(service = %self.service(), error = %e, "trimming the command stream failed; trying again later");
            }
        }
    }

    async fn trim_once(&self) -> Result<(), redis::RedisError> {
        let mut commands = self.commands.clone();
        let groups: redis::Value = redis::cmd("XINFO")
            .arg("GROUPS")
            .arg(&self.stream)
            .query_async(&mut commands)
            .await?;
        let mut bound: Option<EntryId> = None;
        let mut lower = |id: EntryId| bound = Some(bound.map_or(id, |b| b.min(id)));
        let groups = entry::groups_reply(groups);
        if groups.is_empty() {
            return Ok(());
        }
        // Read after the groups: what is delivered meanwhile is newer than their last-delivered
        // ids, so the bound only errs on the side of keeping.
        for group in groups {
            lower(group.last_delivered);
            if group.pending > 0 {
                let summary: redis::Value = redis::cmd("XPENDING")
                    .arg(&self.stream)
                    .arg(&group.name)
                    .query_async(&mut commands)
                    .await?;
                match entry::oldest_pending(summary) {
                    Some(oldest) => lower(oldest),
                    // Pending entries, but no readable oldest one: keep everything.
                    None => return Ok(()),
                }
            }
        }
        if let Some(bound) = bound.filter(|b| *b > EntryId::ZERO) {
            // `~`: whole nodes of the stream only, at most 10,000 entries a time (Redis's
            // default limit), so that a long backlog goes in small steps; never an entry at or
            // above the bound.
            redis::cmd("XTRIM")
                .arg(&self.stream)
                .arg("MINID")
                .arg("~")
                .arg(bound.to_string())
                .query_async::<redis::Value>(&mut commands)
                .await?;
        }
        Ok(())
    }

    /// Runs `command` (on a cluster: the reply, then the acknowledgement) and, if the key's
    /// master is failing over, tries again until the entry could be claimed by another server
    /// anyway: given up, it would be handled, and answered, a second time. Only errors that
    /// pass are tried again (a lost connection, no answer, a cluster that is moving its slots).
    async fn through_failover(
        &self,
        what: &str,
        command: Write<'_>,
        connection: &mut Commands,
    ) -> redis::RedisResult<()> {
        let give_up = tokio::time::Instant::now() + self.claim_idle;
        let mut backoff = Backoff::new();
        loop {
            let done = match command {
                Write::Pipeline(p) => p.query_async::<redis::Value>(connection).await,
                Write::Command(c) => c.query_async::<redis::Value>(connection).await,
            };
            match done {
                Ok(_) => return Ok(()),
                Err(e) if !passes(&e) => return Err(e),
                Err(e) if tokio::time::Instant::now() + backoff.peek() >= give_up => return Err(e),
                Err(e) => {
                    tracing::debug!(error = %e, "{what} failed; trying again");
                    tokio::time::sleep(backoff.next_delay()).await;
                }
            }
        }
    }

    async fn ack(&self, entry_id: &str) {
        if let Err(e) = redis::cmd("XACK")
            .arg(&self.stream)
            .arg(&self.group)
            .arg(entry_id)
            .query_async::<redis::Value>(&mut self.commands.clone())
            .await
        {
            tracing::error!(error = %e, "XACK failed; the entry stays pending");
        }
    }
}

/// `XGROUP CREATE <stream> <group> $ MKSTREAM`; an existing group is fine.
pub(crate) async fn create_group(
    commands: &mut Commands,
    stream: &str,
    group: &str,
) -> Result<(), TransportError> {
    let created = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg(group)
        .arg("$")
        .arg("MKSTREAM")
        .query_async::<redis::Value>(commands)
        .await;
    match created {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        Err(e) => Err(TransportError::with_source(
            format!("cannot create consumer group {group} on {stream}: {e}"),
            e,
        )),
    }
}

/// What [`ServiceLoop::through_failover`] writes.
#[derive(Clone, Copy)]
enum Write<'a> {
    Pipeline(&'a redis::Pipeline),
    Command(&'a redis::Cmd),
}

/// Whether a failed command may succeed if tried again: the connection went, no answer came, or
/// the cluster is moving slots or electing a master.
fn passes(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_cluster_error()
        || e.kind() == redis::ErrorKind::ClusterConnectionNotFound
}
