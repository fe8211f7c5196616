package io.jettyspeed.testing;

import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/**
 * One real Kafka broker for the whole test JVM, started on first use in a temporary folder and
 * stopped when the JVM exits. Tests stay apart by taking topics of their own ({@link #freshTopics()})
 * and application ids of their own ({@link #uniqueId(String)}).
 *
 * <p>Set {@code JETTY_TEST_KAFKA_BOOTSTRAP} to run the same tests against an external broker
 * (for instance a Testcontainers or Compose one where a Docker engine exists).
 */
public final class SharedKafka {

    private static String bootstrapServers;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String external = System.getenv("JETTY_TEST_KAFKA_BOOTSTRAP");
            if (external != null && !external.isBlank()) {
                bootstrapServers = external;
            } else {
                InProcessKafka kafka = InProcessKafka.start(tempDir(), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "in-process-kafka-shutdown"));
                bootstrapServers = kafka.bootstrapServers();
            }
        }
        return bootstrapServers;
    }

    /** A catalogue whose every topic has a unique prefix, created on the broker with 6 partitions. */
    public static Topics freshTopics() {
        Topics topics = Topics.of(uniqueId("t") + ".", Topics.DEFAULT_PARTITIONS);
        createTopics(topics);
        return topics;
    }

    public static void createTopics(Topics topics) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(topics.all().stream().map(topic -> topic.toNewTopic((short) 1)).toList()).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics", e);
        }
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("jetty-test-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
