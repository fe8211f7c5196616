package io.jettyspeed.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The twenty edge probes: one sample per edge per tick. Healthy edges have a steady base latency
 * (20-60 ms), bandwidth (400-1000 Mbps) and a load that swings slowly, with a little jitter and
 * rare small error rates. The degrading edge's latency rises by up to 900 ms, its error rate to
 * 62 % (above the processors' 50 % ejection threshold), its bandwidth falls to a fifth and its load
 * rises, following {@link DegradationCycle}.
 */
public final class EdgeProbes {

    /** What one edge looks like when nothing is wrong. */
    record Baseline(double latencyMs, double bandwidthMbps, double load, double phase) {
    }

    private final List<SimEdge> edges;
    private final String badEdge;
    private final Map<String, Baseline> baselines = new LinkedHashMap<>();
    private final Random random;

    public EdgeProbes(List<SimEdge> edges, String badEdge, long seed) {
        this.edges = List.copyOf(edges);
        this.badEdge = badEdge;
        Random setup = new Random(seed ^ 0x9B0B_E5L);
        for (SimEdge edge : this.edges) {
            baselines.put(edge.edgeId(), new Baseline(20 + setup.nextInt(41), 400 + setup.nextInt(601),
                    0.2 + setup.nextDouble() * 0.3, setup.nextDouble() * 2 * Math.PI));
        }
        this.random = new Random(seed ^ 0x9B0B_E5_01L);
    }

    /** One sample per edge, {@code elapsedSeconds} into the run, with the bad edge at {@code severity}. */
    public synchronized List<Map<String, Object>> samples(double elapsedSeconds, double severity) {
        List<Map<String, Object>> samples = new ArrayList<>(edges.size());
        for (SimEdge edge : edges) {
            Baseline base = baselines.get(edge.edgeId());
            double s = edge.edgeId().equals(badEdge) ? severity : 0;
            double jitter = 1 + random.nextGaussian() * 0.08;
            double latency = Math.max(1, base.latencyMs() * jitter + 900 * s);
            double bandwidth = Math.max(1, base.bandwidthMbps() * (1 + random.nextGaussian() * 0.05) * (1 - 0.8 * s));
            double swing = 0.1 * Math.sin(elapsedSeconds / 120.0 * 2 * Math.PI + base.phase());
            double load = clamp(base.load() + swing + random.nextGaussian() * 0.02 + 0.45 * s);
            double errors = random.nextDouble() < 0.05 ? random.nextDouble() * 0.02 : 0;
            double errorRate = clamp(errors + 0.62 * s);
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("edgeId", edge.edgeId());
            sample.put("latencyMs", round(latency, 1));
            sample.put("bandwidthMbps", round(bandwidth, 1));
            sample.put("load", round(load, 3));
            sample.put("errorRate", round(errorRate, 4));
            sample.put("activeConnections", (long) (load * 2000));
            samples.add(sample);
        }
        return samples;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
