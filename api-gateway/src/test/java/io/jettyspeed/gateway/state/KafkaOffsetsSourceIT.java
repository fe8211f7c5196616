package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.testing.SharedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import io.jettyspeed.kafka.InProcessKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KafkaOffsetsSource} on the real broker: it reads what an exactly-once Kafka Streams
 * application committed whichever rebalance protocol it uses (classic, or KIP-1071's streams groups),
 * end offsets past its transaction markers, and treats a topic that does not exist as empty.
 */
class KafkaOffsetsSourceIT {

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "streams"})
    void shouldReadWhatAStreamsApplicationCommittedWhicheverItsProtocol(String protocol) throws Exception {
        try (InProcessKafka streamsBroker = "streams".equals(protocol) ? streamsGroupsBroker() : null) {
            readCommittedOffsets(protocol, streamsBroker == null ? SharedKafka.bootstrapServers()
                    : streamsBroker.bootstrapServers());
        }
    }

    /**
     * A broker of its own with KIP-1071 streams groups on: in Kafka 4.1 they are early access, off by
     * default (the shared broker answers such an application UnsupportedVersionException).
     */
    private static InProcessKafka streamsGroupsBroker() throws Exception {
        InProcessKafka kafka = InProcessKafka.builder(Files.createTempDirectory("streams-groups-kafka"))
                .brokerProperty("group.coordinator.rebalance.protocols", "classic,consumer,streams")
                .brokerProperty("unstable.api.versions.enable", "true")
                .brokerProperty("unstable.feature.versions.enable", "true")
                .start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.updateFeatures(Map.of("streams.version",
                    new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.UPGRADE)), new UpdateFeaturesOptions()).all().get();
        }
        return kafka;
    }

    private static void readCommittedOffsets(String protocol, String bootstrapServers) throws Exception {
        // given records on an input topic and an exactly-once application copying them
        String input = SharedKafka.uniqueId("offsets-in");
        String output = SharedKafka.uniqueId("offsets-out");
        String applicationId = SharedKafka.uniqueId("offsets-app");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(input, 2, (short) 1), new NewTopic(output, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(input, "key-" + i, "value-" + i)).get();
            }
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("offsets-source").toString());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        config.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol);

        try (KafkaOffsetsSource offsets = new KafkaOffsetsSource(
                Admin.create(Map.of("bootstrap.servers", bootstrapServers)), Duration.ofSeconds(2));
                KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            // when
            streams.start();

            // then: the group's commits reach the input's end, and the output's end (past the markers)
            // is what a reader of it must reach
            Map<TopicPartition, Long> inputEnds = offsets.endOffsets(Set.of(input, "no-such-topic")).get();
            assertThat(inputEnds).containsOnlyKeys(new TopicPartition(input, 0), new TopicPartition(input, 1));
            assertThat(inputEnds.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(offsets.committedOffsets(Set.of(applicationId, "no-such-group")).get())
                            .containsOnlyKeys(applicationId)
                            .containsEntry(applicationId, inputEnds));
            Map<TopicPartition, Long> outputEnds = offsets.endOffsets(Set.of(output)).get();
            System.out.printf("offsets source, %s protocol: input ends %s committed; output ends %s (10 records and "
                    + "their transaction markers)%n", protocol, inputEnds, outputEnds);
            assertThat(outputEnds.values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);
        }
    }
}
