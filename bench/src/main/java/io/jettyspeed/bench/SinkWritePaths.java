package io.jettyspeed.bench;

import io.jettyspeed.schemas.UserStats;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.util.*;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The sink's write path alone, outside row 4: {@code user_stats} rows written in batches over one
 * connection, one transaction per batch, by each candidate way in, interleaved round by round
 * (order reversed every other round) on a table emptied before each. Prints per way the median
 * rows/s and the CPU per row of this thread (encoding, JDBC) and of the PostgreSQL backend
 * ({@code /proc/<pg_backend_pid()>/stat}), which the noise of a shared machine moves far less than
 * wall time. Not part of {@code ./jettyspeed bench}; how to run it is in bench/NOTES-sink.md.
 *
 * <p>Arguments: JDBC URL of a database with the {@code user_stats} table, rows per round, rows per
 * batch, rounds, ways (comma-separated: unnest, unnestPrim, unnestTs, copyStage, values,
 * deleteCopy, copyDirect), optionally {@code reWriteBatchedInserts} (true/false), and optionally
 * {@code existing}: the rows are copied in (and vacuumed) before each timed write, so every write
 * meets an existing row.
 */
public final class SinkWritePaths {
    static final String SET = """
            ON CONFLICT (user_id) DO UPDATE SET
                plan = excluded.plan, quota_bytes = excluded.quota_bytes,
                storage_used_bytes = excluded.storage_used_bytes, uploads_started = excluded.uploads_started,
                uploads_completed = excluded.uploads_completed, uploads_failed = excluded.uploads_failed,
                uploads_expired = excluded.uploads_expired, bytes_uploaded = excluded.bytes_uploaded,
                clones = excluded.clones, bytes_saved = excluded.bytes_saved, seconds_saved = excluded.seconds_saved,
                throughput_p50 = excluded.throughput_p50, throughput_p90 = excluded.throughput_p90,
                throughput_p99 = excluded.throughput_p99, updated_at = excluded.updated_at
            """;
    static final String UNNEST = """
            INSERT INTO user_stats (user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed,
                uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,
                throughput_p50, throughput_p90, throughput_p99, updated_at)
            SELECT user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed, uploads_failed,
                   uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved, p50, p90, p99,
                   to_timestamp(updated_ms / 1000.0)
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[],
                        ?::float8[], ?::bigint[])
                AS t(user_id, plan, quota_bytes, storage_used_bytes, uploads_started, uploads_completed,
                     uploads_failed, uploads_expired, bytes_uploaded, clones, bytes_saved, seconds_saved,
                     p50, p90, p99, updated_ms)
            """ + SET;
    static final String UNNEST_TS = UNNEST.replace("to_timestamp(updated_ms / 1000.0)", "updated_ms").replace("?::float8[], ?::bigint[])", "?::float8[], ?::timestamptz[])");
    static final String COLS = CopyBinary.USER_STATS_COLUMNS;
    static final String VALUES = "INSERT INTO user_stats (" + COLS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) " + SET;

    interface Variant { void write(Connection c, List<UserStats> rows) throws Exception; }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        int total = Integer.parseInt(a[1]);
        int batch = Integer.parseInt(a[2]);
        int rounds = Integer.parseInt(a[3]);
        List<String> names = List.of(a[4].split(","));
        Properties p = new Properties(); p.setProperty("user", "postgres");
        if (a.length > 5) p.setProperty("reWriteBatchedInserts", a[5]);
        boolean existing = a.length > 6 && a[6].equals("existing");
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("unnest", SinkWritePaths::unnest);
        variants.put("unnestPrim", (c, rows) -> unnestPrim(c, rows, false));
        variants.put("unnestTs", (c, rows) -> unnestPrim(c, rows, true));
        variants.put("copyStage", SinkWritePaths::copyStage);
        variants.put("values", SinkWritePaths::values);
        variants.put("deleteCopy", (c, rows) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_stats WHERE user_id = ANY(?)")) {
                ps.setObject(1, rows.stream().map(UserStats::getUserId).toArray(String[]::new)); ps.executeUpdate(); }
            new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class))
                .copyIn("COPY user_stats (" + COLS + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(CopyBinary.userStats(rows))); });
        variants.put("copyDirect", (c, rows) -> new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class))
                .copyIn("COPY user_stats (" + COLS + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(CopyBinary.userStats(rows))));
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        var threads = ManagementFactory.getThreadMXBean();
        try (Connection c = DriverManager.getConnection(url, p)) {
            int backend;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) { rs.next(); backend = rs.getInt(1); }
            c.setAutoCommit(false);
            for (int r = -1; r < rounds; r++) {
                List<String> order = new ArrayList<>(names);
                if (r % 2 == 1) Collections.reverse(order);
                for (String name : order) {
                    List<UserStats> rows = Payloads.userStats("r" + r + name + System.nanoTime(), total);
                    try (Statement s = c.createStatement()) { s.execute("TRUNCATE user_stats"); } c.commit();
                    if (existing) {
                        new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyIn("COPY user_stats (" + COLS + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(CopyBinary.userStats(rows)));
                        c.commit();
                        c.setAutoCommit(true); try (Statement s = c.createStatement()) { s.execute("VACUUM ANALYZE user_stats"); } c.setAutoCommit(false);
                    }
                    long cpu0 = threads.getCurrentThreadCpuTime(); long pg0 = procCpu(backend); long t0 = System.nanoTime();
                    for (int i = 0; i < total; i += batch) {
                        variants.get(name).write(c, rows.subList(i, Math.min(total, i + batch)));
                        c.commit();
                    }
                    long t1 = System.nanoTime(); long cpu1 = threads.getCurrentThreadCpuTime(); long pg1 = procCpu(backend);
                    if (r >= 0) results.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {
                            total / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / total, (pg1 - pg0) * 10_000.0 / total });
                }
            }
        }
        results.forEach((name, list) -> {
            System.out.printf(Locale.ROOT, "%-11s batch %5d: rows/s median %8.0f  client CPU µs/row %6.1f  backend CPU µs/row %6.1f   (rates %s)%n",
                    name, batch, median(list, 0), median(list, 1), median(list, 2),
                    list.stream().map(x -> String.valueOf((long) x[0])).toList());
        });
    }
    static double median(List<double[]> l, int i) { double[] v = l.stream().mapToDouble(x -> x[i]).sorted().toArray(); return v[v.length / 2]; }
    static long procCpu(int pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static void unnest(Connection c, List<UserStats> rows) throws Exception {
        int n = rows.size();
        Object[][] cols = new Object[16][];
        String[] id = new String[n], plan = new String[n]; Long[][] l = new Long[9][n]; Double[][] d = new Double[4][n]; Long[] ts = new Long[n];
        for (int i = 0; i < n; i++) { UserStats s = rows.get(i); id[i] = s.getUserId(); plan[i] = s.getPlan().name();
            l[0][i]=s.getQuotaBytes(); l[1][i]=s.getStorageUsedBytes(); l[2][i]=s.getUploadsStarted(); l[3][i]=s.getUploadsCompleted(); l[4][i]=s.getUploadsFailed(); l[5][i]=s.getUploadsExpired(); l[6][i]=s.getBytesUploaded(); l[7][i]=s.getClones(); l[8][i]=s.getBytesSaved();
            d[0][i]=s.getSecondsSaved(); d[1][i]=s.getThroughputP50(); d[2][i]=s.getThroughputP90(); d[3][i]=s.getThroughputP99(); ts[i]=s.getUpdatedAt().toEpochMilli(); }
        try (PreparedStatement ps = c.prepareStatement(UNNEST)) {
            int k = 1; ps.setObject(k++, id); ps.setObject(k++, plan); for (Long[] x : l) ps.setObject(k++, x); for (Double[] x : d) ps.setObject(k++, x); ps.setObject(k++, ts);
            ps.executeUpdate();
        }
    }
    /** Primitive arrays; the timestamps as epoch milliseconds, or as {@code timestamptz[]} of {@link Timestamp}s. */
    static void unnestPrim(Connection c, List<UserStats> rows, boolean timestamptz) throws Exception {
        int n = rows.size();
        String[] id = new String[n], plan = new String[n]; long[][] l = new long[9][n]; double[][] d = new double[4][n];
        long[] ms = new long[n]; Timestamp[] ts = new Timestamp[n];
        for (int i = 0; i < n; i++) { UserStats s = rows.get(i); id[i] = s.getUserId(); plan[i] = s.getPlan().name();
            l[0][i]=s.getQuotaBytes(); l[1][i]=s.getStorageUsedBytes(); l[2][i]=s.getUploadsStarted(); l[3][i]=s.getUploadsCompleted(); l[4][i]=s.getUploadsFailed(); l[5][i]=s.getUploadsExpired(); l[6][i]=s.getBytesUploaded(); l[7][i]=s.getClones(); l[8][i]=s.getBytesSaved();
            d[0][i]=s.getSecondsSaved(); d[1][i]=s.getThroughputP50(); d[2][i]=s.getThroughputP90(); d[3][i]=s.getThroughputP99();
            if (timestamptz) ts[i] = Timestamp.from(s.getUpdatedAt()); else ms[i] = s.getUpdatedAt().toEpochMilli(); }
        try (PreparedStatement ps = c.prepareStatement(timestamptz ? UNNEST_TS : UNNEST)) {
            int k = 1; ps.setObject(k++, id); ps.setObject(k++, plan); for (long[] x : l) ps.setObject(k++, x); for (double[] x : d) ps.setObject(k++, x);
            if (timestamptz) ps.setArray(k++, c.createArrayOf("timestamptz", ts)); else ps.setObject(k++, ms);
            ps.executeUpdate();
        }
    }
    static void copyStage(Connection c, List<UserStats> rows) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS user_stats_stage (LIKE user_stats) ON COMMIT DELETE ROWS");
        }
        new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class))
                .copyIn("COPY user_stats_stage (" + COLS + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(CopyBinary.userStats(rows)));
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO user_stats (" + COLS + ") SELECT " + COLS + " FROM user_stats_stage " + SET);
        }
    }
    static void values(Connection c, List<UserStats> rows) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(VALUES)) {
            for (UserStats s : rows) {
                int k = 1; ps.setString(k++, s.getUserId()); ps.setString(k++, s.getPlan().name());
                for (long v : new long[] {s.getQuotaBytes(), s.getStorageUsedBytes(), s.getUploadsStarted(), s.getUploadsCompleted(), s.getUploadsFailed(), s.getUploadsExpired(), s.getBytesUploaded(), s.getClones(), s.getBytesSaved()}) ps.setLong(k++, v);
                ps.setDouble(k++, s.getSecondsSaved()); ps.setObject(k++, s.getThroughputP50()); ps.setObject(k++, s.getThroughputP90()); ps.setObject(k++, s.getThroughputP99());
                ps.setTimestamp(k++, Timestamp.from(s.getUpdatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
