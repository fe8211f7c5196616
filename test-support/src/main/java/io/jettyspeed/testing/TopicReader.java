package io.jettyspeed.testing;

import io.jettyspeed.kafka.TopicContents;
import io.jettyspeed.schemas.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the real broker, decoded with the topic's own serdes. */
public final class TopicReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicReader() {
    }

    /** Every record committed to the topic so far (read_committed), in partition order. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(Topic<K, V> topic) {
        return readAll(SharedKafka.bootstrapServers(), topic);
    }

    /** The same from another cluster, for instance {@link SharedKafka#cluster()}. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrapServers, Topic<K, V> topic) {
        return TopicContents.readCommitted(bootstrapServers, topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(), TIMEOUT);
    }

    /** Every committed record of a topic outside the catalogue (or read as it is stored), keys and values as bytes. */
    public static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrapServers, String topic) {
        return TopicContents.readCommitted(bootstrapServers, topic, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), TIMEOUT);
    }

    public static <K, V> List<V> readValues(Topic<K, V> topic) {
        return readAll(topic).stream().map(ConsumerRecord::value).toList();
    }
}
