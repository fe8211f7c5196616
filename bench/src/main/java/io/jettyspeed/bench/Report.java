package io.jettyspeed.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The rows of one run, printed as a Markdown table and written as JSON and Markdown. */
public final class Report {

    /** One line of the table. */
    public record Row(String row, String measure, String result, String ours, String raw, String cpu, String target,
            String met, String note, Map<String, Object> data) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> info = new LinkedHashMap<>();

    public void ratio(String row, String measure, String unit, Pairs pairs, double target, String note) {
        double ratio = pairs.ratio();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ratio", ratio);
        data.put("rateOurs", pairs.rateA());
        data.put("rateRaw", pairs.rateB());
        data.put("cpuMicrosPerEventOurs", pairs.cpuA() / 1000);
        data.put("cpuMicrosPerEventRaw", pairs.cpuB() / 1000);
        data.put("pairs", pairs.size());
        data.put("unit", unit);
        data.put("target", Double.isNaN(target) ? null : target);
        rows.add(new Row(row, measure, f2(ratio), f0(pairs.rateA()) + " " + unit, f0(pairs.rateB()) + " " + unit,
                f1(pairs.cpuA() / 1000) + " / " + f1(pairs.cpuB() / 1000),
                Double.isNaN(target) ? "—" : "≥ " + target,
                Double.isNaN(target) ? "—" : ratio >= target ? "met" : "missed (" + f2(ratio / target) + "× of target)",
                note, data));
    }

    public void latency(String row, String measure, Histogram h, double targetP99Ms, String note) {
        double p50 = h.getValueAtPercentile(50) / 1000.0;
        double p99 = h.getValueAtPercentile(99) / 1000.0;
        double p999 = h.getValueAtPercentile(99.9) / 1000.0;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("p50Ms", p50);
        data.put("p99Ms", p99);
        data.put("p999Ms", p999);
        data.put("maxMs", h.getMaxValue() / 1000.0);
        data.put("requests", h.getTotalCount());
        data.put("targetP99Ms", targetP99Ms);
        rows.add(new Row(row, measure, "p50 " + f2(p50) + " / p99 " + f2(p99) + " / p99.9 " + f2(p999) + " ms",
                h.getTotalCount() + " requests", "—", "—", "p99 ≤ " + f0(targetP99Ms) + " ms",
                p99 <= targetP99Ms ? "met" : "missed by " + f2(p99 - targetP99Ms) + " ms", note, data));
    }

    public void endToEnd(String row, String measure, Histogram h, double targetP99Ms, String note) {
        double p50 = h.getValueAtPercentile(50) / 1000.0;
        double p99 = h.getValueAtPercentile(99) / 1000.0;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("p50Ms", p50);
        data.put("p99Ms", p99);
        data.put("maxMs", h.getMaxValue() / 1000.0);
        data.put("events", h.getTotalCount());
        data.put("targetP99Ms", targetP99Ms);
        rows.add(new Row(row, measure, "p50 " + f0(p50) + " / p99 " + f0(p99) + " ms", h.getTotalCount() + " events",
                "—", "—", "p99 ≤ " + f0(targetP99Ms) + " ms",
                p99 <= targetP99Ms ? "met" : "missed by " + f0(p99 - targetP99Ms) + " ms", note, data));
    }

    public void memory(String row, String measure, long bytes) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("peakRssMB", bytes / 1e6);
        rows.add(new Row(row, measure, f0(bytes / 1e6) + " MB", "—", "—", "—", "—", "—", "VmHWM of the process", data));
    }

    public void info(String key, Object value) {
        info.put(key, value);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| row | measure | result | ours | raw | CPU µs/event ours / raw | target | |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(String.join(" | ", r.row(), r.measure(), r.result(), r.ours(), r.raw(), r.cpu(),
                    r.target(), r.met())).append(" |\n");
        }
        sb.append("\nNotes:\n");
        for (Row r : rows) {
            if (!r.note().isEmpty() && !r.note().startsWith("VmHWM")) {
                sb.append("- ").append(r.row()).append(", ").append(r.measure()).append(": ").append(r.note()).append('\n');
            }
        }
        info.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v instanceof Double d ? f1(d) : v).append('\n'));
        return sb.toString();
    }

    public String json() {
        StringBuilder sb = new StringBuilder("{\n  \"rows\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r.row());
            m.put("measure", r.measure());
            m.put("result", r.result());
            m.put("met", r.met());
            m.put("note", r.note());
            m.putAll(r.data());
            sb.append("    ").append(object(m)).append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"info\": ").append(object(info)).append("\n}\n");
        return sb.toString();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench.json"), json());
        Files.writeString(dir.resolve("bench.md"), markdown());
    }

    static String object(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder("{");
        map.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(quote(k)).append(": ");
            if (v == null || (v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
                sb.append("null");
            } else if (v instanceof Number n) {
                sb.append(n instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : n.toString());
            } else {
                sb.append(quote(v.toString()));
            }
        });
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
