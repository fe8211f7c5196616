package io.jettyspeed.processors;

import io.jettyspeed.processors.dedup.DedupIndexTopology;
import io.jettyspeed.processors.edges.EdgeHealthTopology;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.users.UserStatsTopology;
import io.jettyspeed.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The four topologies by name. Each runs as its own Kafka Streams application
 * ({@code <applicationId>-<name>}), because several of them read the same input topic, which one
 * topology may subscribe only once.
 */
public final class ProcessorTopologies {

    public static final List<String> NAMES = List.of("edge-health", "upload-sessions", "dedup-index", "user-stats");

    private ProcessorTopologies() {
    }

    public static Map<String, Topology> build(Topics topics, ProcessorsProperties properties) {
        Map<String, Topology> topologies = new LinkedHashMap<>();
        OutputGuard guard = new OutputGuard(properties.maxRecordBytes());
        for (String name : NAMES) {
            topologies.put(name, build(name, new StreamsBuilder(), topics, properties, guard));
        }
        return topologies;
    }

    /** One topology, built on {@code builder} (which carries the application's topology configuration). */
    public static Topology build(String name, StreamsBuilder builder, Topics topics, ProcessorsProperties properties,
            OutputGuard guard) {
        Map<String, Function<StreamsBuilder, Topology>> builders = Map.of(
                "edge-health", b -> EdgeHealthTopology.build(b, topics, properties.edgeHealth(), guard),
                "upload-sessions", b -> UploadSessionsTopology.build(b, topics, properties.uploadSessions(), guard),
                "dedup-index", b -> DedupIndexTopology.build(b, topics, properties.dedupIndex(), guard),
                "user-stats", b -> UserStatsTopology.build(b, topics, properties.userStats(), guard));
        Function<StreamsBuilder, Topology> build = builders.get(name);
        if (build == null) {
            throw new IllegalArgumentException("unknown topology " + name + "; known: " + NAMES);
        }
        return build.apply(builder);
    }
}
