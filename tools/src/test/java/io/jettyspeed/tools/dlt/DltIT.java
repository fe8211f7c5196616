package io.jettyspeed.tools.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetterHeaders;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicReader;
import io.jettyspeed.tools.Cli;
import io.jettyspeed.tools.Feed;
import io.jettyspeed.tools.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ./jettyspeed dlt list|show|replay} against the real broker. */
class DltIT {

    private final String kafka = SharedKafka.bootstrapServers();
    private final Topics topics = SharedKafka.freshTopics();
    private final String chunks = topics.chunkEvents().name();
    private final String chunksDlt = topics.deadLetters(topics.chunkEvents()).name();

    @Test
    void shouldCountDeadLettersPerTopicAndReason() {
        // given letters of two reasons in one dead-letter topic, one in another, and a record that is no letter
        try (Feed feed = new Feed(kafka)) {
            feed.send(chunksDlt, bytes("s1"), letter(DeadLetterReason.UNDECODABLE, chunks, 0, "s1", bytes("junk"), Samples.AT));
            feed.send(chunksDlt, bytes("s2"), letter(DeadLetterReason.UNDECODABLE, chunks, 1, "s2", bytes("junk"), Samples.AT));
            feed.send(chunksDlt, bytes("s3"), letter(DeadLetterReason.INVARIANT_VIOLATION, chunks, 2, "s3",
                    Samples.encoded(Samples.chunk("e3", "s3", 900)), Samples.AT.plusSeconds(60)));
            feed.send(chunksDlt, bytes("s4"), bytes("not a dead letter"));
            feed.send(topics.deadLetters(topics.userStats()).name(), bytes("u1"), letter(DeadLetterReason.DATABASE_REJECTED,
                    topics.userStats().name(), 0, "u1", bytes("x"), Samples.AT));
        }

        // when
        Cli.Run run = Cli.run(kafka, "dlt", "list");

        // then one line per dead-letter topic of the catalogue, empty ones included
        assertThat(run.status()).as(run.err()).isZero();
        Map<String, JsonNode> ours = new java.util.TreeMap<>();
        run.json().stream().filter(line -> line.get("topic").asString().startsWith(topics.prefix()))
                .forEach(line -> ours.put(line.get("topic").asString(), line));
        assertThat(ours).hasSize(9);
        JsonNode chunkLetters = ours.get(chunksDlt);
        assertThat(chunkLetters.get("sourceTopic").asString()).isEqualTo(chunks);
        assertThat(chunkLetters.get("total").asInt()).isEqualTo(4);
        assertThat(chunkLetters.get("reasons").get("UNDECODABLE").asInt()).isEqualTo(2);
        assertThat(chunkLetters.get("reasons").get("INVARIANT_VIOLATION").asInt()).isEqualTo(1);
        assertThat(chunkLetters.get("reasons").get("UNREADABLE").asInt()).isEqualTo(1);
        assertThat(chunkLetters.get("lastFailedAt").asString()).isEqualTo("2025-06-01T12:01:00Z");
        assertThat(ours.get(topics.deadLetters(topics.userStats()).name()).get("reasons").get("DATABASE_REJECTED").asInt())
                .isEqualTo(1);
        assertThat(ours.get(topics.deadLetters(topics.edgeMetrics()).name()).get("total").asInt()).isZero();
    }

    @Test
    void shouldShowTheLettersOfOneReasonBySourceTopicName() {
        // given
        try (Feed feed = new Feed(kafka)) {
            feed.send(chunksDlt, bytes("s1"), letter(DeadLetterReason.UNDECODABLE, chunks, 0, "s1", bytes("junk"), Samples.AT));
            for (int i = 0; i < 3; i++) {
                feed.send(chunksDlt, bytes("s" + i), letter(DeadLetterReason.INVARIANT_VIOLATION, chunks, 10 + i, "s" + i,
                        Samples.encoded(Samples.chunk("e" + i, "s" + i, 900 + i)), Samples.AT));
            }
        }

        // when the source topic is named, not the dead-letter topic
        Cli.Run run = Cli.run(kafka, "dlt", "show", chunks, "--reason", "invariant_violation", "--limit", "2");

        // then
        assertThat(run.json()).hasSize(2).allSatisfy(line -> {
            assertThat(line.get("topic").asString()).isEqualTo(chunksDlt);
            assertThat(line.get("value").get("reason").asString()).isEqualTo("INVARIANT_VIOLATION");
            assertThat(line.get("value").get("original").get("type").asString()).isEqualTo("ChunkEvent");
        });
        // The three letters sit on the partitions of their keys; which two a limit of 2 reads first is not fixed.
        assertThat(run.json()).extracting(line -> line.get("value").get("source").get("offset").asLong())
                .doesNotHaveDuplicates().isSubsetOf(10L, 11L, 12L);
    }

