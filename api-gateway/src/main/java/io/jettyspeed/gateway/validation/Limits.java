package io.jettyspeed.gateway.validation;

/** Bounds beyond which a value is absurd rather than merely large. */
public final class Limits {

    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;
    public static final long TIB = 1024L * GIB;

    /** Largest file accepted: 5 TiB (the largest object common object stores take). */
    public static final long MAX_FILE_SIZE = 5 * TIB;
    /** Smallest chunk size an upload may choose. */
    public static final long MIN_CHUNK_SIZE = 64 * KIB;
    /** Largest chunk size an upload may choose. */
    public static final long MAX_CHUNK_SIZE = GIB;
    // The most chunks one file may have is io.jettyspeed.schemas.CompletedChunks.MAX_CHUNKS_PER_FILE
    // (100,000), shared with the processors: a large file must use chunks large enough to stay under it.
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_FILE_NAME_LENGTH = 1024;
    public static final int MAX_ERROR_LENGTH = 2000;
    public static final int MAX_EDGE_IDS = 32;
    /** A chunk that took longer than a day did not take that long. */
    public static final long MAX_DURATION_MS = 86_400_000L;
    public static final double MAX_LATENCY_MS = 600_000;
    /** One terabit per second. */
    public static final double MAX_BANDWIDTH_MBPS = 1_000_000;
    public static final long MAX_ACTIVE_CONNECTIONS = 10_000_000L;

    private Limits() {
    }
}
