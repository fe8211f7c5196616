package io.jettyspeed.processors;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.dedup.DedupIndexConfig;
import io.jettyspeed.processors.dedup.DedupIndexTopology;
import io.jettyspeed.processors.edges.EdgeHealthConfig;
import io.jettyspeed.processors.edges.EdgeHealthTopology;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.sessions.UploadSessionsConfig;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.users.UserStatsConfig;
import io.jettyspeed.processors.users.UserStatsTopology;
import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The poison suite on TopologyTestDriver, per topology: each poison record ends as one dead letter
 * on its source's dead-letter topic with the right reason and its coordinates — through the
 * decode step (undecodable, unknown schema, every entry bound), through the processor (chunks
 * past the file, fragmenting chunks), or through Kafka Streams' exception handlers (a processor
 * that throws, an output too large to produce), installed as {@code StreamsRunner} installs them —
 * and the good records after it are processed. {@code ProcessorsPoisonIT} runs the handler cases
 * on the real broker.
 */
class PoisonTopologyTest {

    static final String HASH = "a".repeat(64);
    static final Topics topics = Topics.of("test.", 6);

    @Nested
    class UploadSessions {

        @RegisterExtension
        final TopologyFixture topology = TopologyFixture.of(UploadSessionsTopology::build, UploadSessionsConfig.defaults())
                .withFaultInjection();

