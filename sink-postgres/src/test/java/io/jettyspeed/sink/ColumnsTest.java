package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnsTest {

    @Test
    void shouldCountTimestampsInMicrosecondsFromPostgresEpoch() {
        assertThat(Columns.postgresMicros(Instant.parse("2000-01-01T00:00:00Z"))).isZero();
        assertThat(Columns.postgresMicros(Instant.parse("2000-01-01T00:00:01.000002Z"))).isEqualTo(1_000_002L);
    }

    @Test
    void shouldSendAnInstantWhoseMicrosecondsOverflowAsAValuePostgresRefusesAsOutOfRange() {
        // given: year 300000 has more microseconds than a long holds
        Instant far = Instant.parse("+300000-01-01T00:00:00Z");

        // then: not Long.MAX_VALUE, which PostgreSQL reads as 'infinity' and would store
        assertThat(Columns.postgresMicros(far)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(Columns.postgresMicros(Instant.parse("-300000-01-01T00:00:00Z"))).isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    void shouldEncodeRowsInPostgresBinaryCopyFormat() throws IOException {
        // given
        record Row(String name, Long size, List<String> tags) {
        }
        Columns<Row> columns = new Columns<Row>().text("name", Row::name).int8("size", Row::size)
                .textArray("tags", Row::tags);

        // when
        byte[] copy = columns.copyBinary(List.of(new Row("a", null, Arrays.asList("x", null)), new Row("b", 7L, List.of())));

        // then
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        out.writeShort(3);
        out.writeInt(1);
        out.write('a');
        out.writeInt(-1);
        out.writeInt(20 + 4 + 1 + 4);     // header and one dimension, then "x" and a NULL
        out.writeInt(1);
        out.writeInt(1);
        out.writeInt(25);
        out.writeInt(2);
        out.writeInt(1);
        out.writeInt(1);
        out.write('x');
        out.writeInt(-1);
        out.writeShort(3);
        out.writeInt(1);
        out.write('b');
        out.writeInt(8);
        out.writeLong(7);
        out.writeInt(12);                 // an empty array has no dimensions
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(25);
        out.writeShort(-1);
        assertThat(copy).isEqualTo(expected.toByteArray());
        assertThat(columns.names()).isEqualTo("name, size, tags");
    }

    @Test
    void shouldTurnTheBatchIntoOneArrayPerColumnWithTimestampsInMilliseconds() {
        // given
        record Row(String id, Instant at) {
        }
        Columns<Row> columns = new Columns<Row>().text("id", Row::id).timestamptz("at", Row::at);

        // when
        Object[] arrays = columns.arrays(List.of(new Row("e1", Instant.ofEpochMilli(1500)), new Row("e2", null)));

        // then
        assertThat(columns.input()).isEqualTo(
                "(SELECT id, to_timestamp(at / 1000.0) AS at FROM unnest(?::text[], ?::bigint[]) AS t(id, at))");
        assertThat((String[]) arrays[0]).containsExactly("e1", "e2");
        assertThat((Long[]) arrays[1]).containsExactly(1500L, null);
    }

    @Test
    void shouldTakeEachValueAndTypeFromTheRecordsFieldOfTheSameNameOrTheOneNamed() {
        // given
        Columns<UploadSession> columns = Columns.fields(UploadSession.getClassSchema(),
                "session_id", "status", "plan", "file_size_bytes=fileSize", "chunk_size_bytes=chunkSize", "started_at",
                "edges_used", "throughput_bytes_per_second");
        Instant started = Instant.ofEpochMilli(1500);
        UploadSession session = UploadSession.newBuilder().setSessionId("s1").setStatus(UploadSessionStatus.COMPLETED)
                .setPlan(Plan.STARTER).setFileSize(4000L).setChunkSize(1000).setStartedAt(started)
                .setUpdatedAt(started).setCompletedChunkRanges(List.of()).setCompletedChunks(0).setFailedChunks(0)
                .setBytesUploaded(0).setEdgesUsed(List.of("edge-sfo")).setAnnounced(true).setLastActivityAt(started)
                .build();
        UploadSession noPlan = UploadSession.newBuilder(session).setSessionId("s2").setPlan(null).setStartedAt(null).build();

        // when
        byte[] copy = columns.copyBinary(List.of(session, noPlan));

        // then: the same as the columns spelled out with the record's getters
        Columns<UploadSession> spelledOut = new Columns<UploadSession>()
                .text("session_id", UploadSession::getSessionId)
                .text("status", s -> s.getStatus().name())
                .text("plan", s -> s.getPlan() == null ? null : s.getPlan().name())
                .int8("file_size_bytes", UploadSession::getFileSize)
                .int4("chunk_size_bytes", UploadSession::getChunkSize)
                .timestamptz("started_at", UploadSession::getStartedAt)
                .textArray("edges_used", UploadSession::getEdgesUsed)
                .float8("throughput_bytes_per_second", UploadSession::getThroughputBytesPerSecond);
        assertThat(copy).isEqualTo(spelledOut.copyBinary(List.of(session, noPlan)));
        assertThat(columns.names()).isEqualTo(spelledOut.names());
        assertThat(columns.input()).isEqualTo(spelledOut.input());
        assertThat(columns.textValue("plan").apply(noPlan)).isNull();
    }

    @Test
    void shouldRefuseAColumnWithoutAField() {
        assertThatThrownBy(() -> Columns.fields(UploadSession.getClassSchema(), "session_id", "file_size_bytes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("UploadSession has no field fileSizeBytes for column file_size_bytes");
    }
}
