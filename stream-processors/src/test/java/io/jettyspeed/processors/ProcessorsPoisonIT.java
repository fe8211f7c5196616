package io.jettyspeed.processors;

import static io.jettyspeed.processors.PoisonTopologyTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicReader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The poison cases that need the real thing, on the in-process broker with the processors service
 * as it runs in production ({@code StreamsRunner}'s configuration: exactly_once_v2, the
 * dead-lettering exception handlers, the uncaught-exception handler that replaces threads). The
 * only test addition is {@link FaultInjection} through {@code jetty.processors.streams}.
 *
 * <ul>
 *   <li>a processor that throws: one dead letter, the next record is processed;</li>
 *   <li>an output the broker refuses as too large ({@code jetty.upload-sessions.v1} is created here
 *       with {@code max.message.bytes=3000}): the failed send dooms the transaction, the thread is
 *       replaced, the replay ends as exactly one dead letter, the next record is processed;</li>
 *   <li>an unreadable record on an internal repartition topic: a dead letter on its origin's
 *       dead-letter topic;</li>
 *   <li>entry poison (a NUL in a file name, an oversized chunk index) through the decode step;</li>
 *   <li>the store-size and deadline-index metrics on /actuator/prometheus.</li>
 * </ul>
 */
class ProcessorsPoisonIT {

