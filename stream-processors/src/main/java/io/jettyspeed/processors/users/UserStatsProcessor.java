package io.jettyspeed.processors.users;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.skeleton.EventProcessor;
import io.jettyspeed.processors.state.DeadlineIndex;
import io.jettyspeed.schemas.CloneKind;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.schemas.UserStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds session updates and clone facts into {@link UserStats}. A session is published many times
 * as it progresses, so the processor keeps the version it last counted and applies the difference
 * (new contribution minus old): counts stay exact however often, and in whatever status order, a
 * session is re-published.
 *
 * <p>The kept versions ({@link StoreNames#USER_SESSION_CONTRIBUTIONS}) are dropped {@code retention}
 * after their session's last activity, found through the deadline index
 * {@link StoreNames#USER_CONTRIBUTION_DEADLINES} (the sweep reads only due entries, at most
 * {@link #MAX_SWEEP_ENTRIES} per run). The stats themselves are one record per user and stay.
 *
 * <p>A {@code UserStats} is at most about 1.5 KB: a user id of at most 128 characters (3 bytes each
 * at worst), ten counters and four doubles, and the fixed 96-bucket throughput histogram (at most
 * 10 bytes per bucket).
 */
final class UserStatsProcessor extends EventProcessor<UserInput, UserStats> {

    static final String NAME = "user-stats";
    static final int MAX_SWEEP_ENTRIES = 10_000;

    private final UserStatsConfig config;
    private KeyValueStore<String, UserStats> stats;
    private KeyValueStore<String, UploadSession> contributions;
    private DeadlineIndex deadlines;

    UserStatsProcessor(UserStatsConfig config) {
        // No late check: sessions are applied as differences, clones are facts.
        super(NAME, StoreNames.USER_EVENT_IDS, config.dedupWindow(), null, config.sweepInterval());
        this.config = config;
    }

    @Override
    protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, UserStats> context) {
        this.stats = context.getStateStore(StoreNames.USER_STATS);
        this.contributions = context.getStateStore(StoreNames.USER_SESSION_CONTRIBUTIONS);
        this.deadlines = DeadlineIndex.open(context, StoreNames.USER_CONTRIBUTION_DEADLINES, config.sweepInterval(), NAME);
        return List.of(stats, contributions, deadlines.store());
    }

    @Override
    public void process(Record<String, UserInput> record) {
        String userId = record.key();
        UserStats stored = stats.get(userId); // each read decodes the stored stats: read once
        UserStats.Builder user = stored == null ? fresh(userId) : UserStats.newBuilder(stored);
        if (record.value() instanceof UserInput.SessionVersion version) {
            UploadSession session = version.value();
            String key = userId + '\u0000' + session.getSessionId();
            UploadSession previous = contributions.get(key);
            apply(user, previous, -1);
            apply(user, session, +1);
            if (session.getPlan() != null) {
                user.setPlan(session.getPlan()).setQuotaBytes(Quotas.quotaBytes(session.getPlan()));
            }
            contributions.put(key, session);
            deadlines.move(key, previous == null ? null : deadline(previous), deadline(session));
        } else {
            UserInput.Clone event = (UserInput.Clone) record.value();
            if (!firstTime(event)) {
                return;
            }
            DedupClone clone = event.value();
            user.setClones(user.getClones() + 1)
                    .setBytesSaved(user.getBytesSaved() + clone.getBytesSaved())
                    .setSecondsSaved(user.getSecondsSaved() + clone.getEstimatedSecondsSaved());
            if (clone.getKind() == CloneKind.INSTANT_CLONE) {
                // The user now has the file without uploading it; a duplicate upload was already counted by its session.
                user.setStorageUsedBytes(user.getStorageUsedBytes() + clone.getFileSize());
            }
        }
        Instant at = Instant.ofEpochMilli(record.value().eventTime());
        List<Long> histogram = user.getThroughputHistogram();
        user.setThroughputP50(ThroughputHistogram.percentile(histogram, 0.50))
                .setThroughputP90(ThroughputHistogram.percentile(histogram, 0.90))
                .setThroughputP99(ThroughputHistogram.percentile(histogram, 0.99));
        if (at.isAfter(user.getUpdatedAt())) {
            user.setUpdatedAt(at);
        }
        UserStats next = user.build();
        stats.put(userId, next);
        context.forward(new Record<>(userId, next, record.timestamp()));
    }

    /** Adds (sign +1) or removes (sign −1) what one version of a session contributes to its user's stats. */
    private static void apply(UserStats.Builder user, UploadSession session, int sign) {
        if (session == null) {
            return;
        }
        UploadSessionStatus status = session.getStatus();
        user.setUploadsStarted(user.getUploadsStarted() + sign)
                .setUploadsCompleted(user.getUploadsCompleted() + (status == UploadSessionStatus.COMPLETED ? sign : 0))
                .setUploadsFailed(user.getUploadsFailed() + (status == UploadSessionStatus.FAILED ? sign : 0))
                .setUploadsExpired(user.getUploadsExpired() + (status == UploadSessionStatus.EXPIRED ? sign : 0))
                .setBytesUploaded(user.getBytesUploaded() + sign * session.getBytesUploaded());
        if (status == UploadSessionStatus.COMPLETED) {
            long size = session.getFileSize() != null ? session.getFileSize() : session.getBytesUploaded();
            user.setStorageUsedBytes(user.getStorageUsedBytes() + sign * size);
            if (session.getThroughputBytesPerSecond() != null) {
                user.setThroughputHistogram(ThroughputHistogram.add(user.getThroughputHistogram(),
                        ThroughputHistogram.bucket(session.getThroughputBytesPerSecond()), sign));
            }
        }
    }

    /** When a kept version may go: {@code retention} after the session's last activity or its end, whichever is later. */
    private long deadline(UploadSession session) {
        long last = session.getLastActivityAt().toEpochMilli();
        if (session.getCompletedAt() != null) {
            last = Math.max(last, session.getCompletedAt().toEpochMilli());
        }
        return last + config.retention().toMillis();
    }

    /** Drops the kept versions whose deadline is due. */
    @Override
    protected void sweep(long now) {
        for (DeadlineIndex.Due due : deadlines.due(now, MAX_SWEEP_ENTRIES)) {
            UploadSession contribution = contributions.get(due.id());
            deadlines.remove(due);
            if (contribution == null) {
                continue;
            }
            if (deadlines.bucket(deadline(contribution)) == due.at()) {
                contributions.delete(due.id());
            } else {
                // Stale entry: the contribution was updated since, and its own deadline is indexed.
                deadlines.move(due.id(), null, deadline(contribution));
            }
        }
    }

    private static UserStats.Builder fresh(String userId) {
        return UserStats.newBuilder()
                .setUserId(userId)
                .setPlan(Plan.STARTER)
                .setQuotaBytes(Quotas.quotaBytes(Plan.STARTER))
                .setStorageUsedBytes(0)
                .setUploadsStarted(0)
                .setUploadsCompleted(0)
                .setUploadsFailed(0)
                .setUploadsExpired(0)
                .setBytesUploaded(0)
                .setClones(0)
                .setBytesSaved(0)
                .setSecondsSaved(0)
                .setThroughputHistogram(new ArrayList<>(java.util.Collections.nCopies(ThroughputHistogram.BUCKETS, 0L)))
                .setUpdatedAt(Instant.EPOCH);
    }
}
