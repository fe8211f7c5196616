package io.jettyspeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<ChunkEvent> serde = AvroSerde.of(ChunkEvent.class);

    @Test
    void shouldRoundTripWithSingleObjectEncoding() {
        // given
        ChunkEvent event = chunk();

        // when
        byte[] bytes = serde.serialize("t", event);

        // then the header is the single-object marker C3 01 followed by the 8-byte fingerprint
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void shouldWriteTheSameBytesAsAvrosOwnSingleObjectEncoder() throws Exception {
        // given records whose optional fields are set and unset (our writer resolves ["null", T] itself)
        ChunkEvent unset = ChunkEvent.newBuilder(chunk()).setEdgeId(null).setChunkBytes(null).setErrorMessage(null).build();
        DedupCheck check = DedupCheck.newBuilder()
                .setEventId("ev-9").setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setReceivedAt(Instant.ofEpochMilli(1_700_000_000_001L)).setFileHash("a".repeat(64))
                .setUserId("usr_1").setFileSize(10L).setUserLat(1.5).setUserLng(null)
                .setSource(DedupCheckSource.CHECK_DUPLICATE).build();

        // then each is byte for byte what Avro's BinaryMessageEncoder writes
        assertThat(serde.serialize("t", chunk())).isEqualTo(ChunkEvent.getEncoder().encode(chunk()).array());
        assertThat(serde.serialize("t", unset)).isEqualTo(ChunkEvent.getEncoder().encode(unset).array());
        assertThat(AvroSerde.of(DedupCheck.class).serialize("t", check))
                .isEqualTo(DedupCheck.getEncoder().encode(check).array());
    }

    @Test
    void shouldEncodeEachRecordOnItsOwnWhateverTheThreadEncodedBefore() {
        // given: a large record (beyond the buffer a thread keeps), then small ones, on one thread
        ChunkEvent large = ChunkEvent.newBuilder(chunk()).setErrorMessage("x".repeat(100_000)).build();
        ChunkEvent small = chunk();
        ChunkEvent other = ChunkEvent.newBuilder(chunk()).setEventId("ev-2").setErrorMessage(null).build();

        // when
        byte[] largeBytes = serde.serialize("t", large);
        byte[] smallBytes = serde.serialize("t", small);
        byte[] otherBytes = serde.serialize("t", other);
        byte[] smallAgain = serde.serialize("t", small);

        // then: no bytes of an earlier record in a later one
        assertThat(serde.deserialize("t", largeBytes)).isEqualTo(large);
        assertThat(serde.deserialize("t", smallBytes)).isEqualTo(small);
        assertThat(serde.deserialize("t", otherBytes)).isEqualTo(other);
        assertThat(smallAgain).isEqualTo(smallBytes).hasSizeLessThan(200);
    }

    @Test
    void shouldEncodeTheNextRecordCleanlyAfterOneThatFailedHalfWritten() throws Exception {
        // given: a record whose required sessionId (after three written fields) was emptied behind the builder's back
        ChunkEvent broken = chunk();
        broken.put(ChunkEvent.getClassSchema().getField("sessionId").pos(), null);

        // and one whose receivedAt (after one written field) no timestamp-millis can hold: not a serialization error
        ChunkEvent beyondMillis = ChunkEvent.newBuilder(chunk()).setReceivedAt(Instant.MAX).build();

        // when
        assertThatThrownBy(() -> serde.serialize("t", broken)).isInstanceOf(SerializationException.class);
        byte[] afterBroken = serde.serialize("t", chunk());
        assertThatThrownBy(() -> serde.serialize("t", beyondMillis)).isInstanceOf(ArithmeticException.class);
        byte[] afterBeyondMillis = serde.serialize("t", chunk());

        // then: the next record on this thread holds none of the failed one's bytes
        byte[] expected = ChunkEvent.getEncoder().encode(chunk()).array();
        assertThat(afterBroken).isEqualTo(expected);
        assertThat(afterBeyondMillis).isEqualTo(expected);
    }

    @Test
    void shouldResolveAnOlderWriterSchemaByFingerprint() {
        // given data written by an older version without edgeId and chunkBytes
        Schema current = ChunkEvent.getClassSchema();
        Schema older = withoutFields(current, "edgeId", "chunkBytes");
        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "ev-1");
        old.put("eventTime", 1_000L);
        old.put("receivedAt", 2_000L);
        old.put("sessionId", "sess-1");
        old.put("userId", "usr_1");
        old.put("chunkIndex", 3);
        old.put("status", new GenericData.EnumSymbol(current.getField("status").schema(), "COMPLETED"));
        old.put("durationMs", 40L);
        old.put("errorMessage", null);
        byte[] bytes = encode(older, old);
        AvroSerde<ChunkEvent> reader = new AvroSerde<>(ChunkEvent.class, List.of(older));

        // when
        ChunkEvent read = reader.deserialize("t", bytes);

        // then missing fields take their defaults
        assertThat(read.getChunkIndex()).isEqualTo(3);
        assertThat(read.getStatus()).isEqualTo(ChunkStatus.COMPLETED);
        assertThat(read.getEdgeId()).isNull();
        assertThat(read.getDurationMs()).isEqualTo(40L);
    }

    @Test
    void shouldRefuseAnUnknownWriterSchemaWithATypedError() {
        Schema unknown = withoutFields(ChunkEvent.getClassSchema(), "edgeId");
        GenericRecord record = new GenericData.Record(unknown);
        unknown.getFields().forEach(f -> record.put(f.name(), f.hasDefaultValue() ? null : sample(f)));
        byte[] bytes = encode(unknown, record);

        assertThatThrownBy(() -> serde.deserialize("t", bytes))
                .isInstanceOf(AvroSerde.UnknownSchemaException.class);
    }

    @Test
    void shouldRefuseGarbageAsASerializationException() {
        assertThatThrownBy(() -> serde.deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {(byte) 0xC3, 0x01, 1, 2}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRefuseATruncatedDatumAfterAValidHeader() {
        // given a record's bytes cut inside its datum
        byte[] bytes = serde.serialize("t", chunk());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        // when decoded, then it is a serialization error, and the thread decodes the next record whole
        assertThatThrownBy(() -> serde.deserialize("t", truncated)).isInstanceOf(SerializationException.class);
        assertThat(serde.deserialize("t", bytes)).isEqualTo(chunk());
    }

    @Test
    void shouldDecodeEachRecordOnItsOwnWhateverTheThreadDecodedBefore() {
        // given a large record and then small ones, decoded on one thread (whose decoder is reused)
        ChunkEvent large = ChunkEvent.newBuilder(chunk()).setErrorMessage("y".repeat(50_000)).build();
        ChunkEvent other = ChunkEvent.newBuilder(chunk()).setEventId("ev-3").setErrorMessage(null).build();
        byte[] largeBytes = serde.serialize("t", large);
        byte[] otherBytes = serde.serialize("t", other);

        // then each decodes to itself, whatever came before
        assertThat(serde.deserialize("t", largeBytes)).isEqualTo(large);
        assertThat(serde.deserialize("t", otherBytes)).isEqualTo(other);
        assertThat(serde.deserialize("t", largeBytes)).isEqualTo(large);
    }

    @Test
    void shouldPassNullThroughForTombstones() {
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    private static ChunkEvent chunk() {
        return ChunkEvent.newBuilder()
                .setEventId("ev-1")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setReceivedAt(Instant.ofEpochMilli(1_700_000_000_100L))
                .setSessionId("sess-1")
                .setUserId("usr_1")
                .setChunkIndex(7)
                .setStatus(ChunkStatus.FAILED)
                .setEdgeId("edge-sfo")
                .setChunkBytes(5_242_880L)
                .setDurationMs(250L)
                .setErrorMessage("timeout")
                .build();
    }

    private static Object sample(Schema.Field field) {
        return switch (field.schema().getType()) {
            case STRING -> "x";
            case INT -> 1;
            case LONG -> 1L;
            case ENUM -> new GenericData.EnumSymbol(field.schema(), field.schema().getEnumSymbols().get(0));
            default -> null;
        };
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema withoutFields(Schema record, String... names) {
        List<String> dropped = List.of(names);
        List<Schema.Field> fields = record.getFields().stream()
                .filter(f -> !dropped.contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
