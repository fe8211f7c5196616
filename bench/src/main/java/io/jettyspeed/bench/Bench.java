package io.jettyspeed.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark (issue 11): the rows of the README's performance table, each measured against the
 * raw Kafka or PostgreSQL client doing the same work on the same machine in the same run.
 *
 * <p>The harness: a {@link Lab} (broker in a child JVM, a fresh database, an API key); each row
 * runs in a {@link Stage} of its own with only the services it needs, started for it and stopped
 * after it, on topics of its own, and every window starts after an {@link IdleCheck}. Sides are
 * measured back to back in {@link Pairs} (A B, then B A), the median of the per-pair ratios is
 * reported, and every window records the CPU of each process ({@link CpuMeter}). The rows:
 * {@link SingleEventIngestRow}, {@link BatchIngestRow}, {@link ProcessorsRow}, {@link SinkRow},
 * {@link ReadLatencyRow}, {@link EndToEndRow}, {@link PeakRssRow}. The {@link Report} is printed and
 * written to {@code bench/target/bench/bench.{md,json}}, headed by the commit it came from.
 */
public final class Bench {

    static final List<Row> ROWS = List.of(new SingleEventIngestRow(), new BatchIngestRow(), new ProcessorsRow(),
            new SinkRow(), new ReadLatencyRow(), new EndToEndRow());

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // The admin and client libraries log at INFO; the table is what matters here.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        BenchOptions options = BenchOptions.fromSystemProperties();
        Provenance provenance = Provenance.of(Path.of("."));
        log("code: " + provenance.describe());
        Report report = new Report();
        long started = System.nanoTime();
        int status = 0;
        Instant at = Instant.now();
        try (Lab lab = Lab.start(options)) {
            for (Row row : ROWS) {
                if (!options.rows().contains(row.number())) {
                    continue;
                }
                try {
                    row.run(lab, report);
                } catch (Exception | Error e) {
                    status = 1;
                    log(row.title() + " FAILED: " + e);
                    e.printStackTrace(System.out);
                    report.info("row " + row.number() + " failed", e.toString());
                }
            }
            new PeakRssRow().run(lab, report);
            report.idleChecks(lab.idleChecks());
            report.heading(provenance, String.format(Locale.ROOT,
                    "%s UTC: %d CPUs, Java %s, %.0f s; -Xmx gateway %s, processors %s, sink %s (broker %s);"
                            + " %d pair(s) of %,d ms windows; service JVM options `%s`%s",
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(at),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    (System.nanoTime() - started) / 1e9, options.heap("gateway"), options.heap("processors"),
                    options.heap("sink"), options.heap("broker"), options.pairs(), options.window().toMillis(),
                    options.jvmOptions(), options.settings().isEmpty() ? "" : "; settings " + options.settings()));
        } catch (Exception | Error e) {
            status = 1;
            e.printStackTrace(System.out);
        }
        report.write(options.out());
        System.out.println();
        System.out.println(report.markdown());
        log("written " + options.out().resolve("bench.json") + " and " + options.out().resolve("bench.md"));
        System.exit(status);
    }

    static void log(String message) {
        System.out.printf("[bench %s] %s%n", LocalTime.now().withNano(0), message);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