    static final String HASH = "d".repeat(64);
    static final Topics topics = SharedKafka.freshTopics();
    static final String applicationId = SharedKafka.uniqueId("poison");
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(120);
    static ConfigurableApplicationContext processors;
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startProcessors() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            ConfigResource sessions = new ConfigResource(ConfigResource.Type.TOPIC, topics.uploadSessions().name());
            admin.incrementalAlterConfigs(Map.of(sessions, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "3000"), AlterConfigOp.OpType.SET)))).all().get();
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        processors = StreamProcessorsApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.application-id=" + applicationId,
                "--jetty.processors.topic-prefix=" + topics.prefix(),
                "--jetty.processors.state-dir=" + Files.createTempDirectory("poison-streams"),
                // Longer than the replaced thread's pause may be: a task waiting for its old member's
                // session to time out would miss the bound below.
                "--jetty.processors.session-timeout=" + SESSION_TIMEOUT,
                "--jetty.processors.streams[processor.wrapper.class]=" + FaultInjection.class.getName());
        await().atMost(Duration.ofSeconds(90)).until(() -> processors.getBean(StreamsRunner.class).streams().values()
                .stream().allMatch(streams -> streams.state() == KafkaStreams.State.RUNNING));
    }

    @AfterAll
    static void stopProcessors() {
        if (processors != null) {
            processors.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void shouldDeadLetterARecordAProcessorThrowsOnAndProcessTheNextOne() throws Exception {
        // given
        String after = "s-after-bug-" + UUID.randomUUID();
        UploadEvent bug = start("s-bug");
        bug.setEventId(FaultInjection.POISON);

        // when
        RecordMetadata poison = send(topics.uploadEvents().name(), "s-bug", AvroSerde.of(UploadEvent.class).encode(bug));
        send(topics.uploadEvents().name(), after, AvroSerde.of(UploadEvent.class).encode(start(after)));

        // then
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(sessionIds()).contains(after));
        assertThat(lettersAt(topics.uploadEvents(), poison)).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
            assertThat(letter.getProcessor()).isEqualTo(applicationId + "-upload-sessions/upload-sessions");
            assertThat(letter.getDescription()).contains("injected fault");
            assertThat(AvroSerde.of(UploadEvent.class).decode(PoisonTopologyTest.bytes(letter.getValue())).getEventId())
                    .isEqualTo(FaultInjection.POISON);
        });
        assertThat(sessionIds()).doesNotContain("s-bug");
    }

    @Test
    void shouldDeadLetterAnOutputTheBrokerRefusesAsTooLargeOnceAndProcessTheNextOne() throws Exception {
        // given: a valid start whose session (about 4 KB) exceeds the output topic's 3,000 bytes
        String big = "s-big-" + UUID.randomUUID();
        String after = "s-after-big-" + UUID.randomUUID();
        UploadEvent start = start(big);
        start.setFileName("f".repeat(1_000));
        start.setEdgeIds(IntStream.range(0, 30).mapToObj(i -> "edge-" + "x".repeat(90) + i).toList());

        // when
        RecordMetadata poison = send(topics.uploadEvents().name(), big, AvroSerde.of(UploadEvent.class).encode(start));
        send(topics.uploadEvents().name(), after, AvroSerde.of(UploadEvent.class).encode(start(after)));

        // then: the records after it are processed, and the too-large one is exactly one dead letter. The letter
        // comes from the replay after the failed task's thread was replaced; the replaced thread's static member
        // is removed from the group, so the replay does not wait for that member's session (120 s) to time out.
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sessionIds()).contains(after));
        await().atMost(Duration.ofSeconds(60)).until(() -> !lettersAt(topics.uploadEvents(), poison).isEmpty());
        System.out.printf("[processors poison] too-large output dead-lettered %d ms after it was sent%n",
                Duration.ofNanos(System.nanoTime() - sent).toMillis());
        List<DeadLetter> letters = lettersAt(topics.uploadEvents(), poison);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PRODUCTION_ERROR);
            assertThat(letter.getExceptionClass()).endsWith("RecordTooLargeException");
            assertThat(letter.getDescription()).contains(topics.uploadSessions().name());
        });
        assertThat(sessionIds()).doesNotContain(big);
    }

    @Test
    void shouldDeadLetterAnUnreadableRecordOfARepartitionTopicToItsOriginsDeadLetterTopic() throws Exception {
        // given
        String repartition = applicationId + "-edge-health-edge-metrics-by-edge-repartition";

        // when
        RecordMetadata poison = send(repartition, "edge-lhr", bytes("not avro"));
        send(topics.edgeMetrics().name(), "edge-lhr", AvroSerde.of(EdgeMetricSample.class).encode(sample("edge-lhr")));

        // then
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                TopicReader.readValues(topics.edgeHealth())).extracting(EdgeHealth::getEdgeId).contains("edge-lhr"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                TopicReader.readValues(topics.deadLetters(topics.edgeMetrics())))
                .filteredOn(letter -> letter.getSourceTopic().equals(repartition))
                .singleElement().satisfies(letter -> {
                    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
                    assertThat(letter.getSourceOffset()).isEqualTo(poison.offset());
                }));
    }

    @Test
    void shouldDeadLetterEntryPoisonAndProcessTheNextRecord() throws Exception {
        // given
        String session = "s-entry-" + UUID.randomUUID();
        UploadEvent nul = start(session);
        nul.setFileName("report\u0000.pdf");
        ChunkEvent oversized = ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(Instant.now())
                .setReceivedAt(Instant.now()).setSessionId(session).setUserId("user-1").setChunkIndex(100_000)
                .setStatus(ChunkStatus.COMPLETED).build();

        // when
        RecordMetadata nulAt = send(topics.uploadEvents().name(), session, AvroSerde.of(UploadEvent.class).encode(nul));
        RecordMetadata chunkAt = send(topics.chunkEvents().name(), session, AvroSerde.of(ChunkEvent.class).encode(oversized));
        send(topics.uploadEvents().name(), session, AvroSerde.of(UploadEvent.class).encode(start(session)));

        // then
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(sessionIds()).contains(session));
        assertThat(lettersAt(topics.uploadEvents(), nulAt)).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVARIANT_VIOLATION);
            assertThat(letter.getDescription()).contains("fileName contains the control character U+0000");
        });
        assertThat(lettersAt(topics.chunkEvents(), chunkAt)).singleElement()
                .satisfies(letter -> assertThat(letter.getReason()).isEqualTo(DeadLetterReason.LIMIT_EXCEEDED));
    }

    @Test
    void shouldShowStoreSizesAndDeadlineIndexReadsOnPrometheus() {
        int port = Integer.parseInt(processors.getEnvironment().getProperty("local.server.port"));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                new GatewayHttp(port).get("/actuator/prometheus", null).raw().body())
                .contains("kafka_jettyspeed_processors_store_entries{")
                .contains("store=\"upload-sessions-store\"")
                .contains("store=\"user-session-contributions\"")
                .contains("kafka_jettyspeed_processors_deadline_index_visited_total{"));
    }

    private static List<String> sessionIds() {
        return TopicReader.readAll(topics.uploadSessions()).stream().map(ConsumerRecord::key).toList();
    }

    /** The dead letters of the record at {@code at} on {@code source}'s dead-letter topic. */
    private static List<DeadLetter> lettersAt(io.jettyspeed.schemas.Topic<?, ?> source, RecordMetadata at) {
        return TopicReader.readValues(topics.deadLetters(source)).stream()
                .filter(letter -> letter.getSourceTopic().equals(at.topic()) && letter.getSourcePartition() == at.partition()
                        && letter.getSourceOffset() == at.offset())
                .toList();
    }

    private static RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, bytes(key), value)).get();
    }

    static UploadEvent start(String sessionId) {
        Instant now = Instant.now();
        return UploadEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(now).setReceivedAt(now)
                .setAction(UploadAction.START).setSessionId(sessionId).setUserId("user-1").setFileHash(HASH)
                .setFileName("a.bin").setFileSize(4_000L).setChunkSize(1_000).setTotalChunks(4).build();
    }

    static EdgeMetricSample sample(String edgeId) {
        Instant now = Instant.now();
        return EdgeMetricSample.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(now).setReceivedAt(now)
                .setEdgeId(edgeId).setLatencyMs(40).setBandwidthMbps(200).setLoad(0.2).setErrorRate(0).build();
    }
}
