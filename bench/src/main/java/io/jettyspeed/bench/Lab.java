package io.jettyspeed.bench;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What every row shares and nothing else: the broker (a child JVM of its own), a fresh PostgreSQL
 * database with the project's migrations, an admin API key, and the accounting of our processes.
 * Services are not here: each row starts its own in a {@link Stage} and stops them when done.
 */
public final class Lab implements AutoCloseable {

    /** Name of this JVM in the CPU tables: the load generators and raw clients run here. */
    public static final String LOAD_GENERATOR = "load generator";
    public static final String BROKER = "broker";
    public static final String POSTGRES = "postgres";

    /** Peak RSS of one service JVM in one stage. */
    public record Peak(String service, String name, String stage, String heap, long bytes) {
    }

    private final BenchOptions options;
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final List<Peak> peaks = new ArrayList<>();
    private final List<String> idleChecks = new ArrayList<>();
    private final List<Child> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CpuMeter meter = CpuMeter.proc();
    private final String dbName;
    private final String adminDbUrl;
    private Child broker;
    private String bootstrap;
    private String apiKey;
    private Connection monitor;
    private boolean postgresLocal;
    private List<CpuMeter.Process> backends = List.of();

    private Lab(BenchOptions options) {
        this.options = options;
        int slash = options.dbUrl().lastIndexOf('/');
        this.dbName = options.dbUrl().substring(slash + 1);
        this.adminDbUrl = options.dbUrl().substring(0, slash + 1) + "postgres";
    }

    public static Lab start(BenchOptions options) throws Exception {
        Lab lab = new Lab(options);
        try {
            lab.init();
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    private void init() throws Exception {
        Path run = options.out().resolve("run");
        deleteRecursively(run);
        deleteRecursively(options.out().resolve("logs"));
        // Whatever way this JVM ends, the JVMs it started end with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Child::kill), "bench-children"));
        Files.createDirectories(run);
        Bench.log("fresh database " + dbName + "; broker in a child JVM (-Xmx" + options.heap("broker") + ")");
        try (Connection c = DriverManager.getConnection(adminDbUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + dbName + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + dbName + "\"");
        }
        Flyway.configure().dataSource(options.dbUrl(), "postgres", "").locations("classpath:db/migration").load().migrate();
        apiKey = "ac_bench" + runId + "_" + "B".repeat(8) + runId + "x".repeat(16);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(options.dbUrl());
        ds.setUser("postgres");
        new ApiKeyRepository(ds).save(apiKey, Set.of(Scope.ADMIN), null, "benchmark", 1_000_000_000, true);
        monitor = db();
        String host = options.dbUrl().replaceFirst("^jdbc:postgresql://", "").split("[:/]")[0];
        postgresLocal = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");

        Path ready = run.resolve("broker.ready");
        broker = track(Child.start(BROKER, BROKER, options.heap("broker"), List.of("-XX:+UseG1GC"),
                Child.Launch.mainClass(BrokerMain.class, List.of(run.resolve("kafka").toAbsolutePath().toString(),
                        ready.toAbsolutePath().toString())), Map.of(), 0,
                options.out().resolve("logs")));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(ready)) {
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start; see " + options.out().resolve("logs/broker.log"));
            }
            Bench.sleep(100);
        }
        bootstrap = Files.readString(ready).trim();
    }

    public BenchOptions options() {
        return options;
    }

    public String runId() {
        return runId;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String apiKey() {
        return apiKey;
    }

    public String dbUrl() {
        return options.dbUrl();
    }

    public Connection db() throws SQLException {
        return DriverManager.getConnection(options.dbUrl(), "postgres", "");
    }

    public CpuMeter meter() {
        return meter;
    }

    public Stage stage(String id, String title) throws Exception {
        return new Stage(this, id, title);
    }

    /**
     * Every process we account for, with {@code children} (the services of the running stage): this
     * JVM, the broker and, when PostgreSQL runs on this machine, the backends serving the benchmark's
     * database (not the server's background workers, which serve every database). Listing the
     * backends is a query; {@code relistBackends} false reuses the last list (connection pools are
     * fixed-size, so it holds within a window), for the reads every few milliseconds while a
     * window waits for consumers.
     */
    List<CpuMeter.Process> processes(List<Child> children, boolean relistBackends) {
        List<CpuMeter.Process> processes = new ArrayList<>();
        children.forEach(c -> processes.add(c.asMeasured()));
        processes.add(new CpuMeter.Process(BROKER, broker.pid()));
        if (postgresLocal) {
            if (relistBackends) {
                List<CpuMeter.Process> now = new ArrayList<>();
                try (PreparedStatement s = monitor.prepareStatement(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        now.add(new CpuMeter.Process(POSTGRES, rs.getLong(1)));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot list the database's backends", e);
                }
                backends = List.copyOf(now);
            }
            processes.addAll(backends);
        }
        processes.add(new CpuMeter.Process(LOAD_GENERATOR, ProcessHandle.current().pid()));
        return processes;
    }

    /** Remembers a JVM this run started, so that it is stopped even if the run is interrupted. */
    Child track(Child child) {
        started.add(child);
        return child;
    }

    void recordPeak(Peak peak) {
        peaks.add(peak);
    }

    public List<Peak> peaks() {
        return List.copyOf(peaks);
    }

    public long brokerPeakRssBytes() {
        return broker == null ? 0 : broker.peakRssBytes();
    }

    void recordIdleCheck(String line) {
        idleChecks.add(line);
    }

    public List<String> idleChecks() {
        return List.copyOf(idleChecks);
    }

    /** A producer for loading records fast (not a measured side): big batches, acks=all. */
    public KafkaProducer<String, byte[]> loader() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-loader");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        if (monitor != null) {
            try {
                monitor.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
