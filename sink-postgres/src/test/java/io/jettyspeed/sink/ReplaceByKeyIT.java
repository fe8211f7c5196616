package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.testing.PostgresPlans;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SqlRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statement that replaces a batch's rows by key, on the real PostgreSQL, with the plan PostgreSQL caches
 * for a prepared statement (a generic plan) made while the table was empty and kept while it grows.
 */
class ReplaceByKeyIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @Test
    void shouldNotTestEveryRowAgainstTheBatchsKeysWhenThePlanWasCachedForAnEmptyTable() throws SQLException {
        // given: the delete's generic plan made while user_stats was empty, and the table grown to 20,100 rows since
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema()).load().migrate();
        String delete = ((TableWriter.ReplaceByKey) TableWriter.Write.replaceByKey("user_stats", "user_id")).deleteSql();
        // half of the batch's 2,000 keys are stored users, half new ones
        String keys = IntStream.range(19_100, 21_100).mapToObj(i -> "user-" + i).collect(Collectors.joining(",", "{", "}"));
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            PostgresPlans.cacheGenericPlan(c, "user_stats", "replace_batch", delete, "text[]", keys);
            s.execute("INSERT INTO user_stats (user_id, plan, quota_bytes, storage_used_bytes, uploads_started,"
                    + " uploads_completed, uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,"
                    + " updated_at) SELECT 'user-' || g, 'free', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, now()"
                    + " FROM generate_series(0, 20099) AS g");

            // when
            StringBuilder plan = new StringBuilder();
            long rowsTestedAgainstTheKeys = PostgresPlans.rowsRemovedByFilter(c, "EXECUTE replace_batch('" + keys + "')", plan);

            // then: the keys are joined (hashed or probed), never tested row by row (the earlier `user_id = ANY(?)`
            // filtered all 19,100 other rows against the 2,000 keys, 375 ms; it grows with rows times keys)
            assertThat(rowsTestedAgainstTheKeys).as(plan.toString()).isZero();
            assertThat(SqlRows.query(c, "SELECT count(*) FROM user_stats")).containsExactly("19100");
        }
    }
}
