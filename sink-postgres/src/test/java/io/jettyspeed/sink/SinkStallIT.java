package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A sink that cannot commit says so: readiness goes down with the reason while records wait
 * (a table locked by someone else; the database gone), liveness stays up, nothing is lost or
 * dead-lettered for an outage, and readiness comes back once the sink commits again.
 */
class SinkStallIT {

    private static final String[] QUICK = {"--jetty.sink.stall-after=2s", "--jetty.sink.retry-backoff=200ms",
            "--jetty.sink.retry-backoff-max=1s", "--spring.datasource.hikari.connection-timeout=1000"};

    @RegisterExtension
    final SinkRunner sinks = new SinkRunner();
    private final Topics topics = sinks.topics();

    @Test
    void shouldNotBeReadyWhileALockedTableKeepsItFromCommittingDespiteLag() throws Exception {
        // given a sink that is ready and has written usr_1
        try (var sink = sinks.start("stall", QUICK)) {
            send(topics.userStats(), "usr_1");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT user_id FROM user_stats")).containsExactly("usr_1");
                assertThat(SinkRunner.readiness(sink).up()).isTrue();
            });

            // when someone holds a lock on user_stats and a new record arrives
            try (Connection lock = sinks.connect()) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE user_stats IN ACCESS EXCLUSIVE MODE");
                send(topics.userStats(), "usr_2");

                // then readiness goes down and says why, while liveness stays up
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    SinkRunner.Probe probe = SinkRunner.readiness(sink);
                    assertThat(probe.status()).as("%s", probe).isEqualTo(503);
                    assertThat(probe.reason()).contains("stalled", "1 records wait", "nothing was committed");
                    assertThat(probe.sink().path("details").path("lagRecords").asLong()).isEqualTo(1);
                });
                assertThat(status(sink, "/actuator/health/liveness")).isEqualTo(200);
                assertThat(SinkRunner.metric(sink, "jetty_sink_lag_records")).isEqualTo(1);
                lock.rollback();
            }

            // then, the lock gone, it commits and is ready again
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT user_id FROM user_stats ORDER BY 1")).containsExactly("usr_1", "usr_2");
                assertThat(SinkRunner.readiness(sink).up()).isTrue();
            });
        }
    }

    @Test
    void shouldNotCallAnIdleSinkStalledForTheTransactionMarkersAfterTheLastRecords() throws Exception {
        // given a sink and records written transactionally, as the processors write them (each commit adds a marker)
        try (var sink = sinks.start("markers", QUICK);
                var transactional = new KafkaProducer<>(Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, SharedKafka.uniqueId("tx")),
                        new StringSerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            for (String user : List.of("usr_1", "usr_2", "usr_3")) {
                transactional.beginTransaction();
                transactional.send(new ProducerRecord<>(topics.userStats().name(), user,
                        topics.userStats().valueSerde().serializer().serialize(topics.userStats().name(), SinkPoisonIT.stats(user))));
                transactional.commitTransaction();
            }

            // then the records are written and the stored offsets pass the markers, to the end
            Map<TopicPartition, Long> ends = SinkRunner.endOffsets(List.of(topics.userStats()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT user_id FROM user_stats ORDER BY 1")).containsExactly("usr_1", "usr_2", "usr_3");
                Map<TopicPartition, Long> stored = sinks.storedOffsets();
                ends.forEach((partition, end) -> assertThat(stored.getOrDefault(partition, 0L)).as("%s", partition).isEqualTo(end));
            });
            // and, idle with nothing left to read, it stays ready well past stall-after
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                SinkRunner.Probe probe = SinkRunner.readiness(sink);
                assertThat(probe.up()).as("%s", probe).isTrue();
                assertThat(probe.sink().path("details").path("lagRecords").asLong()).isZero();
            });
        }
    }

    @Test
    void shouldRetryThroughADatabaseOutageLosingAndDeadLetteringNothing() throws Exception {
        // given a sink that reaches PostgreSQL through a connection we can cut
        try (TcpProxy proxy = proxyToPostgres();
                var sink = sinks.start("outage", concat(QUICK,
                        "--spring.datasource.url=" + viaProxy(sinks.url(), proxy.port())))) {
            send(topics.userStats(), "usr_1");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT user_id FROM user_stats")).containsExactly("usr_1");
                assertThat(SinkRunner.readiness(sink).up()).isTrue();
            });

            // when the database goes away and records keep coming
            proxy.cut();
            send(topics.userStats(), "usr_2");
            send(topics.userStats(), "usr_3");

            // then the sink is not ready and says why, keeps retrying, and stays alive
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SinkRunner.Probe probe = SinkRunner.readiness(sink);
                assertThat(probe.status()).as("%s", probe).isEqualTo(503);
                assertThat(probe.reason()).contains("PostgreSQL unreachable");
                assertThat(SinkRunner.metric(sink, "jetty_sink_batch_failures_total")).isGreaterThanOrEqualTo(2);
            });
            assertThat(status(sink, "/actuator/health/liveness")).isEqualTo(200);

            // when it comes back
            proxy.restore();

            // then every record is written, none dead-lettered, the offsets reach the end and it is ready again
            Map<TopicPartition, Long> ends = SinkRunner.endOffsets(List.of(topics.userStats()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.rows("SELECT user_id FROM user_stats ORDER BY 1"))
                        .containsExactly("usr_1", "usr_2", "usr_3");
                Map<TopicPartition, Long> stored = sinks.storedOffsets();
                ends.forEach((partition, end) -> assertThat(stored.getOrDefault(partition, 0L)).isEqualTo(end));
                assertThat(SinkRunner.readiness(sink).up()).isTrue();
            });
            assertThat(sinks.count("SELECT count(*) FROM sink_dead_letters")).isZero();
        }
    }

    private void send(Topic<String, io.jettyspeed.schemas.UserStats> topic, String userId) throws Exception {
        sinks.send(topic, userId, SinkPoisonIT.stats(userId));
    }

    private TcpProxy proxyToPostgres() {
        Matcher m = hostPort(sinks.url());
        return new TcpProxy(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    private static String viaProxy(String url, int port) {
        Matcher m = hostPort(url);
        return url.substring(0, m.start(1)) + "127.0.0.1:" + port + url.substring(m.end());
    }

    private static Matcher hostPort(String url) {
        Matcher m = Pattern.compile("//([^/:?]+)(?::(\\d+))?").matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException(url);
        }
        return m;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static int status(ConfigurableApplicationContext sink, String path) throws Exception {
        int port = Integer.parseInt(sink.getEnvironment().getProperty("local.server.port"));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
