package io.jettyspeed.processors;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.processors.sessions.UploadSessionsConfig;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.users.UserStatsConfig;
import io.jettyspeed.processors.users.UserStatsTopology;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State is bounded: finished and expired sessions leave the store after the retention and are
 * tombstoned on the compacted topic, sessions that never started are forgotten, user-stats
 * contributions leave their store after theirs — each sweep reading only the due entries of a
 * deadline index — and the store sizes are metrics.
 */
class StateRetentionTopologyTest {

    static final Topics topics = Topics.of("test.", 6);
    static final String HASH = "c".repeat(64);

    @Nested
    class Sessions {

        @TempDir(factory = MemoryTempDirs.class)
        Path stateDir;

        @Test
        void shouldDeleteAndTombstoneFinishedAndExpiredSessionsAfterTheRetentionAndForgetUnstartedOnes() {
            try (TopologyTestDriver driver = TestDrivers.driver(
                    TestDrivers.topology(UploadSessionsTopology::build, topics, UploadSessionsConfig.defaults()), stateDir)) {
                // given: a completed, an idle and a never-started session
                var uploads = TestDrivers.input(driver, topics.uploadEvents());
                var chunks = TestDrivers.input(driver, topics.chunkEvents());
                var sessions = TestDrivers.output(driver, topics.uploadSessions());
                KeyValueStore<String, UploadSession> store = driver.getKeyValueStore(StoreNames.UPLOAD_SESSIONS);
                KeyValueStore<String, String> deadlines = driver.getKeyValueStore(StoreNames.UPLOAD_SESSION_DEADLINES);
                uploads.pipeInput("s-done", upload("s-done", UploadAction.START, START));
                uploads.pipeInput("s-done", upload("s-done", UploadAction.COMPLETE, START.plusSeconds(5)));
                uploads.pipeInput("s-idle", upload("s-idle", UploadAction.START, START));
                chunks.pipeInput("s-orphan", chunk("s-orphan", START));
                sessions.readValuesToList();

                // when: the idle timeout passes
                driver.advanceWallClockTime(Duration.ofMinutes(31));

                // then the idle session expired, the unstarted one is forgotten without a tombstone
                assertThat(sessions.readKeyValuesToList()).singleElement().satisfies(kv -> {
                    assertThat(kv.key).isEqualTo("s-idle");
                    assertThat(kv.value.getStatus()).isEqualTo(UploadSessionStatus.EXPIRED);
                });
                assertThat(keys(store)).containsExactlyInAnyOrder("s-done", "s-idle");
                assertThat(TestDrivers.dropped(driver, "upload-sessions", "unannounced-expired")).isEqualTo(1.0);

                // when: the retention (7 days) passes
                driver.advanceWallClockTime(Duration.ofDays(7));

                // then both are deleted, the topic gets a tombstone for each, the index is empty too
                List<KeyValue<String, UploadSession>> tombstones = sessions.readKeyValuesToList();
                assertThat(tombstones).extracting(kv -> kv.key).containsExactlyInAnyOrder("s-done", "s-idle");
                assertThat(tombstones).allSatisfy(kv -> assertThat(kv.value).isNull());
                assertThat(keys(store)).isEmpty();
                assertThat(keys(deadlines)).isEmpty();
                // and both stores' sizes are metrics (RocksDB's estimate, so only their presence is exact)
                assertThat(storeEntryMetrics(driver, "upload-sessions"))
                        .containsExactlyInAnyOrder(StoreNames.UPLOAD_SESSIONS, StoreNames.UPLOAD_SESSION_DEADLINES);
            }
        }

        @Test
        void shouldSweepOnlyTheDueSessionsOfThousandsThroughTheDeadlineIndex() {
            try (TopologyTestDriver driver = TestDrivers.driver(
                    TestDrivers.topology(UploadSessionsTopology::build, topics, UploadSessionsConfig.defaults()), stateDir)) {
                // given: 5 sessions started now, 2,000 started 20 minutes later
                var uploads = TestDrivers.input(driver, topics.uploadEvents());
                KeyValueStore<String, UploadSession> store = driver.getKeyValueStore(StoreNames.UPLOAD_SESSIONS);
                for (int i = 0; i < 5; i++) {
                    uploads.pipeInput("early-" + i, upload("early-" + i, UploadAction.START, START));
                }
                driver.advanceWallClockTime(Duration.ofMinutes(20));
                Instant later = START.plus(Duration.ofMinutes(20));
                for (int i = 0; i < 2_000; i++) {
                    uploads.pipeInput("late-" + i, upload("late-" + i, UploadAction.START, later));
                }
                double visitedBefore = visited(driver);

                // when: the early ones' idle timeout passes, not the later ones'
                driver.advanceWallClockTime(Duration.ofMinutes(11));

                // then the sweep read exactly the 5 due entries, not the 2,005 sessions
                assertThat(visitedBefore).isZero();
                assertThat(visited(driver)).isEqualTo(5.0);
                assertThat(store.get("early-0").getStatus()).isEqualTo(UploadSessionStatus.EXPIRED);
                assertThat(store.get("late-1999").getStatus()).isEqualTo(UploadSessionStatus.STARTED);
                assertThat(keys(driver.<String, String>getKeyValueStore(StoreNames.UPLOAD_SESSION_DEADLINES))).hasSize(2_005);
            }
        }

