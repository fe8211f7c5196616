package io.jettyspeed.processors;

import io.jettyspeed.processors.errors.DeadLetterHandlers;
import io.jettyspeed.processors.errors.DeadLetterPublisher;
import io.jettyspeed.processors.errors.DeadLetterRoutes;
import io.jettyspeed.processors.errors.OutputGuard;
import io.jettyspeed.processors.state.BoundedRocksDbMemory;
import io.jettyspeed.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@link KafkaStreams} per topology with exactly-once v2, starts them with the Spring
 * context and closes them (committing) on shutdown; keeps each application's state and since when
 * ({@link #states()}), which the probes ({@link StreamsHealth}) and the metrics
 * {@code jetty.processors.running} / {@code jetty.processors.not.running.seconds} report.
 *
 * <p>Recovery: each topology's consumers are static members ({@code group.instance.id} =
 * {@code <instance-id>-<topology>}, to which Kafka Streams appends {@code -<thread>}), so a restarted
 * instance, after a clean stop or a kill -9, takes its tasks back as soon as it rejoins instead of
 * waiting for its old members' sessions to time out. On a clean stop it leaves the groups
 * ({@code leave-group-on-close}), so the other instances take its tasks over at once.
 *
 * <p>Errors: a record that fails after decoding (a processor's exception, an output that cannot be
 * produced, an unreadable internal record) is dead-lettered by Kafka Streams' exception handlers
 * ({@link DeadLetterHandlers}) and processing goes on. What remains for the uncaught-exception
 * handler is infrastructure (a broker unreachable beyond the timeouts, a dead letter that cannot be
 * written, a fenced producer): the thread is replaced and resumes from the last commit.
 */
public class StreamsRunner implements SmartLifecycle {

    /**
     * An application's state, since when it is in it ({@link System#nanoTime()}) and how many of its
     * store partitions are being restored from their changelogs (Kafka Streams says RUNNING meanwhile,
     * but those tasks process nothing until their restore ends).
     */
    public record StateSince(KafkaStreams.State state, long sinceNanos, int restoringStores) {

        StateSince(KafkaStreams.State state, long sinceNanos) {
            this(state, sinceNanos, 0);
        }

        StateSince restoring(int stores) {
            return new StateSince(state, sinceNanos, stores);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    private final ProcessorsProperties properties;
    private final MeterRegistry registry;
    private final Map<String, KafkaStreams> streams = new LinkedHashMap<>();
    private final List<KafkaStreamsMetrics> metrics = new ArrayList<>();
    private final List<ExecutorService> metricsRefreshers = new ArrayList<>();
    private final Map<String, StateSince> states = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> restoring = new ConcurrentHashMap<>();
    private final StaticMemberRemover memberRemover;
    private DeadLetterPublisher deadLetters;
    private volatile boolean running;

    public StreamsRunner(ProcessorsProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.registry = registry;
        this.memberRemover = new StaticMemberRemover(properties.bootstrapServers());
    }

    /** How often new Kafka Streams metrics (of tasks that moved here) are bound to the registry. */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(15);

    /**
     * Streams settings of one topology, without the exception handlers' collaborators
     * ({@link DeadLetterHandlers#configure}, done in {@link #start()} once the topology is built);
     * public so tests and the local launcher use the same ones.
     */
    public static Properties streamsConfig(ProcessorsProperties properties, String topology) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId() + "-" + topology);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, properties.processingGuarantee());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(properties.stateDir(), topology).toString());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // Repartition and changelog topics must survive a broker loss like the catalogue topics do.
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Static membership; Kafka Streams makes it <instance>-<topology>-<thread> per stream thread.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId() + "-" + topology);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) properties.sessionTimeout().toMillis());
        // Kafka Streams' 10 s for exactly-once is shorter than a broker's loss and election (9 s before it is
        // fenced, then new leaders): the coordinator aborted the open transaction, the commit failed and the
        // thread was replaced with its state wiped. A transaction may stay open as long as a lost instance's
        // tasks wait for its session to time out anyway; an instance that restarts aborts it at once.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) properties.sessionTimeout().toMillis());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.MEMORY_CONFIG, properties.rocksdbMemory().toBytes());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, properties.stateCache().toBytes());
        config.putAll(properties.streams());
        return config;
    }

    @Override
    public void start() {
        Topics topics = Topics.of(properties.topicPrefix(), properties.partitions());
        OutputGuard guard = new OutputGuard(properties.maxRecordBytes());
        deadLetters = DeadLetterPublisher.kafka(properties.bootstrapServers(), properties.applicationId() + "-dead-letters");
        for (String name : ProcessorTopologies.NAMES) {
            Properties config = streamsConfig(properties, name);
            // Built with the application's own configuration, so topology-level settings apply to it too.
            StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
            Topology topology = ProcessorTopologies.build(name, builder, topics, properties, guard);
            String applicationId = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
            DeadLetterHandlers.configure(config, deadLetters, DeadLetterRoutes.of(topology, applicationId), guard);
            KafkaStreams instance = new KafkaStreams(topology, config);
            states.put(name, new StateSince(instance.state(), System.nanoTime()));
            instance.setStateListener((newState, oldState) -> {
                states.put(name, new StateSince(newState, System.nanoTime()));
                LOG.info("topology {}: {} -> {}", name, oldState, newState);
            });
            restoring.put(name, ConcurrentHashMap.newKeySet());
            instance.setGlobalStateRestoreListener(new RestoreTracker(restoring.get(name)));
            registerStateGauges(name);
            // Infrastructure failures are not swallowed: replace the thread and let it retry from the last commit.
            // The failed thread's static member would hold its tasks until its session times out (Kafka Streams
            // removes a static member only in removeStreamThread), so it is removed once the thread is gone.
            String groupInstanceId = config.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            instance.setUncaughtExceptionHandler(exception -> {
                LOG.error("stream thread of {} failed; replacing it", name, exception);
                memberRemover.removeWhenDead(instance, applicationId, groupInstanceId, Thread.currentThread());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "metrics-" + name);
                thread.setDaemon(true);
                return thread;
            });
            metricsRefreshers.add(refresher);
            KafkaStreamsMetrics binder = new KafkaStreamsMetrics(instance, List.of(), refresher, METRICS_REFRESH);
            binder.bindTo(registry);
            metrics.add(binder);
            streams.put(name, instance);
            instance.start();
            LOG.info("started topology {} as {}", name, applicationId);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // Leaving removes this instance's static members (an Admin call per thread) once its tasks are closed.
        KafkaStreams.CloseOptions close = new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30))
                .leaveGroup(properties.leaveGroupOnClose());
        // The metrics first: a refresh reading a RocksDB property of a store being closed crashed the JVM
        // (SIGSEGV in the metrics thread during a stop, seen in GatewayFreshnessIT).
        metrics.forEach(KafkaStreamsMetrics::close);
        metricsRefreshers.forEach(ExecutorService::shutdownNow);
        for (ExecutorService refresher : metricsRefreshers) {
            try {
                refresher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.values().forEach(instance -> instance.close(close));
        memberRemover.close();
        streams.clear();
        metrics.clear();
        metricsRefreshers.clear();
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public Map<String, KafkaStreams> streams() {
        return Map.copyOf(streams);
    }

    /** Each application's state, since when and its restoring stores, by topology name; empty before {@link #start()}. */
    public Map<String, StateSince> states() {
        Map<String, StateSince> snapshot = new LinkedHashMap<>();
        states.forEach((topology, since) -> snapshot.put(topology,
                since.restoring(restoring.getOrDefault(topology, Set.of()).size())));
        return Map.copyOf(snapshot);
    }

    /** Whether {@link #start()} ran and {@link #stop()} has not begun. */
    boolean started() {
        return running;
    }

    private void registerStateGauges(String topology) {
        Gauge.builder("jetty.processors.running", states, all -> {
                    StateSince current = all.get(topology);
                    return current != null && current.state() == KafkaStreams.State.RUNNING ? 1 : 0;
                })
                .tag("topology", topology)
                .description("1 while the topology's Kafka Streams application is RUNNING, else 0 (rebalancing, starting, failed, stopped)")
                .register(registry);
        Gauge.builder("jetty.processors.not.running", states, all -> {
                    StateSince current = all.get(topology);
                    return current == null || current.state() == KafkaStreams.State.RUNNING ? 0
                            : (System.nanoTime() - current.sinceNanos()) / 1e9;
                })
                .tag("topology", topology).baseUnit("seconds")
                .description("How long the topology's application has not been RUNNING (0 while it is)")
                .register(registry);
    }
}
