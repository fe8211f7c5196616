package io.jettyspeed.schemas;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with everything needed to use it: its name, the serdes of its key and value and
 * how many partitions it is created with.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {

    /** How to create it on a cluster: its partitions, and log compaction for aggregate topics. */
    public NewTopic toNewTopic(short replicationFactor) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor);
        if (compacted) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return topic;
    }

    /** The dead-letter topic of this one: same key type, raw dead letters, same partition count. */
    public String deadLetterTopicName() {
        return name + "-dlt";
    }
}
