package io.jettyspeed.testing;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers branch of {@link SharedKafka}: one {@code apache/kafka} container (KRaft, broker
 * and controller in one node) per test JVM. Kept in its own class so that Testcontainers is loaded only
 * when this branch is chosen.
 */
final class KafkaContainers {

    /** The same Kafka release as the in-process broker (kafka_2.13 in local-kafka); checked by a test. */
    static final String IMAGE = "apache/kafka:4.1.2";

    private KafkaContainers() {
    }

    /** The container, configured but not started (starting needs Docker). */
    static KafkaContainer container() {
        return new KafkaContainer(DockerImageName.parse(IMAGE));
    }

    /** Starts it, stops it when the JVM exits, and returns its bootstrap servers. */
    static String start() {
        KafkaContainer kafka = container();
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-shutdown"));
        return kafka.getBootstrapServers();
    }
}
