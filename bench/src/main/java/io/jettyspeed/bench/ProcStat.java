package io.jettyspeed.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Linux says about a process and the machine, from {@code /proc}: CPU time of a process
 * ({@code /proc/<pid>/stat}, user + system), busy time of the whole machine ({@code /proc/stat}),
 * and peak resident set size ({@code VmHWM} in {@code /proc/<pid>/status}). The parsers are pure so
 * they can be tested on fixed text.
 */
public final class ProcStat {

    /** USER_HZ: the unit of the tick counters in {@code /proc} ({@code getconf CLK_TCK}, 100 on Linux). */
    static final long TICKS_PER_SECOND = Long.getLong("bench.clk.tck", 100);
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private ProcStat() {
    }

    /** User + system CPU time of {@code pid} in nanoseconds (10 ms resolution); empty when it is gone. */
    public static Optional<Long> cpuNanos(long pid) {
        try {
            return Optional.of(cpuNanosOfStatLine(Files.readString(Path.of("/proc/" + pid + "/stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * CPU nanoseconds from a {@code /proc/<pid>/stat} line. The command name is in parentheses and
     * may itself contain spaces and parentheses, so fields are counted from the last ')': after it
     * come state (field 3 of proc(5)), ..., utime (14) and stime (15).
     */
    static long cpuNanosOfStatLine(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * NANOS_PER_TICK;
    }

    /**
     * CPU time each just-in-time compiler thread of JVM {@code pid} has used (its C1 and C2 compiler
     * threads, from {@code /proc/<pid>/task/<tid>/stat}), in nanoseconds by thread id; empty when the
     * process is gone. By thread, because HotSpot starts and stops compiler threads as the queue
     * grows and shrinks: a sum would drop when one ends.
     */
    public static Map<Long, Long> jitCpuNanosByThread(long pid) {
        Map<Long, Long> nanos = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isJitCompilerThread(stat)) {
                        nanos.put(Long.parseLong(task.getFileName().toString()), cpuNanosOfStatLine(stat));
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException processGone) {
            return Map.of();
        }
        return nanos;
    }

    /** JIT CPU used between two readings of {@link #jitCpuNanosByThread}: threads that ended keep what they used before. */
    static long jitNanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long used = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            used += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
        }
        return used;
    }

    /** Whether a thread's stat line is a HotSpot compiler thread's ("C1 CompilerThread0", cut to 15 characters). */
    static boolean isJitCompilerThread(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** Busy and total CPU time of the whole machine (all CPUs), in nanoseconds. */
    public record MachineCpu(long busyNanos, long totalNanos) {
    }

    public static MachineCpu machine() {
        try {
            return machineOfStatFile(Files.readString(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /**
     * From the first line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq softirq
     * steal guest guest_nice}. Busy is everything but idle and iowait; guest time is already inside
     * user and nice, so it is not added twice.
     */
    static MachineCpu machineOfStatFile(String procStat) {
        String line = procStat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cpu line"));
        String[] f = line.substring(4).trim().split(" +");
        long total = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[3]) + (f.length > 4 ? Long.parseLong(f[4]) : 0);
        return new MachineCpu((total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK);
    }

    /** Peak resident set size (VmHWM) of {@code pid} in bytes; 0 when it is gone. */
    public static long peakRssBytes(long pid) {
        try {
            return statusKb(Files.readString(Path.of("/proc/" + pid + "/status")), "VmHWM:") * 1024;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}, e.g. {@code VmHWM:}; 0 when absent. */
    static long statusKb(String status, String field) {
        return status.lines().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]))
                .orElse(0L);
    }
}
