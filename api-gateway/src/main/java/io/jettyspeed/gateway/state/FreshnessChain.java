package io.jettyspeed.gateway.state;

import io.jettyspeed.schemas.Topics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The path an acknowledged event takes to one of the gateway's views, hop by hop: which topics feed
 * each hop and who reads them (a processors' Kafka Streams application, by its consumer group, or
 * the view itself). The watermark of a view follows its chain (see {@link WatermarkTracker}).
 *
 * <p>The hops mirror the processors' topologies (each sub-topology reading a repartition topic is a
 * hop of its own); {@code FreshnessChainTest} compares them with the real topologies, so a new
 * input or repartition there shows up as a failing test here.
 *
 * @param view the view the chain ends in
 * @param hops in order; the last one is read by the view
 */
public record FreshnessChain(ViewKind view, List<Hop> hops) {

    public FreshnessChain {
        hops = List.copyOf(hops);
        if (hops.isEmpty() || !hops.get(hops.size() - 1).steps().stream().allMatch(s -> s.reader() instanceof Reader.View)) {
            throw new IllegalArgumentException("a chain ends in its view");
        }
    }

    /** Every topic any hop of the chain snapshots. */
    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        hops.forEach(hop -> hop.steps().forEach(step -> topics.add(step.topic())));
        return topics;
    }

    /** Every consumer group any hop of the chain waits for. */
    public Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        hops.forEach(hop -> hop.steps().forEach(step -> {
            if (step.reader() instanceof Reader.Group group) {
                groups.add(group.groupId());
            }
        }));
        return groups;
    }

    /** One hop: topics whose end offsets are taken together, each with who must have read up to them. */
    public record Hop(List<Step> steps) {
        public Hop {
            steps = List.copyOf(steps);
        }

        static Hop of(Step... steps) {
            return new Hop(List.of(steps));
        }
    }

    /** A topic and its reader in one hop. */
    public record Step(String topic, Reader reader) {
    }

    /** Who reads a topic: a consumer group (committed offsets), or a view of the gateway (its position). */
    public sealed interface Reader {
        record Group(String groupId) implements Reader {
        }

        record View(ViewKind view) implements Reader {
        }
    }

    /** Names of the processors' Kafka Streams applications ({@code <applicationId>-<topology>}) and their internal topics. */
    public static final class Processors {
        public static final String EDGE_HEALTH = "edge-health";
        public static final String UPLOAD_SESSIONS = "upload-sessions";
        public static final String DEDUP_INDEX = "dedup-index";
        public static final String USER_STATS = "user-stats";

        private Processors() {
        }

        /** The consumer group (Kafka Streams' application id) of a topology. */
        public static String group(String applicationId, String topology) {
            return applicationId + "-" + topology;
        }

        /** A repartition topic: Kafka Streams prefixes the name with the application id. */
        public static String internalTopic(String applicationId, String topology, String name) {
            return group(applicationId, topology) + "-" + name;
        }
    }

    /**
     * The chains of the four views for the processors running as {@code applicationId} over this
     * catalogue.
     */
    public static Map<ViewKind, FreshnessChain> of(Topics topics, String applicationId) {
        Reader sessions = new Reader.Group(Processors.group(applicationId, Processors.UPLOAD_SESSIONS));
        Reader dedup = new Reader.Group(Processors.group(applicationId, Processors.DEDUP_INDEX));
        Reader stats = new Reader.Group(Processors.group(applicationId, Processors.USER_STATS));
        Reader edges = new Reader.Group(Processors.group(applicationId, Processors.EDGE_HEALTH));
        String dedupRepartition = Processors.internalTopic(applicationId, Processors.DEDUP_INDEX,
                "dedup-completions-by-hash-repartition");
        String statsRepartition = Processors.internalTopic(applicationId, Processors.USER_STATS,
                "user-sessions-by-user-repartition");
        String metricsRepartition = Processors.internalTopic(applicationId, Processors.EDGE_HEALTH,
                "edge-metrics-by-edge-repartition");
        String chunksRepartition = Processors.internalTopic(applicationId, Processors.EDGE_HEALTH,
                "edge-chunks-by-edge-repartition");
        String uploadEvents = topics.uploadEvents().name();
        String chunkEvents = topics.chunkEvents().name();
        String dedupChecks = topics.dedupChecks().name();
        String uploadSessions = topics.uploadSessions().name();

        Map<ViewKind, FreshnessChain> chains = new EnumMap<>(ViewKind.class);
        // upload and chunk events → upload sessions → jetty.upload-sessions.v1 → the sessions view
        chains.put(ViewKind.UPLOAD_SESSIONS, new FreshnessChain(ViewKind.UPLOAD_SESSIONS, List.of(
                Hop.of(new Step(uploadEvents, sessions), new Step(chunkEvents, sessions)),
                Hop.of(new Step(uploadSessions, new Reader.View(ViewKind.UPLOAD_SESSIONS))))));
        // ... → sessions → dedup index (re-keyed by hash through its repartition topic; dedup checks
        // beside) → jetty.file-index.v1 → the file index view
        chains.put(ViewKind.FILE_INDEX, new FreshnessChain(ViewKind.FILE_INDEX, List.of(
                Hop.of(new Step(uploadEvents, sessions), new Step(chunkEvents, sessions), new Step(dedupChecks, dedup)),
                Hop.of(new Step(uploadSessions, dedup)),
                Hop.of(new Step(dedupRepartition, dedup)),
                Hop.of(new Step(topics.fileIndex().name(), new Reader.View(ViewKind.FILE_INDEX))))));
        // sessions (re-keyed by user) and the dedup index's clones (from checks and from duplicate
        // uploads) → user stats → jetty.user-stats.v1 → the stats view
        chains.put(ViewKind.USER_STATS, new FreshnessChain(ViewKind.USER_STATS, List.of(
                Hop.of(new Step(uploadEvents, sessions), new Step(chunkEvents, sessions), new Step(dedupChecks, dedup)),
                Hop.of(new Step(uploadSessions, dedup), new Step(uploadSessions, stats)),
                Hop.of(new Step(dedupRepartition, dedup), new Step(statsRepartition, stats)),
                Hop.of(new Step(topics.dedupClones().name(), stats)),
                Hop.of(new Step(topics.userStats().name(), new Reader.View(ViewKind.USER_STATS))))));
        // probe samples and chunk outcomes, each re-keyed by edge → edge health → the edge view
        chains.put(ViewKind.EDGE_HEALTH, new FreshnessChain(ViewKind.EDGE_HEALTH, List.of(
                Hop.of(new Step(topics.edgeMetrics().name(), edges), new Step(chunkEvents, edges)),
                Hop.of(new Step(metricsRepartition, edges), new Step(chunksRepartition, edges)),
                Hop.of(new Step(topics.edgeHealth().name(), new Reader.View(ViewKind.EDGE_HEALTH))))));
        return chains;
    }

    /** Every step of every chain, for tests that compare them with the topologies. */
    public static List<Step> allSteps(Map<ViewKind, FreshnessChain> chains) {
        List<Step> steps = new ArrayList<>();
        chains.values().forEach(chain -> chain.hops().forEach(hop -> steps.addAll(hop.steps())));
        return steps;
    }
}
