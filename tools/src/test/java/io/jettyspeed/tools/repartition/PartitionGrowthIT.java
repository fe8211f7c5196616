package io.jettyspeed.tools.repartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicReader;
import io.jettyspeed.tools.Cli;
import io.jettyspeed.tools.Feed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Growing the partitions of a running pipeline the way the README's "Scaling out" says: events are
 * processed on a generation with 3 partitions; {@code ./jettyspeed repartition} copies its event topics
 * into a new generation with 6 (after a crashed copy left an open transaction there); processors with a
 * new application id rebuild on it; every aggregate is then equal, record for record, to the old
 * generation's; and a second copy copies nothing.
 *
 * <p>The events come in phases, each processed before the next is sent: two check-duplicate hits after their
 * uploads (the gateway publishes only hits, README "Reads wait on no write"), an upload of new content, a second
 * upload of stored content (a duplicate), a failed upload, a failed then retried chunk, an event sent twice. The new
 * generation's topologies start in the order their inputs are derived (sessions and edge health, then the dedup
 * index once the sessions are rebuilt, then user stats once the file index is) and wait for all their inputs
 * ({@code max.task.idle.ms}), as the README says. A re-read still lets checks overtake the completions they were
 * answered from; the dedup index keeps such a check waiting until its completion comes, so a hit stays a hit
 * (before it did, one in two runs re-decided a hit as a miss).
 */
class PartitionGrowthIT {

    static final String H1 = "1".repeat(64);
    static final String H2 = "2".repeat(64);
    static final String H3 = "3".repeat(64);
    static final String H4 = "4".repeat(64);
    static final String H5 = "5".repeat(64);

    final String kafka = SharedKafka.bootstrapServers();
    final String run = SharedKafka.uniqueId("growth");
    final Topics g1 = Topics.of(run + ".g1.", 3);
    final Topics g2 = Topics.of(run + ".g2.", 6);
    final Feed feed = new Feed(kafka);
    final long began = System.nanoTime();

