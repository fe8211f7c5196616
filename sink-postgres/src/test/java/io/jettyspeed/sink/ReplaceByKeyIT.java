package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.testing.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statement that replaces a batch's rows by key, on the real PostgreSQL, with the plan PostgreSQL caches
 * for a prepared statement (a generic plan) made while the table was nearly empty and kept while it grows.
 */
class ReplaceByKeyIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    private static final Pattern ROWS_REMOVED_BY_FILTER = Pattern.compile("Rows Removed by Filter: (\\d+)");

    @Test
    void shouldNotTestEveryRowAgainstTheBatchsKeysWhenThePlanWasCachedForAnEmptyTable() throws SQLException {
        // given: user_stats analysed while empty (a new deployment, a truncated table), the delete's generic plan
        // made and cached then, and the table grown to 20,100 rows without a new analysis
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema()).load().migrate();
        String delete = ((TableWriter.ReplaceByKey) TableWriter.Write.replaceByKey("user_stats", "user_id")).deleteSql();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE user_stats");
            // what PostgreSQL does from a prepared statement's sixth execution on when the generic plan looks as cheap
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE replace_batch(text[]) AS " + delete.replace("?", "$1"));
            // half of the batch's 2,000 keys are stored users, half new ones
            String keys = IntStream.range(19_100, 21_100).mapToObj(i -> "user-" + i).collect(Collectors.joining(",", "{", "}"));
            s.execute("EXECUTE replace_batch('" + keys + "')");
            insertUsers(s, 0, 20_100);

            // when
            String plan = explainAnalyze(s, "EXECUTE replace_batch('" + keys + "')");

            // then: the keys are joined (hashed or probed), never tested row by row (the earlier `user_id = ANY(?)`
            // filtered all 19,100 other rows against the 2,000 keys, 375 ms; it grows with rows times keys)
            Matcher removed = ROWS_REMOVED_BY_FILTER.matcher(plan);
            long rowsTestedAgainstTheArray = 0;
            while (removed.find()) {
                rowsTestedAgainstTheArray += Long.parseLong(removed.group(1));
            }
            assertThat(rowsTestedAgainstTheArray).as(plan).isZero();
            assertThat(count(s, "SELECT count(*) FROM user_stats")).isEqualTo(19_100);
        }
    }

    private static void insertUsers(Statement s, int from, int to) throws SQLException {
        s.execute("INSERT INTO user_stats (user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed,"
                + " uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved, updated_at)"
                + " SELECT 'user-' || g, 'free', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, now() FROM generate_series(" + from + ", "
                + (to - 1) + ") AS g");
    }

    private static String explainAnalyze(Statement s, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = s.executeQuery("EXPLAIN (ANALYZE) " + sql)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
