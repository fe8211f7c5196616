package io.jettyspeed.processors;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.edges.EdgeHealthConfig;
import io.jettyspeed.processors.edges.EdgeScoring;
import io.jettyspeed.processors.errors.DeadLetters;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.users.ThroughputHistogram;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Every aggregate at the largest its entry bounds allow stays far below Kafka's default 1 MB
 * message limit; the sizes asserted here are the ones the topologies' Javadoc and the README state.
 * Strings are filled with a character that takes 3 bytes in UTF-8, the most one UTF-16 unit takes.
 */
class AggregateSizeTest {

    private static final long KIB = 1024;

    @Test
    void shouldKeepTheLargestPossibleUploadSessionUnder32KiB() {
        // given: the longest ids, file name and error, the most ranges at the highest indexes, the most edges
        UploadSession session = UploadSession.newBuilder()
                .setSessionId(text(EntryLimits.MAX_ID_LENGTH)).setUserId(text(EntryLimits.MAX_ID_LENGTH))
                .setDeviceId(text(EntryLimits.MAX_ID_LENGTH)).setFileHash("f".repeat(64))
                .setFileName(text(EntryLimits.MAX_FILE_NAME_LENGTH)).setErrorMessage(text(EntryLimits.MAX_ERROR_LENGTH))
                .setFileSize(EntryLimits.MAX_FILE_SIZE).setChunkSize((int) EntryLimits.MAX_CHUNK_SIZE)
                .setTotalChunks(EntryLimits.MAX_CHUNKS_PER_FILE).setPlan(Plan.BUSINESS)
                .setStatus(UploadSessionStatus.FAILED)
                .setCompletedChunkRanges(IntStream.range(0, CompletedChunks.MAX_RANGES)
                        .mapToObj(i -> new ChunkRange(98_000 + 2 * i, 98_000 + 2 * i)).toList())
                .setCompletedChunks(CompletedChunks.MAX_RANGES).setFailedChunks(Integer.MAX_VALUE)
                .setBytesUploaded(EntryLimits.MAX_FILE_SIZE).setStartedAt(START).setUpdatedAt(START).setCompletedAt(START)
                .setDurationMs(Long.MAX_VALUE).setThroughputBytesPerSecond(Double.MAX_VALUE)
                .setEdgesUsed(IntStream.range(0, EntryLimits.MAX_EDGE_IDS).mapToObj(i -> text(EntryLimits.MAX_ID_LENGTH - 3) + i)
                        .toList())
                .setAnnounced(true).setLastActivityAt(START).build();

        // when
        int size = AvroSerde.of(UploadSession.class).encode(session).length;

        // then: it is a session the entry bounds let through, and it is about 28.5 KB
        assertThat(UploadSessionsTopology.checkSession(session.getSessionId(), session, START.toEpochMilli(),
                Duration.ZERO)).isEmpty();
        assertThat(size).isBetween(24 * (int) KIB, 32 * (int) KIB);
    }

    @Test
    void shouldKeepTheLargestUserStatsUnder2KiB() {
        UserStats stats = UserStats.newBuilder().setUserId(text(EntryLimits.MAX_ID_LENGTH)).setPlan(Plan.BUSINESS)
                .setQuotaBytes(Long.MAX_VALUE).setStorageUsedBytes(Long.MAX_VALUE).setUploadsStarted(Long.MAX_VALUE)
                .setUploadsCompleted(Long.MAX_VALUE).setUploadsFailed(Long.MAX_VALUE).setUploadsExpired(Long.MAX_VALUE)
                .setBytesUploaded(Long.MAX_VALUE).setClones(Long.MAX_VALUE).setBytesSaved(Long.MAX_VALUE)
                .setSecondsSaved(Double.MAX_VALUE).setThroughputP50(1e9).setThroughputP90(1e9).setThroughputP99(1e9)
                .setThroughputHistogram(Collections.nCopies(ThroughputHistogram.BUCKETS, Long.MAX_VALUE))
                .setUpdatedAt(START).build();

        assertThat(AvroSerde.of(UserStats.class).encode(stats).length).isLessThan(2 * (int) KIB);
    }

    @Test
    void shouldKeepTheLargestStoredFileUnder5KiB() {
        StoredFile file = StoredFile.newBuilder().setFileHash("f".repeat(64)).setOwnerUserId(text(EntryLimits.MAX_ID_LENGTH))
                .setSessionId(text(EntryLimits.MAX_ID_LENGTH)).setFileName(text(EntryLimits.MAX_FILE_NAME_LENGTH))
                .setFileSize(EntryLimits.MAX_FILE_SIZE).setLocation("https://storage.jettyspeed.io/files/" + "f".repeat(64))
                .setFirstSeen(START).setLastReferencedAt(START).setReferenceCount(Long.MAX_VALUE)
                .setCloneCount(Long.MAX_VALUE).setBytesSaved(Long.MAX_VALUE).setSecondsSaved(Double.MAX_VALUE).build();

        assertThat(AvroSerde.of(StoredFile.class).encode(file).length).isLessThan(5 * (int) KIB);
    }

    @Test
    void shouldKeepTheWorstEdgeHealthWithEveryReasonUnder1KiB() {
        // given: an edge that is bad in every way the scoring has words for, and ejected
        EdgeHealth bad = EdgeHealth.newBuilder().setEdgeId("edge-sfo").setRegion("us-west").setState(EdgeState.EJECTED)
                .setScore(0).setLatencyMs(EntryLimits.MAX_LATENCY_MS).setBandwidthMbps(0.001).setLoad(1.0).setErrorRate(1.0)
                .setConsecutiveFailures(Integer.MAX_VALUE).setTimesEjected(Integer.MAX_VALUE)
                .setEjectedUntil(START.plusSeconds(300)).setLastSampleTime(START).setLastSeenAt(START).setUpdatedAt(START)
                .setProbeSamples(Long.MAX_VALUE).setChunkSuccesses(Long.MAX_VALUE).setChunkFailures(Long.MAX_VALUE)
                .setReasons(List.of()).build();

        // when
        EdgeHealth scored = EdgeScoring.rescore(bad, START.toEpochMilli(), EdgeHealthConfig.defaults());

        // then
        assertThat(scored.getReasons()).hasSize(6);
        assertThat(AvroSerde.of(EdgeHealth.class).encode(scored).length).isLessThan((int) KIB);
    }

    @Test
    void shouldKeepADeadLetterOfAOneMegabyteRecordUnder540KiB() {
        // given: a record as large as a broker accepts by default, with a huge key and description
        byte[] value = new byte[1_048_576];
        byte[] key = new byte[64 * 1024];
        RecordHeaders headers = new RecordHeaders();
        headers.add(io.jettyspeed.schemas.DeadLetterHeaders.REPLAYED_FROM, text(5_000).getBytes(StandardCharsets.UTF_8));

        // when
        DeadLetter letter = DeadLetters.of("t", 0, 42L, "p", DeadLetterReason.INVARIANT_VIOLATION, text(100_000), null,
                key, value, headers, START);

        // then
        assertThat(letter.getDescription()).contains("truncated");
        assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.MAX_RAW_VALUE_BYTES);
        assertThat(AvroSerde.of(DeadLetter.class).encode(letter).length).isLessThan(540 * (int) KIB);
    }

    /** {@code length} UTF-16 units of a character that takes 3 bytes in UTF-8. */
    private static String text(int length) {
        return "\uFF57".repeat(length);
    }
}
