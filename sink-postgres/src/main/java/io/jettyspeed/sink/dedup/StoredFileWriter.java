package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The dedup index (one canonical file per content hash) into {@code files}. */
@Component
public final class StoredFileWriter implements TableWriter<StoredFile> {

    private static final String UPSERT = """
            INSERT INTO files (file_hash, owner_user_id, session_id, file_name, file_size_bytes, location, first_seen,
                last_referenced_at, reference_count, clone_count, bytes_saved, seconds_saved)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (file_hash) DO UPDATE SET
                owner_user_id = excluded.owner_user_id, session_id = excluded.session_id,
                file_name = excluded.file_name, file_size_bytes = excluded.file_size_bytes,
                location = excluded.location, first_seen = excluded.first_seen,
                last_referenced_at = excluded.last_referenced_at, reference_count = excluded.reference_count,
                clone_count = excluded.clone_count, bytes_saved = excluded.bytes_saved,
                seconds_saved = excluded.seconds_saved
            """;

    private final Topic<String, StoredFile> topic;

    public StoredFileWriter(Topics topics) {
        this.topic = topics.fileIndex();
    }

    @Override
    public Topic<String, StoredFile> topic() {
        return topic;
    }

    @Override
    public void check(StoredFile file) {
        if (file.getFileSize() < 0 || file.getReferenceCount() < 1) {
            throw new InvariantViolation("impossible stored file " + file.getFileHash());
        }
    }

    @Override
    public void write(JdbcTemplate jdbc, List<StoredFile> values) {
        List<Object[]> rows = Sql.latestPerKey(values, StoredFile::getFileHash).stream()
                .map(f -> new Object[] {f.getFileHash(), f.getOwnerUserId(), f.getSessionId(), f.getFileName(),
                        f.getFileSize(), f.getLocation(), Sql.timestamp(f.getFirstSeen()),
                        Sql.timestamp(f.getLastReferencedAt()), f.getReferenceCount(), f.getCloneCount(),
                        f.getBytesSaved(), f.getSecondsSaved()})
                .toList();
        jdbc.batchUpdate(UPSERT, rows);
    }
}
