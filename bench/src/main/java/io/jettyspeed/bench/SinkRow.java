package io.jettyspeed.bench;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Row 4: the sink's batched upserts against PostgreSQL's fastest way in, on the same rows.
 *
 * <p>Stage {@code b4}: the broker and the sink alone (group {@code b4.sink.sink} on topics
 * {@code b4.sink.*}); no gateway and no processors, so the sink has nothing else to drain and the
 * machine nothing else to do. Each pair makes {@code bench.sink.rows} (20,000) {@code user_stats}
 * rows of new users; both sides write those same rows into an empty table ({@code TRUNCATE
 * user_stats} before each side, then an idle check), order turning round every pair:
 * <ul>
 *   <li><b>sink</b>: the rows, Avro-encoded beforehand, are produced to {@code b4.sink.jetty.user-stats.v1};
 *       the window runs from the first send until the sink's group has committed the end offset
 *       of every partition (the sink commits after its database transaction, so the rows are in
 *       PostgreSQL by then; the row count is checked after the window).</li>
 *   <li><b>COPY</b>: one {@code COPY user_stats FROM STDIN (FORMAT binary)} of the same rows,
 *       encoded beforehand ({@link CopyBinary}), on one connection.</li>
 * </ul>
 * Line: sink rows/s ÷ COPY rows/s (target ≥ 0.5); the PostgreSQL backends of the benchmark's
 * database have their own CPU column.
 */
public final class SinkRow extends Row {

    public SinkRow() {
        super(4, "row 4: sink upsert vs COPY binary, same rows");
    }

    @Override
    protected void run(Lab lab, BenchOptions o, Stage stage, Report report) throws Exception {
        int n = o.sinkRows();
        try (KafkaProducer<String, byte[]> loader = lab.loader();
                Connection db = lab.db()) {
            Topics topics = stage.topics("sink");
            stage.sink(topics);
            stage.awaitReady();

            Bench.log("warm-up");
            List<UserStats> warm = Payloads.userStats(lab.runId() + "_w", Math.max(1, n / 5));
            sink(stage, loader, db, topics, warm, "sink warm-up");
            copy(stage, db, warm, "COPY warm-up");
            Pairs upsertVsCopy = new Pairs();
            Row.<Side>alternate(o.pairs(), i -> {
                List<UserStats> rows = Payloads.userStats(lab.runId() + "_" + i, n);
                return List.of(pair -> sink(stage, loader, db, topics, rows, pair), pair -> copy(stage, db, rows, pair));
            }, (pair, sides) -> {
                upsertVsCopy.add(sides.get(0), sides.get(1));
                Bench.log(String.format(Locale.ROOT, "row 4 pair %d: sink %.0f rows/s, COPY binary %.0f rows/s", pair,
                        sides.get(0).rate(), sides.get(1).rate()));
            });
            report.ratio("4", "sink upsert ÷ COPY (binary), user_stats", "rows/s", upsertVsCopy, Report.Target.atLeast(0.5),
                    n + " new rows into an empty table per side, the sink alone on the machine: from Avro on Kafka until"
                            + " its group committed the end vs one COPY FROM STDIN (FORMAT binary) of the same rows");
        }
    }

    private static Side sink(Stage stage, KafkaProducer<String, byte[]> loader, Connection db, Topics topics,
            List<UserStats> rows, String pair) throws Exception {
        List<ProducerRecord<String, byte[]>> records = Payloads.encode(topics.userStats(), rows, UserStats::getUserId);
        truncate(db);
        stage.awaitQuiet("sink, " + pair);
        CpuMeter.Snapshot t0 = stage.mark();
        for (ProducerRecord<String, byte[]> r : records) {
            loader.send(r);
        }
        loader.flush();
        CpuMeter.Snapshot t1 = stage.awaitConsumed(List.of(topics.prefix()), Set.of(topics.userStats().name()),
                Duration.ofMinutes(5));
        Side side = Stage.side("sink (Kafka → upsert)", rows.size(), t0, t1);
        expectRows(db, rows.size(), "the sink");
        return side;
    }

    private static Side copy(Stage stage, Connection db, List<UserStats> rows, String pair) throws Exception {
        byte[] data = CopyBinary.userStats(rows);
        truncate(db);
        stage.awaitQuiet("COPY, " + pair);
        CopyManager copy = new CopyManager(db.unwrap(BaseConnection.class));
        CpuMeter.Snapshot t0 = stage.mark();
        long copied = copy.copyIn("COPY user_stats (" + CopyBinary.USER_STATS_COLUMNS + ") FROM STDIN (FORMAT binary)",
                new ByteArrayInputStream(data));
        Side side = stage.side("COPY binary", copied, t0);
        expectRows(db, rows.size(), "COPY");
        return side;
    }

    private static void truncate(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("TRUNCATE user_stats");
        }
    }

    private static void expectRows(Connection db, int expected, String who) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM user_stats")) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(who + " left " + rs.getLong(1) + " rows, expected " + expected);
            }
        }
    }
}
