package io.jettyspeed.processors.users;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.errors.EntryLimits;
import io.jettyspeed.processors.errors.EventIdDeduplicator;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.errors.Sources;
import io.jettyspeed.processors.errors.Violation;
import io.jettyspeed.processors.skeleton.Outputs;
import io.jettyspeed.processors.skeleton.Repartitions;
import io.jettyspeed.processors.state.AggregateStores;
import io.jettyspeed.processors.sessions.UploadSessionsTopology;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UserStats;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Per-user stats: uploads started/completed/failed/expired, bytes, dedup savings, throughput
 * percentiles and storage used against the plan's quota.
 *
 * <p>Inputs: {@code jetty.upload-sessions.v1} (repartitioned by userId through
 * {@code user-sessions-by-user}; its DLT is owned by the dedup topology) and
 * {@code jetty.dedup-clones.v1} (key userId; owned). Output: {@code jetty.user-stats.v1}
 * (compacted, key userId). Stores: {@link StoreNames#USER_STATS},
 * {@link StoreNames#USER_SESSION_CONTRIBUTIONS}, {@link StoreNames#USER_CONTRIBUTION_DEADLINES},
 * {@link StoreNames#USER_EVENT_IDS}.
 *
 * <p>Sessions are checked like the dedup index checks them (its topology dead-letters the bad ones,
 * here they are counted and dropped); clones by their own bounds. Tombstones of sessions whose
 * retention is over are ignored (counted as dropped, reason {@code tombstone}): a finished
 * session keeps counting in its user's totals.
 *
 * <p>Storage used = file sizes of completed uploads plus instant clones (the user has those files
 * too); quotas in decimal GB ({@link Quotas}).
 */
public final class UserStatsTopology {

    private UserStatsTopology() {
    }

    public static Topology build(StreamsBuilder builder, Topics topics, UserStatsConfig config, OutputGuard guard) {
        builder.addStateStore(AggregateStores.of(StoreNames.USER_STATS, UserStats.class));
        builder.addStateStore(AggregateStores.of(StoreNames.USER_SESSION_CONTRIBUTIONS, UploadSession.class));
        builder.addStateStore(DeadlineIndex.storeBuilder(StoreNames.USER_CONTRIBUTION_DEADLINES));
        builder.addStateStore(EventIdDeduplicator.storeBuilder(StoreNames.USER_EVENT_IDS, config.dedupWindow()));

        KStream<String, UserInput> sessions = Sources.decoded(builder, topics.uploadSessions(), "user-upload-sessions",
                        (key, session, now) -> UploadSessionsTopology.checkSession(key, session, now, config.maxClockSkew()),
                        false, guard)
                .filter((sessionId, session) -> session.getUserId() != null, Named.as("user-sessions-with-user"))
                .selectKey((sessionId, session) -> session.getUserId(), Named.as("user-key-by-user"))
                .repartition(Repartitions.of(UploadSession.class, "user-sessions-by-user", topics.dedupClones().partitions()))
                .mapValues(UserInput.SessionVersion::new, Named.as("user-session-values"));
        KStream<String, UserInput> clones = Sources.decoded(builder, topics.dedupClones(), "user-dedup-clones",
                        (key, clone, now) -> checkClone(key, clone, now, config.maxClockSkew()), true, guard)
                .mapValues(UserInput.Clone::new, Named.as("user-clone-values"));

        KStream<String, UserStats> stats = sessions.merge(clones, Named.as("user-inputs"))
                .process(() -> new UserStatsProcessor(config), Named.as(UserStatsProcessor.NAME),
                        StoreNames.USER_STATS, StoreNames.USER_SESSION_CONTRIBUTIONS, StoreNames.USER_CONTRIBUTION_DEADLINES,
                        StoreNames.USER_EVENT_IDS);
        Outputs.to(stats, topics.userStats(), "user-stats-sink", guard);
        return builder.build();
    }

    /**
     * A clone's event id is the dedup check's or the session's id with a short prefix ({@code check:},
     * {@code upload:}); its time was accepted against the dedup index's host clock, so it may lie
     * ahead of this one's by twice the skew.
     */
    static Optional<Violation> checkClone(String key, DedupClone clone, long now, Duration maxClockSkew) {
        return EntryLimits.check()
                .id("userId", clone.getUserId(), true)
                .key(key, "userId", clone.getUserId())
                .text("eventId", clone.getEventId(), EntryLimits.MAX_ID_LENGTH + 16, false)
                .require(!clone.getEventId().isEmpty(), "eventId is missing")
                .id("ownerUserId", clone.getOwnerUserId(), true)
                .id("sessionId", clone.getSessionId(), false)
                .sha256("fileHash", clone.getFileHash(), true)
                .range("fileSize", clone.getFileSize(), 0, EntryLimits.MAX_FILE_SIZE)
                .range("bytesSaved", clone.getBytesSaved(), 0, EntryLimits.MAX_FILE_SIZE)
                .between("estimatedSecondsSaved", clone.getEstimatedSecondsSaved(), 0, 1e12)
                .eventTime(clone.getClonedAt(), now, maxClockSkew.multipliedBy(2))
                .result();
    }
}
