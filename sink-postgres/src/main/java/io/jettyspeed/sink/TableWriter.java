package io.jettyspeed.sink;

import io.jettyspeed.schemas.Topic;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the records of one topic into PostgreSQL, as one batch, inside the sink's transaction.
 * Every writer has the same shape: its topic, the columns and where their values come from
 * ({@link Columns}), how the rows go in ({@link Write}) with the SQL beside it, and the record's
 * invariants ({@link #check}). The write names the key column, and with it which record of a key a
 * batch keeps. Writes are idempotent: writing the same records again leaves the tables the same
 * (latest state replaced by key, facts inserted once by event id).
 */
public abstract class TableWriter<V> {

    /** How a batch's rows go into PostgreSQL. */
    public sealed interface Write {

        /**
         * Latest state, one row per key: the batch keeps the last version of a key, as it would
         * across batches. The batch's keys are deleted and its rows copied in
         * ({@code COPY ... FROM STDIN (FORMAT binary)}), in one transaction, so readers see the
         * old row or the new one. The same result as {@code INSERT ... ON CONFLICT DO UPDATE} of
         * every column, for about half of PostgreSQL's work: COPY parses nothing and inserts
         * in bulk, where an upsert probes and inserts row by row (bench/NOTES-sink.md). Only for
         * tables whose every column the writer fills.
         */
        static Write replaceByKey(String table, String keyColumn) {
            return new ReplaceByKey(table, keyColumn);
        }

        /**
         * Facts inserted once by {@code keyColumn} (an event id), with one statement for the whole
         * batch; {@code {columns}} in it stands for the column names and {@code {input}} for the
         * batch as a relation ({@link Columns#input}). The batch keeps the first report of a key,
         * as {@code ON CONFLICT DO NOTHING} does across batches, so batch boundaries never change
         * a row. For facts whose new rows feed rollups ({@code INSERT ... RETURNING} in a CTE),
         * which COPY cannot do.
         */
        static Write insertOnce(String keyColumn, String sql) {
            return new InsertOnce(keyColumn, sql);
        }

        String keyColumn();
    }

    record ReplaceByKey(String table, String keyColumn) implements Write {

        /**
         * The batch's keys joined as a relation, not tested as {@code key = ANY(?)}: PostgreSQL caches a generic
         * plan after five executions, and when the table's statistics were taken while it was nearly empty (a new
         * deployment, a back-fill) that plan is a sequential scan testing every row against every key of the
         * array, row by row, for as long as the plan is kept: with 50,000 rows and 2,000 keys one batch took
         * 825 ms (benchmark row 4's stalled pairs). Joined, the same cached plan hashes the keys (6 ms), and one
         * made with current statistics probes the primary key once per key (2 ms).
         */
        String deleteSql() {
            return "DELETE FROM " + table + " USING unnest(?::text[]) AS batch(key) WHERE " + table + "." + keyColumn
                    + " = batch.key";
        }
    }

    private record InsertOnce(String keyColumn, String sql) implements Write {
    }

    private final Topic<String, V> topic;
    private final boolean keepFirst;
    private final Function<V, String> key;
    private final Columns<V> columns;
    private final String deleteSql;
    private final String copySql;
    private final String statementSql;

    protected TableWriter(Topic<String, V> topic, Columns<V> columns, Write write) {
        this.topic = topic;
        this.keepFirst = write instanceof InsertOnce;
        this.key = columns.textValue(write.keyColumn());
        this.columns = columns;
        if (write instanceof ReplaceByKey replace) {
            this.deleteSql = replace.deleteSql();
            this.copySql = "COPY " + replace.table() + " (" + columns.names() + ") FROM STDIN (FORMAT binary)";
            this.statementSql = null;
        } else {
            this.deleteSql = null;
            this.copySql = null;
            this.statementSql = ((InsertOnce) write).sql().replace("{columns}", columns.names())
                    .replace("{input}", columns.input());
        }
    }

    public final Topic<String, V> topic() {
        return topic;
    }

    /** Throws {@link InvariantViolation} for a record that must not reach the tables. */
    public void check(V value) {
    }

    /** Whether a record becomes a row at all (all do, unless a writer says otherwise). */
    protected boolean written(V value) {
        return true;
    }

    /** Writes the batch, in topic order; {@code values} holds only decoded, checked records. */
    public final void write(JdbcTemplate jdbc, List<V> values) {
        Map<String, V> byKey = new LinkedHashMap<>();
        for (V value : values) {
            if (!written(value)) {
                continue;
            }
            if (keepFirst) {
                byKey.putIfAbsent(key.apply(value), value);
            } else {
                byKey.put(key.apply(value), value);
            }
        }
        if (byKey.isEmpty()) {
            return;
        }
        List<V> rows = List.copyOf(byKey.values());
        if (statementSql != null) {
            jdbc.update(statementSql, columns.arrays(rows));
            return;
        }
        jdbc.update(deleteSql, (Object) byKey.keySet().toArray(String[]::new));
        byte[] copy = columns.copyBinary(rows);
        jdbc.execute((ConnectionCallback<Long>) connection -> {
            try {
                return new CopyManager(connection.unwrap(BaseConnection.class)).copyIn(copySql, new ByteArrayInputStream(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A record that decodes but breaks a rule of the analyst schema; it goes to the dead-letter topic. */
    public static final class InvariantViolation extends RuntimeException {
        public InvariantViolation(String message) {
            super(message);
        }
    }
}
