package io.jettyspeed.sink.sessions;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Latest state of each upload session into {@code upload_sessions}. */
@Component
public final class UploadSessionWriter extends TableWriter<UploadSession> {

    private static final Columns<UploadSession> COLUMNS = new Columns<UploadSession>()
            .text("session_id", UploadSession::getSessionId)
            .text("user_id", UploadSession::getUserId)
            .text("file_hash", UploadSession::getFileHash)
            .text("file_name", UploadSession::getFileName)
            .int8("file_size_bytes", UploadSession::getFileSize)
            .int4("chunk_size_bytes", UploadSession::getChunkSize)
            .int4("total_chunks", UploadSession::getTotalChunks)
            .int4("completed_chunks", UploadSession::getCompletedChunks)
            .int4("failed_chunks", UploadSession::getFailedChunks)
            .int8("bytes_uploaded", UploadSession::getBytesUploaded)
            .text("status", s -> s.getStatus().name())
            .text("plan", s -> s.getPlan() == null ? null : s.getPlan().name())
            .text("device_id", UploadSession::getDeviceId)
            .timestamptz("started_at", UploadSession::getStartedAt)
            .timestamptz("updated_at", UploadSession::getUpdatedAt)
            .timestamptz("completed_at", UploadSession::getCompletedAt)
            .int8("duration_ms", UploadSession::getDurationMs)
            .float8("throughput_bytes_per_second", UploadSession::getThroughputBytesPerSecond)
            .textArray("edges_used", UploadSession::getEdgesUsed)
            .text("error_message", UploadSession::getErrorMessage);

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