        private double visited(TopologyTestDriver driver) {
            return TestDrivers.metric(driver, "deadline-index-visited-total", "upload-sessions",
                    Map.of("store", StoreNames.UPLOAD_SESSION_DEADLINES));
        }
    }

    @Nested
    class UserContributions {

        @TempDir(factory = MemoryTempDirs.class)
        Path stateDir;

        @Test
        void shouldDropDueContributionsOnlyAndKeepTheStatsAndIgnoreSessionTombstones() {
            try (TopologyTestDriver driver = TestDrivers.driver(TestDrivers.topology(UserStatsTopology::build, topics, UserStatsConfig.defaults()),
                    stateDir)) {
                // given: one finished session, and 100 whose last activity is a week later
                var sessions = TestDrivers.input(driver, topics.uploadSessions());
                var rawSessions = TestDrivers.rawInput(driver, topics.uploadSessions());
                var stats = TestDrivers.output(driver, topics.userStats());
                KeyValueStore<String, UploadSession> contributions = driver.getKeyValueStore(StoreNames.USER_SESSION_CONTRIBUTIONS);
                sessions.pipeInput("s-old", session("s-old", START));
                for (int i = 0; i < 100; i++) {
                    sessions.pipeInput("s-new-" + i, session("s-new-" + i, START.plus(Duration.ofDays(7))));
                }
                UserStats before = driver.<String, UserStats>getKeyValueStore(StoreNames.USER_STATS).get("alice");
                stats.readValuesToList();

                // when: the upload-sessions topology tombstones the old session, and its retention
                // here (7 days + 1) passes
                rawSessions.pipeInput("s-old".getBytes(StandardCharsets.UTF_8), (byte[]) null);
                driver.advanceWallClockTime(UserStatsConfig.defaults().retention().plusHours(1));

                // then its contribution is gone, the 100 others stay, the sweep read one entry, the
                // tombstone changed nothing and the user's totals still count the session
                assertThat(contributions.get("alice\u0000s-old")).isNull();
                assertThat(keys(contributions)).hasSize(100);
                assertThat(TestDrivers.metric(driver, "deadline-index-visited-total", "user-stats",
                        Map.of("store", StoreNames.USER_CONTRIBUTION_DEADLINES))).isEqualTo(1.0);
                assertThat(TestDrivers.dropped(driver, "user-upload-sessions-decode", "tombstone")).isEqualTo(1.0);
                assertThat(stats.isEmpty()).isTrue();
                UserStats after = driver.<String, UserStats>getKeyValueStore(StoreNames.USER_STATS).get("alice");
                assertThat(after).isEqualTo(before);
                assertThat(after.getUploadsCompleted()).isEqualTo(101);
                assertThat(storeEntryMetrics(driver, "user-stats")).containsExactlyInAnyOrder(StoreNames.USER_STATS,
                        StoreNames.USER_SESSION_CONTRIBUTIONS, StoreNames.USER_CONTRIBUTION_DEADLINES);
            }
        }
    }

    /** The stores that have a {@code store-entries} metric for a processor. */
    static List<String> storeEntryMetrics(TopologyTestDriver driver, String processor) {
        return driver.metrics().keySet().stream()
                .filter(name -> name.name().equals("store-entries") && processor.equals(name.tags().get("processor")))
                .map(name -> name.tags().get("store"))
                .toList();
    }

    static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    static UploadEvent upload(String sessionId, UploadAction action, Instant at) {
        return UploadEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(at).setReceivedAt(at)
                .setAction(action).setSessionId(sessionId).setUserId("alice").setFileHash(HASH).setFileName("a.bin")
                .setFileSize(4_000L).setChunkSize(1_000).setTotalChunks(4).build();
    }

    static ChunkEvent chunk(String sessionId, Instant at) {
        return ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(at).setReceivedAt(at)
                .setSessionId(sessionId).setChunkIndex(0).setStatus(ChunkStatus.COMPLETED).build();
    }

    static UploadSession session(String sessionId, Instant lastActivity) {
        return UploadSession.newBuilder().setSessionId(sessionId).setUserId("alice").setFileHash(HASH)
                .setFileSize(3_000L).setPlan(Plan.PRO).setStatus(UploadSessionStatus.COMPLETED)
                .setCompletedChunkRanges(List.of()).setCompletedChunks(0).setFailedChunks(0).setBytesUploaded(3_000L)
                .setStartedAt(START).setUpdatedAt(START).setCompletedAt(START)
                .setThroughputBytesPerSecond(1_000_000.0).setAnnounced(true).setLastActivityAt(lastActivity).build();
    }
}
