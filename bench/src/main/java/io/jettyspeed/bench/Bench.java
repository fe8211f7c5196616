package io.jettyspeed.bench;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.DedupCheckSource;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UserStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The benchmark of issue 6, in one run on this machine: a real broker in this JVM, a fresh
 * PostgreSQL database, and the three services each in a child JVM with the same JVM options as this
 * one. Every row is a ratio of our path to the raw client doing the same work with the same
 * pre-encoded payloads, the two sides measured back to back (A B A B ...), the median of the
 * per-pair ratios reported, with the CPU time per event of all our processes beside each side.
 *
 * <p>Order: gateway and sink start; rows 1-2 (nothing consumes yet); row 4 (sink vs COPY); the
 * ingest topics are truncated and two processor instances start (exactly-once on the live topics,
 * at-least-once on a prefixed copy); row 3; the at-least-once instance stops; rows 5-6 on the whole
 * pipeline; row 7 is each child's VmHWM at the end.
 */
public final class Bench {

    static final List<String> EDGES = List.of("edge-sfo", "edge-lax", "edge-sea", "edge-dfw", "edge-ord", "edge-iad",
            "edge-nyc", "edge-mia", "edge-yyz", "edge-gru", "edge-lhr", "edge-fra", "edge-ams", "edge-cdg", "edge-sin",
            "edge-nrt", "edge-hkg", "edge-syd", "edge-bom", "edge-jnb");

    private final Duration window = Duration.ofMillis(Long.getLong("bench.window.ms", 3000));
    private final int pairs = Integer.getInteger("bench.pairs", 3);
    private final Path out = Path.of(System.getProperty("bench.out", "bench/target/bench"));
    private final String profile = System.getProperty("bench.profile", "");
    /** Which parts to run (ingest, sink, processing, read); all by default. Partial runs are for profiling. */
    private final Set<String> only = Set.of(System.getProperty("bench.only", "ingest,sink,processing,read").split(","));
    private final String adminDbUrl;
    private final String dbUrl;
    private final String dbName;
    private final Topics topics = Topics.standard();
    private final Topics alosTopics = Topics.of("alos.", Topics.DEFAULT_PARTITIONS);
    private final List<Child> children = new ArrayList<>();
    private final Report report = new Report();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private InProcessKafka kafka;
    private String bootstrap;
    private String apiKey;
    private Child gateway;
    private Child sink;
    private Child processors;

    Bench() {
        String base = System.getenv().getOrDefault("JETTY_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/jettyspeed_bench");
        int slash = base.lastIndexOf('/');
        this.dbName = base.substring(slash + 1);
        this.adminDbUrl = base.substring(0, slash + 1) + "postgres";
        this.dbUrl = base;
    }

