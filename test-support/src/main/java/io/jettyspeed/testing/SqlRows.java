package io.jettyspeed.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query results as lines {@code col1|col2|...}, so tests can assert whole tables at once. */
public final class SqlRows {

    private SqlRows() {
    }

    public static List<String> query(String jdbcUrl, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            return query(c, sql);
        }
    }

    public static List<String> query(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }
}
