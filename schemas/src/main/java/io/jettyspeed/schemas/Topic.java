package io.jettyspeed.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with everything needed to use it: its name, the serdes of its key and value and
 * how many partitions it is created with.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {

    /**
     * How to create it on a cluster: its partitions, the replication factor and
     * {@code min.insync.replicas}, and log compaction for aggregate topics.
     */
    public NewTopic toNewTopic(Topics.Replication replication) {
        return new NewTopic(name, partitions, replication.factor()).configs(configs(replication));
    }

    /**
     * With a replication factor only; {@code min.insync.replicas} is the broker's default.
     *
     * @deprecated topics are created with {@link #toNewTopic(Topics.Replication)}, which states both settings
     */
    @Deprecated
    public NewTopic toNewTopic(short replicationFactor) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor);
        if (compacted) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return topic;
    }

    /** The topic-level settings it is created with, and that an existing topic is checked against. */
    public Map<String, String> configs(Topics.Replication replication) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        return configs;
    }

    /** The dead-letter topic of this one: same key type, raw dead letters, same partition count. */
    public String deadLetterTopicName() {
        return name + "-dlt";
    }
}
