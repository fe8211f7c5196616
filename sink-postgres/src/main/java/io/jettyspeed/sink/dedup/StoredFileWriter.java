package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** The dedup index (one canonical file per content hash) into {@code files}. */
@Component
public final class StoredFileWriter extends TableWriter<StoredFile> {

    private static final Columns<StoredFile> COLUMNS = Columns.fields(StoredFile.getClassSchema(),
            "file_hash", "owner_user_id", "session_id", "file_name", "file_size_bytes=fileSize", "location",
            "first_seen", "last_referenced_at", "reference_count", "clone_count", "bytes_saved", "seconds_saved");

    public StoredFileWriter(Topics topics) {
        super(topics.fileIndex(), COLUMNS, Write.replaceByKey("files", "file_hash"));
    }

    @Override
    public void check(StoredFile file) {
        if (file.getFileSize() < 0 || file.getReferenceCount() < 1) {
            throw new InvariantViolation("impossible stored file " + file.getFileHash());
        }
    }
}
