package io.jettyspeed.processors.edges;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Score in [0, 1], state and reasons of an edge from its estimates. Pure, so the formula can be
 * read and tested on its own.
 *
 * <pre>
 * score = 0.40 · latency + 0.30 · errors + 0.15 · load + 0.15 · bandwidth, each factor in [0, 1]:
 *   latency   = 1 at ≤ 100 ms, falling linearly to 0 at 1000 ms (Peak-EWMA cost)
 *   errors    = 1 − errorRate / 0.5          (50 % errors or worse → 0)
 *   load      = 1 at ≤ 0.5, falling linearly to 0 at 1.0
 *   bandwidth = bandwidth / 50 Mbps, capped at 1 (1 until observed)
 * then × (1 − consecutiveFailures / 5); 0 when EJECTED or STALE.
 * HEALTHY at score ≥ 0.7, DEGRADED below.
 * </pre>
 *
 * <p><b>Unprobed edges</b> (no probe sample yet, only chunk outcomes): the same formula, where
 * latency and load (which only probes measure) are unknown, times the prior
 * {@link EdgeHealthRules#UNPROBED_PRIOR_SCORE}. So such an edge scores at most the prior, is never
 * HEALTHY before a probe vouches for it, and its chunk outcomes move it like any other edge:
 * failures and a high error rate lower it, five in a row eject it, chunk bandwidth is its
 * bandwidth. It is never STALE: staleness means the probe that reported an edge went silent, and
 * an edge nobody uploads to is silent by nature — it must not rank below an edge never seen.
 */
public final class EdgeScoring {

    static final double HEALTHY_SCORE = 0.7;

    private EdgeScoring() {
    }

    /** Recomputes state, score and reasons of {@code health} at processing time {@code now}. */
    public static EdgeHealth rescore(EdgeHealth health, long now, EdgeHealthConfig config) {
        List<String> reasons = new ArrayList<>();
        double latency = health.getLatencyMs() == null ? 0 : health.getLatencyMs();
        double errorRate = health.getErrorRate() == null ? 0 : health.getErrorRate();
        double load = health.getLoad() == null ? 0 : health.getLoad();
        double latencyFactor = clamp(1 - (latency - 100) / 900);
        double errorFactor = clamp(1 - errorRate / 0.5);
        double loadFactor = clamp(1 - (load - 0.5) / 0.5);
        double bandwidthFactor = health.getBandwidthMbps() == null ? 1 : clamp(health.getBandwidthMbps() / 50);
        double score = 0.40 * latencyFactor + 0.30 * errorFactor + 0.15 * loadFactor + 0.15 * bandwidthFactor;
        score *= clamp(1 - health.getConsecutiveFailures() / (double) config.consecutiveFailures());
        boolean unprobed = EdgeHealthRules.isUnprobed(health);
        if (unprobed) {
            score *= EdgeHealthRules.UNPROBED_PRIOR_SCORE;
            reasons.add(String.format(Locale.ROOT, "unprobed: no probe yet, scored at the prior %.1f",
                    EdgeHealthRules.UNPROBED_PRIOR_SCORE));
        }

        if (latency > EdgeHealthConfig.LATENCY_TARGET_MS) {
            reasons.add(String.format(Locale.ROOT, "latency %.0fms above %.0fms", latency, EdgeHealthConfig.LATENCY_TARGET_MS));
        }
        if (errorRate > 0.05) {
            reasons.add(String.format(Locale.ROOT, "error rate %.0f%% above 5%%", errorRate * 100));
        }
        if (load > 0.8) {
            reasons.add(String.format(Locale.ROOT, "load %.0f%% above 80%%", load * 100));
        }
        if (health.getBandwidthMbps() != null && health.getBandwidthMbps() < 10) {
            reasons.add(String.format(Locale.ROOT, "bandwidth %.1fMbps below 10Mbps", health.getBandwidthMbps()));
        }
        if (health.getConsecutiveFailures() > 0) {
            reasons.add(health.getConsecutiveFailures() + " consecutive chunk failures");
        }

        EdgeState state;
        Instant ejectedUntil = health.getEjectedUntil();
        long silentMs = now - health.getLastSeenAt().toEpochMilli();
        if (health.getState() == EdgeState.EJECTED && ejectedUntil != null && ejectedUntil.toEpochMilli() > now) {
            state = EdgeState.EJECTED;
            reasons.add(0, "ejected until " + ejectedUntil + " (ejection " + health.getTimesEjected() + ", "
                    + config.ejectionTime(health.getTimesEjected()).toSeconds() + "s)");
            score = 0;
        } else if (!unprobed && silentMs > config.staleAfter().toMillis()) {
            state = EdgeState.STALE;
            reasons.add(0, "stale: no sample for " + silentMs / 1000 + "s");
            score = 0;
        } else {
            state = score >= HEALTHY_SCORE ? EdgeState.HEALTHY : EdgeState.DEGRADED;
        }
        return EdgeHealth.newBuilder(health)
                .setState(state)
                .setScore(Math.round(clamp(score) * 10_000d) / 10_000d)
                .setReasons(reasons)
                .build();
    }

    static double clamp(double value) {
        return Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    }
}
