package io.jettyspeed.sink.users;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Latest per-user totals into {@code user_stats}. */
@Component
public final class UserStatsWriter extends TableWriter<UserStats> {

    private static final Columns<UserStats> COLUMNS = Columns.fields(UserStats.getClassSchema(),
            "user_id", "plan", "quota_bytes", "storage_used_bytes", "uploads_started", "uploads_completed",
            "uploads_failed", "uploads_expired", "bytes_uploaded", "clones", "bytes_saved", "seconds_saved",
            "throughput_p50", "throughput_p90", "throughput_p99", "updated_at");

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
