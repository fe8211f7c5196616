package io.jettyspeed.testing;

import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.kafka.KafkaNode;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.FixtureChoice.Decision;
import io.jettyspeed.testing.FixtureChoice.KafkaSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * Real Kafka for the whole test JVM, started on first use in a temporary folder and stopped when
 * the JVM exits. Tests stay apart by taking topics of their own ({@link #freshTopics()}) and
 * application ids of their own ({@link #uniqueId(String)}).
 *
 * <ul>
 *   <li>{@link #bootstrapServers()}: one broker; topics at replication factor 1. Chosen once per JVM by
 *       {@link FixtureChoice#kafka} and announced in one line on standard error: the broker at
 *       {@code JETTY_TEST_KAFKA_BOOTSTRAP} if set, else an {@code apache/kafka} container where a Docker
 *       engine answers, else the real broker in-process. {@code JETTY_TEST_KAFKA=external|testcontainers|in-process}
 *       forces one (and fails, rather than falls back, when it is not available).</li>
 *   <li>{@link #cluster()}: three KRaft nodes, always in-process (each in a child JVM so a test can stop,
 *       {@code SIGKILL} and restart one, {@link KafkaNode}); topics ({@link #freshClusterTopics()}) at
 *       replication factor 3 and {@code min.insync.replicas} 2, internal topics likewise. Started only by
 *       tests that ask for it.</li>
 * </ul>
 *
 * <p>The partition count is {@code JETTY_PARTITIONS} (default 6), as everywhere else.
 */
public final class SharedKafka {

    /** Nodes of {@link #cluster()}. */
    public static final int CLUSTER_NODES = 3;

    private static String bootstrapServers;
    private static InProcessKafka cluster;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            Decision<KafkaSource> decision = FixtureChoice.kafka(System.getenv(), FixtureProbes.INSTANCE);
            String chosen = switch (decision.source()) {
                case EXTERNAL -> System.getenv(FixtureChoice.KAFKA_BOOTSTRAP_ENV).trim();
                case TESTCONTAINERS -> KafkaContainers.start();
                case IN_PROCESS -> {
                    InProcessKafka kafka = InProcessKafka.start(tempDir("jetty-test-kafka"), 0);
                    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "in-process-kafka-shutdown"));
                    yield kafka.bootstrapServers();
                }
            };
            System.err.println(decision.line("Kafka", "broker at " + chosen
                    + (decision.source() == KafkaSource.TESTCONTAINERS ? " (" + KafkaContainers.IMAGE + ")" : ""),
                    FixtureChoice.KAFKA_ENV));
            bootstrapServers = chosen;
        }
        return bootstrapServers;
    }

    /**
     * The shared 3-node cluster (child JVMs), started on first use. A test that stops or kills a node
     * should start it again; should one have been left down, the next call brings it back and waits
     * until every replica is in sync, so each test begins with the whole cluster.
     */
    public static synchronized InProcessKafka cluster() {
        if (cluster == null) {
            InProcessKafka started = InProcessKafka.builder(tempDir("jetty-test-cluster")).nodes(CLUSTER_NODES)
                    .childJvms().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-cluster-shutdown"));
            cluster = started;
        } else if (!cluster.nodes().stream().allMatch(KafkaNode::isRunning)) {
            cluster.nodes().stream().filter(node -> !node.isRunning()).forEach(KafkaNode::start);
            cluster.awaitFullyReplicated(Duration.ofSeconds(120));
        }
        return cluster;
    }

    /** A catalogue whose every topic has a unique prefix, created on the single broker (replication factor 1). */
    public static Topics freshTopics() {
        Topics topics = Topics.of(uniqueId("t") + ".", Topics.partitionsFromEnvironment(System.getenv()));
        createTopics(topics);
        return topics;
    }

    /** A catalogue with a unique prefix, created on {@link #cluster()} with replication factor 3 and min ISR 2. */
    public static Topics freshClusterTopics() {
        Topics topics = Topics.of(uniqueId("t") + ".", Topics.partitionsFromEnvironment(System.getenv()));
        createTopics(cluster().bootstrapServers(), topics, Topics.Replication.PRODUCTION);
        return topics;
    }

    /** Creates the catalogue on the single broker (replication factor 1). */
    public static void createTopics(Topics topics) {
        createTopics(bootstrapServers(), topics, Topics.Replication.SINGLE_NODE);
    }

    /**
     * Creates every catalogue topic (dead-letter topics included) with the given replication, and returns once
     * the brokers list them: the creation is acknowledged when the controller has it, and a broker's metadata
     * follows a moment later (a tool listing topics right after saw them missing).
     */
    public static void createTopics(String bootstrapServers, Topics topics, Topics.Replication replication) {
        try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics.all().stream().map(topic -> topic.toNewTopic(replication)).toList()).all().get();
            Set<String> names = topics.all().stream().map(Topic::name).collect(Collectors.toSet());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.listTopics().names().get().containsAll(names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("created topics not listed within 30 s: " + names);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating test topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics", e);
        }
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static java.nio.file.Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
