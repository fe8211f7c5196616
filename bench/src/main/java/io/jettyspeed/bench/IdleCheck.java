package io.jettyspeed.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a stage is quiet before a window starts, and until a stage has processed a burst:
 * every consumer group of the stage at the end offsets of every partition it reads (the Streams
 * applications' repartition topics included), and no process of ours burning CPU.
 */
public final class IdleCheck {

    /**
     * The outcome of one wait for quiet.
     *
     * @param quiet      both conditions held before the time-out
     * @param waited     how long it took
     * @param groups     consumer groups checked
     * @param partitions partitions they read
     * @param lagging    what was still lagging at the last look (empty when quiet)
     * @param cpu        the last CPU sample (our processes, by name, and the rest of the machine)
     */
    public record Result(boolean quiet, Duration waited, int groups, int partitions, List<GroupLag.Lagging> lagging,
            CpuMeter.Usage cpu) {

        /** One line for the log and the report. */
        public String describe() {
            StringBuilder sb = new StringBuilder(quiet ? "quiet" : "NOT QUIET");
            sb.append(String.format(Locale.ROOT, " after %.1f s: lag %s on %d groups / %d partitions; our CPU %.2f cores (",
                    waited.toMillis() / 1000.0, GroupLag.describe(lagging), groups, partitions, cpu.ourCores()));
            int i = 0;
            for (Map.Entry<String, Double> e : cpu.coresByProcess().entrySet()) {
                sb.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.2f", e.getValue()));
            }
            return sb.append(String.format(Locale.ROOT, "), other programs %.2f cores", cpu.foreignCores())).toString();
        }
    }

    /** Pure decision: quiet when nothing lags and our processes together stay under {@code maxCores}. */
    public static boolean isQuiet(List<GroupLag.Lagging> lagging, CpuMeter.Usage cpu, double maxCores) {
        return lagging.isEmpty() && cpu.ourCores() <= maxCores;
    }

    private final KafkaProgress kafka;
    private final CpuMeter meter;
    private final Supplier<List<CpuMeter.Process>> processes;
    private final BenchOptions options;
    /** When each lagging partition was first seen at its current committed offset. */
    private Map<GroupLag.Lagging, Long> stuckSince = new HashMap<>();
    /** Lagging partitions found to hold nothing but transaction markers. */
    private final Set<GroupLag.Lagging> markersOnly = new HashSet<>();

    public IdleCheck(KafkaProgress kafka, CpuMeter meter, Supplier<List<CpuMeter.Process>> processes, BenchOptions options) {
        this.kafka = kafka;
        this.meter = meter;
        this.processes = processes;
        this.options = options;
    }

    /**
     * Lagging partitions. One whose group has not moved for the settle time is read once to see
     * whether only transaction markers are left (a consumer at work moves within a commit interval,
     * so busy partitions are never read).
     */
    private List<GroupLag.Lagging> lagging(Map<TopicPartition, Long> ends,
            Map<String, Map<TopicPartition, Long>> committed, Set<String> required) {
        long now = System.nanoTime();
        Map<GroupLag.Lagging, Long> before = stuckSince;
        Map<GroupLag.Lagging, Long> seen = new HashMap<>();
        List<GroupLag.Lagging> lagging = GroupLag.of(ends, committed, required, l -> {
            if (markersOnly.contains(l)) {
                return true;
            }
            long since = before.getOrDefault(l, now);
            seen.put(l, since);
            if (!l.group().equals(GroupLag.NO_GROUP) && now - since >= options.settle().toNanos()
                    && kafka.markersOnly(l.partition(), l.committed(), l.end())) {
                markersOnly.add(l);
                return true;
            }
            return false;
        });
        stuckSince = seen;
        return lagging;
    }

    /** Waits until the stage is quiet (or the time-out passes: then the result says so and the run goes on). */
    public Result awaitQuiet(List<String> prefixes) {
        long start = System.nanoTime();
        long deadline = start + options.idleTimeout().toNanos();
        while (true) {
            Map<TopicPartition, Long> ends = kafka.endOffsets(prefixes);
            Map<String, Map<TopicPartition, Long>> committed = kafka.committed(prefixes);
            List<GroupLag.Lagging> lagging = lagging(ends, committed, Set.of());
            CpuMeter.Snapshot a = meter.snapshot(processes.get());
            Bench.sleep(options.idleSample().toMillis());
            CpuMeter.Usage cpu = CpuMeter.between(a, meter.snapshot(processes.get()));
            boolean quiet = isQuiet(lagging, cpu, options.idleCores());
            if (quiet || System.nanoTime() > deadline) {
                int partitions = (int) committed.values().stream().flatMap(m -> m.keySet().stream()).distinct().count();
                return new Result(quiet, Duration.ofNanos(System.nanoTime() - start), committed.size(), partitions,
                        lagging, cpu);
            }
        }
    }

    /**
     * Waits until every group named with the prefixes has consumed everything and no topic of the
     * stage has grown for the settle time: then nothing is left in flight anywhere (an output a group
     * has not read yet would make a group lag, or a topic grow). {@code required}: topics some group
     * must have read (a burst's input topics). {@code mark} takes the CPU counters at each look;
     * the one taken when everything was first seen consumed is returned, so the settle time is
     * charged neither to the window's length nor to its CPU.
     */
    public CpuMeter.Snapshot awaitConsumed(List<String> prefixes, Set<String> required, Duration timeout,
            Supplier<CpuMeter.Snapshot> mark) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CpuMeter.Snapshot candidate = null;
        Map<TopicPartition, Long> candidateEnds = null;
        while (true) {
            CpuMeter.Snapshot now = mark.get();
            Map<TopicPartition, Long> ends = kafka.endOffsets(prefixes);
            Map<String, Map<TopicPartition, Long>> committed = kafka.committed(prefixes);
            List<GroupLag.Lagging> lagging = lagging(ends, committed, required);
            if (!lagging.isEmpty()) {
                candidate = null;
            } else if (candidate == null || !ends.equals(candidateEnds)) {
                candidate = now;
                candidateEnds = ends;
            } else if (now.nanoTime() - candidate.nanoTime() >= options.settle().toNanos()) {
                return candidate;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not consumed within " + timeout + ": lag " + GroupLag.describe(lagging));
            }
            Bench.sleep(options.poll().toMillis());
        }
    }
}
