package io.jettyspeed.local;

import java.nio.file.Path;
import java.util.Map;

/** Settings of the local run, from the command line and the environment. */
record LocalSettings(String dbUrl, String dbUser, String dbPassword, Path dataDir, int kafkaPort, int gatewayPort,
        boolean help) {

    static final String USAGE = """
            usage: ./jettyspeed run [--data-dir DIR] [--help]
              Starts Kafka (in-process), the gateway on :8080, the stream processors on :8081 and the sink on :8082.
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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> help = true;
                case "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--data-dir needs a folder");
                    }
                    dataDir = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new LocalSettings(
                env.getOrDefault("JETTY_DB_URL", "jdbc:postgresql://localhost:5432/jettyspeed"),
                env.getOrDefault("JETTY_DB_USER", "postgres"),
                env.getOrDefault("JETTY_DB_PASSWORD", ""),
                dataDir,
                port(env, "KAFKA_PORT", 9092),
                port(env, "PORT", 8080),
                help);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65_533) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'");
        }
    }
}
