package io.jettyspeed.sink.users;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Latest per-user totals into {@code user_stats}. */
@Component
public final class UserStatsWriter extends TableWriter<UserStats> {

    private static final Columns<UserStats> COLUMNS = new Columns<UserStats>()
            .text("user_id", UserStats::getUserId)
            .text("plan", s -> s.getPlan().name())
            .int8("quota_bytes", UserStats::getQuotaBytes)
            .int8("storage_used_bytes", UserStats::getStorageUsedBytes)
            .int8("uploads_started", UserStats::getUploadsStarted)
            .int8("uploads_completed", UserStats::getUploadsCompleted)
            .int8("uploads_failed", UserStats::getUploadsFailed)
            .int8("uploads_expired", UserStats::getUploadsExpired)
            .int8("bytes_uploaded", UserStats::getBytesUploaded)
            .int8("clones", UserStats::getClones)
            .int8("bytes_saved", UserStats::getBytesSaved)
            .float8("seconds_saved", UserStats::getSecondsSaved)
            .float8("throughput_p50", UserStats::getThroughputP50)
            .float8("throughput_p90", UserStats::getThroughputP90)
            .float8("throughput_p99", UserStats::getThroughputP99)
            .timestamptz("updated_at", UserStats::getUpdatedAt);

    public UserStatsWriter(Topics topics) {
        super(topics.userStats(), COLUMNS, Write.replaceByKey("user_stats", "user_id"));
    }

    @Override
    public void check(UserStats stats) {
        if (stats.getQuotaBytes() <= 0 || stats.getStorageUsedBytes() < 0 || stats.getBytesUploaded() < 0) {
            throw new InvariantViolation("impossible totals for user " + stats.getUserId());
        }
    }
}
