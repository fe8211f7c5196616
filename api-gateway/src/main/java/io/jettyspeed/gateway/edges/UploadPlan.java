package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.validation.Limits;
import io.jettyspeed.schemas.CompletedChunks;
import io.jettyspeed.schemas.EventLimits;

/**
 * The chunk size and parallelism suggested for a file: about a thousand chunks at most, each a
 * power of two between 4 MiB and 256 MiB (small enough to retry cheaply, large enough that
 * per-chunk overhead stays small), and up to 24 chunks in flight. Whatever the file size, the plan
 * stays within what {@code track-upload} accepts: never more than
 * {@link CompletedChunks#MAX_CHUNKS_PER_FILE} chunks, never a chunk outside
 * {@link Limits#MIN_CHUNK_SIZE}..{@link Limits#MAX_CHUNK_SIZE}.
 */
public record UploadPlan(long chunkSize, long totalChunks, int parallelism) {

    public static final long MIN_SUGGESTED_CHUNK = 4 * Limits.MIB;
    public static final long MAX_SUGGESTED_CHUNK = 256 * Limits.MIB;
    public static final int MAX_PARALLELISM = 24;

    public static UploadPlan forFileSize(long fileSize) {
        long target = Math.max(1, (fileSize + 1023) / 1024);
        long chunk = Math.min(MAX_SUGGESTED_CHUNK, Math.max(MIN_SUGGESTED_CHUNK, powerOfTwoAtLeast(target)));
        // Never more chunks than a session may hold, even past the largest file accepted today.
        long fewestBytes = (fileSize + CompletedChunks.MAX_CHUNKS_PER_FILE - 1) / CompletedChunks.MAX_CHUNKS_PER_FILE;
        chunk = Math.min(EventLimits.MAX_CHUNK_SIZE, Math.max(chunk, powerOfTwoAtLeast(fewestBytes)));
        long chunks = Math.max(1, (fileSize + chunk - 1) / chunk);
        int parallelism = (int) Math.min(MAX_PARALLELISM, chunks);
        return new UploadPlan(chunk, chunks, parallelism);
    }

    private static long powerOfTwoAtLeast(long value) {
        long power = Long.highestOneBit(Math.max(1, value));
        return power < value ? power << 1 : power;
    }
}
