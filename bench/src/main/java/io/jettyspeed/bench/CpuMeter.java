package io.jettyspeed.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of each process of the benchmark between two moments, by process name (gateway,
 * broker, processors, sink, postgres, load generator), and of the whole machine, so a window can
 * say where its CPU went and how much other programs on the machine used meanwhile.
 *
 * <p>Several processes may share a name (the PostgreSQL backends of the benchmark's database);
 * their times are added. A process that starts during the window counts all its CPU time; one
 * that ends during it counts nothing (it cannot be read any more).
 */
public final class CpuMeter {

    /** Where the counters come from: {@code /proc} in a run, fixed values in tests. */
    public interface Source {
        Optional<Long> cpuNanos(long pid);

        ProcStat.MachineCpu machine();
    }

    /** A process to account for. */
    public record Process(String name, long pid) {
    }

    /** The counters at one moment. */
    public record Snapshot(long nanoTime, Map<Long, Process> processes, Map<Long, Long> cpuByPid,
            ProcStat.MachineCpu machine) {
    }

    /**
     * CPU used between two snapshots.
     *
     * @param byProcess       nanoseconds of CPU per process name, in the order the processes were named
     * @param machineBusyNanos busy time of the whole machine (all programs, ours included)
     * @param seconds          wall-clock time between the snapshots
     */
    public record Usage(Map<String, Long> byProcess, long machineBusyNanos, double seconds) {

        public long ourNanos() {
            return byProcess.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Cores our processes kept busy on average. */
        public double ourCores() {
            return seconds <= 0 ? 0 : ourNanos() / 1e9 / seconds;
        }

        /** Cores that programs other than ours kept busy on average (never negative). */
        public double foreignCores() {
            return seconds <= 0 ? 0 : Math.max(0, (machineBusyNanos - ourNanos()) / 1e9 / seconds);
        }

        /** Cores per process name. */
        public Map<String, Double> coresByProcess() {
            Map<String, Double> cores = new LinkedHashMap<>();
            byProcess.forEach((name, nanos) -> cores.put(name, seconds <= 0 ? 0 : nanos / 1e9 / seconds));
            return cores;
        }
    }

    private final Source source;

    public CpuMeter(Source source) {
        this.source = source;
    }

    /** Reads {@code /proc}. */
    public static CpuMeter proc() {
        return new CpuMeter(new Source() {
            @Override
            public Optional<Long> cpuNanos(long pid) {
                return ProcStat.cpuNanos(pid);
            }

            @Override
            public ProcStat.MachineCpu machine() {
                return ProcStat.machine();
            }
        });
    }

    public Snapshot snapshot(List<Process> processes) {
        Map<Long, Process> byPid = new LinkedHashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        for (Process p : processes) {
            byPid.put(p.pid(), p);
            source.cpuNanos(p.pid()).ifPresent(nanos -> cpu.put(p.pid(), nanos));
        }
        return new Snapshot(System.nanoTime(), byPid, cpu, source.machine());
    }

    /** What each process name used from {@code start} to {@code end}. */
    public static Usage between(Snapshot start, Snapshot end) {
        Map<String, Long> byName = new LinkedHashMap<>();
        start.processes().values().forEach(p -> byName.putIfAbsent(p.name(), 0L));
        end.processes().values().forEach(p -> byName.putIfAbsent(p.name(), 0L));
        end.cpuByPid().forEach((pid, after) -> {
            Process p = end.processes().get(pid);
            long before = start.cpuByPid().getOrDefault(pid, start.processes().containsKey(pid) ? after : 0L);
            byName.merge(p.name(), Math.max(0, after - before), Long::sum);
        });
        return new Usage(byName, Math.max(0, end.machine().busyNanos() - start.machine().busyNanos()),
                (end.nanoTime() - start.nanoTime()) / 1e9);
    }
}
