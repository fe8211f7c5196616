package io.jettyspeed.processors.edges;

import java.time.Duration;

/**
 * Tuning of edge health. Defaults follow Finagle's Peak-EWMA (tau 10 s) and Envoy's outlier
 * detection (5 consecutive failures, 30 s base ejection, 300 s cap).
 *
 * @param tau                   decay time constant of the moving averages: weight of the old value is exp(-Δt/τ)
 * @param staleAfter            an edge with no observation for this long (processing time) is STALE
 * @param sweepInterval         how often the wall-clock punctuator checks staleness and ejection ends
 * @param emitInterval          how often the edges changed since the last emission are forwarded, each once with
 *                              its latest health (the commit interval: under exactly-once nothing is visible sooner)
 * @param consecutiveFailures   chunk failures in a row that eject an edge
 * @param failureRateToEject    decayed error rate that ejects an edge, when the newest probe sample is as bad
 * @param baseEjection          ejection time of the first ejection; the n-th lasts n times this
 * @param maxEjection           cap of the ejection time
 * @param maxEjectionPercent    at most this share of the reporting edges is ejected at once (and never all)
 * @param backoffResetAfter     healthy time after an ejection ended after which the back-off starts over
 * @param grace                 observations older than the edge's newest minus this are dropped as late
 * @param dedupWindow           how long event ids are remembered
 * @param maxClockSkew          how far a sample's event time may lie ahead of the processor's clock
 */
public record EdgeHealthConfig(Duration tau, Duration staleAfter, Duration sweepInterval, Duration emitInterval,
        int consecutiveFailures,
        double failureRateToEject, Duration baseEjection, Duration maxEjection, int maxEjectionPercent,
        Duration backoffResetAfter, Duration grace, Duration dedupWindow, Duration maxClockSkew) {

    /** Latency above this is called out in the reasons and lowers the score. */
    public static final double LATENCY_TARGET_MS = 300;

    public static EdgeHealthConfig defaults() {
        return of(Duration.ofSeconds(15), Duration.ofMinutes(10), Duration.ofMinutes(6), Duration.ofMillis(100));
    }

    /** The tuning below with the four values that are service settings ({@code jetty.processors.*}). */
    public static EdgeHealthConfig of(Duration staleAfter, Duration grace, Duration maxClockSkew, Duration emitInterval) {
        return new EdgeHealthConfig(Duration.ofSeconds(10), staleAfter, Duration.ofSeconds(1), emitInterval, 5, 0.5,
                Duration.ofSeconds(30), Duration.ofSeconds(300), 50, Duration.ofMinutes(10), grace,
                Duration.ofHours(1), maxClockSkew);
    }

    /** Ejection time of the n-th ejection: n × base, capped. */
    public Duration ejectionTime(int timesEjected) {
        long ms = Math.min(baseEjection.toMillis() * Math.max(1, timesEjected), maxEjection.toMillis());
        return Duration.ofMillis(ms);
    }
}
