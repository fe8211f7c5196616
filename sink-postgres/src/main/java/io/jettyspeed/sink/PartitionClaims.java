package io.jettyspeed.sink;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table {@code sink_offsets}: per partition the next offset to read, written in the same
 * transaction as the rows it produced, and the epoch of the latest claim.
 *
 * <p>A claim (on assignment) bumps the epoch and reads the offset; a batch locks its partitions'
 * rows ({@code FOR UPDATE}), checks that each epoch is still the one it claimed, writes only records
 * at or after the stored offset, and advances the offset. A claim waits for a batch that holds the
 * lock, and a batch of an instance that lost the partition meanwhile finds a newer epoch: so the
 * offsets, and the rows with them, only ever move forward.
 */
public final class PartitionClaims {

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** A partition's row: the epoch of the latest claim and the next offset to read (null: from the beginning). */
    record Row(long epoch, Long nextOffset) {
    }

    private final JdbcTemplate jdbc;

    public PartitionClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims {@code partitions} for {@code owner}: bumps each epoch and returns the new rows. Runs
     * inside the caller's transaction; waits at most {@code lockTimeoutMs} for a batch holding a row.
     */
    Map<TopicPartition, Row> claim(Collection<TopicPartition> partitions, String owner, long lockTimeoutMs) {
        List<TopicPartition> sorted = partitions.stream().sorted(ORDER).toList();
        jdbc.execute("SET LOCAL lock_timeout = " + lockTimeoutMs);
        Map<TopicPartition, Row> rows = new HashMap<>();
        jdbc.query("""
                INSERT INTO sink_offsets AS o (topic, partition, next_offset, epoch, owner, claimed_at)
                SELECT t, p, NULL, 1, ?, now() FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS v(t, p, n)
                ORDER BY n
                ON CONFLICT (topic, partition) DO UPDATE
                    SET epoch = o.epoch + 1, owner = excluded.owner, claimed_at = excluded.claimed_at
                RETURNING topic, partition, epoch, next_offset
                """, rs -> {
                    rows.put(new TopicPartition(rs.getString(1), rs.getInt(2)),
                            new Row(rs.getLong(3), rs.getObject(4, Long.class)));
                }, owner, topics(sorted), partitionNumbers(sorted));
        return rows;
    }

    /** Locks the rows of {@code partitions} for the rest of the transaction and returns them (missing: never claimed). */
    Map<TopicPartition, Row> lock(Collection<TopicPartition> partitions) {
        List<TopicPartition> sorted = partitions.stream().sorted(ORDER).toList();
        Map<TopicPartition, Row> rows = new HashMap<>();
        jdbc.query("""
                SELECT o.topic, o.partition, o.epoch, o.next_offset FROM sink_offsets o
                JOIN unnest(?::text[], ?::int[]) AS v(t, p) ON o.topic = v.t AND o.partition = v.p
                ORDER BY o.topic, o.partition
                FOR UPDATE OF o
                """, rs -> {
                    rows.put(new TopicPartition(rs.getString(1), rs.getInt(2)),
                            new Row(rs.getLong(3), rs.getObject(4, Long.class)));
                }, topics(sorted), partitionNumbers(sorted));
        return rows;
    }

    /** Sets the next offsets of locked partitions. */
    void advance(Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        List<TopicPartition> sorted = nextOffsets.keySet().stream().sorted(ORDER).toList();
        jdbc.update("""
                UPDATE sink_offsets o SET next_offset = v.n, committed_at = now()
                FROM unnest(?::text[], ?::int[], ?::bigint[]) AS v(t, p, n)
                WHERE o.topic = v.t AND o.partition = v.p
                """, topics(sorted), partitionNumbers(sorted),
                sorted.stream().map(nextOffsets::get).toArray(Long[]::new));
    }

    /** Next offsets of {@code partitions}, without locking (for the lag). */
    public Map<TopicPartition, Long> read(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        List<TopicPartition> sorted = partitions.stream().sorted(ORDER).toList();
        jdbc.query("""
                SELECT o.topic, o.partition, o.next_offset FROM sink_offsets o
                JOIN unnest(?::text[], ?::int[]) AS v(t, p) ON o.topic = v.t AND o.partition = v.p
                WHERE o.next_offset IS NOT NULL
                """, rs -> {
                    offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }, topics(sorted), partitionNumbers(sorted));
        return offsets;
    }

    private static String[] topics(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).toArray(String[]::new);
    }

    private static Integer[] partitionNumbers(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new);
    }
}
