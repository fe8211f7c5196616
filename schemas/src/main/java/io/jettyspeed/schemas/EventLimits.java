package io.jettyspeed.schemas;

/**
 * Bounds of the client-controlled values in the events, beyond which a value is absurd rather than
 * merely large. One definition for both checks: the gateway refuses a request outside them (400), the
 * processors dead-letter a record outside them (they do not trust every producer). The most chunks of a
 * file is {@link CompletedChunks#MAX_CHUNKS_PER_FILE}.
 */
public final class EventLimits {

    /** Ids (event, session, user, device, edge): at most this many characters. */
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_FILE_NAME_LENGTH = 1024;
    public static final int MAX_ERROR_LENGTH = 2000;
    /** Edge ids one upload event may name; also the most edges one session records ({@code edgesUsed}). */
    public static final int MAX_EDGE_IDS = 32;
    /** 5 TiB, the largest object common object stores take. */
    public static final long MAX_FILE_SIZE = 5L << 40;
    /** 1 GiB, the largest chunk size an upload may choose. */
    public static final long MAX_CHUNK_SIZE = 1L << 30;
    /** A chunk or probe that took longer than a day did not take that long. */
    public static final long MAX_DURATION_MS = 86_400_000L;
    /** Edge samples: latency from 0 to ten minutes. */
    public static final double MAX_LATENCY_MS = 600_000;
    /** Edge samples: bandwidth from 0 to one terabit per second. */
    public static final double MAX_BANDWIDTH_MBPS = 1_000_000;

    private EventLimits() {
    }
}
