package io.jettyspeed.local;

import io.jettyspeed.schemas.EnvironmentNumbers;
import io.jettyspeed.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the local run, from the command line and the environment.
 *
 * @param simulate          whether to start the traffic simulator against the gateway once everything runs
 * @param simulateRate      its uploads per minute
 * @param simulateDuration  how long it runs; {@link Duration#ZERO} = until the pipeline stops
 */
record LocalSettings(String dbUrl, String dbUser, String dbPassword, Path dataDir, int kafkaPort, int gatewayPort,
        boolean help, boolean simulate, double simulateRate, Duration simulateDuration) {

    static final double DEFAULT_SIMULATE_RATE = 30;

    /** Without the simulator. */
    LocalSettings(String dbUrl, String dbUser, String dbPassword, Path dataDir, int kafkaPort, int gatewayPort,
            boolean help) {
        this(dbUrl, dbUser, dbPassword, dataDir, kafkaPort, gatewayPort, help, false, DEFAULT_SIMULATE_RATE,
                Duration.ZERO);
    }

    static final String USAGE = """
            usage: ./jettyspeed run [--data-dir DIR] [--simulate [--rate N] [--duration D]] [--help]
              Starts Kafka (in-process), the gateway on :8080, the stream processors on :8081 and the sink on :8082.
              --simulate   also start synthetic traffic against the gateway with the local key: users uploading
                           (duplicates, resumes, failures) and 20 edge probes, one edge degrading and recovering
              --rate N     simulated uploads per minute (default 30)
              --duration D how long to simulate: 90s, 10m, 1h (default: until Ctrl-C)
            environment:
              JETTY_DB_URL       PostgreSQL JDBC URL   (default jdbc:postgresql://localhost:5432/jettyspeed)
              JETTY_DB_USER      database user         (default postgres)
              JETTY_DB_PASSWORD  database password     (default empty)
              JETTY_DATA_DIR     Kafka and state data  (default .jettyspeed)
              KAFKA_PORT         Kafka listener port   (default 9092)
              PORT               gateway port          (default 8080; processors and sink take the next two)""";

    static LocalSettings from(String[] args, Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("JETTY_DATA_DIR", ".jettyspeed"));
        boolean help = false;
        boolean simulate = false;
        Double rate = null;
        Duration duration = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> help = true;
                case "--simulate" -> simulate = true;
                case "--rate" -> {
                    rate = parseRate(value(args, ++i, "--rate needs uploads per minute"));
                }
                case "--duration" -> {
                    String text = value(args, ++i, "--duration needs a duration like 10m");
                    duration = SimulatorOptions.duration(text, "--duration");
                }
                case "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data-dir needs a folder");
                    }
                    dataDir = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!simulate && (rate != null || duration != null)) {
            throw new IllegalArgumentException("--rate and --duration go with --simulate");
        }
        return new LocalSettings(
                env.getOrDefault("JETTY_DB_URL", "jdbc:postgresql://localhost:5432/jettyspeed"),
                env.getOrDefault("JETTY_DB_USER", "postgres"),
                env.getOrDefault("JETTY_DB_PASSWORD", ""),
                dataDir,
                port(env, "KAFKA_PORT", 9092),
                port(env, "PORT", 8080),
                help,
                simulate,
                rate == null ? DEFAULT_SIMULATE_RATE : rate,
                duration == null ? Duration.ZERO : duration);
    }

    private static String value(String[] args, int i, String message) {
        if (i >= args.length) {
            throw new IllegalArgumentException(message);
        }
        return args[i];
    }

    private static double parseRate(String text) {
        try {
            double rate = Double.parseDouble(text);
            if (rate > 0 && rate <= 60_000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--rate must be uploads per minute, more than 0, was '" + text + "'");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return EnvironmentNumbers.wholeNumber(env, name, fallback, 1, 65_533, "a port number");
    }
}