    public static void main(String[] args) throws Exception {
        // The broker in this JVM logs every partition change at INFO; the table is what matters here.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Bench bench = new Bench();
        int status = 0;
        try {
            bench.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.stopAll();
        }
        System.exit(status);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        deleteRecursively(out.resolve("run"));
        Files.createDirectories(out);
        log("fresh database " + dbName + ", broker in-process");
        freshDatabase();
        kafka = InProcessKafka.start(out.resolve("run/kafka"), 0);
        bootstrap = kafka.bootstrapServers();
        List<NewTopic> newTopics = new ArrayList<>();
        for (Topics t : List.of(topics, alosTopics)) {
            for (Topic<?, ?> topic : t.all()) {
                newTopics.add(topic.toNewTopic((short) 1));
            }
        }
        kafka.createTopics(newTopics);
        Flyway.configure().dataSource(dbUrl, "postgres", "").locations("classpath:db/migration").load().migrate();
        apiKey = "ac_bench" + runId + "_" + "B".repeat(8) + runId + "x".repeat(16);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(dbUrl);
        ds.setUser("postgres");
        new ApiKeyRepository(ds).save(apiKey, Set.of(Scope.ADMIN), null, "benchmark", 1_000_000_000, true);

        log("starting gateway and sink (child JVMs)");
        Map<String, Object> db = Map.of("spring.datasource.url", dbUrl, "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
        Map<String, Object> gw = new LinkedHashMap<>(quiet());
        gw.putAll(db);
        gw.put("spring.kafka.bootstrap-servers", bootstrap);
        gateway = startChild("gateway", "gateway", gw);
        Map<String, Object> sk = new LinkedHashMap<>(quiet());
        sk.putAll(db);
        sk.put("spring.kafka.bootstrap-servers", bootstrap);
        sk.put("jetty.sink.group-id", "bench-sink");
        sink = startChild("sink", "sink", sk);
        gateway.awaitHealthy(Duration.ofSeconds(180));
        sink.awaitHealthy(Duration.ofSeconds(180));

        if (only.contains("ingest")) {
            ingestRows();
        }
        if (only.contains("sink")) {
            sinkRow();
        }
        if (!only.contains("processing") && !only.contains("read")) {
            finish(started);
            return;
        }

        log("truncating the ingest topics; starting processors (exactly_once_v2 and at_least_once)");
        truncate(topics.ingestTopics());
        processors = startChild("processors", "processors", processorProps(topics.prefix(), "bench-eos", "exactly_once_v2"));
        Child alos = startChild("processors-alos", "processors", processorProps(alosTopics.prefix(), "bench-alos", "at_least_once"));
        processors.awaitHealthy(Duration.ofSeconds(180));
        alos.awaitHealthy(Duration.ofSeconds(180));
        if (only.contains("processing")) {
            processingRow(alos);
        }
        report.info("processors-alos peak RSS MB", alos.peakRssBytes() / 1e6);
        alos.close();
        children.remove(alos);

        if (only.contains("read")) {
            readAndEndToEndRows();
        }
        finish(started);
    }

    private void finish(long started) throws IOException {
        memoryRow();
        report.info("total seconds", (System.nanoTime() - started) / 1e9);
        report.info("machine", Runtime.getRuntime().availableProcessors() + " CPUs, JVM options "
                + String.join(" ", Child.jvmOptions()) + ", Java " + System.getProperty("java.version"));
        report.write(out);
        System.out.println();
        System.out.println(report.markdown());
        log("written " + out.resolve("bench.json") + " and " + out.resolve("bench.md"));
    }

    // ---------------------------------------------------------------- rows 1 and 2: ingest

    private void ingestRows() throws Exception {
        int pool = 4096;
        List<EdgeMetricSample> events = edgeSamples("r1", pool, Instant.now());
        byte[][] singleRequests = new byte[pool][];
        byte[][] emptyRequests = new byte[pool][];
        for (int i = 0; i < pool; i++) {
            String body = "{\"samples\":[" + sampleJson(events.get(i)) + "]}";
            singleRequests[i] = MiniHttp.post("localhost", gateway.port(), "/api/jetty/edge-metrics", apiKey, body);
            emptyRequests[i] = MiniHttp.post("localhost", gateway.port(), EmptyEndpoint.PATH, apiKey, body);
        }
        Topic<String, EdgeMetricSample> topic = topics.edgeMetrics();
        List<ProducerRecord<String, byte[]>> records = encode(topic, events, EdgeMetricSample::getEdgeId);
        int batches = 256;
        byte[][] batchRequests = new byte[batches][];
        for (int b = 0; b < batches; b++) {
            StringBuilder body = new StringBuilder("{\"samples\":[");
            for (int j = 0; j < 100; j++) {
                body.append(j == 0 ? "" : ",").append(sampleJson(events.get((b * 100 + j) % pool)));
            }
            batchRequests[b] = MiniHttp.post("localhost", gateway.port(), "/api/jetty/edge-metrics", apiKey,
                    body.append("]}").toString());
        }

        int single = Integer.getInteger("bench.connections", 16);
        int batch = 8;
        try (KafkaProducer<String, byte[]> producer = gatewayLikeProducer()) {
            Load empty = () -> httpWorker(emptyRequests, 1);
            Load post = () -> httpWorker(singleRequests, 1);
            Load raw1 = () -> producerWorker(producer, records, 1);
            Load post100 = () -> httpWorker(batchRequests, 100);
            Load raw100 = () -> producerWorker(producer, records, 100);
            // The services are fresh JVMs: C2 needs several seconds of load on two cores before the
            // numbers mean anything, and the empty endpoint shares most of its code with the real one.
            Duration warmUp = Duration.ofMillis(Long.getLong("bench.warmup.ms", 6000));
            log("row 1-2 warm-up");
            for (Load l : List.of(post, empty, raw1, post)) {
                closedLoop(single, warmUp.dividedBy(2), l);
            }
            closedLoop(batch, warmUp.dividedBy(2), post100);
            closedLoop(batch, Duration.ofSeconds(1), raw100);
            Pairs postVsEmpty = new Pairs();
            Pairs postVsRaw = new Pairs();
            Pairs batchVsRaw = new Pairs();
            for (int i = 0; i < pairs; i++) {
                boolean flip = i % 2 == 1;
                Pairs.Side e = null;
                Pairs.Side p;
                Pairs.Side r;
                if (!flip) {
                    e = closedLoop(single, window, empty);
                    p = closedLoop(single, window, post);
                    r = closedLoop(single, window, raw1);
                } else {
                    r = closedLoop(single, window, raw1);
                    p = closedLoop(single, window, post);
                    e = closedLoop(single, window, empty);
                }
                postVsEmpty.add(p, e);
                postVsRaw.add(p, r);
                log(String.format(Locale.ROOT, "row 1 pair %d: empty %.0f/s, POST %.0f/s, raw %.0f/s", i + 1,
                        e.rate(), p.rate(), r.rate()));
            }
            for (int i = 0; i < pairs; i++) {
                Pairs.Side b;
                Pairs.Side r;
                if (i % 2 == 0) {
                    b = closedLoop(batch, window, post100);
                    r = closedLoop(batch, window, raw100);
                } else {
                    r = closedLoop(batch, window, raw100);
                    b = closedLoop(batch, window, post100);
                }
                batchVsRaw.add(b, r);
                log(String.format(Locale.ROOT, "row 2 pair %d: batch POST %.0f ev/s, raw %.0f ev/s", i + 1, b.rate(), r.rate()));
            }
            report.ratio("1", "single-event POST ÷ empty endpoint (HTTP ceiling)", "events/s vs requests/s", postVsEmpty,
                    0.5, single + " connections, closed loop, edge-metrics with 1 sample vs " + EmptyEndpoint.PATH);
            report.ratio("1", "single-event POST ÷ raw KafkaProducer", "events/s", postVsRaw, 0.1,
                    single + " threads each send 1 record and wait for its ack (acks=all, idempotent, linger.ms=1)");
            report.ratio("2", "100-event batch POST ÷ raw KafkaProducer", "events/s", batchVsRaw, 0.5,
                    batch + " threads each send 100 records and wait for all acks, same settings");
        }
    }

    private static String sampleJson(EdgeMetricSample s) {
        return String.format(Locale.ROOT,
                "{\"eventId\":\"%s\",\"edgeId\":\"%s\",\"latencyMs\":%.1f,\"bandwidthMbps\":%.1f,\"load\":%.3f,\"errorRate\":%.4f}",
                s.getEventId(), s.getEdgeId(), s.getLatencyMs(), s.getBandwidthMbps(), s.getLoad(), s.getErrorRate());
    }

    private List<EdgeMetricSample> edgeSamples(String tag, int n, Instant time) {
        List<EdgeMetricSample> samples = new ArrayList<>(n);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            Instant t = time.plusMillis(i / 20).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            samples.add(EdgeMetricSample.newBuilder()
                    .setEventId("bench-" + runId + "-" + tag + "-" + i)
                    .setEventTime(t)
                    .setReceivedAt(t)
                    .setEdgeId(EDGES.get(i % EDGES.size()))
                    .setLatencyMs(Math.round((20 + random.nextDouble(80)) * 10) / 10.0)
                    .setBandwidthMbps(Math.round((200 + random.nextDouble(800)) * 10) / 10.0)
                    .setLoad(Math.round(random.nextDouble(0.8) * 1000) / 1000.0)
                    .setErrorRate(Math.round(random.nextDouble(0.01) * 10000) / 10000.0)
                    .build());
        }
        return samples;
    }

