package io.jettyspeed.sink.health;

import io.jettyspeed.sink.AggregateSink;
import io.jettyspeed.sink.PartitionClaims;
import io.jettyspeed.sink.SinkProperties;
import io.jettyspeed.sink.deadletters.DeadLetterRelay;
import io.jettyspeed.sink.poison.Failures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The sink's readiness ({@code sink} in the readiness group) and its lag, measured on a thread of
 * its own every {@code jetty.sink.check-interval}, so a probe never waits for Kafka or PostgreSQL.
 *
 * <p>Ready means the sink is doing its job. It is not ready while: it holds no partitions (none
 * assigned, or assigned but not claimed because PostgreSQL is unreachable); Kafka does not answer;
 * PostgreSQL does not answer; the listener container is not running; or records wait (the end of
 * a held partition, read committed, is beyond its offset in {@code sink_offsets}) and nothing was
 * committed for longer than {@code jetty.sink.stall-after} since they started waiting. The details
 * say which, with the lag, the seconds since the last commit and the dead-letter backlog. A
 * dead-letter topic that is unreachable does not make the sink unready: the letters wait in
 * {@code sink_dead_letters} and the backlog shows. Liveness is separate (Spring's
 * {@code livenessState}): waiting for a database is not a reason to restart.
 */
public final class SinkMonitor implements HealthIndicator, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SinkMonitor.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(4);

    private final SinkProperties properties;
    private final AggregateSink sink;
    private final MessageListenerContainer container;
    private final DeadLetterRelay relay;
    private final PartitionClaims claims;
    private final JdbcTemplate jdbc;
    private final Map<String, Object> adminConfig;
    private final AtomicLong lag = new AtomicLong(-1);

    private volatile Snapshot snapshot = new Snapshot(Status.DOWN, Map.of("reason", "starting"), System.nanoTime());
    private volatile boolean running;
    private ScheduledExecutorService executor;
    private Admin admin;
    /** Held partitions with records waiting, and since when (as {@link System#nanoTime()}). */
    private final Map<TopicPartition, Long> waitingSince = new HashMap<>();
    private String lastReason;

    private record Snapshot(Status status, Map<String, Object> details, long atNanos) {
    }

    public SinkMonitor(SinkProperties properties, AggregateSink sink, MessageListenerContainer container,
            DeadLetterRelay relay, JdbcTemplate jdbc, Map<String, Object> adminConfig, MeterRegistry meters) {
        this.properties = properties;
        this.sink = sink;
        this.container = container;
        this.relay = relay;
        this.claims = new PartitionClaims(jdbc);
        this.jdbc = jdbc;
        this.adminConfig = new HashMap<>(adminConfig);
        this.adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis() - 1000);
        this.adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        Gauge.builder("jetty.sink.lag", lag, AtomicLong::get).baseUnit("records")
                .description("Records in the held partitions not yet in PostgreSQL (end offset, read committed, minus sink_offsets); -1 when unknown")
                .register(meters);
    }

    @Override
    public Health health() {
        Snapshot current = snapshot;
        Duration age = Duration.ofNanos(System.nanoTime() - current.atNanos());
        Duration limit = max(properties.checkInterval().multipliedBy(3), Duration.ofSeconds(15));
        if (running && age.compareTo(limit) > 0) {
            return Health.down().withDetail("reason", "the sink's health check has not completed for "
                    + age.toSeconds() + " s").withDetails(current.details()).build();
        }
        return Health.status(current.status()).withDetails(current.details()).build();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        admin = Admin.create(adminConfig);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sink-monitor");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        executor.scheduleWithFixedDelay(this::checkSafely, 0, properties.checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("sink health check failed: {}", e.toString());
        }
    }

    /** Measures once and replaces the snapshot the probes read. */
    void check() {
        Set<TopicPartition> held = sink.claimedPartitions();
        Set<TopicPartition> assigned = sink.assignedPartitions();
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();

        if (!container.isRunning()) {
            problems.add("the Kafka listener container is not running");
        }
        Map<TopicPartition, Long> ends = null;
        try {
            ends = endOffsets(held);
        } catch (Exception e) {
            problems.add("Kafka unreachable: " + cause(e));
        }
        Map<TopicPartition, Long> stored = null;
        try {
            stored = held.isEmpty() ? Map.of() : claims.read(held);
            if (held.isEmpty()) {
                jdbc.queryForObject("SELECT 1", Integer.class);
            }
        } catch (RuntimeException e) {
            problems.add("PostgreSQL unreachable: " + Failures.classify(e).description());
        }
        if (held.isEmpty()) {
            problems.add(assigned.isEmpty()
                    ? "holds no partitions (none assigned: not joined yet, or more instances than partitions)"
                    : "holds no partitions: " + assigned.size() + " assigned but not claimed yet");
        }

        long now = System.nanoTime();
        long behind = -1;
        if (ends != null && stored != null) {
            behind = 0;
            waitingSince.keySet().retainAll(held);
            for (TopicPartition partition : held) {
                long waiting = Math.max(0, ends.getOrDefault(partition, 0L) - stored.getOrDefault(partition, 0L));
                behind += waiting;
                if (waiting > 0) {
                    waitingSince.putIfAbsent(partition, now);
                } else {
                    waitingSince.remove(partition);
                }
            }
        }
        lag.set(behind);
        // Stalled: a held partition has had records waiting, without a commit of it, for longer than stall-after.
        Map<TopicPartition, Long> progress = sink.progressNanos();
        long stalledFor = 0;
        int stalledPartitions = 0;
        for (Map.Entry<TopicPartition, Long> waiting : waitingSince.entrySet()) {
            long since = Math.max(waiting.getValue(), progress.getOrDefault(waiting.getKey(), waiting.getValue()));
            long quiet = now - since;
            if (quiet > properties.stallAfter().toNanos()) {
                stalledPartitions++;
                stalledFor = Math.max(stalledFor, quiet);
            }
        }
        if (stalledPartitions > 0) {
            problems.add("stalled: " + (behind >= 0 ? behind + " records wait" : "records wait") + " in "
                    + stalledPartitions + " partition(s) and nothing was committed for "
                    + Duration.ofNanos(stalledFor).toSeconds() + " s (stall-after " + properties.stallAfter().toSeconds()
                    + " s)");
        }
        double sinceCommit = sink.secondsSinceLastCommit();

        if (!problems.isEmpty()) {
            details.put("reason", String.join("; ", problems));
        }
        details.put("partitionsAssigned", assigned.size());
        details.put("partitionsHeld", held.size());
        details.put("lagRecords", behind);
        details.put("secondsSinceLastCommit", Math.round(sinceCommit * 10) / 10.0);
        details.put("deadLetterBacklog", relay.backlog());
        Map<String, Duration> waitingTopics = relay.pausedTopics();
        if (!waitingTopics.isEmpty()) {
            details.put("deadLetterTopicsUnavailable", List.copyOf(waitingTopics.keySet()));
        }
        String reason = problems.isEmpty() ? null : String.join("; ", problems);
        // log a change of state, not every new count of seconds or records
        String kind = reason == null ? null : reason.replaceAll("\\d+", "#");
        if (kind != null && !kind.equals(lastReason)) {
            log.warn("sink not ready: {}", reason);
        } else if (kind == null && lastReason != null) {
            log.info("sink ready again");
        }
        lastReason = kind;
        snapshot = new Snapshot(problems.isEmpty() ? Status.UP : Status.DOWN, Map.copyOf(details), now);
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) {
            admin.describeCluster().clusterId().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static String cause(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
