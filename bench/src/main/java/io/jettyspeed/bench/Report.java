package io.jettyspeed.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The results of one run: the table the README shows (written as {@code bench.md} exactly as it
 * goes there, headed by the commit it came from), the CPU per event of every process for every
 * side, and the same as {@code bench.json} with every pair's numbers.
 */
public final class Report {

    /** Processes in the order of the CPU table's columns; others follow in the order met. */
    static final List<String> PROCESS_ORDER = List.of("gateway", "processors", "processors-eos", "processors-alos",
            "sink", Lab.BROKER, Lab.POSTGRES, Lab.LOAD_GENERATOR);

    /** A target: at least or at most {@code value}, or none. */
    public record Target(String op, double value) {
        public static Target atLeast(double value) {
            return new Target("≥", value);
        }

        public static Target atMost(double value) {
            return new Target("≤", value);
        }

        public static Target none() {
            return new Target("", Double.NaN);
        }

        public boolean exists() {
            return !op.isEmpty();
        }

        public boolean met(double result) {
            return op.equals("≥") ? result >= value : result <= value;
        }
    }

    /** One line of the main table. */
    public record Line(String row, String measure, String result, String ours, String raw, String cpu, String target,
            String verdict, String note, Map<String, Object> data) {
    }

    /** One line of the CPU table: CPU µs per event by process for one side of a row. */
    public record CpuLine(String row, String side, Map<String, Double> microsByProcess, double totalMicros) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<CpuLine> cpuLines = new ArrayList<>();
    private final Set<String> cpuSides = new HashSet<>();
    private final Map<String, Object> info = new LinkedHashMap<>();
    private final List<String> idleChecks = new ArrayList<>();
    private String heading = "";
    private Map<String, Object> provenance = Map.of();

    /** Rate of A ÷ rate of B, median over the pairs. */
    public void ratio(String row, String measure, String unit, Pairs pairs, Target target, String note) {
        double ratio = pairs.ratio();
        Map<String, Object> data = pairData(pairs, unit);
        data.put("ratio", ratio);
        lines.add(new Line(row, measure, f2(ratio), f0(pairs.rateA()) + " " + unit, f0(pairs.rateB()) + " " + unit,
                f1(pairs.cpuA() / 1000) + " / " + f1(pairs.cpuB() / 1000), targetText(target, ""),
                verdictOfRatio(target, ratio), note, withTarget(data, target)));
        cpu(row, pairs.a());
        cpu(row, pairs.b());
    }

    /** CPU per event of one process on side A ÷ on side B, median over the pairs. */
    public void cpuRatio(String row, String measure, String process, Pairs pairs, Target target, String note) {
        double ratio = pairs.cpuRatio(process);
        double a = Pairs.median(pairs.a(), s -> s.cpuNanosPerEvent(process)) / 1000;
        double b = Pairs.median(pairs.b(), s -> s.cpuNanosPerEvent(process)) / 1000;
        Map<String, Object> data = pairData(pairs, "events/s");
        data.put("ratio", ratio);
        data.put("process", process);
        data.put("cpuMicrosPerEventProcessOurs", a);
        data.put("cpuMicrosPerEventProcessRaw", b);
        lines.add(new Line(row, measure, f2(ratio) + "×", f1(a) + " µs/event (" + process + ")",
                f1(b) + " µs/event (" + process + ")", f1(pairs.cpuA() / 1000) + " / " + f1(pairs.cpuB() / 1000),
                targetText(target, "×"), verdictOfRatio(target, ratio), note, withTarget(data, target)));
        cpu(row, pairs.a());
        cpu(row, pairs.b());
    }

