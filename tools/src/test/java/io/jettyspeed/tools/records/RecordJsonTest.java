package io.jettyspeed.tools.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.tools.Samples;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RecordJsonTest {

    private final RecordJson json = new RecordJson(new RecordDecoder());

    @Test
    void shouldPrintCoordinatesKeyAndTheDecodedValueOfAPrefixedCatalogueTopic() {
        byte[] value = Samples.encoded(Samples.chunk("ev-1", "ses-1", 3));

        JsonNode line = print(record("acme.jetty.chunk-events.v1", "ses-1".getBytes(StandardCharsets.UTF_8), value));

        assertThat(line.get("topic").asString()).isEqualTo("acme.jetty.chunk-events.v1");
        assertThat(line.get("partition").asInt()).isEqualTo(2);
        assertThat(line.get("offset").asLong()).isEqualTo(41);
        assertThat(line.get("timestamp").asString()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(line.get("key").asString()).isEqualTo("ses-1");
        assertThat(line.get("type").asString()).isEqualTo("ChunkEvent");
        assertThat(line.get("value").get("eventId").asString()).isEqualTo("ev-1");
        assertThat(line.get("value").get("chunkIndex").asInt()).isEqualTo(3);
        assertThat(line.get("value").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(line.get("value").get("eventTime").asString()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(line.get("value").get("edgeId").asString()).isEqualTo("edge-fra");
    }

    @Test
    void shouldDecodeAStreamsInternalTopicByTheSchemaFingerprint() {
        byte[] value = AvroSerde.of(UserStats.class).encode(Samples.stats("usr_1", 4));

        JsonNode line = print(record("jetty-stream-processors-users-user-stats-store-changelog",
                "usr_1".getBytes(StandardCharsets.UTF_8), value));

        assertThat(line.get("type").asString()).isEqualTo("UserStats");
        assertThat(line.get("value").get("uploadsCompleted").asLong()).isEqualTo(4);
        assertThat(line.get("value").get("plan").asString()).isEqualTo("PRO");
    }

    @Test
    void shouldShowAnUndecodableValueAsBase64WithTheReasonAndABinaryKeyAsBase64() {
        byte[] garbage = {0x00, 0x01, 0x02};
        byte[] key = {(byte) 0xff, 0x00};

        JsonNode line = print(record("jetty.chunk-events.v1", key, garbage));

        assertThat(line.get("key").isNull()).isTrue();
        assertThat(line.get("keyBase64").asString()).isEqualTo(Base64.getEncoder().encodeToString(key));
        assertThat(line.get("type").asString()).isEqualTo("ChunkEvent");
        assertThat(line.get("value").isNull()).isTrue();
        assertThat(line.get("error").asString()).contains("not an Avro single-object ChunkEvent");
        assertThat(line.get("valueBase64").asString()).isEqualTo("AAEC");
    }

    @Test
    void shouldMarkTombstonesAndPrintHeaders() {
        ConsumerRecord<byte[], byte[]> tombstone = record("jetty.user-stats.v1", "usr_1".getBytes(StandardCharsets.UTF_8), null);
        tombstone.headers().add("jetty.replayed-from", "jetty.user-stats.v1-dlt/0/7".getBytes(StandardCharsets.UTF_8));

        JsonNode line = print(tombstone);

        assertThat(line.get("tombstone").asBoolean()).isTrue();
        assertThat(line.get("value").isNull()).isTrue();
        assertThat(line.get("headers").get("jetty.replayed-from").asString()).isEqualTo("jetty.user-stats.v1-dlt/0/7");
    }

    @Test
    void shouldPrintADeadLetterWithItsCoordinatesRawBytesAndTheDecodedOriginal() {
        byte[] original = Samples.encoded(Samples.chunk("ev-9", "ses-9", 700));
        var letter = Samples.letter(DeadLetterReason.INVARIANT_VIOLATION, "jetty.chunk-events.v1", 4, 1234, "ses-9",
                original, Samples.AT);
        letter.setSqlState("22021");
        letter.setReplayedFrom("jetty.chunk-events.v1-dlt/4/2");

        JsonNode line = print(record("jetty.chunk-events.v1-dlt", "ses-9".getBytes(StandardCharsets.UTF_8),
                Samples.encoded(letter)));

        JsonNode value = line.get("value");
        assertThat(line.get("type").asString()).isEqualTo("DeadLetter");
        assertThat(value.get("reason").asString()).isEqualTo("INVARIANT_VIOLATION");
        assertThat(value.get("description").asString()).isEqualTo("rejected: INVARIANT_VIOLATION");
        assertThat(value.get("exceptionClass").isNull()).isTrue();
        assertThat(value.get("source").get("topic").asString()).isEqualTo("jetty.chunk-events.v1");
        assertThat(value.get("source").get("partition").asInt()).isEqualTo(4);
        assertThat(value.get("source").get("offset").asLong()).isEqualTo(1234);
        assertThat(value.get("failedAt").asString()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(value.get("sqlState").asString()).isEqualTo("22021");
        assertThat(value.get("replayedFrom").asString()).isEqualTo("jetty.chunk-events.v1-dlt/4/2");
        assertThat(value.get("rawKey").asString()).isEqualTo(Base64.getEncoder().encodeToString("ses-9".getBytes(StandardCharsets.UTF_8)));
        assertThat(Base64.getDecoder().decode(value.get("rawValue").asString())).isEqualTo(original);
        assertThat(value.get("original").get("type").asString()).isEqualTo("ChunkEvent");
        assertThat(value.get("original").get("value").get("chunkIndex").asInt()).isEqualTo(700);
    }

    @Test
    void shouldSayWhyTheOriginalOfADeadLetterCannotBeDecoded() {
        var letter = Samples.letter(DeadLetterReason.UNDECODABLE, "jetty.edge-metrics.v1", 0, 5, "edge-x",
                "{not avro}".getBytes(StandardCharsets.UTF_8), Samples.AT);

        JsonNode value = print(record("jetty.edge-metrics.v1-dlt", "edge-x".getBytes(StandardCharsets.UTF_8),
                Samples.encoded(letter))).get("value");

        assertThat(value.get("exceptionClass").asString()).endsWith("SerializationException");
        assertThat(value.get("rawValue").asString()).isEqualTo(Base64.getEncoder().encodeToString("{not avro}".getBytes(StandardCharsets.UTF_8)));
        assertThat(value.get("original").get("type").asString()).isEqualTo("EdgeMetricSample");
        assertThat(value.get("original").get("error").asString()).contains("not an Avro single-object EdgeMetricSample");
    }

    @Test
    void shouldFindCatalogueTopicsWhateverTheirPrefixAndNothingElse() {
        RecordDecoder decoder = new RecordDecoder();

        assertThat(decoder.catalogueTopic("t-1a2b.jetty.upload-sessions.v1").map(t -> t.compacted())).isEqualTo(Optional.of(true));
        assertThat(decoder.expectedType("t-1a2b.jetty.upload-sessions.v1-dlt")).contains("DeadLetter");
        assertThat(decoder.catalogueTopic("jetty.upload-sessions.v2")).isEmpty();
    }

    private JsonNode print(ConsumerRecord<byte[], byte[]> record) {
        String line = RecordJson.write(json.toJson(record));
        assertThat(line).doesNotContain("\n");
        return JsonMapper.builder().build().readTree(line);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value) {
        return new ConsumerRecord<>(topic, 2, 41, Samples.AT.toEpochMilli(), TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, new RecordHeaders(),
                Optional.empty());
    }
}
