package io.jettyspeed.tools;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the tools reach a cluster: {@code --bootstrap-servers}, else {@code KAFKA_BOOTSTRAP_SERVERS},
 * else {@code localhost:9092} (the local run). Every wait is bounded by {@code --timeout} (default
 * 10 s), and every failure to reach the cluster or find a topic becomes one {@link ToolException} line.
 */
public final class KafkaAccess implements AutoCloseable {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final Duration timeout;
    private Admin admin;

    public KafkaAccess(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** From {@code --bootstrap-servers} and {@code --timeout}, with the environment and defaults behind them. */
    public static KafkaAccess from(Args args, Map<String, String> env) {
        String bootstrap = args.option("--bootstrap-servers",
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP));
        if (bootstrap.isBlank()) {
            throw ToolException.usage("--bootstrap-servers is empty");
        }
        return new KafkaAccess(bootstrap, args.durationOption("--timeout", DEFAULT_TIMEOUT));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Fails with one line unless the cluster answers within the timeout; returns its live brokers' count. */
    public int requireReachable() {
        return await(admin().describeCluster().nodes(), "reach Kafka").size();
    }

    /** The topic's description, or one line saying it does not exist. */
    public TopicDescription describe(String topic) {
        requireReachable();
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ToolException("topic '" + topic + "' does not exist on " + bootstrapServers);
            }
            throw failure("describe topic " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
    }

    public Set<String> topicNames() {
        return await(admin().listTopics().names(), "list topics");
    }

    public Map<String, TopicDescription> describeAll(Collection<String> topics) {
        return await(admin().describeTopics(topics).allTopicNames(), "describe topics");
    }

    /** Waits on an admin result within the timeout; failures become one line. */
    public <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable();
            }
            throw failure(what, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
    }

    public Admin admin() {
        if (admin == null) {
            Map<String, Object> config = common();
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            admin = connect(() -> Admin.create(config));
        }
        return admin;
    }

    /** A consumer of raw bytes that reads only committed records (read_committed) and never joins a group. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        return consumer(Map.of());
    }

    /**
     * Like {@link #consumer()}, with a group id so that it can read the offsets a copy committed with its
     * transactions; it is assigned partitions and never joins the group.
     */
    public KafkaConsumer<byte[], byte[]> consumer(String groupId) {
        return consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId));
    }

    /** Transactional (hence idempotent, acks=all) under {@code transactionalId}: a second one with the same id fences the first. */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        return producer("jettyspeed-repartition", Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.LINGER_MS_CONFIG, 20));
    }

    /** Idempotent, acks=all: a replayed record is written once and durably, or the tool says it failed. */
    public KafkaProducer<byte[], byte[]> producer() {
        return producer("jettyspeed-dlt-replay", Map.of());
    }

    public Duration timeout() {
        return timeout;
    }

    public ToolException unreachable() {
        return new ToolException("cannot reach Kafka at " + bootstrapServers + " within " + timeout.toSeconds()
                + " s (set --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
    }

    private ToolException failure(String what, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new ToolException("cannot " + what + " at " + bootstrapServers + ": " + message);
    }

    private KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> extra) {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "jettyspeed-tools");
        config.putAll(extra);
        return connect(() -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    private KafkaProducer<byte[], byte[]> producer(String clientId, Map<String, Object> extra) {
        Map<String, Object> config = common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.putAll(extra);
        return connect(() -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** A client's constructor fails at once on a bad bootstrap address; that becomes one line too. */
    private <T> T connect(Supplier<T> client) {
        try {
            return client.get();
        } catch (KafkaException e) {
            throw failure("connect to Kafka", e);
        }
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
