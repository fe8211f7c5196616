package io.jettyspeed.processors.dedup;

import io.jettyspeed.schemas.edges.EdgeHealthRules;
import java.time.Duration;

/**
 * @param storageBaseUrl where stored content lives; a file's location is this plus "/" plus its hash
 * @param dedupWindow    how long check event ids and completed session ids are remembered, so a
 *                       re-delivered check or session update is not counted as a second clone
 * @param maxClockSkew   how far an input's event time may lie ahead of the processor's clock
 */
public record DedupIndexConfig(String storageBaseUrl, Duration dedupWindow, Duration maxClockSkew) {

    /**
     * Upload speed assumed to estimate the time an instant clone saves: the 100 Mbit/s (12.5 MB/s) edge
     * choice assumes for an edge whose bandwidth was never measured.
     */
    public static final double ASSUMED_UPLOAD_BYTES_PER_SECOND = EdgeHealthRules.ASSUMED_BANDWIDTH_BYTES_PER_SECOND;

    /** How often the store-size metric is taken (this topology has no sweep of its own). */
    public static final Duration METRICS_INTERVAL = Duration.ofMinutes(1);

    public static DedupIndexConfig defaults() {
        return new DedupIndexConfig("https://storage.jettyspeed.io/files", Duration.ofDays(7), Duration.ofMinutes(6));
    }
}
