package io.jettyspeed.sink.sessions;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadSession;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Latest state of each upload session into {@code upload_sessions}. */
@Component
public final class UploadSessionWriter implements TableWriter<UploadSession> {

    private static final String UPSERT = """
            INSERT INTO upload_sessions (session_id, user_id, file_hash, file_name, file_size_bytes, chunk_size_bytes,
                total_chunks, completed_chunks, failed_chunks, bytes_uploaded, status, plan, device_id, started_at,
                updated_at, completed_at, duration_ms, throughput_bytes_per_second, edges_used, error_message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET
                user_id = excluded.user_id, file_hash = excluded.file_hash, file_name = excluded.file_name,
                file_size_bytes = excluded.file_size_bytes, chunk_size_bytes = excluded.chunk_size_bytes,
                total_chunks = excluded.total_chunks, completed_chunks = excluded.completed_chunks,
                failed_chunks = excluded.failed_chunks, bytes_uploaded = excluded.bytes_uploaded,
                status = excluded.status, plan = excluded.plan, device_id = excluded.device_id,
                started_at = excluded.started_at, updated_at = excluded.updated_at,
                completed_at = excluded.completed_at, duration_ms = excluded.duration_ms,
                throughput_bytes_per_second = excluded.throughput_bytes_per_second,
                edges_used = excluded.edges_used, error_message = excluded.error_message
            """;

    private final Topic<String, UploadSession> topic;

    public UploadSessionWriter(Topics topics) {
        this.topic = topics.uploadSessions();
    }

    @Override
    public Topic<String, UploadSession> topic() {
        return topic;
    }

    @Override
    public void check(UploadSession session) {
        if (session.getBytesUploaded() < 0 || session.getCompletedChunks() < 0) {
            throw new InvariantViolation("negative progress in session " + session.getSessionId());
        }
    }

    @Override
    public void write(JdbcTemplate jdbc, List<UploadSession> values) {
        List<Object[]> rows = Sql.latestPerKey(values, UploadSession::getSessionId).stream()
                .map(s -> new Object[] {s.getSessionId(), s.getUserId(), s.getFileHash(), s.getFileName(),
                        s.getFileSize(), s.getChunkSize(), s.getTotalChunks(), s.getCompletedChunks(),
                        s.getFailedChunks(), s.getBytesUploaded(), s.getStatus().name(),
                        s.getPlan() == null ? null : s.getPlan().name(), s.getDeviceId(),
                        Sql.timestamp(s.getStartedAt()), Sql.timestamp(s.getUpdatedAt()),
                        Sql.timestamp(s.getCompletedAt()), s.getDurationMs(), s.getThroughputBytesPerSecond(),
                        Sql.textArray(s.getEdgesUsed()), s.getErrorMessage()})
                .toList();
        jdbc.batchUpdate(UPSERT, rows);
    }
}
