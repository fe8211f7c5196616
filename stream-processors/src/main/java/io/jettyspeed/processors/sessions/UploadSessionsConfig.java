package io.jettyspeed.processors.sessions;

import java.time.Duration;

/**
 * @param idleTimeout   a session without progress for this long (processing time) becomes EXPIRED
 * @param sweepInterval how often the wall-clock punctuator looks for idle sessions
 * @param grace         events older than the session's newest event time minus this are dropped as late
 * @param retention     finished sessions are dropped from the store (not from the topic) after this long
 * @param dedupWindow   how long event ids are remembered
 */
public record UploadSessionsConfig(Duration idleTimeout, Duration sweepInterval, Duration grace, Duration retention,
        Duration dedupWindow) {

    public static UploadSessionsConfig defaults() {
        return new UploadSessionsConfig(Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofDays(7), Duration.ofHours(1));
    }
}
