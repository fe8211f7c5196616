package io.jettyspeed.gateway.state;

import io.jettyspeed.gateway.state.FreshnessChain.Hop;
import io.jettyspeed.gateway.state.FreshnessChain.Reader;
import io.jettyspeed.gateway.state.FreshnessChain.Step;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * The freshness watermark W of each view: every event acknowledged before W is reflected in the
 * view. Not thread-safe: one loop ({@link Freshness}) calls {@link #tick}.
 *
 * <p>How: chained offset snapshots, pipelined. Each tick starts a probe at {@code t0}, the time
 * just before the tick asked for the end offsets: any event acknowledged before {@code t0} lies
 * below those offsets (an acknowledged write is below the high watermark). The probe's first hop is
 * done once every reader of those topics is at or past them: the processors' consumer group has
 * committed at least those offsets (under exactly-once, outputs and offsets commit atomically, so
 * everything those inputs produced is in the output topics by then), or the view has read that
 * far. Only then, at the <em>next</em> tick, the probe takes the end offsets of the next hop's
 * topics, and so on; when the view has read up to the last hop's snapshot, W = {@code t0}.
 * Several probes are in flight at once (one started per tick), so W advances every tick, trailing
 * real time by about the time the slowest hop takes to commit.
 *
 * <p>Idle partitions hold nothing back: a partition nobody wrote to since the last commit has its
 * end offset committed already (Kafka Streams also commits past the transaction markers of its
 * transactional inputs), and a partition never written to has end offset 0. A topic that does not
 * exist contributes no partition. A group or partition with no committed offset counts as nothing
 * processed.
 */
public final class WatermarkTracker {

    private final Map<ViewKind, Progress> chains = new EnumMap<>(ViewKind.class);
    private final int maxProbes;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Set<String> groups = new LinkedHashSet<>();

    /**
     * @param maxProbes most probes in flight per chain; when a stall fills them, the newest one is
     *     restarted at every tick instead, so W catches up at once when the stall ends
     */
    public WatermarkTracker(Map<ViewKind, FreshnessChain> chains, int maxProbes) {
        if (maxProbes < 2) {
            throw new IllegalArgumentException("maxProbes must be at least 2");
        }
        this.maxProbes = maxProbes;
        chains.forEach((view, chain) -> {
            this.chains.put(view, new Progress(chain));
            topics.addAll(chain.topics());
            groups.addAll(chain.groups());
        });
    }

    /** Topics whose end offsets each tick needs. */
    public Set<String> topics() {
        return topics;
    }

    /** Groups whose committed offsets each tick needs. */
    public Set<String> groups() {
        return groups;
    }

    /**
     * One step of every chain.
     *
     * @param t0 a time taken before {@code endOffsets} was asked for (and after the previous tick
     *     returned)
     * @param endOffsets the end offsets of {@link #topics()}, asked for after {@code t0}
     * @param committed the groups' committed offsets, asked for after the previous tick returned
     * @param positions each view's read position (the next offset it will read) per partition
     */
    public void tick(Instant t0, Map<TopicPartition, Long> endOffsets, Map<String, Map<TopicPartition, Long>> committed,
            Function<ViewKind, Map<TopicPartition, Long>> positions) {
        Map<ViewKind, Map<TopicPartition, Long>> viewPositions = new EnumMap<>(ViewKind.class);
        Function<ViewKind, Map<TopicPartition, Long>> cachedPositions =
                view -> viewPositions.computeIfAbsent(view, positions);
        for (Progress progress : chains.values()) {
            progress.tick(t0, endOffsets, committed, cachedPositions);
        }
    }

    /** W of the view: empty until a first probe went all the way. */
    public Optional<Instant> watermark(ViewKind view) {
        Progress progress = chains.get(view);
        return progress == null ? Optional.empty() : Optional.ofNullable(progress.watermark);
    }

    /** What the oldest probe of the view's chain waits for, in words (for health details); empty when nothing is behind. */
    public Optional<String> waitingFor(ViewKind view) {
        Progress progress = chains.get(view);
        return progress == null ? Optional.empty() : Optional.ofNullable(progress.waitingFor);
    }

    /** Probes in flight for the view (for tests and health details). */
    public int probesInFlight(ViewKind view) {
        Progress progress = chains.get(view);
        return progress == null ? 0 : progress.probes.size();
    }

    /** One probe: started at t0, now at hop {@code hop}, with that hop's targets once they are taken. */
    private static final class Probe {
        final Instant t0;
        int hop;
        Map<TopicPartition, Long> targets;

        Probe(Instant t0, Map<TopicPartition, Long> targets) {
            this.t0 = t0;
            this.targets = targets;
        }
    }

    private final class Progress {
        final FreshnessChain chain;
        /** Oldest first. */
        final Deque<Probe> probes = new ArrayDeque<>();
        Instant watermark;
        String waitingFor;

        Progress(FreshnessChain chain) {
            this.chain = chain;
        }

        void tick(Instant t0, Map<TopicPartition, Long> endOffsets, Map<String, Map<TopicPartition, Long>> committed,
                Function<ViewKind, Map<TopicPartition, Long>> positions) {
            // probes that finished a hop at the last tick take the next hop's end offsets now
            for (Probe probe : probes) {
                if (probe.targets == null) {
                    probe.targets = targets(chain.hops().get(probe.hop), endOffsets);
                }
            }
            Map<TopicPartition, Long> first = targets(chain.hops().get(0), endOffsets);
            if (probes.size() < maxProbes) {
                probes.addLast(new Probe(t0, first));
            } else if (probes.peekLast().hop == 0) {
                probes.removeLast();
                probes.addLast(new Probe(t0, first));
            }
            Instant completed = null;
            for (Probe probe : probes) {
                // a probe may pass several hops at once only through hops whose targets it already holds
                if (probe.targets != null && reached(chain.hops().get(probe.hop), probe.targets, committed, positions)) {
                    probe.hop++;
                    probe.targets = null;
                    if (probe.hop == chain.hops().size()) {
                        completed = probe.t0;
                    }
                }
            }
            if (completed != null) {
                Instant done = completed;
                // older probes are overtaken: W is already past their t0
                probes.removeIf(probe -> !probe.t0.isAfter(done));
                if (watermark == null || done.isAfter(watermark)) {
                    watermark = done;
                }
            }
            Probe oldest = probes.peekFirst();
            waitingFor = oldest == null || oldest.targets == null ? null
                    : behind(chain.hops().get(oldest.hop), oldest.targets, committed, positions);
        }
    }

    private static Map<TopicPartition, Long> targets(Hop hop, Map<TopicPartition, Long> endOffsets) {
        Set<String> hopTopics = new LinkedHashSet<>();
        hop.steps().forEach(step -> hopTopics.add(step.topic()));
        Map<TopicPartition, Long> targets = new HashMap<>();
        endOffsets.forEach((partition, offset) -> {
            if (hopTopics.contains(partition.topic()) && offset > 0) {
                targets.put(partition, offset);
            }
        });
        return targets;
    }

    private static boolean reached(Hop hop, Map<TopicPartition, Long> targets,
            Map<String, Map<TopicPartition, Long>> committed, Function<ViewKind, Map<TopicPartition, Long>> positions) {
        return behind(hop, targets, committed, positions) == null;
    }

    /** The first step and partition still behind its target, or null when the hop is done. */
    private static String behind(Hop hop, Map<TopicPartition, Long> targets,
            Map<String, Map<TopicPartition, Long>> committed, Function<ViewKind, Map<TopicPartition, Long>> positions) {
        for (Step step : hop.steps()) {
            Map<TopicPartition, Long> read = step.reader() instanceof Reader.Group group
                    ? committed.getOrDefault(group.groupId(), Map.of())
                    : positions.apply(((Reader.View) step.reader()).view());
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                if (!target.getKey().topic().equals(step.topic())) {
                    continue;
                }
                long at = read.getOrDefault(target.getKey(), 0L);
                if (at < target.getValue()) {
                    return who(step.reader()) + " at " + at + " of " + target.getValue() + " in " + target.getKey();
                }
            }
        }
        return null;
    }

    private static String who(Reader reader) {
        return reader instanceof Reader.Group group ? "group " + group.groupId() : "the gateway's view";
    }
}
