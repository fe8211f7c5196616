package io.jettyspeed.simulator;

import java.time.Duration;

/**
 * How bad the degrading edge is at a moment, as a severity in [0, 1], repeating every cycle:
 * healthy for the first quarter, getting worse for a fifth, bad for a quarter, recovering for a
 * fifth, then healthy again. With the default four-minute cycle: fine for a minute, worse for 48 s,
 * bad for a minute (it gets ejected and stops being recommended), better for 48 s (it comes back).
 */
public final class DegradationCycle {

    static final double HEALTHY_UNTIL = 0.25;
    static final double WORST_FROM = 0.45;
    static final double WORST_UNTIL = 0.70;
    static final double RECOVERED_AT = 0.90;

    private final long cycleMillis;

    public DegradationCycle(Duration cycle) {
        this.cycleMillis = cycle.toMillis();
        if (cycleMillis <= 0) {
            throw new IllegalArgumentException("cycle must be positive");
        }
    }

    /** Severity at {@code elapsed} since the simulation started. */
    public double severity(Duration elapsed) {
        double f = (elapsed.toMillis() % cycleMillis) / (double) cycleMillis;
        if (f < HEALTHY_UNTIL || f >= RECOVERED_AT) {
            return 0;
        }
        if (f < WORST_FROM) {
            return (f - HEALTHY_UNTIL) / (WORST_FROM - HEALTHY_UNTIL);
        }
        if (f < WORST_UNTIL) {
            return 1;
        }
        return 1 - (f - WORST_UNTIL) / (RECOVERED_AT - WORST_UNTIL);
    }

    /** A word for the phase, for the simulator's progress line. */
    public String phase(Duration elapsed) {
        double f = (elapsed.toMillis() % cycleMillis) / (double) cycleMillis;
        if (f < HEALTHY_UNTIL || f >= RECOVERED_AT) {
            return "healthy";
        }
        return f < WORST_FROM ? "degrading" : f < WORST_UNTIL ? "bad" : "recovering";
    }
}
