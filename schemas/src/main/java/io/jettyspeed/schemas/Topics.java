package io.jettyspeed.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one catalogue of every topic that crosses a service boundary, with its serdes and partitions.
 *
 * <p>Topic names can carry a prefix so that tests (and tenants of one cluster) get topics of their
 * own; production uses {@link #standard()}.
 */
public final class Topics {

    public static final int DEFAULT_PARTITIONS = 6;

    private final String prefix;
    private final int partitions;

    private Topics(String prefix, int partitions) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        this.partitions = partitions;
    }

    public static Topics standard() {
        return new Topics("", DEFAULT_PARTITIONS);
    }

    public static Topics of(String prefix, int partitions) {
        return new Topics(prefix, partitions);
    }

    public String prefix() {
        return prefix;
    }

    public int partitions() {
        return partitions;
    }

    /** Upload lifecycle events from track-upload, keyed by sessionId. */
    public Topic<String, UploadEvent> uploadEvents() {
        return event("jetty.upload-events.v1", UploadEvent.class);
    }

    /** Chunk progress from cache-chunk, keyed by sessionId. */
    public Topic<String, ChunkEvent> chunkEvents() {
        return event("jetty.chunk-events.v1", ChunkEvent.class);
    }

    /** Edge probe samples from edge-metrics, keyed by edgeId. */
    public Topic<String, EdgeMetricSample> edgeMetrics() {
        return event("jetty.edge-metrics.v1", EdgeMetricSample.class);
    }

    /** Dedup look-ups from check-duplicate and optimal-edges, keyed by fileHash. */
    public Topic<String, DedupCheck> dedupChecks() {
        return event("jetty.dedup-checks.v1", DedupCheck.class);
    }

    /** The events the gateway publishes, in the order a reader would meet them. */
    public List<Topic<String, ?>> ingestTopics() {
        return List.of(uploadEvents(), chunkEvents(), edgeMetrics(), dedupChecks());
    }

    /** Current health of every edge, keyed by edgeId; compacted, so a reader can rebuild the latest state. */
    public Topic<String, EdgeHealth> edgeHealth() {
        return aggregate("jetty.edge-health.v1", EdgeHealth.class);
    }

    /** Dedup index: the canonical stored file per content hash, keyed by fileHash; compacted. */
    public Topic<String, StoredFile> fileIndex() {
        return aggregate("jetty.file-index.v1", StoredFile.class);
    }

    /** Fact stream of clones (one record per clone, unique eventId), keyed by the userId who got it. */
    public Topic<String, DedupClone> dedupClones() {
        return event("jetty.dedup-clones.v1", DedupClone.class);
    }

    /** Upload session state, keyed by sessionId; compacted. */
    public Topic<String, UploadSession> uploadSessions() {
        return aggregate("jetty.upload-sessions.v1", UploadSession.class);
    }

    /** Per-user stats, keyed by userId; compacted. */
    public Topic<String, UserStats> userStats() {
        return aggregate("jetty.user-stats.v1", UserStats.class);
    }

    /** The topics the stream processors publish, in pipeline order. */
    public List<Topic<String, ?>> aggregateTopics() {
        return List.of(edgeHealth(), fileIndex(), dedupClones(), uploadSessions(), userStats());
    }

    /** The dead-letter topic of a source topic: raw bytes of the key, a {@link DeadLetter} value. */
    public Topic<byte[], DeadLetter> deadLetters(Topic<?, ?> source) {
        return new Topic<>(source.deadLetterTopicName(), Serdes.ByteArray(), AvroSerde.of(DeadLetter.class),
                source.partitions(), false);
    }

    /** Every topic that must exist before the services start. */
    public List<Topic<?, ?>> all() {
        var sources = new java.util.ArrayList<Topic<String, ?>>(ingestTopics());
        sources.addAll(aggregateTopics());
        var all = new java.util.ArrayList<Topic<?, ?>>(sources);
        // Every topic someone consumes gets a dead-letter topic for the records its readers cannot use.
        sources.forEach(topic -> all.add(deadLetters(topic)));
        return List.copyOf(all);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> event(String name, Class<V> type) {
        Serde<V> serde = AvroSerde.of(type);
        return new Topic<>(prefix + name, Serdes.String(), serde, partitions, false);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> aggregate(String name, Class<V> type) {
        Serde<V> serde = AvroSerde.of(type);
        return new Topic<>(prefix + name, Serdes.String(), serde, partitions, true);
    }
}
