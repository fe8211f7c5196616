package io.jettyspeed.processors.edges;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.skeleton.EventProcessor;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies one observation of an edge (a probe {@link EdgeMetricSample} or a chunk outcome
 * {@link ChunkEvent}) to its {@link EdgeHealth}, and on a wall-clock punctuator marks silent edges
 * STALE and ends ejections. Runs in a single task (all edges on one partition), so the max-ejection
 * check sees every edge.
 *
 * <p>Emits an edge's latest health once per {@link EdgeHealthConfig#emitInterval} (the commit interval)
 * instead of once per observation: every probe sample and chunk outcome of the whole service lands on
 * these twenty keys, so under load nearly all per-observation outputs would be overwritten in the
 * compacted topic before anyone read them, and each cost an encoding, a send and a sink row. Under
 * exactly-once a reader sees nothing before the commit anyway. Which edges are waiting lives in memory
 * only: a commit may store an edge's new health before it was emitted, so on every start (after a
 * crash, a restart or a task move) the processor emits every stored edge once — at most twenty
 * records, and the compacted topic keeps the latest.
 */
final class EdgeHealthProcessor extends EventProcessor<EdgeObservation, EdgeHealth> {

    static final String NAME = "edge-health";

    private final EdgeHealthConfig config;
    /** Edges changed since the last emission, with the newest timestamp of what changed them. */
    private final Map<String, Long> unsent = new LinkedHashMap<>();
    private KeyValueStore<String, EdgeHealth> store;

    EdgeHealthProcessor(EdgeHealthConfig config) {
        super(NAME, StoreNames.EDGE_EVENT_IDS, config.dedupWindow(), config.grace(), config.sweepInterval());
        this.config = config;
    }

    @Override
    protected List<KeyValueStore<?, ?>> open(ProcessorContext<String, EdgeHealth> context) {
        this.store = context.getStateStore(StoreNames.EDGE_HEALTH);
        try (KeyValueIterator<String, EdgeHealth> all = store.all()) {
            all.forEachRemaining(entry -> unsent.put(entry.key, context.currentSystemTimeMs()));
        }
        context.schedule(config.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emitUnsent());
        return List.of(store);
    }

    @Override
    public void process(Record<String, EdgeObservation> record) {
        EdgeObservation observation = record.value();
        String edgeId = record.key();
        long eventTime = observation.eventTime();
        EdgeHealth current = store.get(edgeId);
        if (late(observation, current == null ? null : current.getLastSampleTime()) || !firstTime(observation)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        EdgeHealth.Builder next = current == null ? fresh(edgeId, now) : EdgeHealth.newBuilder(current);
        long dt = next.getLastSampleTime() == null ? Long.MAX_VALUE
                : Math.max(0, eventTime - next.getLastSampleTime().toEpochMilli());
        double w = dt == Long.MAX_VALUE ? 0 : Math.exp(-dt / (double) config.tau().toMillis());
        boolean failureRateOutlier = false;
        if (observation instanceof EdgeObservation.Probe probe) {
            EdgeMetricSample sample = probe.value();
            next.setLatencyMs(peakEwma(next.getLatencyMs(), sample.getLatencyMs(), w));
            next.setBandwidthMbps(ewma(next.getBandwidthMbps(), sample.getBandwidthMbps(), w));
            next.setLoad(ewma(next.getLoad(), sample.getLoad(), w));
            next.setErrorRate(ewma(next.getErrorRate(), sample.getErrorRate(), w));
            next.setProbeSamples(next.getProbeSamples() + 1);
            failureRateOutlier = sample.getErrorRate() >= config.failureRateToEject()
                    && next.getErrorRate() >= config.failureRateToEject();
        } else {
            ChunkEvent chunk = ((EdgeObservation.ChunkOutcome) observation).value();
            if (chunk.getStatus() == ChunkStatus.COMPLETED) {
                if (chunk.getChunkBytes() != null && chunk.getDurationMs() != null && chunk.getDurationMs() > 0) {
                    double mbps = chunk.getChunkBytes() * 8.0 / chunk.getDurationMs() / 1000.0;
                    next.setBandwidthMbps(ewma(next.getBandwidthMbps(), mbps, w));
                }
                next.setErrorRate(ewma(next.getErrorRate(), 0.0, w));
                next.setConsecutiveFailures(0);
                next.setChunkSuccesses(next.getChunkSuccesses() + 1);
            } else {
                next.setErrorRate(ewma(next.getErrorRate(), 1.0, w));
                next.setConsecutiveFailures(next.getConsecutiveFailures() + 1);
                next.setChunkFailures(next.getChunkFailures() + 1);
            }
        }
        if (next.getLastSampleTime() == null || eventTime > next.getLastSampleTime().toEpochMilli()) {
            next.setLastSampleTime(Instant.ofEpochMilli(eventTime));
        }
        next.setLastSeenAt(Instant.ofEpochMilli(now));
        next.setUpdatedAt(Instant.ofEpochMilli(now));
        endEjectionIfOver(next, now);
        resetBackoffIfLongHealthy(next, now);

        boolean suppressed = false;
        boolean outlier = next.getConsecutiveFailures() >= config.consecutiveFailures() || failureRateOutlier;
        if (outlier && next.getState() != EdgeState.EJECTED) {
            if (mayEject(edgeId)) {
                int times = next.getTimesEjected() + 1;
                next.setTimesEjected(times);
                next.setEjectedUntil(Instant.ofEpochMilli(now + config.ejectionTime(times).toMillis()));
                next.setState(EdgeState.EJECTED);
                next.setConsecutiveFailures(0);
            } else {
                suppressed = true;
            }
        }
        EdgeHealth health = EdgeScoring.rescore(next.build(), now, config);
        if (suppressed) {
            List<String> reasons = new ArrayList<>(health.getReasons());
            reasons.add("outlier, not ejected: at most " + config.maxEjectionPercent() + "% of edges may be ejected");
            health.setReasons(reasons);
        }
        store.put(edgeId, health);
        unsent.merge(edgeId, Math.max(record.timestamp(), 0), Math::max);
    }

    /**
     * Wall-clock sweep: silent edges become STALE, ejections that ended return the edge; changed
     * edges are emitted with the ones waiting. It reads the whole store, which holds at most one entry
     * per catalogued edge.
     */
    @Override
    protected void sweep(long now) {
        List<KeyValue<String, EdgeHealth>> changed = new ArrayList<>();
        try (KeyValueIterator<String, EdgeHealth> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, EdgeHealth> entry = all.next();
                EdgeHealth.Builder next = EdgeHealth.newBuilder(entry.value);
                endEjectionIfOver(next, now);
                EdgeHealth rescored = EdgeScoring.rescore(next.build(), now, config);
                if (rescored.getState() != entry.value.getState()) {
                    rescored.setUpdatedAt(Instant.ofEpochMilli(now));
                    changed.add(KeyValue.pair(entry.key, rescored));
                }
            }
        }
        for (KeyValue<String, EdgeHealth> entry : changed) {
            store.put(entry.key, entry.value);
            unsent.merge(entry.key, now, Math::max);
        }
        emitUnsent();
    }

