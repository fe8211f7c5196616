package io.jettyspeed.processors;

import io.jettyspeed.processors.dedup.DedupIndexTopology;
import io.jettyspeed.processors.edges.EdgeHealthTopology;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.users.UserStatsTopology;
import io.jettyspeed.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
 * The four topologies by name. Each runs as its own Kafka Streams application
 * ({@code <applicationId>-<name>}), because several of them read the same input topic, which one
 * topology may subscribe only once.
 */
public final class ProcessorTopologies {

    private ProcessorTopologies() {
    }

    public static Map<String, Topology> build(Topics topics, ProcessorsProperties properties) {
        Map<String, Topology> topologies = new LinkedHashMap<>();
        topologies.put("edge-health", EdgeHealthTopology.build(topics, properties.edgeHealth()));
        topologies.put("upload-sessions", UploadSessionsTopology.build(topics, properties.uploadSessions()));
        topologies.put("dedup-index", DedupIndexTopology.build(topics, properties.dedupIndex()));
        topologies.put("user-stats", UserStatsTopology.build(topics, properties.userStats()));
        return topologies;
    }
}
