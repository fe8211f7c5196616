package io.jettyspeed.sink.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.testing.PostgresPlans;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SqlRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's statement that marks a batch of letters published, on the real PostgreSQL, with the generic plan
 * PostgreSQL caches for it made while {@code sink_dead_letters} was empty (as it is until a first poison record).
 */
class MarkPublishedIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @Test
    void shouldNotTestEveryLetterAgainstTheBatchsIdsWhenThePlanWasCachedForAnEmptyTable() throws SQLException {
        // given: the plan made while the table was empty; then 20,000 letters, the relay's batch the last 500 of them
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .schemas(postgres.schema()).load().migrate();
        String batch = LongStream.rangeClosed(19_501, 20_000).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}"));
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            PostgresPlans.cacheGenericPlan(c, "sink_dead_letters", "mark_published", DeadLetterOutbox.MARK_PUBLISHED,
                    "bigint[]", batch);
            s.execute("INSERT INTO sink_dead_letters (dlt_topic, source_topic, source_partition, source_offset, reason,"
                    + " description, letter_value) SELECT 't-dlt', 't', 0, g, 'UNDECODABLE', 'bad', '\\x00'::bytea"
                    + " FROM generate_series(1, 20000) AS g");

            // when
            StringBuilder plan = new StringBuilder();
            long lettersTestedAgainstTheIds = PostgresPlans.rowsRemovedByFilter(c, "EXECUTE mark_published('" + batch + "')", plan);

            // then: the ids are joined, not tested letter by letter (`id = ANY(?)` filtered the other 19,500)
            assertThat(lettersTestedAgainstTheIds).as(plan.toString()).isZero();
            assertThat(SqlRows.query(c, "SELECT min(id), max(id), count(*) FROM sink_dead_letters WHERE published_at IS NOT NULL"))
                    .containsExactly("19501|20000|500");
        }
    }
}