    @Test
    void shouldRebuildEveryAggregateRecordForRecordOnAGenerationWithTwiceThePartitionsAndCopyNothingTwice() throws Exception {
        // given: the old generation, 3 partitions, with its processors having processed every phase
        SharedKafka.createTopics(g1);
        Map<String, Map<String, Object>> before;
        Map<String, EdgeHealth> edgesBefore;
        try (GenerationProcessors processors = GenerationProcessors.start(kafka, g1, run + "-g1", Map.of())) {
            await().atMost(Duration.ofSeconds(120)).until(processors::running);
            phase("old generation running");
            produceHistory();
            phase("old generation's history processed");
            before = aggregates(g1);
            edgesBefore = latest(g1.edgeHealth());
        }
        // ... the new generation created as the README says (./jettyspeed topics --prefix g2. --partitions 6) ...
        Cli.Run topics = Cli.run(kafka, "topics", "--prefix", g2.prefix(), "--partitions", "6",
                "--replication-factor", "1");
        assertThat(topics.status()).as(topics.err()).isZero();
        // ... and a copy that crashed mid-transaction: copies sent, never committed
        KafkaProducer<byte[], byte[]> crashed = crashedCopy();

        Cli.Run dryRun = Cli.run(kafka, "repartition", "--from-prefix", g1.prefix(), "--to-prefix", g2.prefix(),
                "--partitions", "6", "--dry-run");
        assertThat(dryRun.status()).as(dryRun.err()).isZero();
        assertThat(dryRun.json()).extracting(line -> line.get("action").asString()).containsOnly("would-copy");
        assertThat(dryRun.err()).startsWith("would copy ");

        // when: the copy runs (the crashed transaction is aborted) and the processors start on the new generation
        Cli.Run copy = Cli.run(kafka, "repartition", "--from-prefix", g1.prefix(), "--to-prefix", g2.prefix(),
                "--partitions", "6");

        copy.out().lines().forEach(line -> System.out.println("[partition growth] copy: " + line));
        System.out.println("[partition growth] copy: " + copy.err().strip());

        // then: every record of every event topic is there once, with its key, value, timestamp and headers, in
        // the partition the key chooses among 6
        assertThat(copy.status()).as(copy.err()).isZero();
        for (int i = 0; i < g1.ingestTopics().size(); i++) {
            Topic<String, ?> from = g1.ingestTopics().get(i);
            Topic<String, ?> to = g2.ingestTopics().get(i);
            List<ConsumerRecord<byte[], byte[]>> original = raw(from.name());
            List<ConsumerRecord<byte[], byte[]>> copied = raw(to.name());
            assertThat(copied).extracting(PartitionGrowthIT::content).as(to.name())
                    .containsExactlyInAnyOrderElementsOf(original.stream().map(PartitionGrowthIT::content).toList());
            assertThat(copied).as(to.name()).allSatisfy(record -> assertThat(record.partition())
                    .isEqualTo(Utils.toPositive(Utils.murmur2(record.key())) % 6));
            JsonNode line = copy.json().get(i);
            assertThat(line.get("to").asString()).isEqualTo(to.name());
            assertThat(line.get("records").asLong()).isEqualTo(original.size());
            assertThat(line.get("fromPartitions").asInt()).isEqualTo(3);
        }
        // The edge ids are fixed keys (a session's key holds the run's random id): edge-sin and edge-lhr move from
        // partition 2 of 3 to 5 of 6, so a copy that kept each record's partition fails here on every run.
        assertThat(raw(g2.edgeMetrics().name())).extracting(ConsumerRecord::partition).as("keys spread over the new partitions")
                .anyMatch(partition -> partition >= 3);
        crashed.close(Duration.ZERO);

        // then: the processors of the new generation, started in the order their inputs are derived (README), rebuild
        // exactly the aggregates of the old one
        Map<String, String> waitForAllInputs = Map.of("max.task.idle.ms", "30000");
        try (GenerationProcessors upstream = GenerationProcessors.start(kafka, g2, run + "-g2", waitForAllInputs,
                List.of("edge-health", "upload-sessions"));
                GenerationProcessors dedup = startWhenEqual(upstream, g2, before, waitForAllInputs, "upload-sessions",
                        List.of("dedup-index"));
                GenerationProcessors users = startWhenEqual(dedup, g2, before, waitForAllInputs, "file-index",
                        List.of("user-stats"))) {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(aggregates(g2)).isEqualTo(before));
            phase("new generation's aggregates equal the old ones");
            await().atMost(Duration.ofSeconds(60)).during(Duration.ofSeconds(6)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(aggregates(g2)).isEqualTo(before));
            decayedEstimates(latest(g2.edgeHealth()), edgesBefore);

            // when the copy runs again
            Map<String, Long> ends = ends(g2);
            Cli.Run again = Cli.run(kafka, "repartition", "--from-prefix", g1.prefix(), "--to-prefix", g2.prefix(),
                    "--partitions", "6");

            System.out.println("[partition growth] second copy: " + again.err().strip());

            // then it copies nothing, and nothing changes
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.json()).extracting(line -> line.get("records").asLong()).containsOnly(0L);
            assertThat(again.err()).contains("copied by earlier runs were not copied again");
            assertThat(ends(g2)).isEqualTo(ends);
            assertThat(aggregates(g2)).isEqualTo(before);
        }
        feed.close();
    }

    @Test
    void shouldRefuseToCopyAHistoryThatRetentionHasCutAndAGenerationThatIsNotEmpty() throws Exception {
        // given a source whose first records were deleted, and a target someone already writes to
        Topics cut = Topics.of(run + ".cut.", 2);
        Topics target = Topics.of(run + ".next.", 4);
        Topics busy = Topics.of(run + ".busy.", 4);
        SharedKafka.createTopics(cut);
        SharedKafka.createTopics(target);
        SharedKafka.createTopics(busy);
        var first = feed.send(cut.chunkEvents().name(), "k".getBytes(StandardCharsets.UTF_8), new byte[] {1});
        feed.send(cut.chunkEvents().name(), "k".getBytes(StandardCharsets.UTF_8), new byte[] {2});
        feed.send(busy.uploadEvents().name(), "k".getBytes(StandardCharsets.UTF_8), new byte[] {3});
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.deleteRecords(Map.of(new TopicPartition(first.topic(), first.partition()),
                    org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(1))).all().get();
        }

        // when
        Cli.Run fromCut = Cli.run(kafka, "repartition", "--from-prefix", cut.prefix(), "--to-prefix", target.prefix(),
                "--partitions", "4");
        Cli.Run missingSource = Cli.run(kafka, "repartition", "--from-prefix", g1.prefix().replace("g1.", "none."),
                "--to-prefix", busy.prefix(), "--partitions", "4");
        Cli.Run wrongCount = Cli.run(kafka, "repartition", "--from-prefix", cut.prefix(), "--to-prefix", target.prefix(),
                "--partitions", "6");

        // then: one line each, exit 1, nothing copied
        assertThat(fromCut.status()).isEqualTo(1);
        assertThat(fromCut.err().lines()).containsExactly("jettyspeed repartition: " + cut.chunkEvents().name() + " partition "
                + first.partition() + " starts at offset 1, not 0: events were deleted (retention) before they were copied,"
                + " and a re-read would rebuild the aggregates without them (README \"Scaling out\")");
        assertThat(missingSource.status()).isEqualTo(1);
        assertThat(missingSource.err()).startsWith("jettyspeed repartition: topic '" + run + ".none.jetty.upload-events.v1' does not exist");
        assertThat(wrongCount.err().lines()).containsExactly("jettyspeed repartition: topic '"
                + target.uploadEvents().name() + "' has 4 partitions, expected 6 (--partitions, JETTY_PARTITIONS)");
        assertThat(raw(target.chunkEvents().name())).isEmpty();
        SharedKafka.createTopics(Topics.of(run + ".empty.", 2));
        Cli.Run busyRun = Cli.run(kafka, "repartition", "--from-prefix", run + ".empty.", "--to-prefix", busy.prefix(),
                "--partitions", "4");
        assertThat(busyRun.status()).isEqualTo(1);
        assertThat(busyRun.err()).startsWith("jettyspeed repartition: " + busy.uploadEvents().name()
                + " already holds records that no run of this copy wrote");
        feed.close();
    }

    /** Starts {@code names} once the aggregate {@code derived}, which they read, equals the old generation's. */
    private GenerationProcessors startWhenEqual(GenerationProcessors running, Topics topics,
            Map<String, Map<String, Object>> before, Map<String, String> settings, String derived, List<String> names) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(aggregates(topics).get(derived)).isEqualTo(before.get(derived)));
        phase(derived + " rebuilt; starting " + names);
        return GenerationProcessors.start(kafka, topics, run + "-g2", settings, names);
    }

    /** The history, phase by phase; each phase is processed by the old generation before the next is sent. */
    private void produceHistory() {
        // probes of four edges
        for (String edge : List.of("edge-sfo", "edge-fra", "edge-sin", "edge-lhr")) {
            for (int i = 0; i < 3; i++) {
                send(g1.edgeMetrics(), edge, EdgeMetricSample.newBuilder().setEventId(id()).setEventTime(now())
                        .setReceivedAt(now()).setEdgeId(edge).setLatencyMs(30 + 10 * i + edge.length())
                        .setBandwidthMbps(100 + 50 * i).setLoad(0.1 * (i + 1)).setErrorRate(0.01 * i).build());
            }
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(latest(g1.edgeHealth()).values())
                .hasSize(4).allSatisfy(edge -> assertThat(edge.getProbeSamples()).isEqualTo(3)));

        // four uploads, each through an edge of its own; a chunk fails once and is retried; a chunk event sent twice
        upload("s1", "usr_a", H1, "edge-sfo", Plan.PRO);
        upload("s2", "usr_b", H2, "edge-fra", Plan.STARTER);
        upload("s3", "usr_c", H3, "edge-sin", Plan.BUSINESS);
        upload("s4", "usr_d", H4, "edge-lhr", Plan.STARTER);
        ChunkEvent failed = chunk("s3", "usr_c", 3, "edge-sin", ChunkStatus.FAILED);
        send(g1.chunkEvents(), session("s3"), failed);
        send(g1.chunkEvents(), session("s3"), failed);
        send(g1.chunkEvents(), session("s3"), chunk("s3", "usr_c", 3, "edge-sin", ChunkStatus.COMPLETED));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(latest(g1.edgeHealth()).values())
                .extracting(EdgeHealth::getChunkSuccesses).containsOnly(4L));

        // three complete, one fails
        complete("s1", "usr_a", H1);
        complete("s2", "usr_b", H2);
        complete("s3", "usr_c", H3);
        send(g1.uploadEvents(), session("s4"), event("s4", "usr_d", UploadAction.FAIL).setErrorMessage("disk full").build());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(latest(g1.fileIndex())).containsOnlyKeys(H1, H2, H3);
            assertThat(latest(g1.userStats())).containsKeys("usr_a", "usr_b", "usr_c", "usr_d");
        });

        // check-duplicate: two hits (after the uploads); a miss is answered but never published
        check("usr_c", H1);
        check("usr_d", H2);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(facts(g1)).hasSize(2));

        // new content is uploaded; stored content is uploaded a second time
        upload("s5", "usr_a", H5, "edge-sfo", Plan.PRO);
        // (on the first upload's new partition: which of two completions of one content is canonical is the order
        // the dedup index reads them, and from two partitions a re-read need not read them in time order; README)
        String s6 = onTheNewPartitionOf("s1", "s6");
        upload(s6, "usr_b", H1, "edge-fra", Plan.STARTER);
        complete("s5", "usr_a", H5);
        complete(s6, "usr_b", H1);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(latest(g1.fileIndex())).containsOnlyKeys(H1, H2, H3, H5);
            assertThat(facts(g1)).hasSize(3);
            assertThat(latest(g1.userStats()).get("usr_a").getUploadsCompleted()).isEqualTo(2);
            assertThat(latest(g1.userStats()).get("usr_b").getUploadsCompleted()).isEqualTo(2);
        });
    }

    private void upload(String sessionId, String userId, String hash, String edge, Plan plan) {
        send(g1.uploadEvents(), session(sessionId), event(sessionId, userId, UploadAction.START).setFileHash(hash)
                .setFileName(sessionId + ".bin").setFileSize(4_000_000L).setChunkSize(1_000_000).setTotalChunks(4)
                .setPlan(plan).setEdgeIds(List.of(edge)).build());
        for (int chunk = 0; chunk < 3; chunk++) {
            send(g1.chunkEvents(), session(sessionId), chunk(sessionId, userId, chunk, edge, ChunkStatus.COMPLETED));
        }
        if (!sessionId.equals("s3")) {
            send(g1.chunkEvents(), session(sessionId), chunk(sessionId, userId, 3, edge, ChunkStatus.COMPLETED));
        }
    }

    private void complete(String sessionId, String userId, String hash) {
        send(g1.uploadEvents(), session(sessionId), event(sessionId, userId, UploadAction.COMPLETE).setFileHash(hash)
                .setFileSize(4_000_000L).setBytesUploaded(4_000_000L).build());
    }

    private void check(String userId, String hash) {
        send(g1.dedupChecks(), hash, DedupCheck.newBuilder().setEventId(id()).setEventTime(now()).setReceivedAt(now())
                .setFileHash(hash).setUserId(userId).setFileSize(4_000_000L).setFileName("x.bin")
                .setSource(DedupCheckSource.CHECK_DUPLICATE).build());
    }

    private UploadEvent.Builder event(String sessionId, String userId, UploadAction action) {
        return UploadEvent.newBuilder().setEventId(id()).setEventTime(now()).setReceivedAt(now()).setAction(action)
                .setSessionId(session(sessionId)).setUserId(userId);
    }

    private ChunkEvent chunk(String sessionId, String userId, int index, String edge, ChunkStatus status) {
        return ChunkEvent.newBuilder().setEventId(id()).setEventTime(now()).setReceivedAt(now())
                .setSessionId(session(sessionId)).setUserId(userId).setChunkIndex(index).setStatus(status)
                .setEdgeId(edge).setChunkBytes(1_000_000L).setDurationMs(80L + 10L * index)
                .setErrorMessage(status == ChunkStatus.FAILED ? "reset by peer" : null).build();
    }

    @SuppressWarnings("unchecked")
    private <V extends org.apache.avro.specific.SpecificRecord> void send(Topic<String, ?> topic, String key, V value) {
        byte[] bytes = AvroSerde.of((Class<V>) value.getClass()).encode(value);
        // A header, as a replay would carry one: the copy must keep it.
        feed.send(new ProducerRecord<>(topic.name(), null, System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8),
                bytes, List.of(new RecordHeader("test-origin", run.getBytes(StandardCharsets.UTF_8)))));
    }

    /** A session name starting with {@code name} whose key the new generation puts where {@code other}'s goes. */
    private String onTheNewPartitionOf(String other, String name) {
        int partition = newPartition(session(other));
        return IntStream.range(0, 1_000).mapToObj(i -> name + "-" + i).filter(n -> newPartition(session(n)) == partition)
                .findFirst().orElseThrow();
    }

    private int newPartition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % g2.partitions();
    }

    private void phase(String what) {
        System.out.printf("[partition growth] %s: %.1f s after the test began%n", what, (System.nanoTime() - began) / 1e9);
    }

    private String session(String name) {
        return run + "-" + name;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Instant now() {
        return Instant.now();
    }

    /** A copy that sent records under the copy's transactional id and died before committing them. */
    private KafkaProducer<byte[], byte[]> crashedCopy() {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, RepartitionCommand.progressGroup(g1.prefix(), g2.prefix())),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        raw(g1.uploadEvents().name()).stream().limit(5).forEach(record -> producer.send(new ProducerRecord<>(
                g2.uploadEvents().name(), null, record.timestamp(), record.key(), record.value(), record.headers())));
        producer.flush();
        return producer;
    }

    /**
     * Every aggregate of a generation: the latest value per key of each compacted topic, and the clone facts.
     * Left out are the fields that hold the processor's clock rather than the events' (a session's
     * {@code lastActivityAt}, from which idle expiry and retention are measured; an edge's {@code lastSeenAt}
     * and {@code updatedAt}), and an edge's decayed estimates, compared by {@link #decayedEstimates} instead.
     */
    private Map<String, Map<String, Object>> aggregates(Topics topics) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        Map<String, Object> sessions = new HashMap<>();
        latest(topics.uploadSessions()).forEach((id, session) -> sessions.put(id, UploadSession.newBuilder(session)
                .setLastActivityAt(Instant.EPOCH).build()));
        all.put("upload-sessions", sessions);
        all.put("user-stats", new HashMap<>(latest(topics.userStats())));
        all.put("file-index", new HashMap<>(latest(topics.fileIndex())));
        all.put("dedup-clones", new HashMap<>(facts(topics)));
        Map<String, Object> edges = new HashMap<>();
        latest(topics.edgeHealth()).forEach((edge, health) -> edges.put(edge, EdgeHealth.newBuilder(health)
                .setLastSeenAt(Instant.EPOCH).setUpdatedAt(Instant.EPOCH)
                .setLatencyMs(0.0).setBandwidthMbps(0.0).setLoad(0.0).setErrorRate(0.0).setScore(0.0).build()));
        all.put("edge-health", edges);
        return all;
    }

    /**
     * An edge's decayed estimates (Peak-EWMA latency, bandwidth, load, error rate, and the score from them)
     * depend on the order of its observations. Observations of one edge from sessions on different
     * partitions meet in the edge-health topology's one-partition repartition topic in the order the
     * upstream tasks write them, which a re-read does not reproduce exactly: equal within 2 %, not to the bit.
     */
    private static void decayedEstimates(Map<String, EdgeHealth> rebuilt, Map<String, EdgeHealth> original) {
        assertThat(rebuilt).containsOnlyKeys(original.keySet());
        original.forEach((edge, health) -> {
            EdgeHealth other = rebuilt.get(edge);
            assertThat(other.getLatencyMs()).as(edge).isCloseTo(health.getLatencyMs(), withinPercentage(2));
            assertThat(other.getBandwidthMbps()).as(edge).isCloseTo(health.getBandwidthMbps(), withinPercentage(2));
            assertThat(other.getLoad()).as(edge).isCloseTo(health.getLoad(), withinPercentage(2));
            assertThat(other.getErrorRate()).as(edge).isCloseTo(health.getErrorRate(), offset(0.005));
            assertThat(other.getScore()).as(edge).isCloseTo(health.getScore(), offset(0.02));
        });
    }

    private Map<String, Object> facts(Topics topics) {
        Map<String, Object> facts = new HashMap<>();
        for (ConsumerRecord<String, DedupClone> record : TopicReader.readAll(topics.dedupClones())) {
            assertThat(facts.put(record.value().getEventId(), record.value())).as("clone counted twice").isNull();
        }
        return facts;
    }

    private static <V> Map<String, V> latest(Topic<String, V> topic) {
        Map<String, V> latest = new HashMap<>();
        for (ConsumerRecord<String, V> record : TopicReader.readAll(topic)) {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record.value());
            }
        }
        return latest;
    }

    private List<ConsumerRecord<byte[], byte[]>> raw(String topic) {
        return TopicReader.readRaw(kafka, topic);
    }

    /** What a copy must keep of a record: key, value, timestamp and headers. */
    private static String content(ConsumerRecord<byte[], byte[]> record) {
        return Arrays.toString(record.key()) + "|" + Arrays.hashCode(record.value()) + "|" + record.timestamp() + "|"
                + Arrays.stream(record.headers().toArray()).map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining(","));
    }

    private Map<String, Long> ends(Topics topics) {
        Map<String, Long> ends = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Topic<String, ?> topic : topics.ingestTopics()) {
                List<TopicPartition> partitions = IntStream.range(0, topics.partitions())
                        .mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
                consumer.endOffsets(partitions).forEach((p, offset) -> ends.put(p.toString(), offset));
            }
        }
        return ends;
    }
}
