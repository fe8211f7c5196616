package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.validation.Limits;

/**
 * The chunk size and parallelism suggested for a file: about a thousand chunks at most, each a
 * power of two between 4 MiB and 256 MiB (small enough to retry cheaply, large enough that
 * per-chunk overhead stays small), and up to 24 chunks in flight.
 */
public record UploadPlan(long chunkSize, long totalChunks, int parallelism) {

    public static final long MIN_SUGGESTED_CHUNK = 4 * Limits.MIB;
    public static final long MAX_SUGGESTED_CHUNK = 256 * Limits.MIB;
    public static final int MAX_PARALLELISM = 24;

    public static UploadPlan forFileSize(long fileSize) {
        long target = Math.max(1, (fileSize + 1023) / 1024);
        long chunk = Long.highestOneBit(target);
        if (chunk < target) {
            chunk <<= 1;
        }
        chunk = Math.min(MAX_SUGGESTED_CHUNK, Math.max(MIN_SUGGESTED_CHUNK, chunk));
        long chunks = Math.max(1, (fileSize + chunk - 1) / chunk);
        int parallelism = (int) Math.min(MAX_PARALLELISM, chunks);
        return new UploadPlan(chunk, chunks, parallelism);
    }
}