    private static <V> List<ProducerRecord<String, byte[]>> encode(Topic<String, V> topic, List<V> values,
            java.util.function.Function<V, String> key) {
        var serializer = topic.valueSerde().serializer();
        return values.stream().map(v -> new ProducerRecord<>(topic.name(), key.apply(v), serializer.serialize(topic.name(), v)))
                .collect(Collectors.toList());
    }

    /** The gateway's producer settings (api-gateway.yml and EventPublisher.producerConfig), nothing else. */
    private KafkaProducer<String, byte[]> gatewayLikeProducer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-raw");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** A producer for loading bursts fast (not measured as a side). */
    private KafkaProducer<String, byte[]> loader() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** One thread's unit of work: returns the events it got acknowledged (0 on a non-2xx answer). */
    interface Step {
        int run() throws Exception;
    }

    /** Makes one {@link Step} per thread (each with its own connection). */
    interface Load {
        Step newStep() throws Exception;
    }

    private Step httpWorker(byte[][] requests, int events) {
        return new HttpStep(new MiniHttp("localhost", gateway.port()), requests, events);
    }

    /** Posts the pre-encoded requests in turn over its own connection. */
    private static final class HttpStep implements Step, AutoCloseable {
        private final MiniHttp http;
        private final byte[][] requests;
        private final int events;
        private int next = ThreadLocalRandom.current().nextInt(1 << 20);

