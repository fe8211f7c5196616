package io.jettyspeed.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.gateway.security.LocalDevKey;
import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.kafka.KafkaNode;
import io.jettyspeed.processors.ProcessorTopologies;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.SinkApplication;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.ServiceJvm;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.SqlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Crash tests that crash: the gateway, the stream processors and the sink each in a child JVM of its own
 * ({@link ServiceJvm}) on the 3-broker cluster (topics at replication factor 3, min ISR 2), under steady
 * load from clients that retry with their event ids ({@link UploadLoad}). In turn: {@code SIGKILL} of the
 * processors with a transaction open, of the sink with a PostgreSQL transaction open, of the gateway with
 * requests in flight, each restarted at once; {@code SIGKILL} of a broker, restarted 5 s later (Kafka's
 * {@code streams_broker_bounce_test}); then scale-out to 3 processor and 2 sink instances. After each, the
 * acknowledged events are exactly what the API and PostgreSQL count, per user and per session (0 lost,
 * 0 doubled), and the recovery time is printed ({@code [crash]} lines in the test's output file).
 *
 * <p>One pipeline for all scenarios, in order: starting the cluster and three Spring JVMs costs more
 * than any scenario on a 2-core machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    static final int USERS = 8;
    /**
     * What a restart must not do is wait for the killed instance's group members to time out: with members that
     * are not static, or under another instance id, the group waits out the session before it hands the work to
     * the new instance. The processors and the sink run here with a session timeout of {@link #SESSION_TIMEOUT},
     * and a restart must have them working again (the processors: every topology; the sink: a batch committed)
     * within half of it from the moment the application has started (liveness UP), so a wait for the session
     * fails the test on any machine. Issue 10's 15 s is a speed target, not asserted: the figure is printed and in
     * the README; it was met on a quiet machine (3.8 s) and missed on this 2-core machine in hours when everything
     * ran four times slower (30-37 s, with JVM and Spring Boot starts of 80 s). The JVM's and Spring Boot's own
     * start is printed, not bounded.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(120);
    static final Duration RESTART_BOUND = SESSION_TIMEOUT.dividedBy(2);
    /** Consumers per sink instance ({@code JETTY_SINK_CONCURRENCY}), each a member of the sink's group. */
    static final int SINK_CONSUMERS = 2;
    /**
     * A killed broker stops nothing for longer than the election: {@code broker.session.timeout.ms} (9 s,
     * Kafka's default, before the controller fences it and moves its leaderships), about 2 s for the
     * clients to find the new leaders, and a margin of 10 s for a shared 2-core machine.
     */
    static final Duration BROKER_BOUNCE_BOUND = Duration.ofSeconds(9 + 2 + 10);
    /**
     * The processors' outputs may pause a little longer than the acknowledgements: after the election each
     * exactly-once task finishes the transaction the loss interrupted, and a topology with a repartition
     * passes its records through two transactions. Before the transaction timeout was raised above the
     * election (StreamsRunner), the coordinator aborted such a transaction, the thread was replaced with
     * its state wiped and a topology's outputs paused 28-38 s; now 9-13 s.
     */
    static final Duration BROKER_BOUNCE_OUTPUT_BOUND = BROKER_BOUNCE_BOUND.plusSeconds(9);

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static InProcessKafka cluster;
    static Topics topics;
    static String applicationId;
    static String sinkGroup;
    static Path stateRoot;
    static ServiceJvm gateway;
    static final List<ServiceJvm> processors = new ArrayList<>();
    static final List<ServiceJvm> sinks = new ArrayList<>();
    static GatewayHttp http;
    static OutputArrivals outputs;
    static UploadLoad load;
    static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void startPipelineOnTheCluster() throws Exception {
        quietKafkaClientLogs();
        cluster = SharedKafka.cluster();
        topics = SharedKafka.freshClusterTopics();
        applicationId = SharedKafka.uniqueId("crash");
        sinkGroup = SharedKafka.uniqueId("crash-sink");
        stateRoot = Files.createTempDirectory("crash-streams");
        gateway = gateway();
        report("gateway ready %.1f s after launch", seconds(gateway.start()));
        processors.add(processors(1));
        sinks.add(sink(1));
        startTogether(List.of(processors.get(0), sinks.get(0)));
        http = new GatewayHttp(gateway.port());
        outputs = new OutputArrivals(cluster.bootstrapServers(), outputTopics(), topics.partitions());
        load = new UploadLoad(gateway.port(), LocalDevKey.VALUE, USERS);
        load.start();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (load != null) {
            load.close();
        }
        if (outputs != null) {
            outputs.close();
        }
        List<ServiceJvm> all = new ArrayList<>(sinks);
        all.addAll(processors);
        all.add(gateway);
        for (ServiceJvm service : all) {
            if (service != null) {
                service.stop();
            }
        }
        System.out.println("\n[crash] summary:\n  " + String.join("\n  ", figures));
    }

    @Test
    @Order(1)
    void shouldCountEveryAcknowledgedEventOnceAfterAProcessorInstanceIsKilledMidTransaction() throws Exception {
        // given steady load, and a transaction of the processors open
        awaitMoreAcknowledged(200);
        ServiceJvm victim = processors.get(0);
        boolean transactionOpen = awaitOpenProcessorsTransaction();

        // when the instance is killed (SIGKILL) and started again at once
        long killedAt = System.nanoTime();
        victim.kill();
        victim.launch();
        Duration started = victim.awaitLive(ServiceJvm.START_TIMEOUT);
        Duration ready = victim.awaitReady(ServiceJvm.START_TIMEOUT);
        Map<String, Duration> resumed = awaitEveryOutputAfter(victim.launchedAtNanos());
        awaitMoreAcknowledged(200);

        // then
        assertEveryAcknowledgedEventCountedOnce("processors SIGKILL");
        Duration processing = resumed.values().stream().max(Duration::compareTo).orElseThrow();
        Duration afterStart = nonNegative(processing.minus(started));
        report("processors SIGKILL (transaction open: %s): every topology processing again %.1f s after the application"
                        + " started (JVM and Spring Boot start %.1f s; from the launch: %s); readiness UP %.1f s after the"
                        + " launch (%.1f s after processing resumed); not processing for %.1f s from the kill",
                transactionOpen, seconds(afterStart), seconds(started), perTopic(resumed), seconds(ready),
                seconds(ready.minus(processing)), seconds(Duration.ofNanos(victim.launchedAtNanos() - killedAt).plus(processing)));
        assertThat(afterStart).as("application started → every topology processing again").isLessThanOrEqualTo(RESTART_BOUND);
    }

    @Test
    @Order(2)
    void shouldCountEveryAcknowledgedEventOnceAfterTheSinkIsKilledMidTransaction() throws Exception {
        // given steady load, and a PostgreSQL transaction of the sink open
        awaitMoreAcknowledged(200);
        ServiceJvm victim = sinks.get(0);
        boolean transactionOpen = awaitOpenSinkTransaction();

        // when the sink is killed (SIGKILL) and started again at once
        long killedAt = System.nanoTime();
        victim.kill();
        long offsetsAtKill = sinkOffsets();
        victim.launch();
        Duration started = victim.awaitLive(ServiceJvm.START_TIMEOUT);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> sinkOffsets() > offsetsAtKill);
        Duration committing = Duration.ofNanos(System.nanoTime() - victim.launchedAtNanos());
        Duration ready = victim.awaitReady(ServiceJvm.START_TIMEOUT);
        awaitMoreAcknowledged(200);

        // then
        assertEveryAcknowledgedEventCountedOnce("sink SIGKILL");
        Duration afterStart = nonNegative(committing.minus(started));
        report("sink SIGKILL (PostgreSQL transaction open: %s): first batch committed %.1f s after the application started"
                        + " (JVM and Spring Boot start %.1f s); readiness UP %.1f s after the launch (%.1f s after the"
                        + " first commit); not writing for %.1f s from the kill", transactionOpen, seconds(afterStart),
                seconds(started), seconds(ready), seconds(ready.minus(committing)),
                seconds(Duration.ofNanos(victim.launchedAtNanos() - killedAt).plus(committing)));
        assertThat(afterStart).as("application started → first batch committed").isLessThanOrEqualTo(RESTART_BOUND);
    }

    @Test
    @Order(3)
    void shouldCountEveryAcknowledgedEventOnceAfterTheGatewayIsKilledWithRequestsInFlight() {
        // given steady load with requests in flight
        awaitMoreAcknowledged(200);
        long failedBefore = load.failedAttempts();
        int inFlight = load.awaitRequestsInFlight(2, Duration.ofSeconds(10));

        // when the gateway is killed (SIGKILL) and started again at once; clients retry with their event ids
        long killedAt = System.nanoTime();
        gateway.kill();
        gateway.launch();
        Duration started = gateway.awaitLive(ServiceJvm.START_TIMEOUT);
        Duration ready = gateway.awaitReady(ServiceJvm.START_TIMEOUT);
        await().atMost(Duration.ofMinutes(1)).until(() -> load.firstAcknowledgementAfter(killedAt) > 0);
        Duration acknowledging = Duration.ofNanos(load.firstAcknowledgementAfter(killedAt) - gateway.launchedAtNanos());
        awaitMoreAcknowledged(200);

        // then
        assertEveryAcknowledgedEventCountedOnce("gateway SIGKILL");
        report("gateway SIGKILL with %d requests in flight: %d requests not acknowledged and sent again; first"
                        + " acknowledgement %.1f s after the application started (JVM and Spring Boot start %.1f s);"
                        + " readiness UP %.1f s after the launch", inFlight, load.failedAttempts() - failedBefore,
                seconds(nonNegative(acknowledging.minus(started))), seconds(started), seconds(ready));
    }

    @Test
    @Order(4)
    void shouldLoseNothingAndStopNoLongerThanTheElectionWhenABrokerIsKilledAndRestarted() {
        // given steady load; the victim is a broker that is not the active controller
        awaitMoreAcknowledged(200);
        int controller = cluster.activeControllerId();
        KafkaNode victim = cluster.nodes().stream().filter(node -> node.id() != controller).findFirst().orElseThrow();

        // when it is killed (SIGKILL), stays down 5 s and starts again
        long killedAt = System.nanoTime();
        victim.kill();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        victim.start();
        Duration resync = cluster.awaitFullyReplicated(Duration.ofMinutes(2));
        awaitMoreAcknowledged(300);
        long windowEnd = System.nanoTime();

        // then nothing acknowledged is lost or doubled
        assertEveryAcknowledgedEventCountedOnce("broker SIGKILL");
        // and neither the gateway's acknowledgements nor the processors' outputs stopped longer than the election
        long from = killedAt - 1_000_000_000L;
        Duration acknowledgements = load.longestGapBetweenAcknowledgements(from, windowEnd);
        Map<String, Duration> processing = new LinkedHashMap<>();
        for (String topic : outputTopics()) {
            processing.put(topic, outputs.longestGap(topic, from, windowEnd));
        }
        report("broker SIGKILL (node %d, not the controller), restarted after 5 s, replicas in sync %.1f s after its"
                        + " restart: longest time without an acknowledgement %.1f s; without a processed output %s",
                victim.id(), seconds(resync), seconds(acknowledgements), perTopic(processing));
        assertThat(acknowledgements).as("longest time without an acknowledgement").isLessThanOrEqualTo(BROKER_BOUNCE_BOUND);
        assertThat(processing.values()).as("longest time without an output, per topology")
                .allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(BROKER_BOUNCE_OUTPUT_BOUND));
    }

    @Test
    @Order(5)
    void shouldGiveExactlyTheAggregatesOfOneInstanceWithThreeProcessorAndTwoSinkInstances() throws Exception {
        // given two more processor instances and one more sink instance, each with its own instance id
        processors.add(processors(2));
        processors.add(processors(3));
        sinks.add(sink(2));
        List<ServiceJvm> added = List.of(processors.get(1), processors.get(2), sinks.get(1));
        added.forEach(ServiceJvm::launch);
        for (ServiceJvm service : added) {
            // Started, not ready: while instances join one after another on a loaded machine the groups rebalance
            // again and again, and readiness rightly says so; the work being shared is what is awaited below.
            report("%s started %.1f s after launch", service.name(), seconds(service.awaitLive(ServiceJvm.START_TIMEOUT)));
        }

        // when they share the work under load
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String topology : ProcessorTopologies.NAMES) {
                assertThat(membersWithWork(applicationId + "-" + topology)).as(topology).isEqualTo(3);
            }
            assertThat(membersWithWork(sinkGroup)).as("sink group").isEqualTo(2 * SINK_CONSUMERS);
        });
        awaitMoreAcknowledged(400);

        // then the aggregates are exactly those of the acknowledged events, as with one instance of each
        assertEveryAcknowledgedEventCountedOnce("scale-out to 3 processors and 2 sinks");
        for (ServiceJvm service : added) {
            report("%s readiness after the scale-out: %s", service.name(), service.readiness().up() ? "UP" : "not UP");
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Pauses the clients (each finishes the event it is sending), then waits until the API and
     * PostgreSQL count exactly the acknowledged events: per user (uploads started and completed, bytes,
     * storage), per session (status, chunks), and every chunk outcome and probe sample once.
     */
    private static void assertEveryAcknowledgedEventCountedOnce(String after) {
        load.pause();
        long started = System.nanoTime();
        try {
            Map<String, UploadLoad.UserTotals> expected = load.expected();
            List<String> expectedUsers = List.copyOf(UploadLoad.rows(expected).values());
            List<String> expectedSessions = load.expectedSessionRows();
            var chunkEvents = load.acknowledgedChunkEvents();
            var samples = load.acknowledgedSamples();
            List<UploadLoad.Session> touched = load.takeTouchedSessions();
            assertThat(expected).as("users with acknowledged uploads").isNotEmpty();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(sql("SELECT user_id, uploads_started, uploads_completed, bytes_uploaded, storage_used_bytes"
                        + " FROM user_stats")).as("user_stats rows").containsExactlyInAnyOrderElementsOf(expectedUsers);
                assertThat(sql("SELECT session_id, user_id, status, completed_chunks FROM upload_sessions"))
                        .as("upload_sessions rows").containsExactlyInAnyOrderElementsOf(expectedSessions);
                assertThat(sql("SELECT event_id FROM chunk_outcomes")).as("chunk_outcomes")
                        .containsExactlyInAnyOrderElementsOf(chunkEvents);
                assertThat(sql("SELECT event_id FROM edge_samples")).as("edge_samples")
                        .containsExactlyInAnyOrderElementsOf(samples);
                for (var entry : expected.entrySet()) {
                    assertThat(apiStats(entry.getKey())).as("API stats of " + entry.getKey())
                            .isEqualTo(entry.getValue().row(entry.getKey()));
                }
                for (UploadLoad.Session session : touched) {
                    assertThat(apiSession(session.sessionId)).as("API session " + session.sessionId)
                            .isEqualTo(session.status() + "|" + session.chunks.size());
                }
            });
            report("after %s: %,d events acknowledged (%,d sessions of %d users, %,d chunk outcomes, %,d probe samples),"
                            + " 0 lost, 0 doubled in the API and PostgreSQL (counted %.1f s after the clients paused)",
                    after, load.acknowledged(), expectedSessions.size(), expected.size(), chunkEvents.size(),
                    samples.size(), seconds(Duration.ofNanos(System.nanoTime() - started)));
        } catch (AssertionError | RuntimeException e) {
            // At once in the output file, rather than only in the report at the end of the whole class.
            report("FAILED after %s: %s", after, e.getMessage());
            throw e;
        } finally {
            load.resume();
        }
        load.throwIfFatal();
    }

    private static String apiStats(String userId) {
        GatewayHttp.Response response = http.get("/api/jetty/users/" + userId + "/stats", LocalDevKey.VALUE);
        if (response.status() != 200) {
            return response.toString();
        }
        JsonNode stats = response.json();
        return String.join("|", userId, stats.get("uploadsStarted").asString(), stats.get("uploadsCompleted").asString(),
                stats.get("bytesUploaded").asString(), stats.get("storageUsedBytes").asString());
    }

    private static String apiSession(String sessionId) {
        GatewayHttp.Response response = http.get("/api/jetty/sessions/" + sessionId, LocalDevKey.VALUE);
        if (response.status() != 200) {
            return response.toString();
        }
        JsonNode session = response.json();
        return session.get("status").asString() + "|" + session.get("completedChunks").asInt();
    }

    private static void awaitMoreAcknowledged(int events) {
        long target = load.acknowledged() + events;
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            load.throwIfFatal();
            return load.acknowledged() >= target;
        });
    }

    /** For each output topic, how long after {@code fromNanos} its first committed record arrived. */
    private static Map<String, Duration> awaitEveryOutputAfter(long fromNanos) {
        Map<String, Duration> first = new LinkedHashMap<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (String topic : outputTopics()) {
                long at = outputs.firstAfter(topic, fromNanos);
                if (at >= 0) {
                    first.putIfAbsent(topic, Duration.ofNanos(at - fromNanos));
                }
            }
            return first.size() == outputTopics().size();
        });
        return first;
    }

    /** Waits (up to 10 s) until a transaction of the processors is ongoing; false if none was seen. */
    private static boolean awaitOpenProcessorsTransaction() throws Exception {
        try (Admin admin = cluster.admin()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                boolean open = admin.listTransactions(new ListTransactionsOptions()
                                .filterStates(List.of(TransactionState.ONGOING))).all().get().stream()
                        .anyMatch(t -> t.transactionalId().startsWith(applicationId));
                if (open) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Waits (up to 10 s) until a session of this database has a write transaction open; false if none was seen. */
    private static boolean awaitOpenSinkTransaction() throws Exception {
        try (var connection = postgres.connect()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (!SqlRows.query(connection, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()").isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long sinkOffsets() throws Exception {
        return Long.parseLong(sql("SELECT coalesce(sum(next_offset), 0) FROM sink_offsets").get(0));
    }

    /** Members of a group that hold work: partitions (a consumer group) or active tasks (a streams group). */
    private static long membersWithWork(String group) throws Exception {
        try (Admin admin = cluster.admin()) {
            try {
                return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                        .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
            } catch (ExecutionException notAConsumerGroup) {
                return admin.describeStreamsGroups(List.of(group)).all().get().get(group).members().stream()
                        .filter(member -> !member.assignment().activeTasks().isEmpty()).count();
            }
        }
    }

    private static List<String> outputTopics() {
        return List.of(topics.uploadSessions().name(), topics.userStats().name(), topics.fileIndex().name(),
                topics.edgeHealth().name());
    }

    private static void startTogether(List<ServiceJvm> services) {
        services.forEach(ServiceJvm::launch);
        for (ServiceJvm service : services) {
            report("%s ready %.1f s after launch", service.name(), seconds(service.awaitReady(ServiceJvm.START_TIMEOUT)));
        }
    }

    /** Without a Spring context in this JVM, logback would log every Kafka client at DEBUG. */
    private static void quietKafkaClientLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            context.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static ServiceJvm gateway() {
        return ServiceJvm.builder("crash-gateway", GatewayApplication.class.getName())
                .env("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers())
                .env("JETTY_TOPIC_PREFIX", topics.prefix())
                .env("JETTY_PROCESSORS_APPLICATION_ID", applicationId)
                .env("JETTY_DB_URL", postgres.jdbcUrl())
                .env("JETTY_DB_USER", postgres.user())
                .env("JETTY_DB_PASSWORD", postgres.password())
                // The local profile's admin key; its fixed session-id key gives a retried start its session again.
                .property("spring.profiles.active", "local")
                .property("logging.level.org.apache.kafka", "WARN")
                .property("spring.flyway.schemas", postgres.schema())
                .build();
    }

    private static ServiceJvm processors(int instance) throws Exception {
        return ServiceJvm.builder("crash-processors-" + instance, StreamProcessorsApplication.class.getName())
                .env("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers())
                .env("JETTY_TOPIC_PREFIX", topics.prefix())
                .env("JETTY_PROCESSORS_APPLICATION_ID", applicationId)
                // Kept across the restart, as a StatefulSet keeps an instance's volume.
                .env("JETTY_PROCESSORS_STATE_DIR", Files.createDirectories(stateRoot.resolve("p" + instance)).toString())
                .env("JETTY_PROCESSORS_INSTANCE_ID", "processors-" + instance)
                .env("JETTY_PROCESSORS_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s")
                // The test's class path holds the other services' database libraries.
                .property("logging.level.org.apache.kafka", "WARN")
                .property("logging.level.org.apache.kafka.streams", "INFO")
                .property("spring.autoconfigure.exclude", "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
                .build();
    }

    private static ServiceJvm sink(int instance) {
        return ServiceJvm.builder("crash-sink-" + instance, SinkApplication.class.getName())
                .env("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers())
                .env("JETTY_TOPIC_PREFIX", topics.prefix())
                .env("JETTY_DB_URL", postgres.jdbcUrl())
                .env("JETTY_DB_USER", postgres.user())
                .env("JETTY_DB_PASSWORD", postgres.password())
                .env("JETTY_SINK_GROUP", sinkGroup)
                .env("JETTY_SINK_INSTANCE_ID", "sink-" + instance)
                .env("JETTY_SINK_CONCURRENCY", String.valueOf(SINK_CONSUMERS))
                .env("JETTY_SINK_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s")
                .property("logging.level.org.apache.kafka", "WARN")
                .property("spring.flyway.schemas", postgres.schema())
                .build();
    }

    private static List<String> sql(String query) throws Exception {
        return SqlRows.query(postgres.jdbcUrl(), postgres.user(), postgres.password(), query);
    }

    private static String perTopic(Map<String, Duration> durations) {
        StringBuilder text = new StringBuilder();
        durations.forEach((topic, duration) -> text.append(text.isEmpty() ? "" : ", ")
                .append(topic.substring(topics.prefix().length())).append(" %.1f s".formatted(seconds(duration))));
        return text.toString();
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void report(String format, Object... args) {
        String line = format.formatted(args);
        figures.add(line);
        System.out.println("[crash] " + line);
    }
}
