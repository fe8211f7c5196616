package io.jettyspeed.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three KRaft nodes in child JVMs, topics at replication factor 3 and min.insync.replicas 2, and a
 * producer under load while one node goes away and comes back, as Kafka's own
 * {@code streams_broker_bounce_test} does: nothing acknowledged may be lost or doubled, and the
 * longest time without an acknowledgement is printed.
 */
class KafkaClusterIT {

    private static final int RATE_PER_SECOND = 2000;

    @TempDir
    static Path dataDir;

    static InProcessKafka cluster;

    @BeforeAll
    static void startCluster() {
        cluster = InProcessKafka.builder(dataDir).nodes(3).childJvms().start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldLoseAndDoubleNothingAcknowledgedWhileTheLeaderIsStoppedAndRestarted() throws Exception {
        // given an idempotent acks=all producer under load on an RF 3 / min ISR 2 topic
        String topic = "bounce-clean";
        cluster.createTopics(List.of(replicated(topic)));
        int leader = leaderOf(topic, 0);

        // when the leader of partition 0 stops cleanly mid-load and starts again
        Load load = Load.idempotent(cluster.bootstrapServers(), topic);
        Bounce bounce = bounceMidLoad(load, leader, KafkaNode::stop);

        // then every acknowledged record is there exactly once
        assertExactlyOnce(topic, load);
        report("clean stop (SIGTERM, controlled shutdown) of node " + leader + ", leader of " + topic + "-0", load, bounce);
    }

    @Test
    void shouldLoseAndDoubleNothingCommittedWhileTheActiveControllerIsKilledAndRestarted() throws Exception {
        // given a transactional producer (commits of 100 records) on an RF 3 / min ISR 2 topic
        String topic = "bounce-kill";
        cluster.createTopics(List.of(replicated(topic)));
        int controller = cluster.activeControllerId();

        // when the node that is the active controller (and leads some partitions) is killed mid-load
        Load load = Load.transactional(cluster.bootstrapServers(), topic);
        Bounce bounce = bounceMidLoad(load, controller, KafkaNode::kill);

        // then every committed record is there exactly once, and nothing else is
        assertExactlyOnce(topic, load);
        report("SIGKILL of node " + controller + ", the active controller", load, bounce);
    }

    @Test
    void shouldReplicateTheInternalTopicsThriceWithTwoInSync() throws Exception {
        // given a consumer group and a transaction, which create the offsets and transaction topics
        String topic = "internal-check";
        cluster.createTopics(List.of(replicated(topic)));
        Load load = Load.transactional(cluster.bootstrapServers(), topic);
        load.produce(Duration.ofMillis(300));
        readCommitted(topic, value -> { });

        // then both are replicated to all three nodes, with two required in sync
        try (var admin = cluster.admin()) {
            var internal = admin.describeTopics(List.of("__consumer_offsets", "__transaction_state")).allTopicNames().get();
            assertThat(internal.values()).allSatisfy(description -> assertThat(description.partitions())
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
            var configs = admin.describeConfigs(List.of(
                    new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "__transaction_state"))).all().get();
            assertThat(configs.values().iterator().next().get("min.insync.replicas").value()).isEqualTo("2");
        }
        assertThat(cluster.replicationFactor()).isEqualTo(3);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
    }

    private static NewTopic replicated(String name) {
        return new NewTopic(name, 6, (short) 3).configs(Map.of("min.insync.replicas", "2"));
    }

    private static int leaderOf(String topic, int partition) throws Exception {
        try (var admin = cluster.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition)
                    .leader().id();
        }
    }

    record Bounce(long downAtNanos, Duration takeDown, long upAtNanos, Duration restart, Duration resync) {
    }

