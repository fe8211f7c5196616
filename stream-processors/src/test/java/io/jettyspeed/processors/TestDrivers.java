package io.jettyspeed.processors;

import io.jettyspeed.processors.errors.DeadLetterHandlers;
import io.jettyspeed.processors.errors.DeadLetterPublisher;
import io.jettyspeed.processors.errors.DeadLetterRoutes;
import io.jettyspeed.processors.errors.DropCounter;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * TopologyTestDriver set-up shared by the topology tests: a unique application id and state dir per
 * driver, and the production exception handlers installed as {@code StreamsRunner} installs them —
 * their dead letters go to a {@link MockProducer} the test can read ({@link #handlerDeadLetters}).
 */
public final class TestDrivers {

    public static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    private TestDrivers() {
    }

    public static TopologyTestDriver driver(Topology topology, Path stateDir) {
        return driver(topology, stateDir, deadLetterProducer());
    }

    public static TopologyTestDriver driver(Topology topology, Path stateDir, MockProducer<byte[], byte[]> deadLetters) {
        return new TopologyTestDriver(topology, config(topology, stateDir, deadLetters, OutputGuard.standard()), START);
    }

    public static Properties config(Topology topology, Path stateDir, MockProducer<byte[], byte[]> deadLetters,
            OutputGuard guard) {
        String applicationId = "test-" + UUID.randomUUID();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        DeadLetterHandlers.configure(config, DeadLetterPublisher.using(deadLetters),
                DeadLetterRoutes.of(topology, applicationId), guard);
        return config;
    }

    /** How each topology class builds its topology: {@code EdgeHealthTopology::build} and the others. */
    @FunctionalInterface
    public interface TopologyFactory<C> {
        Topology build(StreamsBuilder builder, Topics topics, C config, OutputGuard guard);
    }

    /** A topology as production builds it, with the standard output guard. */
    public static <C> Topology topology(TopologyFactory<C> factory, Topics topics, C config) {
        return factory.build(new StreamsBuilder(), topics, config, OutputGuard.standard());
    }

    /** A builder whose aggregating processors throw for a record with id {@value FaultInjection#POISON} ({@link FaultInjection}). */
    public static StreamsBuilder builderWithFaultInjection() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fault-injection");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, FaultInjection.class);
        return new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
    }

    /** A producer that acknowledges every send at once. */
    public static MockProducer<byte[], byte[]> deadLetterProducer() {
        return new MockProducer<>(true, new FirstPartition(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The dead letters Kafka Streams' exception handlers wrote, with the topic each went to. */
    public static List<Map.Entry<String, DeadLetter>> handlerDeadLetters(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream()
                .map(record -> Map.entry(record.topic(), AvroSerde.of(DeadLetter.class).decode(record.value())))
                .toList();
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
        return metric(driver, DropCounter.METRIC, processor, Map.of("reason", reason));
    }

    /** Sum of a {@code jettyspeed-processors} metric of a processor whose tags include {@code tags}. */
    public static double metric(TopologyTestDriver driver, String name, String processor, Map<String, String> tags) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(DropCounter.GROUP) && e.getKey().name().equals(name))
                .filter(e -> processor.equals(e.getKey().tags().get("processor")))
                .filter(e -> e.getKey().tags().entrySet().containsAll(tags.entrySet()))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** Every record to partition 0: the mock producer knows no cluster. */
    public static final class FirstPartition implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return 0;
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
