package io.jettyspeed.testing;

import io.jettyspeed.testing.FixtureChoice.Decision;
import io.jettyspeed.testing.FixtureChoice.PostgresSource;

/**
 * The PostgreSQL server of the whole test JVM, chosen once by {@link FixtureChoice#postgres} and
 * announced in one line on standard error: {@code JETTY_TEST_DB_URL} (user {@code JETTY_TEST_DB_USER},
 * default {@code postgres}; password {@code JETTY_TEST_DB_PASSWORD}), else {@code localhost:5432}, else a
 * PostgreSQL 15 container where a Docker engine answers. {@code JETTY_TEST_DB=external|local|testcontainers}
 * forces one. {@link PostgresSchema} gives each test class a schema of its own on it.
 */
public final class SharedPostgres {

    /** The database the tests use (created if missing on an external or local server). */
    public static final String DATABASE = "jettyspeed_test";

    /** How to reach the server: a JDBC URL naming {@link #DATABASE} (or the external URL's), user, password. */
    public record Server(String jdbcUrl, String user, String password) {
    }

    private static Server server;

    private SharedPostgres() {
    }

    public static synchronized Server server() {
        if (server == null) {
            Decision<PostgresSource> decision = FixtureChoice.postgres(System.getenv(), FixtureProbes.INSTANCE);
            Server chosen = switch (decision.source()) {
                case EXTERNAL -> new Server(System.getenv(FixtureChoice.DB_URL_ENV), user(), password());
                case LOCAL -> new Server("jdbc:postgresql://localhost:5432/" + DATABASE, user(), password());
                case TESTCONTAINERS -> PostgresContainers.start();
            };
            System.err.println(decision.line("PostgreSQL", "at " + chosen.jdbcUrl(), FixtureChoice.DB_ENV));
            server = chosen;
        }
        return server;
    }

    private static String user() {
        String user = System.getenv("JETTY_TEST_DB_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    private static String password() {
        String password = System.getenv("JETTY_TEST_DB_PASSWORD");
        return password == null ? "" : password;
    }
}
