package io.jettyspeed.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes inside this JVM: a clean bounce works, a kill is refused rather than faked. */
class InProcessClusterIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepAcceptingAcksAllWritesWithOneOfThreeNodesStoppedAndCatchItUpWhenItReturns() throws Exception {
        try (InProcessKafka cluster = InProcessKafka.startCluster(dataDir, 3)) {
            // given an RF 3 / min ISR 2 topic
            cluster.createTopics(List.of(new NewTopic("replicated", 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2"))));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("replicated", "k1", "before")).get();

                // when node 2 stops, takes no writes, and comes back
                cluster.node(2).stop();
                producer.send(new ProducerRecord<>("replicated", "k2", "while-down")).get();
                cluster.node(2).start();
                cluster.awaitFullyReplicated(Duration.ofSeconds(60));
                producer.send(new ProducerRecord<>("replicated", "k3", "after")).get();
            }

            // then every partition has all three replicas in sync and the records are all there
            try (var admin = cluster.admin()) {
                assertThat(admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated").partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
            }
            assertThat(readAll(cluster, "replicated")).containsExactlyInAnyOrder("before", "while-down", "after");
            assertThat(cluster.node(1).runtime()).isEqualTo(NodeRuntime.IN_PROCESS);
            assertThatThrownBy(() -> cluster.node(3).kill()).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("childJvms()");
        }
    }

    private static List<String> readAll(InProcessKafka cluster, String topic) {
        return TopicContents.readCommitted(cluster.bootstrapServers(), topic, new StringDeserializer(),
                new StringDeserializer(), Duration.ofSeconds(30)).stream().map(ConsumerRecord::value).toList();
    }
}
