package io.jettyspeed.testing;

import java.util.Locale;
import java.util.Map;

/**
 * Which Kafka and which PostgreSQL a test JVM uses: a pure function of the environment and of two
 * probes (does a Docker engine answer, does {@code localhost:5432} accept connections), so every branch
 * is unit-tested without either. A probe is asked only when the decision depends on it: a set
 * {@code JETTY_TEST_KAFKA_BOOTSTRAP} never waits for a Docker probe.
 *
 * <p>Kafka ({@code JETTY_TEST_KAFKA=external|testcontainers|in-process} forces one):
 * <ol>
 *   <li>{@code external}: {@code JETTY_TEST_KAFKA_BOOTSTRAP} when it is set;</li>
 *   <li>{@code testcontainers}: a {@code KafkaContainer} ({@value KafkaContainers#IMAGE}) when a Docker
 *       engine answers;</li>
 *   <li>{@code in-process}: the real broker inside the test JVM otherwise.</li>
 * </ol>
 * PostgreSQL ({@code JETTY_TEST_DB=external|local|testcontainers} forces one):
 * <ol>
 *   <li>{@code external}: {@code JETTY_TEST_DB_URL} when it is set;</li>
 *   <li>{@code local}: {@code localhost:5432} when it accepts connections;</li>
 *   <li>{@code testcontainers}: a {@code PostgreSQLContainer} ({@value PostgresContainers#IMAGE}) when a
 *       Docker engine answers;</li>
 *   <li>otherwise no PostgreSQL: {@link Unavailable}, one line saying what to do.</li>
 * </ol>
 * A forced choice that is not available fails ({@link Unavailable}); it never falls back to another.
 */
public final class FixtureChoice {

    public static final String KAFKA_ENV = "JETTY_TEST_KAFKA";
    public static final String KAFKA_BOOTSTRAP_ENV = "JETTY_TEST_KAFKA_BOOTSTRAP";
    public static final String DB_ENV = "JETTY_TEST_DB";
    public static final String DB_URL_ENV = "JETTY_TEST_DB_URL";

    /** A source that a {@code JETTY_TEST_*} value can force: an enum constant, forced by its name in lower case. */
    public interface Forceable {
        /** The enum constant's name. */
        String name();

        /** The value of the forcing variable that selects this source: {@code IN_PROCESS} is {@code in-process}. */
        default String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Where the test broker comes from. */
    public enum KafkaSource implements Forceable {
        EXTERNAL, TESTCONTAINERS, IN_PROCESS
    }

    /** Where the test database server comes from. */
    public enum PostgresSource implements Forceable {
        EXTERNAL, LOCAL, TESTCONTAINERS
    }

    /** What the decision depends on besides the environment; asked lazily, at most once per decision. */
    public interface Probes {
        /** A Docker engine answers (Testcontainers can start containers). */
        boolean dockerAvailable();

        /** Something accepts connections on {@code localhost:5432}. */
        boolean localPostgresReachable();
    }

    /** The source chosen and why, in words for the one log line. */
    public record Decision<S extends Enum<S> & Forceable>(S source, String reason) {

        /** The one line a shared fixture prints: what it uses and where, why, and how to force another. */
        public String line(String fixture, String where, String variable) {
            return "[jettyspeed tests] " + fixture + ": " + source.value() + " " + where + " (" + reason + "; force with "
                    + variable + "=" + String.join("|", java.util.Arrays.stream(source.getDeclaringClass().getEnumConstants())
                            .map(Forceable::value).toList()) + ")";
        }
    }

    /** No fixture can be had as asked; the message is the one line to print. */
    public static final class Unavailable extends IllegalStateException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private FixtureChoice() {
    }

