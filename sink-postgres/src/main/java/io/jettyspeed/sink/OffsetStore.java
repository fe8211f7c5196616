package io.jettyspeed.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Kafka offsets kept in PostgreSQL, written in the same transaction as the rows they produced:
 * after a crash the sink resumes exactly after the last committed batch, so nothing is lost or
 * written twice, whatever Kafka's own committed offsets say.
 */
final class OffsetStore {

    private final JdbcTemplate jdbc;

    OffsetStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<TopicPartition, Long> read(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            jdbc.query("SELECT next_offset FROM sink_offsets WHERE topic = ? AND partition = ?",
                    rs -> {
                        offsets.put(partition, rs.getLong(1));
                    }, partition.topic(), partition.partition());
        }
        return offsets;
    }

    void write(Map<TopicPartition, Long> nextOffsets) {
        var rows = nextOffsets.entrySet().stream()
                .map(e -> new Object[] {e.getKey().topic(), e.getKey().partition(), e.getValue()})
                .toList();
        jdbc.batchUpdate("""
                INSERT INTO sink_offsets (topic, partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset
                """, rows);
    }
}
