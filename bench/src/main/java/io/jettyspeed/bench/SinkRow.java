package io.jettyspeed.bench;

import io.jettyspeed.schemas.AvroSerde;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Row 4: the sink's batched upserts against PostgreSQL's fastest way in, on the same rows.
 *
 * <p>Stage {@code b4}: the broker and the sink alone (group {@code b4.sink.sink} on topics
 * {@code b4.sink.*}); no gateway and no processors, so the sink has nothing else to drain and the
 * machine nothing else to do. Each pair makes {@code bench.sink.rows} (50,000) {@code user_stats}
 * rows of new users; both sides write those same rows into an empty table ({@code TRUNCATE
 * user_stats} before each side, then an idle check), order turning round every pair:
 * <ul>
 *   <li><b>sink</b>: the rows, Avro-encoded beforehand, are produced to {@code b4.sink.jetty.user-stats.v1};
 *       the window runs from the first send until the sink's group has committed the end offset
 *       of every partition (the sink commits after its database transaction, so the rows are in
 *       PostgreSQL by then; the row count is checked after the window).</li>
 *   <li><b>COPY</b>: one {@code COPY user_stats FROM STDIN (FORMAT binary)} of the same rows,
 *       encoded beforehand ({@link CopyBinary}), on one connection.</li>
 *   <li><b>raw pipeline</b>: the sink's path done by hand, the least a Kafka-to-PostgreSQL copy can do:
 *       the same Avro records produced to {@code b4.raw.jetty.user-stats.v1} (which the sink does not
 *       read), one {@code KafkaConsumer} (polls of 2,000, as the sink's) decoding them and writing each
 *       poll with one binary {@code COPY}; no transaction around offsets, no replacement by key, no
 *       dead letters. The window runs from the first send until every row is written.</li>
 * </ul>
 * Lines: sink rows/s ÷ COPY rows/s (target ≥ 0.5), and, to say what of the gap is the path rather than
 * the sink, sink ÷ raw pipeline; the PostgreSQL backends of the benchmark's database have their own
 * CPU column.
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
            Topics rawTopics = stage.topics("raw");
            stage.sink(topics);
            stage.awaitReady();

            Bench.log("warm-up");
            List<UserStats> warm = Payloads.userStats(lab.runId() + "_w", Math.max(1, n / 5));
            sink(stage, loader, db, topics, warm, "sink warm-up");
            copy(stage, db, warm, "COPY warm-up");
            rawPipeline(stage, loader, db, rawTopics, warm, "raw pipeline warm-up");
            // After the one pass alone the first pair was the sink's slowest in seven runs out of seven (50,554-61,609 rows/s,
            // the others 62,687-111,519): the JIT was still at work.
            Stage.WarmUp warmUp = stage.warmUpUntilCompiled("row 4", () -> {
                sink(stage, loader, db, topics, warm, "sink warm-up");
                copy(stage, db, warm, "COPY warm-up");
                rawPipeline(stage, loader, db, rawTopics, warm, "raw pipeline warm-up");
            });
            Pairs upsertVsCopy = new Pairs();
            Pairs upsertVsRawPipeline = new Pairs();
            Row.<Side>alternate(o.pairs(), i -> {
                List<UserStats> rows = Payloads.userStats(lab.runId() + "_" + i, n);
                return List.of(pair -> sink(stage, loader, db, topics, rows, pair), pair -> copy(stage, db, rows, pair),
                        pair -> rawPipeline(stage, loader, db, rawTopics, rows, pair));
            }, (pair, sides) -> {
                upsertVsCopy.add(sides.get(0), sides.get(1));
                upsertVsRawPipeline.add(sides.get(0), sides.get(2));
                Bench.log(String.format(Locale.ROOT, "row 4 pair %d: sink %.0f rows/s, COPY binary %.0f rows/s,"
                        + " raw pipeline %.0f rows/s", pair, sides.get(0).rate(), sides.get(1).rate(), sides.get(2).rate()));
            });
            report.ratio("4", "sink upsert ÷ COPY (binary), user_stats", "rows/s", upsertVsCopy, Report.Target.atLeast(0.5),
                    n + " new rows into an empty table per side, the sink alone on the machine: from Avro on Kafka until"
                            + " its group committed the end vs one COPY FROM STDIN (FORMAT binary) of the same rows; "
                            + warmUp.describe());
            report.ratio("4", "sink ÷ raw pipeline (KafkaConsumer + COPY binary), same path", "rows/s", upsertVsRawPipeline,
                    Report.Target.none(), "the same rows produced to a topic of their own and copied by one KafkaConsumer"
                            + " that decodes each poll (2,000) and writes it with one binary COPY: what the path costs"
                            + " before anything the sink adds (offsets in the transaction, replacement by key, dead letters)");
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

    private static Side rawPipeline(Stage stage, KafkaProducer<String, byte[]> loader, Connection db, Topics topics,
            List<UserStats> rows, String pair) throws Exception {
        List<ProducerRecord<String, byte[]>> records = Payloads.encode(topics.userStats(), rows, UserStats::getUserId);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stage.lab().bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-raw-pipeline");
        AvroSerde<UserStats> avro = AvroSerde.of(UserStats.class);
        CopyManager copy = new CopyManager(db.unwrap(BaseConnection.class));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.userStats().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            truncate(db);
            stage.awaitQuiet("raw pipeline, " + pair);
            CpuMeter.Snapshot t0 = stage.mark();
            for (ProducerRecord<String, byte[]> r : records) {
                loader.send(r);
            }
            loader.flush();
            long written = 0;
            while (written < rows.size()) {
                List<UserStats> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    batch.add(avro.decode(r.value()));
                }
                if (!batch.isEmpty()) {
                    written += copy.copyIn("COPY user_stats (" + CopyBinary.USER_STATS_COLUMNS + ") FROM STDIN (FORMAT binary)",
                            new ByteArrayInputStream(CopyBinary.userStats(batch)));
                }
            }
            Side side = stage.side("raw pipeline (KafkaConsumer + COPY binary)", written, t0);
            expectRows(db, rows.size(), "the raw pipeline");
            return side;
        }
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
