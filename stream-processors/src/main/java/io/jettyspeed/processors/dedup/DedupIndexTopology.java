package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Validator;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Dedup index: content hash → canonical stored file, and the clones that saved storage and time.
 *
 * <p>Inputs: {@code jetty.upload-sessions.v1} (COMPLETED sessions with a hash, repartitioned by
 * fileHash through {@code dedup-completions-by-hash}; this topology owns its DLT) and
 * {@code jetty.dedup-checks.v1} (owned). Reading completed sessions rather than raw complete
 * events means the hash, size and user are known even when the client sent them only at start.
 * Outputs: {@code jetty.file-index.v1} (compacted, key fileHash) and {@code jetty.dedup-clones.v1}
 * (facts, key userId). Stores: {@link StoreNames#FILE_INDEX}, {@link StoreNames#DEDUP_EVENT_IDS}.
 *
 * <p>Racing first uploads of one hash meet in one task (same key, same partition); whichever
 * completion that task reads first is canonical, the other becomes a DUPLICATE_UPLOAD clone.
 */
public final class DedupIndexTopology {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private DedupIndexTopology() {
    }

    public static Topology build(Topics topics, DedupIndexConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.FILE_INDEX),
                Serdes.String(), AvroSerde.of(StoredFile.class)));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.DEDUP_EVENT_IDS, config.dedupWindow()));

        KStream<String, Object> completions = Sources.decoded(builder, topics.uploadSessions(), "dedup-upload-sessions",
                        Validator.none(), true)
                .filter((sessionId, session) -> session.getStatus() == UploadSessionStatus.COMPLETED
                        && session.getFileHash() != null && session.getFileSize() != null && session.getUserId() != null,
                        Named.as("dedup-completed-sessions"))
                .selectKey((sessionId, session) -> session.getFileHash(), Named.as("dedup-key-by-hash"))
                .repartition(Repartitioned.with(Serdes.String(), AvroSerde.of(UploadSession.class))
                        .withName("dedup-completions-by-hash").withNumberOfPartitions(topics.dedupChecks().partitions()))
                .mapValues(session -> (Object) session, Named.as("dedup-completions"));
        KStream<String, Object> checks = Sources.decoded(builder, topics.dedupChecks(), "dedup-checks",
                DedupIndexTopology::checkDedupCheck, true).mapValues(check -> (Object) check, Named.as("dedup-check-values"));

        KStream<String, Object> results = completions.merge(checks, Named.as("dedup-inputs"))
                .process(() -> new DedupIndexProcessor(config), Named.as(DedupIndexProcessor.NAME),
                        StoreNames.FILE_INDEX, StoreNames.DEDUP_EVENT_IDS);
        results.filter((key, value) -> value instanceof StoredFile, Named.as("dedup-stored-files"))
                .mapValues(value -> (StoredFile) value, Named.as("dedup-stored-file-values"))
                .to(topics.fileIndex().name(), Produced.with(Serdes.String(), AvroSerde.of(StoredFile.class))
                        .withName("file-index-sink"));
        results.filter((key, value) -> value instanceof DedupClone, Named.as("dedup-clone-facts"))
                .mapValues(value -> (DedupClone) value, Named.as("dedup-clone-values"))
                .to(topics.dedupClones().name(), Produced.with(Serdes.String(), AvroSerde.of(DedupClone.class))
                        .withName("dedup-clones-sink"));
        return builder.build();
    }

    static Optional<String> checkDedupCheck(String key, DedupCheck check) {
        if (!SHA256_HEX.matcher(check.getFileHash()).matches()) {
            return Optional.of("fileHash is not 64 lower-case hex characters");
        }
        if (!key.equals(check.getFileHash())) {
            return Optional.of("key " + key + " differs from fileHash");
        }
        if (check.getFileSize() != null && check.getFileSize() < 0) {
            return Optional.of("fileSize must not be negative");
        }
        return Optional.empty();
    }
}
