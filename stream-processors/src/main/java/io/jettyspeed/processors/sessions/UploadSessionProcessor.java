package io.jettyspeed.processors.sessions;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.DeadLetters;
import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies upload and chunk events to the {@link UploadSession} of their session id. Emits the
 * session (once an upload event announced it) or, for a chunk index past the file, a dead letter.
 */
final class UploadSessionProcessor implements Processor<String, Object, String, Object> {

    static final String NAME = "upload-sessions";

    private final UploadSessionsConfig config;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, UploadSession> store;
    private EventIdDeduplicator eventIds;
    private DropCounter late;
    private DropCounter abandoned;

    UploadSessionProcessor(UploadSessionsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.UPLOAD_SESSIONS);
        this.eventIds = EventIdDeduplicator.open(context, StoreNames.SESSION_EVENT_IDS, config.dedupWindow(), NAME);
        this.late = DropCounter.register(context, NAME, "late");
        this.abandoned = DropCounter.register(context, NAME, "unannounced-expired");
        context.schedule(config.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, Object> record) {
        String sessionId = record.key();
        long eventTime;
        String eventId;
        if (record.value() instanceof UploadEvent upload) {
            eventTime = upload.getEventTime().toEpochMilli();
            eventId = "upload:" + upload.getEventId();
        } else if (record.value() instanceof ChunkEvent chunk) {
            eventTime = chunk.getEventTime().toEpochMilli();
            eventId = "chunk:" + chunk.getEventId();
        } else {
            return;
        }
        UploadSession current = store.get(sessionId);
        if (current != null && eventTime < current.getUpdatedAt().toEpochMilli() - config.grace().toMillis()) {
            late.record();
            return;
        }
        if (record.value() instanceof ChunkEvent chunk && current != null && current.getTotalChunks() != null
                && chunk.getChunkIndex() >= current.getTotalChunks()) {
            context.forward(record.withValue(DeadLetters.of(context, NAME, DeadLetterReason.INVARIANT_VIOLATION,
                    "chunkIndex " + chunk.getChunkIndex() + " is past the file's " + current.getTotalChunks() + " chunks",
                    null, DeadLetters.utf8(sessionId), AvroSerde.of(ChunkEvent.class).encode(chunk))));
            return;
        }
        String owner = current == null ? null : current.getUserId();
        String claimed = record.value() instanceof UploadEvent upload ? upload.getUserId()
                : ((ChunkEvent) record.value()).getUserId();
        if (owner != null && claimed != null && !owner.equals(claimed)) {
            // A session belongs to the user who started it: another user's event must not change it.
            byte[] raw = record.value() instanceof UploadEvent upload ? AvroSerde.of(UploadEvent.class).encode(upload)
                    : AvroSerde.of(ChunkEvent.class).encode((ChunkEvent) record.value());
            context.forward(record.withValue(DeadLetters.of(context, NAME, DeadLetterReason.INVARIANT_VIOLATION,
                    "event of user " + claimed + " for session " + sessionId + " of user " + owner, null,
                    DeadLetters.utf8(sessionId), raw)));
            return;
        }
        if (record.value() instanceof ChunkEvent chunk && chunk.getStatus() == ChunkStatus.COMPLETED && current != null
                && CompletedChunks.check(current.getCompletedChunkRanges(), chunk.getChunkIndex())
                        == CompletedChunks.Added.TOO_FRAGMENTED) {
            context.forward(record.withValue(DeadLetters.of(context, NAME, DeadLetterReason.LIMIT_EXCEEDED,
                    "chunk " + chunk.getChunkIndex() + " would split the session's completed chunks into more than "
                            + CompletedChunks.MAX_RANGES + " ranges; upload chunks in order",
                    null, DeadLetters.utf8(sessionId), AvroSerde.of(ChunkEvent.class).encode(chunk))));
            return;
        }
        if (!eventIds.firstTime(eventId, eventTime)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        UploadSession.Builder session = current == null ? fresh(sessionId, eventTime, now) : UploadSession.newBuilder(current);
        if (record.value() instanceof UploadEvent upload) {
            apply(session, upload);
        } else {
            apply(session, (ChunkEvent) record.value());
        }
        if (eventTime > session.getUpdatedAt().toEpochMilli()) {
            session.setUpdatedAt(Instant.ofEpochMilli(eventTime));
        }
        session.setLastActivityAt(Instant.ofEpochMilli(now));
        UploadSession next = derive(session).build();
        store.put(sessionId, next);
        if (next.getAnnounced()) {
            context.forward(record.withValue(next).withTimestamp(eventTime));
        }
    }

    private static void apply(UploadSession.Builder session, UploadEvent upload) {
        boolean start = upload.getAction() == io.jettyspeed.schemas.UploadAction.START;
        session.setAnnounced(true);
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

    /** Wall-clock sweep: sessions without progress for the idle timeout expire; old finished ones leave the store. */
    private void sweep(long now) {
        List<KeyValue<String, UploadSession>> expired = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, UploadSession> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, UploadSession> entry = all.next();
                UploadSession session = entry.value;
                long idle = now - session.getLastActivityAt().toEpochMilli();
                if (!isTerminal(session.getStatus()) && idle >= config.idleTimeout().toMillis()) {
                    if (!session.getAnnounced()) {
                        forget.add(entry.key);
                        abandoned.record();
                        continue;
                    }
                    UploadSession.Builder next = UploadSession.newBuilder(session)
                            .setStatus(UploadSessionStatus.EXPIRED)
                            .setCompletedAt(Instant.ofEpochMilli(now))
                            .setErrorMessage("no progress for " + config.idleTimeout().toMinutes() + " minutes");
                    expired.add(KeyValue.pair(entry.key, derive(next).build()));
                } else if (isTerminal(session.getStatus()) && idle >= config.retention().toMillis()) {
                    forget.add(entry.key);
                }
            }
        }
        forget.forEach(store::delete);
        for (KeyValue<String, UploadSession> entry : expired) {
            store.put(entry.key, entry.value);
            context.forward(new Record<>(entry.key, entry.value, now));
        }
    }

    static boolean isTerminal(UploadSessionStatus status) {
        return status == UploadSessionStatus.COMPLETED || status == UploadSessionStatus.FAILED
                || status == UploadSessionStatus.EXPIRED;
    }

    private static void addEdges(UploadSession.Builder session, List<String> edgeIds) {
        if (edgeIds == null || edgeIds.isEmpty()) {
            return;
        }
        TreeSet<String> edges = new TreeSet<>(session.getEdgesUsed());
        edges.addAll(edgeIds);
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
