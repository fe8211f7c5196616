package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.state.FreshnessChain.Reader;
import io.jettyspeed.gateway.state.FreshnessChain.Step;
import io.jettyspeed.processors.ProcessorTopologies;
import io.jettyspeed.processors.ProcessorsProperties;
import io.jettyspeed.schemas.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The watermark's chains follow the real topologies: every path from the gateway's input topics to a
 * view, through every sub-topology and repartition topic, is in the view's chain, and a topic comes
 * in a later hop than the inputs of the sub-topology that writes it. A new input or repartition in a
 * topology fails this test until the chain follows it.
 */
class FreshnessChainTest {

    static final String APP = "jetty-stream-processors";
    static final Topics TOPICS = Topics.standard();

    /** A sub-topology: the group running it, what it reads and what it writes (internal topics by full name). */
    record SubTopology(String group, Set<String> sources, Set<String> sinks) {
    }

    @Test
    void shouldFollowEveryPathOfTheTopologiesIntoEachView() {
        // given
        List<SubTopology> subTopologies = subTopologies();
        Map<ViewKind, FreshnessChain> chains = FreshnessChain.of(TOPICS, APP);

        for (FreshnessChain chain : chains.values()) {
            // when: the (topic, group) pairs upstream of the view's topic, from the topologies
            String viewTopic = chain.hops().get(chain.hops().size() - 1).steps().get(0).topic();
            Set<Step> upstream = new HashSet<>();
            Deque<String> frontier = new ArrayDeque<>(List.of(viewTopic));
            Set<String> seen = new HashSet<>();
            while (!frontier.isEmpty()) {
                String topic = frontier.pop();
                if (!seen.add(topic)) {
                    continue;
                }
                for (SubTopology sub : subTopologies) {
                    if (sub.sinks().contains(topic)) {
                        sub.sources().forEach(source -> {
                            upstream.add(new Step(source, new Reader.Group(sub.group())));
                            frontier.push(source);
                        });
                    }
                }
            }
            Set<Step> inChain = new HashSet<>(FreshnessChain.allSteps(Map.of(chain.view(), chain)));
            inChain.removeIf(step -> step.reader() instanceof Reader.View);

            // then
            assertThat(inChain).as("steps of the chain of %s", chain.view()).containsExactlyInAnyOrderElementsOf(upstream);
            for (int hop = 0; hop < chain.hops().size(); hop++) {
                for (Step step : chain.hops().get(hop).steps()) {
                    for (SubTopology writer : subTopologies) {
                        if (!writer.sinks().contains(step.topic())) {
                            continue;
                        }
                        List<Step> earlier = new ArrayList<>();
                        chain.hops().subList(0, hop).forEach(h -> earlier.addAll(h.steps()));
                        for (String source : writer.sources()) {
                            assertThat(earlier).as("%s in hop %d of %s: its writer's input %s comes earlier", step.topic(),
                                    hop, chain.view(), source).contains(new Step(source, new Reader.Group(writer.group())));
                        }
                    }
                }
            }
        }
    }

    private static List<SubTopology> subTopologies() {
        ProcessorsProperties properties = new ProcessorsProperties(APP, "localhost:9092", "/tmp/unused", 0, 1, "",
                Duration.ofMillis(100), Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofMinutes(10),
                "https://storage.jettyspeed.io/files", "exactly_once_v2", Duration.ofDays(7), Duration.ofMinutes(5),
                1_000_000, "test-instance", Duration.ofSeconds(30), true, DataSize.ofMegabytes(32), DataSize.ofMegabytes(4), 6,
                null);
        List<SubTopology> result = new ArrayList<>();
        for (Map.Entry<String, Topology> entry : ProcessorTopologies.build(TOPICS, properties).entrySet()) {
            String group = APP + "-" + entry.getKey();
            for (TopologyDescription.Subtopology sub : entry.getValue().describe().subtopologies()) {
                Set<String> sources = new HashSet<>();
                Set<String> sinks = new HashSet<>();
                for (TopologyDescription.Node node : sub.nodes()) {
                    if (node instanceof TopologyDescription.Source source) {
                        source.topicSet().forEach(topic -> sources.add(fullName(group, topic)));
                    } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                        sinks.add(fullName(group, sink.topic()));
                    }
                }
                result.add(new SubTopology(group, sources, sinks));
            }
        }
        return result;
    }

    /** Kafka Streams prefixes its internal topics with the application id; catalogue topics carry dots. */
    private static String fullName(String group, String topic) {
        return topic.startsWith("jetty.") ? topic : group + "-" + topic;
    }
}
