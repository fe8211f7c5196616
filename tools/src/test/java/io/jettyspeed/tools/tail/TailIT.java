package io.jettyspeed.tools.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.tools.Cli;
import io.jettyspeed.tools.Feed;
import io.jettyspeed.tools.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ./jettyspeed tail} against the real broker. */
class TailIT {

    private final String kafka = SharedKafka.bootstrapServers();
    private final Topics topics = SharedKafka.freshTopics();

    @Test
    void shouldPrintEveryCommittedRecordAsOneJsonLineAndStopAtTheEnd() {
        // given three chunk events, a record that is not Avro, and an aborted transaction
        String topic = topics.chunkEvents().name();
        try (Feed feed = new Feed(kafka)) {
            for (int i = 0; i < 3; i++) {
                feed.send(topic, bytes("ses-1"), Samples.encoded(Samples.chunk("ev-" + i, "ses-1", i)));
            }
            feed.send(topic, bytes("ses-1"), bytes("{\"chunkIndex\": 3}"));
        }
        abortedTransaction(topic, Samples.encoded(Samples.chunk("ev-aborted", "ses-1", 9)));

        // when
        Cli.Run run = Cli.run(kafka, "tail", topic);

        // then every committed record once, in order, decoded; the aborted one not at all
        assertThat(run.status()).as(run.err()).isZero();
        List<JsonNode> lines = run.json();
        assertThat(lines).hasSize(4);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("topic").asString()).isEqualTo(topic);
            assertThat(line.get("key").asString()).isEqualTo("ses-1");
            assertThat(line.get("timestamp").asString()).endsWith("Z");
        });
        assertThat(lines.subList(0, 3)).extracting(line -> line.get("value").get("eventId").asString())
                .containsExactly("ev-0", "ev-1", "ev-2");
        assertThat(lines.get(0).get("type").asString()).isEqualTo("ChunkEvent");
        assertThat(lines.get(0).get("value").get("sessionId").asString()).isEqualTo("ses-1");
        assertThat(lines).extracting(line -> line.get("offset").asLong()).isSorted();
        JsonNode undecodable = lines.get(3);
        assertThat(undecodable.get("value").isNull()).isTrue();
        assertThat(undecodable.get("error").asString()).contains("not an Avro single-object ChunkEvent");
        assertThat(new String(java.util.Base64.getDecoder().decode(undecodable.get("valueBase64").asString()),
                StandardCharsets.UTF_8)).isEqualTo("{\"chunkIndex\": 3}");
    }

    @Test
    void shouldPrintOnlyOneKeyUpToTheLimit() {
        // given events of two sessions
        String topic = topics.chunkEvents().name();
        try (Feed feed = new Feed(kafka)) {
            for (int i = 0; i < 6; i++) {
                String session = i % 2 == 0 ? "ses-a" : "ses-b";
                feed.send(topic, bytes(session), Samples.encoded(Samples.chunk("ev-" + i, session, i)));
            }
        }

        // when
        Cli.Run run = Cli.run(kafka, "tail", topic, "--key", "ses-b", "--limit", "2");

        // then
        assertThat(run.json()).extracting(line -> line.get("value").get("eventId").asString()).containsExactly("ev-1", "ev-3");
    }

    @Test
    void shouldStartAtTheFirstRecordAtOrAfterAGivenTime() {
        // given an old record and a new one
        String topic = topics.edgeMetrics().name();
        Instant cut = Instant.parse("2025-06-01T12:00:00Z");
        try (Feed feed = new Feed(kafka)) {
            feed.send(new ProducerRecord<>(topic, 0, cut.minusSeconds(60).toEpochMilli(), bytes("edge-sfo"), bytes("old")));
            feed.send(new ProducerRecord<>(topic, 0, cut.plusSeconds(60).toEpochMilli(), bytes("edge-sfo"), bytes("new")));
        }

        // when
        Cli.Run run = Cli.run(kafka, "tail", topic, "--from", cut.toString());

        // then
        assertThat(run.json()).extracting(line -> line.get("timestamp").asString()).containsExactly("2025-06-01T12:01:00Z");
    }

    @Test
    void shouldFollowNewRecordsFromTheEnd() {
        // given a record written before tail starts
        String topic = topics.uploadEvents().name();
        try (Feed feed = new Feed(kafka)) {
            feed.send(topic, bytes("ses-old"), bytes("before"));
        }

        // when tail follows from the end and two records arrive
        CompletableFuture<Cli.Run> following = CompletableFuture.supplyAsync(
                () -> Cli.run(kafka, "tail", topic, "--from", "end", "--follow", "--limit", "2"));
        try (Feed feed = new Feed(kafka)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        feed.send(topic, bytes("ses-new"), bytes("after"));
                        return following.isDone();
                    });
        }

        // then it printed new records only, and stopped at the limit
        Cli.Run run = following.join();
        assertThat(run.status()).isZero();
        assertThat(run.json()).hasSize(2).allSatisfy(line -> assertThat(line.get("key").asString()).isEqualTo("ses-new"));
    }

    @Test
    void shouldPrintADeadLetterWithItsOriginalDecoded() {
        // given a dead letter as the processors write it, for a chunk past the end of its file
        String source = topics.chunkEvents().name();
        byte[] original = Samples.encoded(Samples.chunk("ev-late", "ses-9", 700));
        try (Feed feed = new Feed(kafka)) {
            feed.send(topics.deadLetters(topics.chunkEvents()).name(), bytes("ses-9"), Samples.encoded(Samples.letter(
                    DeadLetterReason.INVARIANT_VIOLATION, source, 3, 17, "ses-9", original, Samples.AT)));
        }

        // when
        Cli.Run run = Cli.run(kafka, "tail", source + "-dlt");

        // then
        JsonNode value = run.json().get(0).get("value");
        assertThat(run.json().get(0).get("type").asString()).isEqualTo("DeadLetter");
        assertThat(value.get("reason").asString()).isEqualTo("INVARIANT_VIOLATION");
        assertThat(value.get("source").get("topic").asString()).isEqualTo(source);
        assertThat(value.get("source").get("offset").asLong()).isEqualTo(17);
        assertThat(value.get("original").get("value").get("eventId").asString()).isEqualTo("ev-late");
    }

    @Test
    void shouldSayInOneLineThatATopicDoesNotExist() {
        Cli.Run run = Cli.run(kafka, "tail", topics.prefix() + "jetty.no-such-topic.v1");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("jettyspeed tail: topic '" + topics.prefix()
                + "jetty.no-such-topic.v1' does not exist on " + kafka);
    }

    private void abortedTransaction(String topic, byte[] value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, SharedKafka.uniqueId("aborting")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("ses-1"), value));
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
