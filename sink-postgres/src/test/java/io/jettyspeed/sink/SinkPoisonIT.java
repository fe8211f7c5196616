package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterHeaders;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.testing.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records PostgreSQL refuses, on the real broker and the real database: each becomes a dead letter
 * with reason {@code DATABASE_REJECTED}, PostgreSQL's SQLSTATE and message and its coordinates,
 * while every good record before and after it is written, the offsets reach the end and the sink
 * stays ready. Before this, the first of them stopped the sink for good.
 */
class SinkPoisonIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);
    private static final String HASH_C = "c".repeat(64);

    @RegisterExtension
    final SinkRunner sinks = new SinkRunner();
    private final Topics topics = sinks.topics();

    /** A poison record as sent, and what its letter must say. */
    private record Poison(Topic<String, ?> topic, RecordMetadata sent, byte[] value, DeadLetterReason reason,
            String sqlState, String message, String replayedFrom) {
    }

    @Test
    void shouldDeadLetterEveryRowPostgresRefusesAndWriteEveryGoodRecordAroundIt() throws Exception {
        // given good records, then records PostgreSQL refuses, then good records again
        sinks.send(topics.uploadSessions(), "sess-good-1", session("sess-good-1", "ok.mp4", 4000L, UploadSessionStatus.STARTED));
        sinks.send(topics.fileIndex(), HASH_A, file(HASH_A, "ok.mp4"));
        sinks.send(topics.userStats(), "usr_1", stats("usr_1"));
        sinks.send(topics.edgeMetrics(), "edge-sfo", sample("sample-g1", "edge-sfo", T0));
        sinks.send(topics.chunkEvents(), "sess-good-1", chunk("chunk-g1", "sess-good-1", "edge-sfo", 1000L, T0));

        List<Poison> poison = new ArrayList<>();
        // a NUL byte in a file name, in an upload session and in a stored file (22021)
        poison.add(refused(topics.uploadSessions(), "sess-good-1",
                session("sess-good-1", "bad\u0000name.mp4", 4000L, UploadSessionStatus.UPLOADING),
                "22021", "invalid byte sequence for encoding \"UTF8\": 0x00"));
        poison.add(refused(topics.fileIndex(), HASH_B, file(HASH_B, "x\u0000y.bin"),
                "22021", "invalid byte sequence for encoding \"UTF8\": 0x00"));
        // a timestamp PostgreSQL cannot store (year 300000, 22008)
        poison.add(refused(topics.edgeMetrics(), "edge-sfo",
                sample("sample-far", "edge-sfo", Instant.parse("+300000-01-01T00:00:00Z")), "22008", "timestamp out of range"));
        // a number overflowing its column: two chunks of Long.MAX_VALUE bytes in one edge-minute (22003);
        // the first fits, the second overflows the rollup's bigint sum
        sinks.send(topics.chunkEvents(), "sess-big", chunk("chunk-big-1", "sess-big", "edge-fra", Long.MAX_VALUE, T0.plusSeconds(3600)));
        poison.add(refused(topics.chunkEvents(), "sess-big",
                chunk("chunk-big-2", "sess-big", "edge-fra", Long.MAX_VALUE, T0.plusSeconds(3601)), "22003", "bigint out of range"));
        // a check constraint of the analyst schema: sizes are never negative (23514)
        poison.add(refused(topics.uploadSessions(), "sess-neg", session("sess-neg", "neg.mp4", -1L, UploadSessionStatus.STARTED),
                "23514", "violates check constraint \"upload_sessions_sizes_not_negative\""));
        // a key too large for the primary key's index (54000)
        String huge = randomText(20_000);
        poison.add(refused(topics.uploadSessions(), "sess-huge", session(huge, "huge.mp4", 1L, UploadSessionStatus.STARTED),
                "54000", "index row requires"));
        // a refused record that was itself a replayed dead letter: the new letter says so
        poison.add(refused(topics.uploadSessions(), "sess-replayed",
                session("sess-replayed", "again\u0000.mp4", 1L, UploadSessionStatus.STARTED), "22021",
                "invalid byte sequence", record -> record.headers().add(DeadLetterHeaders.REPLAYED_FROM,
                        "old.jetty.upload-sessions.v1-dlt/2/17".getBytes(StandardCharsets.UTF_8)),
                "old.jetty.upload-sessions.v1-dlt/2/17"));
        // bytes that are not Avro at all
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        RecordMetadata garbageSent = sinks.send(new ProducerRecord<>(topics.userStats().name(), "usr_x", garbage));
        poison.add(new Poison(topics.userStats(), garbageSent, garbage, DeadLetterReason.UNDECODABLE, null,
                "not an Avro single-object UserStats", null));

        sinks.send(topics.uploadSessions(), "sess-good-2", session("sess-good-2", "fine.mp4", 2000L, UploadSessionStatus.COMPLETED));
        sinks.send(topics.fileIndex(), HASH_C, file(HASH_C, "fine.mp4"));
        sinks.send(topics.userStats(), "usr_2", stats("usr_2"));
        sinks.send(topics.edgeMetrics(), "edge-sfo", sample("sample-g2", "edge-sfo", T0.plusSeconds(5)));
        sinks.send(topics.chunkEvents(), "sess-good-2", chunk("chunk-g2", "sess-good-2", "edge-sfo", 500L, T0.plusSeconds(5)));

        // when
        try (var sink = sinks.start("poison")) {
            // then every good record is in PostgreSQL, and the last good version of a session stays
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT session_id, file_name, status FROM upload_sessions ORDER BY 1"))
                        .containsExactly("sess-good-1|ok.mp4|STARTED", "sess-good-2|fine.mp4|COMPLETED");
                assertThat(sinks.rows("SELECT file_hash, file_name FROM files ORDER BY 1"))
                        .containsExactly(HASH_A + "|ok.mp4", HASH_C + "|fine.mp4");
                assertThat(sinks.rows("SELECT user_id FROM user_stats ORDER BY 1")).containsExactly("usr_1", "usr_2");
                assertThat(sinks.rows("SELECT event_id FROM edge_samples ORDER BY 1"))
                        .containsExactly("sample-g1", "sample-g2");
                assertThat(sinks.rows("SELECT event_id FROM chunk_outcomes ORDER BY 1"))
                        .containsExactly("chunk-big-1", "chunk-g1", "chunk-g2");
            });
            assertThat(sinks.rows("SELECT edge_id, chunk_successes, chunk_bytes FROM edge_minute_rollups "
                    + "WHERE edge_id = 'edge-fra'")).containsExactly("edge-fra|1|" + Long.MAX_VALUE);

            // and every refused record is in its dead-letter topic, with PostgreSQL's reason and its coordinates
            for (Poison p : poison) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(letters(p.topic())).filteredOn(l -> l.getSourcePartition() == p.sent().partition()
                                && l.getSourceOffset() == p.sent().offset()).singleElement().satisfies(letter -> {
                                    assertThat(letter.getReason()).isEqualTo(p.reason());
                                    assertThat(letter.getSqlState()).isEqualTo(p.sqlState());
                                    assertThat(letter.getDescription()).contains(p.message());
                                    assertThat(letter.getSourceTopic()).isEqualTo(p.topic().name());
                                    assertThat(letter.getProcessor()).isEqualTo("sink-postgres");
                                    assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(p.value()));
                                    assertThat(letter.getReplayedFrom()).isEqualTo(p.replayedFrom());
                                    if (p.reason() == DeadLetterReason.DATABASE_REJECTED) {
                                        assertThat(letter.getExceptionClass()).isEqualTo("org.postgresql.util.PSQLException");
                                    }
                                }));
            }
            // and nothing else: no good record was dead-lettered
            for (Topic<String, ?> topic : List.<Topic<String, ?>>of(topics.uploadSessions(), topics.fileIndex(),
                    topics.edgeMetrics(), topics.chunkEvents(), topics.userStats(), topics.dedupClones(), topics.edgeHealth())) {
                assertThat(letters(topic)).hasSize((int) poison.stream().filter(p -> p.topic().name().equals(topic.name())).count());
            }

            // and sink_offsets reached the end of every partition, the outbox is drained and the sink is ready
            Map<TopicPartition, Long> ends = SinkRunner.endOffsets(List.of(topics.uploadSessions(), topics.fileIndex(),
                    topics.edgeMetrics(), topics.chunkEvents(), topics.userStats(), topics.dedupClones(), topics.edgeHealth()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<TopicPartition, Long> stored = sinks.storedOffsets();
                ends.forEach((partition, end) -> assertThat(stored.getOrDefault(partition, 0L)).as("%s", partition).isEqualTo(end));
                assertThat(sinks.count("SELECT count(*) FROM sink_dead_letters WHERE published_at IS NULL")).isZero();
                SinkRunner.Probe probe = SinkRunner.readiness(sink);
                assertThat(probe.up()).as("%s", probe).isTrue();
                assertThat(probe.sink().path("details").path("deadLetterBacklog").asLong()).isZero();
            });
            assertThat(sinks.count("SELECT count(*) FROM sink_dead_letters")).isEqualTo(poison.size());
            assertThat(SinkRunner.metric(sink, "jetty_sink_records_dead_lettered_total{reason=\"DATABASE_REJECTED\""))
                    .isEqualTo(poison.size() - 1);
            assertThat(SinkRunner.metric(sink, "jetty_sink_records_dead_lettered_total{reason=\"UNDECODABLE\"")).isEqualTo(1);
        }
    }

    private List<DeadLetter> letters(Topic<String, ?> source) {
        return TopicReader.readValues(topics.deadLetters(source));
    }

    private <V> Poison refused(Topic<String, V> topic, String key, V value, String sqlState, String message)
            throws Exception {
        return refused(topic, key, value, sqlState, message, record -> { }, null);
    }

    private <V> Poison refused(Topic<String, V> topic, String key, V value, String sqlState, String message,
            Consumer<ProducerRecord<String, byte[]>> decorate, String replayedFrom) throws Exception {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, bytes);
        decorate.accept(record);
        RecordMetadata sent = sinks.send(record);
        return new Poison(topic, sent, bytes, DeadLetterReason.DATABASE_REJECTED, sqlState, message, replayedFrom);
    }

    private static String randomText(int length) {
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    static UploadSession session(String id, String fileName, Long fileSize, UploadSessionStatus status) {
        return UploadSession.newBuilder().setSessionId(id).setUserId("usr_1").setFileHash(HASH_A).setFileName(fileName)
                .setFileSize(fileSize).setChunkSize(1000).setTotalChunks(4).setStatus(status)
                .setCompletedChunkRanges(List.of()).setCompletedChunks(0).setFailedChunks(0)
                .setBytesUploaded(0).setStartedAt(T0).setUpdatedAt(T0).setEdgesUsed(List.of("edge-sfo"))
                .setAnnounced(true).setLastActivityAt(T0).build();
    }

    static StoredFile file(String hash, String fileName) {
        return StoredFile.newBuilder().setFileHash(hash).setOwnerUserId("usr_1").setSessionId("sess-good-1")
                .setFileName(fileName).setFileSize(4000).setLocation("s3://x/" + hash).setFirstSeen(T0)
                .setLastReferencedAt(T0).setReferenceCount(1).setCloneCount(0).setBytesSaved(0).setSecondsSaved(0.0)
                .build();
    }

    static UserStats stats(String userId) {
        return UserStats.newBuilder().setUserId(userId).setPlan(Plan.STARTER).setQuotaBytes(2_000_000_000L)
                .setStorageUsedBytes(4000).setUploadsStarted(1).setUploadsCompleted(1).setUploadsFailed(0)
                .setUploadsExpired(0).setBytesUploaded(4000).setClones(0).setBytesSaved(0).setSecondsSaved(0.0)
                .setThroughputP50(1000.0).setThroughputP90(1000.0).setThroughputP99(1000.0)
                .setThroughputHistogram(List.of()).setUpdatedAt(T0).build();
    }

    static EdgeMetricSample sample(String eventId, String edgeId, Instant time) {
        return EdgeMetricSample.newBuilder().setEventId(eventId).setEventTime(time).setReceivedAt(T0).setEdgeId(edgeId)
                .setLatencyMs(100).setBandwidthMbps(500).setLoad(0.5).setErrorRate(0.01).build();
    }

    static ChunkEvent chunk(String eventId, String sessionId, String edgeId, long bytes, Instant time) {
        return ChunkEvent.newBuilder().setEventId(eventId).setEventTime(time).setReceivedAt(T0).setSessionId(sessionId)
                .setUserId("usr_1").setChunkIndex(0).setStatus(ChunkStatus.COMPLETED).setEdgeId(edgeId)
                .setChunkBytes(bytes).setDurationMs(10L).build();
    }
}