        HttpStep(MiniHttp http, byte[][] requests, int events) {
            this.http = http;
            this.requests = requests;
            this.events = events;
        }

        @Override
        public int run() {
            MiniHttp.Response response = http.exchange(requests[next++ % requests.length]);
            if (response.status() / 100 != 2) {
                throw new IllegalStateException("HTTP " + response.status() + ": " + response.text());
            }
            return events;
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private static Step producerWorker(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records,
            int perStep) {
        int[] next = {ThreadLocalRandom.current().nextInt(records.size())};
        List<Future<RecordMetadata>> acks = new ArrayList<>(perStep);
        return () -> {
            acks.clear();
            for (int i = 0; i < perStep; i++) {
                acks.add(producer.send(records.get(next[0]++ % records.size())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return perStep;
        };
    }

    /** {@code threads} threads run their step in a loop for {@code duration}; events/s and CPU per event. */
    private Pairs.Side closedLoop(int threads, Duration duration, Load load) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            steps.add(load.newStep());
        }
        AtomicLong events = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] deadline = new long[1];
        List<Thread> running = new ArrayList<>();
        for (Step step : steps) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long mine = 0;
                    while (System.nanoTime() < deadline[0]) {
                        try {
                            mine += step.run();
                        } catch (Exception e) {
                            if (failures.incrementAndGet() == 1) {
                                log("first failure: " + e);
                            }
                        }
                    }
                    events.addAndGet(mine);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "bench-load");
            t.start();
            running.add(t);
        }
        long[] split0 = cpuSplit();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        deadline[0] = t0 + duration.toNanos();
        go.countDown();
        done.await();
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        long[] split1 = cpuSplit();
        if (Boolean.getBoolean("bench.verbose")) {
            StringBuilder sb = new StringBuilder("  cpu µs/event by process: bench ");
            for (int i = 0; i < split0.length; i++) {
                sb.append(i == 0 ? "" : ", " + children.get(i - 1).name() + " ")
                        .append(String.format(Locale.ROOT, "%.0f", (split1[i] - split0[i]) / 1e3 / Math.max(1, events.get())));
            }
            log(sb.toString());
        }
        for (Step step : steps) {
            if (step instanceof AutoCloseable c) {
                c.close();
            }
        }
        if (failures.get() > 0) {
            log(failures.get() + " failed steps in this window (not counted)");
        }
        long n = events.get();
        return new Pairs.Side(n / ((t1 - t0) / 1e9), n == 0 ? Double.NaN : (cpu1 - cpu0) / (double) n);
    }

    // ---------------------------------------------------------------- row 3: processors

