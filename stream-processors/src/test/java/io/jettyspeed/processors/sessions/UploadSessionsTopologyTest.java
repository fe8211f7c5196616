package io.jettyspeed.processors.sessions;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.TopologyFixture;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkRange;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UploadSessionsTopologyTest {

    private static final String HASH = "a".repeat(64);
    @RegisterExtension
    final TopologyFixture topology = TopologyFixture.of(UploadSessionsTopology::build, UploadSessionsConfig.defaults());
    private final Topics topics = topology.topics();
    private TestInputTopic<String, UploadEvent> uploads;
    private TestInputTopic<String, ChunkEvent> chunks;
    private TestOutputTopic<String, UploadSession> sessions;
    private KeyValueStore<String, UploadSession> store;

    @BeforeEach
    void setUp() {
        uploads = topology.input(topics.uploadEvents());
        chunks = topology.input(topics.chunkEvents());
        sessions = topology.output(topics.uploadSessions());
        store = topology.store(StoreNames.UPLOAD_SESSIONS);
    }

    @Test
    void shouldTrackLifecycleChunkRangesBytesAndThroughput() {
        // when
        uploads.pipeInput("s1", upload("s1", UploadAction.START, START));
        chunks.pipeInput("s1", chunk("s1", 0, ChunkStatus.COMPLETED, START.plusSeconds(1)));
        chunks.pipeInput("s1", chunk("s1", 2, ChunkStatus.COMPLETED, START.plusSeconds(2)));
        chunks.pipeInput("s1", chunk("s1", 1, ChunkStatus.FAILED, START.plusSeconds(3)));

        // then
        UploadSession session = store.get("s1");
        assertThat(session.getStatus()).isEqualTo(UploadSessionStatus.UPLOADING);
        assertThat(session.getCompletedChunks()).isEqualTo(2);
        assertThat(session.getFailedChunks()).isEqualTo(1);
        assertThat(session.getBytesUploaded()).isEqualTo(2_000);
        assertThat(session.getEdgesUsed()).containsExactly("edge-fra");
        assertThat(session.getCompletedChunkRanges()).containsExactly(new ChunkRange(0, 0), new ChunkRange(2, 2));
        assertThat(CompletedChunks.missing(session.getCompletedChunkRanges(), 4))
                .containsExactly(new ChunkRange(1, 1), new ChunkRange(3, 3));

        // when
        uploads.pipeInput("s1", upload("s1", UploadAction.COMPLETE, START.plusSeconds(4)));

        // then
        UploadSession done = store.get("s1");
        assertThat(done.getStatus()).isEqualTo(UploadSessionStatus.COMPLETED);
        assertThat(done.getDurationMs()).isEqualTo(4_000);
        assertThat(done.getBytesUploaded()).isEqualTo(4_000);
        assertThat(done.getThroughputBytesPerSecond()).isEqualTo(1_000.0);
        assertThat(sessions.readValuesToList()).hasSize(5).last().isEqualTo(done);
    }

    @Test
    void shouldKeepChunksThatArriveBeforeStartAndPublishOnceStarted() {
        // when
        chunks.pipeInput("s2", chunk("s2", 3, ChunkStatus.COMPLETED, START.plusSeconds(1)));

        // then
        assertThat(sessions.isEmpty()).isTrue();
        assertThat(store.get("s2").getCompletedChunks()).isEqualTo(1);

        // when
        uploads.pipeInput("s2", upload("s2", UploadAction.START, START));

        // then
        UploadSession session = sessions.readValue();
        assertThat(session.getUserId()).isEqualTo("user-1");
        assertThat(session.getStatus()).isEqualTo(UploadSessionStatus.UPLOADING);
        assertThat(session.getCompletedChunks()).isEqualTo(1);
        assertThat(session.getStartedAt()).isEqualTo(START);
    }

    @Test
    void shouldApplyOutOfOrderEventsWithinGraceAndDropThosePastIt() {
        // given
        uploads.pipeInput("s3", upload("s3", UploadAction.START, START));
        uploads.pipeInput("s3", upload("s3", UploadAction.COMPLETE, START.plusSeconds(60)));

        // when: a progress event from before completion arrives late, within grace
        uploads.pipeInput("s3", upload("s3", UploadAction.PROGRESS, START.plusSeconds(30)));

        // then: applied, but the status does not regress
        assertThat(store.get("s3").getStatus()).isEqualTo(UploadSessionStatus.COMPLETED);
        assertThat(store.get("s3").getUpdatedAt()).isEqualTo(START.plusSeconds(60));

        // when: a chunk 11 minutes older than the newest event (past the 10-minute grace); the
        // processor's clock moves on with the events (an event time ahead of it is refused)
        topology.driver().advanceWallClockTime(Duration.ofMinutes(20));
        uploads.pipeInput("s3", upload("s3", UploadAction.PROGRESS, START.plus(Duration.ofMinutes(20))));
        UploadSession before = store.get("s3");
        chunks.pipeInput("s3", chunk("s3", 1, ChunkStatus.COMPLETED, START.plus(Duration.ofMinutes(9))));

        // then: dropped and counted
        assertThat(store.get("s3")).isEqualTo(before);
        assertThat(topology.dropped(UploadSessionProcessor.NAME, "late")).isEqualTo(1.0);
    }

    @Test
    void shouldCountTheSameEventIdOnce() {
        // given
        uploads.pipeInput("s4", upload("s4", UploadAction.START, START));
        ChunkEvent failed = chunk("s4", 0, ChunkStatus.FAILED, START.plusSeconds(1));

        // when
        chunks.pipeInput("s4", failed);
        chunks.pipeInput("s4", failed);

        // then
        assertThat(store.get("s4").getFailedChunks()).isEqualTo(1);
        assertThat(topology.dropped(UploadSessionProcessor.NAME, "duplicate")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterPoisonAndChunksPastTheFileAndProcessTheNextRecord() {
        // given
        uploads.pipeInput("s5", upload("s5", UploadAction.START, START));
        var raw = topology.rawInput(topics.chunkEvents());
        var dlt = topology.deadLetters(topics.chunkEvents());

        // when
        raw.pipeInput("s5".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
        chunks.pipeInput("s5", chunk("s5", 4, ChunkStatus.COMPLETED, START.plusSeconds(1)));
        chunks.pipeInput("s5", chunk("s5", -1, ChunkStatus.COMPLETED, START.plusSeconds(1)));
        chunks.pipeInput("s5", chunk("s5", 3, ChunkStatus.COMPLETED, START.plusSeconds(2)));

        // then
        List<DeadLetter> letters = dlt.readValuesToList();
        assertThat(letters).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.UNDECODABLE,
                DeadLetterReason.INVARIANT_VIOLATION, DeadLetterReason.INVARIANT_VIOLATION);
        assertThat(letters.get(1).getDescription()).contains("chunkIndex 4 is past the file's 4 chunks");
        assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L, 2L);
        assertThat(store.get("s5").getCompletedChunks()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAnotherUsersEventsAndKeepTheSessionItsOwners() {
        // given a session started by user-1
        uploads.pipeInput("s7", upload("s7", UploadAction.START, START));
        var uploadLetters = topology.deadLetters(topics.uploadEvents());
        var chunkLetters = topology.deadLetters(topics.chunkEvents());

        // when user-2 reports a chunk and completes it, then user-1 reports a chunk
        ChunkEvent foreignChunk = chunk("s7", 0, ChunkStatus.COMPLETED, START.plusSeconds(1));
        foreignChunk.setUserId("user-2");
        chunks.pipeInput("s7", foreignChunk);
        UploadEvent foreignComplete = upload("s7", UploadAction.COMPLETE, START.plusSeconds(2));
        foreignComplete.setUserId("user-2");
        uploads.pipeInput("s7", foreignComplete);
        ChunkEvent ownChunk = chunk("s7", 1, ChunkStatus.COMPLETED, START.plusSeconds(3));
        ownChunk.setUserId("user-1");
        chunks.pipeInput("s7", ownChunk);

        // then both foreign events are dead letters with the reason, and only the owner's chunk counts
        assertThat(chunkLetters.readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVARIANT_VIOLATION);
            assertThat(letter.getDescription()).contains("\"user-2\"").contains("of user \"user-1\"");
        });
        assertThat(uploadLetters.readValuesToList()).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.INVARIANT_VIOLATION);
        UploadSession session = store.get("s7");
        assertThat(session.getUserId()).isEqualTo("user-1");
        assertThat(session.getStatus()).isEqualTo(UploadSessionStatus.UPLOADING);
        assertThat(session.getCompletedChunks()).isEqualTo(1);
    }

    @Test
    void shouldLetOnlyTheStartMakeAUserTheOwnerAndDiscardAnotherUsersPreStartChunks() {
        // given: user-2 reports chunks (and progress) for a session nobody started yet
        var uploadLetters = topology.deadLetters(topics.uploadEvents());
        var chunkLetters = topology.deadLetters(topics.chunkEvents());
        chunks.pipeInput("s8", chunkOf("s8", 0, "user-2", START.plusSeconds(1)));
        chunks.pipeInput("s8", chunkOf("s8", 1, "user-2", START.plusSeconds(1)));
        UploadEvent squat = upload("s8", UploadAction.PROGRESS, START.plusSeconds(2));
        squat.setUserId("user-2");
        squat.setFileName("not-yours.bin");
        uploads.pipeInput("s8", squat);

        // then nothing is published: the session has no owner yet
        assertThat(sessions.isEmpty()).isTrue();
        assertThat(store.get("s8").getUserId()).isEqualTo("user-2");

        // when user-1 starts it, then reports a chunk of its own
        uploads.pipeInput("s8", upload("s8", UploadAction.START, START));
        chunks.pipeInput("s8", chunkOf("s8", 2, "user-1", START.plusSeconds(3)));

        // then the start wins: user-1 owns it and user-2's pre-start state is gone and counted
        UploadSession session = store.get("s8");
        assertThat(session.getUserId()).isEqualTo("user-1");
        assertThat(session.getFileName()).isEqualTo("a.bin");
        assertThat(session.getCompletedChunks()).isEqualTo(1);
        assertThat(session.getCompletedChunkRanges()).containsExactly(new ChunkRange(2, 2));
        assertThat(topology.dropped(UploadSessionProcessor.NAME, "foreign-pre-start")).isEqualTo(1.0);
        assertThat(sessions.readValuesToList()).isNotEmpty().allSatisfy(published -> {
            assertThat(published.getUserId()).isEqualTo("user-1");
            assertThat(published.getCompletedChunkRanges()).doesNotContain(new ChunkRange(0, 1));
        });

        // when user-2 keeps reporting chunks after the start
        chunks.pipeInput("s8", chunkOf("s8", 0, "user-2", START.plusSeconds(4)));

        // then they are dead letters, as any other user's events for a started session
        assertThat(chunkLetters.readValuesToList()).singleElement()
                .satisfies(letter -> assertThat(letter.getDescription()).contains("\"user-2\"").contains("of user \"user-1\""));
        assertThat(uploadLetters.isEmpty()).isTrue();
        assertThat(store.get("s8").getCompletedChunks()).isEqualTo(1);
    }

    @Test
    void shouldAdoptTheStartingUsersOwnPreStartChunksAndDeadLetterASecondClaimantBeforeTheStart() {
        // given
        var chunkLetters = topology.deadLetters(topics.chunkEvents());
        chunks.pipeInput("s9", chunkOf("s9", 0, "user-1", START.plusSeconds(1)));

        // when another user claims the same unstarted session, then the first one starts it
        chunks.pipeInput("s9", chunkOf("s9", 1, "user-3", START.plusSeconds(1)));
        uploads.pipeInput("s9", upload("s9", UploadAction.START, START));

        // then
        assertThat(chunkLetters.readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVARIANT_VIOLATION);
            assertThat(letter.getDescription()).contains("before the start").contains("\"user-3\"");
        });
        UploadSession session = sessions.readValue();
        assertThat(session.getUserId()).isEqualTo("user-1");
        assertThat(session.getCompletedChunks()).isEqualTo(1);
        assertThat(topology.dropped(UploadSessionProcessor.NAME, "foreign-pre-start")).isZero();
    }

    @Test
    void shouldNotLetASquattersLaterEventTimesMakeTheRealStartLate() {
        // given: user-2's pre-start chunk claims a time 6 minutes ahead (the most the clock check allows)
        chunks.pipeInput("s10", chunkOf("s10", 0, "user-2", START.plus(Duration.ofMinutes(6))));

        // when: user-1's start comes from a client whose clock is 5 minutes behind, 11 minutes before
        // the squatter's time, more than the 10-minute grace
        uploads.pipeInput("s10", upload("s10", UploadAction.START, START.minus(Duration.ofMinutes(5))));

        // then the start is applied, not dropped as late
        assertThat(store.get("s10").getUserId()).isEqualTo("user-1");
        assertThat(store.get("s10").getCompletedChunks()).isZero();
        assertThat(sessions.readValue().getUserId()).isEqualTo("user-1");
        assertThat(topology.dropped(UploadSessionProcessor.NAME, "late")).isZero();
    }

    @Test
    void shouldExpireIdleSessions() {
        // given
        uploads.pipeInput("s6", upload("s6", UploadAction.START, START));
        sessions.readValuesToList();

        // when
        topology.driver().advanceWallClockTime(Duration.ofMinutes(31));

        // then
        UploadSession expired = sessions.readValue();
        assertThat(expired.getStatus()).isEqualTo(UploadSessionStatus.EXPIRED);
        assertThat(store.get("s6").getStatus()).isEqualTo(UploadSessionStatus.EXPIRED);
    }

    static UploadEvent upload(String sessionId, UploadAction action, Instant at) {
        return UploadEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(at).setReceivedAt(at)
                .setAction(action).setSessionId(sessionId).setUserId("user-1").setFileHash(HASH).setFileName("a.bin")
                .setFileSize(4_000L).setChunkSize(1_000).setTotalChunks(4).build();
    }

    static ChunkEvent chunk(String sessionId, int index, ChunkStatus status, Instant at) {
        return ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(at).setReceivedAt(at)
                .setSessionId(sessionId).setChunkIndex(index).setStatus(status).setEdgeId("edge-fra")
                .setChunkBytes(1_000L).setDurationMs(100L).build();
    }

    static ChunkEvent chunkOf(String sessionId, int index, String userId, Instant at) {
        ChunkEvent chunk = chunk(sessionId, index, ChunkStatus.COMPLETED, at);
        chunk.setUserId(userId);
        return chunk;
    }
}