    /** Latency percentiles of an open-loop window, against a p99 target in ms. */
    public void latency(String row, String measure, Histogram h, Side side, Target p99Target, String note) {
        double p50 = h.getValueAtPercentile(50) / 1000.0;
        double p99 = h.getValueAtPercentile(99) / 1000.0;
        double p999 = h.getValueAtPercentile(99.9) / 1000.0;
        Map<String, Object> data = Json.object("p50Ms", p50, "p99Ms", p99, "p999Ms", p999,
                "maxMs", h.getMaxValue() / 1000.0, "count", h.getTotalCount(),
                "cpuMicrosPerEventOurs", side.totalCpuNanosPerEvent() / 1000,
                "cpuMicrosPerEventByProcessOurs", side.cpuMicrosPerEventByProcess(),
                "otherProgramsCores", side.cpu().foreignCores());
        lines.add(new Line(row, measure, "p50 " + f2(p50) + " / p99 " + f2(p99) + " / p99.9 " + f2(p999) + " ms",
                f0(h.getTotalCount()) + " " + side.label(), "—", f1(side.totalCpuNanosPerEvent() / 1000) + " / —",
                targetText(p99Target, " ms").replace("≤", "p99 ≤"),
                !p99Target.exists() ? "—" : p99Target.met(p99) ? "met" : "missed by " + f2(p99 - p99Target.value()) + " ms",
                note, withTarget(data, p99Target)));
        cpu(row, List.of(side));
    }

    /** Peak resident set size of one process. */
    public void memory(String row, String measure, long bytes, Target targetMb, String note) {
        double mb = bytes / 1e6;
        Map<String, Object> data = Json.object("peakRssMB", mb);
        lines.add(new Line(row, measure, f0(mb) + " MB", "—", "—", "—", targetText(targetMb, " MB"),
                !targetMb.exists() ? "—" : targetMb.met(mb) ? "met" : "missed by " + f0(mb - targetMb.value()) + " MB",
                note, withTarget(data, targetMb)));
    }

    public void info(String key, Object value) {
        info.put(key, value);
    }

    /** The line above the tables: where the numbers come from. */
    public void heading(Provenance p, String text) {
        this.heading = "Produced by `./jettyspeed bench` from " + p.describe() + ", " + text;
        this.provenance = Json.object("commit", p.commit(), "branch", p.branch(), "dirty", p.dirty(),
                "changedFiles", p.changed());
    }

