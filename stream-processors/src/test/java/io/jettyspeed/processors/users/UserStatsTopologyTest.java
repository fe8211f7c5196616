package io.jettyspeed.processors.users;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.TopologyFixture;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UserStatsTopologyTest {

    @RegisterExtension
    final TopologyFixture topology = TopologyFixture.of(UserStatsTopology::build, UserStatsConfig.defaults());
    private final Topics topics = topology.topics();

    @Test
    void shouldCountEachSessionOnceHoweverOftenItIsPublishedAndAddClonesOnce() {
        // given
        var sessions = topology.input(topics.uploadSessions());
        var clones = topology.input(topics.dedupClones());
        var stats = topology.output(topics.userStats());

        // when
        sessions.pipeInput("s1", session("s1", UploadSessionStatus.STARTED, 0, null));
        sessions.pipeInput("s1", session("s1", UploadSessionStatus.UPLOADING, 1_000_000, null));
        sessions.pipeInput("s1", session("s1", UploadSessionStatus.COMPLETED, 3_000_000, 1_000_000.0));
        sessions.pipeInput("s1", session("s1", UploadSessionStatus.COMPLETED, 3_000_000, 1_000_000.0));
        sessions.pipeInput("s2", session("s2", UploadSessionStatus.FAILED, 500, null));
        DedupClone clone = DedupClone.newBuilder().setEventId("check:1").setFileHash("d".repeat(64)).setUserId("user-1")
                .setOwnerUserId("user-2").setKind(CloneKind.INSTANT_CLONE).setFileSize(2_000_000L)
                .setBytesSaved(2_000_000L).setEstimatedSecondsSaved(0.16).setClonedAt(START.plusSeconds(5)).build();
        clones.pipeInput("user-1", clone);
        clones.pipeInput("user-1", clone);

        // then
        UserStats user = topology.<String, UserStats>store(StoreNames.USER_STATS).get("user-1");
        assertThat(user.getUploadsStarted()).isEqualTo(2);
        assertThat(user.getUploadsCompleted()).isEqualTo(1);
        assertThat(user.getUploadsFailed()).isEqualTo(1);
        assertThat(user.getBytesUploaded()).isEqualTo(3_000_500);
        assertThat(user.getStorageUsedBytes()).isEqualTo(5_000_000);
        assertThat(user.getClones()).isEqualTo(1);
        assertThat(user.getBytesSaved()).isEqualTo(2_000_000);
        assertThat(user.getPlan()).isEqualTo(Plan.PRO);
        assertThat(user.getQuotaBytes()).isEqualTo(20_000_000_000L);
        assertThat(user.getThroughputP50()).isBetween(900_000.0, 1_100_000.0);
        assertThat(stats.readValuesToList()).last().isEqualTo(user);
    }

    static UploadSession session(String sessionId, UploadSessionStatus status, long bytes, Double throughput) {
        return UploadSession.newBuilder().setSessionId(sessionId).setUserId("user-1").setFileHash("e".repeat(64))
                .setFileSize(3_000_000L).setPlan(Plan.PRO).setStatus(status)
                .setCompletedChunkRanges(List.of()).setCompletedChunks(0).setFailedChunks(0)
                .setBytesUploaded(bytes).setStartedAt(START).setUpdatedAt(START.plusSeconds(3))
                .setThroughputBytesPerSecond(throughput).setAnnounced(true).setLastActivityAt(START).build();
    }
}