    private void emitUnsent() {
        for (Map.Entry<String, Long> edge : unsent.entrySet()) {
            EdgeHealth health = store.get(edge.getKey());
            if (health != null) {
                context.forward(new Record<>(edge.getKey(), health, edge.getValue()));
            }
        }
        unsent.clear();
    }

    private static void endEjectionIfOver(EdgeHealth.Builder health, long now) {
        if (health.getState() == EdgeState.EJECTED && health.getEjectedUntil() != null
                && health.getEjectedUntil().toEpochMilli() <= now) {
            // Envoy returns an ejected host once its ejection time is over; the score decides the rest.
            health.setState(EdgeState.DEGRADED);
        }
    }

    private void resetBackoffIfLongHealthy(EdgeHealth.Builder health, long now) {
        if (health.getTimesEjected() > 0 && health.getState() != EdgeState.EJECTED && health.getEjectedUntil() != null
                && health.getConsecutiveFailures() == 0
                && now - health.getEjectedUntil().toEpochMilli() >= config.backoffResetAfter().toMillis()) {
            health.setTimesEjected(0);
        }
    }

    /**
     * Envoy's max ejection percent: eject only while fewer than that share of the eligible edges is
     * ejected, at least one, and never the last one. Eligible are the catalogued edges that are not
     * STALE — an edge without a record counts, because edge choice recommends it (unprobed), as
     * Envoy counts every host of a cluster, health-checked or not.
     */
    private boolean mayEject(String edgeId) {
        int eligible = 0;
        int ejected = 0;
        for (EdgeLocation edge : EdgeCatalog.EDGES) {
            if (edge.edgeId().equals(edgeId)) {
                continue;
            }
            EdgeHealth other = store.get(edge.edgeId());
            if (other == null) {
                eligible++;
            } else if (other.getState() == EdgeState.EJECTED) {
                ejected++;
                eligible++;
            } else if (other.getState() != EdgeState.STALE) {
                eligible++;
            }
        }
        eligible++; // the edge itself
        int allowed = Math.min(eligible - 1, Math.max(1, eligible * config.maxEjectionPercent() / 100));
        return ejected + 1 <= allowed;
    }

    private static EdgeHealth.Builder fresh(String edgeId, long now) {
        return EdgeHealth.newBuilder()
                .setEdgeId(edgeId)
                .setRegion(EdgeCatalog.find(edgeId).map(EdgeLocation::region).orElse("unknown"))
                .setState(EdgeState.DEGRADED)
                .setScore(0)
                .setConsecutiveFailures(0)
                .setTimesEjected(0)
                .setLastSeenAt(Instant.ofEpochMilli(now))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .setProbeSamples(0)
                .setChunkSuccesses(0)
                .setChunkFailures(0)
                .setReasons(List.of());
    }

    /** Finagle's Peak-EWMA: a sample above the average counts at once, otherwise the average decays toward it. */
    static double peakEwma(Double cost, double sample, double w) {
        if (cost == null || sample > cost) {
            return sample;
        }
        return cost * w + sample * (1 - w);
    }

    static double ewma(Double average, double sample, double w) {
        return average == null ? sample : average * w + sample * (1 - w);
    }
}