    public static Decision<KafkaSource> kafka(Map<String, String> env, Probes probes) {
        String forced = value(env, KAFKA_ENV);
        boolean bootstrapSet = value(env, KAFKA_BOOTSTRAP_ENV) != null;
        if (forced == null) {
            if (bootstrapSet) {
                return new Decision<>(KafkaSource.EXTERNAL, KAFKA_BOOTSTRAP_ENV + " is set");
            }
            if (probes.dockerAvailable()) {
                return new Decision<>(KafkaSource.TESTCONTAINERS, KAFKA_BOOTSTRAP_ENV + " is not set and a Docker engine answers");
            }
            return new Decision<>(KafkaSource.IN_PROCESS, KAFKA_BOOTSTRAP_ENV + " is not set and no Docker engine answers");
        }
        KafkaSource source = parse(KafkaSource.class, KAFKA_ENV, forced);
        return switch (source) {
            case EXTERNAL -> {
                if (!bootstrapSet) {
                    throw new Unavailable(KAFKA_ENV + "=external but " + KAFKA_BOOTSTRAP_ENV
                            + " is not set: set it to the broker's bootstrap servers");
                }
                yield forcedBy(KAFKA_ENV, source, false, KAFKA_BOOTSTRAP_ENV);
            }
            case TESTCONTAINERS -> {
                requireDocker(probes, KAFKA_ENV);
                yield forcedBy(KAFKA_ENV, source, false, KAFKA_BOOTSTRAP_ENV);
            }
            case IN_PROCESS -> forcedBy(KAFKA_ENV, source, bootstrapSet, KAFKA_BOOTSTRAP_ENV);
        };
    }

    public static Decision<PostgresSource> postgres(Map<String, String> env, Probes probes) {
        String forced = value(env, DB_ENV);
        boolean urlSet = value(env, DB_URL_ENV) != null;
        if (forced == null) {
            if (urlSet) {
                return new Decision<>(PostgresSource.EXTERNAL, DB_URL_ENV + " is set");
            }
            if (probes.localPostgresReachable()) {
                return new Decision<>(PostgresSource.LOCAL, DB_URL_ENV + " is not set and localhost:5432 answers");
            }
            if (probes.dockerAvailable()) {
                return new Decision<>(PostgresSource.TESTCONTAINERS,
                        DB_URL_ENV + " is not set, localhost:5432 does not answer, and a Docker engine answers");
            }
            throw new Unavailable("no PostgreSQL for the tests: " + DB_URL_ENV + " is not set, nothing answers on"
                    + " localhost:5432 and no Docker engine answers; start PostgreSQL (or Docker), or set " + DB_URL_ENV);
        }
        PostgresSource source = parse(PostgresSource.class, DB_ENV, forced);
        return switch (source) {
            case EXTERNAL -> {
                if (!urlSet) {
                    throw new Unavailable(DB_ENV + "=external but " + DB_URL_ENV + " is not set: set it to a JDBC URL"
                            + " (jdbc:postgresql://host:5432/jettyspeed_test)");
                }
                yield forcedBy(DB_ENV, source, false, DB_URL_ENV);
            }
            case LOCAL -> {
                if (!probes.localPostgresReachable()) {
                    throw new Unavailable(DB_ENV + "=local but nothing answers on localhost:5432: start PostgreSQL,"
                            + " or unset " + DB_ENV);
                }
                yield forcedBy(DB_ENV, source, urlSet, DB_URL_ENV);
            }
            case TESTCONTAINERS -> {
                requireDocker(probes, DB_ENV);
                yield forcedBy(DB_ENV, source, urlSet, DB_URL_ENV);
            }
        };
    }

    /** The decision for a source forced by {@code variable}, saying so, and that {@code setting} is ignored if it is. */
    private static <S extends Enum<S> & Forceable> Decision<S> forcedBy(String variable, S source, boolean ignored,
            String setting) {
        return new Decision<>(source, "forced by " + variable + "=" + source.value()
                + (ignored ? " (" + setting + " ignored)" : ""));
    }

    /** A container was asked for by {@code variable}: without Docker that is one line, never a fallback. */
    private static void requireDocker(Probes probes, String variable) {
        if (!probes.dockerAvailable()) {
            throw new Unavailable(variable + "=testcontainers but no Docker engine answers: start Docker"
                    + " (or point DOCKER_HOST at one), or unset " + variable);
        }
    }

    private static <S extends Enum<S> & Forceable> S parse(Class<S> type, String name, String forced) {
        for (S source : type.getEnumConstants()) {
            if (source.value().equals(forced.toLowerCase(Locale.ROOT))) {
                return source;
            }
        }
        throw new Unavailable(name + "=" + forced + " is not one of " + String.join("|",
                java.util.Arrays.stream(type.getEnumConstants()).map(Forceable::value).toList()));
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
