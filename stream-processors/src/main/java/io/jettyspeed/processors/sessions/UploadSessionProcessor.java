package io.jettyspeed.processors.sessions;

import static io.jettyspeed.schemas.SessionStatuses.isTerminal;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.errors.Text;
import io.jettyspeed.processors.skeleton.EventProcessor;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies upload and chunk events to the {@link UploadSession} of their session id. Emits the
 * session once it was started, a dead letter for an event it refuses, and a tombstone when a
 * finished session's retention is over.
 *
 * <p><b>Ownership.</b> Only {@code start} makes a user the owner of a session. Events that arrive
 * before it (chunks often overtake the start: they travel on another topic) are applied to a
 * provisional, unpublished state that remembers the first user who claimed it. When the start
 * comes from that user (or the provisional state names none), the start adopts it; when it comes
 * from another user, the start wins and the provisional state is discarded (counted as dropped,
 * reason {@code foreign-pre-start}): a user who guessed a session id cannot make another user's
 * upload his. Before the start, events of a second claimant are dead-lettered; after it, events of
 * anyone but the owner are.
 *
 * <p><b>Bounded state.</b> Every session has one deadline in {@link StoreNames#UPLOAD_SESSION_DEADLINES}:
 * a provisional session is forgotten and an open one expires {@code idleTimeout} after its last
 * activity; a finished one (COMPLETED, FAILED, EXPIRED) is deleted and tombstoned on the output
 * topic {@code retention} after it. The wall-clock sweep range-scans only the due deadlines, at most
 * {@link #MAX_SWEEP_ENTRIES} per run.
 *
 * <p><b>Worst-case size</b> of an {@code UploadSession} (and so of a store entry, a changelog
 * record and an output record): ids of at most 128 characters, a file name of at most 1,024, an
 * error message of at most 2,000 (3 bytes per UTF-16 unit at worst), at most
 * {@link CompletedChunks#MAX_RANGES} chunk ranges of two varints of at most 3 bytes each (indexes
 * below {@link CompletedChunks#MAX_CHUNKS_PER_FILE}) and at most {@link EntryLimits#MAX_EDGE_IDS}
 * edges of at most 128 characters: 28.5 KB, under 3 % of Kafka's 1 MB default
 * ({@code AggregateSizeTest} builds it).
 */
final class UploadSessionProcessor extends EventProcessor<SessionEvent, SessionOutput> {

    static final String NAME = "upload-sessions";
    /** Most deadlines one sweep handles; the rest wait for the next sweep, so a backlog cannot stall the thread. */
    static final int MAX_SWEEP_ENTRIES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(UploadSessionProcessor.class);

    private final UploadSessionsConfig config;
    private KeyValueStore<String, UploadSession> store;
    private DeadlineIndex deadlines;
    private DropCounter neverStarted;
    private DropCounter foreignPreStart;
    private DropCounter pastTheFile;

    UploadSessionProcessor(UploadSessionsConfig config) {
        super(NAME, StoreNames.SESSION_EVENT_IDS, config.dedupWindow(), config.grace(), config.sweepInterval());
        this.config = config;
    }

    @Override
    protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, SessionOutput> context) {
        this.store = context.getStateStore(StoreNames.UPLOAD_SESSIONS);
        this.deadlines = DeadlineIndex.open(context, StoreNames.UPLOAD_SESSION_DEADLINES, config.sweepInterval(), NAME);
        this.neverStarted = DropCounter.register(context, NAME, "unannounced-expired");
        this.foreignPreStart = DropCounter.register(context, NAME, "foreign-pre-start");
        this.pastTheFile = DropCounter.register(context, NAME, "past-the-file");
        return List.of(store, deadlines.store());
    }

    @Override
    public void process(Record<String, SessionEvent> record) {
        String sessionId = record.key();
        SessionEvent event = record.value();
        long eventTime = event.eventTime();
        String claimed = event.claimedUserId();
        UploadSession current = store.get(sessionId);
        boolean owned = current != null && current.getStartedAt() != null;
        // Lateness is measured against an owned session only: a provisional state's times were set by
        // whoever claimed it, and must not make the real start "late".
        if (late(event, owned ? current.getUpdatedAt() : null)) {
            return;
        }
        if (event instanceof SessionEvent.Chunk chunk && owned && current.getTotalChunks() != null
                && chunk.value().getChunkIndex() >= current.getTotalChunks()) {
            reject(record, DeadLetterReason.INVARIANT_VIOLATION, "chunkIndex " + chunk.value().getChunkIndex()
                    + " is past the file's " + current.getTotalChunks() + " chunks");
            return;
        }
        String owner = current == null ? null : current.getUserId();
        UploadSession base = current;
        if (owner != null && claimed != null && !owner.equals(claimed)) {
            boolean start = event instanceof SessionEvent.Upload upload && upload.value().getAction() == UploadAction.START;
            if (owned) {
                // A session belongs to the user who started it: another user's event must not change it.
                reject(record, DeadLetterReason.INVARIANT_VIOLATION, "event of user " + Text.quote(claimed)
                        + " for session " + Text.quote(sessionId) + " of user " + Text.quote(owner));
                return;
            }
            if (!start) {
                reject(record, DeadLetterReason.INVARIANT_VIOLATION, "event of user " + Text.quote(claimed)
                        + " before the start of session " + Text.quote(sessionId) + ", which events of user "
                        + Text.quote(owner) + " already claim");
                return;
            }
            // The start wins: what arrived before it under another user's name is not this upload's.
            foreignPreStart.record();
            LOG.info("start of session {} by user {} discards the state user {} claimed before it",
                    Text.quote(sessionId), Text.quote(claimed), Text.quote(owner));
            base = null;
        }
        if (event instanceof SessionEvent.Chunk chunk && chunk.value().getStatus() == ChunkStatus.COMPLETED && base != null
                && CompletedChunks.check(base.getCompletedChunkRanges(), chunk.value().getChunkIndex())
                        == CompletedChunks.Added.TOO_FRAGMENTED) {
            reject(record, DeadLetterReason.LIMIT_EXCEEDED, "chunk " + chunk.value().getChunkIndex()
                    + " would split the session's completed chunks into more than " + CompletedChunks.MAX_RANGES
                    + " ranges; upload chunks in order");
            return;
        }
        if (!firstTime(event)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        UploadSession.Builder session = base == null ? fresh(sessionId, eventTime, now) : UploadSession.newBuilder(base);
        if (event instanceof SessionEvent.Upload upload) {
            apply(session, upload.value());
        } else {
            apply(session, ((SessionEvent.Chunk) event).value());
        }
        if (eventTime > session.getUpdatedAt().toEpochMilli()) {
            session.setUpdatedAt(Instant.ofEpochMilli(eventTime));
        }
        session.setLastActivityAt(Instant.ofEpochMilli(now));
        UploadSession next = derive(session).build();
        put(sessionId, current, next);
        if (next.getAnnounced()) {
            context.forward(record.withValue(new SessionOutput.Update(next)).withTimestamp(eventTime));
        }
    }

    private void reject(Record<String, SessionEvent> record, DeadLetterReason reason, String description) {
        context.forward(record.withValue(new SessionOutput.Rejected(deadLetter(record, reason, description))));
    }

    private void apply(UploadSession.Builder session, UploadEvent upload) {
        boolean start = upload.getAction() == UploadAction.START;
        session.setUserId(upload.getUserId());
        if (upload.getFileHash() != null && (start || session.getFileHash() == null)) {
            session.setFileHash(upload.getFileHash());
        }
        if (upload.getFileName() != null && (start || session.getFileName() == null)) {
            session.setFileName(upload.getFileName());
        }
        if (upload.getFileSize() != null && (start || session.getFileSize() == null)) {
            session.setFileSize(upload.getFileSize());
        }
        if (upload.getChunkSize() != null && (start || session.getChunkSize() == null)) {
            session.setChunkSize(upload.getChunkSize());
        }
        if (upload.getTotalChunks() != null && (start || session.getTotalChunks() == null)) {
            session.setTotalChunks(upload.getTotalChunks());
        }
        if (upload.getPlan() != null) {
            session.setPlan(upload.getPlan());
        }
        if (upload.getDeviceId() != null) {
            session.setDeviceId(upload.getDeviceId());
        }
        if (upload.getBytesUploaded() != null && upload.getBytesUploaded() > session.getBytesUploaded()) {
            session.setBytesUploaded(upload.getBytesUploaded());
        }
        addEdges(session, upload.getEdgeIds());
        Instant at = upload.getEventTime();
        UploadSessionStatus status = session.getStatus();
        boolean open = !isTerminal(status) || status == UploadSessionStatus.EXPIRED;
        switch (upload.getAction()) {
            case START -> {
                if (session.getStartedAt() == null || at.isBefore(session.getStartedAt())) {
                    session.setStartedAt(at);
                }
                // Published from now on: the session has an owner.
                session.setAnnounced(true);
                clipToTheFile(session);
            }
            case PROGRESS -> {
                if (status == UploadSessionStatus.STARTED) {
                    session.setStatus(UploadSessionStatus.UPLOADING);
                }
            }
            case COMPLETE -> {
                if (open) {
                    session.setStatus(UploadSessionStatus.COMPLETED).setCompletedAt(at).setErrorMessage(null);
                }
            }
            case FAIL -> {
                if (open) {
                    session.setStatus(UploadSessionStatus.FAILED).setCompletedAt(at).setErrorMessage(upload.getErrorMessage());
                }
            }
            default -> {
            }
        }
    }

    /** Chunks completed before the start may lie past the file the start announces; they do not count. */
    private void clipToTheFile(UploadSession.Builder session) {
        Integer total = session.getTotalChunks();
        if (total == null) {
            return;
        }
        List<ChunkRange> kept = new ArrayList<>();
        int clipped = 0;
        for (ChunkRange range : session.getCompletedChunkRanges()) {
            if (range.getFrom() >= total) {
                clipped += range.getTo() - range.getFrom() + 1;
            } else if (range.getTo() >= total) {
                clipped += range.getTo() - total + 1;
                kept.add(new ChunkRange(range.getFrom(), total - 1));
            } else {
                kept.add(range);
            }
        }
        if (clipped > 0) {
            session.setCompletedChunkRanges(kept);
            for (int i = 0; i < clipped; i++) {
                pastTheFile.record();
            }
        }
    }

    private static void apply(UploadSession.Builder session, ChunkEvent chunk) {
        if (session.getUserId() == null && chunk.getUserId() != null) {
            session.setUserId(chunk.getUserId());
        }
        if (chunk.getEdgeId() != null) {
            addEdges(session, List.of(chunk.getEdgeId()));
        }
        if (chunk.getStatus() == ChunkStatus.COMPLETED) {
            session.setCompletedChunkRanges(CompletedChunks.add(session.getCompletedChunkRanges(), chunk.getChunkIndex()));
        } else if (chunk.getStatus() == ChunkStatus.FAILED) {
            session.setFailedChunks(session.getFailedChunks() + 1);
        }
        if (session.getStatus() == UploadSessionStatus.STARTED && chunk.getStatus() != ChunkStatus.PENDING) {
            session.setStatus(UploadSessionStatus.UPLOADING);
        }
    }

    /** Fields that follow from the others: counts, bytes, duration, throughput. */
    static UploadSession.Builder derive(UploadSession.Builder session) {
        int completed = CompletedChunks.count(session.getCompletedChunkRanges());
        session.setCompletedChunks(completed);
        long bytes = session.getBytesUploaded();
        if (session.getChunkSize() != null) {
            long byChunks = (long) completed * session.getChunkSize();
            bytes = Math.max(bytes, session.getFileSize() == null ? byChunks : Math.min(byChunks, session.getFileSize()));
        }
        if (session.getStatus() == UploadSessionStatus.COMPLETED && session.getFileSize() != null) {
            bytes = Math.max(bytes, session.getFileSize());
        }
        session.setBytesUploaded(bytes);
        if (session.getCompletedAt() != null && session.getStartedAt() != null) {
            long duration = Math.max(0, session.getCompletedAt().toEpochMilli() - session.getStartedAt().toEpochMilli());
            session.setDurationMs(duration);
            session.setThroughputBytesPerSecond(session.getStatus() == UploadSessionStatus.COMPLETED && duration > 0
                    ? bytes * 1000.0 / duration : null);
        } else {
            session.setDurationMs(null).setThroughputBytesPerSecond(null);
        }
        return session;
    }

    /** Stores a session and moves its deadline. */
    private void put(String sessionId, UploadSession previous, UploadSession next) {
        store.put(sessionId, next);
        deadlines.move(sessionId, previous == null ? null : deadline(previous), deadline(next));
    }

    /**
     * When the sweep next has to look at a session: a provisional or open one when it has been idle
     * for the idle timeout (it is forgotten or expires), a finished one when its retention is over.
     */
    long deadline(UploadSession session) {
        long lastActivity = session.getLastActivityAt().toEpochMilli();
        if (!session.getAnnounced() || !isTerminal(session.getStatus())) {
            return lastActivity + config.idleTimeout().toMillis();
        }
        long finished = session.getCompletedAt() == null ? lastActivity
                : Math.max(lastActivity, session.getCompletedAt().toEpochMilli());
        return finished + config.retention().toMillis();
    }

    /** Wall-clock sweep over the due deadlines only: expire idle sessions, forget unstarted ones, tombstone finished ones. */
    @Override
    protected void sweep(long now) {
        for (DeadlineIndex.Due due : deadlines.due(now, MAX_SWEEP_ENTRIES)) {
            UploadSession session = store.get(due.id());
            if (session == null || deadlines.bucket(deadline(session)) != due.at()) {
                // Stale index entry: the session is gone or its deadline moved (that entry exists too).
                deadlines.remove(due);
                if (session != null) {
                    deadlines.move(due.id(), null, deadline(session));
                }
                continue;
            }
            if (!session.getAnnounced()) {
                // Never started: it was never published, so there is nothing to tombstone.
                store.delete(due.id());
                deadlines.remove(due);
                neverStarted.record();
            } else if (!isTerminal(session.getStatus())) {
                UploadSession.Builder expired = UploadSession.newBuilder(session)
                        .setStatus(UploadSessionStatus.EXPIRED)
                        .setCompletedAt(Instant.ofEpochMilli(now))
                        .setErrorMessage("no progress for " + config.idleTimeout().toMinutes() + " minutes");
                UploadSession next = derive(expired).build();
                put(due.id(), session, next);
                context.forward(new Record<>(due.id(), new SessionOutput.Update(next), now));
            } else {
                store.delete(due.id());
                deadlines.remove(due);
                // The tombstone lets the compacted topic and every reader's copy drop the session too.
                context.forward(new Record<>(due.id(), new SessionOutput.Update(null), now));
            }
        }
    }

    /** Adds edges to the sorted set of edges used, which holds at most {@link EntryLimits#MAX_EDGE_IDS}. */
    private static void addEdges(UploadSession.Builder session, List<String> edgeIds) {
        if (edgeIds == null || edgeIds.isEmpty()) {
            return;
        }
        TreeSet<String> edges = new TreeSet<>(session.getEdgesUsed());
        for (String edge : edgeIds) {
            if (edges.size() < EntryLimits.MAX_EDGE_IDS || edges.contains(edge)) {
                edges.add(edge);
            }
        }
        session.setEdgesUsed(new ArrayList<>(edges));
    }

    private static UploadSession.Builder fresh(String sessionId, long eventTime, long now) {
        return UploadSession.newBuilder()
                .setSessionId(sessionId)
                .setStatus(UploadSessionStatus.STARTED)
                .setCompletedChunkRanges(List.of())
                .setCompletedChunks(0)
                .setFailedChunks(0)
                .setBytesUploaded(0)
                .setUpdatedAt(Instant.ofEpochMilli(eventTime))
                .setEdgesUsed(List.of())
                .setAnnounced(false)
                .setLastActivityAt(Instant.ofEpochMilli(now));
    }
}
