package io.jettyspeed.processors.dedup;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.TopologyFixture;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DedupIndexTopologyTest {

    private static final String HASH = "b".repeat(64);
    @RegisterExtension
    final TopologyFixture topology = TopologyFixture.of(DedupIndexTopology::build, DedupIndexConfig.defaults());
    private final Topics topics = topology.topics();
    private final TestInputTopic<String, UploadSession> sessions = topology.input(topics.uploadSessions());
    private final TestInputTopic<String, DedupCheck> checks = topology.input(topics.dedupChecks());
    private final TestOutputTopic<String, StoredFile> files = topology.output(topics.fileIndex());
    private final TestOutputTopic<String, DedupClone> clones = topology.output(topics.dedupClones());

    @Test
    void shouldResolveRacingFirstUploadsToOneCanonicalFileAndOneClone() {
        // when: two users complete the same content, and the first completion is re-published
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 0));
        sessions.pipeInput("s-bob", completed("s-bob", "bob", 1));
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 2));

        // then
        StoredFile file = topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH);
        assertThat(file.getOwnerUserId()).isEqualTo("alice");
        assertThat(file.getReferenceCount()).isEqualTo(2);
        assertThat(file.getCloneCount()).isEqualTo(1);
        assertThat(file.getBytesSaved()).isEqualTo(5_000_000);
        assertThat(files.readValuesToList()).hasSize(2).last().isEqualTo(file);
        List<DedupClone> facts = clones.readValuesToList();
        assertThat(facts).singleElement().satisfies(clone -> {
            assertThat(clone.getUserId()).isEqualTo("bob");
            assertThat(clone.getKind()).isEqualTo(CloneKind.DUPLICATE_UPLOAD);
            assertThat(clone.getEventId()).isEqualTo("upload:s-bob");
        });
    }

    @Test
    void shouldRecordAnInstantCloneForACheckDuplicateHitOnce() {
        // given
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 0));
        DedupCheck check = DedupCheck.newBuilder().setEventId("check-1").setEventTime(START).setReceivedAt(START)
                .setFileHash(HASH).setUserId("carol").setSource(DedupCheckSource.CHECK_DUPLICATE).build();

        // when
        checks.pipeInput(HASH, check);
        checks.pipeInput(HASH, check);
        checks.pipeInput("c".repeat(64), DedupCheck.newBuilder(check).setEventId("check-2").setFileHash("c".repeat(64)).build());

        // then
        DedupClone clone = clones.readValue();
        assertThat(clone.getKind()).isEqualTo(CloneKind.INSTANT_CLONE);
        assertThat(clone.getBytesSaved()).isEqualTo(5_000_000);
        assertThat(clone.getEstimatedSecondsSaved()).isEqualTo(0.4);
        assertThat(clones.isEmpty()).isTrue();
        assertThat(topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH).getCloneCount()).isEqualTo(1);
    }

    @Test
    void shouldCloneACheckThatArrivedBeforeItsCompletionOnceTheCompletionComes() {
        // given: a re-read, where the hit (delivered twice) is read before the completion it was answered from
        DedupCheck check = check("check-1", "carol");
        checks.pipeInput(HASH, check);
        checks.pipeInput(HASH, check);
        assertThat(clones.isEmpty()).isTrue();

        // when
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 0));
        checks.pipeInput(HASH, check);
        topology.driver().advanceWallClockTime(DedupIndexConfig.defaults().checkWait().plusMinutes(2));

        // then: one instant clone, as if the check had come after the completion
        assertThat(clones.readValuesToList()).singleElement().satisfies(clone -> {
            assertThat(clone.getKind()).isEqualTo(CloneKind.INSTANT_CLONE);
            assertThat(clone.getEventId()).isEqualTo("check:check-1");
            assertThat(clone.getUserId()).isEqualTo("carol");
            assertThat(clone.getOwnerUserId()).isEqualTo("alice");
            assertThat(clone.getBytesSaved()).isEqualTo(5_000_000);
            assertThat(clone.getEstimatedSecondsSaved()).isEqualTo(0.4);
            assertThat(clone.getClonedAt()).isEqualTo(check.getEventTime());
        });
        StoredFile file = topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH);
        assertThat(file.getCloneCount()).isEqualTo(1);
        assertThat(file.getReferenceCount()).isEqualTo(2);
        assertThat(file.getBytesSaved()).isEqualTo(5_000_000);
        assertThat(entries(StoreNames.DEDUP_WAITING_CHECKS)).isZero();
        // The matched check's deadline entry is skipped by the sweep, not counted as a drop.
        assertThat(topology.dropped(DedupIndexProcessor.NAME, "check-without-completion")).isZero();
        assertThat(entries(StoreNames.DEDUP_WAITING_CHECK_DEADLINES)).isZero();
    }

    @Test
    void shouldDropAndCountACheckWhoseCompletionNeverComesWithinTheWait() {
        // given
        checks.pipeInput(HASH, check("check-1", "carol"));
        topology.driver().advanceWallClockTime(DedupIndexConfig.defaults().checkWait().minusMinutes(2));
        assertThat(topology.dropped(DedupIndexProcessor.NAME, "check-without-completion")).isZero();

        // when: the wait ends before the completion comes
        topology.driver().advanceWallClockTime(Duration.ofMinutes(4));
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 0));

        // then
        assertThat(topology.dropped(DedupIndexProcessor.NAME, "check-without-completion")).isEqualTo(1);
        assertThat(clones.isEmpty()).isTrue();
        assertThat(entries(StoreNames.DEDUP_WAITING_CHECKS)).isZero();
        assertThat(topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH).getCloneCount()).isZero();
    }

    @Test
    void shouldKeepAtMostTheBoundOfChecksWaitingForOneHash() {
        // when: one check more than the bound waits for the same content
        for (int i = 0; i <= DedupIndexProcessor.MAX_WAITING_CHECKS_PER_HASH; i++) {
            checks.pipeInput(HASH, check("check-" + i, "user-" + i));
        }
        sessions.pipeInput("s-alice", completed("s-alice", "alice", 0));

        // then
        assertThat(topology.dropped(DedupIndexProcessor.NAME, "too-many-waiting-checks")).isEqualTo(1);
        assertThat(clones.readValuesToList()).hasSize(DedupIndexProcessor.MAX_WAITING_CHECKS_PER_HASH);
        assertThat(topology.<String, StoredFile>store(StoreNames.FILE_INDEX).get(HASH).getCloneCount())
                .isEqualTo(DedupIndexProcessor.MAX_WAITING_CHECKS_PER_HASH);
    }

    private long entries(String store) {
        try (var all = topology.store(store).all()) {
            long count = 0;
            for (; all.hasNext(); all.next()) {
                count++;
            }
            return count;
        }
    }

    private static DedupCheck check(String eventId, String userId) {
        return DedupCheck.newBuilder().setEventId(eventId).setEventTime(START.plusSeconds(3)).setReceivedAt(START.plusSeconds(3))
                .setFileHash(HASH).setUserId(userId).setSource(DedupCheckSource.CHECK_DUPLICATE).build();
    }

    static UploadSession completed(String sessionId, String userId, int secondsAfterStart) {
        return UploadSession.newBuilder().setSessionId(sessionId).setUserId(userId).setFileHash(HASH)
                .setFileSize(5_000_000L).setStatus(UploadSessionStatus.COMPLETED)
                .setCompletedChunkRanges(List.of()).setCompletedChunks(5).setFailedChunks(0)
                .setBytesUploaded(5_000_000L).setStartedAt(START).setUpdatedAt(START.plusSeconds(10 + secondsAfterStart))
                .setCompletedAt(START.plusSeconds(10)).setDurationMs(10_000L).setThroughputBytesPerSecond(500_000.0)
                .setAnnounced(true).setLastActivityAt(START).build();
    }
}