    @Test
    void shouldReplayOriginalsOnceWithTheReplayedFromHeaderAndSkipThemTheSecondTime() {
        // given two dead-lettered chunk events of two reasons
        byte[] first = Samples.encoded(Samples.chunk("e1", "s1", 900));
        byte[] second = Samples.encoded(Samples.chunk("e2", "s2", 901));
        RecordMetadata firstLetter;
        try (Feed feed = new Feed(kafka)) {
            firstLetter = feed.send(chunksDlt, bytes("s1"), letter(DeadLetterReason.INVARIANT_VIOLATION, chunks, 0, "s1",
                    first, Instant.now().minusSeconds(3600)));
            feed.send(chunksDlt, bytes("s2"), letter(DeadLetterReason.UNDECODABLE, chunks, 1, "s2", second, Instant.now()));
        }
        String firstCoordinates = chunksDlt + "/" + firstLetter.partition() + "/" + firstLetter.offset();

        // when a dry run, then the replay of one reason, then the same replay again
        Cli.Run dryRun = Cli.run(kafka, "dlt", "replay", chunksDlt, "--dry-run");
        List<ConsumerRecord<byte[], byte[]>> afterDryRun = readAll(chunks);
        Cli.Run replay = Cli.run(kafka, "dlt", "replay", chunksDlt, "--reason", "INVARIANT_VIOLATION");
        Cli.Run again = Cli.run(kafka, "dlt", "replay", chunksDlt, "--reason", "INVARIANT_VIOLATION");

        // then the dry run sent nothing
        assertThat(dryRun.status()).isZero();
        assertThat(dryRun.json()).extracting(line -> line.get("action").asString()).containsOnly("would-replay").hasSize(2);
        assertThat(afterDryRun).isEmpty();
        // the replay re-sent the original bytes and key, once, with the header
        assertThat(replay.status()).as(replay.err()).isZero();
        JsonNode replayed = replay.json().get(0);
        assertThat(replay.json()).hasSize(1);
        assertThat(replayed.get("action").asString()).isEqualTo("replayed");
        assertThat(replayed.get("deadLetter").asString()).isEqualTo(firstCoordinates);
        assertThat(replayed.get("sent").asString()).isEqualTo("original");
        assertThat(replayed.get("key").asString()).isEqualTo("s1");
        assertThat(replayed.get("to").get("topic").asString()).isEqualTo(chunks);
        List<ConsumerRecord<byte[], byte[]>> source = readAll(chunks);
        assertThat(source).hasSize(1);
        assertThat(source.get(0).key()).isEqualTo(bytes("s1"));
        assertThat(source.get(0).value()).isEqualTo(first);
        assertThat(source.get(0).offset()).isEqualTo(replayed.get("to").get("offset").asLong());
        assertThat(new String(source.get(0).headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM).value(),
                StandardCharsets.UTF_8)).isEqualTo(firstCoordinates);
        // and the second run skipped it, sending nothing
        assertThat(again.json()).singleElement().satisfies(line -> {
            assertThat(line.get("action").asString()).isEqualTo("skipped");
            assertThat(line.get("why").asString()).startsWith("already replayed to " + chunks + "/");
        });
        assertThat(readAll(chunks)).hasSize(1);
        assertThat(again.err()).contains("replayed 0 of 1 dead letters");
    }

    @Test
    void shouldReplayOnlyLettersThatFailedSinceAGivenTimeAndAgainWhenAsked() {
        // given an old letter and a recent one
        try (Feed feed = new Feed(kafka)) {
            feed.send(chunksDlt, bytes("old"), letter(DeadLetterReason.PROCESSING_ERROR, chunks, 0, "old",
                    Samples.encoded(Samples.chunk("e-old", "old", 1)), Instant.now().minusSeconds(7200)));
            feed.send(chunksDlt, bytes("new"), letter(DeadLetterReason.PROCESSING_ERROR, chunks, 1, "new",
                    Samples.encoded(Samples.chunk("e-new", "new", 1)), Instant.now()));
        }

        // when
        Cli.Run recent = Cli.run(kafka, "dlt", "replay", chunksDlt, "--since", "1h");
        Cli.Run forced = Cli.run(kafka, "dlt", "replay", chunksDlt, "--since", "1h", "--again");

        // then
        assertThat(recent.json()).singleElement().satisfies(line -> assertThat(line.get("key").asString()).isEqualTo("new"));
        assertThat(forced.json()).singleElement().satisfies(line -> assertThat(line.get("action").asString()).isEqualTo("replayed"));
        assertThat(readAll(chunks)).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .containsExactly("new", "new");
    }

    @Test
    void shouldReplayTheLatestStateOfAnAggregateAndSkipWhatCannotBeReplayed() {
        // given user stats: version 1 dead-lettered by the sink, version 3 the latest; a deleted user; a foreign letter
        String stats = topics.userStats().name();
        String statsDlt = topics.deadLetters(topics.userStats()).name();
        AvroSerde<UserStats> serde = AvroSerde.of(UserStats.class);
        byte[] latest = serde.encode(Samples.stats("usr_1", 3));
        try (Feed feed = new Feed(kafka)) {
            RecordMetadata v1 = feed.send(stats, bytes("usr_1"), serde.encode(Samples.stats("usr_1", 1)));
            feed.send(stats, bytes("usr_1"), serde.encode(Samples.stats("usr_1", 2)));
            feed.send(stats, bytes("usr_1"), latest);
            feed.send(stats, bytes("usr_2"), serde.encode(Samples.stats("usr_2", 1)));
            feed.send(stats, bytes("usr_2"), null);
            feed.send(statsDlt, bytes("usr_1"), letter(DeadLetterReason.DATABASE_REJECTED, stats, v1.partition(), "usr_1",
                    serde.encode(Samples.stats("usr_1", 1)), Samples.AT));
            feed.send(statsDlt, bytes("usr_2"), letter(DeadLetterReason.DATABASE_REJECTED, stats, 0, "usr_2",
                    serde.encode(Samples.stats("usr_2", 1)), Samples.AT));
            feed.send(statsDlt, bytes("usr_3"), letter(DeadLetterReason.PROCESSING_ERROR, "some-app-repartition", 0,
                    "usr_3", serde.encode(Samples.stats("usr_3", 1)), Samples.AT));
            feed.send(statsDlt, bytes("usr_4"), letter(DeadLetterReason.UNDECODABLE, stats, 0, "usr_4", null, Samples.AT));
        }
        int before = readAll(stats).size();

        // when
        Cli.Run run = Cli.run(kafka, "dlt", "replay", statsDlt);

        // then the newest version went out, not the dead-lettered one
        assertThat(run.status()).as(run.err()).isZero();
        Map<String, JsonNode> byKey = new java.util.HashMap<>();
        run.json().forEach(line -> byKey.put(line.get("key").asString(), line));
        assertThat(byKey.get("usr_1").get("action").asString()).isEqualTo("replayed");
        assertThat(byKey.get("usr_1").get("sent").asString()).startsWith("latest state (" + stats + "/");
        assertThat(byKey.get("usr_2").get("why").asString()).startsWith("its key was deleted since");
        assertThat(byKey.get("usr_3").get("why").asString()).isEqualTo("its source topic some-app-repartition is not " + stats);
        assertThat(byKey.get("usr_4").get("why").asString()).isEqualTo("it has no value to replay");
        List<ConsumerRecord<byte[], byte[]>> after = readAll(stats);
        assertThat(after).hasSize(before + 1);
        assertThat(after.get(after.size() - 1).value()).isEqualTo(latest);
    }

    @Test
    void shouldSayInOneLineThatThereIsNoSuchDeadLetterTopic() {
        Cli.Run run = Cli.run(kafka, "dlt", "replay", topics.prefix() + "jetty.nothing.v1");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("jettyspeed dlt: topic '" + topics.prefix()
                + "jetty.nothing.v1-dlt' does not exist on " + kafka);
    }

    private byte[] letter(DeadLetterReason reason, String source, long offset, String key, byte[] value, Instant failedAt) {
        return Samples.encoded(Samples.letter(reason, source, 0, offset, key, value, failedAt));
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(TopicReader.readRaw(kafka, topic));
        records.sort(java.util.Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.timestamp())
                .thenComparing(ConsumerRecord::offset));
        return records;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
