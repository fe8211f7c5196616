package io.jettyspeed.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Makes sure the database named by the JDBC URL exists on the server, creating it if missing. */
final class LocalDatabase {

    private LocalDatabase() {
    }

    /** @throws LocalRunException with a one-line, actionable message when the server is unreachable. */
    static void ensureExists(String jdbcUrl, String user, String password) {
        int slash = jdbcUrl.lastIndexOf('/');
        int query = jdbcUrl.indexOf('?', slash);
        String database = jdbcUrl.substring(slash + 1, query < 0 ? jdbcUrl.length() : query);
        String maintenanceUrl = jdbcUrl.substring(0, slash + 1) + "postgres" + (query < 0 ? "" : jdbcUrl.substring(query));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, user, password);
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                System.out.println("Created database " + database);
            }
        } catch (SQLException e) {
            throw new LocalRunException("PostgreSQL is not reachable at " + maintenanceUrl + " as '" + user + "' ("
                    + e.getMessage().lines().findFirst().orElse("") + "). Start PostgreSQL (e.g. `pg_ctlcluster 15 main start`)"
                    + " or point JETTY_DB_URL / JETTY_DB_USER / JETTY_DB_PASSWORD at one.");
        }
    }
}
