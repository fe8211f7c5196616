package io.jettyspeed.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh PostgreSQL schema of its own in the real database, dropped after the
 * class. Use as a static {@code @RegisterExtension} field.
 *
 * <p>The server is the test JVM's {@link SharedPostgres} ({@code JETTY_TEST_DB_URL}, else
 * {@code localhost:5432}, else a PostgreSQL container where Docker answers; {@code JETTY_TEST_DB} forces
 * one); the database is created if missing.
 */
public final class PostgresSchema implements BeforeAllCallback, AfterAllCallback {

    private String schema;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        createDatabaseIfMissing();
        schema = SharedKafka.uniqueId("test").replace('-', '_');
        try (Connection c = DriverManager.getConnection(baseUrl(), user(), password()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl(), user(), password()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    public String schema() {
        return schema;
    }

    /** JDBC URL whose connections use this class's schema. */
    public String jdbcUrl() {
        return jdbcUrl(schema);
    }

    /** JDBC URL whose connections use {@code otherSchema} of the same database, e.g. one a test made for a second service. */
    public String jdbcUrl(String otherSchema) {
        String baseUrl = baseUrl();
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + otherSchema;
    }

    public String user() {
        return SharedPostgres.server().user();
    }

    public String password() {
        return SharedPostgres.server().password();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    private static String baseUrl() {
        return SharedPostgres.server().jdbcUrl();
    }

    private void createDatabaseIfMissing() throws SQLException {
        String baseUrl = baseUrl();
        int slash = baseUrl.lastIndexOf('/');
        int query = baseUrl.indexOf('?', slash);
        String database = baseUrl.substring(slash + 1, query < 0 ? baseUrl.length() : query);
        String adminUrl = baseUrl.substring(0, slash + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(adminUrl, user(), password()); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
            if (!rs.next()) {
                try {
                    s.execute("CREATE DATABASE \"" + database + "\"");
                } catch (SQLException e) {
                    // Another test JVM may have created it meanwhile (42P04 duplicate_database).
                    if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
    }
}
