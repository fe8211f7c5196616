package io.jettyspeed.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a topic holds, read from its beginning up to the end it has when the read starts: how a test or a
 * check looks at what was written before it. Here rather than in the test fixtures because the tests of
 * the cluster itself need it too, and they sit below those fixtures.
 */
public final class TopicContents {

    private TopicContents() {
    }

    /**
     * Every committed record (read_committed: the end is the last stable offset, so an open transaction
     * neither blocks the read nor leaks into it), in partition order, read by a consumer of its own that
     * joins no group.
     */
    public static <K, V> List<ConsumerRecord<K, V>> readCommitted(String bootstrapServers, String topic,
            Deserializer<K> keys, Deserializer<V> values, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, keys, values)) {
            return readToEnd(consumer, topic, timeout);
        }
    }

    /**
     * The same with the caller's consumer, which is assigned every partition of the topic (not subscribed)
     * and left positioned at the end, so that the caller can commit what it read.
     */
    public static <K, V> List<ConsumerRecord<K, V>> readToEnd(Consumer<K, V> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }
}
