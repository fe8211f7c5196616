package io.jettyspeed.bench;

import io.jettyspeed.schemas.UserStats;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * PostgreSQL's binary COPY format for {@code user_stats} rows: the physical limit the sink's batched
 * upserts are compared with (row 4). Format: 11-byte signature, flags, header extension, then per row
 * a field count and each field as length + network-order bytes (-1 for NULL), then -1.
 */
public final class CopyBinary {

    /** Columns in the order the rows are encoded. */
    public static final String USER_STATS_COLUMNS = "user_id, plan, quota_bytes, storage_used_bytes, uploads_started,"
            + " uploads_completed, uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,"
            + " throughput_p50, throughput_p90, throughput_p99, updated_at";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in microseconds since the Unix epoch. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private CopyBinary() {
    }

    public static byte[] userStats(List<UserStats> rows) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 200 + 32);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
            for (UserStats s : rows) {
                out.writeShort(16);
                text(out, s.getUserId());
                text(out, s.getPlan().name());
                int8(out, s.getQuotaBytes());
                int8(out, s.getStorageUsedBytes());
                int8(out, s.getUploadsStarted());
                int8(out, s.getUploadsCompleted());
                int8(out, s.getUploadsFailed());
                int8(out, s.getUploadsExpired());
                int8(out, s.getBytesUploaded());
                int8(out, s.getClones());
                int8(out, s.getBytesSaved());
                float8(out, s.getSecondsSaved());
                float8(out, s.getThroughputP50());
                float8(out, s.getThroughputP90());
                float8(out, s.getThroughputP99());
                timestamptz(out, s.getUpdatedAt());
            }
            out.writeShort(-1);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void int8(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    private static void float8(DataOutputStream out, Double value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(8);
            out.writeDouble(value);
        }
    }

    private static void timestamptz(DataOutputStream out, Instant value) throws IOException {
        out.writeInt(8);
        long micros = value.getEpochSecond() * 1_000_000L + value.getNano() / 1_000;
        out.writeLong(micros - PG_EPOCH_MICROS);
    }
}