    private Map<String, Object> processorProps(String prefix, String applicationId, String guarantee) {
        Map<String, Object> p = new LinkedHashMap<>(quiet());
        p.put("spring.kafka.bootstrap-servers", bootstrap);
        p.put("jetty.processors.bootstrap-servers", bootstrap);
        p.put("jetty.processors.topic-prefix", prefix);
        p.put("jetty.processors.application-id", applicationId);
        p.put("jetty.processors.processing-guarantee", guarantee);
        p.put("jetty.processors.state-dir", out.resolve("run/streams-" + applicationId).toAbsolutePath());
        p.put("spring.autoconfigure.exclude", String.join(",",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"));
        return p;
    }

    private void processingRow(Child alos) throws Exception {
        int n = Integer.getInteger("bench.burst", 20_000);
        List<String> eosGroups = List.of("bench-eos-edge-health", "bench-eos-dedup-index");
        List<String> alosGroups = List.of("bench-alos-edge-health", "bench-alos-dedup-index");
        try (KafkaProducer<String, byte[]> loader = loader(); Admin admin = kafka.admin()) {
            log("row 3 warm-up bursts");
            processorBurst(loader, admin, topics, eosGroups, 4_000, "w");
            processorBurst(loader, admin, alosTopics, alosGroups, 4_000, "w");
            Pairs eosVsRaw = new Pairs();
            Pairs alosVsRaw = new Pairs();
            Pairs eosVsAlos = new Pairs();
            for (int i = 0; i < pairs; i++) {
                Pairs.Side eos;
                Pairs.Side alosSide;
                Pairs.Side rawEos;
                Pairs.Side rawAlos;
                if (i % 2 == 0) {
                    Burst b = processorBurst(loader, admin, topics, eosGroups, n, "e" + i);
                    eos = b.processors;
                    rawEos = rawConsumer(b);
                    Burst c = processorBurst(loader, admin, alosTopics, alosGroups, n, "a" + i);
                    alosSide = c.processors;
                    rawAlos = rawConsumer(c);
                } else {
                    Burst c = processorBurst(loader, admin, alosTopics, alosGroups, n, "a" + i);
                    alosSide = c.processors;
                    rawAlos = rawConsumer(c);
                    Burst b = processorBurst(loader, admin, topics, eosGroups, n, "e" + i);
                    eos = b.processors;
                    rawEos = rawConsumer(b);
                }
                eosVsRaw.add(eos, rawEos);
                alosVsRaw.add(alosSide, rawAlos);
                eosVsAlos.add(eos, alosSide);
                log(String.format(Locale.ROOT, "row 3 pair %d: EOS %.0f rec/s, ALOS %.0f rec/s, raw consumer %.0f / %.0f rec/s",
                        i + 1, eos.rate(), alosSide.rate(), rawEos.rate(), rawAlos.rate()));
            }
            report.ratio("3", "processors (exactly_once_v2) ÷ raw KafkaConsumer", "records/s", eosVsRaw, 0.3,
                    n + "-record bursts (half edge-metrics, half dedup-checks) until every group committed the end;"
                            + " raw: one consumer reading the same records as bytes");
            report.ratio("3", "processors (at_least_once) ÷ raw KafkaConsumer", "records/s", alosVsRaw, Double.NaN,
                    "same bursts on a prefixed copy of the topics");
            report.ratio("3", "exactly_once_v2 ÷ at_least_once", "records/s", eosVsAlos, 0.8,
                    "commit interval 100 ms on both");
        }
    }

    private record Burst(Topics topics, Map<TopicPartition, Long> start, long count, Pairs.Side processors) {
    }

    private Burst processorBurst(KafkaProducer<String, byte[]> loader, Admin admin, Topics t, List<String> groups,
            int n, String tag) throws Exception {
        Instant now = Instant.now();
        List<EdgeMetricSample> samples = edgeSamples(t.prefix() + tag, n / 2, now);
        List<DedupCheck> checks = new ArrayList<>(n - n / 2);
        for (int i = 0; i < n - n / 2; i++) {
            checks.add(DedupCheck.newBuilder()
                    .setEventId("bench-" + runId + "-" + t.prefix() + tag + "-dc-" + i)
                    .setEventTime(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .setReceivedAt(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .setFileHash(randomHash())
                    .setUserId("usr_bench_" + (i % 1000))
                    .setSource(DedupCheckSource.CHECK_DUPLICATE)
                    .build());
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(encode(t.edgeMetrics(), samples, EdgeMetricSample::getEdgeId));
        records.addAll(encode(t.dedupChecks(), checks, DedupCheck::getFileHash));
        java.util.Collections.shuffle(records);
        List<TopicPartition> partitions = partitions(List.of(t.edgeMetrics(), t.dedupChecks()));
        Map<TopicPartition, Long> start = endOffsets(partitions);

        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (ProducerRecord<String, byte[]> record : records) {
            loader.send(record);
        }
        loader.flush();
        Map<TopicPartition, Long> end = endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!caughtUp(admin, groups, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processors did not catch up with burst " + tag);
            }
            Thread.sleep(10);
        }
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        return new Burst(t, start, records.size(),
                new Pairs.Side(records.size() / ((t1 - t0) / 1e9), (cpu1 - cpu0) / (double) records.size()));
    }

    /** True when every group has committed, for every partition of the burst it reads, at least the end offset. */
    private static boolean caughtUp(Admin admin, List<String> groups, Map<TopicPartition, Long> end) throws Exception {
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Set<String> topicsRead = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (!topicsRead.contains(e.getKey().topic())) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                    return false;
                }
            }
            if (topicsRead.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private Pairs.Side rawConsumer(Burst burst) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(burst.start().keySet());
            burst.start().forEach(consumer::seek);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            long read = 0;
            long bytes = 0;
            while (read < burst.count()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (var r : records) {
                    bytes += r.value().length;
                    read++;
                }
            }
            long t1 = System.nanoTime();
            long cpu1 = cpuNanos();
            if (bytes == 0) {
                throw new IllegalStateException("empty burst");
            }
            return new Pairs.Side(read / ((t1 - t0) / 1e9), (cpu1 - cpu0) / (double) read);
        }
    }

    private List<TopicPartition> partitions(List<Topic<String, ?>> list) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : list) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        return partitions;
    }

