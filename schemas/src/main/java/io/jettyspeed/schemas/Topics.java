package io.jettyspeed.schemas;

import java.util.List;
import java.util.Map;
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

    /** The one setting for the partition count of every catalogue topic. */
    public static final String PARTITIONS_ENV = "JETTY_PARTITIONS";
    /** A prefix for every topic name (tenants, tests). */
    public static final String PREFIX_ENV = "JETTY_TOPIC_PREFIX";

    private final String prefix;
    private final int partitions;
    // Built once: the gateway asks for a topic per event it publishes (a name, a serde look-up and a
    // Topic each time).
    private final Topic<String, UploadEvent> uploadEvents;
    private final Topic<String, ChunkEvent> chunkEvents;
    private final Topic<String, EdgeMetricSample> edgeMetrics;
    private final Topic<String, DedupCheck> dedupChecks;
    private final Topic<String, EdgeHealth> edgeHealth;
    private final Topic<String, StoredFile> fileIndex;
    private final Topic<String, DedupClone> dedupClones;
    private final Topic<String, UploadSession> uploadSessions;
    private final Topic<String, UserStats> userStats;

    private Topics(String prefix, int partitions) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        this.partitions = partitions;
        this.uploadEvents = event("jetty.upload-events.v1", UploadEvent.class);
        this.chunkEvents = event("jetty.chunk-events.v1", ChunkEvent.class);
        this.edgeMetrics = event("jetty.edge-metrics.v1", EdgeMetricSample.class);
        this.dedupChecks = event("jetty.dedup-checks.v1", DedupCheck.class);
        this.edgeHealth = aggregate("jetty.edge-health.v1", EdgeHealth.class);
        this.fileIndex = aggregate("jetty.file-index.v1", StoredFile.class);
        this.dedupClones = event("jetty.dedup-clones.v1", DedupClone.class);
        this.uploadSessions = aggregate("jetty.upload-sessions.v1", UploadSession.class);
        this.userStats = aggregate("jetty.user-stats.v1", UserStats.class);
    }

    public static Topics standard() {
        return new Topics("", DEFAULT_PARTITIONS);
    }

    public static Topics of(String prefix, int partitions) {
        return new Topics(prefix, partitions);
    }

    /**
     * The catalogue as the environment configures it: {@value #PREFIX_ENV} (default none) and
     * {@value #PARTITIONS_ENV} (default {@value #DEFAULT_PARTITIONS}).
     */
    public static Topics fromEnvironment(Map<String, String> env) {
        return new Topics(env.getOrDefault(PREFIX_ENV, ""), partitionsFromEnvironment(env));
    }

    /** {@value #PARTITIONS_ENV}, or {@value #DEFAULT_PARTITIONS} when unset. */
    public static int partitionsFromEnvironment(Map<String, String> env) {
        return positive(env, PARTITIONS_ENV, DEFAULT_PARTITIONS);
    }

    public String prefix() {
        return prefix;
    }

    public int partitions() {
        return partitions;
    }

    /** Upload lifecycle events from track-upload, keyed by sessionId. */
    public Topic<String, UploadEvent> uploadEvents() {
        return uploadEvents;
    }

    /** Chunk progress from cache-chunk, keyed by sessionId. */
    public Topic<String, ChunkEvent> chunkEvents() {
        return chunkEvents;
    }

    /** Edge probe samples from edge-metrics, keyed by edgeId. */
    public Topic<String, EdgeMetricSample> edgeMetrics() {
        return edgeMetrics;
    }

    /** Dedup look-ups from check-duplicate and optimal-edges, keyed by fileHash. */
    public Topic<String, DedupCheck> dedupChecks() {
        return dedupChecks;
    }

    /** The events the gateway publishes, in the order a reader would meet them. */
    public List<Topic<String, ?>> ingestTopics() {
        return List.of(uploadEvents(), chunkEvents(), edgeMetrics(), dedupChecks());
    }

    /** Current health of every edge, keyed by edgeId; compacted, so a reader can rebuild the latest state. */
    public Topic<String, EdgeHealth> edgeHealth() {
        return edgeHealth;
    }

    /** Dedup index: the canonical stored file per content hash, keyed by fileHash; compacted. */
    public Topic<String, StoredFile> fileIndex() {
        return fileIndex;
    }

    /** Fact stream of clones (one record per clone, unique eventId), keyed by the userId who got it. */
    public Topic<String, DedupClone> dedupClones() {
        return dedupClones;
    }

    /** Upload session state, keyed by sessionId; compacted. */
    public Topic<String, UploadSession> uploadSessions() {
        return uploadSessions;
    }

    /** Per-user stats, keyed by userId; compacted. */
    public Topic<String, UserStats> userStats() {
        return userStats;
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

    private static int positive(Map<String, String> env, String name, int fallback) {
        return EnvironmentNumbers.wholeNumber(env, name, fallback, 1, Integer.MAX_VALUE, "a whole number of at least 1");
    }

    /**
     * How every catalogue topic is replicated: its replication factor and {@code min.insync.replicas}.
     * With acks=all a write is acknowledged once {@code minInsyncReplicas} replicas have it, so
     * {@link #PRODUCTION} (3 and 2) survives the loss of one broker without losing or refusing
     * acknowledged writes; {@link #SINGLE_NODE} (1 and 1) is all a one-broker cluster can do.
     */
    public record Replication(short factor, int minInsyncReplicas) {

        public static final String FACTOR_ENV = "JETTY_REPLICATION_FACTOR";
        public static final String MIN_INSYNC_ENV = "JETTY_MIN_INSYNC_REPLICAS";

        public static final Replication PRODUCTION = new Replication((short) 3, 2);
        public static final Replication SINGLE_NODE = new Replication((short) 1, 1);

        public Replication {
            if (factor < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, was " + factor);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
                throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor "
                        + factor + ", was " + minInsyncReplicas);
            }
        }

        public static Replication of(int factor, int minInsyncReplicas) {
            if (factor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("replication factor " + factor + " is too large");
            }
            return new Replication((short) factor, minInsyncReplicas);
        }

        /**
         * {@value #FACTOR_ENV} and {@value #MIN_INSYNC_ENV}, each defaulting to {@link #PRODUCTION}'s; a
         * factor set below 2 without a minimum lowers the minimum with it.
         */
        public static Replication fromEnvironment(Map<String, String> env) {
            int factor = positive(env, FACTOR_ENV, PRODUCTION.factor());
            int fallbackMin = Math.min(PRODUCTION.minInsyncReplicas(), factor);
            return of(factor, positive(env, MIN_INSYNC_ENV, fallbackMin));
        }

        @Override
        public String toString() {
            return "replication factor " + factor + ", min.insync.replicas " + minInsyncReplicas;
        }
    }
}
