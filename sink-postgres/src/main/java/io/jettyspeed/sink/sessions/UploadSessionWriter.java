package io.jettyspeed.sink.sessions;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Latest state of each upload session into {@code upload_sessions}. */
@Component
public final class UploadSessionWriter extends TableWriter<UploadSession> {

    private static final Columns<UploadSession> COLUMNS = Columns.fields(UploadSession.getClassSchema(),
            "session_id", "user_id", "file_hash", "file_name", "file_size_bytes=fileSize", "chunk_size_bytes=chunkSize",
            "total_chunks", "completed_chunks", "failed_chunks", "bytes_uploaded", "status", "plan", "device_id",
            "started_at", "updated_at", "completed_at", "duration_ms", "throughput_bytes_per_second", "edges_used",
            "error_message");

    public UploadSessionWriter(Topics topics) {
        super(topics.uploadSessions(), COLUMNS, Write.replaceByKey("upload_sessions", "session_id"));
    }

    @Override
    public void check(UploadSession session) {
        if (session.getBytesUploaded() < 0 || session.getCompletedChunks() < 0) {
            throw new InvariantViolation("negative progress in session " + session.getSessionId());
        }
    }
}
