package io.jettyspeed.processors.sessions;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.DeadLetters;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Violation;
import io.jettyspeed.processors.skeleton.Outputs;
import io.jettyspeed.processors.state.AggregateStores;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Upload sessions: lifecycle, completed chunk ranges, bytes, timings and edges of each upload, so
 * a client can resume (from another device too) and analysts see durations and throughput.
 *
 * <p>Inputs: {@code jetty.upload-events.v1} and {@code jetty.chunk-events.v1}, both keyed by
 * sessionId and co-partitioned (this topology owns their dead-letter topics: every bad record of
 * either is dead-lettered here, once). Output: {@code jetty.upload-sessions.v1} (compacted, key
 * sessionId; a tombstone when a finished session's retention is over). Stores:
 * {@link StoreNames#UPLOAD_SESSIONS}, {@link StoreNames#UPLOAD_SESSION_DEADLINES},
 * {@link StoreNames#SESSION_EVENT_IDS}.
 *
 * <p>Entry bounds ({@link EntryLimits}): ids ≤ 128 characters, file name ≤ 1,024, error ≤ 2,000,
 * no C0 control characters in stored text (tab and line breaks allowed in errors), ≤ 32 edge ids
 * per event, {@code chunkIndex} below and {@code totalChunks} at most
 * {@link EntryLimits#MAX_CHUNKS_PER_FILE}, sizes and durations in range, event time at most
 * {@code maxClockSkew} ahead of the processor's clock.
 *
 * <p>Only {@code start} makes a user a session's owner ({@link UploadSessionProcessor}). Grace:
 * events more than {@code grace} (default 10 min) older than the session's newest event are
 * dropped and counted; within it, any order gives the same state (a terminal status never
 * regresses). Idle sessions expire and finished ones are tombstoned on a wall-clock punctuator that
 * reads only due deadlines.
 */
public final class UploadSessionsTopology {

    private UploadSessionsTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, UploadSessionsConfig config, OutputGuard guard) {
        builder.addStateStore(AggregateStores.of(StoreNames.UPLOAD_SESSIONS, UploadSession.class));
        builder.addStateStore(DeadlineIndex.storeBuilder(StoreNames.UPLOAD_SESSION_DEADLINES));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.SESSION_EVENT_IDS, config.dedupWindow()));

        KStream<String, SessionEvent> uploads = Sources.decoded(builder, topics.uploadEvents(), "session-upload-events",
                        (key, event, now) -> checkUpload(key, event, now, config.maxClockSkew()), true, guard)
                .mapValues(SessionEvent.Upload::new, Named.as("session-uploads"));
        KStream<String, SessionEvent> chunks = Sources.decoded(builder, topics.chunkEvents(), "session-chunk-events",
                        (key, event, now) -> checkChunk(key, event, now, config.maxClockSkew()), true, guard)
                .mapValues(SessionEvent.Chunk::new, Named.as("session-chunks"));

        KStream<String, SessionOutput> results = uploads.merge(chunks, Named.as("session-events"))
                .process(() -> new UploadSessionProcessor(config), Named.as(UploadSessionProcessor.NAME),
                        StoreNames.UPLOAD_SESSIONS, StoreNames.UPLOAD_SESSION_DEADLINES, StoreNames.SESSION_EVENT_IDS);
        DeadLetters.route(Outputs.ofKind(results, SessionOutput.Rejected.class, SessionOutput.Rejected::letter,
                "session-rejected", "session-rejected-letter"), "session-rejected", guard);
        // Sessions, and tombstones (null) of sessions whose retention is over.
        Outputs.to(Outputs.ofKind(results, SessionOutput.Update.class, SessionOutput.Update::session,
                "session-updates", "session-update-values"), topics.uploadSessions(), "upload-sessions-sink", guard);
        return builder.build();
    }

    static Optional<Violation> checkUpload(String key, UploadEvent event, long now, Duration maxClockSkew) {
        return EntryLimits.check()
                .id("sessionId", event.getSessionId(), true)
                .key(key, "sessionId", event.getSessionId())
                .id("eventId", event.getEventId(), true)
                .id("userId", event.getUserId(), true)
                .id("deviceId", event.getDeviceId(), false)
                .eventTime(event.getEventTime(), now, maxClockSkew)
                .sha256("fileHash", event.getFileHash(), false)
                .text("fileName", event.getFileName(), EntryLimits.MAX_FILE_NAME_LENGTH, false)
                .text("errorMessage", event.getErrorMessage(), EntryLimits.MAX_ERROR_LENGTH, true)
                .range("fileSize", event.getFileSize(), 0, EntryLimits.MAX_FILE_SIZE)
                .range("bytesUploaded", event.getBytesUploaded(), 0, EntryLimits.MAX_FILE_SIZE)
                .range("chunkSize", event.getChunkSize(), 1, EntryLimits.MAX_CHUNK_SIZE)
                .range("totalChunks", event.getTotalChunks(), 0, EntryLimits.MAX_CHUNKS_PER_FILE)
                .ids("edgeIds", event.getEdgeIds(), EntryLimits.MAX_EDGE_IDS)
                .result();
    }

    public static Optional<Violation> checkChunk(String key, ChunkEvent event, long now, Duration maxClockSkew) {
        return EntryLimits.check()
                .id("sessionId", event.getSessionId(), true)
                .key(key, "sessionId", event.getSessionId())
                .id("eventId", event.getEventId(), true)
                .id("userId", event.getUserId(), false)
                .id("edgeId", event.getEdgeId(), false)
                .eventTime(event.getEventTime(), now, maxClockSkew)
                .range("chunkIndex", event.getChunkIndex(), 0, EntryLimits.MAX_CHUNKS_PER_FILE - 1)
                .range("chunkBytes", event.getChunkBytes(), 0, EntryLimits.MAX_CHUNK_SIZE)
                .range("durationMs", event.getDurationMs(), 0, EntryLimits.MAX_DURATION_MS)
                .text("errorMessage", event.getErrorMessage(), EntryLimits.MAX_ERROR_LENGTH, true)
                .result();
    }

    /**
     * Bounds of an {@code UploadSession} read back from {@code jetty.upload-sessions.v1} (dedup index,
     * user stats): the topic is ours, but a replay or another producer may write anything, and a
     * session that breaks them must not reach an aggregate. Its times were accepted against the
     * clock of the host that ran the upload-sessions topology, so they may lie ahead of this one's
     * by twice the skew.
     */
    public static Optional<Violation> checkSession(String key, UploadSession session, long now, Duration maxClockSkew) {
        Duration aheadAllowed = maxClockSkew.multipliedBy(2);
        return EntryLimits.check()
                .id("sessionId", session.getSessionId(), true)
                .key(key, "sessionId", session.getSessionId())
                .id("userId", session.getUserId(), false)
                .id("deviceId", session.getDeviceId(), false)
                .sha256("fileHash", session.getFileHash(), false)
                .text("fileName", session.getFileName(), EntryLimits.MAX_FILE_NAME_LENGTH, false)
                .text("errorMessage", session.getErrorMessage(), EntryLimits.MAX_ERROR_LENGTH, true)
                .range("fileSize", session.getFileSize(), 0, EntryLimits.MAX_FILE_SIZE)
                .range("bytesUploaded", session.getBytesUploaded(), 0, EntryLimits.MAX_FILE_SIZE)
                .range("chunkSize", session.getChunkSize(), 1, EntryLimits.MAX_CHUNK_SIZE)
                .range("totalChunks", session.getTotalChunks(), 0, EntryLimits.MAX_CHUNKS_PER_FILE)
                .range("completedChunks", session.getCompletedChunks(), 0, EntryLimits.MAX_CHUNKS_PER_FILE)
                .range("failedChunks", session.getFailedChunks(), 0, Integer.MAX_VALUE)
                .range("completedChunkRanges", session.getCompletedChunkRanges().size(), 0, CompletedChunks.MAX_RANGES)
                .ids("edgesUsed", session.getEdgesUsed(), EntryLimits.MAX_EDGE_IDS)
                .between("throughputBytesPerSecond", session.getThroughputBytesPerSecond(), 0, Double.MAX_VALUE)
                .eventTime(session.getUpdatedAt(), now, aheadAllowed)
                .eventTime(session.getCompletedAt(), now, aheadAllowed)
                .result();
    }
}
