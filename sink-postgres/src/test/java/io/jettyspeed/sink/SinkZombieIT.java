package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real zombie: two sink instances in one consumer group on the real broker and PostgreSQL, with a
 * small {@code max.poll.interval.ms}. The first is held mid-batch (after its poll, before its
 * transaction) until the group has given its partitions to the second and the second has committed
 * newer data; then it is let go with its old batch in hand. It must write nothing of it: neither
 * the row nor {@code sink_offsets} may move backwards.
 */
class SinkZombieIT {

    /** One consumer per instance, so the held one is all of A and B takes every partition over. */
    private static final String[] SMALL_POLL_INTERVAL = {
            "--spring.kafka.consumer.properties.max.poll.interval.ms=3000",
            "--spring.kafka.consumer.heartbeat-interval=300ms",
            "--jetty.sink.concurrency=1"};

    @RegisterExtension
    final SinkRunner sinks = new SinkRunner();
    private final Topics topics = sinks.topics();

    @Test
    void shouldNotLetAnInstanceThatLostItsPartitionsWriteAnOlderBatchOverANewerOne() throws Exception {
        // given instance A, which will hold the first batch of upload sessions it gets
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        String sessions = topics.uploadSessions().name();
        BatchHook holdFirstSessionBatch = partitions -> {
            if (partitions.stream().anyMatch(p -> p.topic().equals(sessions)) && armed.compareAndSet(true, false)) {
                held.countDown();
                try {
                    letGo.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (var a = sinks.start("zombie", holdFirstSessionBatch, SMALL_POLL_INTERVAL)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> SinkRunner.readiness(a).up());

            // when A reads version 1 of a session and is held before writing it
            RecordMetadata v1 = sinks.send(topics.uploadSessions(), "sess-z", session("sess-z", UploadSessionStatus.UPLOADING, 2));
            assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
            TopicPartition partition = new TopicPartition(v1.topic(), v1.partition());

            // and instance B joins, gets every partition once A is past max.poll.interval.ms, and writes versions 1 and 2
            try (var b = sinks.start("zombie", SMALL_POLL_INTERVAL)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(SinkRunner.readiness(b).sink().path("details").path("partitionsHeld").asInt())
                                .isEqualTo(7 * Topics.DEFAULT_PARTITIONS));
                RecordMetadata v2 = sinks.send(topics.uploadSessions(), "sess-z", session("sess-z", UploadSessionStatus.COMPLETED, 4));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(sinks.rows("SELECT status, completed_chunks FROM upload_sessions WHERE session_id = 'sess-z'"))
                            .containsExactly("COMPLETED|4");
                    assertThat(sinks.storedOffsets().get(partition)).isEqualTo(v2.offset() + 1);
                });
                Map<TopicPartition, Long> before = sinks.storedOffsets();
                long epochBefore = sinks.count(epochOf(partition));

                // then A, let go with version 1 in hand, is fenced and writes nothing of it
                letGo.countDown();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(SinkRunner.metric(a, "jetty_sink_batches_fenced_total")).isGreaterThanOrEqualTo(1));
                assertThat(sinks.rows("SELECT status, completed_chunks FROM upload_sessions WHERE session_id = 'sess-z'"))
                        .containsExactly("COMPLETED|4");
                Map<TopicPartition, Long> after = sinks.storedOffsets();
                before.forEach((p, offset) -> assertThat(after.get(p)).as("%s", p).isGreaterThanOrEqualTo(offset));
                assertThat(sinks.count(epochOf(partition))).isGreaterThanOrEqualTo(epochBefore);

                // and the group goes on: A rejoins, the two share the partitions, and new records are written once
                RecordMetadata v3 = sinks.send(topics.uploadSessions(), "sess-after", session("sess-after", UploadSessionStatus.STARTED, 0));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(sinks.rows("SELECT session_id, status FROM upload_sessions ORDER BY 1"))
                            .containsExactly("sess-after|STARTED", "sess-z|COMPLETED");
                    assertThat(sinks.storedOffsets().get(new TopicPartition(v3.topic(), v3.partition())))
                            .isEqualTo(v3.offset() + 1);
                    int heldByA = SinkRunner.readiness(a).sink().path("details").path("partitionsHeld").asInt();
                    int heldByB = SinkRunner.readiness(b).sink().path("details").path("partitionsHeld").asInt();
                    assertThat(heldByA + heldByB).isEqualTo(7 * Topics.DEFAULT_PARTITIONS);
                    assertThat(heldByA).isPositive();
                });
            } finally {
                letGo.countDown();
            }
        }
    }

    private static String epochOf(TopicPartition partition) {
        return "SELECT epoch FROM sink_offsets WHERE topic = '" + partition.topic() + "' AND partition = " + partition.partition();
    }

    private static UploadSession session(String id, UploadSessionStatus status, int chunks) {
        return UploadSession.newBuilder(SinkPoisonIT.session(id, "z.mp4", 4000L, status))
                .setCompletedChunks(chunks).setBytesUploaded(1000L * chunks).build();
    }

}
