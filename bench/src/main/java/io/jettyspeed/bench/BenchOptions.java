package io.jettyspeed.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every knob of the benchmark, each a {@code -Dbench.*} system property with its default (listed
 * in the README's "Performance" section).
 *
 * @param rows           which rows run ({@code bench.only}: numbers 1-6 or ingest, processing, sink, read, e2e)
 * @param pairs          A/B pairs per ratio ({@code bench.pairs}); the median of the per-pair ratios is reported
 * @param window         length of one closed-loop window ({@code bench.window.ms})
 * @param warmUp         the most time a warm-up phase of rows 1-2 may take ({@code bench.warmup.ms})
 * @param warmUpRequests requests of each HTTP warm-up phase of row 1 ({@code bench.warmup.requests}); row 2 sends
 *                       a tenth as many (each carries {@code batchSize} events)
 * @param connections    connections/threads of row 1 ({@code bench.connections})
 * @param batchConnections connections/threads of row 2 ({@code bench.batch.connections})
 * @param batchSize      events per request/round of row 2 ({@code bench.batch.size})
 * @param burst          records per burst of row 3 ({@code bench.burst}); the warm-up burst is a fifth of it
 * @param sinkRows       rows per side of row 4 ({@code bench.sink.rows})
 * @param ingestRate     edge samples per second behind rows 5 and 6 ({@code bench.ingest.rate})
 * @param readRate       requests per second of row 5 ({@code bench.read.rate})
 * @param readConnections connections of row 5's open loop ({@code bench.read.connections})
 * @param readWindow     measured window per endpoint of row 5 ({@code bench.read.ms})
 * @param readHitShare   share of row 5's check-duplicate requests for stored content ({@code bench.read.hits})
 * @param e2eRate        upload starts per second of row 6 ({@code bench.e2e.rate})
 * @param e2eWindow      measured window of row 6 ({@code bench.e2e.ms})
 * @param latencyWarmUp  one warm-up round of rows 5 and 6 at their load ({@code bench.latency.warmup.ms})
 * @param latencyWarmUpMax the most time rows 5 and 6 repeat warm-up rounds ({@code bench.latency.warmup.max.ms})
 * @param jitSettledCores a warm-up round after which no service's JIT compilers used more than this many cores
 *                       ends the warm-up ({@code bench.jit.settled.cores})
 * @param heaps          -Xmx of each child JVM ({@code bench.heap.gateway|processors|sink|broker})
 * @param jvmOptions     further options for every service JVM ({@code bench.jvm.options}, space-separated)
 * @param lingerMs       linger.ms of the gateway's producer and of the raw producer ({@code bench.linger.ms});
 *                       empty: the gateway's configured value
 * @param idleCores      our processes together must use at most this many cores to count as quiet ({@code bench.idle.cores})
 * @param idleSample     CPU sample of the quiet check ({@code bench.idle.sample.ms})
 * @param idleTimeout    how long to wait for quiet before going on, marked NOT QUIET ({@code bench.idle.timeout.ms})
 * @param poll           how often progress is read through the Admin API during a window ({@code bench.poll.ms})
 * @param settle         how long all topics must stay unchanged before a burst counts as processed ({@code bench.settle.ms})
 * @param profile        service to record with JFR in every row it runs in ({@code bench.profile}: gateway, processors, sink)
 * @param settings       further settings of a service, by service ({@code bench.set.<service>.<setting>=<value>},
 *                       e.g. {@code -Dbench.set.processors.jetty.processors.commit-interval=50ms}): for trying a
 *                       setting side by side with the default without a code change
 * @param out            where results go ({@code bench.out})
 * @param dbUrl          database of the run, dropped and created ({@code JETTY_BENCH_DB_URL})
 */
public record BenchOptions(Set<Integer> rows, int pairs, Duration window, Duration warmUp, long warmUpRequests, int connections,
        int batchConnections, int batchSize, int burst, int sinkRows, int ingestRate, int readRate, int readConnections,
        Duration readWindow, double readHitShare, int e2eRate, Duration e2eWindow, Duration latencyWarmUp,
        Duration latencyWarmUpMax, double jitSettledCores,
        Map<String, String> heaps, String jvmOptions, String lingerMs, double idleCores, Duration idleSample,
        Duration idleTimeout, Duration poll, Duration settle, String profile, Map<String, Map<String, String>> settings,
        Path out, String dbUrl) {

    public static BenchOptions fromSystemProperties() {
        return new BenchOptions(
                rows(System.getProperty("bench.only", "1,2,3,4,5,6")),
                Integer.getInteger("bench.pairs", 3),
                ms("bench.window.ms", 3000),
                ms("bench.warmup.ms", 60_000),
                Long.getLong("bench.warmup.requests", 10_000),
                Integer.getInteger("bench.connections", 16),
                Integer.getInteger("bench.batch.connections", 8),
                Integer.getInteger("bench.batch.size", 100),
                Integer.getInteger("bench.burst", 20_000),
                Integer.getInteger("bench.sink.rows", 50_000),
                Integer.getInteger("bench.ingest.rate", 2_000),
                Integer.getInteger("bench.read.rate", 1_000),
                Integer.getInteger("bench.read.connections", 32),
                ms("bench.read.ms", 5000),
                Double.parseDouble(System.getProperty("bench.read.hits", "0.5")),
                Integer.getInteger("bench.e2e.rate", 50),
                ms("bench.e2e.ms", 10_000),
                ms("bench.latency.warmup.ms", 3000),
                ms("bench.latency.warmup.max.ms", 120_000),
                Double.parseDouble(System.getProperty("bench.jit.settled.cores", "0.05")),
                // The heap each service needs under the benchmark: the gateway and the sink 128m (96m lowered no
                // peak RSS, nothing ran slower than with 256m); the processors 256m (with 128m or 192m the
                // exactly-once side of row 3 fell to 0.74-0.86 of the at-least-once side, with 256m 1.03 twice).
                // And the collector the JVM itself picks with under 2 CPUs or under 1792 MB of memory
                // (deploy/k8s gives the gateway and the sink 1 GiB): Serial.
                Map.of("gateway", System.getProperty("bench.heap.gateway", "128m"),
                        "processors", System.getProperty("bench.heap.processors", "256m"),
                        "sink", System.getProperty("bench.heap.sink", "128m"),
                        "broker", System.getProperty("bench.heap.broker", "768m")),
                System.getProperty("bench.jvm.options", "-XX:+UseSerialGC"),
                System.getProperty("bench.linger.ms", ""),
                Double.parseDouble(System.getProperty("bench.idle.cores", "0.15")),
                ms("bench.idle.sample.ms", 500),
                ms("bench.idle.timeout.ms", 60_000),
                ms("bench.poll.ms", 20),
                ms("bench.settle.ms", 300),
                System.getProperty("bench.profile", ""),
                settings(System.getProperties()),
                Path.of(System.getProperty("bench.out", "bench/target/bench")),
                System.getenv().getOrDefault("JETTY_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/jettyspeed_bench"));
    }

    /** {@code bench.set.<service>.<setting>} properties, by service and setting. */
    static Map<String, Map<String, String>> settings(Properties properties) {
        Map<String, Map<String, String>> byService = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("bench.set.")) {
                String rest = name.substring("bench.set.".length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new IllegalArgumentException(name + ": expected bench.set.<service>.<setting>");
                }
                byService.computeIfAbsent(rest.substring(0, dot), s -> new TreeMap<>())
                        .put(rest.substring(dot + 1), properties.getProperty(name));
            }
        }
        return byService;
    }

    /** "1,2,5" or names: ingest (1, 2), processing (3), sink (4), read (5), e2e (6). */
    static Set<Integer> rows(String spec) {
        Set<Integer> rows = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            switch (p) {
                case "" -> { }
                case "ingest" -> { rows.add(1); rows.add(2); }
                case "processing", "processors" -> rows.add(3);
                case "sink" -> rows.add(4);
                case "read" -> rows.add(5);
                case "e2e", "end-to-end" -> rows.add(6);
                default -> {
                    int row = Integer.parseInt(p);
                    if (row < 1 || row > 6) {
                        throw new IllegalArgumentException("bench.only: no row " + row + " (1-6; row 7 always runs)");
                    }
                    rows.add(row);
                }
            }
        }
        return Set.copyOf(rows);
    }

    /** -Xmx of a child JVM by its service. */
    public String heap(String service) {
        return heaps.getOrDefault(service, "256m");
    }

    private static Duration ms(String name, long defaultMillis) {
        return Duration.ofMillis(Long.getLong(name, defaultMillis));
    }
}
