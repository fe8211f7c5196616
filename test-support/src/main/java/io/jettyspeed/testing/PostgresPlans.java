package io.jettyspeed.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan PostgreSQL keeps for a prepared statement, for tests of statements that take a batch's keys as one array.
 * From a prepared statement's sixth execution on PostgreSQL may keep one generic plan, made with the statistics of
 * that moment and not made again until the table is analysed: a plan made while the table was empty (a new
 * deployment, a truncated table) then runs against however many rows the table has grown to.
 */
public final class PostgresPlans {

    private static final Pattern ROWS_REMOVED_BY_FILTER = Pattern.compile("Rows Removed by Filter: (\\d+)");

    private PostgresPlans() {
    }

    /**
     * Analyses {@code table} as it is now, prepares {@code sql} (its one parameter {@code ?} of {@code parameterType})
     * as {@code name} with the generic plan forced, and executes it once with {@code argument}, so that plan is made now
     * and kept. Settings are the connection's: use a connection of its own.
     */
    public static void cacheGenericPlan(Connection connection, String table, String name, String sql, String parameterType,
            String argument) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("ANALYZE " + table);
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE " + name + "(" + parameterType + ") AS " + sql.replace("?", "$1"));
            s.execute("EXECUTE " + name + "('" + argument + "')");
        }
    }

    /**
     * Executes {@code statement} under {@code EXPLAIN (ANALYZE)} and returns how many rows its plan read only to throw
     * them away by a filter: a key array tested against every row shows here; keys joined, hashed or looked up in an
     * index do not. The plan is in the message of a failing assertion when {@code plan} is given one.
     */
    public static long rowsRemovedByFilter(Connection connection, String statement, StringBuilder plan) throws SQLException {
        long removed = 0;
        for (String line : SqlRows.query(connection, "EXPLAIN (ANALYZE) " + statement)) {
            plan.append(line).append('\n');
            Matcher matcher = ROWS_REMOVED_BY_FILTER.matcher(line);
            if (matcher.find()) {
                removed += Long.parseLong(matcher.group(1));
            }
        }
        return removed;
    }
}
