package io.jettyspeed.sink.users;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Latest per-user totals into {@code user_stats}. */
@Component
public final class UserStatsWriter implements TableWriter<UserStats> {

    /**
     * One statement per batch, whatever its size: the columns travel as arrays and {@code unnest}
     * turns them back into rows (cheaper to parse, plan and send than a multi-row VALUES list).
     */
    private static final String UPSERT = """
            INSERT INTO user_stats (user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed,
                uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,
                throughput_p50, throughput_p90, throughput_p99, updated_at)
            SELECT user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed, uploads_failed,
                   uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved, p50, p90, p99,
                   to_timestamp(updated_ms / 1000.0)
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[],
                        ?::float8[], ?::bigint[])
                AS t(user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed,
                     uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,
                     p50, p90, p99, updated_ms)
            ON CONFLICT (user_id) DO UPDATE SET
                plan = excluded.plan, quota_bytes = excluded.quota_bytes,
                storage_used_bytes = excluded.storage_used_bytes, uploads_started = excluded.uploads_started,
                uploads_completed = excluded.uploads_completed, uploads_failed = excluded.uploads_failed,
                uploads_expired = excluded.uploads_expired, bytes_uploaded = excluded.bytes_uploaded,
                clones = excluded.clones, bytes_saved = excluded.bytes_saved, seconds_saved = excluded.seconds_saved,
                throughput_p50 = excluded.throughput_p50, throughput_p90 = excluded.throughput_p90,
                throughput_p99 = excluded.throughput_p99, updated_at = excluded.updated_at
            """;

    private final Topic<String, UserStats> topic;

    public UserStatsWriter(Topics topics) {
        this.topic = topics.userStats();
    }

    @Override
    public Topic<String, UserStats> topic() {
        return topic;
    }

    @Override
    public void check(UserStats stats) {
        if (stats.getQuotaBytes() <= 0 || stats.getStorageUsedBytes() < 0 || stats.getBytesUploaded() < 0) {
            throw new InvariantViolation("impossible totals for user " + stats.getUserId());
        }
    }

    @Override
    public void write(JdbcTemplate jdbc, List<UserStats> values) {
        List<UserStats> latest = Sql.latestPerKey(values, UserStats::getUserId);
        int n = latest.size();
        Columns c = new Columns(n, 16);
        for (int i = 0; i < n; i++) {
            UserStats s = latest.get(i);
            c.set(i, s.getUserId(), s.getPlan().name(), s.getQuotaBytes(), s.getStorageUsedBytes(),
                    s.getUploadsStarted(), s.getUploadsCompleted(), s.getUploadsFailed(), s.getUploadsExpired(),
                    s.getBytesUploaded(), s.getClones(), s.getBytesSaved(), s.getSecondsSaved(),
                    s.getThroughputP50(), s.getThroughputP90(), s.getThroughputP99(), s.getUpdatedAt().toEpochMilli());
        }
        jdbc.update(UPSERT, c.arrays(String[]::new, String[]::new, Long[]::new, Long[]::new, Long[]::new,
                Long[]::new, Long[]::new, Long[]::new, Long[]::new, Long[]::new, Long[]::new, Double[]::new,
                Double[]::new, Double[]::new, Double[]::new, Long[]::new));
    }
}
