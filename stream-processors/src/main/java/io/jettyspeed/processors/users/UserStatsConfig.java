package io.jettyspeed.processors.users;

import java.time.Duration;

/**
 * @param retention     how long after a session's last activity the version counted into its user's
 *                      stats is kept to diff later updates against; longer than the upload-sessions
 *                      retention, so it outlives every update the session can still get
 * @param sweepInterval how often due contributions are dropped; also the granularity of their deadline index
 * @param dedupWindow   how long clone event ids are remembered
 * @param maxClockSkew  how far an input's event time may lie ahead of the processor's clock
 */
public record UserStatsConfig(Duration retention, Duration sweepInterval, Duration dedupWindow, Duration maxClockSkew) {

    /** How much longer a contribution is kept than its session: the sessions' sweep and the repartition hop lag a little. */
    public static final Duration RETENTION_MARGIN = Duration.ofDays(1);

    public static UserStatsConfig defaults() {
        return of(Duration.ofDays(7), Duration.ofMinutes(6));
    }

    /** Contributions are kept {@link #RETENTION_MARGIN} longer than their sessions ({@code sessionRetention}). */
    public static UserStatsConfig of(Duration sessionRetention, Duration maxClockSkew) {
        return new UserStatsConfig(sessionRetention.plus(RETENTION_MARGIN), Duration.ofMinutes(10), Duration.ofDays(1),
                maxClockSkew);
    }
}