    private Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    private static String randomHash() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    private void truncate(List<Topic<String, ?>> list) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(partitions(list));
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        end.forEach((tp, offset) -> delete.put(tp, RecordsToDelete.beforeOffset(offset)));
        try (Admin admin = kafka.admin()) {
            admin.deleteRecords(delete).all().get();
        }
    }

    // ---------------------------------------------------------------- row 4: sink vs COPY

    private void sinkRow() throws Exception {
        int n = Integer.getInteger("bench.rows", 20_000);
        Topic<String, UserStats> topic = topics.userStats();
        List<TopicPartition> partitions = partitions(List.of(topic));
        try (KafkaProducer<String, byte[]> loader = loader();
                Connection c = DriverManager.getConnection(dbUrl, "postgres", "")) {
            log("row 4 warm-up");
            sinkSide(loader, c, topic, partitions, userStats("w-a", 4_000));
            copySide(c, userStats("w-b", 4_000));
            Pairs upsertVsCopy = new Pairs();
            for (int i = 0; i < pairs; i++) {
                Pairs.Side a;
                Pairs.Side b;
                if (i % 2 == 0) {
                    a = sinkSide(loader, c, topic, partitions, userStats(i + "-a", n));
                    b = copySide(c, userStats(i + "-b", n));
                } else {
                    b = copySide(c, userStats(i + "-b", n));
                    a = sinkSide(loader, c, topic, partitions, userStats(i + "-a", n));
                }
                upsertVsCopy.add(a, b);
                log(String.format(Locale.ROOT, "row 4 pair %d: sink %.0f rows/s, COPY binary %.0f rows/s", i + 1, a.rate(), b.rate()));
            }
            report.ratio("4", "sink upsert ÷ COPY (binary), user_stats", "rows/s", upsertVsCopy, 0.3,
                    n + " new rows per side: sink from Avro on Kafka until sink_offsets reach the end vs one COPY FROM STDIN"
                            + " (FORMAT binary) of the same values");
        }
    }

    private List<UserStats> userStats(String tag, int n) {
        List<UserStats> rows = new ArrayList<>(n);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < n; i++) {
            rows.add(UserStats.newBuilder()
                    .setUserId("usr_bench_" + runId + "_" + tag + "_" + i)
                    .setPlan(Plan.STARTER)
                    .setQuotaBytes(2_000_000_000L)
                    .setStorageUsedBytes(1_000_000L * i)
                    .setUploadsStarted(i % 50)
                    .setUploadsCompleted(i % 40)
                    .setUploadsFailed(i % 3)
                    .setUploadsExpired(0)
                    .setBytesUploaded(5_000_000L * (i % 40))
                    .setClones(i % 7)
                    .setBytesSaved(1_000_000L * (i % 7))
                    .setSecondsSaved(0.5 * (i % 7))
                    .setThroughputP50(1.0e6 + i)
                    .setThroughputP90(2.0e6 + i)
                    .setThroughputP99(3.0e6 + i)
                    .setUpdatedAt(now)
                    .build());
        }
        return rows;
    }

    private Pairs.Side sinkSide(KafkaProducer<String, byte[]> loader, Connection c, Topic<String, UserStats> topic,
            List<TopicPartition> partitions, List<UserStats> rows) throws Exception {
        List<ProducerRecord<String, byte[]>> records = encode(topic, rows, UserStats::getUserId);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (ProducerRecord<String, byte[]> r : records) {
            loader.send(r);
        }
        loader.flush();
        long target = endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(sum(next_offset), 0) FROM sink_offsets WHERE topic = ?")) {
            s.setString(1, topic.name());
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= target) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sink did not catch up");
                }
                Thread.sleep(5);
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        return new Pairs.Side(rows.size() / ((t1 - t0) / 1e9), (cpu1 - cpu0) / (double) rows.size());
    }

    private Pairs.Side copySide(Connection c, List<UserStats> rows) throws Exception {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        byte[] data = CopyBinary.userStats(rows);
        CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
        long copied = copy.copyIn("COPY user_stats (" + CopyBinary.USER_STATS_COLUMNS + ") FROM STDIN (FORMAT binary)",
                new ByteArrayInputStream(data));
        long t1 = System.nanoTime();
        long cpu1 = cpuNanos();
        if (copied != rows.size()) {
            throw new IllegalStateException("COPY wrote " + copied + " rows, expected " + rows.size());
        }
        return new Pairs.Side(rows.size() / ((t1 - t0) / 1e9), (cpu1 - cpu0) / (double) rows.size());
    }

    // ---------------------------------------------------------------- rows 5 and 6: read path and end to end

    private void readAndEndToEndRows() throws Exception {
        int ingestRate = Integer.getInteger("bench.ingest.rate", 2_000);
        int perBatch = 20;
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> background = new ArrayList<>();
        // ingest load: edge samples (keeps every edge fresh), open loop
        int batchesPerSecond = ingestRate / perBatch;
        AtomicLong ingestSeq = new AtomicLong();
        AtomicLong ingestErrors = new AtomicLong();
        long ingestStart = System.nanoTime();
        for (int w = 0; w < 4; w++) {
            background.add(thread("bench-ingest", () -> {
                try (MiniHttp http = new MiniHttp("localhost", gateway.port())) {
                    while (!stop.get()) {
                        long i = ingestSeq.getAndIncrement();
                        parkUntil(ingestStart + i * 1_000_000_000L / batchesPerSecond);
                        StringBuilder body = new StringBuilder("{\"samples\":[");
                        List<EdgeMetricSample> samples = edgeSamples("in" + i, perBatch, Instant.now());
                        for (int j = 0; j < perBatch; j++) {
                            body.append(j == 0 ? "" : ",").append(sampleJson(samples.get(j)));
                        }
                        var r = http.exchange(MiniHttp.post("localhost", gateway.port(), "/api/jetty/edge-metrics", apiKey,
                                body.append("]}").toString()));
                        if (r.status() / 100 != 2) {
                            ingestErrors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        // end to end: upload starts; visible when the upload_sessions row is there
        Map<String, Long> pending = new ConcurrentHashMap<>();
        Histogram e2e = new Histogram(60_000_000L, 3);
        AtomicLong e2eSent = new AtomicLong();
        AtomicBoolean probing = new AtomicBoolean(true);
        background.add(thread("bench-e2e", () -> {
            try (MiniHttp http = new MiniHttp("localhost", gateway.port())) {
                long begin = System.nanoTime();
                long i = 0;
                while (!stop.get()) {
                    parkUntil(begin + i * 20_000_000L);
                    if (!probing.get()) {
                        i++;
                        continue;
                    }
                    String sessionId = "sess-bench-" + runId + "-" + i;
                    String body = "{\"action\":\"start\",\"sessionId\":\"" + sessionId + "\",\"userId\":\"usr_bench_e2e\","
                            + "\"fileName\":\"f.bin\",\"fileSize\":1048576,\"fileHash\":\"" + randomHash()
                            + "\",\"chunkSize\":262144,\"totalChunks\":4}";
                    var r = http.exchange(MiniHttp.post("localhost", gateway.port(), "/api/jetty/track-upload", apiKey, body));
                    long ackMicros = epochMicros();
                    if (r.status() / 100 == 2) {
                        pending.put(sessionId, ackMicros);
                        e2eSent.incrementAndGet();
                    }
                    i++;
                }
            }
        }));
        Thread poller = thread("bench-e2e-poll", () -> {
            try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
                    PreparedStatement s = c.prepareStatement("SELECT session_id,"
                            + " (extract(epoch from clock_timestamp()) * 1000000)::bigint FROM upload_sessions"
                            + " WHERE session_id = ANY(?)")) {
                while (!stop.get() || !pending.isEmpty()) {
                    if (!pending.isEmpty()) {
                        Array ids = c.createArrayOf("text", pending.keySet().toArray());
                        s.setArray(1, ids);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                Long ack = pending.remove(rs.getString(1));
                                if (ack != null) {
                                    e2e.recordValue(Math.max(0, rs.getLong(2) - ack));
                                }
                            }
                        }
                    }
                    Thread.sleep(5);
                    if (stop.get() && pending.isEmpty()) {
                        break;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        background.add(poller);
        background.forEach(Thread::start);

        log("rows 5-6: warm-up under ingest load (" + ingestRate + " events/s)");
        String hash = randomHash();
        byte[] edgesReq = MiniHttp.post("localhost", gateway.port(), "/api/jetty/optimal-edges", apiKey,
                "{\"userId\":\"usr_bench_1\",\"fileSize\":1073741824,\"fileHash\":\"sha256:" + hash
                        + "\",\"userLocation\":{\"lat\":48.8566,\"lng\":2.3522}}");
        List<byte[]> dupReqs = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            dupReqs.add(MiniHttp.post("localhost", gateway.port(), "/api/jetty/check-duplicate", apiKey,
                    "{\"fileHash\":\"" + randomHash() + "\",\"userId\":\"usr_bench_" + i + "\"}"));
        }
        openLoop(1_000, Duration.ofSeconds(2), i -> edgesReq);
        openLoop(1_000, Duration.ofSeconds(2), i -> dupReqs.get((int) (i % dupReqs.size())));
        Histogram edges = openLoop(1_000, Duration.ofSeconds(5), i -> edgesReq);
        Histogram dups = openLoop(1_000, Duration.ofSeconds(5), i -> dupReqs.get((int) (i % dupReqs.size())));
        probing.set(false);
        stop.set(true);
        for (Thread t : background) {
            if (t != poller) {
                t.join(10_000);
            }
        }
        poller.join(30_000);
        report.latency("5", "optimal-edges at 1,000 req/s under ingest load", edges, 5.0,
                "open loop, latency from each request's scheduled send time (HdrHistogram), 32 connections; ingest "
                        + ingestRate + " events/s meanwhile");
        report.latency("5", "check-duplicate at 1,000 req/s under ingest load", dups, 5.0,
                "same; each answer also waits for its dedup-check event's acks=all");
        report.endToEnd("6", "end to end: track-upload 2xx → upload_sessions row visible", e2e, 400.0,
                e2eSent.get() + " upload starts at 50/s; visibility polled every 5 ms with clock_timestamp(); "
                        + pending.size() + " not seen; ingest errors " + ingestErrors.get());
    }

    /** Sends at a fixed rate regardless of answers; each latency counts from the request's scheduled time. */
    private Histogram openLoop(int perSecond, Duration duration, java.util.function.LongFunction<byte[]> request)
            throws Exception {
        Recorder recorder = new Recorder(3);
        long total = perSecond * duration.toSeconds();
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long periodNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 10_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 32; w++) {
            workers.add(thread("bench-read", () -> {
                try (MiniHttp http = new MiniHttp("localhost", gateway.port())) {
                    long i;
                    while ((i = next.getAndIncrement()) < total) {
                        long scheduled = start + i * periodNanos;
                        parkUntil(scheduled);
                        var r = http.exchange(request.apply(i));
                        recorder.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1_000));
                        if (r.status() / 100 != 2) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        if (errors.get() > 0) {
            log(errors.get() + " non-2xx answers in the read window");
        }
        return recorder.getIntervalHistogram();
    }

    // ---------------------------------------------------------------- row 7: memory

    private void memoryRow() {
        for (Child child : java.util.stream.Stream.of(gateway, processors, sink).filter(java.util.Objects::nonNull).toList()) {
            report.memory("7", "peak RSS " + child.name(), child.peakRssBytes());
        }
        report.memory("7", "peak RSS bench JVM (broker + load generators, for reference)",
                Child.procStatusKb(ProcessHandle.current().pid(), "VmHWM:") * 1024);
    }

    // ---------------------------------------------------------------- plumbing

    private Child startChild(String name, String service, Map<String, Object> properties) {
        List<String> extra = new ArrayList<>();
        if (profile.equals(name)) {
            extra.add("-XX:StartFlightRecording=filename=" + out.resolve(name + ".jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        Child child = Child.start(name, service, freePort(), properties, out.resolve("logs"), extra);
        children.add(child);
        return child;
    }

    private static Map<String, Object> quiet() {
        return Map.of("logging.level.org.apache.kafka", "WARN", "logging.level.kafka", "WARN",
                "logging.level.state.change.logger", "WARN", "logging.level.org.springframework", "WARN");
    }

    private long[] cpuSplit() {
        long[] split = new long[children.size() + 1];
        split[0] = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        for (int i = 0; i < children.size(); i++) {
            split[i + 1] = children.get(i).cpuNanos();
        }
        return split;
    }

    /** CPU time of every process of the benchmark: this JVM (broker, load generators) plus the services. */
    private long cpuNanos() {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        for (Child child : children) {
            total += child.cpuNanos();
        }
        return total;
    }

    private void freshDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminDbUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + dbName + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + dbName + "\"");
        }
    }

    private void stopAll() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void parkUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void log(String message) {
        System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), message);
    }
}
