package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Clone facts into {@code dedup_clones}, each once by its event id. */
@Component
public final class DedupCloneWriter implements TableWriter<DedupClone> {

    private static final String INSERT = """
            INSERT INTO dedup_clones (event_id, file_hash, user_id, owner_user_id, session_id, kind, file_size_bytes,
                bytes_saved, seconds_saved, cloned_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
            """;

    private final Topic<String, DedupClone> topic;

    public DedupCloneWriter(Topics topics) {
        this.topic = topics.dedupClones();
    }

    @Override
    public Topic<String, DedupClone> topic() {
        return topic;
    }

    @Override
    public void check(DedupClone clone) {
        if (clone.getBytesSaved() < 0 || clone.getFileSize() < 0) {
            throw new InvariantViolation("negative savings in clone " + clone.getEventId());
        }
    }

    @Override
    public void write(JdbcTemplate jdbc, List<DedupClone> values) {
        List<Object[]> rows = Sql.firstPerKey(values, DedupClone::getEventId).stream()
                .map(c -> new Object[] {c.getEventId(), c.getFileHash(), c.getUserId(), c.getOwnerUserId(),
                        c.getSessionId(), c.getKind().name(), c.getFileSize(), c.getBytesSaved(),
                        c.getEstimatedSecondsSaved(), Sql.timestamp(c.getClonedAt())})
                .toList();
        jdbc.batchUpdate(INSERT, rows);
    }
}
