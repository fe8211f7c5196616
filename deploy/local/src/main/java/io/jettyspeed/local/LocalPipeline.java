package io.jettyspeed.local;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.simulator.Simulator;
import io.jettyspeed.simulator.SimulatorOptions;
import io.jettyspeed.sink.SinkApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole pipeline on one machine, in the foreground: a real Kafka broker in-process (data kept
 * under {@code .jettyspeed/}), the database created if missing, then the gateway, the stream
 * processors and the sink, each as its own Spring application with its own port. Ctrl-C or SIGTERM
 * stops them in reverse order, then the broker.
 *
 * <p>Restarts are fast: the processors and the sink join their groups as the static members
 * {@value #INSTANCE_ID} (the broker is this data directory's own, so no one else uses the name), and a
 * restart on the same data directory gets its partitions back without waiting for the old members to
 * time out. One launcher per data directory: a second one fails at once, naming the first's process.
 */
public final class LocalPipeline {

    /** Kafka's own INFO lines (broker, clients, Streams) would bury what the person running this needs to see. */
    private static final Map<String, Object> QUIET_LOGS = Map.of(
            "logging.level.kafka", "WARN",
            "logging.level.org.apache.kafka", "WARN",
            "logging.level.state.change.logger", "WARN");

    /** The static member name of the processors and the sink ({@code group.instance.id}), the same every run. */
    static final String INSTANCE_ID = "local";
    static final String LOCK_FILE = "launcher.lock";

    private final LocalSettings settings;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    LocalPipeline(LocalSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        LocalSettings settings;
        try {
            settings = LocalSettings.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("jettyspeed: " + e.getMessage());
            System.err.println(LocalSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help()) {
            System.out.println(LocalSettings.USAGE);
            return;
        }
        LocalPipeline pipeline = new LocalPipeline(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.stop();
            stopped.countDown();
        }, "jettyspeed-shutdown"));
        try {
            pipeline.start();
        } catch (LocalRunException e) {
            System.err.println("jettyspeed: " + e.getMessage());
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void start() {
        running.push(lockDataDir(settings.dataDir()));
        LocalDatabase.ensureExists(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        requireFreePort(settings.kafkaPort(), "Kafka (KAFKA_PORT)");
        requireFreePort(settings.gatewayPort(), "the gateway (PORT)");

        quietKafkaLogs();
        Path kafkaDir = settings.dataDir().resolve("kafka");
        InProcessKafka kafka = InProcessKafka.start(kafkaDir, settings.kafkaPort());
        running.push(kafka);
        // One broker: replication factor 1 and min.insync.replicas 1. Prefix and partitions as the
        // services read them (JETTY_TOPIC_PREFIX, JETTY_PARTITIONS).
        kafka.createTopics(Topics.fromEnvironment(System.getenv()).all().stream()
                .map(topic -> topic.toNewTopic(Topics.Replication.SINGLE_NODE)).toList());

        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> database = Map.of(
                "spring.kafka.bootstrap-servers", bootstrap,
                "spring.datasource.url", settings.dbUrl(),
                "spring.datasource.username", settings.dbUser(),
                "spring.datasource.password", settings.dbPassword());

        ConfigurableApplicationContext gateway = run(GatewayApplication.builder().profiles("local"), database,
                Map.of("server.port", settings.gatewayPort()));
        run(StreamProcessorsApplication.builder(), Map.of(
                "spring.kafka.bootstrap-servers", bootstrap,
                "jetty.processors.bootstrap-servers", bootstrap,
                // The processors keep their state in RocksDB and Kafka; the database libraries on this
                // shared classpath belong to the other two services.
                "spring.autoconfigure.exclude", String.join(",",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"),
                "server.port", settings.gatewayPort() + 1,
                "jetty.processors.instance-id", INSTANCE_ID,
                "jetty.processors.state-dir", settings.dataDir().resolve("streams").toAbsolutePath().toString()),
                Map.of());
        run(SinkApplication.builder(), database, Map.of("server.port", settings.gatewayPort() + 2,
                "jetty.sink.instance-id", INSTANCE_ID));

        String apiKey = gateway.getBean(io.jettyspeed.gateway.security.LocalDevKey.class).value();
        printBanner(kafka.bootstrapServers(), apiKey);
        if (settings.simulate()) {
            startSimulator(apiKey);
        }
    }

    /** {@code --simulate}: synthetic traffic through the gateway's HTTP API, with the local key; stopped first. */
    private void startSimulator(String apiKey) {
        SimulatorOptions options = SimulatorOptions
                .defaults(URI.create("http://localhost:" + settings.gatewayPort()), apiKey)
                .withRate(settings.simulateRate())
                .withDuration(settings.simulateDuration());
        Simulator simulator = new Simulator(options, line -> System.out.println("simulator: " + line));
        running.push(simulator);
        try {
            simulator.start();
        } catch (IllegalStateException e) {
            // The pipeline itself is fine; say why there is no traffic and keep running.
            System.err.println("simulator: not started: " + e.getMessage());
        }
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder builder, Map<String, Object> common,
            Map<String, Object> own) {
        if (stopping) {
            throw new LocalRunException("stopped while starting");
        }
        var properties = new java.util.LinkedHashMap<String, Object>(QUIET_LOGS);
        properties.putAll(common);
        properties.putAll(own);
        // As command-line arguments: they must win over each service's own configuration file.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = builder.run(args);
        running.push(context);
        return context;
    }

    private volatile boolean stopping;

    synchronized void stop() {
        stopping = true;
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("jettyspeed: error while stopping: " + e);
            }
        }
    }

    private void printBanner(String bootstrapServers, String apiKey) {
        int port = settings.gatewayPort();
        System.out.printf("""

                JettySpeed is running.
                  API            http://localhost:%1$d/api/jetty/...   (OpenAPI: http://localhost:%1$d/v3/api-docs)
                  Local API key  %2$s   (admin scope; exists only in the local profile)
                  Kafka          %3$s   (data in %4$s)
                  PostgreSQL     %5$s
                  Dashboard      http://localhost:%1$d/dashboard#key=%2$s
                  Health         http://localhost:%1$d/actuator/health  :%6$d processors  :%7$d sink
                Try:
                  curl -X POST http://localhost:%1$d/api/jetty/check-duplicate \\
                    -H "Authorization: Bearer %2$s" -H "Content-Type: application/json" \\
                    -d '{"fileHash":"sha256:%8$s","userId":"usr_123"}'
                Ctrl-C stops everything.
                """, port, apiKey, bootstrapServers, settings.dataDir().toAbsolutePath(), settings.dbUrl(),
                port + 1, port + 2, "a".repeat(64));
    }

    /** Before Spring configures logging, the broker would log at logback's default level. */
    private static void quietKafkaLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            QUIET_LOGS.keySet().forEach(name -> context.getLogger(name.substring("logging.level.".length()))
                    .setLevel(ch.qos.logback.classic.Level.WARN));
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    /**
     * Holds {@code <data dir>/launcher.lock} for as long as this launcher runs (the OS releases it if the
     * process dies), so that a second launcher on the same data directory stops with a message rather
     * than sharing its broker files, its Streams state and its static member names.
     */
    static AutoCloseable lockDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path lockFile = dataDir.resolve(LOCK_FILE);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new LocalRunException("another jettyspeed launcher (" + (holder.isEmpty() ? "unknown process" : holder)
                        + ") runs on data directory " + dataDir.toAbsolutePath()
                        + "; stop it, or give this one its own (JETTY_DATA_DIR or --data-dir) and ports (KAFKA_PORT, PORT).");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            FileLock held = lock;
            return () -> {
                held.release();
                channel.close();
            };
        } catch (IOException e) {
            throw new LocalRunException("cannot lock data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    private static void requireFreePort(int port, String what) {
        try (ServerSocket ignored = new ServerSocket(port)) {
            // free
        } catch (java.io.IOException e) {
            throw new LocalRunException("port " + port + " for " + what + " is already in use; stop what uses it"
                    + " or choose another port.");
        }
    }
}
