package io.jettyspeed.processors.sessions;

import java.time.Duration;

/**
 * @param idleTimeout   a session without progress for this long (processing time) becomes EXPIRED; a
 *                      session that was never started is forgotten after it
 * @param sweepInterval how often the wall-clock punctuator sweeps the due sessions; also the
 *                      granularity of the deadline index
 * @param grace         events older than the session's newest event time minus this are dropped as late
 * @param retention     a finished (COMPLETED, FAILED, EXPIRED) session is deleted from the store and
 *                      tombstoned on the output topic this long after its last activity
 * @param dedupWindow   how long event ids are remembered
 * @param maxClockSkew  how far a client's event time may lie ahead of the processor's clock
 */
public record UploadSessionsConfig(Duration idleTimeout, Duration sweepInterval, Duration grace, Duration retention,
        Duration dedupWindow, Duration maxClockSkew) {

    public static UploadSessionsConfig defaults() {
        return new UploadSessionsConfig(Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofDays(7), Duration.ofHours(1), Duration.ofMinutes(6));
    }
}
