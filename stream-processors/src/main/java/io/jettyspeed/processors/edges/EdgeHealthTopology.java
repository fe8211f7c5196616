package io.jettyspeed.processors.edges;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Text;
import io.jettyspeed.processors.errors.Violation;
import io.jettyspeed.processors.skeleton.Outputs;
import io.jettyspeed.processors.skeleton.Repartitions;
import io.jettyspeed.processors.state.AggregateStores;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Edge health: turns probe samples and the chunk outcomes real uploads observed into a health
 * score per edge, so edge choice stops recommending a bad edge within seconds.
 *
 * <p>Inputs: {@code jetty.edge-metrics.v1} (owned: its bad records go to its DLT),
 * {@code jetty.chunk-events.v1} (completed/failed chunks with an edge id; checked with the same
 * bounds as the upload-sessions topology, which dead-letters the bad ones — here they are counted
 * and dropped). Output: {@code jetty.edge-health.v1} (compacted, key edgeId). Stores:
 * {@link StoreNames#EDGE_HEALTH}, {@link StoreNames#EDGE_EVENT_IDS}.
 *
 * <p>Bounded by the edge catalogue: a probe sample must name a catalogued edge and a chunk outcome
 * counts only for one, so the store holds at most one entry per catalogued edge (20) and its sweep
 * may read them all. An {@code EdgeHealth} is under 1 KB (350 bytes with every reason): a catalogued id and region,
 * numbers, and at most six short reasons the scoring writes itself.
 *
 * <p>Both inputs are repartitioned onto one partition: edges are few (tens) and observations
 * cheap, and one task seeing every edge is what makes "never eject more than N % of the edges"
 * correct no matter how many instances run.
 */
public final class EdgeHealthTopology {

    private EdgeHealthTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, EdgeHealthConfig config, OutputGuard guard) {
        builder.addStateStore(AggregateStores.of(StoreNames.EDGE_HEALTH, EdgeHealth.class));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.EDGE_EVENT_IDS, config.dedupWindow()));

        KStream<String, EdgeObservation> probes = Sources.decoded(builder, topics.edgeMetrics(), "edge-metrics",
                        (key, sample, now) -> checkSample(key, sample, now, config.maxClockSkew()), true, guard)
                .repartition(Repartitions.of(EdgeMetricSample.class, "edge-metrics-by-edge", 1))
                .mapValues(EdgeObservation.Probe::new, Named.as("edge-probe-observations"));
        KStream<String, EdgeObservation> chunks = Sources.decoded(builder, topics.chunkEvents(), "edge-chunk-events",
                        (key, chunk, now) -> UploadSessionsTopology.checkChunk(key, chunk, now, config.maxClockSkew()), false, guard)
                .filter((sessionId, chunk) -> chunk.getEdgeId() != null && EdgeCatalog.isKnownEdge(chunk.getEdgeId())
                        && (chunk.getStatus() == ChunkStatus.COMPLETED || chunk.getStatus() == ChunkStatus.FAILED),
                        Named.as("edge-chunk-outcomes"))
                .selectKey((sessionId, chunk) -> chunk.getEdgeId(), Named.as("edge-chunk-key-by-edge"))
                .repartition(Repartitions.of(ChunkEvent.class, "edge-chunks-by-edge", 1))
                .mapValues(EdgeObservation.ChunkOutcome::new, Named.as("edge-chunk-observations"));

        KStream<String, EdgeHealth> health = probes.merge(chunks, Named.as("edge-observations"))
                .process(() -> new EdgeHealthProcessor(config), Named.as(EdgeHealthProcessor.NAME),
                        StoreNames.EDGE_HEALTH, StoreNames.EDGE_EVENT_IDS);
        Outputs.to(health, topics.edgeHealth(), "edge-health-sink", guard);
        return builder.build();
    }

    /** A sample must name a catalogued edge, match its key and carry measurements in range. */
    static Optional<Violation> checkSample(String key, EdgeMetricSample sample, long now, Duration maxClockSkew) {
        if (!EdgeCatalog.isKnownEdge(sample.getEdgeId())) {
            return Optional.of(Violation.invariant("unknown edgeId " + Text.quote(sample.getEdgeId())));
        }
        return EntryLimits.check()
                .key(key, "edgeId", sample.getEdgeId())
                .id("eventId", sample.getEventId(), true)
                .eventTime(sample.getEventTime(), now, maxClockSkew)
                .between("latencyMs", sample.getLatencyMs(), 0, EntryLimits.MAX_LATENCY_MS)
                .between("bandwidthMbps", sample.getBandwidthMbps(), 0, EntryLimits.MAX_BANDWIDTH_MBPS)
                .between("load", sample.getLoad(), 0, 1)
                .between("errorRate", sample.getErrorRate(), 0, 1)
                .range("activeConnections", sample.getActiveConnections(), 0, 10_000_000)
                .result();
    }
}
