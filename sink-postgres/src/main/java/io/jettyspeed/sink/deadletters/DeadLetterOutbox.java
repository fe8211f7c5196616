package io.jettyspeed.sink.deadletters;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table {@code sink_dead_letters}: letters are inserted in the sink's batch transaction, next
 * to the rows and offsets of the batch, so a letter exists exactly when its record's offset was
 * committed (never lost, never doubled by a retry or a crash); the {@link DeadLetterRelay} takes
 * them from here to their topics.
 */
public final class DeadLetterOutbox {

    private static final String INSERT = """
            INSERT INTO sink_dead_letters (dlt_topic, source_topic, source_partition, source_offset, reason, sql_state,
                description, replayed_from, letter_key, letter_value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT sink_dead_letters_once DO NOTHING
            """;

    /** A letter read back for publishing. */
    public record Stored(long id, String dltTopic, byte[] key, byte[] value) {
    }

    private final JdbcTemplate jdbc;

    public DeadLetterOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts letters inside the caller's transaction; a letter for the same source record is kept once. */
    public void insert(List<PendingLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, letters.stream()
                .map(l -> new Object[] {l.dltTopic(), l.sourceTopic(), l.sourcePartition(), l.sourceOffset(),
                        l.reason().name(), text(l.sqlState()), text(l.description()), text(l.replayedFrom()), l.key(),
                        l.value()})
                .toList());
    }

    /** Letters not yet published, oldest first, locked for this transaction (other relays skip them). */
    List<Stored> lockUnpublished(int limit, Collection<String> skipTopics) {
        return jdbc.query("""
                SELECT id, dlt_topic, letter_key, letter_value FROM sink_dead_letters
                WHERE published_at IS NULL AND NOT (dlt_topic = ANY (?))
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED
                """, (rs, i) -> new Stored(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)),
                skipTopics.toArray(String[]::new), limit);
    }

    /**
     * The ids joined as a relation, not tested as {@code id = ANY(?)}: a generic plan cached while the table was empty
     * would test every letter kept (published ones stay for a retention) against every id of the batch
     * ({@code TableWriter.ReplaceByKey#deleteSql} measured the same for a table's keys).
     */
    static final String MARK_PUBLISHED = "UPDATE sink_dead_letters SET published_at = now()"
            + " FROM unnest(?::bigint[]) AS batch(id) WHERE sink_dead_letters.id = batch.id";

    void markPublished(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.update(MARK_PUBLISHED, (Object) ids.toArray(Long[]::new));
        }
    }

    /** Letters waiting for their topic. */
    public long backlog() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM sink_dead_letters WHERE published_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    /** Deletes up to {@code limit} letters published longer than {@code retention} ago. */
    int deletePublishedBefore(Duration retention, int limit) {
        return jdbc.update("""
                DELETE FROM sink_dead_letters WHERE id IN (
                    SELECT id FROM sink_dead_letters WHERE published_at < now() - ? * interval '1 millisecond' LIMIT ?)
                """, retention.toMillis(), limit);
    }

    /** PostgreSQL text cannot hold NUL, and the description may quote client data. */
    private static String text(String value) {
        return value == null ? null : value.replace("\u0000", "\\u0000");
    }
}
