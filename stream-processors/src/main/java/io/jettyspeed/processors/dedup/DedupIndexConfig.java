package io.jettyspeed.processors.dedup;

import java.time.Duration;

/**
 * @param storageBaseUrl where stored content lives; a file's location is this plus "/" plus its hash
 * @param dedupWindow    how long check event ids and completed session ids are remembered, so a
 *                       re-delivered check or session update is not counted as a second clone
 */
public record DedupIndexConfig(String storageBaseUrl, Duration dedupWindow) {

    /**
     * Upload speed assumed to estimate the time an instant clone saves: 100 Mbps (12.5 MB/s), the
     * same as edge choice assumes for an edge whose bandwidth was never measured.
     */
    public static final double ASSUMED_UPLOAD_BYTES_PER_SECOND = 12_500_000d;

    public static DedupIndexConfig defaults() {
        return new DedupIndexConfig("https://storage.jettyspeed.io/files", Duration.ofDays(7));
    }
}
