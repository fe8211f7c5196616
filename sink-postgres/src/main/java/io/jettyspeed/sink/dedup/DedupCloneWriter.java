package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Clone facts into {@code dedup_clones}, each once by its event id. */
@Component
public final class DedupCloneWriter extends TableWriter<DedupClone> {

    private static final Columns<DedupClone> COLUMNS = Columns.fields(DedupClone.getClassSchema(),
            "event_id", "file_hash", "user_id", "owner_user_id", "session_id", "kind", "file_size_bytes=fileSize",
            "bytes_saved", "seconds_saved=estimatedSecondsSaved", "cloned_at");

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