        @Test
        void shouldDeadLetterEveryPoisonUploadAndChunkAndProcessTheRecordsAfterIt() {
            // given
            var uploads = topology.input(topics.uploadEvents());
            var rawUploads = topology.rawInput(topics.uploadEvents());
            var chunks = topology.input(topics.chunkEvents());
            var uploadLetters = topology.deadLetters(topics.uploadEvents());
            var chunkLetters = topology.deadLetters(topics.chunkEvents());
            KeyValueStore<String, UploadSession> store = topology.store(StoreNames.UPLOAD_SESSIONS);

            // when: poison uploads at offsets 0-8, then a good start
            rawUploads.pipeInput(bytes("s-bad"), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
            rawUploads.pipeInput(bytes("s-bad"), unknownFingerprint(start("s-bad", "user-1")));
            uploads.pipeInput("s-bad", withFileName(start("s-bad", "user-1"), "report\u0000.pdf"));
            UploadEvent tooManyChunks = start("s-bad", "user-1");
            tooManyChunks.setTotalChunks(100_001);
            uploads.pipeInput("s-bad", tooManyChunks);
            UploadEvent tooManyEdges = start("s-bad", "user-1");
            tooManyEdges.setEdgeIds(IntStream.range(0, 33).mapToObj(i -> "edge-" + i).toList());
            uploads.pipeInput("s-bad", tooManyEdges);
            uploads.pipeInput("s-bad", start("s-bad", "u".repeat(129)));
            UploadEvent longError = upload("s-bad", "user-1", UploadAction.FAIL, START);
            longError.setErrorMessage("e".repeat(2001));
            uploads.pipeInput("s-bad", longError);
            UploadEvent future = start("s-bad", "user-1");
            future.setEventTime(START.plus(Duration.ofHours(1)));
            uploads.pipeInput("s-bad", future);
            UploadEvent bug = start("s-bad", "user-1");
            bug.setEventId(FaultInjection.POISON);
            uploads.pipeInput("s-bad", bug);
            UploadEvent good = start("s-good", "user-1");
            good.setTotalChunks(4_000);
            uploads.pipeInput("s-good", good);

            // and poison chunks: past the most chunks a file may have, negative, a NUL in the edge id,
            // then 1,000 separate completed chunks and one that would open range 1,001
            chunks.pipeInput("s-good", chunk("s-good", 100_000));
            chunks.pipeInput("s-good", chunk("s-good", -1));
            ChunkEvent nulEdge = chunk("s-good", 7);
            nulEdge.setEdgeId("edge-\u0000");
            chunks.pipeInput("s-good", nulEdge);
            for (int i = 0; i < 1_000; i++) {
                chunks.pipeInput("s-good", chunk("s-good", 2 * i));
            }
            chunks.pipeInput("s-good", chunk("s-good", 2_002));
            chunks.pipeInput("s-good", chunk("s-good", 1));

            // then: the decode step's letters, in order, with their offsets
            List<DeadLetter> letters = uploadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason).containsExactly(
                    DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_SCHEMA, DeadLetterReason.INVARIANT_VIOLATION,
                    DeadLetterReason.LIMIT_EXCEEDED, DeadLetterReason.LIMIT_EXCEEDED, DeadLetterReason.LIMIT_EXCEEDED,
                    DeadLetterReason.LIMIT_EXCEEDED, DeadLetterReason.INVARIANT_VIOLATION);
            assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.getSourceTopic()).isEqualTo(topics.uploadEvents().name());
                assertThat(letter.getSourcePartition()).isZero();
                assertThat(letter.getValue()).isNotNull();
            });
            assertThat(letters).extracting(DeadLetter::getDescription).satisfiesExactly(
                    d -> assertThat(d).contains("not an Avro single-object"),
                    d -> assertThat(d).contains("unknown writer schema"),
                    d -> assertThat(d).contains("fileName contains the control character U+0000 at position 6"),
                    d -> assertThat(d).contains("totalChunks must be at most 100000"),
                    d -> assertThat(d).contains("edgeIds has 33 entries, more than 32"),
                    d -> assertThat(d).contains("userId has 129 characters, more than 128"),
                    d -> assertThat(d).contains("errorMessage has 2001 characters, more than 2000"),
                    d -> assertThat(d).contains("ahead of the processor's clock"));
            // the processor's exception, through the processing exception handler
            assertThat(topology.handlerDeadLetters()).singleElement().satisfies(entry -> {
                assertThat(entry.getKey()).isEqualTo(topics.uploadEvents().deadLetterTopicName());
                DeadLetter letter = entry.getValue();
                assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
                assertThat(letter.getSourceTopic()).isEqualTo(topics.uploadEvents().name());
                assertThat(letter.getSourceOffset()).isEqualTo(8L);
                assertThat(letter.getDescription()).contains("injected fault in upload-sessions");
                assertThat(letter.getExceptionClass()).isEqualTo(IllegalStateException.class.getName());
                assertThat(AvroSerde.of(UploadEvent.class).decode(bytes(letter.getValue())).getEventId())
                        .isEqualTo(FaultInjection.POISON);
            });
            assertThat(chunkLetters.readValuesToList()).satisfiesExactly(
                    letter -> assertCoordinates(letter, DeadLetterReason.LIMIT_EXCEEDED, 0L, "chunkIndex must be at most 99999"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 1L, "chunkIndex must be at least 0"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 2L, "edgeId contains the control"),
                    letter -> assertCoordinates(letter, DeadLetterReason.LIMIT_EXCEEDED, 1_003L, "more than 1000 ranges"));
            // and everything after the poison was applied; nothing of the bad session exists
            assertThat(store.get("s-bad")).isNull();
            UploadSession session = store.get("s-good");
            assertThat(session.getCompletedChunks()).isEqualTo(1_001);
            assertThat(session.getCompletedChunkRanges()).hasSize(999).startsWith(new ChunkRange(0, 2));
        }

        @Test
        void shouldDeadLetterAnOutputTooLargeToProduceAndProcessTheRecordsAfterIt() {
            // given an output limit of 2 KiB
            topology.guard(new OutputGuard(2_048));
            var uploads = topology.input(topics.uploadEvents());
            var sessions = topology.output(topics.uploadSessions());

            // when: a valid start whose session is larger than the output limit, then a small one
            UploadEvent big = withFileName(start("s-big", "user-1"), "f".repeat(1_000));
            big.setEdgeIds(IntStream.range(0, 20).mapToObj(i -> "edge-" + "x".repeat(90) + i).toList());
            uploads.pipeInput("s-big", big);
            uploads.pipeInput("s-small", start("s-small", "user-1"));

            // then
            assertThat(topology.handlerDeadLetters()).singleElement().satisfies(entry -> {
                assertThat(entry.getKey()).isEqualTo(topics.uploadEvents().deadLetterTopicName());
                assertThat(entry.getValue().getReason()).isEqualTo(DeadLetterReason.PRODUCTION_ERROR);
                assertThat(entry.getValue().getSourceOffset()).isZero();
                assertThat(entry.getValue().getExceptionClass()).endsWith("RecordTooLargeException");
                assertThat(entry.getValue().getDescription()).contains(topics.uploadSessions().name())
                        .contains("larger than its limit of 2048 bytes");
            });
            assertThat(sessions.readKeyValuesToList()).singleElement()
                    .satisfies(kv -> assertThat(kv.key).isEqualTo("s-small"));
        }
    }

    @Nested
    class EdgeHealthPoison {

        @RegisterExtension
        final TopologyFixture topology = TopologyFixture.of(EdgeHealthTopology::build, EdgeHealthConfig.defaults())
                .withFaultInjection();

        @Test
        void shouldDeadLetterEveryPoisonSampleAndProcessTheRecordsAfterIt() {
            // given
            var samples = topology.input(topics.edgeMetrics());
            var raw = topology.rawInput(topics.edgeMetrics());
            var chunks = topology.input(topics.chunkEvents());
            var letters = topology.deadLetters(topics.edgeMetrics());
            KeyValueStore<String, EdgeHealth> store = topology.store(StoreNames.EDGE_HEALTH);

            // when
            raw.pipeInput(bytes("edge-lhr"), bytes("garbage"));
            samples.pipeInput("edge-xyz", sample("edge-xyz", 40));
            EdgeMetricSample infinite = sample("edge-lhr", Double.POSITIVE_INFINITY);
            samples.pipeInput("edge-lhr", infinite);
            EdgeMetricSample nan = sample("edge-lhr", 40);
            nan.setErrorRate(Double.NaN);
            samples.pipeInput("edge-lhr", nan);
            EdgeMetricSample longId = sample("edge-lhr", 40);
            longId.setEventId("x".repeat(129));
            samples.pipeInput("edge-lhr", longId);
            EdgeMetricSample future = sample("edge-lhr", 40);
            future.setEventTime(START.plus(Duration.ofHours(2)));
            samples.pipeInput("edge-lhr", future);
            EdgeMetricSample bug = sample("edge-lhr", 40);
            bug.setEventId(FaultInjection.POISON);
            samples.pipeInput("edge-lhr", bug);
            ChunkEvent negative = chunk("s-1", 0);
            negative.setEdgeId("edge-lhr");
            negative.setDurationMs(-5L);
            chunks.pipeInput("s-1", negative);
            samples.pipeInput("edge-lhr", sample("edge-lhr", 40));

            // then
            assertThat(letters.readValuesToList()).satisfiesExactly(
                    letter -> assertCoordinates(letter, DeadLetterReason.UNDECODABLE, 0L, "not an Avro"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 1L, "unknown edgeId"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 2L, "latencyMs must be a number"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 3L, "errorRate must be a number"),
                    letter -> assertCoordinates(letter, DeadLetterReason.LIMIT_EXCEEDED, 4L, "eventId has 129 characters"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 5L, "ahead of the processor's clock"));
            // the processor reads a repartition topic: its letter goes to the origin's dead-letter topic,
            // with the coordinates of the record it failed on
            assertThat(topology.handlerDeadLetters()).singleElement()
                    .satisfies(processingError(topics.edgeMetrics(), "-edge-metrics-by-edge-repartition", 0L));
            // a bad chunk is the upload-sessions topology's to dead-letter: here it is dropped and counted
            assertThat(topology.deadLetters(topics.chunkEvents()).isEmpty()).isTrue();
            assertThat(topology.dropped("edge-chunk-events-decode", "invalid")).isEqualTo(1.0);
            EdgeHealth health = store.get("edge-lhr");
            assertThat(health.getProbeSamples()).isEqualTo(1);
            assertThat(health.getChunkFailures()).isZero();
            assertThat(health.getLatencyMs()).isEqualTo(40.0);
        }
    }

    @Nested
    class DedupIndexPoison {

        @RegisterExtension
        final TopologyFixture topology = TopologyFixture.of(DedupIndexTopology::build, DedupIndexConfig.defaults())
                .withFaultInjection();

        @Test
        void shouldDeadLetterEveryPoisonSessionAndCheckAndProcessTheRecordsAfterIt() {
            // given
            var sessions = topology.input(topics.uploadSessions());
            var rawSessions = topology.rawInput(topics.uploadSessions());
            var checks = topology.input(topics.dedupChecks());
            var sessionLetters = topology.deadLetters(topics.uploadSessions());
            var checkLetters = topology.deadLetters(topics.dedupChecks());
            var clones = topology.output(topics.dedupClones());

            // when: poison sessions at offsets 0-4, then a good completion
            rawSessions.pipeInput(bytes("s-1"), bytes("garbage"));
            UploadSession nul = completed("s-1", "alice");
            nul.setFileName("a\u0000b");
            sessions.pipeInput("s-1", nul);
            UploadSession fragmented = completed("s-1", "alice");
            fragmented.setCompletedChunkRanges(IntStream.range(0, 1_001).mapToObj(i -> new ChunkRange(2 * i, 2 * i)).toList());
            sessions.pipeInput("s-1", fragmented);
            sessions.pipeInput(FaultInjection.POISON, completed(FaultInjection.POISON, "alice"));
            rawSessions.pipeInput(bytes("s-old"), (byte[]) null);
            sessions.pipeInput("s-1", completed("s-1", "alice"));
            // and poison checks at offsets 0-3, then a good one
            checks.pipeInput("not-a-hash", check("not-a-hash", "c-1"));
            DedupCheck farNorth = check(HASH, "c-2");
            farNorth.setUserLat(91.0);
            checks.pipeInput(HASH, farNorth);
            DedupCheck nulName = check(HASH, "c-3");
            nulName.setFileName("x\u0000");
            checks.pipeInput(HASH, nulName);
            checks.pipeInput(HASH, check(HASH, FaultInjection.POISON));
            checks.pipeInput(HASH, check(HASH, "c-good"));

            // then
            assertThat(sessionLetters.readValuesToList()).satisfiesExactly(
                    letter -> assertCoordinates(letter, DeadLetterReason.UNDECODABLE, 0L, "not an Avro"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 1L, "fileName contains the control"),
                    letter -> assertCoordinates(letter, DeadLetterReason.LIMIT_EXCEEDED, 2L, "completedChunkRanges must be at most 1000"));
            assertThat(checkLetters.readValuesToList()).satisfiesExactly(
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 0L, "fileHash is not 64"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 1L, "userLat must be a number"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 2L, "fileName contains the control"));
            assertThat(topology.handlerDeadLetters()).satisfiesExactlyInAnyOrder(
                    processingError(topics.uploadSessions(), "-dedup-completions-by-hash-repartition", null),
                    processingError(topics.dedupChecks(), topics.dedupChecks().name(), 3L));
            assertThat(topology.dropped("dedup-upload-sessions-decode", "tombstone")).isEqualTo(1.0);
            StoredFile file = topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH);
            assertThat(file.getSessionId()).isEqualTo("s-1");
            assertThat(file.getCloneCount()).isEqualTo(1);
            assertThat(clones.readValuesToList()).singleElement()
                    .satisfies(clone -> assertThat(clone.getEventId()).isEqualTo("check:c-good"));
        }
    }

    @Nested
    class UserStatsPoison {

        @RegisterExtension
        final TopologyFixture topology = TopologyFixture.of(UserStatsTopology::build, UserStatsConfig.defaults())
                .withFaultInjection();

        @Test
        void shouldDeadLetterEveryPoisonCloneAndSessionAndProcessTheRecordsAfterIt() {
            // given
            var clones = topology.input(topics.dedupClones());
            var rawClones = topology.rawInput(topics.dedupClones());
            var sessions = topology.input(topics.uploadSessions());
            var rawSessions = topology.rawInput(topics.uploadSessions());
            var cloneLetters = topology.deadLetters(topics.dedupClones());
            KeyValueStore<String, UserStats> stats = topology.store(StoreNames.USER_STATS);

            // when: poison clones at offsets 0-3, then a good one
            rawClones.pipeInput(bytes("alice"), bytes("garbage"));
            String longUser = "u".repeat(129);
            clones.pipeInput(longUser, cloneOf(longUser, "check:1"));
            clones.pipeInput("bob", cloneOf("alice", "check:2"));
            clones.pipeInput("alice", cloneOf("alice", FaultInjection.POISON));
            clones.pipeInput("alice", cloneOf("alice", "check:good"));
            // and sessions: a bad one (the dedup index dead-letters it; here it is dropped), a tombstone,
            // one the processor throws on, then a good one
            UploadSession nul = completed("s-1", "alice");
            nul.setFileName("a\u0000b");
            sessions.pipeInput("s-1", nul);
            rawSessions.pipeInput(bytes("s-old"), (byte[]) null);
            sessions.pipeInput(FaultInjection.POISON, completed(FaultInjection.POISON, "alice"));
            sessions.pipeInput("s-1", completed("s-1", "alice"));

            // then
            assertThat(cloneLetters.readValuesToList()).satisfiesExactly(
                    letter -> assertCoordinates(letter, DeadLetterReason.UNDECODABLE, 0L, "not an Avro"),
                    letter -> assertCoordinates(letter, DeadLetterReason.LIMIT_EXCEEDED, 1L, "userId has 129 characters"),
                    letter -> assertCoordinates(letter, DeadLetterReason.INVARIANT_VIOLATION, 2L, "key \"bob\" differs from userId"));
            assertThat(topology.deadLetters(topics.uploadSessions()).isEmpty()).isTrue();
            assertThat(topology.handlerDeadLetters()).satisfiesExactlyInAnyOrder(
                    processingError(topics.dedupClones(), topics.dedupClones().name(), 3L),
                    processingError(topics.uploadSessions(), "-user-sessions-by-user-repartition", null));
            assertThat(topology.dropped("user-upload-sessions-decode", "invalid")).isEqualTo(1.0);
            assertThat(topology.dropped("user-upload-sessions-decode", "tombstone")).isEqualTo(1.0);
            UserStats alice = stats.get("alice");
            SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(alice.getClones()).isEqualTo(1);
                soft.assertThat(alice.getUploadsCompleted()).isEqualTo(1);
                soft.assertThat(alice.getUploadsStarted()).isEqualTo(1);
                soft.assertThat(stats.get(longUser)).isNull();
            });
        }
    }

    static void assertCoordinates(DeadLetter letter, DeadLetterReason reason, long offset, String description) {
        assertThat(letter.getReason()).isEqualTo(reason);
        assertThat(letter.getSourceOffset()).isEqualTo(offset);
        assertThat(letter.getSourcePartition()).isZero();
        assertThat(letter.getDescription()).contains(description);
    }

    /**
     * A letter of the processing exception handler, on {@code source}'s dead-letter topic, for a record of
     * a topic whose name ends with {@code sourceTopic} (the source itself, or the repartition topic the
     * processor reads it through), at {@code offset} where the test pins it (null: not pinned).
     */
    static ThrowingConsumer<Map.Entry<String, DeadLetter>> processingError(Topic<?, ?> source, String sourceTopic,
            Long offset) {
        return entry -> {
            assertThat(entry.getKey()).isEqualTo(source.deadLetterTopicName());
            assertThat(entry.getValue().getReason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
            assertThat(entry.getValue().getSourceTopic()).endsWith(sourceTopic);
            if (offset != null) {
                assertThat(entry.getValue().getSourceOffset()).isEqualTo(offset);
            }
        };
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** A valid record whose fingerprint names a writer schema nobody released. */
    static byte[] unknownFingerprint(UploadEvent event) {
        byte[] encoded = AvroSerde.of(UploadEvent.class).encode(event);
        for (int i = 2; i < 10; i++) {
            encoded[i] = (byte) ~encoded[i];
        }
        return encoded;
    }

    static UploadEvent start(String sessionId, String userId) {
        return upload(sessionId, userId, UploadAction.START, START);
    }

    static UploadEvent upload(String sessionId, String userId, UploadAction action, Instant at) {
        return UploadEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(at).setReceivedAt(at)
                .setAction(action).setSessionId(sessionId).setUserId(userId).setFileHash(HASH).setFileName("a.bin")
                .setFileSize(4_000L).setChunkSize(1_000).setTotalChunks(4).build();
    }

    static UploadEvent withFileName(UploadEvent event, String fileName) {
        event.setFileName(fileName);
        return event;
    }

    static ChunkEvent chunk(String sessionId, int index) {
        return ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(START).setReceivedAt(START)
                .setSessionId(sessionId).setUserId("user-1").setChunkIndex(index).setStatus(ChunkStatus.COMPLETED)
                .setEdgeId("edge-fra").setChunkBytes(1_000L).setDurationMs(100L).build();
    }

    static EdgeMetricSample sample(String edgeId, double latencyMs) {
        return EdgeMetricSample.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(START)
                .setReceivedAt(START).setEdgeId(edgeId).setLatencyMs(latencyMs).setBandwidthMbps(200).setLoad(0.2)
                .setErrorRate(0).build();
    }

    static UploadSession completed(String sessionId, String userId) {
        return UploadSession.newBuilder().setSessionId(sessionId).setUserId(userId).setFileHash(HASH)
                .setFileName("a.bin").setFileSize(5_000_000L).setStatus(UploadSessionStatus.COMPLETED)
                .setCompletedChunkRanges(List.of(new ChunkRange(0, 4))).setCompletedChunks(5).setFailedChunks(0)
                .setBytesUploaded(5_000_000L).setStartedAt(START).setUpdatedAt(START.plusSeconds(10))
                .setCompletedAt(START.plusSeconds(10)).setDurationMs(10_000L).setThroughputBytesPerSecond(500_000.0)
                .setAnnounced(true).setLastActivityAt(START).build();
    }

    static DedupCheck check(String hash, String eventId) {
        return DedupCheck.newBuilder().setEventId(eventId).setEventTime(START).setReceivedAt(START).setFileHash(hash)
                .setUserId("carol").setSource(DedupCheckSource.CHECK_DUPLICATE).build();
    }

    static DedupClone cloneOf(String userId, String eventId) {
        return DedupClone.newBuilder().setEventId(eventId).setFileHash(HASH).setUserId(userId).setOwnerUserId("dave")
                .setKind(CloneKind.INSTANT_CLONE).setFileSize(2_000_000L).setBytesSaved(2_000_000L)
                .setEstimatedSecondsSaved(0.16).setClonedAt(START).build();
    }
}
