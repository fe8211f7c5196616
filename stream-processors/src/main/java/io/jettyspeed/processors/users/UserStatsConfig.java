package io.jettyspeed.processors.users;

import java.time.Duration;

/**
 * @param retention     how long a finished session's contribution is kept to diff later updates against
 * @param sweepInterval how often old contributions are dropped
 * @param dedupWindow   how long clone event ids are remembered
 */
public record UserStatsConfig(Duration retention, Duration sweepInterval, Duration dedupWindow) {

    public static UserStatsConfig defaults() {
        return new UserStatsConfig(Duration.ofDays(7), Duration.ofMinutes(10), Duration.ofDays(1));
    }
}
