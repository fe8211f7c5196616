package io.jettyspeed.gateway.validation;

import io.jettyspeed.schemas.EventLimits;

/**
 * Bounds of the requests beyond which a value is absurd rather than merely large. Those of the values
 * that travel in events are the event contract's ({@link EventLimits}, which the processors check too);
 * the rest are the gateway's own.
 */
public final class Limits {

    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;

    /** Smallest chunk size an upload may choose. */
    public static final long MIN_CHUNK_SIZE = 64 * KIB;
    public static final long MAX_ACTIVE_CONNECTIONS = 10_000_000L;

    private Limits() {
    }
}
