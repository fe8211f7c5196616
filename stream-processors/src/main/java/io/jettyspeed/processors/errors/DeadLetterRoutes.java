package io.jettyspeed.processors.errors;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Which dead-letter topic takes a failed record, by the topic it was read from: a catalogue topic
 * {@code T} → {@code T-dlt}; an internal repartition topic → the dead-letter topic of the
 * catalogue topic it was derived from (found by walking the topology back from the repartition
 * sink to its sources). Internal topics have no dead-letter topics of their own, and an operator
 * looks for a poison record where its original topic's poison goes; the letter still carries the
 * repartition topic's own coordinates.
 */
public final class DeadLetterRoutes {

    private DeadLetterRoutes() {
    }

    /** Source topic (as Kafka Streams names it at run time, internal ones prefixed with the application id) → dead-letter topic. */
    public static Map<String, String> of(Topology topology, String applicationId) {
        TopologyDescription description = topology.describe();
        Map<String, String> originOfInternal = new LinkedHashMap<>();
        Set<String> external = new HashSet<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().filter(topic -> !isInternal(topic)).forEach(external::add);
                }
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null && isInternal(sink.topic())) {
                    originOf(sink).ifPresent(origin -> originOfInternal.put(sink.topic(), origin));
                }
            }
        }
        Map<String, String> routes = new LinkedHashMap<>();
        external.forEach(topic -> routes.put(topic, topic + "-dlt"));
        originOfInternal.forEach((internal, origin) -> routes.put(applicationId + "-" + internal,
                resolve(origin, originOfInternal) + "-dlt"));
        return Map.copyOf(routes);
    }

    private static String resolve(String topic, Map<String, String> originOfInternal) {
        String current = topic;
        for (int hops = 0; isInternal(current) && originOfInternal.containsKey(current) && hops < 16; hops++) {
            current = originOfInternal.get(current);
        }
        return current;
    }

    /** The first source topic found walking back from {@code sink}. */
    private static Optional<String> originOf(TopologyDescription.Node sink) {
        Deque<TopologyDescription.Node> pending = new ArrayDeque<>();
        Set<TopologyDescription.Node> seen = new HashSet<>();
        pending.add(sink);
        while (!pending.isEmpty()) {
            TopologyDescription.Node node = pending.poll();
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null && !source.topicSet().isEmpty()) {
                return Optional.of(source.topicSet().iterator().next());
            }
            pending.addAll(node.predecessors());
        }
        return Optional.empty();
    }

    private static boolean isInternal(String topic) {
        return topic.endsWith("-repartition") || topic.endsWith("-changelog");
    }
}
