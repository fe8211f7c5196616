package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Clone facts into {@code dedup_clones}, each once by its event id. */
@Component
public final class DedupCloneWriter extends TableWriter<DedupClone> {

    private static final Columns<DedupClone> COLUMNS = new Columns<DedupClone>()
            .text("event_id", DedupClone::getEventId)
            .text("file_hash", DedupClone::getFileHash)
            .text("user_id", DedupClone::getUserId)
            .text("owner_user_id", DedupClone::getOwnerUserId)
            .text("session_id", DedupClone::getSessionId)
            .text("kind", c -> c.getKind().name())
            .int8("file_size_bytes", DedupClone::getFileSize)
            .int8("bytes_saved", DedupClone::getBytesSaved)
            .float8("seconds_saved", DedupClone::getEstimatedSecondsSaved)
            .timestamptz("cloned_at", DedupClone::getClonedAt);

    private static final String INSERT = """
            INSERT INTO dedup_clones ({columns})
            SELECT {columns} FROM {input} AS input
            ON CONFLICT (event_id) DO NOTHING
            """;

    public DedupCloneWriter(Topics topics) {
        super(topics.dedupClones(), COLUMNS, Write.insertOnce("event_id", INSERT));
    }

    @Override
    public void check(DedupClone clone) {
        if (clone.getBytesSaved() < 0 || clone.getFileSize() < 0) {
            throw new InvariantViolation("negative savings in clone " + clone.getEventId());
        }
    }
}
