package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.testing.TopicReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sink on the real broker and the real PostgreSQL: exact numbers, dead letters for poison
 * records, and the same numbers after a crash mid-stream or a replay from offset 0.
 */
class SinkIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final String HASH = "a".repeat(64);

    @RegisterExtension
    final SinkRunner sinks = new SinkRunner();
    private final Topics topics = sinks.topics();

    @Test
    void shouldWriteExactNumbersAndDeadLetterPoisonRecords() throws Exception {
        // given
        String schema = sinks.schema();
        publishWorkload(0, 60);

        // when
        try (var sink = startSink(schema, "g1", 2000)) {
            // then
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(sinks.count(schema, "SELECT count(*) FROM edge_samples")).isEqualTo(40));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sinks.count(schema, "SELECT count(*) FROM dedup_clones")).isEqualTo(2));

            assertThat(sinks.rows(schema, "SELECT session_id, status, completed_chunks, bytes_uploaded FROM upload_sessions ORDER BY 1"))
                    .containsExactly("sess-1|COMPLETED|4|4000", "sess-2|FAILED|1|1000");
            assertThat(sinks.rows(schema, "SELECT user_id, uploads_completed, bytes_saved, storage_used_bytes, quota_bytes FROM user_upload_stats"))
                    .containsExactly("usr_1|1|4000|8000|2000000000");
            assertThat(sinks.rows(schema, "SELECT file_hash, owner_user_id, reference_count, bytes_saved FROM files"))
                    .containsExactly(HASH + "|usr_1|3|8000");
            assertThat(sinks.rows(schema, "SELECT clones, instant_clones, duplicate_uploads, bytes_saved FROM deduplication_savings"))
                    .containsExactly("2|1|1|8000");
            // 40 distinct samples (10 of the 50 sent repeat an event id), 20 per minute, latency 100 + i
            assertThat(sinks.rows(schema, "SELECT edge_id, probe_samples, chunk_successes, chunk_failures FROM edge_minute_rollups ORDER BY minute"))
                    .containsExactly("edge-sfo|20|3|1", "edge-sfo|20|0|0");
            assertThat(sinks.rows(schema, "SELECT edge_id, state, score FROM edge_health"))
                    .containsExactly("edge-sfo|HEALTHY|0.9");

            // dead letters go through the outbox (sink_dead_letters) and its relay: they arrive shortly after
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<DeadLetter> letters = TopicReader.readValues(topics.deadLetters(topics.dedupClones()));
                List<DeadLetter> healthLetters = TopicReader.readValues(topics.deadLetters(topics.edgeHealth()));
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
                    assertThat(letter.getSourceTopic()).isEqualTo(topics.dedupClones().name());
                    assertThat(letter.getProcessor()).isEqualTo("sink-postgres");
                });
                assertThat(healthLetters).singleElement()
                        .satisfies(letter -> assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVARIANT_VIOLATION));
            });
        }
    }

    @Test
    void shouldGiveTheSameNumbersAfterACrashMidStreamAndAfterAReplayFromOffsetZero() throws Exception {
        // given a reference run in one go
        publishWorkload(0, 60);
        String reference = sinks.schema();
        try (var sink = startSink(reference, "ref", 2000)) {
            awaitAllConsumed(reference);
        }

        // when a sink with tiny batches is killed in the middle and started again
        String crashed = sinks.newSchema();
        var first = startSink(crashed, "crash", 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> sinks.count(crashed, "SELECT count(*) FROM edge_samples") > 0);
        first.close();
        try (var second = startSink(crashed, "crash", 3)) {
            awaitAllConsumed(crashed);
        }

        // and a new sink replays the topics from offset 0 into the same, already-filled schema
        try (var replay = startSink(reference, "replay-" + System.nanoTime(), 50)) {
            // it resumes from sink_offsets: nothing new is written, so wait for its assignment and a few polls
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        }
        try (Connection c = sinks.connect(reference); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + reference + ".sink_offsets");
        }
        try (var replay = startSink(reference, "replay-all", 50)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.count(reference, "SELECT count(*) FROM sink_offsets")).isPositive();
                List<String> a = snapshot(reference);
                List<String> b = snapshot(crashed);
                assertThat(a).as("only in replayed: %s%nonly in crashed: %s",
                        a.stream().filter(x -> !b.contains(x)).toList(),
                        b.stream().filter(x -> !a.contains(x)).toList()).isEqualTo(b);
            });
        }

        // then every table and view holds the same numbers
        assertThat(snapshot(crashed)).isEqualTo(snapshot(reference));
        assertThat(sinks.count(crashed, "SELECT sum(probe_samples) FROM edge_minute_rollups")).isEqualTo(40);
    }

    private void awaitAllConsumed(String schema) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(sinks.count(schema, "SELECT count(*) FROM edge_samples")).isEqualTo(40);
            assertThat(sinks.count(schema, "SELECT count(*) FROM dedup_clones")).isEqualTo(2);
            assertThat(sinks.count(schema, "SELECT count(*) FROM chunk_outcomes")).isEqualTo(4);
            assertThat(sinks.count(schema, "SELECT count(*) FROM edge_health")).isEqualTo(1);
            assertThat(sinks.count(schema, "SELECT count(*) FROM user_stats")).isEqualTo(1);
            assertThat(sinks.count(schema, "SELECT count(*) FROM files")).isEqualTo(1);
            assertThat(sinks.rows(schema, "SELECT status FROM upload_sessions WHERE session_id = 'sess-1'"))
                    .containsExactly("COMPLETED");
        });
    }

    private List<String> snapshot(String schema) throws SQLException {
        List<String> all = new ArrayList<>();
        for (String query : List.of(
                "SELECT * FROM upload_sessions ORDER BY session_id",
                "SELECT * FROM user_stats ORDER BY user_id",
                "SELECT * FROM files ORDER BY file_hash",
                "SELECT * FROM dedup_clones ORDER BY event_id",
                "SELECT * FROM edge_health ORDER BY edge_id",
                "SELECT * FROM edge_samples ORDER BY event_id",
                "SELECT * FROM chunk_outcomes ORDER BY event_id",
                "SELECT * FROM edge_minute_rollups ORDER BY edge_id, minute",
                "SELECT * FROM user_upload_stats ORDER BY user_id",
                "SELECT * FROM deduplication_savings ORDER BY day",
                "SELECT * FROM user_daily_rollups ORDER BY user_id, day")) {
            all.add(query);
            all.addAll(sinks.rows(schema, query));
        }
        return all;
    }

    /** Sessions, stats, files, clones (one twice, one poison), health (one poison) and 50 samples (10 repeated ids). */
    private void publishWorkload(int from, int to) throws Exception {
        sinks.send(topics.uploadSessions(), "sess-1", session("sess-1", UploadSessionStatus.UPLOADING, 2, 2000));
        sinks.send(topics.uploadSessions(), "sess-1", session("sess-1", UploadSessionStatus.COMPLETED, 4, 4000));
        sinks.send(topics.uploadSessions(), "sess-2", session("sess-2", UploadSessionStatus.FAILED, 1, 1000));
        sinks.send(topics.userStats(), "usr_1", UserStats.newBuilder().setUserId("usr_1").setPlan(Plan.STARTER)
                .setQuotaBytes(2_000_000_000L).setStorageUsedBytes(8000).setUploadsStarted(2).setUploadsCompleted(1)
                .setUploadsFailed(1).setUploadsExpired(0).setBytesUploaded(4000).setClones(1).setBytesSaved(4000)
                .setSecondsSaved(0.5).setThroughputP50(1000.0).setThroughputP90(1000.0).setThroughputP99(1000.0)
                .setThroughputHistogram(List.of()).setUpdatedAt(T0).build());
        sinks.send(topics.fileIndex(), HASH, StoredFile.newBuilder().setFileHash(HASH).setOwnerUserId("usr_1")
                .setSessionId("sess-1").setFileName("video.mp4").setFileSize(4000).setLocation("s3://x/" + HASH)
                .setFirstSeen(T0).setLastReferencedAt(T0.plusSeconds(60)).setReferenceCount(3).setCloneCount(2)
                .setBytesSaved(8000).setSecondsSaved(1.0).build());
        sinks.send(topics.dedupClones(), HASH, clone("clone-1", CloneKind.INSTANT_CLONE));
        sinks.send(topics.dedupClones(), HASH, clone("clone-1", CloneKind.INSTANT_CLONE));
        sinks.send(new ProducerRecord<>(topics.dedupClones().name(), HASH, "not avro".getBytes()));
        sinks.send(topics.dedupClones(), HASH, clone("clone-2", CloneKind.DUPLICATE_UPLOAD));
        sinks.send(topics.edgeHealth(), "edge-zzz", health("edge-zzz"));
        sinks.send(topics.edgeHealth(), "edge-sfo", health("edge-sfo"));
        for (int i = 0; i < 50; i++) {
            int id = i < 40 ? i : i - 40;
            sinks.send(topics.edgeMetrics(), "edge-sfo", EdgeMetricSample.newBuilder().setEventId("sample-" + id)
                    .setEventTime(T0.plusSeconds(id * 3L)).setReceivedAt(T0).setEdgeId("edge-sfo")
                    .setLatencyMs(100 + id).setBandwidthMbps(500).setLoad(0.5).setErrorRate(0.01).build());
        }
        for (int i = 0; i < 4; i++) {
            sinks.send(topics.chunkEvents(), "sess-1", ChunkEvent.newBuilder().setEventId("chunk-" + i).setEventTime(T0)
                    .setReceivedAt(T0).setSessionId("sess-1").setUserId("usr_1").setChunkIndex(i)
                    .setStatus(i == 3 ? ChunkStatus.FAILED : ChunkStatus.COMPLETED).setEdgeId("edge-sfo")
                    .setChunkBytes(1000L).setDurationMs(10L).build());
        }
    }

    private static UploadSession session(String id, UploadSessionStatus status, int chunks, long bytes) {
        return UploadSession.newBuilder().setSessionId(id).setUserId("usr_1").setFileHash(HASH).setFileName("f")
                .setFileSize(4000L).setChunkSize(1000).setTotalChunks(4).setStatus(status)
                .setCompletedChunkRanges(chunks == 0 ? List.of() : List.of(new ChunkRange(0, chunks - 1))).setCompletedChunks(chunks).setFailedChunks(0)
                .setBytesUploaded(bytes).setStartedAt(T0).setUpdatedAt(T0.plusSeconds(chunks)).setEdgesUsed(List.of("edge-sfo"))
                .setAnnounced(true).setLastActivityAt(T0.plusSeconds(chunks)).build();
    }

    private static DedupClone clone(String eventId, CloneKind kind) {
        return DedupClone.newBuilder().setEventId(eventId).setFileHash(HASH).setUserId("usr_2").setOwnerUserId("usr_1")
                .setKind(kind).setFileSize(4000).setBytesSaved(4000).setEstimatedSecondsSaved(0.5)
                .setClonedAt(T0.plusSeconds(60)).build();
    }

    private static EdgeHealth health(String edgeId) {
        return EdgeHealth.newBuilder().setEdgeId(edgeId).setRegion("us-west").setState(EdgeState.HEALTHY).setScore(0.9)
                .setLatencyMs(120.0).setBandwidthMbps(500.0).setLoad(0.5).setErrorRate(0.01).setConsecutiveFailures(0)
                .setTimesEjected(0).setLastSampleTime(T0).setLastSeenAt(T0).setUpdatedAt(T0).setProbeSamples(40)
                .setChunkSuccesses(3).setChunkFailures(1).setReasons(List.of("healthy")).build();
    }

    private ConfigurableApplicationContext startSink(String schema, String group, int maxPollRecords) {
        return sinks.startOn(schema, group, null, "--jetty.sink.max-poll-records=" + maxPollRecords);
    }
}