    /** 3 s of load, the node down for 5 s, back, in sync again, 3 s more load. */
    private static Bounce bounceMidLoad(Load load, int nodeId, Consumer<KafkaNode> takeDown) throws Exception {
        KafkaNode node = cluster.node(nodeId);
        Thread producing = new Thread(() -> load.produce(Duration.ofMinutes(5)), "load");
        producing.start();
        try {
            // Waits for 3 s worth of acknowledged load before the bounce; generous, since a busy machine
            // (a transactional producer's first transactions, JIT) may take longer to get there.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.acknowledged() >= 3 * RATE_PER_SECOND);
            long down = System.nanoTime();
            takeDown.accept(node);
            Duration tookDown = Duration.ofNanos(System.nanoTime() - down);
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .until(() -> !node.isRunning());
            node.start();
            long up = System.nanoTime();
            Duration resync = cluster.awaitFullyReplicated(Duration.ofSeconds(120));
            long acknowledgedAfterResync = load.acknowledged();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> load.acknowledged() >= acknowledgedAfterResync + 3 * RATE_PER_SECOND);
            return new Bounce(down, tookDown, up, node.lastStartDuration(), resync);
        } finally {
            load.stop();
            producing.join();
        }
    }

    private static void assertExactlyOnce(String topic, Load load) {
        Map<String, Integer> counts = new HashMap<>();
        readCommitted(topic, value -> counts.merge(value, 1, Integer::sum));
        assertThat(load.failures()).as("sends that failed (not acknowledged)").isEmpty();
        assertThat(load.acknowledgedKeys()).allSatisfy(key -> assertThat(counts.get(key)).as(key).isEqualTo(1));
        assertThat(counts.keySet()).as("records read that were never acknowledged").isSubsetOf(load.acknowledgedKeys());
    }

    private static void readCommitted(String topic, Consumer<String> values) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            // A group of its own, whose commit is what creates the offsets topic for the test of internal topics.
            TopicContents.readToEnd(consumer, topic, Duration.ofSeconds(60)).forEach(record -> values.accept(record.value()));
            consumer.commitSync();
        }
    }

    private static void report(String what, Load load, Bounce bounce) {
        Stall stall = load.longestStallAfter(bounce.downAtNanos() - 1_000_000_000L);
        System.out.printf("%n[cluster bounce] %s:%n"
                        + "  acknowledged %,d records (%s), none lost, none doubled%n"
                        + "  longest time without an acknowledgement: %,d ms, starting %,d ms after the node went down%n"
                        + "  taking the node down took %,d ms%n"
                        + "  node restart until it served clients: %,d ms; until every replica was in sync again: %,d ms%n",
                what, load.acknowledged(), load.kind, stall.millis(), stall.startMillisAfter(bounce.downAtNanos()),
                bounce.takeDown().toMillis(),
                bounce.restart().toMillis(), bounce.resync().toMillis());
    }

    record Stall(long fromNanos, long toNanos) {
        long millis() {
            return (toNanos - fromNanos) / 1_000_000;
        }

        long startMillisAfter(long nanos) {
            return (fromNanos - nanos) / 1_000_000;
        }
    }

    /** A paced producer remembering what was acknowledged (or committed) and when. */
    static final class Load {

        final String kind;
        private final KafkaProducer<String, String> producer;
        private final String topic;
        private final boolean transactional;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong sequence = new AtomicLong();
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final List<Long> ackTimes = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        private Load(String bootstrap, String topic, String transactionalId) {
            Map<String, Object> config = new HashMap<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 1));
            if (transactionalId != null) {
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            }
            this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
            this.topic = topic;
            this.transactional = transactionalId != null;
            this.kind = transactional ? "transactional producer, read_committed check" : "idempotent producer, acks=all";
            if (transactional) {
                producer.initTransactions();
            }
        }

        static Load idempotent(String bootstrap, String topic) {
            return new Load(bootstrap, topic, null);
        }

        static Load transactional(String bootstrap, String topic) {
            return new Load(bootstrap, topic, "load-" + topic);
        }

        long acknowledged() {
            return acknowledged.size();
        }

        Set<String> acknowledgedKeys() {
            return Set.copyOf(acknowledged);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        void stop() {
            stopped.set(true);
        }

        /** Sends at {@link #RATE_PER_SECOND} until stopped or for at most {@code duration}, then flushes and closes. */
        void produce(Duration duration) {
            long deadline = System.nanoTime() + duration.toNanos();
            long interval = 1_000_000_000L / RATE_PER_SECOND;
            long next = System.nanoTime();
            Semaphore outstanding = new Semaphore(5_000);
            try {
                while (!stopped.get() && System.nanoTime() < deadline) {
                    if (transactional) {
                        producer.beginTransaction();
                        List<String> batch = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            String value = "v-" + sequence.incrementAndGet();
                            batch.add(value);
                            producer.send(new ProducerRecord<>(topic, "k-" + (sequence.get() % 500), value));
                            next = pace(next, interval);
                        }
                        try {
                            producer.commitTransaction();
                            acknowledged.addAll(batch);
                            ackTimes.add(System.nanoTime());
                        } catch (org.apache.kafka.common.KafkaException e) {
                            failures.add("commit of " + batch.size() + " records: " + e);
                            producer.abortTransaction();
                        }
                    } else {
                        String value = "v-" + sequence.incrementAndGet();
                        outstanding.acquire();
                        producer.send(new ProducerRecord<>(topic, "k-" + (sequence.get() % 500), value),
                                (metadata, exception) -> {
                                    outstanding.release();
                                    if (exception == null) {
                                        acknowledged.add(value);
                                        ackTimes.add(System.nanoTime());
                                    } else {
                                        failures.add(value + ": " + exception);
                                    }
                                });
                        next = pace(next, interval);
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                producer.close(Duration.ofSeconds(30));
            }
        }

        /** The longest gap between two acknowledgements (or commits) after {@code fromNanos}. */
        Stall longestStallAfter(long fromNanos) {
            List<Long> times;
            synchronized (ackTimes) {
                times = new ArrayList<>(ackTimes);
            }
            Collections.sort(times);
            Stall longest = new Stall(fromNanos, fromNanos);
            Long previous = null;
            for (long time : times) {
                if (time < fromNanos) {
                    continue;
                }
                long from = previous == null ? fromNanos : previous;
                if (time - from > longest.toNanos() - longest.fromNanos()) {
                    longest = new Stall(from, time);
                }
                previous = time;
            }
            return longest;
        }

        private static long pace(long next, long interval) {
            long target = next + interval;
            long wait = target - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            return Math.max(target, System.nanoTime() - 1_000_000_000L);
        }
    }
}
