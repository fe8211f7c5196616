package io.jettyspeed.sink;

import io.jettyspeed.schemas.Topic;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the records of one topic into PostgreSQL, as one batch, inside the sink's transaction.
 * Implementations must be idempotent: writing the same records again leaves the tables the same
 * (upserts of latest state keyed by id, or inserts of facts keyed by event id).
 */
public interface TableWriter<V> {

    Topic<String, V> topic();

    /** Throws {@link InvariantViolation} for a record that must not reach the tables. */
    default void check(V value) {
    }

    /** Writes the batch, in topic order; {@code values} holds only decoded, checked records. */
    void write(JdbcTemplate jdbc, List<V> values);

    /** A record that decodes but breaks a rule of the analyst schema; it goes to the dead-letter topic. */
    final class InvariantViolation extends RuntimeException {
        public InvariantViolation(String message) {
            super(message);
        }
    }
}
