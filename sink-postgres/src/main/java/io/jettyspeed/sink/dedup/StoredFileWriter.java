package io.jettyspeed.sink.dedup;

import io.jettyspeed.schemas.StoredFile;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** The dedup index (one canonical file per content hash) into {@code files}. */
@Component
public final class StoredFileWriter extends TableWriter<StoredFile> {

    private static final Columns<StoredFile> COLUMNS = new Columns<StoredFile>()
            .text("file_hash", StoredFile::getFileHash)
            .text("owner_user_id", StoredFile::getOwnerUserId)
            .text("session_id", StoredFile::getSessionId)
            .text("file_name", StoredFile::getFileName)
            .int8("file_size_bytes", StoredFile::getFileSize)
            .text("location", StoredFile::getLocation)
            .timestamptz("first_seen", StoredFile::getFirstSeen)
            .timestamptz("last_referenced_at", StoredFile::getLastReferencedAt)
            .int8("reference_count", StoredFile::getReferenceCount)
            .int8("clone_count", StoredFile::getCloneCount)
            .int8("bytes_saved", StoredFile::getBytesSaved)
            .float8("seconds_saved", StoredFile::getSecondsSaved);

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
