package io.jettyspeed.processors;

import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.schemas.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.AvroSerde;

/** TopologyTestDriver set-up shared by the topology tests: a unique application id and state dir per driver. */
public final class TestDrivers {

    public static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    private TestDrivers() {
    }

    public static TopologyTestDriver driver(Topology topology, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return new TopologyTestDriver(topology, config, START);
    }

    public static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    public static TestInputTopic<byte[], byte[]> rawInput(TopologyTestDriver driver, Topic<?, ?> topic) {
        return driver.createInputTopic(topic.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    public static <V> TestOutputTopic<String, V> output(TopologyTestDriver driver, Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
    }

    public static TestOutputTopic<byte[], DeadLetter> deadLetters(TopologyTestDriver driver, Topic<?, ?> source) {
        return driver.createOutputTopic(source.deadLetterTopicName(), Serdes.ByteArray().deserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
    }

    /** Sum of {@code jettyspeed-processors:dropped-records-total} for a processor and reason. */
    public static double dropped(TopologyTestDriver driver, String processor, String reason) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(DropCounter.GROUP) && e.getKey().name().equals(DropCounter.METRIC))
                .filter(e -> processor.equals(e.getKey().tags().get("processor")) && reason.equals(e.getKey().tags().get("reason")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }
}