    public void idleChecks(Collection<String> checks) {
        idleChecks.clear();
        idleChecks.addAll(checks);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<CpuLine> cpuLines() {
        return List.copyOf(cpuLines);
    }

    private void cpu(String row, List<Side> sides) {
        if (sides.isEmpty() || !cpuSides.add(row + "/" + sides.get(0).label())) {
            return;
        }
        Set<String> processes = new LinkedHashSet<>();
        sides.forEach(s -> processes.addAll(s.cpu().byProcess().keySet()));
        Map<String, Double> micros = new LinkedHashMap<>();
        for (String p : processes) {
            micros.put(p, Pairs.median(sides, s -> s.cpuNanosPerEvent(p)) / 1000);
        }
        cpuLines.add(new CpuLine(row, sides.get(0).label(), micros, Pairs.median(sides, Side::totalCpuNanosPerEvent) / 1000));
    }

    /** The CPU table's columns: the processes that appear, in {@link #PROCESS_ORDER}. */
    List<String> cpuColumns() {
        Set<String> seen = new LinkedHashSet<>();
        cpuLines.forEach(l -> seen.addAll(l.microsByProcess().keySet()));
        List<String> columns = new ArrayList<>(PROCESS_ORDER.stream().filter(seen::contains).toList());
        seen.stream().filter(p -> !columns.contains(p)).forEach(columns::add);
        return columns;
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        if (!heading.isEmpty()) {
            sb.append(heading).append("\n\n");
        }
        sb.append("| row | measure | result | ours | raw | CPU µs/event ours / raw | target | |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Line l : lines) {
            sb.append("| ").append(String.join(" | ", l.row(), l.measure(), l.result(), l.ours(), l.raw(), l.cpu(),
                    l.target(), l.verdict())).append(" |\n");
        }
        if (!cpuLines.isEmpty()) {
            List<String> columns = cpuColumns();
            sb.append("\nCPU µs per event by process (median over the pairs; total: median of the per-window totals):\n\n");
            sb.append("| row | side | ").append(String.join(" | ", columns)).append(" | total |\n");
            sb.append("|---|---|").append("---|".repeat(columns.size() + 1)).append('\n');
            for (CpuLine l : cpuLines) {
                sb.append("| ").append(l.row()).append(" | ").append(l.side()).append(" | ");
                for (String c : columns) {
                    Double v = l.microsByProcess().get(c);
                    sb.append(v == null ? "—" : f1(v)).append(" | ");
                }
                sb.append(f1(l.totalMicros())).append(" |\n");
            }
        }
        sb.append("\nNotes:\n");
        for (Line l : lines) {
            if (!l.note().isEmpty()) {
                sb.append("- ").append(l.row()).append(", ").append(l.measure()).append(": ").append(l.note()).append('\n');
            }
        }
        if (!idleChecks.isEmpty()) {
            long notQuiet = idleChecks.stream().filter(c -> c.contains("NOT QUIET")).count();
            sb.append("- idle checks before windows: ").append(idleChecks.size()).append(", ")
                    .append(notQuiet == 0 ? "all quiet" : notQuiet + " NOT QUIET (see bench.json)").append('\n');
        }
        info.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v instanceof Double d ? f1(d) : v).append('\n'));
        return sb.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("provenance", provenance);
        List<Object> rows = new ArrayList<>();
        for (Line l : lines) {
            Map<String, Object> m = Json.object("row", l.row(), "measure", l.measure(), "result", l.result(),
                    "verdict", l.verdict(), "note", l.note());
            m.putAll(l.data());
            rows.add(m);
        }
        root.put("rows", rows);
        List<Object> cpu = new ArrayList<>();
        for (CpuLine l : cpuLines) {
            cpu.add(Json.object("row", l.row(), "side", l.side(), "cpuMicrosPerEventByProcess", l.microsByProcess(),
                    "cpuMicrosPerEventTotal", l.totalMicros()));
        }
        root.put("cpu", cpu);
        root.put("idleChecks", idleChecks);
        root.put("info", info);
        return Json.write(root) + "\n";
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench.json"), json());
        Files.writeString(dir.resolve("bench.md"), markdown());
    }

    private static Map<String, Object> pairData(Pairs pairs, String unit) {
        Map<String, Object> data = Json.object("unit", unit, "pairs", pairs.size(), "rateOurs", pairs.rateA(),
                "rateRaw", pairs.rateB(), "cpuMicrosPerEventOurs", pairs.cpuA() / 1000,
                "cpuMicrosPerEventRaw", pairs.cpuB() / 1000);
        List<Object> each = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            each.add(List.of(side(pairs.a().get(i)), side(pairs.b().get(i))));
        }
        data.put("eachPair", each);
        return data;
    }

    private static Map<String, Object> side(Side s) {
        return Json.object("side", s.label(), "events", s.events(), "seconds", s.seconds(), "rate", s.rate(),
                "cpuMicrosPerEventByProcess", s.cpuMicrosPerEventByProcess(),
                "otherProgramsCores", s.cpu().foreignCores());
    }

    private static Map<String, Object> withTarget(Map<String, Object> data, Target target) {
        data.put("target", target.exists() ? target.op() + " " + target.value() : null);
        return data;
    }

    private static String targetText(Target target, String unit) {
        return target.exists() ? target.op() + " " + trim(target.value()) + unit : "—";
    }

    private static String verdictOfRatio(Target target, double ratio) {
        if (!target.exists()) {
            return "—";
        }
        if (target.met(ratio)) {
            return "met";
        }
        return target.op().equals("≥") ? "missed (" + f2(ratio / target.value()) + "× of target)"
                : "missed (" + f2(ratio / target.value()) + "× the target)";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.valueOf(v);
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
