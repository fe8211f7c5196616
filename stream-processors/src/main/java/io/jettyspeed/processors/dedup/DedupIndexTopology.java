package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Violation;
import io.jettyspeed.processors.skeleton.Outputs;
import io.jettyspeed.processors.skeleton.Repartitions;
import io.jettyspeed.processors.state.AggregateStores;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Dedup index: content hash → canonical stored file, and the clones that saved storage and time.
 *
 * <p>Inputs: {@code jetty.upload-sessions.v1} (COMPLETED sessions with a hash, repartitioned by
 * fileHash through {@code dedup-completions-by-hash}; this topology owns its DLT) and
 * {@code jetty.dedup-checks.v1} (owned). Reading completed sessions rather than raw complete
 * events means the hash, size and user are known even when the client sent them only at start.
 * Outputs: {@code jetty.file-index.v1} (compacted, key fileHash) and {@code jetty.dedup-clones.v1}
 * (facts, key userId). Stores: {@link StoreNames#FILE_INDEX}, {@link StoreNames#DEDUP_EVENT_IDS},
 * {@link StoreNames#DEDUP_WAITING_CHECKS} and its deadline index {@link StoreNames#DEDUP_WAITING_CHECK_DEADLINES}.
 *
 * <p>Entry bounds ({@link EntryLimits}): a check's ids ≤ 128 characters, file name ≤ 1,024
 * without control characters, sizes and coordinates in range; a session is checked like the
 * upload-sessions topology checks what it publishes ({@link UploadSessionsTopology#checkSession}).
 * Tombstones of sessions whose retention is over are ignored (counted as dropped, reason
 * {@code tombstone}): a stored file outlives the session that stored it.
 *
 * <p>A {@code StoredFile} is at most about 4.1 KB: a 64-character hash, owner and session ids of at
 * most 128 characters and a file name of at most 1,024 (3 bytes each at worst), the location
 * (storage base URL plus the hash) and eight numbers. The store holds one per distinct stored
 * content — the product's index, not state to expire. A waiting check (a hit whose completion has
 * not been read yet) is at most about 2 KB and goes when its completion comes or its wait ends.
 *
 * <p>Racing first uploads of one hash meet in one task (same key, same partition); whichever
 * completion that task reads first is canonical, the other becomes a DUPLICATE_UPLOAD clone.
 */
public final class DedupIndexTopology {

    private DedupIndexTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, DedupIndexConfig config, OutputGuard guard) {
        builder.addStateStore(AggregateStores.of(StoreNames.FILE_INDEX, StoredFile.class));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.DEDUP_EVENT_IDS, config.dedupWindow()));
        builder.addStateStore(AggregateStores.of(StoreNames.DEDUP_WAITING_CHECKS, DedupCheck.class));
        builder.addStateStore(DeadlineIndex.storeBuilder(StoreNames.DEDUP_WAITING_CHECK_DEADLINES));

        KStream<String, DedupInput> completions = Sources.decoded(builder, topics.uploadSessions(), "dedup-upload-sessions",
                        (key, session, now) -> UploadSessionsTopology.checkSession(key, session, now, config.maxClockSkew()),
                        true, guard)
                .filter((sessionId, session) -> session.getStatus() == UploadSessionStatus.COMPLETED
                        && session.getFileHash() != null && session.getFileSize() != null && session.getUserId() != null,
                        Named.as("dedup-completed-sessions"))
                .selectKey((sessionId, session) -> session.getFileHash(), Named.as("dedup-key-by-hash"))
                .repartition(Repartitions.of(UploadSession.class, "dedup-completions-by-hash", topics.dedupChecks().partitions()))
                .mapValues(DedupInput.Completion::new, Named.as("dedup-completions"));
        KStream<String, DedupInput> checks = Sources.decoded(builder, topics.dedupChecks(), "dedup-checks",
                        (key, check, now) -> checkDedupCheck(key, check, now, config.maxClockSkew()), true, guard)
                .mapValues(DedupInput.Check::new, Named.as("dedup-check-values"));

        KStream<String, DedupOutput> results = completions.merge(checks, Named.as("dedup-inputs"))
                .process(() -> new DedupIndexProcessor(config), Named.as(DedupIndexProcessor.NAME),
                        StoreNames.FILE_INDEX, StoreNames.DEDUP_EVENT_IDS, StoreNames.DEDUP_WAITING_CHECKS,
                        StoreNames.DEDUP_WAITING_CHECK_DEADLINES);
        Outputs.to(Outputs.ofKind(results, DedupOutput.Indexed.class, DedupOutput.Indexed::file,
                "dedup-stored-files", "dedup-stored-file-values"), topics.fileIndex(), "file-index-sink", guard);
        Outputs.to(Outputs.ofKind(results, DedupOutput.Cloned.class, DedupOutput.Cloned::fact,
                "dedup-clone-facts", "dedup-clone-values"), topics.dedupClones(), "dedup-clones-sink", guard);
        return builder.build();
    }

    static Optional<Violation> checkDedupCheck(String key, DedupCheck check, long now, Duration maxClockSkew) {
        return EntryLimits.check()
                .sha256("fileHash", check.getFileHash(), true)
                .key(key, "fileHash", check.getFileHash())
                .id("eventId", check.getEventId(), true)
                .id("userId", check.getUserId(), true)
                .eventTime(check.getEventTime(), now, maxClockSkew)
                .text("fileName", check.getFileName(), EntryLimits.MAX_FILE_NAME_LENGTH, false)
                .range("fileSize", check.getFileSize(), 0, EntryLimits.MAX_FILE_SIZE)
                .between("userLat", check.getUserLat(), -90, 90)
                .between("userLng", check.getUserLng(), -180, 180)
                .result();
    }
}
