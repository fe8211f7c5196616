package io.jettyspeed.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the simulator does, from the command line (and {@code JETTY_API_KEY} for the key).
 *
 * @param url           base URL of the gateway; the simulator talks to nothing else
 * @param apiKey        an API key that may send upload and edge-metric events for any user (admin scope)
 * @param users         simulated users
 * @param uploadsPerMinute mean arrival rate of new uploads (Poisson)
 * @param duration      how long new uploads and probes are generated; {@link Duration#ZERO} = until stopped
 * @param seed          seed of every random choice: the same seed and run id give the same workload
 * @param runId         prefix of event ids and salt of file hashes, so a second run is new traffic, not replays
 * @param badEdge       the edge that degrades and recovers, in a cycle
 * @param cycle         length of one degrade-and-recover cycle of {@code badEdge}
 * @param probeInterval how often the twenty probes report (one batch per interval)
 * @param duplicateShare share of uploads whose content another upload already sent
 * @param resumeShare   share of uploads interrupted and resumed from a second device
 * @param failureShare  share of uploads that fail for good
 * @param threads       worker threads driving uploads
 * @param drain         after {@code duration}, how long uploads in flight may still finish
 */
public record SimulatorOptions(URI url, String apiKey, int users, double uploadsPerMinute, Duration duration,
        long seed, String runId, String badEdge, Duration cycle, Duration probeInterval, double duplicateShare,
        double resumeShare, double failureShare, int threads, Duration drain) {

    public static final String USAGE = """
            usage: java -jar simulator/target/simulator-0.1.0-SNAPSHOT-exec.jar --key ac_... [options]
              Synthetic traffic against a JettySpeed gateway, through its public HTTP API only.
            options:
              --url URL            gateway base URL                      (default http://localhost:8080)
              --key KEY            API key with admin scope              (default $JETTY_API_KEY)
              --users N            simulated users                       (default 50)
              --rate N             new uploads per minute                (default 30)
              --duration D         how long to run: 90s, 10m, 1h; 0 = until Ctrl-C  (default 10m)
              --seed N             seed of the workload                  (default 42)
              --run-id ID          event id prefix and file hash salt    (default random)
              --bad-edge EDGE      edge that degrades and recovers       (default edge-fra)
              --cycle D            one degrade-and-recover cycle         (default 4m)
              --probe-interval D   how often the 20 edge probes report   (default 1s)
              --duplicates F       share of duplicate content, 0..1      (default 0.2)
              --resumes F          share resumed from a second device    (default 0.1)
              --failures F         share of uploads that fail            (default 0.05)
              --threads N          worker threads                        (default 8)""";

    public SimulatorOptions {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("an API key is needed: --key ac_... or JETTY_API_KEY");
        }
        require(users >= 1 && users <= 1_000_000, "--users must be 1..1000000");
        require(uploadsPerMinute > 0 && uploadsPerMinute <= 60_000, "--rate must be more than 0 and at most 60000");
        require(!duration.isNegative(), "--duration must not be negative");
        require(cycle.toMillis() >= 10_000, "--cycle must be at least 10s");
        require(probeInterval.toMillis() >= 100, "--probe-interval must be at least 100ms");
        require(share(duplicateShare) && share(resumeShare) && share(failureShare), "shares must be in 0..1");
        require(resumeShare + failureShare <= 1, "--resumes plus --failures must not exceed 1");
        require(threads >= 1 && threads <= 256, "--threads must be 1..256");
        require(runId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"), "--run-id must be 1-32 letters, digits, _ . -");
    }

    /** Defaults for everything but where and with which key. */
    public static SimulatorOptions defaults(URI url, String apiKey) {
        return new SimulatorOptions(url, apiKey, 50, 30, Duration.ofMinutes(10), 42, randomRunId(), "edge-fra",
                Duration.ofMinutes(4), Duration.ofSeconds(1), 0.2, 0.1, 0.05, 8, Duration.ofSeconds(15));
    }

    public SimulatorOptions withRate(double value) {
        return new SimulatorOptions(url, apiKey, users, value, duration, seed, runId, badEdge, cycle, probeInterval,
                duplicateShare, resumeShare, failureShare, threads, drain);
    }

    public SimulatorOptions withDuration(Duration value) {
        return new SimulatorOptions(url, apiKey, users, uploadsPerMinute, value, seed, runId, badEdge, cycle,
                probeInterval, duplicateShare, resumeShare, failureShare, threads, drain);
    }

    public SimulatorOptions withRunId(String value) {
        return new SimulatorOptions(url, apiKey, users, uploadsPerMinute, duration, seed, value, badEdge, cycle,
                probeInterval, duplicateShare, resumeShare, failureShare, threads, drain);
    }

    public SimulatorOptions withCycle(Duration value) {
        return new SimulatorOptions(url, apiKey, users, uploadsPerMinute, duration, seed, runId, badEdge, value,
                probeInterval, duplicateShare, resumeShare, failureShare, threads, drain);
    }

    public boolean runsUntilStopped() {
        return duration.isZero();
    }

    public static SimulatorOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else if (arg.startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                name = arg.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, value);
        }
        String key = values.getOrDefault("key", env.get("JETTY_API_KEY"));
        SimulatorOptions d = defaults(URI.create("http://localhost:8080"), key == null ? "-" : key);
        URI url = URI.create(stripSlash(values.getOrDefault("url", d.url().toString())));
        if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http(s) URL, was " + url);
        }
        return new SimulatorOptions(url, key,
                integer(values, "users", d.users()),
                number(values, "rate", d.uploadsPerMinute()),
                values.containsKey("duration") ? duration(values.get("duration"), "--duration") : d.duration(),
                values.containsKey("seed") ? parseLong(values.get("seed"), "--seed") : d.seed(),
                values.getOrDefault("run-id", d.runId()),
                values.getOrDefault("bad-edge", d.badEdge()),
                values.containsKey("cycle") ? duration(values.get("cycle"), "--cycle") : d.cycle(),
                values.containsKey("probe-interval") ? duration(values.get("probe-interval"), "--probe-interval")
                        : d.probeInterval(),
                number(values, "duplicates", d.duplicateShare()),
                number(values, "resumes", d.resumeShare()),
                number(values, "failures", d.failureShare()),
                integer(values, "threads", d.threads()),
                d.drain());
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms}, {@code 1h30m}, or plain seconds. */
    public static Duration duration(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|h|m|s)").matcher(t);
        long millis = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long n = Long.parseLong(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = matcher.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException(option + " must be a duration like 90s, 10m or 1h, was '" + text + "'");
        }
        return Duration.ofMillis(millis);
    }

    static String randomRunId() {
        return "sim" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("url", "key", "users", "rate", "duration",
            "seed", "run-id", "bad-edge", "cycle", "probe-interval", "duplicates", "resumes", "failures", "threads");

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static int integer(Map<String, String> values, String name, int fallback) {
        return values.containsKey(name) ? (int) parseLong(values.get(name), "--" + name) : fallback;
    }

    private static double number(Map<String, String> values, String name, double fallback) {
        if (!values.containsKey(name)) {
            return fallback;
        }
        try {
            return Double.parseDouble(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + values.get(name) + "'");
        }
    }

    private static long parseLong(String text, String option) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + text + "'");
        }
    }

    private static boolean share(double value) {
        return value >= 0 && value <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code --help} was given. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }
}
