package io.jettyspeed.processors.edges;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Validator;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Edge health: turns probe samples and the chunk outcomes real uploads observed into a health
 * score per edge, so edge choice stops recommending a bad edge within seconds.
 *
 * <p>Inputs: {@code jetty.edge-metrics.v1} (owned: its bad records go to its DLT),
 * {@code jetty.chunk-events.v1} (completed/failed chunks with an edge id; bad records are
 * dead-lettered by the upload-sessions topology). Output: {@code jetty.edge-health.v1}
 * (compacted, key edgeId). Stores: {@link StoreNames#EDGE_HEALTH}, {@link StoreNames#EDGE_EVENT_IDS}.
 *
 * <p>Both inputs are repartitioned onto one partition: edges are few (tens) and observations
 * cheap, and one task seeing every edge is what makes "never eject more than N % of the edges"
 * correct no matter how many instances run.
 */
public final class EdgeHealthTopology {

    private EdgeHealthTopology() {
    }

    public static Topology build(Topics topics, EdgeHealthConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.EDGE_HEALTH),
                Serdes.String(), AvroSerde.of(EdgeHealth.class)));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.EDGE_EVENT_IDS, config.dedupWindow()));

        KStream<String, Object> probes = Sources.decoded(builder, topics.edgeMetrics(), "edge-metrics", EdgeHealthTopology::checkSample, true)
                .repartition(Repartitioned.with(Serdes.String(), AvroSerde.of(EdgeMetricSample.class))
                        .withName("edge-metrics-by-edge").withNumberOfPartitions(1))
                .mapValues(sample -> (Object) sample, Named.as("edge-probe-observations"));
        KStream<String, Object> chunks = Sources.decoded(builder, topics.chunkEvents(), "edge-chunk-events", Validator.none(), false)
                .filter((sessionId, chunk) -> chunk.getEdgeId() != null && EdgeCatalog.isKnownEdge(chunk.getEdgeId())
                        && (chunk.getStatus() == ChunkStatus.COMPLETED || chunk.getStatus() == ChunkStatus.FAILED),
                        Named.as("edge-chunk-outcomes"))
                .selectKey((sessionId, chunk) -> chunk.getEdgeId(), Named.as("edge-chunk-key-by-edge"))
                .repartition(Repartitioned.with(Serdes.String(), AvroSerde.of(ChunkEvent.class))
                        .withName("edge-chunks-by-edge").withNumberOfPartitions(1))
                .mapValues(chunk -> (Object) chunk, Named.as("edge-chunk-observations"));

        probes.merge(chunks, Named.as("edge-observations"))
                .process(() -> new EdgeHealthProcessor(config), Named.as(EdgeHealthProcessor.NAME),
                        StoreNames.EDGE_HEALTH, StoreNames.EDGE_EVENT_IDS)
                .to(topics.edgeHealth().name(), Produced.with(Serdes.String(), AvroSerde.of(EdgeHealth.class))
                        .withName("edge-health-sink"));
        return builder.build();
    }

    /** A sample must name a catalogued edge, match its key and carry measurements in range. */
    static Optional<String> checkSample(String key, EdgeMetricSample sample) {
        if (!EdgeCatalog.isKnownEdge(sample.getEdgeId())) {
            return Optional.of("unknown edgeId " + sample.getEdgeId());
        }
        if (!key.equals(sample.getEdgeId())) {
            return Optional.of("key " + key + " differs from edgeId " + sample.getEdgeId());
        }
        if (!(sample.getLatencyMs() >= 0) || !(sample.getBandwidthMbps() >= 0)) {
            return Optional.of("latencyMs and bandwidthMbps must be non-negative numbers");
        }
        if (!(sample.getLoad() >= 0 && sample.getLoad() <= 1) || !(sample.getErrorRate() >= 0 && sample.getErrorRate() <= 1)) {
            return Optional.of("load and errorRate must be between 0 and 1");
        }
        return Optional.empty();
    }
}
