package io.jettyspeed.processors.sessions;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.DeadLetters;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Upload sessions: lifecycle, chunk bitmap, bytes, timings and edges of each upload, so a client
 * can resume (from another device too) and analysts see durations and throughput.
 *
 * <p>Inputs: {@code jetty.upload-events.v1} and {@code jetty.chunk-events.v1}, both keyed by
 * sessionId and co-partitioned (this topology owns their dead-letter topics). Output:
 * {@code jetty.upload-sessions.v1} (compacted, key sessionId). Stores:
 * {@link StoreNames#UPLOAD_SESSIONS}, {@link StoreNames#SESSION_EVENT_IDS}.
 *
 * <p>Chunks that arrive before {@code start} are kept and published once an upload event names
 * the session. Grace: events more than {@code grace} (default 10 min) older than the session's
 * newest event are dropped and counted; within it, any order gives the same state (a terminal
 * status never regresses). Idle sessions expire on a wall-clock punctuator.
 */
public final class UploadSessionsTopology {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private UploadSessionsTopology() {
    }

    public static Topology build(Topics topics, UploadSessionsConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.UPLOAD_SESSIONS),
                Serdes.String(), AvroSerde.of(UploadSession.class)));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.SESSION_EVENT_IDS, config.dedupWindow()));

        KStream<String, Object> uploads = Sources.decoded(builder, topics.uploadEvents(), "session-upload-events",
                UploadSessionsTopology::checkUpload, true).mapValues(event -> (Object) event, Named.as("session-uploads"));
        KStream<String, Object> chunks = Sources.decoded(builder, topics.chunkEvents(), "session-chunk-events",
                UploadSessionsTopology::checkChunk, true).mapValues(event -> (Object) event, Named.as("session-chunks"));

        KStream<String, Object> results = uploads.merge(chunks, Named.as("session-events"))
                .process(() -> new UploadSessionProcessor(config), Named.as(UploadSessionProcessor.NAME),
                        StoreNames.UPLOAD_SESSIONS, StoreNames.SESSION_EVENT_IDS);
        DeadLetters.route(results.filter((key, value) -> value instanceof DeadLetter, Named.as("session-rejected"))
                .mapValues(value -> (DeadLetter) value, Named.as("session-rejected-letter")), "session-rejected");
        results.filter((key, value) -> value instanceof UploadSession, Named.as("session-updates"))
                .mapValues(value -> (UploadSession) value, Named.as("session-update-values"))
                .to(topics.uploadSessions().name(), Produced.with(Serdes.String(), AvroSerde.of(UploadSession.class))
                        .withName("upload-sessions-sink"));
        return builder.build();
    }

    static Optional<String> checkUpload(String key, UploadEvent event) {
        if (!key.equals(event.getSessionId())) {
            return Optional.of("key " + key + " differs from sessionId " + event.getSessionId());
        }
        if (negative(event.getFileSize()) || negative(event.getBytesUploaded())
                || (event.getTotalChunks() != null && event.getTotalChunks() < 0)) {
            return Optional.of("fileSize, bytesUploaded and totalChunks must not be negative");
        }
        if (event.getChunkSize() != null && event.getChunkSize() <= 0) {
            return Optional.of("chunkSize must be positive, was " + event.getChunkSize());
        }
        if (event.getFileHash() != null && !SHA256_HEX.matcher(event.getFileHash()).matches()) {
            return Optional.of("fileHash is not 64 lower-case hex characters");
        }
        return Optional.empty();
    }

    static Optional<String> checkChunk(String key, ChunkEvent event) {
        if (!key.equals(event.getSessionId())) {
            return Optional.of("key " + key + " differs from sessionId " + event.getSessionId());
        }
        if (event.getChunkIndex() < 0) {
            return Optional.of("chunkIndex must not be negative, was " + event.getChunkIndex());
        }
        if (negative(event.getChunkBytes()) || negative(event.getDurationMs())) {
            return Optional.of("chunkBytes and durationMs must not be negative");
        }
        return Optional.empty();
    }

    private static boolean negative(Long value) {
        return value != null && value < 0;
    }
}
