package io.jettyspeed.processors.dedup;

import io.jettyspeed.schemas.edges.EdgeHealthRules;
import java.time.Duration;

/**
 * @param storageBaseUrl where stored content lives; a file's location is this plus "/" plus its hash
 * @param dedupWindow    how long check event ids and completed session ids are remembered, so a
 *                       re-delivered check or session update is not counted as a second clone
 * @param maxClockSkew   how far an input's event time may lie ahead of the processor's clock
 * @param checkWait      how long (processor clock) a check whose content is not indexed yet waits for its
 *                       completion before it is dropped; at most the dedup window, so a waiting check's id is
 *                       still remembered when it is matched and a re-delivery cannot wait a second time
 */
public record DedupIndexConfig(String storageBaseUrl, Duration dedupWindow, Duration maxClockSkew, Duration checkWait) {

    public DedupIndexConfig {
        if (checkWait.isNegative() || checkWait.isZero() || checkWait.compareTo(dedupWindow) > 0) {
            throw new IllegalArgumentException("checkWait must be positive and at most the dedup window: " + checkWait);
        }
    }

    /**
     * Upload speed assumed to estimate the time an instant clone saves: the 100 Mbit/s (12.5 MB/s) edge
     * choice assumes for an edge whose bandwidth was never measured.
     */
    public static final double ASSUMED_UPLOAD_BYTES_PER_SECOND = EdgeHealthRules.ASSUMED_BANDWIDTH_BYTES_PER_SECOND;

    /** How often waiting checks past their wait are dropped and the store-size metric is taken; the deadline index's granularity. */
    public static final Duration METRICS_INTERVAL = Duration.ofMinutes(1);

    public static DedupIndexConfig defaults() {
        return new DedupIndexConfig("https://storage.jettyspeed.io/files", Duration.ofDays(7), Duration.ofMinutes(6),
                Duration.ofDays(7));
    }
}
