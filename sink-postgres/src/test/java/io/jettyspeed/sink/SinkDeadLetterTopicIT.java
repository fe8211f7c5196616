package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dead-letter topic that is missing does not stall the sink: good records go on being written,
 * the letter waits in {@code sink_dead_letters} (a metric and a health detail show the backlog),
 * and it is published once the topic is back.
 */
class SinkDeadLetterTopicIT {

    @RegisterExtension
    final SinkRunner sinks = new SinkRunner();
    private final Topics topics = sinks.topics();
    private Admin admin;

    @BeforeEach
    void setUp() {
        admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
    }

    @AfterEach
    void tearDown() {
        admin.close();
    }

    @Test
    void shouldKeepWritingWhileTheDeadLetterTopicIsMissingAndDeliverTheLetterOnceItIsBack() throws Exception {
        // given a ready sink whose dead-letter topic for upload sessions has been deleted
        Topic<byte[], DeadLetter> dlt = topics.deadLetters(topics.uploadSessions());
        try (var sink = sinks.start("dlt", "--jetty.sink.dead-letters.relay-interval=200ms",
                "--spring.kafka.producer.properties.max.block.ms=1000")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> SinkRunner.readiness(sink).up());
            admin.deleteTopics(List.of(dlt.name())).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(dlt.name()));

            // when a good record, a record PostgreSQL refuses and another good record arrive
            send("sess-1", SinkPoisonIT.session("sess-1", "one.mp4", 1L, UploadSessionStatus.STARTED));
            RecordMetadata poison = send("sess-nul", SinkPoisonIT.session("sess-nul", "n\u0000l.mp4", 1L, UploadSessionStatus.STARTED));
            send("sess-2", SinkPoisonIT.session("sess-2", "two.mp4", 1L, UploadSessionStatus.STARTED));

            // then the good ones are written, the offsets reach the end, the letter waits and shows, and the sink is ready
            Map<TopicPartition, Long> ends = SinkRunner.endOffsets(List.of(topics.uploadSessions()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT session_id FROM upload_sessions ORDER BY 1")).containsExactly("sess-1", "sess-2");
                Map<TopicPartition, Long> stored = sinks.storedOffsets();
                ends.forEach((partition, end) -> assertThat(stored.getOrDefault(partition, 0L)).isEqualTo(end));
                SinkRunner.Probe probe = SinkRunner.readiness(sink);
                assertThat(probe.up()).as("%s", probe).isTrue();
                assertThat(probe.sink().path("details").path("deadLetterBacklog").asLong()).isEqualTo(1);
                assertThat(probe.sink().path("details").path("deadLetterTopicsUnavailable").toString()).contains(dlt.name());
                assertThat(SinkRunner.metric(sink, "jetty_sink_dead_letters_backlog")).isEqualTo(1);
            });
            assertThat(sinks.rows("SELECT source_offset, reason, sql_state, published_at IS NULL FROM sink_dead_letters"))
                    .containsExactly(poison.offset() + "|DATABASE_REJECTED|22021|t");

            // when the topic is back
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    admin.createTopics(List.of(dlt.toNewTopic((short) 1))).all().get());

            // then the letter arrives and the backlog drains
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(TopicReader.readValues(dlt)).singleElement().satisfies(letter -> {
                    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DATABASE_REJECTED);
                    assertThat(letter.getSqlState()).isEqualTo("22021");
                    assertThat(letter.getSourcePartition()).isEqualTo(poison.partition());
                    assertThat(letter.getSourceOffset()).isEqualTo(poison.offset());
                });
                assertThat(SinkRunner.metric(sink, "jetty_sink_dead_letters_backlog")).isZero();
            });
            assertThat(sinks.count("SELECT count(*) FROM sink_dead_letters WHERE published_at IS NULL")).isZero();
        }
    }

    @Test
    void shouldHoldBackRecordsThatWouldGrowTheDeadLetterBacklogBeyondItsBound() throws Exception {
        // given a sink whose outbox may hold one unpublished letter, and whose dead-letter topic is missing
        Topic<byte[], DeadLetter> dlt = topics.deadLetters(topics.uploadSessions());
        try (var sink = sinks.start("backlog", "--jetty.sink.dead-letters.relay-interval=200ms",
                "--jetty.sink.dead-letters.max-backlog=1", "--jetty.sink.stall-after=2s",
                "--jetty.sink.retry-backoff=200ms", "--jetty.sink.retry-backoff-max=1s",
                "--spring.kafka.producer.properties.max.block.ms=1000")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> SinkRunner.readiness(sink).up());
            admin.deleteTopics(List.of(dlt.name())).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(dlt.name()));
            send("sess-nul-1", SinkPoisonIT.session("sess-nul-1", "a\u0000.mp4", 1L, UploadSessionStatus.STARTED));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(SinkRunner.metric(sink, "jetty_sink_dead_letters_backlog")).isEqualTo(1));

            // when another refused record arrives while the first letter still waits
            send("sess-nul-2", SinkPoisonIT.session("sess-nul-2", "b\u0000.mp4", 1L, UploadSessionStatus.STARTED));

            // then the outbox does not grow: the record waits, and the sink says it is stalled
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SinkRunner.Probe probe = SinkRunner.readiness(sink);
                assertThat(probe.status()).as("%s", probe).isEqualTo(503);
                assertThat(probe.reason()).contains("stalled");
            });
            assertThat(sinks.count("SELECT count(*) FROM sink_dead_letters")).isEqualTo(1);

            // when the topic is back, both letters arrive and the sink is ready again
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    admin.createTopics(List.of(dlt.toNewTopic((short) 1))).all().get());
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(TopicReader.readValues(dlt)).hasSize(2);
                assertThat(SinkRunner.readiness(sink).up()).isTrue();
            });
        }
    }

    private RecordMetadata send(String key, io.jettyspeed.schemas.UploadSession session) throws Exception {
        return sinks.send(topics.uploadSessions(), key, session);
    }
}
